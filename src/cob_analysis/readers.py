"""Read a raw export of any supported format into a frame of text (or native date) columns.

CSV/TXT (`,` `;` or tab; UTF-8, UTF-8 with BOM or Windows-1252, detected unless configured),
XLSX (sheet configurable), Parquet and SPSS .sav (value labels applied)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd

from .errors import InputError

DELIMITERS = (";", ",", "\t")


def detect_encoding(raw: bytes, path: Path) -> str:
    """UTF-8 with BOM, UTF-8, else Windows-1252 (which decodes every byte but five)."""
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
    """The delimiter among `;`, `,` and tab that splits the header line most consistently."""
    sample = "\n".join(text.splitlines()[:20])
    try:
        return csv.Sniffer().sniff(sample, delimiters="".join(DELIMITERS)).delimiter
    except csv.Error:
        header = text.splitlines()[0] if text else ""
        return max(DELIMITERS, key=header.count)


def read_csv(path: Path, encoding: str | None = None, delimiter: str | None = None) -> pd.DataFrame:
    raw = path.read_bytes()
    if not raw.strip():
        raise InputError(str(path), None, "file is empty")
    encoding = encoding or detect_encoding(raw, path)
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as exc:
        raise InputError(str(path), None, f"cannot be decoded as {encoding} (byte offset {exc.start})") from exc
    if text.startswith("\ufeff"):
        text = text[1:]
    delimiter = delimiter or detect_delimiter(text)
    frame = pd.read_csv(
        io.StringIO(text), sep=delimiter, dtype=str, keep_default_na=False, na_filter=False,
        skipinitialspace=False,
    )
    return frame


def read_xlsx(path: Path, sheet: str | int | None) -> pd.DataFrame:
    try:
        frame = pd.read_excel(path, sheet_name=sheet if sheet is not None else 0, dtype=object, engine="openpyxl")
    except ValueError as exc:  # unknown sheet
        raise InputError(str(path), None, f"cannot read sheet {sheet!r}: {exc}") from exc
    return frame


def read_sav(path: Path) -> pd.DataFrame:
    import pyreadstat

    frame, _meta = pyreadstat.read_sav(str(path), apply_value_formats=True)
    return frame


def read_export(
    path: str | Path,
    *,
    sheet: str | int | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
) -> pd.DataFrame:
    """Read one export file as it is, with a `_row` column: its spreadsheet row number."""
    path = Path(path)
    if not path.exists():
        raise InputError(str(path), None, "file does not exist", hint="check exports.<name>.path in the config")
    suffix = path.suffix.lower()
    if suffix in (".csv", ".txt"):
        frame = read_csv(path, encoding, delimiter)
    elif suffix in (".xlsx", ".xlsm"):
        frame = read_xlsx(path, sheet)
    elif suffix == ".parquet":
        frame = pd.read_parquet(path)
    elif suffix == ".sav":
        frame = read_sav(path)
    else:
        raise InputError(str(path), None, f"unsupported file type '{suffix}' (csv, txt, xlsx, parquet, sav)")
    if frame.empty:
        raise InputError(str(path), None, "file has a header but no rows")
    frame.columns = [str(c).strip() for c in frame.columns]
    frame.insert(0, "_row", range(2, len(frame) + 2))
    return frame
