"""Read a raw export of any supported format into an Arrow table.

CSV/TXT (`,` `;` or tab; UTF-8, UTF-8 with BOM or Windows-1252, detected unless configured)
are read by Arrow's multithreaded CSV reader with every column as text; XLSX (sheet
configurable) and SPSS .sav (value labels applied) go through pandas; Parquet is read as it
is (only the mapped columns when asked). Every table gets a `_row` column: the row's
spreadsheet number (header = row 1)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from .errors import InputError

DELIMITERS = (";", ",", "\t")
SNIFF_BYTES = 1 << 16


def detect_encoding(raw: bytes, path: Path) -> str:
    """UTF-8 with BOM, UTF-8, else Windows-1252, judged on the first bytes and checked whole."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(str(path), None, "file is UTF-16 encoded; save it as UTF-8 or Windows-1252 CSV")
    try:
        raw.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        raw.decode("cp1252")
        return "cp1252"
    except UnicodeDecodeError as exc:
        raise InputError(
            str(path), None, f"encoding is neither UTF-8 nor Windows-1252 (undecodable byte at offset {exc.start})",
            hint="set exports.<name>.encoding in the config",
        ) from exc


def detect_delimiter(text: str) -> str:
    """The delimiter among `;`, `,` and tab that splits the first lines most consistently."""
    sample = "\n".join(text.splitlines()[:20])
    try:
        return csv.Sniffer().sniff(sample, delimiters="".join(DELIMITERS)).delimiter
    except csv.Error:
        header = text.splitlines()[0] if text else ""
        return max(DELIMITERS, key=header.count)


def read_csv(path: Path, encoding: str | None = None, delimiter: str | None = None) -> pa.Table:
    raw = path.read_bytes()
    if not raw.strip():
        raise InputError(str(path), None, "file is empty")
    encoding = encoding or detect_encoding(raw, path)
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as exc:
        raise InputError(str(path), None, f"cannot be decoded as {encoding} (byte offset {exc.start})") from exc
    del raw
    if text.startswith("\ufeff"):
        text = text[1:]
    delimiter = delimiter or detect_delimiter(text[:SNIFF_BYTES])
    header = next(csv.reader(io.StringIO(text.split("\n", 1)[0]), delimiter=delimiter))
    names = [name.strip() for name in header]
    if len(set(names)) != len(names):
        raise InputError(str(path), None, f"duplicate column names in the header: {names}")
    table = pacsv.read_csv(
        io.BytesIO(text.encode("utf-8")),
        read_options=pacsv.ReadOptions(column_names=names, skip_rows=1),
        parse_options=pacsv.ParseOptions(delimiter=delimiter, newlines_in_values=True),
        convert_options=pacsv.ConvertOptions(
            column_types={name: pa.string() for name in names}, strings_can_be_null=False,
            quoted_strings_can_be_null=False,
        ),
    )
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


def read_xlsx(path: Path, sheet: str | int | None) -> pa.Table:
    try:
        frame = pd.read_excel(path, sheet_name=sheet if sheet is not None else 0, dtype=object, engine="openpyxl")
    except ValueError as exc:  # unknown sheet
        raise InputError(str(path), None, f"cannot read sheet {sheet!r}: {exc}") from exc
    return frame_to_arrow(frame)


def read_sav(path: Path) -> pa.Table:
    import pyreadstat

    frame, _meta = pyreadstat.read_sav(str(path), apply_value_formats=True)
    return frame_to_arrow(frame)


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
    if not path.exists():
        raise InputError(str(path), None, "file does not exist", hint="check exports.<name>.path in the config")
    suffix = path.suffix.lower()
    if suffix in (".csv", ".txt"):
        table = read_csv(path, encoding, delimiter)
    elif suffix in (".xlsx", ".xlsm"):
        table = read_xlsx(path, sheet)
    elif suffix == ".parquet":
        asked = set(columns) if columns is not None else set()
        wanted = [name for name in pq.read_schema(path).names if str(name).strip() in asked]
        complete = bool(asked) and {str(name).strip() for name in wanted} >= asked
        table = pq.read_table(path, columns=wanted if complete else None)
    elif suffix == ".sav":
        table = read_sav(path)
    else:
        raise InputError(str(path), None, f"unsupported file type '{suffix}' (csv, txt, xlsx, parquet, sav)")
    if table.num_rows == 0:
        raise InputError(str(path), None, "file has a header but no rows")
    table = table.rename_columns([str(c).strip() for c in table.column_names])
    return table.add_column(0, "_row", pa.array(np.arange(2, table.num_rows + 2, dtype=np.int64)))
