"""End to end: the workflow on the demo exports reproduces every published table of the 2020 report.

The published figures live in src/cob_demo/report_2020_tables.yaml (test data, never read by the
pipeline's computations)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml
from workflow_runner import prepare, snakemake

from cob_analysis.tables_io import read_table, round_half_up

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = yaml.safe_load(
    (ROOT / "src" / "cob_demo" / "report_2020_tables.yaml").read_text(encoding="utf-8")
)
PUBLISHED = REFERENCE["tables"]
# The report's labels that differ from the canonical ones (spelling) or are empty.
LABELS = {"SD/activering": "SD/Activering", "": "Niet geregistreerd"}
CROSSTABS = [
    "t05_cohort_work",
    "t06_trajectory_work",
    "t11_gender_work",
    "t12_gender_household",
    "t13_household_work",
    "t14_nt2_work",
    "t15_agegroup_work",
    "t16_schooling_work",
]


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    workdir = prepare(tmp_path_factory.mktemp("demo"))
    result = snakemake(workdir)
    return workdir, result


@pytest.fixture(scope="module")
def tables(run):
    return run[0] / "reports" / "tables"


def canon(label) -> str:
    label = str(label)
    return LABELS.get(label, label)


@pytest.mark.parametrize("table_id", CROSSTABS)
def test_crosstab_counts_and_percentages(tables, table_id):
    frame, meta = read_table(tables, table_id)
    got = frame.set_index(["row", "col"])
    published = PUBLISHED[table_id]
    for row, cells in published["rows"].items():
        for col, n in cells.items():
            assert got.loc[(canon(row), col), "n"] == n, (table_id, row, col)
    columns = (
        ["Man", "Vrouw", "Totaal"]
        if table_id == "t12_gender_household"
        else ["Geen werk of onbekend", "Werk"]
    )
    for row, pcts in published.get("pct", {}).items():
        for col, pct in zip(columns, pcts, strict=True):
            assert got.loc[(canon(row), col), "pct"] == pct, (table_id, row, col)
    # no extra rows beyond the published ones
    assert set(frame["row"]) == {canon(r) for r in published["rows"]}
    assert meta["association"]["df"] is not None or len(published["rows"]) <= 2


def test_t02_status_codes(tables):
    frame, _ = read_table(tables, "t02_vdab_status")
    got = frame.set_index("code")
    for code, (_label, n, pct) in PUBLISHED["t02_vdab_status"]["rows"].items():
        assert got.loc[str(code), "n"] == n and got.loc[str(code), "pct"] == pct, code
    assert (
        frame.loc[frame["label"] == "Totaal", "n"].item() == PUBLISHED["t02_vdab_status"]["total"]
    )


def test_t04_work_status(tables):
    frame, _ = read_table(tables, "t04_work_status")
    got = frame.set_index("row")
    for label, (n, pct) in PUBLISHED["t04_work_status"]["rows"].items():
        assert (got.loc[label, "n"], got.loc[label, "pct"]) == (n, pct)
    assert got.loc["Totaal", "n"] == PUBLISHED["t04_work_status"]["total"]


def test_t07_art60_by_trajectory(tables):
    frame, _ = read_table(tables, "t07_art60_by_trajectory")
    got = frame.set_index("trajectory")
    columns = PUBLISHED["t07_art60_by_trajectory"]["columns"]
    for row, values in PUBLISHED["t07_art60_by_trajectory"]["rows"].items():
        for column, value in zip(columns, values, strict=True):
            assert float(got.loc[canon(row), column]) == value, (row, column)


def test_t08_art60_timing_at_printed_rounding(tables):
    frame, _ = read_table(tables, "t08_art60_timing")
    got = frame.set_index("trajectory")
    for row, (n, mean, sd) in PUBLISHED["t08_art60_timing"]["rows"].items():
        assert int(got.loc[canon(row), "n"]) == n
        assert round_half_up(float(got.loc[canon(row), "mean_days"]), 0) == mean, row
        assert round_half_up(float(got.loc[canon(row), "sd_days"]), 0) == sd, row


def test_t09_twe_results(tables):
    frame, _ = read_table(tables, "t09_twe_result")
    got = frame.set_index("row")
    published = PUBLISHED["t09_twe_result"]
    for label, (n, pct) in published["rows"].items():
        assert got.loc[label, "n"] == n
        assert (
            round_half_up(100 * n / published["total"], 0) == pct
        )  # the report prints whole percentages
    assert got.loc["Totaal", "n"] == published["total"]


def test_t10_employers(tables):
    frame, meta = read_table(tables, "t10_art60_employers")
    published = PUBLISHED["t10_art60_employers"]
    assert dict(zip(frame["row"], frame["n"], strict=True)) == published["rows"]
    assert meta["extra"]["n_distinct_employers"] == published["n_distinct_employers"]


def test_clients_parquet_has_contract_columns_and_population(run):
    clients = pd.read_parquet(run[0] / "data" / "processed" / "clients.parquet")
    contract = [
        "client_key",
        "intake_date",
        "cohort",
        "trajectory",
        "gender",
        "age_at_intake",
        "age_group",
        "nationality",
        "continent",
        "household",
        "nt2_level",
        "schooling",
        "reference_date",
        "status_code",
        "work_status",
        "art60_started",
        "art60_first_start",
        "days_to_art60",
        "art60_count",
        "art60_last_employer",
        "twe_last_end",
        "twe_last_result",
    ]
    assert set(contract) <= set(clients.columns)
    assert len(clients) == REFERENCE["population"]["n_clients"]
    assert clients["client_key"].is_unique
    panel = pd.read_parquet(run[0] / "data" / "processed" / "status_panel.parquet")
    assert {"client_key", "reference_date", "status_code", "work_status"} <= set(panel.columns)


def test_linkage_accounts_for_every_row(run):
    linkage = pd.read_csv(run[0] / "reports" / "qa" / "linkage.csv")
    classes = ["linked", "unmatched", "duplicate", "out_of_window", "rejected"]
    assert (linkage[classes].sum(axis=1) == linkage["rows_read"]).all()
    got = linkage.set_index("export")
    assert got.loc["clients", "linked"] == REFERENCE["population"]["n_clients"]
    assert got.loc["clients", "duplicate"] > 0 and got.loc["clients", "out_of_window"] > 0
    assert got.loc["vdab", "unmatched"] > 0
    from cob_analysis.report.html import linkage_note_text

    notes = pd.read_csv(run[0] / "reports" / "qa" / "linkage_notes.csv")
    assert all(
        linkage_note_text(note, "nl") != note for note in notes["note"]
    )  # each has its Dutch text


def test_demo_run_says_it_uses_the_demo_key(run):
    log = (run[0] / "logs" / "ingest" / "clients.log").read_text(encoding="utf-8")
    assert "PUBLISHED demo key" in log


def _raw_identifiers(workdir: Path) -> tuple[set[str], set[str]]:
    """National register numbers (both spellings) and birth dates found in the raw demo exports."""
    from cob_analysis.ingest import insz
    from cob_analysis.ingest.readers import read_export

    numbers, births = set(), set()
    for path in (workdir / "data" / "raw").iterdir():
        frame = read_export(path, sheet="Art60" if path.suffix == ".xlsx" else None).to_pandas()
        for column in frame.columns:
            if column in ("INSZ", "Rijksregisternummer"):
                for value in frame[column].dropna().astype(str):
                    norm = insz.normalise(value)
                    numbers |= {norm, insz.format_dotted(norm), value}
            if column == "Geboortedatum":
                for value in frame[column].replace("", None).dropna().astype(str):
                    day, month, year = value.split("/")
                    births |= {value, f"{year}-{month}-{day}"}
    return numbers, births


def test_nothing_personal_is_written(run):
    workdir = run[0]
    numbers, births = _raw_identifiers(workdir)
    assert len(numbers) > 1000 and len(births) > 1000
    written = [
        p for d in ("data/processed", "reports") for p in (workdir / d).rglob("*") if p.is_file()
    ]
    assert written
    hits = []
    for path in written:
        if path.suffix == ".parquet":
            text = pd.read_parquet(path).to_csv(index=False)
        elif path.suffix in (".png", ".xlsx", ".zip"):
            continue  # binary; their content comes from the tables and figures checked here
        else:
            text = path.read_text(encoding="utf-8", errors="replace")
        for token in numbers | births:
            if token in text:
                hits.append((path.name, token[:4] + "..."))
                break
    assert hits == []


def test_same_inputs_give_identical_bytes(run, tmp_path_factory):
    first = run[0]
    second = prepare(tmp_path_factory.mktemp("again"))
    snakemake(second)
    outputs = [
        p.relative_to(first)
        for d in ("data/processed", "reports/tables", "reports/public", "reports/qa")
        for p in (first / d).rglob("*")
        if p.is_file() and p.suffix in (".csv", ".json", ".parquet")
    ]
    outputs += [Path("reports/tables.xlsx")] + [
        p.relative_to(first) for p in (first / "reports" / "figures").iterdir()
    ]
    assert len(outputs) > 30
    different = [str(p) for p in outputs if (first / p).read_bytes() != (second / p).read_bytes()]
    assert different == []


def _planned_rules(workdir: Path) -> set[str]:
    result = snakemake(workdir, "--dry-run", "--quiet", "rules")
    rules = set()
    for line in result.stdout.splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[1].isdigit():
            rules.add(parts[0])
    return rules - {"total", "job"}


def test_editing_the_recoding_table_reruns_only_what_follows(run, tmp_path_factory):
    import shutil

    workdir = tmp_path_factory.mktemp("rerun") / "w"
    shutil.copytree(run[0], workdir, symlinks=True)
    assert _planned_rules(workdir) == set()
    recode = workdir / "config" / "recode" / "vdab_status.csv"
    recode.write_text(
        recode.read_text(encoding="utf-8").replace(
            "Report only: no public definition found.", "Reviewed again."
        ),
        encoding="utf-8",
    )
    planned = _planned_rules(workdir)
    assert "recode_status" in planned and "link_clients" in planned and "report_tables" in planned
    assert "ingest" not in planned


def test_documents_show_published_beside_regenerated_without_differences(run):
    from openpyxl import load_workbook

    from cob_analysis.published import compare, load_published

    reports = run[0] / "reports"
    comparison = compare(
        load_published(ROOT / "src" / "cob_demo" / "report_2020_tables.yaml"), reports / "tables"
    )
    assert len(comparison) > 300 and comparison["match"].all()
    html = (reports / "report.html").read_text(encoding="utf-8")
    for table_id in PUBLISHED:
        assert f'id="{table_id}"' in html
    book = load_workbook(reports / "tables.xlsx", read_only=True)
    assert len(book.sheetnames) >= len(PUBLISHED) + 2
    assert (reports / "manifest.json").exists()


def test_a_new_vdab_snapshot_reruns_only_what_depends_on_it(run, tmp_path_factory):
    import shutil

    workdir = tmp_path_factory.mktemp("snapshot") / "w"
    shutil.copytree(run[0], workdir, symlinks=True)
    vdab = workdir / "data" / "raw" / "vdab_werkzoekendenstatus.csv"
    lines = vdab.read_bytes().decode("utf-8-sig").splitlines()
    extra = [line.replace("31/03/2021", "30/09/2021") for line in lines[1:] if "31/03/2021" in line]
    vdab.write_bytes(("\ufeff" + "\r\n".join(lines + extra) + "\r\n").encode("utf-8"))
    result = snakemake(workdir, "--dry-run", "--quiet", "rules")
    counts = {
        p[0]: int(p[1])
        for p in (line.split() for line in result.stdout.splitlines())
        if len(p) == 2 and p[1].isdigit()
    }
    assert counts.get("ingest") == 1  # only the VDAB export, not the other four
    assert {"recode_status", "link_clients", "longitudinal"} <= set(counts)
    assert counts.get("longitudinal_cohort") == 4  # one job per intake cohort, run in parallel


def test_the_longitudinal_view_is_split_by_intake_cohort(run):
    processed = run[0] / "data" / "processed" / "longitudinal"
    assert sorted(p.name for p in processed.iterdir()) == [
        "najaar-2017",
        "najaar-2018",
        "voorjaar-2017",
        "voorjaar-2018",
    ]
    for cohort in processed.iterdir():
        assert {p.name for p in cohort.iterdir()} == {
            "grid.parquet",
            "durable.parquet",
            "intervals.parquet",
            "parts.json",
        }
    log = (run[0] / "logs" / "longitudinal_cohort" / "voorjaar-2017.log").read_text(
        encoding="utf-8"
    )
    assert "longitudinal_cohort Voorjaar 2017:" in log
