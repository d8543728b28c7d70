"""Follow the intake cohorts over time: repeated VDAB snapshots, transitions between them,
durable work, keeping work, time to the first observed work (interval-censored) and
trajectory changes.

Pure functions over DataFrames, one module per part: `common` (constants, the status grid),
`status`, `transitions`, `durable`, `retention` (with `cob_analysis.stats.product_limit`),
`first_work` (with `cob_analysis.stats.turnbull`), `changes`,
`plots`, `texts`; `run` is the edge that writes the tables and figures. Inputs:

- ``clients``: one row per client (``data/processed/clients.parquet``): at least
  ``client_key``, ``intake_date``, ``cohort``, ``trajectory``; ``art60_started`` for the
  trajectory-change summary.
- ``panel``: ``data/processed/status_panel.parquet``: ``client_key``, ``reference_date``,
  ``status_code``, ``work_status`` and ``status_category`` (the recoding table's category; only
  the status groups of `status_by_months` need it).
- ``changes``: the linked trajectory changes (``client_key``, ``change_date``, ``trajectory``:
  the new one), or None when there is no such export.

Conventions, the same in every function:

- The snapshots are the distinct ``reference_date`` values of the panel, in date order. A client
  counts at a snapshot when the intake lies on or before it; a client without a panel row at such
  a snapshot has work status ``Onbekend`` (no VDAB record). Panel rows dated before the client's
  intake are left out (a status before the intake means nothing here) and counted.
- Work is the recoding table's ``work_status`` (``Werk``, ``Geen werk``, ``Onbekend``), as in the
  report's tables: code 78 (deregistered because of work) is ``Werk``.
- `status_by_months` shows a fourth group, ``Uitgeschreven`` (deregistered): every code the
  recoding table puts in category ``uitgeschreven`` (76-79), whatever its work status; column
  ``n_recoded_work`` says how many of a group the table counts as work (the 78s).
- Months since intake in `status_by_months` are per cohort: whole months (rounded half up,
  1 month = 30.4375 days) from the cohort's median intake date to the snapshot. A snapshot is
  shown for a cohort only when every client of the cohort had the intake on or before it; a
  partly taken-in cohort is left out and counted in a note.
- Every longitudinal function needs two or more snapshots. With one it returns a one-row table
  with a single ``note`` column that says so (``attrs["insufficient"]`` is True) instead of
  failing; the same for the trajectory-change matrix without a trajectory_changes export.
"""

from __future__ import annotations

from cob_analysis.longitudinal.changes import TrajectoryChangeSummary, trajectory_change_summary
from cob_analysis.longitudinal.common import (
    DURABLE_RULES,
    FIGURE_IDS,
    STATUS_GROUPS,
    TABLE_IDS,
    LongitudinalInputError,
    client_status_grid,
    is_note_frame,
    snapshot_dates,
)
from cob_analysis.longitudinal.durable import describe_rule, durable_work, durable_work_summary
from cob_analysis.longitudinal.first_work import IntervalKaplanMeier, first_work_intervals
from cob_analysis.longitudinal.plots import plot_first_work, plot_status_by_months
from cob_analysis.longitudinal.retention import RETENTION_MONTHS, work_retention, work_spells
from cob_analysis.longitudinal.run import (
    LongitudinalParts,
    combine_parts,
    longitudinal_parts,
    run_longitudinal,
)
from cob_analysis.longitudinal.status import status_by_months
from cob_analysis.longitudinal.transitions import transitions
from cob_analysis.stats.turnbull import TurnbullFit, turnbull
from cob_analysis.survival.time_scale import DAYS_PER_MONTH

__all__ = [
    "DAYS_PER_MONTH",
    "DURABLE_RULES",
    "FIGURE_IDS",
    "RETENTION_MONTHS",
    "STATUS_GROUPS",
    "TABLE_IDS",
    "IntervalKaplanMeier",
    "LongitudinalParts",
    "combine_parts",
    "longitudinal_parts",
    "LongitudinalInputError",
    "TrajectoryChangeSummary",
    "TurnbullFit",
    "client_status_grid",
    "describe_rule",
    "durable_work",
    "durable_work_summary",
    "first_work_intervals",
    "is_note_frame",
    "plot_first_work",
    "plot_status_by_months",
    "run_longitudinal",
    "snapshot_dates",
    "status_by_months",
    "trajectory_change_summary",
    "transitions",
    "turnbull",
    "work_retention",
    "work_spells",
]
