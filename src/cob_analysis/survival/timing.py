"""Timing statistics: days from intake to the first art. 60 start, per group.

Only clients who started an art. 60 (`art60_started`) count, as in the report's Tabel 8.
Quartiles and the median use SPSS's default definition (EXAMINE / FREQUENCIES "HAVERAGE":
the weighted average at position (n + 1) p), so that an analyst who checks a number in SPSS
finds the same value.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from cob_analysis.tables_io import TOTAL, round_half_up

__all__ = [
    "TIMING_COLUMNS",
    "TimingInputError",
    "art60_timing",
    "group_order",
    "spss_quantile",
]

TIMING_COLUMNS = [
    "n",
    "mean_days",
    "sd_days",
    "median_days",
    "q1_days",
    "q3_days",
    "min_days",
    "max_days",
]

_COHORT_HALF = re.compile(r"^(Voorjaar|Najaar) (\d{4})$")
_COHORT_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
_COHORT_YEAR = re.compile(r"^(\d{4})$")


class TimingInputError(ValueError):
    """The clients frame cannot give timing statistics (missing columns, bad values)."""


def _cohort_key(value: str) -> tuple[int, int] | None:
    if (m := _COHORT_HALF.match(value)) is not None:
        return int(m.group(2)), 1 if m.group(1) == "Voorjaar" else 3
    if (m := _COHORT_QUARTER.match(value)) is not None:
        return int(m.group(1)), int(m.group(2))
    if (m := _COHORT_YEAR.match(value)) is not None:
        return int(m.group(1)), 0
    return None


def group_order(values: Iterable[object], order: Sequence[str] | None = None) -> list[str]:
    """The display order of the groups in `values` (nulls left out).

    Groups named in `order` come first, in that order, even when absent from `values`; groups
    not named follow. Without `order`: the categories of a categorical, else cohorts
    chronologically when every value is a cohort label, else sorted as text.
    """
    series = pd.Series(values) if not isinstance(values, pd.Series) else values
    present = [str(v) for v in pd.unique(series.dropna())]
    if order is not None:
        head = [str(g) for g in order]
        return head + sorted(g for g in present if g not in set(head))
    if isinstance(series.dtype, pd.CategoricalDtype):
        cats = [str(c) for c in series.cat.categories]
        return [c for c in cats if c in set(present)]
    keys = [_cohort_key(g) for g in present]
    if present and all(k is not None for k in keys):
        return [g for _, g in sorted(zip(keys, present, strict=True))]
    return sorted(present)


def spss_quantile(values: np.ndarray, q: float) -> float:
    """Quantile as SPSS computes it by default (HAVERAGE): position (n + 1) q, clipped."""
    data = np.sort(np.asarray(values, dtype=float))
    if data.size == 0:
        return float("nan")
    return float(np.quantile(data, q, method="weibull"))


def _stats(days: np.ndarray, decimals: int) -> dict[str, object]:
    n = int(days.size)
    if n == 0:
        return {"n": 0} | {c: None for c in TIMING_COLUMNS[1:]}
    return {
        "n": n,
        "mean_days": round_half_up(float(days.mean()), decimals),
        "sd_days": round_half_up(float(days.std(ddof=1)), decimals) if n > 1 else None,
        "median_days": round_half_up(spss_quantile(days, 0.5), decimals),
        "q1_days": round_half_up(spss_quantile(days, 0.25), decimals),
        "q3_days": round_half_up(spss_quantile(days, 0.75), decimals),
        "min_days": int(days.min()),
        "max_days": int(days.max()),
    }


def art60_timing(
    clients: pd.DataFrame,
    by: str,
    order: list[str] | None = None,
    *,
    label_column: str = "group",
    total_label: str = TOTAL,
    decimals: int = 1,
) -> pd.DataFrame:
    """N, mean, SD (ddof 1), median, quartiles, min and max of `days_to_art60` per group of
    column `by`, over the clients with `art60_started`, plus a `Totaal` row.

    Groups are ordered by `order` (see `group_order`); a group in `order` without starters
    gets n 0 and empty statistics. Clients whose `by` is null are left out of every row; their
    number is in `result.attrs["missing_excluded"]`. Statistics are rounded half-up to
    `decimals`; min and max are whole days.
    """
    missing = [c for c in (by, "art60_started", "days_to_art60") if c not in clients.columns]
    if missing:
        raise TimingInputError(f"clients frame lacks column(s): {', '.join(missing)}")
    started = clients["art60_started"].astype("boolean").fillna(False).astype(bool)
    days = pd.to_numeric(clients["days_to_art60"], errors="coerce")
    bad = started & days.isna()
    if bad.any():
        raise TimingInputError(
            f"{int(bad.sum())} client(s) have art60_started but no days_to_art60"
        )
    if (days[started] < 0).any():
        raise TimingInputError(
            f"{int((days[started] < 0).sum())} client(s) have a negative days_to_art60 "
            "(art. 60 before intake)"
        )

    starters = pd.DataFrame({"group": clients.loc[started, by], "days": days[started]})
    n_missing = int(starters["group"].isna().sum())
    starters = starters.dropna(subset=["group"])
    starters["group"] = starters["group"].astype(str)

    rows = []
    for group in group_order(clients[by], order):
        values = starters.loc[starters["group"] == group, "days"].to_numpy(dtype=float)
        rows.append({label_column: group} | _stats(values, decimals))
    rows.append({label_column: total_label} | _stats(starters["days"].to_numpy(float), decimals))
    result = pd.DataFrame(rows, columns=[label_column, *TIMING_COLUMNS])
    for column in ("n", "min_days", "max_days"):
        result[column] = result[column].astype("Int64")
    result.attrs["missing_excluded"] = n_missing
    return result
