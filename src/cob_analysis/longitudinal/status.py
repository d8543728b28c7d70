"""Status by months since intake, per intake cohort."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from cob_analysis.categories import WORK
from cob_analysis.labels import value_label
from cob_analysis.longitudinal.common import (
    STATUS_GROUPS,
    _clients_frame,
    _grid_and_dates,
    _needs_snapshots,
    _orders,
    _pct,
)
from cob_analysis.longitudinal.texts import _check_language, _t
from cob_analysis.survival.time_scale import DAYS_PER_MONTH
from cob_analysis.tables_io import TOTAL, round_half_up


# --------------------------------------------------------------------------------------------
# 1. Status by months since intake
# --------------------------------------------------------------------------------------------
def status_by_months(
    clients: pd.DataFrame,
    panel: pd.DataFrame | None,
    *,
    language: str = "nl",
    decimals: int = 1,
    grid: pd.DataFrame | None = None,
    dates: Sequence[pd.Timestamp] | None = None,
) -> pd.DataFrame:
    """Per intake cohort and snapshot: the status groups Werk / Uitgeschreven / Geen werk /
    Onbekend (`STATUS_GROUPS`) with n and pct of the cohort, plus a ``Totaal`` row.

    Columns: cohort, reference_date, months_since_intake, status_group, n, pct,
    n_recoded_work. Months since intake: whole months (rounded half up) from the cohort's
    median intake date to the snapshot; only snapshots on or after the cohort's last intake.
    ``attrs["notes"]`` lists what was left out. One snapshot: a note table. A precomputed
    `grid` (`client_status_grid`, e.g. put together from the cohorts' parts) and its `dates`
    replace `panel`."""
    _check_language(language)
    dates, grid = _grid_and_dates(clients, panel, grid, dates)
    if len(dates) < 2:
        return _needs_snapshots(dates, language)
    people = _clients_frame(clients)
    notes: list[str] = []
    rows, partial = [], []
    # counted once: (cohort, snapshot, status group, recoded as work) -> clients
    counts = (
        grid.assign(_work=grid["work_status"] == WORK)
        .groupby(["cohort", "reference_date", "status_group", "_work"], observed=True, dropna=True)
        .size()
    )
    counts = {key: int(n) for key, n in counts.items()}
    for cohort in _orders(clients)["cohort"]:
        members = people[people["cohort"] == cohort]
        median_intake = members["intake_date"].median().floor("D")
        for date in dates:
            inside = int((members["intake_date"] <= date).sum())
            if inside < len(members):
                if inside:
                    partial.append((cohort, date, inside, len(members)))
                continue
            months = int(round_half_up((date - median_intake).days / DAYS_PER_MONTH, 0))
            base = {"cohort": cohort, "reference_date": date.date(), "months_since_intake": months}
            by_group = {
                group: (
                    counts.get((cohort, date, group, False), 0),
                    counts.get((cohort, date, group, True), 0),
                )
                for group in {key[2] for key in counts}
            }
            total = sum(other + work for other, work in by_group.values())
            for group in STATUS_GROUPS:
                other, work = by_group.get(group, (0, 0))
                rows.append(
                    base
                    | {
                        "status_group": group,
                        "n": other + work,
                        "pct": _pct(other + work, total, decimals),
                        "n_recoded_work": work,
                    }
                )
            rows.append(
                base
                | {
                    "status_group": TOTAL,
                    "n": total,
                    "pct": _pct(total, total, decimals),
                    "n_recoded_work": sum(work for _, work in by_group.values()),
                }
            )
    columns = ["cohort", "reference_date", "months_since_intake", "status_group", "n", "pct",
               "n_recoded_work"]  # fmt: skip
    out = pd.DataFrame(rows, columns=columns)
    if partial:
        items = "; ".join(
            f"{value_label(c, language)} {d.date()} ({k}/{n})" for c, d, k, n in partial
        )
        notes.append(_t("sbm_partial", language, items=items))
    if grid.attrs["n_before_intake"]:
        notes.append(_t("before_intake", language, n=grid.attrs["n_before_intake"]))
    if not grid.attrs["has_category"]:
        notes.append(_t("sbm_no_category", language))
    missing = int(people["cohort"].isna().sum())
    if missing:
        notes.append(_t("missing_group", language, n=missing, var="cohort"))
    out.attrs.update(notes=notes, snapshots=dates, partial=partial)
    return out
