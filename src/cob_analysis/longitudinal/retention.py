"""Keeping work: from the first snapshot with work, how long a client is still seen working.

A work spell starts at the first snapshot at which the client is seen working (VDAB status
recoded ``Werk``) and ends at the first later snapshot at which the client is seen without work
(a VDAB record recoded ``Geen werk``): work lost there. A client never seen without work after
that is censored at the last snapshot with work (still working then, nothing known after). A
snapshot without a VDAB record neither ends nor extends the spell. Durations are months since
the first snapshot with work (1 month = 30.4375 days); the estimate is the product-limit
(Kaplan-Meier) curve of `cob_analysis.stats.product_limit`. Loss of work is seen only at a
snapshot, so the shares err high by up to one snapshot interval."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from cob_analysis.categories import WORK
from cob_analysis.longitudinal.common import (
    _grid_and_dates,
    _needs_snapshots,
    first_seen_without_work,
)
from cob_analysis.longitudinal.texts import _check_language
from cob_analysis.longitudinal.transitions import _group_variants
from cob_analysis.stats.product_limit import ProductLimit
from cob_analysis.survival.time_scale import DAYS_PER_MONTH
from cob_analysis.tables_io import round_half_up

RETENTION_MONTHS = (6, 12, 24)


def work_spells(grid: pd.DataFrame) -> pd.DataFrame:
    """One row per client seen working at some snapshot: client_key, cohort, trajectory,
    first_work_date, end_date (work lost, or the last snapshot with work), lost (bool) and
    months (end_date - first_work_date, in months)."""
    at_work = grid.loc[grid["work_status"].eq(WORK)].groupby("client_key", sort=False)
    people = at_work[["reference_date", "cohort", "trajectory"]].first()
    first = people["reference_date"]
    last_work = at_work["reference_date"].last()
    lost_at = first_seen_without_work(grid, first)
    spells = pd.DataFrame(
        {
            "client_key": people.index,
            "cohort": people["cohort"].to_numpy(),
            "trajectory": people["trajectory"].to_numpy(),
            "first_work_date": first.to_numpy(),
        }
    )
    ended = spells["client_key"].map(lost_at)
    spells["lost"] = ended.notna().to_numpy()
    spells["end_date"] = ended.fillna(spells["client_key"].map(last_work))
    spells["months"] = (spells["end_date"] - spells["first_work_date"]).dt.days / DAYS_PER_MONTH
    return spells


def work_retention(
    clients: pd.DataFrame,
    panel: pd.DataFrame | None,
    *,
    by: Sequence[str] = ("cohort", "trajectory"),
    orders: dict[str, list[str]] | None = None,
    horizons: Sequence[int] = RETENTION_MONTHS,
    language: str = "nl",
    decimals: int = 1,
    grid: pd.DataFrame | None = None,
    dates: Sequence[pd.Timestamp] | None = None,
) -> pd.DataFrame:
    """Retention of work for all clients (group_var ``Totaal``) and per group of `by`:
    n_work_seen (clients with a work spell), n_lost, n_censored, followup_max_months,
    median_months (first time the share is at or below 50%), and per horizon X the share (%)
    still working X months after the first snapshot with work with its 95% interval
    (pct_kept_Xm, pct_kept_Xm_ci_low, pct_kept_Xm_ci_high; empty beyond the longest follow-up).
    One snapshot: a note table. `grid` and `dates` as in `status_by_months`."""
    _check_language(language)
    dates, grid = _grid_and_dates(clients, panel, grid, dates)
    if len(dates) < 2:
        return _needs_snapshots(dates, language)
    spells = work_spells(grid)
    rows = []
    for var, group, mask in _group_variants(spells, by, orders or {}):
        sub = spells[mask]
        row = {
            "group_var": var,
            "group": group,
            "n_work_seen": len(sub),
            "n_lost": int(sub["lost"].sum()),
            "n_censored": int((~sub["lost"]).sum()),
            "followup_max_months": None,
            "median_months": None,
        }
        fit = ProductLimit().fit(sub["months"], sub["lost"]) if len(sub) else None
        if fit is not None:  # round_half_up gives None for NaN (no median, beyond follow-up)
            row["followup_max_months"] = round_half_up(fit.followup_max_, 1)
            row["median_months"] = round_half_up(fit.median_, 1)
        for months in horizons:
            kept = low = high = float("nan")
            if fit is not None:
                kept = fit.survival_at(float(months))
                low, high = fit.interval_at(float(months))
            row[f"pct_kept_{months}m"] = round_half_up(100.0 * kept, decimals)
            row[f"pct_kept_{months}m_ci_low"] = round_half_up(100.0 * low, decimals)
            row[f"pct_kept_{months}m_ci_high"] = round_half_up(100.0 * high, decimals)
        rows.append(row)
    return pd.DataFrame(rows)
