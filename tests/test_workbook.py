"""reports/tables.xlsx: read back with openpyxl as a person would open it, numbers checked
against the CSV tables.

`make_tables` and `make_report_inputs` build small output folders (tables, figures, QA, a
manifest, a reference file) that the HTML and browser tests use too."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from cob_analysis import published, workbook
from cob_analysis.stats.association import chi_square_test
from cob_analysis.tables.crosstabs import crosstab, oneway
from cob_analysis.tables_io import TableMeta, read_table, round_half_up, write_table

TRAJECTORIES = ["VDAB", "SD/Activering", "Lineair", "Jongerenproject (ESF)"]
WORK = ["Geen werk of onbekend", "Werk"]
EN = {"Geen werk of onbekend": "No work or unknown", "Werk": "Work", "Totaal": "Total",
      "SD/Activering": "SD/Activation", "Lineair": "Linear", "Jongerenproject (ESF)": "Youth project (ESF)",
      "Voorjaar 2017": "Spring 2017", "Najaar 2017": "Autumn 2017", "Niet geregistreerd": "Not registered"}


def _clients(n: int = 240, seed: int = 7) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({
        "trajectory": rng.choice(TRAJECTORIES, n, p=[0.3, 0.15, 0.35, 0.2]),
        "cohort": rng.choice(["Voorjaar 2017", "Najaar 2017"], n),
        "nt2_level": rng.choice(["0", "<1.1", "1.1", None], n, p=[0.5, 0.3, 0.18, 0.02]),
        "work": rng.choice(WORK, n),
    })
    frame.loc[:2, "cohort"] = None  # three clients without a cohort: excluded and noted
    return frame


def _en(frame: pd.DataFrame, columns: list[str], language: str) -> pd.DataFrame:
    if language == "nl":
        return frame
    out = frame.copy()
    for c in columns:
        out[c] = out[c].map(lambda v: EN.get(v, v))
    return out


def make_tables(tables_dir: Path, language: str = "nl") -> list[str]:
    """A cross-tab with a missing note and a test of association, one with NT2's empty row,
    a one-way table, a t02-like code table, a statistics table and a model-like table with
    booleans and empty cells, written with tables_io.write_table."""
    clients = _clients()
    en = language == "en"
    ids = []

    table = crosstab(clients, "cohort", "work", row_order=["Voorjaar 2017", "Najaar 2017"], col_order=WORK)
    write_table(_en(table.long, ["row", "col"], language), TableMeta(
        id="t05_cohort_work", number=5, kind="crosstab", row_var="cohort", col_var="work", percent="row",
        title="Timing of intake and employment" if en else "Timing intake en tewerkstelling",
        missing_excluded=table.missing_excluded,
        notes=[f"{table.missing_excluded} clients without a value for intake cohort are left out." if en else
               f"{table.missing_excluded} cliënten zonder waarde voor intakecohorte zijn niet opgenomen."],
        association=chi_square_test(table.counts, language=language)), tables_dir)
    ids.append("t05_cohort_work")

    table = crosstab(clients, "nt2_level", "work", row_order=["0", "<1.1", "1.1"], col_order=WORK,
                     missing="show", missing_label="Niet geregistreerd")
    write_table(_en(table.long, ["row", "col"], language), TableMeta(
        id="t14_nt2_work", number=14, kind="crosstab", row_var="nt2_level", col_var="work", percent="row",
        title="Dutch level (NT2) at intake and employment" if en else "Taalniveau NT2 en tewerkstelling",
        missing_excluded=0, association=chi_square_test(table.counts, language=language)), tables_dir)
    ids.append("t14_nt2_work")

    write_table(_en(oneway(clients["work"], WORK), ["row"], language), TableMeta(
        id="t04_work_status", number=4, kind="oneway",
        title="Work status, recoded" if en else "Tewerkstellingsstatuut, hercodeerd",
        notes=["Of which 3 unknown." if en else "Waarvan 3 onbekend."]), tables_dir)
    ids.append("t04_work_status")

    codes = pd.DataFrame({"code": ["0", "5", "78", ""],
                          "label": ["Uitkeringsgerechtigd volledig werkloos", "Verplicht ingeschreven O.C.M.W.",
                                    "Uitgeschreven wegens werk", "Total" if en else "Totaal"],
                          "n": [60, 100, 80, 240], "pct": [25.0, 41.7, 33.3, 100.0]})
    write_table(codes, TableMeta(id="t02_vdab_status", number=2, kind="oneway",
                                 title="VDAB job-seeker status" if en else "Tewerkstellingsstatuut (VDAB-resultaat)",
                                 notes=["Labels from the recoding table." if en else "Labels uit de hercoderingstabel."]),
                tables_dir)
    ids.append("t02_vdab_status")

    timing = pd.DataFrame({"trajectory": [*TRAJECTORIES, "Totaal"], "n": [50, 40, 30, 20, 140],
                           "mean_days": [461.6, 250.6, 588.5, 434.6, 448.3],
                           "sd_days": [208.7, 180.8, 209.7, 197.7, 232.1]})
    write_table(_en(timing, ["trajectory"], language), TableMeta(
        id="t08_art60_timing", number=8, kind="stats", row_var="trajectory",
        title="Days from intake to the start of art. 60" if en else "Duurtijd tussen intake en start artikel 60 per traject",
        notes=["SD with n-1." if en else "S = standaardafwijking (n-1)."]), tables_dir)
    ids.append("t08_art60_timing")

    model = pd.DataFrame({"variable": ["trajectory"] * 3, "covariate": ["Traject"] * 3,
                          "level": ["VDAB", "SD/Activering", "Lineair"], "reference": [True, False, False],
                          "n": [50, 40, 30], "hr": [1.0, 3.17, 0.67], "ci_low": [None, 2.56, 0.55],
                          "ci_high": [None, 3.94, 0.81], "p": [None, 0.0, 0.0001]})
    write_table(model, TableMeta(id="cox_art60", kind="stats",
                                 title="Cox model" if en else "Cox-model: tijd tot eerste artikel 60",
                                 notes=["Efron ties."]), tables_dir)
    ids.append("cox_art60")
    # the workbook's order: the report's numbered tables first, then the rest by id
    return sorted(ids, key=lambda i: (not i.startswith("t"), i))


def make_figures(figures_dir: Path) -> list[str]:
    """Two matplotlib SVGs (sharing internal ids, as matplotlib's do) and one caption file."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figures_dir.mkdir(parents=True, exist_ok=True)
    names = []
    for name, ys in (("km_art60_cohort", [0, 10, 25, 40]), ("zz_extra_plot", [5, 3, 4, 1])):
        fig, ax = plt.subplots(figsize=(5, 3))
        ax.step([0, 6, 12, 18], ys, where="post", label=name)
        ax.set_xlabel("Maanden")
        ax.legend()
        with matplotlib.rc_context({"svg.hashsalt": "test"}):
            fig.savefig(figures_dir / f"{name}.svg", format="svg", metadata={"Date": None})
        fig.savefig(figures_dir / f"{name}.png", format="png", dpi=50)
        plt.close(fig)
        names.append(name)
    (figures_dir / "zz_extra_plot.json").write_text(
        json.dumps({"caption": {"nl": "Een extra figuur met bijschrift.", "en": "An extra figure with a caption."}}),
        encoding="utf-8")
    return names


def make_qa(qa_dir: Path) -> None:
    qa_dir.mkdir(parents=True, exist_ok=True)
    pd.DataFrame({"export": ["clients", "vdab"], "file": ["data/raw/a.csv", "data/raw/b.csv"],
                  "rows_read": [250, 260], "linked": [240, 238], "unmatched": [0, 20], "duplicate": [4, 0],
                  "out_of_window": [6, 0], "rejected": [0, 2]}).to_csv(qa_dir / "linkage.csv", index=False)
    pd.DataFrame({"export": ["vdab"], "note": ["rejected: conflicting status codes"], "n": [2]}).to_csv(
        qa_dir / "linkage_notes.csv", index=False)
    pd.DataFrame({"check": ["art60_running_no_work"], "description": ["art. 60 loopt, VDAB zegt geen werk"],
                  "n_clients": [240], "n_flagged": [17], "pct": [7.1]}).to_csv(qa_dir / "disagreements.csv", index=False)


MANIFEST = {
    "inputs": [{"path": "data/raw/a.csv", "sha256": "ab" * 32, "bytes": 1234},
               {"path": "data/raw/b.csv", "sha256": "cd" * 32, "bytes": 5678}],
    "config": {"language": "nl", "cohort": "half-year", "reference_figures": "ref.yaml"},
    "versions": {"pandas": "2.3.3", "cob-analysis": "0.1.0"},
    "created": "2026-01-02T03:04:05+00:00",
    "git_commit": "0123456789abcdef0123456789abcdef01234567",
}


def make_reference(tables_dir: Path, path: Path) -> Path:
    """A reference file of published figures, in the format of tests/data, with the
    report's spellings ("SD/activering", an empty NT2 label), made from the tables themselves."""
    t05, _ = read_table(tables_dir, "t05_cohort_work")
    t14, _ = read_table(tables_dir, "t14_nt2_work")
    t08, _ = read_table(tables_dir, "t08_art60_timing")
    t04, _ = read_table(tables_dir, "t04_work_status")

    def cross(frame: pd.DataFrame, rename: dict[str, str]) -> tuple[dict, dict]:
        rows, pct = {}, {}
        for row, part in frame.groupby("row", sort=False):
            label = rename.get(row, row)
            rows[label] = {c: int(n) for c, n in zip(part["col"], part["n"], strict=True)}
            pct[label] = [float(p) for c, p in zip(part["col"], part["pct"], strict=True) if c != "Totaal"]
        return rows, pct

    rows5, pct5 = cross(t05, {})
    rows14, _ = cross(t14, {"Niet geregistreerd": ""})
    t08_rows = {("SD/activering" if r == "SD/Activering" else r): [int(n), int(round_half_up(m, 0)),
                                                                   int(round_half_up(s, 0))]
                for r, n, m, s in zip(t08["trajectory"], t08["n"].astype(int), t08["mean_days"].astype(float),
                                      t08["sd_days"].astype(float), strict=True)}
    # 588.5 is printed 589: half-up, not banker's rounding
    reference = {"tables": {
        "t05_cohort_work": {"title": "Timing intake en tewerkstelling", "rows": rows5, "pct": pct5},
        "t14_nt2_work": {"title": "Taalniveau NT2 en tewerkstelling", "rows": rows14},
        "t08_art60_timing": {"title": "Duurtijd", "columns": ["n", "mean_days", "sd_days"], "rows": t08_rows},
        "t04_work_status": {"title": "Hercodeerd", "total": int(t04["n"].iloc[-1]),
                            "rows": {r: [int(n), float(p)] for r, n, p in
                                     zip(t04["row"][:-1], t04["n"][:-1], t04["pct"][:-1], strict=True)}},
        "t02_vdab_status": {"title": "Status", "total": 240,
                            "rows": {0: ["Uitkeringsgerechtigd volledig werkloos", 60, 25.0],
                                     5: ["Verplicht ingeschreven O.C.M.W.", 100, 41.7]}},
    }}
    import yaml

    text = yaml.safe_dump(reference, allow_unicode=True, sort_keys=False)
    path.write_text(text, encoding="utf-8")
    return path


def make_report_inputs(root: Path, language: str = "nl") -> dict:
    """Everything the report writers read, under `root`."""
    tables_dir, figures_dir, qa_dir = root / "tables", root / "figures", root / "qa"
    ids = make_tables(tables_dir, language)
    figures = make_figures(figures_dir)
    make_qa(qa_dir)
    reference = make_reference(tables_dir, root / "reference.yaml") if language == "nl" else None
    return {"tables_dir": tables_dir, "figures_dir": figures_dir, "qa_dir": qa_dir, "ids": ids,
            "figures": figures, "reference": reference}


# --- tests ---------------------------------------------------------------------------------


@pytest.fixture
def inputs(tmp_path):
    return make_report_inputs(tmp_path)


def _csv_numbers(tables_dir: Path, table_id: str) -> pd.DataFrame:
    return pd.read_csv(tables_dir / f"{table_id}.csv", dtype=str, keep_default_na=False)


def _number(text: str) -> float | None:
    return None if text == "" else float(text)


def _number_or_none(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def _check_crosstab_sheet(ws, frame: pd.DataFrame) -> int:
    first = workbook.FIRST_TABLE_ROW
    columns = [ws.cell(first + 1, c).value for c in range(3, ws.max_column + 1)]
    columns = [c for c in columns if c is not None]
    assert columns == list(dict.fromkeys(frame["col"]))
    expected = frame.set_index(["row", "col"])
    checked, row_label = 0, None
    for r in range(first + 2, ws.max_row + 1):
        stat = ws.cell(r, 2).value
        if stat not in ("N", "%"):
            break
        row_label = ws.cell(r, 1).value if stat == "N" else row_label
        for j, col in enumerate(columns):
            cell = ws.cell(r, 3 + j)
            want = _number(expected.loc[(row_label, col), "n" if stat == "N" else "pct"])
            assert cell.value == want, (ws.title, row_label, col, stat)
            assert cell.number_format == ("0" if stat == "N" else '0.0"%"')
            checked += 1
    assert checked == 2 * len(frame)
    return checked


def _check_flat_sheet(ws, frame: pd.DataFrame) -> int:
    first = workbook.FIRST_TABLE_ROW
    checked = 0
    for i in range(len(frame)):
        for j, column in enumerate(frame.columns):
            text = frame.iat[i, j]
            cell = ws.cell(first + 1 + i, 1 + j)
            try:
                want = float(text)
            except ValueError:
                continue  # text (labels, yes/no)
            if column in ("code",):
                assert cell.value == text
                continue
            assert cell.value == pytest.approx(want, abs=0), (ws.title, i, column)
            assert isinstance(cell.value, int | float)
            checked += 1
        empty = [j for j, c in enumerate(frame.columns) if frame.iat[i, j] == ""]
        for j in empty:
            assert ws.cell(first + 1 + i, 1 + j).value is None
    return checked


def test_every_sheet_has_the_numbers_of_its_csv_table(inputs, tmp_path):
    out = workbook.write_workbook(inputs["tables_dir"], tmp_path / "tables.xlsx")
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["Inhoud", *inputs["ids"]]
    total = expected = 0
    for table_id in inputs["ids"]:
        ws = book[table_id]
        frame = _csv_numbers(inputs["tables_dir"], table_id)
        _, meta = read_table(inputs["tables_dir"], table_id)
        assert meta["title"] in ws["A1"].value
        if meta.get("number"):
            assert ws["A1"].value.startswith(f"Tabel {meta['number']}. ")
        assert ws["A2"].value == table_id
        assert ws.freeze_panes is not None
        total += (_check_crosstab_sheet if meta["kind"] == "crosstab" else _check_flat_sheet)(ws, frame)
        expected += sum(_number_or_none(v) is not None for c in frame.columns if c not in ("code", "row", "col")
                        for v in frame[c])
    assert total == expected > 80  # every number of every table was found where it belongs


def test_crosstab_sheet_layout_notes_and_formatting(inputs, tmp_path):
    book = openpyxl.load_workbook(workbook.write_workbook(inputs["tables_dir"], tmp_path / "t.xlsx"))
    ws = book["t05_cohort_work"]
    first = workbook.FIRST_TABLE_ROW
    assert ws.cell(first, 3).value == "Tewerkstelling"  # the column variable over its columns
    assert any(str(r) == f"C{first}:D{first}" for r in ws.merged_cells.ranges)
    assert ws.cell(first + 1, 1).value == "Intakecohorte"
    assert ws.freeze_panes == f"C{first + 2}"
    labels = [ws.cell(r, 1).value for r in range(first + 2, first + 8)]
    assert labels == ["Voorjaar 2017", None, "Najaar 2017", None, "Totaal", None]
    total_row = first + 6
    assert ws.cell(total_row, 3).font.b and ws.cell(total_row, 5).font.b
    assert ws.cell(first + 2, 3).alignment.horizontal == "right"
    texts = [ws.cell(r, 1).value for r in range(first + 8, ws.max_row + 1)]
    texts = [t for t in texts if t]
    assert any("3 cliënten zonder waarde voor intakecohorte" in t for t in texts)
    assert any(t.startswith("Chi-kwadraattoets: χ²(1) = ") and "Cramérs V" in t for t in texts)
    assert "Percentages per rij." in texts
    # column widths are fitted, not the default
    assert ws.column_dimensions["A"].width > 12
    nt2 = book["t14_nt2_work"]
    assert nt2.cell(first + 2, 1).value == "Niet geregistreerd"
    warning = [c for c in (nt2.cell(r, 1) for r in range(first, nt2.max_row + 1))
               if "verwachte frequentie" in str(c.value)]
    assert len(warning) == 1 and warning[0].font.i


def test_contents_sheet_links_every_table(inputs, tmp_path):
    book = openpyxl.load_workbook(workbook.write_workbook(inputs["tables_dir"], tmp_path / "t.xlsx"))
    ws = book["Inhoud"]
    links = {ws.cell(r, 2).value: ws.cell(r, 2).hyperlink for r in range(5, ws.max_row + 1) if ws.cell(r, 2).value}
    assert set(links) == set(inputs["ids"])
    assert all(link is not None and link.location and "!A1" in link.location for link in links.values())
    numbers = [ws.cell(r, 1).value for r in range(5, ws.max_row + 1) if ws.cell(r, 1).value is not None]
    assert sorted(numbers) == [2, 4, 5, 8, 14]


def test_byte_identical_on_rerun(inputs, tmp_path):
    reference = published.load_published(inputs["reference"])
    comparison = published.compare(reference, inputs["tables_dir"])
    comparison.loc[comparison.index[0], ["published", "match"]] = [-1.0, False]  # a marked cell with a comment
    a = workbook.write_workbook(inputs["tables_dir"], tmp_path / "a.xlsx", comparison=comparison)
    b = workbook.write_workbook(inputs["tables_dir"], tmp_path / "b.xlsx", comparison=comparison)
    assert a.read_bytes() == b.read_bytes()
    props = openpyxl.load_workbook(a).properties
    assert props.created.year == workbook.FIXED_CREATED.year


def test_published_versus_regenerated_sheet_marks_differences(inputs, tmp_path):
    reference = published.load_published(inputs["reference"])
    comparison = published.compare(reference, inputs["tables_dir"])
    assert comparison["match"].all()
    # make one published figure differ, as if the report had printed another number
    bad = comparison.index[(comparison["table_id"] == "t05_cohort_work") & (comparison["col"] == "Werk %")][0]
    comparison.loc[bad, ["published", "match"]] = [99.9, False]
    book = openpyxl.load_workbook(workbook.write_workbook(inputs["tables_dir"], tmp_path / "c.xlsx",
                                                          comparison=comparison))
    assert book.sheetnames[-1] == "Gepubliceerd vs herberekend"
    ws = book["Gepubliceerd vs herberekend"]
    assert f"{len(comparison)} gepubliceerde cijfers" in ws["A2"].value and "1 verschillend" in ws["A2"].value
    header = workbook.FIRST_TABLE_ROW
    rows = list(ws.iter_rows(min_row=header + 1, values_only=False))
    assert len(rows) == len(comparison)
    flagged = [r for r in rows if r[6].value == "nee"]
    assert len(flagged) == 1
    assert flagged[0][3].value == 99.9 and flagged[0][0].value == "t05_cohort_work"
    assert flagged[0][3].fill.fgColor.rgb.endswith("F8D7DA")
    assert all(not r[3].fill.fgColor.rgb or not r[3].fill.fgColor.rgb.endswith("F8D7DA")
               for r in rows if r[6].value == "ja")
    assert ws.freeze_panes == f"A{header + 1}"
    # the table sheet marks the cell, with the published figure in a comment
    table = book["t05_cohort_work"]
    marked = [c for row in table.iter_rows() for c in row
              if c.fill is not None and c.fill.fgColor.rgb and str(c.fill.fgColor.rgb).endswith("F8D7DA")]
    assert len(marked) == 1 and marked[0].comment is not None and "99,9%" in marked[0].comment.text
    notes = [table.cell(r, 1).value for r in range(1, table.max_row + 1)]
    assert any(n and "1 van" in n and "verschillen" in n for n in notes)


def test_english_labels_titles_and_notes(tmp_path):
    tables_dir = tmp_path / "tables"
    ids = make_tables(tables_dir, "en")
    book = openpyxl.load_workbook(workbook.write_workbook(tables_dir, tmp_path / "en.xlsx", language="en"))
    assert book.sheetnames == ["Contents", *ids]
    ws = book["t05_cohort_work"]
    assert ws["A1"].value == "Table 5. Timing of intake and employment"
    first = workbook.FIRST_TABLE_ROW
    assert ws.cell(first, 3).value == "Employment"
    assert [ws.cell(first + 1, c).value for c in (1, 3, 4, 5)] == ["Intake cohort", "No work or unknown", "Work", "Total"]
    texts = [str(ws.cell(r, 1).value) for r in range(first, ws.max_row + 1)]
    assert any(t.startswith("Chi-square test: χ²(1) = ") for t in texts)
    assert "Row percentages." in texts
    timing = book["t08_art60_timing"]
    assert [timing.cell(first, c).value for c in range(1, 5)] == ["Trajectory", "N", "Mean (days)", "SD (days)"]
    model = book["cox_art60"]
    assert model.cell(first + 1, 4).value == "yes" and model.cell(first + 2, 4).value == "no"


def test_sheet_names_are_valid_and_unique():
    names = workbook.sheet_names(["a" * 40, "a" * 40 + "b", "x/y:z", "inhoud"], reserved=["Inhoud"])
    values = list(names.values())
    assert all(len(v) <= 31 for v in values)
    assert len({v.lower() for v in values} | {"inhoud"}) == len(values) + 1
    assert names["x/y:z"] == "x_y_z"


def test_suppressed_counts_without_meta_are_shown_as_written(tmp_path):
    """Tables with suppressed small cells ("<5") and no meta/ folder, as a disclosure step may write them."""
    tables = tmp_path / "public"
    tables.mkdir()
    pd.DataFrame({"row": ["A", "A", "A", "Totaal", "Totaal", "Totaal"],
                  "col": ["Werk", "Geen werk of onbekend", "Totaal"] * 2,
                  "n": ["<5", "12", "<5", "10", "12", "22"], "pct": ["", "80.0", "", "45.5", "54.5", "100.0"]}
                 ).to_csv(tables / "t99_masked.csv", index=False)
    book = openpyxl.load_workbook(workbook.write_workbook(tables, tmp_path / "p.xlsx"))
    ws = book["t99_masked"]
    first = workbook.FIRST_TABLE_ROW
    assert ws["A1"].value == "t99_masked"
    assert [ws.cell(first + 2, c).value for c in range(1, 6)] == ["A", "N", "<5", 12, "<5"]
    assert ws.cell(first + 2, 3).alignment.horizontal == "right"
    assert ws.cell(first + 3, 3).value is None and ws.cell(first + 3, 4).value == 80.0
