"""Hostile and broken exports: each case changes one thing in a small seeded set of exports
(tests/hostile.py) and runs the pipeline's commands. The run either refuses with a named error
(file, column, what to change; exit code 2, no traceback) or gives correct, counted results;
in both cases no register number, birth date or name appears in what it prints or writes."""

from __future__ import annotations

import errno
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from hostile import Exports, config_for, leaks, run_pipeline

from cob_analysis.ingest import insz

KEY = "hostile-inputs-key-0123456789"


@pytest.fixture(autouse=True)
def _key(monkeypatch, _no_env_key):
    monkeypatch.setenv("COB_PSEUDO_KEY", KEY)


@pytest.fixture
def exports():
    return Exports.make()


def run_case(tmp_path, exports, capsys, steps=None, **overrides):
    paths = exports.write(tmp_path / "raw")
    config = config_for(paths, tmp_path / "out", **overrides)
    kwargs = {"steps": steps} if steps else {}
    code = run_pipeline(config, tmp_path / "out", **kwargs)
    console = capsys.readouterr()
    text = console.out + console.err
    found = leaks(exports.secrets(), text, folders=(tmp_path / "out",))
    assert not found, f"leaked: {found[:3]}"
    assert "Traceback" not in text
    return code, text, tmp_path / "out"


def refused(code, text, *fragments):
    assert code == 2, text[-2000:]
    message = next(line for line in text.splitlines() if " stopped: " in line)
    for fragment in fragments:
        assert fragment in message, (fragment, message)
    return message


def clients_of(out: Path) -> pd.DataFrame:
    return pd.read_parquet(out / "processed" / "clients.parquet")


# the clean set runs and counts every row -------------------------------------------------


def test_the_clean_set_runs_and_hides_everything(tmp_path, exports, capsys):
    code, _, out = run_case(tmp_path, exports, capsys)
    assert code == 0
    linkage = pd.read_csv(out / "reports" / "qa" / "linkage.csv").set_index("export")
    assert linkage.loc["clients", "linked"] == 200


# leaks of personal data ------------------------------------------------------------------


def test_a_truncated_last_line_is_named_without_the_row(tmp_path, exports, capsys):
    paths = exports.write(tmp_path / "raw")
    text = paths["clients"].read_text(encoding="utf-8")
    paths["clients"].write_text(
        text.rstrip("\n") + '\n85.07.30-033.61;"01/02/2021;Lineair', encoding="utf-8"
    )
    code = run_pipeline(config_for(paths, tmp_path / "out"), tmp_path / "out", steps=("ingest",))
    console = capsys.readouterr()
    message = refused(code, console.err, "clients.csv")
    assert "85.07.30-033.61" not in console.err + console.out and "line" in message


def test_a_row_with_an_extra_field_is_named_without_the_row(tmp_path, exports, capsys):
    paths = exports.write(tmp_path / "raw")
    lines = paths["clients"].read_text(encoding="utf-8").splitlines()
    lines[5] += ";extra"
    paths["clients"].write_text("\n".join(lines) + "\n", encoding="utf-8")
    code = run_pipeline(config_for(paths, tmp_path / "out"), tmp_path / "out", steps=("ingest",))
    console = capsys.readouterr()
    refused(code, console.err, "clients.csv", "line 6")
    assert not leaks(exports.secrets(), console.err + console.out, folders=(tmp_path / "out",))


def test_a_column_mapped_to_the_register_numbers_shows_only_their_shape(tmp_path, exports, capsys):
    paths = exports.write(tmp_path / "raw")
    config = config_for(paths, tmp_path / "out")
    config["exports"]["clients"]["columns"]["household"] = "INSZ"
    code = run_pipeline(config, tmp_path / "out", steps=("ingest",))
    console = capsys.readouterr()
    message = refused(code, console.err, "column 'INSZ'", "unknown value", "99999999999")
    assert not leaks(exports.secrets(), console.err + console.out, folders=(tmp_path / "out",)), (
        message
    )


def test_a_column_mapped_to_the_birth_dates_shows_only_their_shape(tmp_path, exports, capsys):
    paths = exports.write(tmp_path / "raw")
    config = config_for(paths, tmp_path / "out")
    config["exports"]["clients"]["columns"]["schooling"] = "Geboortedatum"
    code = run_pipeline(config, tmp_path / "out", steps=("ingest",))
    console = capsys.readouterr()
    refused(code, console.err, "column 'Geboortedatum'", "99/99/9999")
    assert not leaks(exports.secrets(), console.err + console.out, folders=(tmp_path / "out",))


def test_a_register_number_in_the_employer_stops_the_run_unshown(tmp_path, exports, capsys):
    exports.art60.loc[3, "Werkgever"] = f"Interim {insz.normalise(exports.clients.loc[0, 'INSZ'])}"
    code, text, _ = run_case(tmp_path, exports, capsys)
    refused(
        code,
        text,
        "art60.csv",
        "column 'Werkgever'",
        "national register number",
        "ids_in_free_text",
    )


def test_a_register_number_in_the_employer_is_masked_and_counted(tmp_path, exports, capsys):
    exports.art60.loc[3, "Werkgever"] = (
        f"Interim {insz.format_dotted(insz.normalise(exports.clients.loc[0, 'INSZ']))}"
    )
    policies = {"ids_in_free_text": "mask"}
    code, _, out = run_case(tmp_path, exports, capsys, policies=policies)
    assert code == 0
    notes = pd.read_csv(out / "reports" / "qa" / "linkage_notes.csv").set_index("note")["n"]
    assert notes["national register numbers masked in Werkgever"] == 1
    employers = pd.read_csv(out / "reports" / "tables" / "t10_art60_employers.csv")["row"]
    assert any("[INSZ]" in str(e) for e in employers) or "Interim [INSZ]" not in set(
        clients_of(out)["art60_last_employer"]
    )


# injection ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "payload",
    [
        '=HYPERLINK("http://x.example","klik")',
        "+32 3 123",
        "-2+3",
        "@SUM(A1:A9)",
        "\tcmd|' /C calc'!A0",
    ],
)
def test_a_formula_in_a_text_cell_is_never_a_formula(tmp_path, exports, capsys, payload):
    exports.art60["Werkgever"] = payload
    code, _, out = run_case(tmp_path, exports, capsys)
    assert code == 0
    for path in (out / "reports").rglob("*.csv"):
        for line in path.read_text(encoding="utf-8").splitlines():
            for cell in line.split(","):
                assert not cell.strip('"').startswith(("=", "+", "@", "\t")), (path.name, cell)
    with zipfile.ZipFile(out / "reports" / "tables.xlsx") as archive:
        sheets = [
            archive.read(n).decode("utf-8")
            for n in archive.namelist()
            if n.startswith("xl/worksheets/")
        ]
    assert not any("<f>" in sheet for sheet in sheets)


@pytest.mark.parametrize(
    "payload", ["Syrië\x1b[31m", "\u202eairyS", "Afghan\u2066istan\u2069", "Zorg\x07\x08bedrijf"]
)
def test_control_characters_never_reach_an_output(tmp_path, exports, capsys, payload):
    exports.art60["Werkgever"] = payload
    code, text, out = run_case(tmp_path, exports, capsys)
    assert code == 0
    bad = ("\x1b", "\u202e", "\x00", "\u2066", "\u2069")
    for path in (out / "reports").rglob("*.csv"):
        assert not any(ch in path.read_text(encoding="utf-8") for ch in bad), path.name
    assert not any(ch in text for ch in bad)


def test_a_nul_character_in_a_csv_is_refused_and_named(tmp_path, exports, capsys):
    exports.art60["Werkgever"] = "Eri\x00trea"
    code, text, _ = run_case(tmp_path, exports, capsys, steps=("ingest",))
    refused(code, text, "art60.csv")


# silently wrong or wrongly refused ----------------------------------------------------------


def test_the_last_twe_still_running_reports_no_end_or_result(tmp_path, exports, capsys):
    person = exports.twe.loc[0, "INSZ"]
    later = pd.DataFrame([{"INSZ": person, "Start": "01/12/2021", "Einde": "", "Resultaat": ""}])
    exports.twe = pd.concat([exports.twe, later], ignore_index=True)
    code, _, out = run_case(tmp_path, exports, capsys)
    assert code == 0
    clients = clients_of(out)
    from cob_analysis.ingest.pseudonymise import pseudonym

    key = pseudonym(person, KEY.encode())
    row = clients.set_index("client_key").loc[key]
    assert pd.isna(row["twe_last_end"]) and pd.isna(row["twe_last_result"])


def test_the_last_art60_without_employer_reports_no_employer(tmp_path, exports, capsys):
    person = exports.art60.loc[0, "INSZ"]
    later = pd.DataFrame(
        [{"INSZ": person, "Begindatum": "15/12/2021", "Einddatum": "", "Werkgever": ""}]
    )
    exports.art60 = pd.concat([exports.art60, later], ignore_index=True)
    code, _, out = run_case(tmp_path, exports, capsys)
    assert code == 0
    from cob_analysis.ingest.pseudonymise import pseudonym

    row = clients_of(out).set_index("client_key").loc[pseudonym(person, KEY.encode())]
    assert pd.isna(row["art60_last_employer"]) and row["art60_count"] >= 2


def test_a_client_aged_16_is_in_no_age_group_and_counted(tmp_path, exports, capsys):
    exports.clients.loc[4, "Geboortedatum"] = "01/06/2005"
    code, _, out = run_case(tmp_path, exports, capsys)
    assert code == 0
    clients = clients_of(out)
    assert clients["age_group"].isna().sum() == 1
    notes = pd.read_csv(out / "reports" / "qa" / "linkage_notes.csv").set_index("note")["n"]
    assert notes["clients younger than 18 at intake (in no age group)"] == 1
    _, meta = __import__("cob_analysis.tables_io", fromlist=["read_table"]).read_table(
        out / "reports" / "tables", "t15_agegroup_work"
    )
    assert any("jonger dan 18" in note for note in meta["notes"])


def test_native_excel_dates_among_text_dates_are_dates(tmp_path, exports, capsys):
    exports.names["clients"] = "clients.xlsx"
    paths = exports.write(tmp_path / "raw")
    frame = exports.clients.copy()
    frame["Datum intake"] = [
        pd.Timestamp(pd.to_datetime(v, format="%d/%m/%Y")) if i % 2 else v
        for i, v in enumerate(frame["Datum intake"])
    ]
    frame.to_excel(paths["clients"], index=False)
    config = config_for(paths, tmp_path / "out")
    config["exports"]["clients"]["date_format"] = "%d/%m/%Y"
    code = run_pipeline(config, tmp_path / "out", steps=("ingest",))
    assert code == 0, capsys.readouterr().err[-2000:]
    staged = pd.read_parquet(tmp_path / "out" / "processed" / "staging" / "clients.parquet")
    assert staged["intake_date"].notna().all()


def test_spss_dates_with_a_text_date_format_are_dates(tmp_path, exports, capsys):
    pyreadstat = pytest.importorskip("pyreadstat")
    exports.names["clients"] = "clients.sav"
    paths = exports.write(tmp_path / "raw")
    frame = exports.clients.copy()
    for column in ("Datum intake", "Geboortedatum"):
        frame[column] = pd.to_datetime(frame[column], format="%d/%m/%Y")
    frame.columns = [c.replace(" ", "_") for c in frame.columns]
    pyreadstat.write_sav(frame, str(paths["clients"]))
    config = config_for(paths, tmp_path / "out")
    config["exports"]["clients"]["columns"] = {
        k: v.replace(" ", "_") for k, v in config["exports"]["clients"]["columns"].items()
    }
    config["exports"]["clients"]["date_format"] = "%d/%m/%Y"
    code = run_pipeline(config, tmp_path / "out", steps=("ingest",))
    assert code == 0, capsys.readouterr().err[-2000:]


def test_register_numbers_that_went_through_excel_as_numbers_are_accepted(
    tmp_path, exports, capsys
):
    born_2000 = [insz.make(f"2000-0{1 + i % 9}-1{i % 9}", 11 + i) for i in range(3)]
    exports.clients.loc[:2, "INSZ"] = [
        str(int(x)) for x in born_2000
    ]  # 9 digits: leading zeros lost
    exports.clients.loc[:2, "Geboortedatum"] = [f"1{i % 9}/0{1 + i % 9}/2000" for i in range(3)]
    exports.clients.loc[:2, "Datum intake"] = "01/06/2021"
    code, _, out = run_case(tmp_path, exports, capsys, steps=("ingest",))
    assert code == 0
    staged = pd.read_parquet(out / "processed" / "staging" / "clients.parquet")
    assert len(staged) == 200


def test_an_output_folder_over_the_raw_folder_is_refused_before_writing(tmp_path, exports):
    from conftest import ROOT

    from cob_analysis import config as cob_config

    paths = exports.write(tmp_path / "raw")
    config = config_for(paths, tmp_path)
    config["output"] = {"processed": str(tmp_path / "raw"), "reports": str(tmp_path / "reports")}
    before = {p: p.read_bytes() for p in (tmp_path / "raw").iterdir()}
    with pytest.raises(cob_config.ConfigError, match="outputs may never overwrite raw data"):
        cob_config.for_workflow(config, ["my.yaml"], tmp_path, ROOT)
    assert {p: p.read_bytes() for p in (tmp_path / "raw").iterdir()} == before


def test_an_empty_intake_window_says_so(tmp_path, exports, capsys):
    code, text, _ = run_case(
        tmp_path, exports, capsys, intake_window={"from": "2019-01-01", "to": "2019-12-31"}
    )
    refused(
        code,
        text,
        "clients.csv",
        "no intake in the intake window 2019-01-01 to 2019-12-31",
        "set intake_window",
    )


def test_a_workbook_that_is_not_a_workbook_is_named(tmp_path, exports, capsys):
    exports.names["art60"] = "art60.xlsx"
    paths = exports.write(tmp_path / "raw")  # a CSV under an .xlsx name
    code = run_pipeline(config_for(paths, tmp_path / "out"), tmp_path / "out", steps=("ingest",))
    console = capsys.readouterr()
    refused(code, console.err, "art60.xlsx")
    assert "Traceback" not in console.err


def test_a_full_disk_is_a_message_not_a_traceback(tmp_path, exports, capsys, monkeypatch):
    from cob_analysis import storage

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", str(tmp_path / "out" / "x.parquet"))

    monkeypatch.setattr(storage.pq, "write_table", full)
    code, text, _ = run_case(tmp_path, exports, capsys, steps=("ingest",))
    refused(code, text, "no space left on the device")


def test_an_unexpected_error_shows_no_data_and_no_traceback(tmp_path, exports, capsys, monkeypatch):
    from cob_analysis.ingest import exports as ingest

    number = insz.normalise(exports.clients.loc[1, "INSZ"])

    def broken(*args, **kwargs):
        raise RuntimeError(f"cannot parse row: {number};{exports.clients.loc[1, 'Geboortedatum']}")

    monkeypatch.setattr(ingest, "ingest_export", broken)
    monkeypatch.setattr("cob_analysis.cli.ingest_export", broken, raising=False)
    paths = exports.write(tmp_path / "raw")
    code = run_pipeline(config_for(paths, tmp_path / "out"), tmp_path / "out", steps=("ingest",))
    console = capsys.readouterr()
    assert code == 1 and "RuntimeError" in console.err and "Traceback" not in console.err
    assert not leaks(exports.secrets(), console.err + console.out, folders=(tmp_path / "out",))
