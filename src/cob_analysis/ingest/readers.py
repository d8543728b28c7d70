"""Read a raw export of any supported format into an Arrow table.

CSV/TXT (`,` `;` or tab; UTF-8, UTF-8 with BOM or Windows-1252, detected unless configured)
are read by Arrow's multithreaded CSV reader with every column as text; XLSX (sheet
configurable) and SPSS .sav (value labels applied) go through pandas; Parquet is read as it
is (only the mapped columns when asked). Every table gets a `_row` column: the row's
spreadsheet number (header = row 1).

Every problem with a file is an :class:`InputError` naming the file (and the line, for a CSV)
but never a row's content: the readers' own exceptions, which may quote a row or a cell, are
neither shown nor chained."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from cob_analysis.errors import InputError

DELIMITERS = (";", ",", "\t")
SNIFF_BYTES = 1 << 16
ZIP_MAGIC = b"PK\x03\x04"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .xls and other pre-2007 Office files
ENCODING_HINT = "set exports.<name>.encoding in the config"


def _line_at(data: bytes | str, offset: int) -> int:
    """The line (from 1) holding position `offset`."""
    return data.count(b"\n" if isinstance(data, bytes) else "\n", 0, offset) + 1


def detect_encoding(raw: bytes, path: Path) -> str:
    """UTF-8 with BOM, UTF-8, else Windows-1252, judged on the first bytes and checked whole.

    A file that is mostly valid UTF-8 (more valid multi-byte characters than bad bytes) but has
    bad bytes is refused, naming the first bad line, rather than read as Windows-1252."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(
            str(path), None, "file is UTF-16 encoded; save it as UTF-8 or Windows-1252 CSV"
        )
    try:
        raw.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    replaced = raw.decode("utf-8", errors="replace")
    bad = replaced.count("\ufffd")
    multibyte = len(replaced) - len(replaced.encode("ascii", errors="ignore")) - bad
    if multibyte > bad:
        raise InputError(
            str(path),
            None,
            f"line {_line_at(raw, first_bad)}: invalid UTF-8 in a file that is otherwise UTF-8",
            hint="repair the file, or " + ENCODING_HINT,
        )
    try:
        raw.decode("cp1252")
        return "cp1252"
    except UnicodeDecodeError as exc:
        line = _line_at(raw, exc.start)
    raise InputError(
        str(path),
        None,
        f"line {line}: encoding is neither UTF-8 nor Windows-1252 (a byte that is neither)",
        hint=ENCODING_HINT,
    ) from None


def detect_delimiter(text: str) -> str:
    """The delimiter among `;`, `,` and tab that splits the header into the most fields (a
    header names several columns; values may hold any of the three, quoted). A header that
    none of them splits leaves the choice to the sniffer over the first lines."""
    lines = text.splitlines()
    header = lines[0] if lines else ""
    fields = {d: len(next(csv.reader([header], delimiter=d), [])) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: fields[d])
    if fields[best] > 1 and sorted(fields.values())[-2] < fields[best]:
        return best
    try:
        return csv.Sniffer().sniff("\n".join(lines[:20]), delimiters="".join(DELIMITERS)).delimiter
    except csv.Error:
        return best


def _where(line: int, row: int) -> str:
    return f"line {line}" + (f" (row {row}, header = row 1)" if row != line else "")


def _open_quote_at_end(lines: list[str], start: int, delimiter: str) -> bool:
    """True when the record starting at line `start` opens a quote that the file never closes."""
    reader = csv.reader(iter(lines[start - 1 :]), delimiter=delimiter, strict=True)
    try:
        next(reader)
    except csv.Error as exc:
        return "unexpected end of data" in str(exc)
    except StopIteration:
        pass
    return False


def locate_csv_problem(
    text: str, delimiter: str, n_columns: int, *, only_open_quote: bool = False
) -> str | None:
    """Where and what the first malformed record is (line, row, field counts), never its content.

    With `only_open_quote`, only a quote left open at the end of the file is looked for."""
    lines = io.StringIO(text, newline="").readlines()
    reader = csv.reader(iter(lines), delimiter=delimiter)
    try:
        next(reader)
    except StopIteration:
        return None
    except csv.Error:
        return "line 1 (the header) cannot be parsed"
    row = last = 1
    while True:
        start = reader.line_num + 1
        try:
            fields = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            where = _where(start, row + 1)
            if "field larger than field limit" in str(exc):
                limit = csv.field_size_limit()
                return f"{where}: a value longer than {limit} characters (a quote never closed?)"
            return f"{where}: cannot be parsed as CSV"
        if not fields:  # blank line, skipped like Arrow does
            continue
        row += 1
        last = start
        if len(fields) != n_columns and not only_open_quote:
            if _open_quote_at_end(lines, start, delimiter):
                return f"{_where(start, row)}: a quote opened in this row is never closed"
            found = len(fields)
            fields_found = f"{found} field{'s' if found != 1 else ''}"
            return f"{_where(start, row)}: {fields_found} where the header has {n_columns}"
    if row > 1 and _open_quote_at_end(lines, last, delimiter):
        return f"{_where(last, row)}: a quote opened in this row is never closed (is the file cut short?)"
    return None


def _arrow_problem(message: str) -> str:
    """What Arrow's CSV error says, without the row it quotes."""
    counts = re.search(r"Expected (\d+) columns, got (\d+)", message)
    if counts:
        return f"a row with {counts.group(2)} fields where the header has {counts.group(1)}"
    if "straddling object" in message:
        return "a row too large to read (a quote never closed?)"
    return "cannot be parsed as CSV"


def read_csv(path: Path, encoding: str | None = None, delimiter: str | None = None) -> pa.Table:
    file = str(path)
    raw = _read_bytes(path)
    if not raw.strip():
        raise InputError(file, None, "file is empty")
    encoding = encoding or detect_encoding(raw, path)
    failure = None
    try:
        text = raw.decode(encoding)
    except LookupError:
        failure = f"unknown encoding {encoding!r}"
    except UnicodeDecodeError as exc:
        failure = f"line {_line_at(raw, exc.start)}: cannot be decoded as {encoding}"
    if failure:
        raise InputError(file, None, failure, hint=ENCODING_HINT) from None
    del raw
    if text.startswith("\ufeff"):
        text = text[1:]
    nul = text.find("\x00")
    if nul >= 0:
        raise InputError(
            file,
            None,
            f"line {_line_at(text, nul)}: a NUL character (a binary file, or UTF-16 "
            "without a byte-order mark?)",
            hint="save it as a UTF-8 or Windows-1252 CSV",
        )
    if delimiter is not None and (len(delimiter) != 1 or delimiter in '"\r\n'):
        raise InputError(
            file,
            None,
            f"delimiter {delimiter!r} is not a single character other than a quote or newline",
            hint="set exports.<name>.delimiter to ';', ',' or a tab",
        )
    delimiter = delimiter or detect_delimiter(text[:SNIFF_BYTES])
    try:
        header = next(csv.reader(io.StringIO(text.split("\n", 1)[0]), delimiter=delimiter), [])
    except csv.Error:
        header = None
    if header is None:
        raise InputError(
            file,
            None,
            "line 1 (the header) cannot be parsed",
            hint="check exports.<name>.delimiter",
        )
    names = [name.strip() for name in header]
    if not any(names):
        raise InputError(file, None, "line 1 (the header) is empty")
    duplicated = sorted({name for name in names if names.count(name) > 1})
    if duplicated:
        raise InputError(file, None, f"duplicate column names in the header: {duplicated}")
    table, arrow_message = None, ""
    try:
        table = pacsv.read_csv(
            io.BytesIO(text.encode("utf-8")),
            read_options=pacsv.ReadOptions(column_names=names, skip_rows=1),
            parse_options=pacsv.ParseOptions(delimiter=delimiter, newlines_in_values=True),
            convert_options=pacsv.ConvertOptions(
                column_types={name: pa.string() for name in names},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except Exception as exc:  # noqa: BLE001 - Arrow's message quotes the row: keep only its gist
        arrow_message = _arrow_problem(str(exc))
    if table is None:
        problem = locate_csv_problem(text, delimiter, len(names)) or arrow_message
        hint = (
            "a quote inside a quoted value must be doubled"
            if "quote" in problem
            else "check exports.<name>.delimiter and the quotes in that line"
        )
        raise InputError(file, None, problem, hint=hint) from None
    if (
        text.count('"') % 2
    ):  # perhaps a quote left open at the end, which Arrow reads without complaint
        problem = locate_csv_problem(text, delimiter, len(names), only_open_quote=True)
        if problem:
            raise InputError(file, None, problem, hint="check the end of the file") from None
    return table


def _text_or_date(value: object) -> object:
    if value is None or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, pd.Timestamp | dt.datetime | dt.date):
        return value.strftime("%Y-%m-%d")
    return str(value)


def frame_to_arrow(frame: pd.DataFrame) -> pa.Table:
    """Pandas -> Arrow, with mixed object columns (text and dates from a spreadsheet) as text."""
    columns = {}
    for name in frame.columns:
        series = frame[name]
        if series.dtype == object:
            columns[str(name)] = pa.array([_text_or_date(v) for v in series], type=pa.string())
        else:
            columns[str(name)] = pa.Array.from_pandas(series)
    return pa.table(columns)


def _read_head(path: Path, n: int = 8) -> bytes:
    with path.open("rb") as handle:
        return handle.read(n)


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        problem = _os_problem(exc)
    raise InputError(str(path), None, problem) from None


def _os_problem(exc: OSError) -> str:
    if isinstance(exc, PermissionError):
        return "cannot be read: permission denied"
    if isinstance(exc, IsADirectoryError):
        return "is a directory, not a file"
    return f"cannot be read ({exc.strerror or type(exc).__name__})"


def read_xlsx(path: Path, sheet: str | int | None) -> pa.Table:
    file = str(path)
    head = _read_head(path)
    if head.startswith(OLE2_MAGIC):
        raise InputError(
            file,
            None,
            "is an old .xls workbook (or another pre-2007 Office file), not .xlsx",
            hint="save it as .xlsx or CSV",
        )
    if not head.startswith(ZIP_MAGIC):
        raise InputError(
            file,
            None,
            "is not an Excel workbook (an .xlsx file is a zip archive; this one "
            "is not: a CSV or other file renamed to .xlsx?)",
        )
    sheet = sheet if sheet is not None else 0
    failure = frame = None
    try:
        with pd.ExcelFile(path, engine="openpyxl") as book:
            sheets = [str(name) for name in book.sheet_names]
            if isinstance(sheet, int) and not 0 <= sheet < len(sheets):
                failure = f"has no sheet number {sheet} (sheets are numbered from 0; it has {len(sheets)})"
            elif not isinstance(sheet, int) and str(sheet) not in sheets:
                failure = f"has no sheet {str(sheet)!r}"
            else:
                try:
                    frame = book.parse(sheet, dtype=object)
                except Exception as exc:  # noqa: BLE001 - openpyxl's messages may quote a cell
                    failure = f"sheet {sheet!r} cannot be read ({type(exc).__name__})"
    except Exception as exc:  # noqa: BLE001 - zip, XML and openpyxl errors alike
        failure, sheets = f"is not a readable Excel workbook ({type(exc).__name__})", None
    if failure:
        missing = "no sheet" in failure
        hint = f"sheets in the workbook: {sheets}; set exports.<name>.sheet" if missing else None
        raise InputError(file, None, failure, hint=hint) from None
    return _convert(path, frame, "sheet")


def _convert(path: Path, frame: pd.DataFrame, what: str) -> pa.Table:
    try:
        return frame_to_arrow(frame)
    except Exception as exc:  # noqa: BLE001 - the message could quote a value
        problem = f"a column of the {what} cannot be converted ({type(exc).__name__})"
    raise InputError(str(path), None, problem) from None


def read_sav(path: Path) -> pa.Table:
    import pyreadstat

    try:
        frame, _meta = pyreadstat.read_sav(str(path), apply_value_formats=True)
    except Exception as exc:  # noqa: BLE001 - ReadStat errors, and whatever a corrupt file raises
        problem = f"is not a readable SPSS .sav file ({type(exc).__name__})"
    else:
        return _convert(path, frame, "file")
    raise InputError(str(path), None, problem) from None


def read_parquet(path: Path, columns: Iterable[str] | None) -> pa.Table:
    asked = set(columns) if columns is not None else set()
    try:
        wanted = [name for name in pq.read_schema(path).names if str(name).strip() in asked]
        complete = bool(asked) and {str(name).strip() for name in wanted} >= asked
        return pq.read_table(path, columns=wanted if complete else None)
    except Exception as exc:  # noqa: BLE001 - Arrow errors, and whatever a corrupt file raises
        problem = f"is not a readable Parquet file ({type(exc).__name__})"
    raise InputError(str(path), None, problem) from None


def _file_problem(path: Path) -> str | None:
    """Why `path` cannot be read as a file, if it cannot."""
    try:
        if not path.exists():
            return "file does not exist"
        if path.is_dir():
            return "is a directory, not a file"
        if not _read_head(path, 1):
            return "file is empty"
    except OSError as exc:
        return _os_problem(exc)
    return None


def read_export(
    path: str | Path,
    *,
    sheet: str | int | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
    columns: Iterable[str] | None = None,
) -> pa.Table:
    """Read one export file as it is, plus `_row`, its spreadsheet row number.

    `columns` (raw headers) lets a Parquet export be read without its other columns; when one
    of them is absent the whole file is read, so that the error lists every column."""
    path = Path(path)
    problem = _file_problem(path)
    if problem:
        hint = (
            "check exports.<name>.path in the config" if problem == "file does not exist" else None
        )
        raise InputError(str(path), None, problem, hint=hint)
    suffix = path.suffix.lower()
    if suffix in (".csv", ".txt"):
        table = read_csv(path, encoding, delimiter)
    elif suffix in (".xlsx", ".xlsm"):
        table = read_xlsx(path, sheet)
    elif suffix == ".parquet":
        table = read_parquet(path, columns)
    elif suffix == ".sav":
        table = read_sav(path)
    else:
        raise InputError(
            str(path), None, f"unsupported file type '{suffix}' (csv, txt, xlsx, parquet, sav)"
        )
    if table.num_rows == 0:
        raise InputError(str(path), None, "file has a header but no rows")
    table = table.rename_columns([str(c).strip() for c in table.column_names])
    return table.add_column(0, "_row", pa.array(np.arange(2, table.num_rows + 2, dtype=np.int64)))
