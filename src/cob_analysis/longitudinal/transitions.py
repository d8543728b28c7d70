"""Transitions between consecutive VDAB snapshots."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from cob_analysis.longitudinal.common import (
    WORK_STATUSES,
    _clients_frame,
    _grid_and_dates,
    _needs_snapshots,
    _orders,
    _pct,
)
from cob_analysis.longitudinal.texts import _check_language, _t
from cob_analysis.survival.timing import group_order
from cob_analysis.tables_io import TOTAL


# --------------------------------------------------------------------------------------------
# 2. Transitions between consecutive snapshots
# --------------------------------------------------------------------------------------------
def _group_variants(
    frame: pd.DataFrame, by: Sequence[str], orders: dict[str, list[str]]
) -> list[tuple[str, str, pd.Series]]:
    """(group_var, group, mask) for the total and every group of every variable in `by`."""
    variants = [(TOTAL, TOTAL, pd.Series(True, index=frame.index))]
    for var in by:
        order = orders.get(var) or group_order(frame[var])
        for group in order:
            variants.append((var, group, frame[var] == group))
    return variants


def _variant_keys(
    frame: pd.DataFrame, by: Sequence[str], orders: dict[str, list[str]]
) -> list[tuple[str, str]]:
    """(group_var, group) of `_group_variants`, without the masks."""
    keys = [(TOTAL, TOTAL)]
    for var in by:
        keys += [(var, group) for group in orders.get(var) or group_order(frame[var])]
    return keys


def transitions(
    clients: pd.DataFrame,
    panel: pd.DataFrame,
    *,
    by: Sequence[str] = ("cohort", "trajectory"),
    language: str = "nl",
    decimals: int = 1,
    grid: pd.DataFrame | None = None,
    dates: Sequence[pd.Timestamp] | None = None,
) -> pd.DataFrame:
    """Transition matrices Werk / Geen werk / Onbekend between consecutive snapshots, for all
    clients (group_var ``Totaal``) and per group of every variable in `by`.

    Columns: group_var, group, from_date, to_date, from_status, to_status, n, pct. For each pair
    the clients with an intake on or before ``from_date``; every from row has the three to
    statuses and a ``Totaal`` (pct: of the from row). One snapshot: a note table. `grid` and
    `dates` as in `status_by_months`."""
    _check_language(language)
    dates, grid = _grid_and_dates(clients, panel, grid, dates)
    if len(dates) < 2:
        return _needs_snapshots(dates, language)
    status = grid.pivot(index="client_key", columns="reference_date", values="work_status")
    status = status.reindex(columns=dates)
    people = _clients_frame(clients).set_index("client_key").loc[status.index]
    orders = _orders(clients)
    rows = []
    for start, end in zip(dates, dates[1:], strict=False):
        at_start = status[start].notna()
        pair = pd.DataFrame(
            {"from": status.loc[at_start, start], "to": status.loc[at_start, end]}
        ).join(people[["cohort", "trajectory"]])
        # counted once per pair and variable, then read per group (a scan per cell would cost
        # groups x statuses passes over the clients)
        coded = pair.astype("category")  # grouping on codes, not on text
        counts = {
            TOTAL: (
                coded.groupby(["from", "to"], observed=True).size(),
                coded.groupby("from", observed=True).size(),
            )
        }
        for var in by:
            counts[var] = (
                coded.groupby([var, "from", "to"], observed=True).size(),
                coded.groupby([var, "from"], observed=True).size(),
            )
        for var, group in _variant_keys(pair, by, orders):
            cells, totals = counts[var]
            key = () if var == TOTAL else (group,)
            for from_status in WORK_STATUSES:
                row_total = int(totals.get(key + (from_status,) if key else from_status, 0))
                for to_status in (*WORK_STATUSES, TOTAL):
                    n = (
                        row_total
                        if to_status == TOTAL
                        else int(cells.get(key + (from_status, to_status), 0))
                    )
                    rows.append(
                        {
                            "group_var": var,
                            "group": group,
                            "from_date": start.date(),
                            "to_date": end.date(),
                            "from_status": from_status,
                            "to_status": to_status,
                            "n": n,
                            "pct": _pct(n, row_total, decimals),
                        }
                    )
    out = pd.DataFrame(rows)
    notes = []
    if grid.attrs["n_before_intake"]:
        notes.append(_t("before_intake", language, n=grid.attrs["n_before_intake"]))
    out.attrs.update(notes=notes, snapshots=dates)
    return out
