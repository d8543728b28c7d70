"""Hostile and broken export files: each ends in an InputError naming the file (and the line)
that shows no row content: no register number in any form, no birth date, no name."""

import io
import os
import traceback
import zipfile

import pandas as pd
import pyarrow as pa
import pytest

from cob_analysis.errors import InputError, escape_controls, mask_identifiers, mask_value
from cob_analysis.ingest import readers

INSZ_DOTTED = "85.07.30-033.61"
BIRTH = "30/07/1985"
NAME = "Jansen"
LEAKS = [INSZ_DOTTED, "85073003361", "850730", "033.61", BIRTH, "1985-07-30", "30.07.1985", NAME]
HEADER = "INSZ;Naam;Geboortedatum"
GOOD = "85.07.30-033.28;Peeters;01/02/1990"
BAD = f"{INSZ_DOTTED};{NAME};{BIRTH}"


def shown(exc: BaseException) -> list[str]:
    """Every text the error can put in front of someone: str, repr, traceback, chained errors."""
    texts = [str(exc), repr(exc), "".join(traceback.format_exception(exc))]
    for chained in (exc.__cause__, exc.__context__):
        if chained is not None:
            texts += [str(chained), repr(chained)]
    return texts


def refused(path, line=None, match=None, **options) -> InputError:
    with pytest.raises(InputError) as info:
        readers.read_export(path, **options)
    exc = info.value
    for text in shown(exc):
        for leak in LEAKS:
            assert leak not in text, (leak, text)
    assert path.name in str(exc)
    if line is not None:
        assert f"line {line}" in str(exc), str(exc)
    if match is not None:
        assert match in str(exc), str(exc)
    return exc


def write(tmp_path, name, data: bytes | str):
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


@pytest.mark.parametrize(
    "body,line,match",
    [
        (f"{HEADER}\n{GOOD}\n{BAD};extra\n{GOOD}\n", 3, "4 fields where the header has 3"),
        (
            f"{HEADER}\n{GOOD}\n{INSZ_DOTTED};{BIRTH}\n{GOOD}\n",
            3,
            "2 fields where the header has 3",
        ),
        (f"{HEADER}\n{GOOD}\n{INSZ_DOTTED}\n", 3, "1 field where"),
        (
            f'{HEADER}\n{GOOD}\n"{INSZ_DOTTED};{NAME};{BIRTH}',
            3,
            "never closed",
        ),  # cut short, open quote
        (
            f'{HEADER}\n{GOOD}\n{INSZ_DOTTED};{NAME};"{BIRTH}',
            3,
            "never closed",
        ),  # Arrow reads this one
        (f'{HEADER}\n{GOOD}\n{INSZ_DOTTED};"{NAME};{BIRTH}\n{GOOD}\n{GOOD}\n', 3, "never closed"),
        (
            f'{HEADER}\n{GOOD}\n{INSZ_DOTTED};"{NAME};{BIRTH}\n' + f"{GOOD}\n" * 5000,
            3,
            "quote never closed",
        ),
        (f'{HEADER}\n1;"two\nlines";3\n{BAD};x\n', 4, "(row 3, header = row 1)"),
        (f"{HEADER}\n{GOOD}\n\n{BAD};x\n", 4, "(row 3"),
        (f"{HEADER}\n{GOOD}\n{INSZ_DOTTED};{NAME}\x00;{BIRTH}\n", 3, "NUL"),
    ],
)
def test_malformed_csv_names_the_line_not_the_row(tmp_path, body, line, match):
    refused(write(tmp_path, "intakes_2017_2018.csv", body), line=line, match=match)


def test_invalid_utf8_in_a_utf8_file(tmp_path):
    body = f"{HEADER}\n" + "85.07.30-033.28;Geïntegreerd;01/02/1990\n" * 3
    bad = f"{INSZ_DOTTED};{NAME}\xff;{BIRTH}\n".encode("latin-1")
    path = write(tmp_path, "x.csv", body.encode("utf-8") + bad)
    refused(path, line=5, match="invalid UTF-8")


def test_configured_encoding_that_does_not_fit(tmp_path):
    path = write(
        tmp_path, "x.csv", f"{HEADER}\n{GOOD}\n{INSZ_DOTTED};Jansé;{BIRTH}\n".encode("cp1252")
    )
    refused(path, line=3, match="cannot be decoded as utf-8", encoding="utf-8")
    refused(path, match="unknown encoding", encoding="no-such-codec")


def test_neither_utf8_nor_cp1252(tmp_path):
    path = write(
        tmp_path, "x.csv", f"{HEADER}\n{GOOD}\n".encode() + f"{BAD}\x81\n".encode("latin-1")
    )
    refused(path, line=3, match="neither UTF-8 nor Windows-1252")


def test_headerless_file_does_not_show_its_first_row(tmp_path):
    path = write(tmp_path, "x.csv", f"{INSZ_DOTTED};{INSZ_DOTTED};{BIRTH}\n{GOOD}\n")
    refused(path, match="duplicate column names")


def test_arrow_message_is_never_passed_on(tmp_path, monkeypatch):
    def broken(*args, **kwargs):
        raise pa.ArrowInvalid(f"CSV parse error: Expected 3 columns, got 4: {BAD};x")

    monkeypatch.setattr(readers.pacsv, "read_csv", broken)
    refused(write(tmp_path, "x.csv", f"{HEADER}\n{BAD}\n"), match="4 fields where the header has 3")


def test_bad_delimiter_setting(tmp_path):
    refused(write(tmp_path, "x.csv", f"{HEADER}\n{BAD}\n"), match="delimiter", delimiter="||")


@pytest.fixture
def workbook(tmp_path):
    path = tmp_path / "x.xlsx"
    pd.DataFrame({"INSZ": [INSZ_DOTTED], "Naam": [NAME], "Geboortedatum": [BIRTH]}).to_excel(
        path, sheet_name="Data", index=False
    )
    return path


@pytest.mark.parametrize(
    "data,match",
    [
        (f"{HEADER}\n{BAD}\n".encode(), "not an Excel workbook"),  # a CSV renamed to .xlsx
        (b"", "empty"),
        (readers.OLE2_MAGIC + BAD.encode(), "old .xls"),
    ],
)
def test_not_a_workbook(tmp_path, data, match):
    refused(write(tmp_path, "x.xlsx", data), match=match)


def test_zip_that_is_not_a_workbook(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(f"{BAD}.csv", f"{HEADER}\n{BAD}\n")
    refused(write(tmp_path, "x.xlsx", buffer.getvalue()), match="not a readable Excel workbook")


def test_truncated_workbook(tmp_path, workbook):
    data = workbook.read_bytes()
    refused(
        write(tmp_path, "cut.xlsx", data[: len(data) // 2]), match="not a readable Excel workbook"
    )


def test_missing_sheet_shows_no_cell(workbook):
    exc = refused(workbook, match="has no sheet 'Geen'", sheet="Geen")
    assert "'Data'" in str(exc)
    refused(workbook, match="has no sheet number 3", sheet=3)


def test_sheet_names_are_masked(tmp_path):
    path = tmp_path / "x.xlsx"
    pd.DataFrame({"a": [1]}).to_excel(path, sheet_name=INSZ_DOTTED[:-1] + "6", index=False)
    exc = refused(path, sheet="Data")
    assert "99.99.99-999.99" in str(exc)


def test_openpyxl_messages_are_never_passed_on(workbook, monkeypatch):
    from openpyxl.utils.exceptions import InvalidFileException

    def invalid(*args, **kwargs):
        raise InvalidFileException(f"cell A2 holds {BAD}")

    monkeypatch.setattr(readers.pd, "ExcelFile", invalid)
    refused(workbook, match="InvalidFileException")


def test_cell_conversion_error_is_never_passed_on(workbook, monkeypatch):
    def unreadable(self, *args, **kwargs):
        raise ValueError(f"could not convert string to float: '{INSZ_DOTTED}' ({BIRTH}, {NAME})")

    monkeypatch.setattr(pd.ExcelFile, "parse", unreadable)
    refused(workbook, match="sheet 0 cannot be read (ValueError)")


@pytest.mark.parametrize(
    "make",
    [
        lambda good: b"",
        lambda good: f"{HEADER}\n{BAD}\n".encode(),
        lambda good: good[: len(good) - 20],
        lambda good: good[:4] + BAD.encode() * 20 + good[-8:],
    ],
)
def test_broken_parquet(tmp_path, make):
    good = tmp_path / "good.parquet"
    pd.DataFrame({"INSZ": [INSZ_DOTTED], "Naam": [NAME], "Geboortedatum": [BIRTH]}).to_parquet(good)
    refused(write(tmp_path, "x.parquet", make(good.read_bytes())))


@pytest.mark.parametrize(
    "make",
    [
        lambda good: f"{HEADER}\n{BAD}\n".encode(),
        lambda good: good[: len(good) // 2],
        lambda good: good[:200] + BAD.encode() * 20,
    ],
)
def test_broken_sav(tmp_path, make):
    pyreadstat = pytest.importorskip("pyreadstat")
    good = tmp_path / "good.sav"
    pyreadstat.write_sav(pd.DataFrame({"INSZ": [INSZ_DOTTED] * 50, "Naam": [NAME] * 50}), str(good))
    refused(write(tmp_path, "x.sav", make(good.read_bytes())), match="SPSS")


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".parquet", ".sav"])
def test_directory(tmp_path, suffix):
    (tmp_path / f"x{suffix}").mkdir()
    refused(tmp_path / f"x{suffix}", match="is a directory")


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_permission_denied(tmp_path, suffix, monkeypatch):
    path = write(tmp_path, f"x{suffix}", f"{HEADER}\n{BAD}\n")
    real_open = type(path).open

    def denied(self, *args, **kwargs):
        if self == path:
            raise PermissionError(13, f"Permission denied: {BAD}", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(type(path), "open", denied)
    refused(path, match="permission denied")


def test_permission_denied_for_real(tmp_path):
    path = write(tmp_path, "x.csv", f"{HEADER}\n{BAD}\n")
    path.chmod(0)
    try:
        if os.access(path, os.R_OK):
            pytest.skip("running as a user who can read any file")
        refused(path, match="permission denied")
    finally:
        path.chmod(0o600)


def test_stray_quote_inside_a_value_is_fine(tmp_path):
    path = write(tmp_path, "x.csv", f'{HEADER}\n{GOOD}\n1;12" scherm;3\n')
    assert readers.read_export(path)["Naam"].to_pylist() == ["Peeters", '12" scherm']


# masking


@pytest.mark.parametrize(
    "value,expected",
    [
        ("85.07.30-033.61", "99.99.99-999.99"),
        ("85073003361", "99999999999"),
        ("5073003361", "9999999999"),  # lost its leading zero in a spreadsheet
        ("850730033", "999999999"),
        ("85073003361.0", "99999999999.0"),
        ("8.5073003361E+10", "9.9999999999E+99"),
        ("85.073.003.361", "99.999.999.999"),
        ("85 07 30 033 61", "99 99 99 999 99"),
        ("850730-033-61", "999999-999-99"),
        ("30/07/1985", "99/99/9999"),
        ("30-07-1985", "99-99-9999"),
        ("30.07.1985", "99.99.9999"),
        ("1985-07-30", "9999-99-99"),
        ("1985-07-30 00:00:00", "9999-99-99 99:99:99"),
        ("30/07/1985 14:05", "99/99/9999 99:99"),
        ("1/13/2017", "9/99/9999"),
        ("30/07/85", "99/99/99"),
        ("geboren 30/07/1985, INSZ 85073003361", "geboren 99/99/9999, INSZ 99999999999"),
        ("Lineair traject", "Lineair traject"),
        ("2017_2018", "2017_2018"),
        ("42", "42"),
        ("<1.1", "<1.1"),
        ("5,000,000", "5,000,000"),
        ("\x1b[31mrood\x1b[0m", "\\x1b[31mrood\\x1b[0m"),
        ("abc\u202edef", "abc\\u202edef"),
        ("a\nb\tc", "a\\nb\\tc"),
    ],
)
def test_mask_value(value, expected):
    assert mask_value(value) == expected


def test_mask_value_truncates_after_masking():
    text = mask_value("x" * 55 + INSZ_DOTTED + "y" * 100)
    assert text.startswith("x" * 55 + "99.99") and "(170 characters)" in text and len(text) < 90
    assert "85" not in text


def test_mask_identifiers_keeps_ordinary_text():
    text = (
        "/data/intakes_2017_2018.csv: line 12 (row 11): 4 fields; first rows: 2, 3, 4; "
        "export_2024-01-15.csv and 2024-01-15_vdab.xlsx; 3 of 1200000 rows"
    )
    assert mask_identifiers(text) == text


def test_mask_identifiers_masks_rows_quoted_in_messages():
    text = f"CSV parse error: Expected 3 columns, got 4: {BAD};x\n12,5073003361,1985-07-30T10:00:00"
    masked = mask_identifiers(text)
    assert masked == (
        "CSV parse error: Expected 3 columns, got 4: 99.99.99-999.99;Jansen;99/99/9999;x\n"
        "12,9999999999,9999-99-99T99:99:99"
    )
    assert mask_identifiers("\x1b]0;title\x07 ok\n") == "\\x1b]0;title\\x07 ok\n"


def test_escape_controls():
    text = "a\x00b\x7f\x9b\u200b\ufeff\U000e0001"
    assert escape_controls(text) == "a\\x00b\\x7f\\x9b\\u200b\\ufeff\\U000e0001"
    assert escape_controls("Syrië\u00a0é") == "Syrië\u00a0é"


def test_input_error_masks_merges_and_escapes_values():
    exc = InputError(
        "clients_2017.csv",
        "household",
        "unknown value",
        rows=[2, 3, 4],
        value_counts={INSZ_DOTTED: 2, "85.07.30-033.28": 1, "Alleen\x1b[2J": 1},
    )
    message = str(exc)
    assert "clients_2017.csv, column 'household': unknown value in 3 rows" in message
    assert "'99.99.99-999.99' (3), 'Alleen\\x1b[2J' (1)" in message
    assert "first rows: 2, 3, 4" in message
    assert "\x1b" not in message and INSZ_DOTTED not in repr(exc)
    assert exc.value_counts == {"99.99.99-999.99": 3, "Alleen\\x1b[2J": 1}


def test_input_error_masks_problem_and_hint_but_not_the_file():
    exc = InputError(
        "x_2024-01-15.csv",
        "Traject\u202e",
        f"bad header {INSZ_DOTTED}",
        hint=f"columns in the file: ['{INSZ_DOTTED.replace('.', '').replace('-', '')}', 'Naam']; "
        "reference dates: 2020-03-31",
        values=pd.Series([BIRTH, None]),
    )
    message = str(exc)
    assert message.startswith(
        "x_2024-01-15.csv, column 'Traject\\u202e': bad header 99.99.99-999.99"
    )
    assert (
        "['99999999999', 'Naam']" in message
        and "'<leeg>' (1)" in message
        and "'99/99/9999' (1)" in message
    )
    assert (
        "reference dates: 2020-03-31" in message
    )  # our own texts keep their dates; data values do not
    assert BIRTH not in message and INSZ_DOTTED not in message
