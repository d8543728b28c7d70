"""Text made safe for the outputs people open: CSV tables, the workbook and the HTML report.

- `clean_text` removes what must never reach an output verbatim: ANSI terminal escapes, C0/C1
  control characters and the Unicode bidirectional controls (U+061C, U+200E/U+200F,
  U+202A-U+202E, U+2066-U+2069), plus U+FEFF and lone surrogates. They are removed, not replaced
  by U+FFFD: none of them is visible text. Line breaks and tabs become one space each (or are
  kept, with `multiline=True`, for preformatted text).
- `neutralise_cell` cleans a text cell and prefixes a single quote when it starts with `=`,
  `+`, `-`, `@` (after leading whitespace; OWASP CSV injection), so a spreadsheet never runs it
  as a formula. A plain negative number written as text (`-3`, `-1.5`, `-2e-05`) is left as it
  is: a spreadsheet reads it as that number, not a formula. `+1` is prefixed.
- `write_csv` writes a frame with every text cell (and column name) neutralised.
- `needs_isolation` says whether a text holds right-to-left characters or bidi controls, i.e.
  whether it could reorder what is printed around it (the HTML report wraps such text in `<bdi>`).
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pandas as pd

__all__ = [
    "clean_text",
    "csv_text",
    "needs_isolation",
    "neutralise_cell",
    "neutralise_frame",
    "write_csv",
]

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
BIDI_CONTROLS = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"

_ANSI = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI: colours, cursor movement
    r"|\x9b[0-?]*[ -/]*[@-~]"  # the same with the 8-bit CSI
    r"|\x1b[P\]X^_][^\x07\x1b]*(?:\x07|\x1b\\)"  # OSC, DCS etc. strings (window titles, hyperlinks)
    r"|\x1b[ -/]*[0-~]"  # two-character escapes
)
_LINE_BREAK = re.compile(r"\r\n|[\n\r\v\f\x85\u2028\u2029]")
_TAB = re.compile(r"\t")
_REMOVED = re.compile(
    f"[\\x00-\\x08\\x0e-\\x1f\\x7f-\\x84\\x86-\\x9f{BIDI_CONTROLS}\\ufeff\\ud800-\\udfff]"
)
_NEGATIVE_NUMBER = re.compile(r"-(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_RTL_CLASSES = frozenset(
    {"R", "AL", "AN", "RLE", "LRE", "RLO", "LRO", "PDF", "RLI", "LRI", "FSI", "PDI"}
)


def clean_text(text: str, *, multiline: bool = False) -> str:
    """`text` without control characters, terminal escapes or bidi controls; line breaks and tabs
    become spaces (kept as `\\n` and tab with `multiline`)."""
    text = _ANSI.sub("", text)
    text = _LINE_BREAK.sub("\n" if multiline else " ", text)
    if not multiline:
        text = _TAB.sub(" ", text)
    return _REMOVED.sub("", text)


def neutralise_cell(text: str) -> str:
    """A cleaned text cell that no spreadsheet reads as a formula (`'` prefixed when needed)."""
    text = clean_text(text)
    start = text.lstrip()
    if start.startswith(FORMULA_PREFIXES) and not _NEGATIVE_NUMBER.fullmatch(start):
        return "'" + text
    return text


def needs_isolation(text: str) -> bool:
    """True when `text` holds right-to-left characters or bidi controls."""
    return any(unicodedata.bidirectional(ch) in _RTL_CLASSES or ch in BIDI_CONTROLS for ch in text)


def _is_text(dtype) -> bool:
    return pd.api.types.is_object_dtype(dtype) or pd.api.types.is_string_dtype(dtype)


def _neutral_column(column: pd.Series) -> pd.Series:
    categorical = isinstance(column.dtype, pd.CategoricalDtype)
    if not _is_text(column.cat.categories.dtype if categorical else column.dtype):
        return column  # numbers, dates, booleans: written as they are
    values = [neutralise_cell(v) if isinstance(v, str) else v for v in column]
    if all(new == old for new, old in zip(values, column, strict=True) if isinstance(old, str)):
        return column
    dtype = object if categorical else column.dtype  # cleaned categories may merge: plain text
    return pd.Series(values, index=column.index, name=column.name, dtype=dtype)


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` with every text cell and column name through `neutralise_cell` (a copy when any changes)."""
    changed = {}
    for i in range(frame.shape[1]):
        column = frame.iloc[:, i]
        new = _neutral_column(column)
        if new is not column:
            changed[i] = new
    names = [neutralise_cell(c) if isinstance(c, str) else c for c in frame.columns]
    if not changed and names == list(frame.columns):
        return frame
    out = frame.copy()
    for i, column in changed.items():
        out.isetitem(i, column)
    out.columns = names
    return out


def csv_text(frame: pd.DataFrame) -> str:
    """`frame` as the project's CSVs hold it (`,`, `\\n`, no index), text neutralised."""
    return neutralise_frame(frame).to_csv(index=False, lineterminator="\n")


def write_csv(frame: pd.DataFrame, path: str | Path) -> Path:
    """Write `csv_text(frame)` as UTF-8, atomically."""
    from cob_analysis.storage import write_text

    return write_text(csv_text(frame), path)
