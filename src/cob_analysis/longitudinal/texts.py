"""The longitudinal view's texts, Dutch and English (titles, notes, definitions), from the catalogue."""

from __future__ import annotations

from cob_analysis.i18n import text
from cob_analysis.labels import LANGUAGES, variable_label

# The longitudinal view's texts are `longitudinal.<key>` in the catalogue (`cob_analysis.i18n`);
# a grouping variable's name (`cohort`, `trajectory`) is its variable label.
_VARIABLES = ("cohort", "trajectory")


def _t(key: str, language: str, **fields: object) -> str:
    language = language if language in LANGUAGES else "nl"
    if key in _VARIABLES:
        return variable_label(key, language)
    return text(f"longitudinal.{key}", language, **fields)


def _check_language(language: str) -> None:
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}, not {language!r}")
