"""Named errors for bad input. Each message names the file, the column, the offending values
with their counts, how many rows and the first row numbers, and what to do about it.

Nothing in a message may reveal a national register number or a birth date: values that look
like one are shown by their shape only (digits as 9), control characters are escaped and long
values are cut short (:func:`mask_value`, :func:`mask_identifiers`)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

import pandas as pd

MAX_VALUES_SHOWN = 10
MAX_ROWS_SHOWN = 5
MAX_VALUE_CHARS = 60

_SEP = r"[ .\-/]?"
# 11 digits grouped YY MM DD SSS CC, with or without separators (85.07.30-033.61, 85073003361)
_INSZ = rf"\d{{2}}{_SEP}\d{{2}}{_SEP}\d{{2}}{_SEP}\d{{3}}{_SEP}\d{{2}}"
# a number printed with thousands separators (85.073.003.361); masked from 9 digits on
_GROUPED = r"\d{1,3}(?P<g>[.,' ])\d{3}(?:(?P=g)\d{3}){1,3}(?![.,' ]\d)"
# a number in scientific notation near 1e10, as Excel writes an 11-digit number
_SCIENTIFIC = r"\d(?:[.,]\d+)?[eE]\+?0?(?:8|9|10)"
# 9 or more digits: an INSZ, also one that lost its leading zeros as a spreadsheet number
_LONG = r"(?<!\d\.)\d{9,}"
_TIME = r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?)?"
_DATE = (
    r"(?:\d{4}(?P<a>[-/.])\d{1,2}(?P=a)\d{1,2}"  # yyyy-mm-dd
    r"|\d{1,2}(?P<b>[-/.])\d{1,2}(?P=b)\d{4}"  # dd/mm/yyyy, dd-mm-yyyy, dd.mm.yyyy
    r"|\d{1,2}(?P<c>[-/])\d{1,2}(?P=c)\d{2})" + _TIME  # dd/mm/yy
)
_IDENTIFIER = re.compile(
    rf"(?<!\d)(?:(?P<insz>{_INSZ})|(?P<date>{_DATE})|(?P<grouped>{_GROUPED})"
    rf"|(?P<sci>{_SCIENTIFIC})|(?P<long>{_LONG}))(?!\d)"
)
_DIGIT = re.compile(r"\d")
_ESCAPED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})
_SHORT_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _shape(text: str) -> str:
    return _DIGIT.sub("9", text)


def _mask(text: str, in_names: bool, dates: bool = True) -> str:
    """Identifier-like substrings as their shape; with `in_names`, a date glued to a name
    (`intakes_2024-01-15.csv`) is left alone; without `dates`, dates are left alone."""

    def replace(match: re.Match[str]) -> str:
        found = match.group(0)
        if not dates and match.group("date") is not None:
            return found
        if match.group("grouped") is not None and sum(c.isdigit() for c in found) < 9:
            return found
        if in_names and match.group("date") is not None:
            before = text[match.start() - 1 : match.start()]
            after = text[match.end() : match.end() + 2]
            if re.fullmatch(r"[^\W\d]|_", before) or re.match(r"_|\.[^\W\d]", after):
                return found
        return _shape(found)

    return _IDENTIFIER.sub(replace, text)


def escape_controls(text: str, keep: str = "") -> str:
    """Control, format (bidi overrides, zero-width) and line separator characters as `\\x1b`,
    `\\u202e`, `\\n`; characters in `keep` stay as they are."""
    if text.isprintable():
        return text
    out = []
    for ch in text:
        if ch not in keep and unicodedata.category(ch) in _ESCAPED_CATEGORIES:
            code = ord(ch)
            out.append(
                _SHORT_ESCAPES.get(ch)
                or (
                    f"\\x{code:02x}"
                    if code < 0x100
                    else f"\\u{code:04x}"
                    if code < 0x10000
                    else f"\\U{code:08x}"
                )
            )
        else:
            out.append(ch)
    return "".join(out)


def mask_value(value: object) -> str:
    """A data value fit for a message: register numbers, long numbers and dates by their shape
    (`99.99.99-999.99`, `99/99/9999`), control characters escaped, at most MAX_VALUE_CHARS."""
    text = escape_controls(_mask(str(value), in_names=False))
    if len(text) > MAX_VALUE_CHARS:
        text = f"{text[:MAX_VALUE_CHARS]}... ({len(text)} characters)"
    return text


def mask_identifiers(text: str) -> str:
    """Free text (an exception message, a log line) with every register-number-like or
    date-like substring shown by its shape and control characters other than newline and tab
    escaped. Short numbers, years (2017_2018) and dates inside file names are kept."""
    return escape_controls(_mask(str(text), in_names=True), keep="\n\t")


def mask_numbers(text: str) -> str:
    """A message of ours (a problem, a hint): register-number-like numbers by their shape, dates
    kept (a configured reference date or intake window must stay readable; data values, where
    a birth date could be, go through `mask_value`)."""
    return escape_controls(_mask(str(text), in_names=True, dates=False), keep="\n\t")


def _masked_counts(counts: dict[str, int]) -> dict[str, int]:
    merged: dict[str, int] = {}
    for value, n in counts.items():
        shown = mask_value(value)
        merged[shown] = merged.get(shown, 0) + int(n)
    return dict(sorted(merged.items(), key=lambda item: -item[1]))


class InputError(ValueError):
    """Bad input in a raw export. Values are kept (`value_counts`) and shown masked."""

    def __init__(
        self,
        file: str,
        column: str | None,
        problem: str,
        values: pd.Series | None = None,
        rows: Iterable[int] | None = None,
        hint: str | None = None,
        n_rows: int | None = None,
        value_counts: dict[str, int] | None = None,
    ):
        self.file = str(file)
        self.column = column
        self.problem = problem
        self.rows = [int(r) for r in rows] if rows is not None else []
        self._n_rows = n_rows
        counts = dict(value_counts or {})
        if values is not None:
            series = pd.Series(values).astype("string").fillna("<leeg>").value_counts(sort=False)
            series = series.sort_values(ascending=False, kind="stable")
            counts = {str(k): int(v) for k, v in series.items()}
        self.value_counts: dict[str, int] = _masked_counts(counts)
        self.hint = hint
        super().__init__(self._message())

    @property
    def n_rows(self) -> int:
        """Rows with the problem (the message lists only the first few)."""
        return self._n_rows if self._n_rows is not None else len(self.rows)

    def _message(self) -> str:
        where = escape_controls(self.file)
        if self.column:
            where += f", column '{escape_controls(str(self.column))}'"
        parts = [f"{where}: {escape_controls(mask_numbers(self.problem))}"]
        if self.n_rows:
            parts[0] += f" in {self.n_rows} row{'s' if self.n_rows != 1 else ''}"
        if self.value_counts:
            shown = list(self.value_counts.items())[:MAX_VALUES_SHOWN]
            text = ", ".join(f"'{k}' ({v})" for k, v in shown)
            more = len(self.value_counts) - len(shown)
            parts.append(f"values: {text}" + (f" and {more} more" if more > 0 else ""))
        if self.rows:
            first = ", ".join(str(r) for r in self.rows[:MAX_ROWS_SHOWN])
            parts.append(f"first rows: {first} (spreadsheet numbering, header = row 1)")
        if self.hint:
            parts.append(escape_controls(mask_numbers(self.hint)))
        return "; ".join(parts) + "."


class PseudonymisationKeyError(RuntimeError):
    """No usable pseudonymisation key."""
