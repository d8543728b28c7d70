import argparse
import datetime as dt
import logging
import re
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest
import yaml
from conftest import ROOT, ids

from cob_analysis import config
from cob_analysis.ingest import exports as ingest
from cob_analysis.ingest import insz, readers
from cob_analysis.ingest import starter_config as ic
from cob_analysis.ingest import starter_guess as guess

CLIENT_HEADER = [
    "Rijksregisternr.",
    "Intakedatum",
    "TRAJECT",
    "Sex",
    "Geboorte datum",
    "Nationality",
    "Huishouden",
    "NT2",
    "Opleidingsniveau",
]
CLIENT_MAPPING = {
    "client_id": "Rijksregisternr.",
    "intake_date": "Intakedatum",
    "trajectory": "TRAJECT",
    "gender": "Sex",
    "birth_date": "Geboorte datum",
    "nationality": "Nationality",
    "household": "Huishouden",
    "nt2_level": "NT2",
    "schooling": "Opleidingsniveau",
}
VDAB_HEADER = ["Rijksregisternummer", "Peildatum", "Statuscode", "Omschrijving"]


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    path.write_text("\n".join(";".join(row) for row in [header, *rows]) + "\n", encoding="utf-8")
    return path


def client_rows(numbers: list[str]) -> list[list[str]]:
    """Three intakes (15/03/2017 is neither the first nor the last) of the people `numbers`."""
    return [
        [
            numbers[0],
            "02/02/2017",
            "Geïntegreerd via VDAB",
            "M",
            "30/07/1985",
            "Syrische",
            "Alleenstaande",
            "<1.1",
            "Laaggeschoold",
        ],
        [
            numbers[1],
            "15/03/2017",
            "Lineair traject",
            "V",
            "12/11/1990",
            "Eritrese",
            "Weet niet",
            "1.1",
            "Hooggeschoold",
        ],
        [
            numbers[2],
            "20/08/2018",
            "lineair",
            "",
            "01/01/1979",
            "Afghaanse",
            "Samenwonend",
            "",
            "Geen",
        ],
    ]


def tiny_exports(tmp_path: Path) -> dict[str, Path]:
    numbers = ids(3)
    return {
        "clients": write_csv(tmp_path / "clients.csv", CLIENT_HEADER, client_rows(numbers)),
        "art60": write_csv(
            tmp_path / "art60.csv",
            ["INSZ", "Startdatum", "Eind datum", "Naam werkgever"],
            [[numbers[0], "01/04/2017", "31/03/2018", "Bakkerij Jansens"]],
        ),
        "twe": write_csv(
            tmp_path / "twe.csv",
            ["INSZ", "Begin", "Einde", "Uitkomst"],
            [
                [numbers[1], "01/05/2017", "30/04/2019", "Werk SEC"],
                [numbers[2], "01/09/2018", "", ""],
            ],
        ),
        "vdab": write_csv(
            tmp_path / "vdab.csv",
            VDAB_HEADER,
            [[n, d, "05", "OCMW"] for n in numbers for d in ("31/03/2019", "31/03/2020")],
        ),
    }


def read_all(paths: dict[str, Path | list[Path]]) -> dict[str, list[guess.ExportFile]]:
    return {
        export: [
            ic.read_export_file(export, str(p)) for p in (ps if isinstance(ps, list) else [ps])
        ]
        for export, ps in paths.items()
    }


def fill(text: str) -> str:
    """Every `null  # FILL IN` completed: a date for window bounds, a header-like text otherwise."""

    def one(match: re.Match) -> str:
        value = "2020-01-01" if match.group(2) in ("from", "to") else "Kolom 7"
        return f"{match.group(1)}{match.group(2)}: {value}  #"

    return re.sub(r"^(\s*)([\w\"]+): null  # FILL IN", one, text, flags=re.MULTILINE)


def parse_args(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    ic.add_arguments(parser)
    return parser.parse_args(argv)


# --- pure guesses -----------------------------------------------------------------------------


def test_normalise_text():
    assert guess.normalise_text("NT2-niveau (Intake)") == "nt2 niveau intake"
    assert guess.normalise_text("  Geïntegreerd_via  VDAB ") == "geintegreerd via vdab"
    assert guess.normalise_text("Rijksregisternr.") == "rijksregisternr"


def test_guess_columns_from_synonyms():
    headers = [*CLIENT_HEADER, "Land van geboorte", "Kolom 12"]
    mapping = guess.guess_columns("clients", headers)
    assert mapping == {**CLIENT_MAPPING, "country_of_birth": "Land van geboorte", "continent": None}
    assert (
        guess.guess_columns("clients", ["DatumIntake", "INSZ-nummer"])["intake_date"]
        == "DatumIntake"
    )
    assert (
        guess.guess_columns("clients", ["DatumIntake", "INSZ-nummer"])["client_id"] == "INSZ-nummer"
    )


def test_a_header_serves_one_column_and_best_matches_win():
    vdab = guess.guess_columns(
        "vdab", ["Omschrijving categorie", "Categorie werkzoekende", "INSZ", "Datum"]
    )
    assert vdab == {
        "client_id": "INSZ",
        "reference_date": "Datum",
        "status_code": "Categorie werkzoekende",
        "status_label": "Omschrijving categorie",
    }
    changes = guess.guess_columns("trajectory_changes", ["INSZ", "Traject", "Datum wijziging"])
    assert changes == {
        "client_id": "INSZ",
        "change_date": "Datum wijziging",
        "trajectory": "Traject",
    }
    assert guess.guess_columns("twe", ["Start TWE", "Einde TWE"]) == {
        "client_id": None,
        "start_date": "Start TWE",
        "end_date": "Einde TWE",
        "result": None,
    }


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["19/10/2016", "1/2/2017"], "%d/%m/%Y"),
        (["2016-10-19", "2017-02-01"], "%Y-%m-%d"),
        (["19-10-2016"], "%d-%m-%Y"),
        (["19.10.2016"], "%d.%m.%Y"),
        (["19/10/2016", "2017-02-01"], None),  # mixed
        (["10/19/2016"], None),  # month first: not one of the known formats
        (["42823"], None),  # an Excel serial
        ([], None),
    ],
)
def test_guess_date_format(values, expected):
    assert guess.guess_date_format(values) == expected


@pytest.mark.parametrize(
    ("key", "raw", "expected"),
    [
        ("gender", "M", "Man"),
        ("gender", "vrouw", "Vrouw"),
        ("gender", "Onbekend", None),
        ("trajectory", "vdab", "VDAB"),
        ("trajectory", "Geïntegreerd via Activering", "SD/Activering"),
        ("trajectory", "lineair", "Lineair"),
        ("household", "Samenwonend", "Samenwoner"),
        ("household", "Weet niet", None),
        ("nt2_level", "<1.1", "<1.1"),
        ("nt2_level", "1,1", None),
        ("schooling", "Geen scholing", "Geen"),
        ("twe_result", "Werk NEC in SE-bedrijf", "NEC in SE-bedrijf"),
        ("continent", "Azië", "Azië"),  # no fixed list: as registered
    ],
)
def test_guess_value(key, raw, expected):
    assert guess.guess_value(key, raw) == expected


def test_half_year_window():
    assert guess.half_year_window(dt.date(2016, 10, 19), dt.date(2019, 3, 28)) == (
        dt.date(2016, 7, 1),
        dt.date(2019, 6, 30),
    )
    assert guess.half_year_window(dt.date(2017, 1, 1), dt.date(2018, 12, 31)) == (
        dt.date(2017, 1, 1),
        dt.date(2018, 12, 31),
    )


@pytest.mark.parametrize(
    "text",
    [
        "0",
        "1.1",
        "<1.1",
        "yes",
        "null",
        "a: b",
        "# x",
        "- x",
        " lead",
        "M",
        "SD/Activering",
        "Geïntegreerd via VDAB",
        'say "hi"',
        "C:\\data\\x.csv",
    ],
)
def test_yaml_scalar_reads_back_as_the_same_string(text):
    assert yaml.safe_load(f"k: {ic.yaml_scalar(text)}  # note") == {"k": text}


def test_date_format_per_export_from_inline_tables():
    def guessed(table, path="x.csv"):
        file = guess.ExportFile.from_table(path, table)
        return guess.guess_export_date_format(
            "twe", [file], guess.guess_columns("twe", file.headers)
        )

    mixed = pa.table({"INSZ": ["1"], "Start": ["01/05/2017"], "Einde": ["2019-04-30"]})
    assert guessed(mixed).date_format is None and "different formats" in guessed(mixed).note
    native = pa.table(
        {"INSZ": ["1"], "Start": pa.array([dt.date(2017, 5, 1)]), "Einde": ["30/04/2019"]}
    )
    assert guessed(native).date_format == "%d/%m/%Y"  # native columns need no format
    iso = pa.table({"INSZ": ["1"], "Start": ["2017-05-01"], "Einde": [None]})
    assert guessed(iso).date_format == "%Y-%m-%d"
    assert guessed(iso, "x.xlsx").date_format is None  # a spreadsheet's own dates
    assert "stored as dates" in guessed(iso, "x.xlsx").note
    assert guessed(pa.table({"Start": ["onbekend"]})).date_format is None


# --- the starter config -----------------------------------------------------------------------


def test_starter_from_tiny_exports_is_a_valid_config(tmp_path):
    text = ic.starter_config(read_all(tiny_exports(tmp_path)))
    cfg = yaml.safe_load(text)
    assert cfg["exports"]["clients"]["columns"] == CLIENT_MAPPING
    assert "# country_of_birth:  # optional, not found" in text
    assert cfg["exports"]["art60"]["columns"] == {
        "client_id": "INSZ",
        "start_date": "Startdatum",
        "end_date": "Eind datum",
        "employer": "Naam werkgever",
    }
    assert cfg["exports"]["twe"]["columns"] == {
        "client_id": "INSZ",
        "start_date": "Begin",
        "end_date": "Einde",
        "result": "Uitkomst",
    }
    assert cfg["exports"]["vdab"]["columns"] == {
        "client_id": "Rijksregisternummer",
        "reference_date": "Peildatum",
        "status_code": "Statuscode",
        "status_label": "Omschrijving",
    }
    assert cfg["exports"]["clients"]["path"] == str(tmp_path / "clients.csv")
    assert {e["date_format"] for e in cfg["exports"].values()} == {"%d/%m/%Y"}
    assert cfg["values"]["trajectory"] == {
        "Geïntegreerd via VDAB": "VDAB",
        "Lineair traject": "Lineair",
        "lineair": "Lineair",
    }
    assert cfg["values"]["gender"] == {"M": "Man", "V": "Vrouw"}
    # an unguessed value is commented out: left so, the run stops on it and names it
    assert cfg["values"]["household"] == {
        "Alleenstaande": "Alleenstaande",
        "Samenwonend": "Samenwoner",
    }
    assert re.search(
        r"# Weet niet: FILL IN  # one of Aanvragers met gezin ten laste, .*null for missing.*; 1 row",
        text,
    )
    assert cfg["values"]["nt2_level"] == {"<1.1": "<1.1", "1.1": "1.1"}
    assert cfg["values"]["twe_result"] == {"Werk SEC": "SEC"}
    assert "# 1 row empty: missing" in text
    assert cfg["id_kind"] == "insz"
    assert cfg["intake_window"] == {"from": dt.date(2017, 1, 1), "to": dt.date(2018, 12, 31)}
    assert cfg["reference_date"] == cfg["observation_end"] == dt.date(2020, 3, 31)
    assert cfg["cohort"] == "half-year" and cfg["language"] == "nl"
    assert cfg["pseudonymisation"] == {"key_env": "COB_PSEUDO_KEY"}
    assert ic.fill_in_count(text) == 1
    resolved = config.resolve(cfg)
    assert resolved["exports"]["vdab"]["path"] == [str(tmp_path / "vdab.csv")]


def test_unguessed_column_is_a_fill_in_listing_the_headers(tmp_path):
    paths = tiny_exports(tmp_path)
    header = [("Kolom 7" if h == "Sex" else h) for h in CLIENT_HEADER]
    write_csv(paths["clients"], header, client_rows(ids(3)))
    text = ic.starter_config(read_all(paths))
    line = next(line for line in text.splitlines() if line.strip().startswith("gender:"))
    assert line.startswith(
        "      gender: null  # FILL IN: the gender; one of the headers: 'Rijksregisternr.',"
    )
    assert "'Kolom 7'" in line
    assert "# gender: no column read for it" in text
    with pytest.raises(config.ConfigError, match="exports.clients.columns.gender"):
        config.resolve(yaml.safe_load(text))
    config.resolve(yaml.safe_load(fill(text)))


def test_exports_not_given_are_placeholders(tmp_path):
    paths = tiny_exports(tmp_path)
    text = ic.starter_config(read_all({"clients": paths["clients"]}))
    cfg = yaml.safe_load(text)
    assert cfg["exports"]["art60"] == {
        "path": None,
        "columns": dict.fromkeys(ingest.SPECS["art60"].required),
    }
    assert "run init-config again with --art60" in text
    assert "trajectory_changes: changes of trajectory after intake (optional): none given" in text
    assert cfg["reference_date"] is None
    with pytest.raises(config.ConfigError, match="exports.art60.path"):
        config.resolve(cfg)
    config.resolve(yaml.safe_load(fill(text)))


def test_trajectory_values_pool_clients_and_changes(tmp_path):
    paths = tiny_exports(tmp_path)
    paths["trajectory_changes"] = write_csv(
        tmp_path / "changes.csv",
        ["INSZ", "Datum wijziging", "Nieuw traject"],
        [[ids(1)[0], "01/06/2017", "Lineair traject"]],
    )
    text = ic.starter_config(read_all(paths))
    assert "    Lineair traject: Lineair  # 2 rows (clients 1, trajectory_changes 1)" in text
    assert (
        yaml.safe_load(text)["exports"]["trajectory_changes"]["columns"]["trajectory"]
        == "Nieuw traject"
    )


def test_several_vdab_files(tmp_path):
    paths = tiny_exports(tmp_path)
    later = write_csv(
        tmp_path / "vdab_2021.csv", VDAB_HEADER, [[ids(1)[0], "31/03/2021", "00", "UVW"]]
    )
    paths["vdab"] = [paths["vdab"], later]
    text = ic.starter_config(read_all(paths))
    cfg = yaml.safe_load(text)
    assert cfg["exports"]["vdab"]["path"] == [str(tmp_path / "vdab.csv"), str(later)]
    assert cfg["reference_date"] == dt.date(2021, 3, 31)
    assert "has 3 reference dates, from 2019-03-31 to 2021-03-31" in text
    assert "2 distinct codes" in text


# --- nothing personal is written ----------------------------------------------------------------


def test_identifiers_names_and_dates_are_never_written(tmp_path, caplog, capsys):
    numbers = ids(4)
    rows = client_rows(numbers)
    rows[0][2] = numbers[3]  # a register number in the trajectory column
    rows[1][6] = insz.format_dotted(numbers[3])  # a dotted one in the household column
    rows[2][3] = "01/01/1979"  # a date in the gender column
    paths = tiny_exports(tmp_path)
    write_csv(paths["clients"], [*CLIENT_HEADER, "Geboorteland"], [[*row, "Syrië"] for row in rows])
    out = tmp_path / "my.yaml"
    args = parse_args(
        "--clients",
        str(paths["clients"]),
        "--art60",
        str(paths["art60"]),
        "--twe",
        str(paths["twe"]),
        "--vdab",
        str(paths["vdab"]),
        "--out",
        str(out),
    )
    with caplog.at_level(logging.INFO, logger="cob_analysis"):
        ic.run(args)
    text = out.read_text(encoding="utf-8")
    shown = text + caplog.text + "".join(capsys.readouterr())
    secrets = [
        *numbers,
        *(insz.format_dotted(n) for n in numbers),
        "30/07/1985",
        "1985-07-30",
        "12/11/1990",
        "01/01/1979",
        "1979-01-01",  # birth dates
        "15/03/2017",
        "2017-03-15",  # an intake date neither first nor last
        "01/04/2017",
        "31/03/2018",
        "01/05/2017",  # art. 60 and TWE dates
        "Bakkerij Jansens",
        "Syrische",
        "Eritrese",
        "Afghaanse",
        "Syrië",
    ]
    assert [secret for secret in secrets if secret in shown] == []
    assert "nationality: Nationality  # nationality; 3 distinct values (not shown)" in text
    assert text.count("look like national register numbers or dates and are not shown") == 3
    assert "init-config: wrote" in caplog.text


def test_a_file_without_header_row_does_not_list_its_first_row(tmp_path):
    numbers = ids(3)
    rows = client_rows(numbers)
    path = write_csv(tmp_path / "noheader.csv", rows[0], rows[1:])
    text = ic.starter_config(read_all({"clients": path}))
    assert numbers[0] not in text and "30/07/1985" not in text and "02/02/2017" not in text
    assert "look like numbers or dates, not shown: does the file have a header row?" in text


def test_a_column_with_too_many_values_is_not_listed(tmp_path):
    numbers = ids(150)
    rows = [
        [n, "02/02/2017", "VDAB", "M", "30/07/1985", "Syrische", f"Gezin van {i:03d}", "0", "Geen"]
        for i, n in enumerate(numbers)
    ]
    text = ic.starter_config(
        read_all({"clients": write_csv(tmp_path / "c.csv", CLIENT_HEADER, rows)})
    )
    assert "Gezin van" not in text
    assert (
        "  household: {}  # canonical:" in text
        and "150 distinct values: too many for a category" in text
    )


def test_parquet_reads_only_the_summarised_columns(tmp_path):
    numbers = ids(3)
    frame = pd.DataFrame(
        {
            "INSZ": numbers,
            "Naam": ["Jan Peeters", "An Janssens", "Mo Ali"],
            "Datum intake": pd.to_datetime(["2017-02-02", "2017-03-15", "2018-08-20"]),
            "Traject": ["VDAB", "Lineair", "VDAB"],
            "Geslacht": ["M", "V", "M"],
            "Geboortedatum": pd.to_datetime(["1985-07-30", "1990-11-12", "1979-01-01"]),
            "Nationaliteit": ["Syrische", "Eritrese", "Afghaanse"],
            "Gezinssituatie": ["Alleenstaande"] * 3,
            "NT2 niveau": ["0", "1.1", "1.2"],
            "Scholing": ["Geen", "Laag", "Hoog"],
        }
    )
    path = tmp_path / "clients.parquet"
    frame.to_parquet(path)
    file = ic.read_export_file("clients", str(path))
    assert file.headers == tuple(frame.columns)
    assert "Naam" not in file.table.column_names
    text = ic.starter_config({"clients": [file]})
    assert "Jan Peeters" not in text and "1985-07-30" not in text
    cfg = yaml.safe_load(text)
    assert cfg["exports"]["clients"]["date_format"] is None
    assert "stored as dates in the file" in text
    assert cfg["intake_window"] == {"from": dt.date(2017, 1, 1), "to": dt.date(2018, 12, 31)}


def test_xlsx_sheet_and_native_dates(tmp_path):
    path = tmp_path / "art60.xlsx"
    contracts = pd.DataFrame(
        {
            "Rijksregisternummer": ids(2),
            "Begindatum": [dt.datetime(2017, 4, 1)] * 2,
            "Einddatum": [dt.datetime(2018, 3, 31), None],
            "Werkgever": ["Bakkerij", "Garage"],
        }
    )
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        pd.DataFrame({"a": [1]}).to_excel(writer, sheet_name="Uitleg", index=False)
        contracts.to_excel(writer, sheet_name="Art60", index=False)
    sheets = ic.sheets_by_export(["Overzicht", "art60=Art60"])
    assert sheets["clients"] == "Overzicht" and sheets["art60"] == "Art60"
    file = ic.read_export_file("art60", str(path), sheets["art60"])
    text = ic.starter_config({"art60": [file]})
    art60 = yaml.safe_load(text)["exports"]["art60"]
    assert art60["sheet"] == "Art60" and "the workbook's sheets: 'Uitleg', 'Art60'" in text
    assert art60["date_format"] is None
    assert ic.read_export_file("art60", str(path)).sheet == "Uitleg"  # default: the first sheet


def test_run_refuses_to_overwrite_without_force(tmp_path):
    paths = tiny_exports(tmp_path)
    out = tmp_path / "my.yaml"
    out.write_text("keep me\n", encoding="utf-8")
    argv = ["--clients", str(paths["clients"]), "--vdab", str(paths["vdab"]), "--out", str(out)]
    with pytest.raises(SystemExit, match="exists; give --force"):
        ic.run(parse_args(*argv))
    assert out.read_text(encoding="utf-8") == "keep me\n"
    ic.run(parse_args(*argv, "--force"))
    assert (
        yaml.safe_load(out.read_text(encoding="utf-8"))["exports"]["clients"]["columns"]["gender"]
        == "Sex"
    )


def test_arguments():
    args = parse_args(
        "--clients", "c.csv", "--vdab", "a.csv", "b.csv", "--trajectory-changes", "t.csv"
    )
    assert args.vdab == ["a.csv", "b.csv"] and args.trajectory_changes == "t.csv"
    assert args.out == "my.yaml" and not args.force and args.art60 is None
    with pytest.raises(SystemExit):
        parse_args("--vdab", "a.csv")  # --clients is required


# --- the demo exports -------------------------------------------------------------------------


def test_demo_exports_give_the_demo_config(key):
    demo = yaml.safe_load((ROOT / "config" / "config.yaml").read_text(encoding="utf-8"))
    paths = {export: str(ROOT / cfg["path"]) for export, cfg in demo["exports"].items()}
    files = {
        export: [ic.read_export_file(export, path, demo["exports"][export].get("sheet"))]
        for export, path in paths.items()
    }
    text = ic.starter_config(files)
    starter = yaml.safe_load(text)
    for export, cfg in demo["exports"].items():
        assert starter["exports"][export]["columns"] == cfg["columns"], export
        assert starter["exports"][export]["date_format"] == cfg.get("date_format"), export
        assert starter["exports"][export].get("sheet") == cfg.get("sheet"), export

    for values_key, value_map in starter["values"].items():
        demo_map = demo["values"].get(values_key, {})
        filled = {
            raw: demo_map[raw] if guess is None else guess for raw, guess in value_map.items()
        }
        assert filled == {raw: demo_map.get(raw, raw) for raw in value_map}, values_key
    table = readers.read_export(paths["clients"])
    assert set(starter["values"]["household"]) == {
        v for v in table["Gezinssituatie"].to_pylist() if v
    }

    resolved = config.resolve(starter)
    for export, export_cfg in resolved["exports"].items():  # ingest accepts every row with it
        raw = readers.read_export(export_cfg["path"][0], sheet=export_cfg.get("sheet"))
        _staged, accounting = ingest.ingest_export(raw, export, export_cfg, resolved, key, export)
        assert accounting["rows_kept"] == accounting["rows_read"], export
