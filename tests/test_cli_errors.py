"""Bad input stops the run with one message naming file, column, values, counts and rows:
each case with a small file, through the same command the workflow runs."""

import json

import pytest
from conftest import ids

from cob_analysis import cli
from cob_analysis.ingest import insz

HEADER = "INSZ;Datum intake;Traject;Geslacht;Geboortedatum;Nationaliteit;Gezinssituatie;NT2 niveau intake;Scholing land van herkomst"


def client_line(person, date="15/03/2017", trajectory="Lineair traject", birth="01/02/1990"):
    return f"{insz.format_dotted(person)};{date};{trajectory};M;{birth};Syrië;Alleenstaande;0;Laaggeschoold"


def run_ingest(tmp_path, demo_config, lines, monkeypatch, header=HEADER):
    path = tmp_path / "intakes.csv"
    path.write_text("\n".join([header, *lines]) + "\n", encoding="cp1252")
    config = {
        key: demo_config[key] for key in ("values", "id_kind", "policies", "pseudonymisation")
    }
    config["exports"] = {"clients": dict(demo_config["exports"]["clients"], path=[str(path)])}
    monkeypatch.setenv("COB_PSEUDO_KEY", "a-secret-test-key-of-some-length")
    return cli.main(
        [
            "ingest",
            "--export",
            "clients",
            "--config-json",
            json.dumps(config),
            "--out",
            str(tmp_path / "out.parquet"),
            "--qa",
            str(tmp_path / "qa.json"),
        ]
    )


@pytest.mark.parametrize(
    "lines,header,expected",
    [
        (
            lambda p: [client_line(p[0]), client_line(p[1], trajectory="Lineair trajekt")],
            HEADER,
            [
                "intakes.csv",
                "column 'Traject'",
                "unknown value in 1 row",
                "'Lineair trajekt' (1)",
                "first rows: 3",
                "canonical values (map to themselves): VDAB, SD/Activering, Lineair",
            ],
        ),
        (
            lambda p: [client_line(p[0], date="1/13/2017"), client_line(p[1])],
            HEADER,
            [
                "column 'Datum intake'",
                "unparseable, missing or implausible date in 1 row",
                "'9/99/9999' (1)",
                "first rows: 2",
            ],
        ),  # dates shown by their shape
        (
            lambda p: [client_line(p[0], date="15/03/1850")],
            HEADER,
            ["column 'Datum intake'", "implausible date"],
        ),
        (
            lambda p: [client_line(p[0])],
            HEADER.replace("Traject", "Trajectnaam"),
            ["missing required column 'Traject' (trajectory)", "columns in the file"],
        ),
        (
            lambda p: [client_line(p[0])[:-1] + "X"],
            HEADER,
            ["column 'Scholing land van herkomst'", "'LaaggeschoolX' (1)"],
        ),
    ],
)
def test_ingest_refuses_bad_files(
    tmp_path, demo_config, monkeypatch, capsys, lines, header, expected
):
    code = run_ingest(tmp_path, demo_config, lines(ids(3)), monkeypatch, header=header)
    err = capsys.readouterr().err
    assert code == 2
    for text in expected:
        assert text in err, (text, err)


def test_invalid_checksum_file(tmp_path, demo_config, monkeypatch, capsys):
    person = ids(1)[0]
    wrong = person[:9] + f"{(int(person[9:]) + 1) % 100:02d}"
    code = run_ingest(tmp_path, demo_config, [client_line(person), client_line(wrong)], monkeypatch)
    err = capsys.readouterr().err
    assert code == 2 and "invalid national register number" in err and "first rows: 3" in err
    assert wrong not in err and insz.format_dotted(wrong) not in err


def test_good_file_passes_and_counts(tmp_path, demo_config, monkeypatch):
    assert run_ingest(tmp_path, demo_config, [client_line(p) for p in ids(4)], monkeypatch) == 0
    qa = json.loads((tmp_path / "qa.json").read_text(encoding="utf-8"))
    assert (
        qa["rows_read"] == 4
        and qa["rows_kept"] == 4
        and qa["rejected"] == {}
        and not qa["demo_key"]
    )
