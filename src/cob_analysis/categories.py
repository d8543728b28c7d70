"""Canonical values, their order in tables, and derived categories (cohort, age group)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from cob_analysis.outputs import cohort_slug, cohorts_between  # noqa: F401 (re-exported)
from cob_analysis.storage import TEXT

WORK = "Werk"
NO_WORK = "Geen werk"
UNKNOWN = "Onbekend"
NO_WORK_OR_UNKNOWN = "Geen werk of onbekend"
WORK_STATUSES = (WORK, NO_WORK, UNKNOWN)
REPORT_WORK_COLUMNS = (NO_WORK_OR_UNKNOWN, WORK)

ORDER: dict[str, tuple[str, ...]] = {
    "trajectory": ("VDAB", "SD/Activering", "Lineair", "Jongerenproject (ESF)"),
    "gender": ("Man", "Vrouw"),
    "household": ("Aanvragers met gezin ten laste", "Alleenstaande", "Onbekend", "Samenwoner"),
    "schooling": ("Geen", "Laag", "Midden", "Hoog"),
    "nt2_level": (
        "0",
        "<1.1",
        "1.1",
        "1.2",
        "2.1",
        "2.2",
        "2.3",
        "2.4",
        "3.1",
        "3.2",
        "3.3",
        "3.4",
        "4.1",
        "4.2",
        "4.3",
        "4.4",
    ),
    "age_group": ("18-24j", "25-30j", "30+"),
    "twe_result": ("Geen werk", "NEC", "NEC in SE-bedrijf", "SEC"),
    "work_status": WORK_STATUSES,
}


def cohort_labels(dates: pd.Series, kind: str = "half-year") -> pd.Series:
    """Intake cohort label per date: `Voorjaar YYYY`/`Najaar YYYY`, `YYYY-Qn` or `YYYY`.

    Labelled once per distinct date (a few hundred), then spread over the rows."""
    dates = pd.to_datetime(pd.Series(dates))
    codes, distinct = pd.factorize(dates)
    labels = (
        _cohort_labels(pd.Series(distinct), kind).astype(object).where(lambda v: v.notna(), None)
    )
    values = np.array([*labels, None], dtype=object)[codes]  # code -1 (missing date) -> None
    return pd.Series(values, index=dates.index, dtype=TEXT)


def _cohort_labels(dates: pd.Series, kind: str) -> pd.Series:
    year = dates.dt.year.astype("Int64").astype("string")
    if kind == "half-year":
        season = np.where(dates.dt.month <= 6, "Voorjaar ", "Najaar ")
        out = season + year
    elif kind == "quarter":
        out = year + "-Q" + dates.dt.quarter.astype("Int64").astype("string")
    elif kind == "year":
        out = year
    else:
        raise ValueError(f"unknown cohort kind {kind!r}")
    return pd.Series(out, index=dates.index, dtype="string").where(dates.notna())


def cohort_order(labels: pd.Series | list[str], kind: str = "half-year") -> list[str]:
    """Cohort labels in chronological order."""
    if isinstance(labels, pd.Series):
        labels = labels.dropna().unique()
    unique = sorted({label for label in labels if isinstance(label, str)})
    if kind == "half-year":
        return sorted(unique, key=lambda s: (s.split(" ")[1], 0 if s.startswith("Voorjaar") else 1))
    return unique


def age_in_years(birth: pd.Series, at: pd.Series) -> pd.Series:
    """Completed years between two date Series (null where either is null)."""
    birth = pd.to_datetime(birth)
    at = pd.to_datetime(at)
    years = at.dt.year - birth.dt.year
    before_birthday = (at.dt.month < birth.dt.month) | (
        (at.dt.month == birth.dt.month) & (at.dt.day < birth.dt.day)
    )
    return (years - before_birthday.astype(int)).astype("Int64")


ADULT_AGE = 18


def age_group(age: pd.Series) -> pd.Series:
    """`18-24j` (18..24), `25-30j` (25..30), `30+` (31 and older), as the report groups them.

    Younger than 18 is in no group (null, like an unknown age): the tables count it among the
    missing and the linkage notes count it apart."""
    age = pd.Series(age, dtype="Int64")
    out = pd.Series(pd.NA, index=age.index, dtype=TEXT)
    out[(age >= ADULT_AGE) & (age < 25)] = "18-24j"
    out[(age >= 25) & (age <= 30)] = "25-30j"
    out[age >= 31] = "30+"
    return out


def collapse_work(work_status: pd.Series) -> pd.Series:
    """The report's two columns: `Werk` and `Geen werk of onbekend`."""
    return pd.Series(
        np.where(work_status == WORK, WORK, NO_WORK_OR_UNKNOWN), index=work_status.index, dtype=TEXT
    )
