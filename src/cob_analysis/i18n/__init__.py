"""The one catalogue of the texts people read: table titles and notes, figures, the workbook and the
HTML report.

One module per language (`nl.py`, `en.py`), each a flat `TEXTS` dict keyed `<area>.<name>`
with the same keys and the same `{fields}` (a test checks it), and `VALUES`: the labels of
the canonical (Dutch) values in that language. This module reads them:

- `text(key, language, **fields)`: one text with its fields filled in;
- `value_label(value, language)`: the label of a canonical value (unknown values pass through);
- `display_label(value, language)`: the same, and also the labels of the shipped VDAB recoding
  table (`RECODING_LABELS`), for what the workbook and the report show;
- `format_number(value, decimals, language)`: a number as printed (decimal comma in Dutch);
- `localise_decimals(text, language)`: decimal points in a sentence written by another module,
  as the language writes them.
"""

from __future__ import annotations

import math
import re
import string

from cob_analysis.i18n import en, nl

__all__ = [
    "LANGUAGES",
    "TEXTS",
    "display_label",
    "fields_of",
    "format_number",
    "has_text",
    "localise_decimals",
    "text",
    "value_label",
]

LANGUAGES = ("nl", "en")
TEXTS: dict[str, dict[str, str]] = {"nl": nl.TEXTS, "en": en.TEXTS}
_VALUES: dict[str, dict[str, str]] = {"nl": nl.VALUES, "en": en.VALUES}
_RECODING_LABELS: dict[str, dict[str, str]] = {"nl": nl.RECODING_LABELS, "en": en.RECODING_LABELS}
_SEASONS = {"en": {"Voorjaar": "Spring", "Najaar": "Autumn"}}
_COHORT = re.compile(r"^(Voorjaar|Najaar) (\d{4})$")
# a decimal number with two or more decimals: NT2 levels such as 1.1 or 2.4 have one and stay
_DECIMAL_POINT = re.compile(r"(?<![\w.,])(\d+)\.(\d{2,})(?!\w|[.,]\d)")


def _check(language: str) -> None:
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}, not {language!r}")


def text(key: str, language: str = "nl", **fields: object) -> str:
    """The text `key` in `language`, with its fields filled in."""
    _check(language)
    return TEXTS[language][key].format(**fields)


def has_text(key: str) -> bool:
    return key in TEXTS["nl"]


def fields_of(template: str) -> set[str]:
    """The names of the `{fields}` of a text."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def value_label(value: object, language: str = "nl") -> object:
    """The label of one canonical value in `language` (unknown values and non-text pass through)."""
    _check(language)
    if not isinstance(value, str) or language == "nl":
        return value
    match = _COHORT.match(value)
    if match:
        return f"{_SEASONS[language][match.group(1)]} {match.group(2)}"
    return _VALUES[language].get(value, value)


def display_label(value: object, language: str = "nl") -> object:
    """What the workbook and the report show for a value: its label, or the recoding table's
    label in `language`."""
    label = value_label(value, language)
    return _RECODING_LABELS[language].get(label, label) if isinstance(label, str) else label


def format_number(
    value: float | None, decimals: int, language: str = "nl", *, percent: bool = False
) -> str:
    """A number as printed: fixed decimals, decimal comma in Dutch, `%` for percentages."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    printed = f"{value:.{decimals}f}"
    if language == "nl":
        printed = printed.replace(".", ",")
    return printed + ("%" if percent else "")


def localise_decimals(sentence: str, language: str) -> str:
    """`sentence` with the decimal points of its numbers as `language` writes them (Dutch: a
    comma). Only numbers with two or more decimals are read as decimals: `0.670` becomes
    `0,670`, while category labels such as NT2 level `1.1`, dates and versions stay as written."""
    if language != "nl":
        return sentence
    return _DECIMAL_POINT.sub(r"\1,\2", sentence)
