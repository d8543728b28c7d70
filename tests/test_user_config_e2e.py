"""End to end as an analyst runs it: their own exports and config in a folder of their own.

The exports are the demo's rows, moved four years later (1461 days, so every day difference and
every month-day stays), under other file names, headers, formats and date formats, without a TWE
or trajectory-change export; the config gives only what the README asks for. The run is started
exactly as the README says (`cob-analysis run --config my.yaml` in the study folder). Nothing of
the demo may be read, compared or named; the tables that do not depend on calendar dates or ages
must equal the demo's."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pandas as pd
import pytest
import yaml
from workflow_runner import prepare, snakemake

from cob_analysis.tables_io import read_table

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"
SHIFT = pd.Timedelta(days=1461)
USER_KEY = "a-secret-key-of-the-study-service-0123"
DEMO_YEARS = re.compile(r"(?<![\d.,])20(17|18|19|20)(?![\d])")


def _shift(text: pd.Series, fmt: str = "%d/%m/%Y") -> pd.Series:
    return pd.to_datetime(text, format=fmt) + SHIFT


def write_user_exports(folder: Path) -> None:
    """The demo rows four years later, as another service would export them."""
    folder.mkdir(parents=True)
    clients = pd.read_csv(
        RAW / "sd_intakes_2017_2018.csv",
        sep=";",
        encoding="cp1252",
        dtype=str,
        keep_default_na=False,
    )
    clients["Datum intake"] = _shift(clients["Datum intake"]).dt.strftime("%Y-%m-%d")
    clients["Geboortedatum"] = (
        pd.to_datetime(clients["Geboortedatum"], format="%d/%m/%Y", errors="coerce")
        .dt.strftime("%Y-%m-%d")
        .fillna("")
    )
    clients = clients.rename(
        columns={
            "INSZ": "Rijksregisternr",
            "Datum intake": "Intakedatum",
            "Traject": "Trajecttype",
            "Geslacht": "Sexe",
            "Geboortedatum": "Geb. datum",
            "Gezinssituatie": "Gezin",
            "NT2 niveau intake": "NT2",
            "Scholing land van herkomst": "Scholing",
        }
    )
    clients = clients.drop(columns=["Continent"])
    clients.to_excel(folder / "Intakes COB (export 2024).xlsx", sheet_name="Intakes", index=False)

    art60 = pd.read_excel(RAW / "ocmw_art60_contracten.xlsx", sheet_name="Art60", dtype=object)
    for column in ("Begindatum", "Einddatum"):
        art60[column] = pd.to_datetime(art60[column], dayfirst=True) + SHIFT
    art60 = art60.rename(
        columns={"Rijksregisternummer": "rrn", "Begindatum": "start", "Einddatum": "einde"}
    )
    art60["rrn"] = art60["rrn"].astype(str)
    art60.to_parquet(folder / "art60 contracten.parquet", index=False)

    vdab = pd.read_csv(
        RAW / "vdab_werkzoekendenstatus.csv",
        sep=";",
        encoding="utf-8-sig",
        dtype=str,
        keep_default_na=False,
    )
    vdab["Referentiedatum"] = _shift(vdab["Referentiedatum"]).dt.strftime("%Y-%m-%d")
    vdab = vdab.drop(columns=["Omschrijving categorie"]).rename(
        columns={"Categorie werkzoekende": "Code"}
    )
    vdab.to_csv(folder / "vdab_status.txt", sep="\t", index=False, encoding="utf-8")


def write_user_config(study: Path) -> Path:
    """Only what the README asks for: paths, headers, value maps of the non-canonical values,
    the period. No TWE, no trajectory changes, no demo key, no reference figures."""
    config = {
        "exports": {
            "clients": {
                "path": "exports/Intakes COB (export 2024).xlsx",
                "sheet": "Intakes",
                "columns": {
                    "client_id": "Rijksregisternr",
                    "intake_date": "Intakedatum",
                    "trajectory": "Trajecttype",
                    "gender": "Sexe",
                    "birth_date": "Geb. datum",
                    "nationality": "Nationaliteit",
                    "household": "Gezin",
                    "nt2_level": "NT2",
                    "schooling": "Scholing",
                    "country_of_birth": "Geboorteland",
                },
            },
            "art60": {
                "path": "exports/art60 contracten.parquet",
                "columns": {
                    "client_id": "rrn",
                    "start_date": "start",
                    "end_date": "einde",
                    "employer": "Werkgever",
                },
            },
            "vdab": {
                "path": "exports/vdab_status.txt",
                "columns": {
                    "client_id": "INSZ",
                    "reference_date": "Referentiedatum",
                    "status_code": "Code",
                },
            },
        },
        "values": {
            "trajectory": {
                "Geïntegreerd via VDAB": "VDAB",
                "Geïntegreerd via Activering": "SD/Activering",
                "Lineair traject": "Lineair",
            },
            "gender": {"M": "Man", "V": "Vrouw"},
            "household": {
                "Aanvrager met gezin ten laste": "Aanvragers met gezin ten laste",
                "Samenwonend": "Samenwoner",
            },
            "schooling": {
                "Geen scholing": "Geen",
                "Laaggeschoold": "Laag",
                "Middengeschoold": "Midden",
                "Hooggeschoold": "Hoog",
            },
        },
        "intake_window": {"from": "2021-01-01", "to": "2022-12-31"},
        "reference_date": "2024-03-31",
        "output": {"processed": "results/data", "reports": "results/reports"},
    }
    path = study / "my.yaml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def cob_analysis(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = dict(
        os.environ,
        COB_PSEUDO_KEY=USER_KEY,
        PATH=os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", ""),
    )
    return subprocess.run(
        [sys.executable, "-m", "cob_analysis", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
    )


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    workdir = prepare(tmp_path_factory.mktemp("demo"))
    snakemake(workdir)
    return workdir / "reports"


@pytest.fixture(scope="module")
def study(tmp_path_factory):
    study = tmp_path_factory.mktemp("study 2024")  # a space in the folder name on purpose
    write_user_exports(study / "exports")
    write_user_config(study)
    # leftovers of an earlier run in the same output folders: a cohort outside this window, a
    # staged export this config does not name, an old Snakemake report
    stale = [
        study / "results" / "data" / "longitudinal" / "voorjaar-2017" / "parts.json",
        study / "results" / "data" / "staging" / "twe.parquet",
        study / "results" / "reports" / "workflow-report.zip",
    ]
    for path in stale:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("from an earlier run", encoding="utf-8")
    result = cob_analysis("run", "--config", "my.yaml", "--cores", "2", cwd=study)
    if result.returncode != 0:
        raise AssertionError(f"run failed:\n{result.stdout[-3000:]}\n{result.stderr[-6000:]}")
    return study, result


def test_nothing_of_the_demo_is_read(study):
    folder, _ = study
    manifest = json.loads(
        (folder / "results" / "reports" / "manifest.json").read_text(encoding="utf-8")
    )
    read = [Path(entry["path"]).name for entry in manifest["inputs"]]
    assert sorted(read) == sorted(
        [
            "Intakes COB (export 2024).xlsx",
            "art60 contracten.parquet",
            "vdab_status.txt",
            "vdab_status.csv",
        ]
    )
    assert manifest["config"]["reference_figures"] is None
    assert manifest["config"]["pseudonymisation"]["allow_demo_key"] is False
    assert manifest["config"]["config_files"] == ["my.yaml"]
    linkage = pd.read_csv(folder / "results" / "reports" / "qa" / "linkage.csv")
    assert list(linkage["export"]) == ["clients", "art60", "vdab"]
    assert not (folder / "data").exists() and not (folder / "reports").exists()


def test_no_output_of_an_earlier_run_stays_beside_the_new_ones(study):
    folder, _ = study
    assert not (folder / "results" / "data" / "longitudinal" / "voorjaar-2017").exists()
    assert not (folder / "results" / "data" / "staging" / "twe.parquet").exists()
    cohorts = sorted(p.name for p in (folder / "results" / "data" / "longitudinal").iterdir())
    assert cohorts == ["najaar-2021", "najaar-2022", "voorjaar-2021", "voorjaar-2022"]
    with zipfile.ZipFile(
        folder / "results" / "reports" / "workflow-report.zip"
    ) as archive:  # rebuilt
        assert any(name.endswith("report.html") for name in archive.namelist())


def test_tables_equal_the_demo_where_calendar_and_age_do_not_matter(study, demo):
    folder, _ = study
    tables = folder / "results" / "reports" / "tables"
    for table_id in (
        "t02_vdab_status",
        "t04_work_status",
        "t06_trajectory_work",
        "t07_art60_by_trajectory",
        "t08_art60_timing",
        "t10_art60_employers",
        "t11_gender_work",
        "t12_gender_household",
        "t13_household_work",
        "t14_nt2_work",
        "t16_schooling_work",
    ):
        got, _ = read_table(tables, table_id)
        want, _ = read_table(demo / "tables", table_id)
        pd.testing.assert_frame_equal(got, want, check_dtype=False, obj=table_id)
    got, meta = read_table(tables, "t05_cohort_work")
    want, _ = read_table(demo / "tables", "t05_cohort_work")
    relabel = {
        f"{season} {year}": f"{season} {year + 4}"
        for season in ("Voorjaar", "Najaar")
        for year in (2017, 2018)
    }
    pd.testing.assert_frame_equal(got, want.replace({"row": relabel}), check_dtype=False)


def test_absent_twe_export_is_said_and_the_window_follows_the_study(study):
    folder, _ = study
    frame, meta = read_table(folder / "results" / "reports" / "tables", "t09_twe_result")
    assert frame.loc[frame["row"] == "Totaal", "n"].item() == 0
    assert any("Geen TWE-export" in note for note in meta["notes"])
    disagreements = pd.read_csv(folder / "results" / "reports" / "qa" / "disagreements.csv")
    assert "twe_work_result_no_work" not in set(disagreements["check"])


def _visible_text(html: str) -> str:
    """The page's text: figures (SVG path data) and markup left out."""
    html = re.sub(r"<svg.*?</svg>|<style.*?</style>|<script.*?</script>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def test_no_output_names_the_demo_period(study):
    folder, _ = study
    reports = folder / "results" / "reports"
    texts = {"report.html": _visible_text((reports / "report.html").read_text(encoding="utf-8"))}
    texts.update(
        {
            path.name: path.read_text(encoding="utf-8")
            for path in sorted((reports / "tables" / "meta").glob("*.json"))
        }
    )
    for name, text in texts.items():
        found = [text[max(0, m.start() - 60) : m.end() + 20] for m in DEMO_YEARS.finditer(text)]
        assert not found, (name, found[:5])


def test_init_config_on_the_demo_exports_then_filled_in_reproduces_the_demo_tables(tmp_path, demo):
    """The starter from the demo exports guesses every column and value; with the two settings
    a user takes from the study design (its intake window, reference date and TWE window) and the demo key, the
    run gives the demo's tables."""
    study = prepare(tmp_path / "study")  # the demo exports under data/raw, as a user has them
    result = cob_analysis(
        "init-config",
        "--clients",
        "data/raw/sd_intakes_2017_2018.csv",
        "--art60",
        "data/raw/ocmw_art60_contracten.xlsx",
        "--twe",
        "data/raw/twe_trajecten.csv",
        "--vdab",
        "data/raw/vdab_werkzoekendenstatus.csv",
        "--trajectory-changes",
        "data/raw/trajectwijzigingen.csv",
        "--out",
        "my.yaml",
        cwd=study,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    text = (study / "my.yaml").read_text(encoding="utf-8")
    assert "FILL IN" not in "\n".join(
        line for line in text.splitlines() if not line.startswith("#")
    )
    starter = yaml.safe_load(text)
    demo_config = yaml.safe_load((ROOT / "config" / "config.yaml").read_text(encoding="utf-8"))
    for name, export in demo_config["exports"].items():
        assert starter["exports"][name]["columns"] == export["columns"], name
    for key in ("intake_window", "reference_date", "observation_end", "twe_result_window"):
        starter[key] = demo_config[key]
    starter["pseudonymisation"]["allow_demo_key"] = True
    (study / "my.yaml").write_text(yaml.safe_dump(starter, allow_unicode=True), encoding="utf-8")
    env_less_key = {k: v for k, v in os.environ.items() if k != "COB_PSEUDO_KEY"}
    env_less_key["PATH"] = (
        os.path.dirname(sys.executable) + os.pathsep + env_less_key.get("PATH", "")
    )
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "cob_analysis",
            "run",
            "--config",
            "my.yaml",
            "--cores",
            "2",
            "--no-report",
        ],
        cwd=study,
        env=env_less_key,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr[-4000:]
    for path in sorted((demo / "tables").glob("*.csv")):
        assert (study / "reports" / "tables" / path.name).read_bytes() == path.read_bytes(), (
            path.name
        )


def test_a_config_error_is_one_message_without_the_config(tmp_path):
    study = tmp_path / "study"
    write_user_exports(study / "exports")
    config_path = write_user_config(study)
    config = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    del config["values"]["gender"]
    config_path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    result = cob_analysis("run", "--config", "my.yaml", "--cores", "1", "--no-report", cwd=study)
    assert result.returncode != 0
    tail = result.stderr[result.stderr.rindex("cob-analysis: the run stopped:") :]
    assert "column 'Sexe'" in tail and "'M'" in tail and "Man, Vrouw" in tail
    assert '"exports"' not in result.stderr and "intake_window" not in result.stderr
