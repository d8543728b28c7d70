"""What the workflow writes, known from the config before any data is read: the table and
figure ids of each rule, and the intake cohorts of a window.

Imports nothing but the standard library: the Snakefile reads this module at every start, and
on a cluster every job starts by reading the Snakefile again, so pandas, lifelines or
matplotlib here would cost seconds per job. The modules that write these tables import their
ids from here (tests/test_outputs.py checks that they write exactly these).
"""

from __future__ import annotations

import datetime as dt

REPORT_TABLE_IDS = (
    "t02_vdab_status",
    "t04_work_status",
    "t05_cohort_work",
    "t06_trajectory_work",
    "t07_art60_by_trajectory",
    "t08_art60_timing",
    "t09_twe_result",
    "t10_art60_employers",
    "t11_gender_work",
    "t12_gender_household",
    "t13_household_work",
    "t14_nt2_work",
    "t15_agegroup_work",
    "t16_schooling_work",
)
ANALYSIS_TABLE_IDS = (
    "art60_timing_trajectory",
    "art60_timing_cohort",
    "km_art60_cohort",
    "km_art60_trajectory",
    "km_art60_cohort_at_risk",
    "km_art60_trajectory_at_risk",
    "km_art60_cohort_risk_table",
    "km_art60_trajectory_risk_table",
    "km_art60_logrank",
    "km_art60_pairwise_logrank",
    "cox_art60",
    "cox_art60_ph_check",
    "cox_art60_global_tests",
    "logit_work",
)
ANALYSIS_FIGURE_IDS = ("km_art60_cohort", "km_art60_trajectory", "cox_art60_forest")
LONGITUDINAL_TABLE_IDS = (
    "long_status_by_months",
    "long_transitions",
    "long_durable_work",
    "long_work_retention",
    "long_first_work_km",
    "traj_changes_matrix",
    "traj_changes_summary",
)
LONGITUDINAL_FIGURE_IDS = ("long_status_by_months", "long_first_work_km")

COHORT_KINDS = ("half-year", "quarter", "year")


def _as_date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value).strip()[:10])


def cohort_label(year: int, month: int, kind: str = "half-year") -> str:
    """The intake cohort of a month: `Voorjaar YYYY`/`Najaar YYYY`, `YYYY-Qn` or `YYYY`."""
    if kind == "half-year":
        return f"{'Voorjaar' if month <= 6 else 'Najaar'} {year}"
    if kind == "quarter":
        return f"{year}-Q{(month - 1) // 3 + 1}"
    if kind == "year":
        return str(year)
    raise ValueError(f"unknown cohort kind {kind!r}")


def cohorts_between(start, end, kind: str = "half-year") -> list[str]:
    """The labels of every cohort with a day between `start` and `end` (the intake window), in
    chronological order."""
    first, last = _as_date(start), _as_date(end)
    labels: list[str] = []
    year, month = first.year, first.month
    while first <= last and (year, month) <= (last.year, last.month):
        label = cohort_label(year, month, kind)
        if label not in labels:
            labels.append(label)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return labels


def cohort_slug(label: str) -> str:
    """A cohort label as a file and wildcard name: `Voorjaar 2017` -> `voorjaar-2017`."""
    return "-".join(str(label).lower().split())
