"""Output labels. Canonical values are the report's Dutch labels; English is a translation
applied when writing outputs (`language: en`). The texts come from the one catalogue,
`cob_analysis.i18n`; this module names what a value, a variable and a table column are called."""

from __future__ import annotations

import re

import pandas as pd

from cob_analysis import i18n
from cob_analysis.i18n import LANGUAGES, has_text

__all__ = [
    "LANGUAGES",
    "column_label",
    "export_label",
    "text",
    "translate_columns",
    "value_label",
    "variable_label",
]

# pct_started_6m, pct_started_6m_ci_low, pct_work_12m_max, ...: an estimate at a time point
_PCT_AT_MONTHS = re.compile(r"^pct_(started|work|kept)_(\d+|X)m(?:_(ci_low|ci_high|min|max))?$")
_BOUND_KEYS = {
    "ci_low": "column.ci_low",
    "ci_high": "column.ci_high",
    "min": "column.lower_bound",
    "max": "column.upper_bound",
}


def value_label(value: object, language: str = "nl") -> object:
    """The label of one canonical value in `language` (unknown values pass through)."""
    return i18n.value_label(value, language)


def translate_columns(
    frame: pd.DataFrame, columns: list[str], language: str = "nl"
) -> pd.DataFrame:
    """Translate the values of the given label columns of a table."""
    if language == "nl":
        return frame
    out = frame.copy()
    for column in columns:
        if column in out.columns:
            out[column] = out[column].map(lambda v: value_label(v, language))
    return out


def text(key: str, language: str = "nl", **fields: object) -> str:
    """A sentence the table writers print (`table.<key>` in the catalogue), with fields filled in."""
    return i18n.text(f"table.{key}", language, **fields)


def variable_label(name: str | None, language: str = "nl") -> str:
    """What a variable is called (`cohort` -> `Intakecohort`); `Totaal`/`Total` as a grouping is the
    total; unknown names pass through."""
    if name is None:
        return ""
    if name in ("Totaal", "Total"):
        return i18n.text("variable.total", language)
    key = f"variable.{name}"
    return i18n.text(key, language) if has_text(key) else name


def column_label(name: str, language: str = "nl", row_var: str | None = None) -> str:
    """The header people read for a CSV column name (the name itself when unknown)."""
    if name == "row":
        return variable_label(row_var, language) if row_var else ""
    if name == "group" and row_var and has_text(f"variable.{row_var}"):
        return variable_label(row_var, language)
    if has_text(f"column.{name}"):
        return i18n.text(f"column.{name}", language)
    if has_text(f"variable.{name}"):
        return variable_label(name, language)
    match = _PCT_AT_MONTHS.match(name)
    if match:
        measure, months, bound = match.groups()
        if bound:
            return i18n.text(_BOUND_KEYS[bound], language)
        return i18n.text(f"column.pct_{measure}", language, m=months)
    return name


def export_label(name: str, language: str = "nl") -> str:
    """What an export (`clients`, `art60`, ...) is called; unknown names pass through."""
    key = f"export.{name}"
    return i18n.text(key, language) if has_text(key) else name
