"""Output labels. Canonical values are the report's Dutch labels; English is a translation
applied when writing outputs (`language: en`)."""

from __future__ import annotations

import re

import pandas as pd

LANGUAGES = ("nl", "en")

# Dutch canonical value -> English label
_VALUES_EN: dict[str, str] = {
    "Totaal": "Total",
    "Werk": "Work",
    "Geen werk": "No work",
    "Onbekend": "Unknown",
    "Geen werk of onbekend": "No work or unknown",
    "Man": "Man",
    "Vrouw": "Woman",
    "Aanvragers met gezin ten laste": "Applicants with dependent family",
    "Alleenstaande": "Single",
    "Samenwoner": "Cohabiting",
    "Geen": "None",
    "Laag": "Low",
    "Midden": "Medium",
    "Hoog": "High",
    "Lineair": "Linear",
    "Jongerenproject (ESF)": "Youth project (ESF)",
    "SD/Activering": "SD/Activation",
    "VDAB": "VDAB",
    "Niet geregistreerd": "Not registered",
    "18-24j": "18-24y",
    "25-30j": "25-30y",
    "30+": "30+",
    "NEC": "NEC",
    "NEC in SE-bedrijf": "NEC in social-economy firm",
    "SEC": "SEC",
    "Afrika": "Africa",
    "Azië": "Asia",
    "Europa": "Europe",
    "Amerika": "America",
    "Oceanië": "Oceania",
    "Uitgeschreven": "Deregistered",
}

_COHORT = re.compile(r"^(Voorjaar|Najaar) (\d{4})$")

# Texts (titles, notes, captions) by key
_TEXT: dict[str, dict[str, str]] = {
    "missing_excluded": {
        "nl": "{n} cliënten zonder waarde voor {var} zijn niet opgenomen.",
        "en": "{n} clients without a value for {var} are left out.",
    },
}


def value_label(value: object, language: str = "nl") -> object:
    """The label of one canonical value in `language` (unknown values pass through)."""
    if language == "nl" or not isinstance(value, str):
        return value
    match = _COHORT.match(value)
    if match:
        season = "Spring" if match.group(1) == "Voorjaar" else "Autumn"
        return f"{season} {match.group(2)}"
    return _VALUES_EN.get(value, value)


def translate_columns(frame: pd.DataFrame, columns: list[str], language: str = "nl") -> pd.DataFrame:
    """Translate the values of the given label columns of a table."""
    if language == "nl":
        return frame
    out = frame.copy()
    for column in columns:
        if column in out.columns:
            out[column] = out[column].map(lambda v: value_label(v, language))
    return out


def text(key: str, language: str = "nl", **fields: object) -> str:
    """A sentence of the output in `language`, with fields filled in."""
    return _TEXT[key][language].format(**fields)


def pick(texts: dict[str, str], language: str) -> str:
    """Pick one language from a {'nl': ..., 'en': ...} dict."""
    return texts.get(language) or texts["nl"]
