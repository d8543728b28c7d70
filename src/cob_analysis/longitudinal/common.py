"""What every part of the longitudinal view shares: constants, the named input error and
the preparation of clients and panel into one status grid (client x snapshot)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from cob_analysis import categories
from cob_analysis.categories import NO_WORK, UNKNOWN, WORK
from cob_analysis.longitudinal.texts import _t
from cob_analysis.outputs import LONGITUDINAL_FIGURE_IDS, LONGITUDINAL_TABLE_IDS
from cob_analysis.survival.timing import group_order
from cob_analysis.tables_io import percentage

TABLE_IDS = LONGITUDINAL_TABLE_IDS  # listed in cob_analysis.outputs, which the Snakefile reads
FIGURE_IDS = LONGITUDINAL_FIGURE_IDS

WORK_STATUSES = (WORK, NO_WORK, UNKNOWN)
DEREGISTERED = "Uitgeschreven"
DEREGISTERED_CATEGORY = "uitgeschreven"
STATUS_GROUPS = (WORK, DEREGISTERED, NO_WORK, UNKNOWN)  # stacking order, bottom up
DURABLE_RULES = ("consecutive_snapshots", "still_working_after", "no_return_within")
TRAJECTORIES = categories.ORDER["trajectory"]
MIN_AT_RISK_PLOTTED = 20  # curves stop where fewer clients are still without work (as art. 60)
TIME_POINTS_MONTHS = (6, 12, 24, 36, 48)


class LongitudinalInputError(ValueError):
    """Input that cannot give a longitudinal view (missing columns, duplicate panel rows)."""


# --------------------------------------------------------------------------------------------
# Input preparation
# --------------------------------------------------------------------------------------------
def _require(frame: pd.DataFrame, columns: Sequence[str], what: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise LongitudinalInputError(f"{what} frame lacks column(s): {', '.join(missing)}")


def snapshot_dates(panel: pd.DataFrame) -> list[pd.Timestamp]:
    """The distinct reference dates of the panel, in order."""
    _require(panel, ["reference_date"], "panel")
    dates = pd.to_datetime(panel["reference_date"]).dropna().unique()
    return sorted(pd.Timestamp(d) for d in dates)


def _dates_text(dates: Sequence[pd.Timestamp]) -> str:
    return ", ".join(str(d.date()) for d in dates)


def _needs_snapshots(panel_dates: Sequence[pd.Timestamp], language: str) -> pd.DataFrame:
    dates = f": {_dates_text(panel_dates)}" if panel_dates else ""
    note = _t("needs_snapshots", language, n=len(panel_dates), dates=dates)
    return _note_frame(note)


def _note_frame(note: str) -> pd.DataFrame:
    frame = pd.DataFrame({"note": [note]})
    frame.attrs["insufficient"] = True
    frame.attrs["notes"] = [note]
    return frame


def is_note_frame(frame: pd.DataFrame) -> bool:
    """True for the one-row note table a function returns when its input cannot give it."""
    return bool(frame.attrs.get("insufficient", False))


def _clients_frame(clients: pd.DataFrame) -> pd.DataFrame:
    _require(clients, ["client_key", "intake_date"], "clients")
    out = pd.DataFrame(
        {
            "client_key": clients["client_key"].astype(str).to_numpy(),
            "intake_date": pd.to_datetime(clients["intake_date"]).to_numpy(),
        }
    )
    for column in ("cohort", "trajectory"):
        values = (
            clients[column] if column in clients.columns else pd.Series(None, index=clients.index)
        )
        out[column] = values.astype(object).where(values.notna(), None).to_numpy()
    if out["intake_date"].isna().any():
        raise LongitudinalInputError(
            f"{int(out['intake_date'].isna().sum())} client(s) without intake_date"
        )
    if out["client_key"].duplicated().any():
        raise LongitudinalInputError("clients frame has duplicate client_key values")
    return out


def client_status_grid(
    clients: pd.DataFrame, panel: pd.DataFrame, dates: Sequence[pd.Timestamp] | None = None
) -> pd.DataFrame:
    """One row per client and snapshot on or after the client's intake.

    Columns: client_key, cohort, trajectory, intake_date, reference_date, days_since_intake,
    has_record, status_code, work_status (``Onbekend`` without a record), status_category and
    status_group (``Uitgeschreven`` for category ``uitgeschreven``, else the work status).
    ``attrs``: ``snapshots`` (all panel dates), ``n_before_intake`` (panel rows of the clients
    dated before their intake, not used), ``has_category``. `dates`: the snapshots (default
    those of `panel`; one cohort's part of the panel is given the dates of the whole panel)."""
    _require(panel, ["client_key", "reference_date", "work_status"], "panel")
    people = _clients_frame(clients)
    dates = snapshot_dates(panel) if dates is None else list(dates)
    rows = panel[["client_key", "reference_date", "work_status"]].copy()
    rows["status_code"] = panel["status_code"] if "status_code" in panel.columns else pd.NA
    has_category = "status_category" in panel.columns
    rows["status_category"] = panel["status_category"] if has_category else None
    rows["client_key"] = rows["client_key"].astype(str)
    rows["reference_date"] = pd.to_datetime(rows["reference_date"])
    rows = rows[rows["client_key"].isin(set(people["client_key"]))]
    if rows.duplicated(["client_key", "reference_date"]).any():
        raise LongitudinalInputError(
            "the panel has more than one row for a client and reference date"
        )
    grid = people.merge(pd.DataFrame({"reference_date": dates}), how="cross")
    grid = grid[grid["reference_date"] >= grid["intake_date"]]
    intake_of = people.set_index("client_key")["intake_date"]
    before = rows["reference_date"] < rows["client_key"].map(intake_of)
    grid = grid.merge(rows[~before], on=["client_key", "reference_date"], how="left")
    grid["has_record"] = grid["work_status"].notna()
    grid["work_status"] = grid["work_status"].astype(object).where(grid["has_record"], UNKNOWN)
    grid["status_code"] = pd.array(pd.to_numeric(grid["status_code"]), dtype="Int64")
    deregistered = grid["status_category"].astype(object).eq(DEREGISTERED_CATEGORY)
    grid["status_group"] = np.where(deregistered, DEREGISTERED, grid["work_status"])
    grid["days_since_intake"] = (grid["reference_date"] - grid["intake_date"]).dt.days
    grid = grid.sort_values(["client_key", "reference_date"], kind="stable").reset_index(drop=True)
    columns = [
        "client_key", "cohort", "trajectory", "intake_date", "reference_date",
        "days_since_intake", "has_record", "status_code", "work_status", "status_category",
        "status_group",
    ]  # fmt: skip
    grid = grid[columns]
    grid.attrs.update(snapshots=dates, n_before_intake=int(before.sum()), has_category=has_category)
    return grid


def _grid_and_dates(
    clients: pd.DataFrame,
    panel: pd.DataFrame | None,
    grid: pd.DataFrame | None,
    dates: Sequence[pd.Timestamp] | None,
) -> tuple[list[pd.Timestamp], pd.DataFrame | None]:
    """The snapshots and the client status grid, computed from the panel unless given (no grid
    with fewer than two snapshots: the callers return a note table)."""
    if dates is None:
        if panel is None:
            raise LongitudinalInputError("give the panel, or the grid and its snapshot dates")
        dates = snapshot_dates(panel)
    dates = list(dates)
    if grid is None and len(dates) >= 2:
        if panel is None:
            raise LongitudinalInputError("give the panel, or the grid and its snapshot dates")
        grid = client_status_grid(clients, panel, dates)
    return dates, grid


def first_seen_without_work(grid: pd.DataFrame, first_work: pd.Series) -> pd.Series:
    """client_key -> the first snapshot after `first_work` (client_key -> date) at which the
    client is seen without work (a VDAB record recoded ``Geen werk``; no record does not count).
    Clients never seen so are absent."""
    after = grid["reference_date"] > grid["client_key"].map(first_work)
    return (
        grid.loc[after & grid["work_status"].eq(NO_WORK)]
        .groupby("client_key", sort=False)["reference_date"]
        .first()
    )


def _orders(clients: pd.DataFrame) -> dict[str, list[str]]:
    cohort = clients["cohort"] if "cohort" in clients.columns else pd.Series([], dtype=object)
    trajectory = (
        clients["trajectory"] if "trajectory" in clients.columns else pd.Series([], dtype=object)
    )
    present = set(pd.unique(trajectory.dropna()))
    traj_order = [t for t in TRAJECTORIES if t in present]
    return {"cohort": group_order(cohort), "trajectory": group_order(trajectory, traj_order)}


def _pct(n: float, total: float, decimals: int) -> float:
    return percentage(n, total, decimals)
