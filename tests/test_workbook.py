"""reports/tables.xlsx: read back with openpyxl as a person would open it, numbers checked
against the CSV tables.

`make_tables` and `make_report_inputs` build small output folders (tables, figures, QA, a
manifest, a reference file) that the HTML and browser tests use too."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from cob_analysis import published
from cob_analysis.report import workbook
from cob_analysis.stats.association import chi_square_test
from cob_analysis.tables.crosstabs import crosstab, oneway
from cob_analysis.tables_io import TableMeta, read_table, round_half_up, write_table

TRAJECTORIES = ["VDAB", "SD/Activering", "Lineair", "Jongerenproject (ESF)"]
WORK = ["Geen werk of onbekend", "Werk"]
EN = {
    "Geen werk of onbekend": "No work or unknown",
    "Werk": "Work",
    "Totaal": "Total",
    "SD/Activering": "SD/Activation",
    "Lineair": "Linear",
    "Jongerenproject (ESF)": "Youth project (ESF)",
    "Voorjaar 2017": "Spring 2017",
    "Najaar 2017": "Autumn 2017",
    "Niet geregistreerd": "Not registered",
}


def _clients(n: int = 240, seed: int = 7) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(
        {
            "trajectory": rng.choice(TRAJECTORIES, n, p=[0.3, 0.15, 0.35, 0.2]),
            "cohort": rng.choice(["Voorjaar 2017", "Najaar 2017"], n),
            "nt2_level": rng.choice(["0", "<1.1", "1.1", None], n, p=[0.5, 0.3, 0.18, 0.02]),
            "work": rng.choice(WORK, n),
        }
    )
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

    table = crosstab(
        clients, "cohort", "work", row_order=["Voorjaar 2017", "Najaar 2017"], col_order=WORK
    )
    write_table(
        _en(table.long, ["row", "col"], language),
        TableMeta(
            id="t05_cohort_work",
            number=5,
            kind="crosstab",
            row_var="cohort",
            col_var="work",
            percent="row",
            title="Timing of intake and employment" if en else "Timing intake en tewerkstelling",
            missing_excluded=table.missing_excluded,
            notes=[
                f"{table.missing_excluded} clients without a value for intake cohort are left out."
                if en
                else f"{table.missing_excluded} cliënten zonder waarde voor intakecohorte zijn niet opgenomen."
            ],
            association=chi_square_test(table.counts, language=language),
        ),
        tables_dir,
    )
    ids.append("t05_cohort_work")

    table = crosstab(
        clients,
        "nt2_level",
        "work",
        row_order=["0", "<1.1", "1.1"],
        col_order=WORK,
        missing="show",
        missing_label="Niet geregistreerd",
    )
    write_table(
        _en(table.long, ["row", "col"], language),
        TableMeta(
            id="t14_nt2_work",
            number=14,
            kind="crosstab",
            row_var="nt2_level",
            col_var="work",
            percent="row",
            title="Dutch level (NT2) at intake and employment"
            if en
            else "Taalniveau NT2 en tewerkstelling",
            missing_excluded=0,
            association=chi_square_test(table.counts, language=language),
        ),
        tables_dir,
    )
    ids.append("t14_nt2_work")

    write_table(
        _en(oneway(clients["work"], WORK), ["row"], language),
        TableMeta(
            id="t04_work_status",
            number=4,
            kind="oneway",
            title="Work status, recoded" if en else "Tewerkstellingsstatuut, hercodeerd",
            notes=["Of which 3 unknown." if en else "Waarvan 3 onbekend."],
        ),
        tables_dir,
    )
    ids.append("t04_work_status")

    codes = pd.DataFrame(
        {
            "code": ["0", "5", "78", ""],
            "label": [
                "Uitkeringsgerechtigd volledig werkloos",
                "Verplicht ingeschreven O.C.M.W.",
                "Uitgeschreven wegens werk",
                "Total" if en else "Totaal",
            ],
            "n": [60, 100, 80, 240],
            "pct": [25.0, 41.7, 33.3, 100.0],
        }
    )
    write_table(
        codes,
        TableMeta(
            id="t02_vdab_status",
            number=2,
            kind="oneway",
            title="VDAB job-seeker status" if en else "Tewerkstellingsstatuut (VDAB-resultaat)",
            notes=["Labels from the recoding table." if en else "Labels uit de hercoderingstabel."],
        ),
        tables_dir,
    )
    ids.append("t02_vdab_status")

    timing = pd.DataFrame(
        {
            "trajectory": [*TRAJECTORIES, "Totaal"],
            "n": [50, 40, 30, 20, 140],
            "mean_days": [461.6, 250.6, 588.5, 434.6, 448.3],
            "sd_days": [208.7, 180.8, 209.7, 197.7, 232.1],
        }
    )
    write_table(
        _en(timing, ["trajectory"], language),
        TableMeta(
            id="t08_art60_timing",
            number=8,
            kind="stats",
            row_var="trajectory",
            title="Days from intake to the start of art. 60"
            if en
            else "Duurtijd tussen intake en start artikel 60 per traject",
            notes=["SD with n-1." if en else "S = standaardafwijking (n-1)."],
        ),
        tables_dir,
    )
    ids.append("t08_art60_timing")

    model = pd.DataFrame(
        {
            "variable": ["trajectory"] * 3,
            "covariate": ["Traject"] * 3,
            "level": ["VDAB", "SD/Activering", "Lineair"],
            "reference": [True, False, False],
            "n": [50, 40, 30],
            "hr": [1.0, 3.17, 0.67],
            "ci_low": [None, 2.56, 0.55],
            "ci_high": [None, 3.94, 0.81],
            "p": [None, 0.0, 0.0001],
        }
    )
    write_table(
        model,
        TableMeta(
            id="cox_art60",
            kind="stats",
            title="Cox model" if en else "Cox-model: tijd tot eerste artikel 60",
            notes=["Efron ties."],
        ),
        tables_dir,
    )
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
        json.dumps(
            {
                "caption": {
                    "nl": "Een extra figuur met bijschrift.",
                    "en": "An extra figure with a caption.",
                }
            }
        ),
        encoding="utf-8",
    )
    return names


def make_qa(qa_dir: Path) -> None:
    qa_dir.mkdir(parents=True, exist_ok=True)
    pd.DataFrame(
        {
            "export": ["clients", "vdab"],
            "file": ["data/raw/a.csv", "data/raw/b.csv"],
            "rows_read": [250, 260],
            "linked": [240, 238],
            "unmatched": [0, 20],
            "duplicate": [4, 0],
            "out_of_window": [6, 0],
            "rejected": [0, 2],
        }
    ).to_csv(qa_dir / "linkage.csv", index=False)
    pd.DataFrame(
        {"export": ["vdab"], "note": ["rejected: conflicting status codes"], "n": [2]}
    ).to_csv(qa_dir / "linkage_notes.csv", index=False)
    pd.DataFrame(
        {
            "check": ["art60_running_no_work"] * 3,
            "description": ["art. 60 loopt, VDAB zegt geen werk"] * 3,
            "group_var": ["Totaal", "trajectory", "trajectory"],
            "group": ["Totaal", "VDAB", "Lineair"],
            "n_clients": [240, 72, 12],
            "n_flagged": [17, 5, 3],
            "pct": [7.1, 6.9, 25.0],
        }
    ).to_csv(qa_dir / "disagreements.csv", index=False)
    pd.DataFrame(
        {
            "export": ["vdab"],
            "distinct_keys": [260],
            "unmatched_keys": [20],
            "unmatched_rows": [20],
            "out_of_window_keys": [0],
        }
    ).to_csv(qa_dir / "unmatched.csv", index=False)


MANIFEST = {
    "inputs": [
        {"path": "data/raw/a.csv", "sha256": "ab" * 32, "bytes": 1234},
        {"path": "data/raw/b.csv", "sha256": "cd" * 32, "bytes": 5678},
    ],
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
            pct[label] = [
                float(p) for c, p in zip(part["col"], part["pct"], strict=True) if c != "Totaal"
            ]
        return rows, pct

    rows5, pct5 = cross(t05, {})
    rows14, _ = cross(t14, {"Niet geregistreerd": ""})
    t08_rows = {
        ("SD/activering" if r == "SD/Activering" else r): [
            int(n),
            int(round_half_up(m, 0)),
            int(round_half_up(s, 0)),
        ]
        for r, n, m, s in zip(
            t08["trajectory"],
            t08["n"].astype(int),
            t08["mean_days"].astype(float),
            t08["sd_days"].astype(float),
            strict=True,
        )
    }
    # 588.5 is printed 589: half-up, not banker's rounding
    reference = {
        "tables": {
            "t05_cohort_work": {
                "title": "Timing intake en tewerkstelling",
                "rows": rows5,
                "pct": pct5,
            },
            "t14_nt2_work": {"title": "Taalniveau NT2 en tewerkstelling", "rows": rows14},
            "t08_art60_timing": {
                "title": "Duurtijd",
                "columns": ["n", "mean_days", "sd_days"],
                "rows": t08_rows,
            },
            "t04_work_status": {
                "title": "Hercodeerd",
                "total": int(t04["n"].iloc[-1]),
                "rows": {
                    r: [int(n), float(p)]
                    for r, n, p in zip(t04["row"][:-1], t04["n"][:-1], t04["pct"][:-1], strict=True)
                },
            },
            "t02_vdab_status": {
                "title": "Status",
                "total": 240,
                "rows": {
                    0: ["Uitkeringsgerechtigd volledig werkloos", 60, 25.0],
                    5: ["Verplicht ingeschreven O.C.M.W.", 100, 41.7],
                },
            },
        }
    }
    import yaml

    text = yaml.safe_dump(reference, allow_unicode=True, sort_keys=False)
    path.write_text(text, encoding="utf-8")
    return path


COHORTS = ["Voorjaar 2017", "Najaar 2017"]
STATUSES = ["Werk", "Geen werk", "Onbekend"]


def _lang(nl: str, en: str, language: str) -> str:
    return en if language == "en" else nl


def make_analysis_tables(tables_dir: Path, language: str = "nl") -> list[str]:
    """The further analyses as the survival and longitudinal stages write them (columns, notes
    that name columns, a decimal point in a note, a group of 12 clients, a long transitions
    table), in `language`."""
    en = language == "en"
    label = (
        (
            lambda v: EN.get(
                v,
                {
                    "Geen werk": "No work",
                    "Onbekend": "Unknown",
                    "Uitgeschreven": "Deregistered",
                }.get(v, v),
            )
        )
        if en
        else (lambda v: v)
    )
    total = label("Totaal")
    write_table(
        pd.DataFrame(
            {
                "group": [label(c) for c in COHORTS] + [total],
                "n": [150, 12, 162],
                "events": [60, 3, 63],
                "censored": [90, 9, 99],
                "followup_max_days": [1184, 1002, 1184],
                "median_days": [420.0, None, 430.0],
                "median_ci_low_days": [380.0, None, 390.0],
                "median_ci_high_days": [470.0, None, 480.0],
                "median_months": [13.8, None, 14.1],
                "pct_started_6m": [5.4, 0.0, 5.0],
                "pct_started_6m_ci_low": [2.7, None, 2.5],
                "pct_started_6m_ci_high": [10.6, None, 9.9],
                "pct_started_12m": [30.2, 16.7, 29.2],
                "pct_started_12m_ci_low": [23.1, 4.5, 22.6],
                "pct_started_12m_ci_high": [38.6, 48.3, 36.9],
                "pct_started_24m": [52.0, None, 51.0],
                "pct_started_24m_ci_low": [43.9, None, 43.0],
                "pct_started_24m_ci_high": [60.5, None, 59.4],
            }
        ),
        TableMeta(
            id="km_art60_cohort",
            kind="stats",
            row_var="cohort",
            title=_lang(
                "Tijd tot eerste artikel 60 per intakecohort (Kaplan-Meier)",
                "Time to a first art. 60 per intake cohort (Kaplan-Meier)",
                language,
            ),
            notes=[
                _lang(
                    "pct_started_Xm: geschat aandeel (%) gestart binnen X maanden na intake.",
                    "pct_started_Xm: estimated share (%) started within X months of intake.",
                    language,
                )
            ],
        ),
        tables_dir,
    )
    write_table(
        pd.DataFrame(
            {"group": [label(c) for c in COHORTS], "0": [150, 12], "6": [120, 8], "12": [80, 3]}
        ),
        TableMeta(
            id="km_art60_cohort_at_risk",
            kind="stats",
            row_var="cohort",
            title=_lang(
                "Aantal at risk per intakecohort", "Number at risk per intake cohort", language
            ),
            notes=[
                _lang(
                    "Zoals onder de figuur km_art60_cohort.",
                    "As under the figure km_art60_cohort.",
                    language,
                )
            ],
        ),
        tables_dir,
    )
    write_table(
        pd.DataFrame(
            {
                "group": [label(c) for c in COHORTS] + [total],
                "n": [60, 3, 63],
                "mean_days": [401.5, 250.0, 394.3],
                "sd_days": [120.2, 80.1, 121.0],
                "median_days": [400.0, 240.0, 395.0],
                "q1_days": [320.0, 200.0, 310.0],
                "q3_days": [480.0, 300.0, 470.0],
                "min_days": [20, 150, 20],
                "max_days": [900, 330, 900],
            }
        ),
        TableMeta(
            id="art60_timing_cohort",
            kind="stats",
            row_var="cohort",
            title=_lang(
                "Duurtijd tot artikel 60 per intakecohort (dagen)",
                "Days to art. 60 per intake cohort",
                language,
            ),
        ),
        tables_dir,
    )
    rows = []
    for group_var, groups in (("Totaal", [total]), ("cohort", [label(c) for c in COHORTS])):
        for group in groups:
            for start, end in (("2018-03-31", "2019-03-31"), ("2019-03-31", "2020-03-31")):
                for before in STATUSES:
                    counts = (
                        {"Werk": 40, "Geen werk": 70, "Onbekend": 4}
                        if before != "Onbekend"
                        else {"Werk": 1, "Geen werk": 2, "Onbekend": 1}
                    )
                    n_total = sum(counts.values())
                    for after, n in [*counts.items(), ("Totaal", n_total)]:
                        rows.append(
                            {
                                "group_var": group_var,
                                "group": group,
                                "from_date": start,
                                "to_date": end,
                                "from_status": label(before),
                                "to_status": label(after),
                                "n": n,
                                "pct": round(100 * n / n_total, 1),
                            }
                        )
    write_table(
        pd.DataFrame(rows),
        TableMeta(
            id="long_transitions",
            kind="stats",
            title=_lang(
                "Overgangen tussen opeenvolgende VDAB-momentopnames",
                "Transitions between consecutive VDAB snapshots",
                language,
            ),
            notes=[
                _lang("pct: van de rij (from_status).", "pct: of the row (from_status).", language)
            ],
        ),
        tables_dir,
    )
    status = []
    for cohort, months, date in (
        (COHORTS[0], 12, "2018-03-31"),
        (COHORTS[0], 24, "2019-03-31"),
        (COHORTS[1], 6, "2018-03-31"),
    ):
        for group, n in (
            ("Werk", 40),
            ("Uitgeschreven", 20),
            ("Geen werk", 88),
            ("Onbekend", 2),
            ("Totaal", 150),
        ):
            status.append(
                {
                    "cohort": label(cohort),
                    "reference_date": date,
                    "months_since_intake": months,
                    "status_group": label(group),
                    "n": n,
                    "pct": round(100 * n / 150, 1),
                    "n_recoded_work": n if group == "Werk" else 0,
                }
            )
    write_table(
        pd.DataFrame(status),
        TableMeta(
            id="long_status_by_months",
            kind="stats",
            title=_lang(
                "VDAB-status per intakecohort naar maanden sinds intake",
                "VDAB status per intake cohort by months since intake",
                language,
            ),
            notes=[
                _lang(
                    "Kolom n_recoded_work: als Werk hercodeerd.",
                    "Column n_recoded_work: recoded as Work.",
                    language,
                )
            ],
        ),
        tables_dir,
    )
    write_table(
        pd.DataFrame(
            {
                "group_var": ["Totaal", "cohort", "cohort"],
                "group": [total, label(COHORTS[0]), label(COHORTS[1])],
                "n": [162, 150, 12],
                "n_evaluable": [162, 150, 12],
                "n_work_ever": [90, 85, 5],
                "n_durable": [60, 57, 3],
                "pct_durable": [37.0, 38.0, 25.0],
                "pct_durable_of_work_ever": [66.7, 67.1, 60.0],
            }
        ),
        TableMeta(
            id="long_durable_work",
            kind="stats",
            title=_lang(
                "Duurzaam werk per intakecohort", "Durable work per intake cohort", language
            ),
            notes=[
                _lang(
                    "n_evaluable: cliënten met genoeg momentopnames.",
                    "n_evaluable: clients with enough snapshots.",
                    language,
                )
            ],
            extra={"durable_work": {"rule": "consecutive_snapshots", "k": 2, "months": 12.0}},
        ),
        tables_dir,
    )
    trajectories = [label(t) for t in TRAJECTORIES[:2]]
    write_table(
        pd.DataFrame(
            {
                "from_trajectory": [trajectories[0]] * 3 + [total] * 3,
                "to_trajectory": [*trajectories, total] * 2,
                "n": [0, 9, 9, 0, 9, 9],
                "pct": [0.0, 100.0, 100.0, 0.0, 100.0, 100.0],
            }
        ),
        TableMeta(
            id="traj_changes_matrix",
            kind="stats",
            title=_lang(
                "Trajectwijzigingen: van welk naar welk traject",
                "Trajectory changes: from which to which trajectory",
                language,
            ),
        ),
        tables_dir,
    )
    meta = json.loads((tables_dir / "meta" / "cox_art60.json").read_text(encoding="utf-8"))
    meta["notes"].append(
        _lang("761 gebeurtenissen; concordantie 0.670.", "761 events; concordance 0.670.", language)
    )
    (tables_dir / "meta" / "cox_art60.json").write_text(
        json.dumps(meta, ensure_ascii=False), encoding="utf-8"
    )
    return [
        "km_art60_cohort",
        "km_art60_cohort_at_risk",
        "art60_timing_cohort",
        "long_transitions",
        "long_status_by_months",
        "long_durable_work",
        "traj_changes_matrix",
    ]


def make_report_inputs(root: Path, language: str = "nl") -> dict:
    """Everything the report writers read, under `root`: the report-like tables (`make_tables`),
    the further analyses (`make_analysis_tables`), figures, QA files and a reference file."""
    tables_dir, figures_dir, qa_dir = root / "tables", root / "figures", root / "qa"
    ids = make_tables(tables_dir, language)
    analyses = make_analysis_tables(tables_dir, language)
    figures = make_figures(figures_dir)
    make_qa(qa_dir)
    reference = make_reference(tables_dir, root / "reference.yaml") if language == "nl" else None
    return {
        "tables_dir": tables_dir,
        "figures_dir": figures_dir,
        "qa_dir": qa_dir,
        "ids": ids,
        "analyses": analyses,
        "figures": figures,
        "reference": reference,
    }


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


def _shown_columns(frame: pd.DataFrame) -> list[str]:
    """The CSV columns a sheet shows, in order: `variable` repeats `covariate` and is left out."""
    return [
        c
        for c in frame.columns
        if not (c == "variable" and {"covariate", "comparison"} & set(frame.columns))
    ]


def _check_flat_sheet(ws, frame: pd.DataFrame) -> int:
    first = workbook.FIRST_TABLE_ROW
    checked = 0
    for i in range(len(frame)):
        for j, column in enumerate(_shown_columns(frame)):
            text = frame.at[i, column]
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
            if text == "":
                assert cell.value is None
    return checked


def _sheet_order(inputs: dict) -> list[str]:
    return sorted(inputs["ids"] + inputs["analyses"], key=lambda i: (not re.match(r"t\d", i), i))


def test_every_sheet_has_the_numbers_of_its_csv_table(inputs, tmp_path):
    out = workbook.write_workbook(inputs["tables_dir"], tmp_path / "tables.xlsx")
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["Inhoud", *_sheet_order(inputs)]
    total = expected = 0
    for table_id in _sheet_order(inputs):
        ws = book[table_id]
        frame = _csv_numbers(inputs["tables_dir"], table_id)
        _, meta = read_table(inputs["tables_dir"], table_id)
        assert meta["title"] in ws["A1"].value
        if meta.get("number"):
            assert ws["A1"].value.startswith(f"Tabel {meta['number']}. ")
        assert ws["A2"].value == table_id
        assert ws.freeze_panes is not None
        total += (_check_crosstab_sheet if meta["kind"] == "crosstab" else _check_flat_sheet)(
            ws, frame
        )
        expected += sum(
            _number_or_none(v) is not None
            for c in _shown_columns(frame)
            if c not in ("code", "row", "col")
            for v in frame[c]
        )
    assert total == expected > 300  # every number of every table was found where it belongs


def test_crosstab_sheet_layout_notes_and_formatting(inputs, tmp_path):
    book = openpyxl.load_workbook(
        workbook.write_workbook(inputs["tables_dir"], tmp_path / "t.xlsx")
    )
    ws = book["t05_cohort_work"]
    first = workbook.FIRST_TABLE_ROW
    assert ws.cell(first, 3).value == "Tewerkstelling"  # the column variable over its columns
    assert any(str(r) == f"C{first}:D{first}" for r in ws.merged_cells.ranges)
    assert ws.cell(first + 1, 1).value == "Intakecohort"
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
    warning = [
        c
        for c in (nt2.cell(r, 1) for r in range(first, nt2.max_row + 1))
        if "verwachte frequentie" in str(c.value)
    ]
    assert len(warning) == 1 and warning[0].font.i


def test_headers_are_what_people_read_never_csv_names(inputs, tmp_path):
    book = openpyxl.load_workbook(
        workbook.write_workbook(inputs["tables_dir"], tmp_path / "t.xlsx")
    )
    first = workbook.FIRST_TABLE_ROW
    for table_id in inputs["analyses"]:
        ws = book[table_id]
        frame = _csv_numbers(inputs["tables_dir"], table_id)
        headers = [ws.cell(first, c).value for c in range(1, ws.max_column + 1)]
        internal = [h for h in headers if h in frame.columns and "_" in h]
        assert internal == [], (table_id, internal)
    durable = book["long_durable_work"]
    assert [durable.cell(first, c).value for c in (1, 4, 8)] == [
        "Indeling",
        "Beoordeelbaar (N)",
        "% duurzaam van wie ooit werk had",
    ]
    assert (
        durable.cell(first + 1, 1).value == "Totaal"
        and durable.cell(first + 2, 1).value == "Intakecohort"
    )
    notes = [durable.cell(r, 1).value for r in range(first, durable.max_row + 1)]
    assert "‘Beoordeelbaar (N)’: cliënten met genoeg momentopnames." in notes
    cox = book["cox_art60"]
    assert [cox.cell(first, c).value for c in (1, 2)] == [
        "Kenmerk",
        "Categorie",
    ]  # not `variable` = age_group
    assert any(
        v and "concordantie 0,670" in v
        for v in (cox.cell(r, 1).value for r in range(first, cox.max_row + 1))
    )


def test_small_groups_are_marked(inputs, tmp_path):
    book = openpyxl.load_workbook(
        workbook.write_workbook(inputs["tables_dir"], tmp_path / "t.xlsx", small_group=20)
    )
    first = workbook.FIRST_TABLE_ROW
    km = book["km_art60_cohort"]
    labels = [km.cell(r, 1).value for r in range(first + 1, first + 4)]
    assert labels == ["Voorjaar 2017", "Najaar 2017 †", "Totaal"]
    assert km.cell(first + 2, 1).fill.fgColor.rgb.endswith("FFF2CC")
    notes = [km.cell(r, 1).value for r in range(first, km.max_row + 1)]
    assert any(
        n and n.startswith("Kleine groepen (minder dan 20 cliënten) zijn gemarkeerd met †")
        for n in notes
    )
    at_risk = book["km_art60_cohort_at_risk"]
    assert at_risk.cell(first + 2, 4).value == 3 and at_risk.cell(
        first + 2, 4
    ).fill.fgColor.rgb.endswith("FFF2CC")
    assert not str(at_risk.cell(first + 1, 4).fill.fgColor.rgb).endswith("FFF2CC")  # 80 at risk
    transitions = book[
        "long_transitions"
    ]  # its `n` counts a transition, not a group: nothing marked
    assert all(
        "†" not in str(transitions.cell(r, 1).value) for r in range(first, transitions.max_row + 1)
    )
    unmarked = openpyxl.load_workbook(
        workbook.write_workbook(inputs["tables_dir"], tmp_path / "u.xlsx")
    )
    assert unmarked["km_art60_cohort"].cell(first + 2, 1).value == "Najaar 2017"


def test_every_sheet_prints_on_a4_fitted_to_its_width_with_repeated_headers(inputs, tmp_path):
    reference = published.load_published(inputs["reference"])
    comparison = published.compare(reference, inputs["tables_dir"])
    book = openpyxl.load_workbook(
        workbook.write_workbook(inputs["tables_dir"], tmp_path / "p.xlsx", comparison=comparison)
    )
    for ws in book.worksheets:
        setup = ws.page_setup
        assert setup.paperSize == 9, ws.title  # A4
        fitted = (
            ws.sheet_properties.pageSetUpPr is not None
            and ws.sheet_properties.pageSetUpPr.fitToPage
        )
        assert (
            fitted and setup.fitToWidth in (None, 1) and setup.fitToHeight == 0 or setup.scale == 75
        ), ws.title
        assert ws.print_title_rows, ws.title
        assert "&P" in ws.oddFooter.center.text and "&N" in ws.oddFooter.center.text
    assert book["t04_work_status"].page_setup.orientation == "portrait"
    assert book["t05_cohort_work"].print_title_rows == "$4:$5"  # both header rows of a cross-tab
    assert book["Gepubliceerd vs herberekend"].print_title_rows == "$4:$4"


def test_print_setup_chooses_orientation_and_scale():
    assert workbook.print_setup([10, 30, 8, 8]) == workbook.PrintSetup(landscape=False, scale=None)
    wide = [12] * 14  # fits a landscape page fitted to its width, not a portrait one
    assert workbook.print_setup(wide) == workbook.PrintSetup(landscape=True, scale=None)
    widest = [14] * 30  # fitted to one page it would print below 75%: pages across at 75%
    assert workbook.print_setup(widest) == workbook.PrintSetup(landscape=True, scale=75)
    assert sum(workbook.column_width_mm(w) for w in widest) * 0.75 > workbook.LANDSCAPE_MM


def test_contents_sheet_links_every_table(inputs, tmp_path):
    book = openpyxl.load_workbook(
        workbook.write_workbook(inputs["tables_dir"], tmp_path / "t.xlsx")
    )
    ws = book["Inhoud"]
    links = {
        ws.cell(r, 2).value: ws.cell(r, 2).hyperlink
        for r in range(5, ws.max_row + 1)
        if ws.cell(r, 2).value
    }
    assert set(links) == set(inputs["ids"] + inputs["analyses"])
    assert all(
        link is not None and link.location and "!A1" in link.location for link in links.values()
    )
    numbers = [
        ws.cell(r, 1).value for r in range(5, ws.max_row + 1) if ws.cell(r, 1).value is not None
    ]
    assert sorted(numbers) == [2, 4, 5, 8, 14]


def test_byte_identical_on_rerun(inputs, tmp_path):
    reference = published.load_published(inputs["reference"])
    comparison = published.compare(reference, inputs["tables_dir"])
    comparison.loc[comparison.index[0], ["published", "match"]] = [
        -1.0,
        False,
    ]  # a marked cell with a comment
    a = workbook.write_workbook(
        inputs["tables_dir"], tmp_path / "a.xlsx", comparison=comparison, small_group=20
    )
    b = workbook.write_workbook(
        inputs["tables_dir"], tmp_path / "b.xlsx", comparison=comparison, small_group=20
    )
    assert a.read_bytes() == b.read_bytes()
    props = openpyxl.load_workbook(a).properties
    assert props.created.year == workbook.FIXED_CREATED.year


def test_published_versus_regenerated_sheet_marks_differences(inputs, tmp_path):
    reference = published.load_published(inputs["reference"])
    comparison = published.compare(reference, inputs["tables_dir"])
    assert comparison["match"].all()
    # make one published figure differ, as if the report had printed another number
    bad = comparison.index[
        (comparison["table_id"] == "t05_cohort_work") & (comparison["col"] == "Werk %")
    ][0]
    comparison.loc[bad, ["published", "match"]] = [99.9, False]
    book = openpyxl.load_workbook(
        workbook.write_workbook(inputs["tables_dir"], tmp_path / "c.xlsx", comparison=comparison)
    )
    assert book.sheetnames[-1] == "Gepubliceerd vs herberekend"
    ws = book["Gepubliceerd vs herberekend"]
    assert (
        f"{len(comparison)} gepubliceerde cijfers" in ws["A2"].value
        and "1 verschillend" in ws["A2"].value
    )
    header = workbook.FIRST_TABLE_ROW
    rows = list(ws.iter_rows(min_row=header + 1, values_only=False))
    assert len(rows) == len(comparison)
    flagged = [r for r in rows if r[6].value == "nee"]
    assert len(flagged) == 1
    assert flagged[0][3].value == 99.9 and flagged[0][0].value == "t05_cohort_work"
    assert flagged[0][3].fill.fgColor.rgb.endswith("F8D7DA")
    assert all(
        not r[3].fill.fgColor.rgb or not r[3].fill.fgColor.rgb.endswith("F8D7DA")
        for r in rows
        if r[6].value == "ja"
    )
    assert ws.freeze_panes == f"A{header + 1}"
    # the table sheet marks the cell, with the published figure in a comment
    table = book["t05_cohort_work"]
    marked = [
        c
        for row in table.iter_rows()
        for c in row
        if c.fill is not None and c.fill.fgColor.rgb and str(c.fill.fgColor.rgb).endswith("F8D7DA")
    ]
    assert len(marked) == 1 and marked[0].comment is not None and "99,9%" in marked[0].comment.text
    notes = [table.cell(r, 1).value for r in range(1, table.max_row + 1)]
    assert any(n and "1 van" in n and "verschillen" in n for n in notes)


def test_english_labels_titles_and_notes(tmp_path):
    inputs = make_report_inputs(tmp_path / "en", "en")
    book = openpyxl.load_workbook(
        workbook.write_workbook(inputs["tables_dir"], tmp_path / "en.xlsx", language="en")
    )
    assert book.sheetnames == ["Contents", *_sheet_order(inputs)]
    ws = book["t05_cohort_work"]
    assert ws["A1"].value == "Table 5. Timing of intake and employment"
    first = workbook.FIRST_TABLE_ROW
    assert ws.cell(first, 3).value == "Employment"
    assert [ws.cell(first + 1, c).value for c in (1, 3, 4, 5)] == [
        "Intake cohort",
        "No work or unknown",
        "Work",
        "Total",
    ]
    texts = [str(ws.cell(r, 1).value) for r in range(first, ws.max_row + 1)]
    assert any(t.startswith("Chi-square test: χ²(1) = ") for t in texts)
    assert "Row percentages." in texts
    timing = book["t08_art60_timing"]
    assert [timing.cell(first, c).value for c in range(1, 5)] == [
        "Trajectory",
        "N",
        "Mean (days)",
        "SD (days)",
    ]
    model = book["cox_art60"]
    assert model.cell(first, 3).value == "Reference"
    assert model.cell(first + 1, 3).value == "yes" and model.cell(first + 2, 3).value == "no"
    durable = book["long_durable_work"]
    assert durable.cell(first + 1, 1).value == "Total"  # the CSV's group_var says Totaal
    assert any(
        "concordance 0.670" in str(model.cell(r, 1).value) for r in range(first, model.max_row + 1)
    )


def test_sheet_names_are_valid_and_unique():
    names = workbook.sheet_names(["a" * 40, "a" * 40 + "b", "x/y:z", "inhoud"], reserved=["Inhoud"])
    values = list(names.values())
    assert all(len(v) <= 31 for v in values)
    assert len({v.lower() for v in values} | {"inhoud"}) == len(values) + 1
    assert names["x/y:z"] == "x_y_z"


def test_suppressed_counts_are_shown_as_written(tmp_path):
    """Tables with suppressed small cells ("<5"), as the public tables step writes them."""
    tables = tmp_path / "public"
    write_table(
        pd.DataFrame(
            {
                "row": ["A", "A", "A", "Totaal", "Totaal", "Totaal"],
                "col": ["Werk", "Geen werk of onbekend", "Totaal"] * 2,
                "n": ["<5", "12", "<5", "10", "12", "22"],
                "pct": ["", "80.0", "", "45.5", "54.5", "100.0"],
            }
        ),
        TableMeta(id="t99_masked", title="t99_masked", kind="crosstab", percent="row"),
        tables,
    )
    book = openpyxl.load_workbook(workbook.write_workbook(tables, tmp_path / "p.xlsx"))
    ws = book["t99_masked"]
    first = workbook.FIRST_TABLE_ROW
    assert ws["A1"].value == "t99_masked"
    assert [ws.cell(first + 2, c).value for c in range(1, 6)] == ["A", "N", "<5", 12, "<5"]
    assert ws.cell(first + 2, 3).alignment.horizontal == "right"
    assert ws.cell(first + 3, 3).value is None and ws.cell(first + 3, 4).value == 80.0


def test_a_table_without_its_metadata_is_refused_with_its_name(tmp_path):
    from cob_analysis.tables_io import TableMetaError

    tables = tmp_path / "public"
    tables.mkdir()
    pd.DataFrame({"row": ["A"], "n": [3]}).to_csv(tables / "t97_bare.csv", index=False)
    with pytest.raises(TableMetaError, match=r"t97_bare\.json"):
        workbook.write_workbook(tables, tmp_path / "p.xlsx")


def test_only_the_at_risk_row_of_a_risk_table_counts_as_a_group_size():
    from cob_analysis.report.layout import TableData, layout_table

    frame = pd.DataFrame(
        {
            "group": ["A", "A", "A"],
            "measure": ["at risk", "gestart", "gecensureerd"],
            "0": ["30", "0", "0"],
            "6": ["12", "5", "13"],
        }
    )
    lay = layout_table(TableData("km_x_risk_table", frame, {"kind": "stats"}), "nl", small_group=20)
    small = [[cell.small for cell in row.cells[2:]] for row in lay.body]
    assert small == [[False, True], [False, False], [False, False]]
    assert not any(row.small for row in lay.body)  # its rows are measures of one group, not groups
