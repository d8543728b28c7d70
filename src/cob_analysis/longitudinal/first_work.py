"""Time to the first observed work: interval-censored per client, estimated by Turnbull
(`cob_analysis.stats.turnbull`) per group."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from cob_analysis.categories import NO_WORK, WORK
from cob_analysis.longitudinal.common import (
    TIME_POINTS_MONTHS,
    LongitudinalInputError,
    _clients_frame,
    _grid_and_dates,
    _needs_snapshots,
)
from cob_analysis.longitudinal.plots import plot_first_work
from cob_analysis.longitudinal.texts import _check_language
from cob_analysis.stats.turnbull import TurnbullFit, _cum_bounds, _median_bounds, turnbull
from cob_analysis.survival.time_scale import DAYS_PER_MONTH, at_risk_table, at_risk_ticks
from cob_analysis.survival.timing import group_order
from cob_analysis.tables_io import TOTAL


# --------------------------------------------------------------------------------------------
# 4. Time to first observed work: intervals and the Turnbull estimate
# --------------------------------------------------------------------------------------------
def first_work_intervals(
    clients: pd.DataFrame,
    panel: pd.DataFrame | None,
    *,
    language: str = "nl",
    grid: pd.DataFrame | None = None,
    dates: Sequence[pd.Timestamp] | None = None,
) -> pd.DataFrame:
    """Per client the interval in which the first work lies, in days since intake.

    ``upper_days``: the first snapshot with work; ``lower_days``: the last snapshot before it
    with status ``Geen werk`` (0 when none: the work began between intake and that snapshot).
    Never seen working: right-censored, ``upper_days`` = inf and ``lower_days`` the last
    snapshot with ``Geen werk`` (0 when none). Snapshots without a record (``Onbekend``) say
    nothing and are skipped. Work at a snapshot on the intake day: ``lower = upper = 0``.

    Columns: client_key, cohort, trajectory, intake_date, n_snapshots, last_no_work_date,
    first_work_date, lower_days, upper_days (float), work_seen. One snapshot: a note table.
    `grid` and `dates` as in `status_by_months`."""
    _check_language(language)
    dates, grid = _grid_and_dates(clients, panel, grid, dates)
    if len(dates) < 2:
        return _needs_snapshots(dates, language)
    people = _clients_frame(clients)
    keys = grid["client_key"]
    work = grid["work_status"].eq(WORK)
    first = (
        grid.loc[work]
        .groupby("client_key", sort=False)[["reference_date", "days_since_intake"]]
        .first()
    )
    first_date = keys.map(first["reference_date"])
    before_work = first_date.isna() | (grid["reference_date"] < first_date)
    last_no = (
        grid.loc[before_work & grid["work_status"].eq(NO_WORK)]
        .groupby("client_key", sort=False)[["reference_date", "days_since_intake"]]
        .last()
    )
    who = people["client_key"]

    def as_date(values: pd.Series) -> list:
        return [None if pd.isna(v) else pd.Timestamp(v).date() for v in values]

    rows = pd.DataFrame(
        {
            "client_key": who,
            "cohort": people["cohort"],
            "trajectory": people["trajectory"],
            "intake_date": as_date(people["intake_date"]),
            "n_snapshots": who.map(keys.value_counts(sort=False)).fillna(0).astype("int64"),
            "last_no_work_date": as_date(who.map(last_no["reference_date"])),
            "first_work_date": as_date(who.map(first["reference_date"])),
            "lower_days": who.map(last_no["days_since_intake"]).astype(float).fillna(0.0),
            "upper_days": who.map(first["days_since_intake"]).astype(float).fillna(math.inf),
            "work_seen": who.isin(first.index),
        }
    )
    out = rows.reset_index(drop=True)
    out.attrs.update(notes=[], snapshots=dates)
    return out


class IntervalKaplanMeier:
    """Kaplan-Meier for interval-censored times (Turnbull's NPMLE), one estimate per group.

    Parameters: `time_points_months` (where the cumulative share is tabulated),
    `at_risk_step_months` (tick spacing), `group_name` (e.g. "cohort"), `tol` (of `turnbull`).

    After `fit`:
    - `groups_`: group labels in display order;
    - `fits_`: {group: `TurnbullFit`} and `total_fit_` (all clients with a group);
    - `summary_`: per group plus ``Totaal``: group, n, n_work_seen, n_censored,
      followup_max_days, median_days, median_months, median_min_months, median_max_months, and
      per time point m pct_work_{m}m with _min and _max (percentages, unrounded; None beyond
      the group's follow-up);
    - `at_risk_`: group, then per tick (months) the number still without work: clients whose
      lower bound lies at or after the tick;
    - `n_missing_group_`: clients left out because their group is null.
    """

    def __init__(
        self,
        *,
        time_points_months: Sequence[float] = TIME_POINTS_MONTHS,
        at_risk_step_months: float = 6,
        group_name: str | None = None,
        tol: float = 1e-9,
    ) -> None:
        self.time_points_months = tuple(time_points_months)
        self.at_risk_step_months = at_risk_step_months
        self.group_name = group_name
        self.tol = tol

    def fit(
        self,
        lower: Sequence[float],
        upper: Sequence[float],
        groups: Sequence[object] | None = None,
        order: Sequence[str] | None = None,
        total_fit: TurnbullFit | None = None,
    ) -> IntervalKaplanMeier:
        """`total_fit`: the pooled fit of these same clients when already known (another
        grouping of them, none with a missing group): it is used as `total_fit_`."""
        lower = pd.Series(np.asarray(lower, dtype=float))
        upper = pd.Series(np.asarray(upper, dtype=float))
        if groups is None:
            groups = [TOTAL] * len(lower)
        groups = pd.Series(np.asarray(groups, dtype=object))
        if not len(lower) == len(upper) == len(groups):
            raise LongitudinalInputError("lower, upper and groups must have the same length")
        if len(lower) == 0:
            raise LongitudinalInputError("no clients to fit")
        known = groups.notna()
        self.n_missing_group_ = int((~known).sum())
        lower, upper, groups = lower[known], upper[known], groups[known].astype(str)
        if len(lower) == 0:
            raise LongitudinalInputError("every client has a missing group")
        self.groups_ = [g for g in group_order(groups, order) if (groups == g).any()]
        self.lower_, self.upper_, self.group_labels_ = lower, upper, groups
        self._sorted_lower: dict[str, np.ndarray] = {}  # per group, for the counts at each tick
        self.fits_ = {
            g: turnbull(lower[groups == g], upper[groups == g], tol=self.tol) for g in self.groups_
        }
        if total_fit is not None and self.n_missing_group_:
            raise LongitudinalInputError("a pooled fit is for clients that all have a group")
        self.total_fit_ = (
            total_fit if total_fit is not None else turnbull(lower, upper, tol=self.tol)
        )
        rows = [self._summary_row(g, self.fits_[g], groups == g) for g in self.groups_]
        rows.append(self._summary_row(TOTAL, self.total_fit_, pd.Series(True, index=groups.index)))
        self.summary_ = pd.DataFrame(rows)
        self.at_risk_ = self._at_risk_table()
        return self

    def followup_days(self, mask: pd.Series | None = None) -> float:
        """The longest follow-up: the largest finite bound."""
        lo = self.lower_ if mask is None else self.lower_[mask]
        hi = self.upper_ if mask is None else self.upper_[mask]
        finite = hi[np.isfinite(hi)]
        return float(max(lo.max(), finite.max() if len(finite) else 0.0))

    def _summary_row(self, group: str, fit: TurnbullFit, mask: pd.Series) -> dict[str, Any]:
        seen = np.isfinite(self.upper_[mask])
        follow = self.followup_days(mask)
        median, earliest, latest = _median_bounds(fit)
        row: dict[str, Any] = {
            "group": group,
            "n": int(mask.sum()),
            "n_work_seen": int(seen.sum()),
            "n_censored": int((~seen).sum()),
            "followup_max_days": follow,
            "median_days": median,
            "median_months": None if median is None else median / DAYS_PER_MONTH,
            "median_min_months": None if earliest is None else earliest / DAYS_PER_MONTH,
            "median_max_months": None if latest is None else latest / DAYS_PER_MONTH,
        }
        for months in self.time_points_months:
            key = f"pct_work_{months:g}m"
            t = months * DAYS_PER_MONTH
            if t > follow:
                row[key] = row[f"{key}_min"] = row[f"{key}_max"] = None
                continue
            estimate, low, high = _cum_bounds(fit, t)
            row[key], row[f"{key}_min"], row[f"{key}_max"] = 100 * estimate, 100 * low, 100 * high
        return row

    def at_risk_times_months(self) -> list[float]:
        return at_risk_ticks(self.followup_days(), self.at_risk_step_months)

    def still_without_work(self, group: str, t_days: float) -> int:
        """Clients of `group` with a snapshot without work at or after `t_days` (and no work
        seen before it)."""
        if group not in self._sorted_lower:
            self._sorted_lower[group] = np.sort(self.lower_[self.group_labels_ == group].to_numpy())
        lower = self._sorted_lower[group]
        return int(len(lower) - np.searchsorted(lower, t_days, side="left"))

    def _at_risk_table(self) -> pd.DataFrame:
        return at_risk_table(
            list(self.groups_), self.at_risk_times_months(), self.still_without_work
        )

    def plot(self, ax=None, language: str = "nl", title: str | None = None, **kwargs):
        """`plot_first_work(self, ax, language, title, **kwargs)`."""
        return plot_first_work(self, ax=ax, language=language, title=title, **kwargs)
