import pandas as pd
import pytest

from cob_analysis.errors import InputError
from cob_analysis.ingest import readers

HEADER = ["INSZ", "Traject", "Datum"]


def read(path, **options):
    return readers.read_export(path, **options).to_pandas()


ROWS = [
    ["85073003328", "Geïntegreerd via VDAB", "15/03/2017"],
    ["85073003328", "Lineair", "01/07/2018"],
]


@pytest.mark.parametrize("delimiter", [";", ",", "\t"])
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_csv_dialects(tmp_path, delimiter, encoding):
    path = tmp_path / "x.csv"
    text = "\r\n".join(delimiter.join(r) for r in [HEADER, *ROWS]) + "\r\n"
    path.write_bytes(text.encode(encoding))
    frame = read(path)
    assert list(frame.columns) == ["_row", *HEADER]
    assert frame["Traject"].tolist() == ["Geïntegreerd via VDAB", "Lineair"]
    assert frame["_row"].tolist() == [2, 3]


def test_empty_file(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    with pytest.raises(InputError, match="empty"):
        readers.read_export(path)


def test_header_only(tmp_path):
    path = tmp_path / "h.csv"
    path.write_text("INSZ;Traject\n", encoding="utf-8")
    with pytest.raises(InputError, match="no rows"):
        readers.read_export(path)


def test_utf16_refused(tmp_path):
    path = tmp_path / "u.csv"
    path.write_bytes("INSZ;Traject\n1;2\n".encode("utf-16"))
    with pytest.raises(InputError, match="UTF-16"):
        readers.read_export(path)


def test_xlsx_sheet_and_parquet(tmp_path):
    frame = pd.DataFrame(ROWS, columns=HEADER)
    xlsx = tmp_path / "x.xlsx"
    with pd.ExcelWriter(xlsx, engine="openpyxl") as writer:
        pd.DataFrame({"a": [1]}).to_excel(writer, sheet_name="Andere", index=False)
        frame.to_excel(writer, sheet_name="Data", index=False)
    assert read(xlsx, sheet="Data")["Traject"].tolist() == frame["Traject"].tolist()
    with pytest.raises(InputError, match="sheet"):
        readers.read_export(xlsx, sheet="Geen")
    parquet = tmp_path / "x.parquet"
    frame.to_parquet(parquet)
    assert read(parquet)["INSZ"].tolist() == frame["INSZ"].tolist()


def test_sav_with_value_labels(tmp_path):
    pyreadstat = pytest.importorskip("pyreadstat")
    frame = pd.DataFrame({"INSZ": ["85073003328"], "Traject": [1.0]})
    path = tmp_path / "x.sav"
    pyreadstat.write_sav(frame, str(path), variable_value_labels={"Traject": {1.0: "Lineair"}})
    assert read(path)["Traject"].tolist() == ["Lineair"]


def test_unsupported_and_missing(tmp_path):
    with pytest.raises(InputError, match="does not exist"):
        readers.read_export(tmp_path / "nope.csv")
    odd = tmp_path / "x.json"
    odd.write_text("{}")
    with pytest.raises(InputError, match="unsupported"):
        readers.read_export(odd)


def test_parse_errors_name_the_line_without_the_row(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text(
        "INSZ;Traject;Datum\n85.07.30-033.61;Lineair;30/07/1985;extra\n", encoding="utf-8"
    )
    with pytest.raises(InputError, match="line 2: 4 fields where the header has 3") as info:
        readers.read_export(path)
    assert "85.07.30-033.61" not in str(info.value) and "30/07/1985" not in str(info.value)
    assert info.value.__cause__ is None and info.value.__context__ is None


def test_missing_sheet_names_the_sheets_not_the_cells(tmp_path):
    xlsx = tmp_path / "x.xlsx"
    pd.DataFrame([["85.07.30-033.61", "30/07/1985"]], columns=["INSZ", "Datum"]).to_excel(
        xlsx, sheet_name="Data", index=False
    )
    with pytest.raises(
        InputError, match=r"has no sheet 'Geen'; sheets in the workbook: \['Data'\]"
    ) as info:
        readers.read_export(xlsx, sheet="Geen")
    assert "85.07.30-033.61" not in str(info.value) and info.value.__context__ is None


def test_quoted_values_over_lines_still_read(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text(
        'INSZ;Traject\n85073003328;"twee\nregels"\n85073003328;"met ""quote"""\n', encoding="utf-8"
    )
    assert read(path)["Traject"].tolist() == ["twee\nregels", 'met "quote"']


def test_directory_and_mostly_utf8_file(tmp_path):
    (tmp_path / "d.csv").mkdir()
    with pytest.raises(InputError, match="is a directory"):
        readers.read_export(tmp_path / "d.csv")
    path = tmp_path / "x.csv"
    path.write_bytes("INSZ;Traject\n1;Geïntegreerd\n2;Geïntegreerd\n".encode() + b"3;Lin\xe9air\n")
    with pytest.raises(InputError, match="line 4: invalid UTF-8"):
        readers.read_export(path)
