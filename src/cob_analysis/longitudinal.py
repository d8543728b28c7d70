"""Follow the intake cohorts over time: repeated VDAB snapshots, transitions between them,
durable work, time to the first observed work (interval-censored) and trajectory changes.

Pure functions over DataFrames; `run_longitudinal` is the edge that writes the tables and
figures. Inputs:

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

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from cob_analysis import categories
from cob_analysis.labels import LANGUAGES, translate_columns, value_label
from cob_analysis.tables_io import TOTAL, TableMeta, percentage, round_half_up, write_table
from cob_analysis.timing import group_order, spss_quantile

__all__ = [
    "DAYS_PER_MONTH",
    "DURABLE_RULES",
    "FIGURE_IDS",
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
]

TABLE_IDS = (
    "long_status_by_months",
    "long_transitions",
    "long_durable_work",
    "long_first_work_km",
    "traj_changes_matrix",
    "traj_changes_summary",
)
FIGURE_IDS = ("long_status_by_months", "long_first_work_km")

DAYS_PER_MONTH = 365.25 / 12  # 30.4375, as in survival.py
WORK, NO_WORK, UNKNOWN = categories.WORK, categories.NO_WORK, categories.UNKNOWN
WORK_STATUSES = (WORK, NO_WORK, UNKNOWN)
DEREGISTERED = "Uitgeschreven"
DEREGISTERED_CATEGORY = "uitgeschreven"
STATUS_GROUPS = (WORK, DEREGISTERED, NO_WORK, UNKNOWN)  # stacking order, bottom up
DURABLE_RULES = ("consecutive_snapshots", "still_working_after")
TRAJECTORIES = categories.ORDER["trajectory"]
MIN_AT_RISK_PLOTTED = 20  # curves stop where fewer clients are still without work (as art. 60)
TIME_POINTS_MONTHS = (6, 12, 24, 36, 48)


class LongitudinalInputError(ValueError):
    """Input that cannot give a longitudinal view (missing columns, duplicate panel rows)."""


# --------------------------------------------------------------------------------------------
# Texts
# --------------------------------------------------------------------------------------------
_T: dict[str, dict[str, str]] = {
    "needs_snapshots": {
        "nl": "Deze tabel vraagt twee of meer VDAB-momentopnames (referentiedata); de gegevens "
        "bevatten er {n}{dates}. Voeg exports van andere referentiedata toe aan de VDAB-export.",
        "en": "This table needs two or more VDAB snapshots (reference dates); the data hold "
        "{n}{dates}. Add exports of other reference dates to the VDAB export.",
    },
    "needs_snapshots_figure": {
        "nl": "Minstens twee VDAB-momentopnames nodig\n(de gegevens bevatten er {n}{dates}).",
        "en": "At least two VDAB snapshots needed\n(the data hold {n}{dates}).",
    },
    "no_changes": {
        "nl": "Geen export van trajectwijzigingen (trajectory_changes): de wijzigingen na de "
        "screening zijn niet bekend. Voeg de export toe in de configuratie (exports."
        "trajectory_changes).",
        "en": "No trajectory-change export (trajectory_changes): the changes after the "
        "screening are not known. Add the export to the configuration (exports."
        "trajectory_changes).",
    },
    "before_intake": {
        "nl": "{n} VDAB-statussen van vóór de intake van de cliënt zijn niet gebruikt.",
        "en": "{n} VDAB statuses dated before the client's intake are not used.",
    },
    "missing_group": {
        "nl": "{n} cliënten zonder {var} zijn niet opgenomen in de rijen per {var}.",
        "en": "{n} clients without {var} are left out of the rows by {var}.",
    },
    "sbm_title": {
        "nl": "VDAB-status per intakecohort naar maanden sinds intake",
        "en": "VDAB status by intake cohort and months since intake",
    },
    "sbm_months": {
        "nl": "Maanden sinds intake: hele maanden (afgerond, 1 maand = 30,4375 dagen) van de "
        "mediane intakedatum van het cohort tot de momentopname. Een momentopname telt voor een "
        "cohort alleen als alle cliënten van het cohort toen al ingestroomd waren.",
        "en": "Months since intake: whole months (rounded, 1 month = 30.4375 days) from the "
        "cohort's median intake date to the snapshot. A snapshot counts for a cohort only when "
        "every client of the cohort had the intake by then.",
    },
    "sbm_groups": {
        "nl": "Werk, Geen werk en Onbekend volgens de hercoderingstabel; Uitgeschreven: elke "
        "code in de categorie 'uitgeschreven' (76-79), ook 78 'uitgeschreven wegens werk', die "
        "het rapport en de andere tabellen als Werk tellen (kolom n_recoded_work). Onbekend: "
        "ook geen VDAB-record op die datum. pct: van het cohort op die momentopname.",
        "en": "Work, No work and Unknown per the recoding table; Deregistered: every code in "
        "category 'uitgeschreven' (76-79), also 78 'deregistered because of work', which the "
        "report and the other tables count as Work (column n_recoded_work). Unknown: also no "
        "VDAB record at that date. pct: of the cohort at that snapshot.",
    },
    "sbm_no_category": {
        "nl": "Het statuspanel heeft geen kolom status_category: Uitgeschreven kan niet apart "
        "getoond worden en zit in Werk of Geen werk.",
        "en": "The status panel has no status_category column: Deregistered cannot be shown "
        "apart and is part of Work or No work.",
    },
    "sbm_partial": {
        "nl": "Weggelaten omdat het cohort toen nog maar deels ingestroomd was: {items}.",
        "en": "Left out because the cohort had only partly been taken in by then: {items}.",
    },
    "sbm_figure_title": {
        "nl": "VDAB-status naar maanden sinds intake, per intakecohort",
        "en": "VDAB status by months since intake, per intake cohort",
    },
    "sbm_xlabel": {
        "nl": "Maanden sinds intake (mediaan van het cohort)",
        "en": "Months since intake (cohort median)",
    },
    "sbm_ylabel": {"nl": "Aandeel van het cohort", "en": "Share of the cohort"},
    "sbm_legend": {"nl": "VDAB-status", "en": "VDAB status"},
    "sbm_figure_note": {
        "nl": "Uitgeschreven: codes 76-79, ook 78\n'uitgeschreven wegens werk' (het rapport\n"
        "telt 78 als werk). Onbekend: ook geen\nVDAB-record. Een momentopname telt\n"
        "pas als het hele cohort ingestroomd is.",
        "en": "Deregistered: codes 76-79, also 78\n'deregistered because of work' (the report\n"
        "counts 78 as work). Unknown: also no\nVDAB record. A snapshot counts once\n"
        "the whole cohort has been taken in.",
    },
    "tr_title": {
        "nl": "Overgangen tussen opeenvolgende VDAB-momentopnames: werk, geen werk, onbekend",
        "en": "Transitions between consecutive VDAB snapshots: work, no work, unknown",
    },
    "tr_note": {
        "nl": "Per paar opeenvolgende momentopnames de cliënten met een intake op of vóór de "
        "eerste datum; pct: van de rij (from_status), bv. Werk -> Werk: aandeel van wie werkte "
        "dat op de volgende momentopname nog werkt. Werk volgens de hercoderingstabel (78 telt "
        "als Werk); Onbekend: ook geen VDAB-record.",
        "en": "Per pair of consecutive snapshots the clients with an intake on or before the "
        "first date; pct: of the row (from_status), e.g. Work -> Work: share of those working "
        "who still work at the next snapshot. Work per the recoding table (78 counts as Work); "
        "Unknown: also no VDAB record.",
    },
    "dw_title": {
        "nl": "Duurzaam werk per intakecohort en per traject",
        "en": "Durable work by intake cohort and by trajectory",
    },
    "dw_rule_consecutive": {
        "nl": "Definitie duurzaam werk (config durable_work): werk (VDAB-status hercodeerd als "
        "Werk) op {k} opeenvolgende momentopnames na de intake; een momentopname zonder "
        "VDAB-record onderbreekt de reeks.",
        "en": "Durable work definition (config durable_work): work (VDAB status recoded as "
        "Work) at {k} consecutive snapshots after the intake; a snapshot without a VDAB record "
        "breaks the run.",
    },
    "dw_rule_still": {
        "nl": "Definitie duurzaam werk (config durable_work): nog werk (VDAB-status hercodeerd "
        "als Werk) op de eerste momentopname minstens {months} maanden na de eerste momentopname "
        "met werk.",
        "en": "Durable work definition (config durable_work): still work (VDAB status recoded "
        "as Work) at the first snapshot at least {months} months after the first snapshot with "
        "work.",
    },
    "dw_columns": {
        "nl": "n_evaluable: cliënten met genoeg momentopnames om de definitie te toetsen "
        "({evaluable}); pct_durable: van n_evaluable; pct_durable_of_work_ever: van de "
        "beoordeelbare cliënten die ooit werk hadden op een momentopname.",
        "en": "n_evaluable: clients with enough snapshots to test the definition "
        "({evaluable}); pct_durable: of n_evaluable; pct_durable_of_work_ever: of the "
        "evaluable clients who had work at some snapshot.",
    },
    "dw_evaluable_consecutive": {
        "nl": "minstens {k} momentopnames na de intake",
        "en": "at least {k} snapshots after the intake",
    },
    "dw_evaluable_still": {
        "nl": "na de eerste momentopname met werk (of, zonder werk, na de eerste momentopname) "
        "nog een momentopname minstens {months} maanden later",
        "en": "after the first snapshot with work (or, without work, after the first snapshot) "
        "another snapshot at least {months} months later",
    },
    "km_title": {
        "nl": "Tijd van intake tot eerste waargenomen werk, per intakecohort en per traject "
        "(intervalgecensureerde Kaplan-Meier)",
        "en": "Time from intake to first observed work, by intake cohort and by trajectory "
        "(interval-censored Kaplan-Meier)",
    },
    "km_intervals": {
        "nl": "Werk is alleen zichtbaar op de momentopnames: het eerste werk valt tussen de "
        "laatste momentopname zonder werk (of de intake) en de eerste met werk; wie nooit werk "
        "had is rechts-gecensureerd op de laatste momentopname zonder werk. Werk tussen twee "
        "momentopnames dat vóór de volgende stopte, is niet zichtbaar.",
        "en": "Work is only seen at the snapshots: the first work falls between the last "
        "snapshot without work (or the intake) and the first with work; who never had work is "
        "right-censored at the last snapshot without work. Work between two snapshots that "
        "ended before the next one is not seen.",
    },
    "km_method": {
        "nl": "Niet-parametrische maximum-likelihoodschatting (Turnbull, EM-algoritme); binnen "
        "een Turnbull-interval ligt de massa niet vast: pct_work_Xm is de schatting met de massa "
        "gelijk verdeeld over het interval, _min en _max de grenzen. Geen "
        "betrouwbaarheidsintervallen. Vóór de eerste momentopname van de meeste cliënten rust "
        "de schatting op weinig waarnemingen: de NPMLE legt de massa van wie al op de eerste "
        "momentopname werkte zo vroeg als de gegevens toelaten. 1 maand = 30,4375 dagen.",
        "en": "Nonparametric maximum likelihood estimate (Turnbull, EM algorithm); within a "
        "Turnbull interval the mass is not fixed: pct_work_Xm is the estimate with the mass "
        "spread evenly over the interval, _min and _max the bounds. No confidence intervals. "
        "Before most clients' first snapshot the estimate rests on few observations: the NPMLE "
        "puts the mass of those already working at their first snapshot as early as the data "
        "allow. 1 month = 30.4375 days.",
    },
    "km_columns": {
        "nl": "pct_work_Xm: geschat aandeel (%) met werk gezien binnen X maanden na intake; leeg "
        "wanneer de opvolging in de groep korter is. Mediaan leeg: niet bereikt.",
        "en": "pct_work_Xm: estimated share (%) seen working within X months of intake; empty "
        "when the group's follow-up is shorter. Empty median: not reached.",
    },
    "km_figure_title": {
        "nl": "Tijd van intake tot eerste waargenomen werk, {per}",
        "en": "Time from intake to first observed work, {per}",
    },
    "per_cohort": {"nl": "per intakecohort", "en": "by intake cohort"},
    "per_trajectory": {"nl": "per traject", "en": "by trajectory"},
    "km_xlabel": {"nl": "Maanden sinds intake", "en": "Months since intake"},
    "km_ylabel": {"nl": "Aandeel met werk gezien (%)", "en": "Share seen working (%)"},
    "km_band": {
        "nl": "bereik door intervalcensurering",
        "en": "range due to interval censoring",
    },
    "km_at_risk": {"nl": "Nog zonder werk", "en": "Still without work"},
    "km_footnote": {
        "nl": "Nog zonder werk: cliënten met een momentopname\nzonder werk op of na dat tijdstip "
        "(en nog geen\nwerk eerder). Lijn: massa gelijk verdeeld over\nelk Turnbull-interval. "
        "Werk is alleen zichtbaar\nop de momentopnames: het begin van de curve\nrust op weinig "
        "waarnemingen.",
        "en": "Still without work: clients with a snapshot\nwithout work at or after that time "
        "(and no\nwork before). Line: mass spread evenly over\neach Turnbull interval. Work is "
        "only seen\nat the snapshots: the start of the curve rests\non few observations.",
    },
    "km_truncated": {
        "nl": "Curven stoppen waar minder dan\n{k} cliënten nog zonder werk zijn.",
        "en": "Curves stop where fewer than\n{k} clients are still without work.",
    },
    "cohort": {"nl": "Intakecohort", "en": "Intake cohort"},
    "trajectory": {"nl": "Traject", "en": "Trajectory"},
    "tcm_title": {
        "nl": "Trajectwijzigingen na de screening: van welk naar welk traject",
        "en": "Trajectory changes after the screening: from which to which trajectory",
    },
    "tcm_note": {
        "nl": "Eén rij per wijziging: van het traject ervoor (bij de eerste wijziging het "
        "traject van de screening) naar het nieuwe. pct: van de rij. {n_changes} wijzigingen "
        "bij {n_clients} cliënten.",
        "en": "One count per change: from the trajectory before it (for the first change the "
        "screening's trajectory) to the new one. pct: of the row. {n_changes} changes of "
        "{n_clients} clients.",
    },
    "tcm_same": {
        "nl": "{n} wijzigingen naar hetzelfde traject (op de diagonaal).",
        "en": "{n} changes to the same trajectory (on the diagonal).",
    },
    "tcs_title": {
        "nl": "Trajectwijzigingen en art. 60 per traject van de screening",
        "en": "Trajectory changes and art. 60 by the screening's trajectory",
    },
    "tcs_note": {
        "nl": "Rijen: het traject van de screening (de tabellen van het rapport gebruiken dat). "
        "pct_changed: aandeel met minstens één wijziging; days_*: dagen van de intake tot de "
        "eerste wijziging (SD met n - 1; kwartielen volgens SPSS). pct_art60: aandeel dat een "
        "art. 60 startte (het rapport: 44% van de VDAB-trajecten), ook apart voor wie wel en "
        "niet van traject veranderde.",
        "en": "Rows: the screening's trajectory (the report's tables use it). pct_changed: "
        "share with at least one change; days_*: days from the intake to the first change (SD "
        "with n - 1; quartiles as SPSS). pct_art60: share who started an art. 60 (the report: "
        "44% of the VDAB trajectories), also apart for those who did and did not change.",
    },
    "tc_excluded": {
        "nl": "{n} wijzigingen van cliënten buiten de populatie of vóór de intake niet gebruikt.",
        "en": "{n} changes of clients outside the population or before the intake not used.",
    },
    "snapshots": {"nl": "Momentopnames: {dates}.", "en": "Snapshots: {dates}."},
}


def _t(key: str, language: str, **fields: object) -> str:
    return _T[key][language if language in LANGUAGES else "nl"].format(**fields)


def _check_language(language: str) -> None:
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}, not {language!r}")


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


def _orders(clients: pd.DataFrame) -> dict[str, list[str]]:
    cohort = clients["cohort"] if "cohort" in clients.columns else pd.Series([], dtype=object)
    trajectory = (
        clients["trajectory"] if "trajectory" in clients.columns else pd.Series([], dtype=object)
    )
    traj_order = [t for t in TRAJECTORIES if t in set(trajectory.dropna())]
    return {"cohort": group_order(cohort), "trajectory": group_order(trajectory, traj_order)}


def _pct(n: float, total: float, decimals: int) -> float:
    return percentage(n, total, decimals)


# --------------------------------------------------------------------------------------------
# 1. Status by months since intake
# --------------------------------------------------------------------------------------------
def status_by_months(
    clients: pd.DataFrame, panel: pd.DataFrame | None, *, language: str = "nl", decimals: int = 1,
    grid: pd.DataFrame | None = None, dates: Sequence[pd.Timestamp] | None = None,
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
    for cohort in _orders(clients)["cohort"]:
        members = people[people["cohort"] == cohort]
        median_intake = members["intake_date"].median().floor("D")
        for date in dates:
            inside = int((members["intake_date"] <= date).sum())
            if inside < len(members):
                if inside:
                    partial.append((cohort, date, inside, len(members)))
                continue
            at = grid[(grid["cohort"] == cohort) & (grid["reference_date"] == date)]
            months = int(round_half_up((date - median_intake).days / DAYS_PER_MONTH, 0))
            base = {"cohort": cohort, "reference_date": date.date(), "months_since_intake": months}
            total = len(at)
            for group in STATUS_GROUPS:
                sel = at["status_group"] == group
                rows.append(
                    base
                    | {
                        "status_group": group,
                        "n": int(sel.sum()),
                        "pct": _pct(int(sel.sum()), total, decimals),
                        "n_recoded_work": int((sel & (at["work_status"] == WORK)).sum()),
                    }
                )
            rows.append(
                base
                | {
                    "status_group": TOTAL,
                    "n": total,
                    "pct": _pct(total, total, decimals),
                    "n_recoded_work": int((at["work_status"] == WORK).sum()),
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
        for var, group, mask in _group_variants(pair, by, orders):
            sub = pair[mask]
            for from_status in WORK_STATUSES:
                row_sel = sub["from"] == from_status
                row_total = int(row_sel.sum())
                for to_status in (*WORK_STATUSES, TOTAL):
                    n = (
                        row_total
                        if to_status == TOTAL
                        else int((row_sel & (sub["to"] == to_status)).sum())
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


# --------------------------------------------------------------------------------------------
# 3. Durable work
# --------------------------------------------------------------------------------------------
def _check_rule(rule: str, k: int, months: float) -> None:
    if rule not in DURABLE_RULES:
        raise ValueError(f"durable_work rule must be one of {DURABLE_RULES}, not {rule!r}")
    if rule == "consecutive_snapshots" and (int(k) != k or k < 1):
        raise ValueError(f"durable_work k must be a whole number >= 1, not {k!r}")
    if rule == "still_working_after" and not months > 0:
        raise ValueError(f"durable_work months must be > 0, not {months!r}")


def describe_rule(
    rule: str = "consecutive_snapshots", k: int = 2, months: float = 12, language: str = "nl"
) -> str:
    """The durable-work definition in force, as one sentence (Dutch or English)."""
    _check_rule(rule, k, months)
    _check_language(language)
    if rule == "consecutive_snapshots":
        return _t("dw_rule_consecutive", language, k=int(k))
    return _t("dw_rule_still", language, months=f"{months:g}")


def durable_work(
    clients: pd.DataFrame,
    panel: pd.DataFrame,
    rule: str = "consecutive_snapshots",
    k: int = 2,
    months: float = 12,
    *,
    language: str = "nl",
    grid: pd.DataFrame | None = None,
    dates: Sequence[pd.Timestamp] | None = None,
) -> pd.DataFrame:
    """Per client: did the client have durable work by the definition in force?

    Rules (config ``durable_work``):
    - ``consecutive_snapshots``: work at `k` consecutive snapshots after the intake (a snapshot
      without a record breaks the run). Evaluable: at least `k` snapshots after the intake.
    - ``still_working_after``: work at the first snapshot at least `months` calendar months
      after the first snapshot with work. Evaluable: such a later snapshot exists (for a client
      never seen working: one at least `months` after the client's first snapshot).

    Columns: client_key, cohort, trajectory, n_snapshots, work_ever, first_work_date,
    evaluable, durable_work (boolean, NA when not evaluable), durable_date (the snapshot at
    which the definition is met). ``attrs["rule"]`` holds the definition. One snapshot: a note
    table. `grid` and `dates` as in `status_by_months`."""
    _check_rule(rule, k, months)
    _check_language(language)
    dates, grid = _grid_and_dates(clients, panel, grid, dates)
    if len(dates) < 2:
        return _needs_snapshots(dates, language)
    people = _clients_frame(clients)
    work = grid["work_status"].eq(WORK)
    keys = grid["client_key"]
    n_snap = keys.value_counts(sort=False)
    first_work = grid.loc[work].groupby("client_key", sort=False)["reference_date"].first()
    if rule == "consecutive_snapshots":
        # runs of work: a snapshot without work (or without a record) starts a new block
        block = (~work).astype(int).groupby(keys, sort=False).cumsum()
        run = work.astype(int).groupby([keys, block], sort=False).cumsum()
        since = grid.loc[run >= k].groupby("client_key", sort=False)["reference_date"].first()
        evaluable = people["client_key"].map(n_snap).fillna(0).ge(k)
        durable_date = people["client_key"].map(since)
        durable = durable_date.notna()
    else:
        first_snap = grid.groupby("client_key", sort=False)["reference_date"].first()
        anchor = people["client_key"].map(first_work).fillna(people["client_key"].map(first_snap))
        offset = pd.DateOffset(months=int(months)) if float(months).is_integer() else None
        due = pd.Series(pd.NaT, index=people.index, dtype="datetime64[ns]")
        has_anchor = anchor.notna()
        if offset is not None:
            due[has_anchor] = [a + offset for a in anchor[has_anchor]]
        else:
            due[has_anchor] = anchor[has_anchor] + pd.Timedelta(days=months * DAYS_PER_MONTH)
        due_of = pd.Series(due.to_numpy(), index=people["client_key"].to_numpy())
        later = grid[grid["reference_date"] >= keys.map(due_of)]
        target = later.groupby("client_key", sort=False).first()
        evaluable = people["client_key"].isin(target.index)
        target_work = people["client_key"].map(target["work_status"].eq(WORK)).eq(True)
        durable = evaluable & people["client_key"].isin(first_work.index) & target_work
        durable_date = people["client_key"].map(target["reference_date"]).where(durable)

    def as_date(values: pd.Series) -> list:
        return [None if pd.isna(v) else pd.Timestamp(v).date() for v in values]

    first_dates = people["client_key"].map(first_work)
    rows = pd.DataFrame({
        "client_key": people["client_key"],
        "cohort": people["cohort"],
        "trajectory": people["trajectory"],
        "n_snapshots": people["client_key"].map(n_snap).fillna(0).astype("int64"),
        "work_ever": first_dates.notna(),
        "first_work_date": as_date(first_dates),
        "evaluable": evaluable.astype(bool),
        "durable_work": pd.array([bool(d) if e else pd.NA for d, e in zip(durable, evaluable, strict=True)],
                                 dtype="boolean"),
        "durable_date": as_date(durable_date.where(durable)),
    })
    out = rows.reset_index(drop=True)
    description = describe_rule(rule, k, months, language)
    out.attrs.update(
        rule={"rule": rule, "k": int(k), "months": months},
        description=description,
        notes=[description],
        snapshots=dates,
    )
    return out


def durable_work_summary(
    flags: pd.DataFrame,
    *,
    by: Sequence[str] = ("cohort", "trajectory"),
    orders: dict[str, list[str]] | None = None,
    decimals: int = 1,
) -> pd.DataFrame:
    """Counts of a `durable_work` result for all clients and per group: group_var, group, n,
    n_evaluable, n_work_ever, n_durable, pct_durable (of evaluable), pct_durable_of_work_ever
    (of the evaluable clients ever seen working). A note table passes through."""
    if is_note_frame(flags):
        return flags
    orders = orders or {}
    rows = []
    for var, group, mask in _group_variants(flags, by, orders):
        sub = flags[mask]
        evaluable = sub["evaluable"].astype(bool)
        durable = sub["durable_work"].fillna(False).astype(bool)
        ever = evaluable & sub["work_ever"].astype(bool)
        rows.append(
            {
                "group_var": var,
                "group": group,
                "n": len(sub),
                "n_evaluable": int(evaluable.sum()),
                "n_work_ever": int(sub["work_ever"].astype(bool).sum()),
                "n_durable": int(durable.sum()),
                "pct_durable": _pct(int(durable.sum()), int(evaluable.sum()), decimals),
                "pct_durable_of_work_ever": _pct(int(durable.sum()), int(ever.sum()), decimals),
            }
        )
    out = pd.DataFrame(rows)
    out.attrs.update(flags.attrs)
    return out


# --------------------------------------------------------------------------------------------
# 4. Time to first observed work: intervals and the Turnbull estimate
# --------------------------------------------------------------------------------------------
def first_work_intervals(
    clients: pd.DataFrame, panel: pd.DataFrame | None, *, language: str = "nl",
    grid: pd.DataFrame | None = None, dates: Sequence[pd.Timestamp] | None = None,
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
    first = grid.loc[work].groupby("client_key", sort=False)[["reference_date", "days_since_intake"]].first()
    first_date = keys.map(first["reference_date"])
    before_work = first_date.isna() | (grid["reference_date"] < first_date)
    last_no = (grid.loc[before_work & grid["work_status"].eq(NO_WORK)]
               .groupby("client_key", sort=False)[["reference_date", "days_since_intake"]].last())
    who = people["client_key"]

    def as_date(values: pd.Series) -> list:
        return [None if pd.isna(v) else pd.Timestamp(v).date() for v in values]

    rows = pd.DataFrame({
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
    })
    out = rows.reset_index(drop=True)
    out.attrs.update(notes=[], snapshots=dates)
    return out


@dataclass
class TurnbullFit:
    """The NPMLE of one group: ``intervals`` (left, right, mass, point) are the Turnbull
    (innermost) intervals (left, right] with positive probability mass (``point``: an exact
    time, the mass sits at ``right``; ``right`` inf: beyond the follow-up). ``kkt_gap``: how far
    the solution is from the optimality conditions (0 at the exact NPMLE); ``converged`` when
    below the tolerance."""

    intervals: pd.DataFrame
    n_iter: int
    converged: bool
    loglik: float
    kkt_gap: float


def _innermost(lo: np.ndarray, hi: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Turnbull's innermost intervals (left, right] of observations (lo, hi] (lo == hi: an
    exact time, a point; hi inf: right-censored), in order. An interval runs between two
    consecutive endpoints, from a left endpoint to a right one; an exact time is a point."""
    exact = lo == hi
    ends = np.unique(np.r_[lo, hi[np.isfinite(hi)]])
    left_ends = set(lo[~exact].tolist())
    right_ends = set(hi[np.isfinite(hi) & ~exact].tolist())
    exact_times = set(lo[exact].tolist())
    left, right, point = [], [], []
    for i, e in enumerate(ends):
        previous = ends[i - 1] if i else -math.inf
        if e in exact_times or (e in right_ends and previous in left_ends):
            left.append(previous)
            right.append(e)
            point.append(e in exact_times)
    if np.isinf(hi).any() and ends[-1] in left_ends:
        left.append(ends[-1])
        right.append(math.inf)
        point.append(False)
    return np.asarray(left, float), np.asarray(right, float), np.asarray(point, bool)


def turnbull(
    lower: Sequence[float],
    upper: Sequence[float],
    *,
    tol: float = 1e-9,
    em_tol: float = 1e-6,
    em_iter: int = 20_000,
    newton_iter: int = 500,
) -> TurnbullFit:
    """Turnbull's nonparametric MLE of an event-time distribution from interval-censored data.

    Observation i says the event lies in (lower_i, upper_i]; ``lower == upper`` is an exact
    time; ``upper`` inf is right-censored at ``lower``. The innermost intervals come from the
    endpoints; every observation covers a run of them, so that the EM (self-consistency)
    algorithm costs O(n) per step. EM runs until no mass moves by more than `em_tol` (at most
    `em_iter` steps); an active-set Newton method then solves the problem on the support EM
    found, to `tol`, and adds back (or drops) any interval that violates the optimality (KKT)
    conditions, which EM alone approaches only slowly."""
    lo = np.asarray(lower, dtype=float)
    hi = np.asarray(upper, dtype=float)
    if lo.shape != hi.shape or lo.ndim != 1 or len(lo) == 0:
        raise LongitudinalInputError("lower and upper must be non-empty 1-d arrays of one length")
    if not np.isfinite(lo).all():
        raise LongitudinalInputError("lower bounds must be finite")
    if np.isnan(hi).any() or (hi < lo).any():
        raise LongitudinalInputError("every upper bound must be >= its lower bound")
    obs = pd.DataFrame({"lo": lo, "hi": hi}).value_counts().sort_index()
    o_lo = obs.index.get_level_values(0).to_numpy(float)
    o_hi = obs.index.get_level_values(1).to_numpy(float)
    wn = obs.to_numpy(float) / obs.sum()
    c_left, c_right, c_point = _innermost(lo, hi)
    m = len(c_left)
    # observation i covers the innermost intervals first[i] .. stop[i] - 1
    exact = o_lo == o_hi
    first = np.where(
        exact,
        np.searchsorted(c_right, o_hi, side="left"),
        np.searchsorted(c_left, o_lo, side="left"),
    )
    stop = np.where(exact, first + 1, np.searchsorted(c_right, o_hi, side="right"))
    if (stop <= first).any():  # cannot happen for valid input; guard anyway
        raise LongitudinalInputError("an observation covers no Turnbull interval")

    def covered(p: np.ndarray) -> np.ndarray:  # A p: the probability of each observation
        cum = np.r_[0.0, np.cumsum(p)]
        return cum[stop] - cum[first]

    def gradient(v: np.ndarray) -> np.ndarray:  # A^T v
        diff = np.bincount(first, v, m + 1) - np.bincount(stop, v, m + 1)
        return np.cumsum(diff)[:m]

    def objective(p: np.ndarray) -> float:  # -loglik / n + sum(p): minimum at the NPMLE
        ap = covered(p)
        return math.inf if (ap <= 0).any() else float(-(wn * np.log(ap)).sum() + p.sum())

    p = np.full(m, 1.0 / m)
    n_iter = 0
    for n_iter in range(1, em_iter + 1):  # noqa: B007 (reported)
        p_new = p * gradient(wn / covered(p))
        p_new /= p_new.sum()
        moved = float(np.abs(p_new - p).max())
        p = p_new
        if moved < em_tol:
            break
    # active-set Newton on the relaxed problem min -loglik + sum(p), p >= 0
    support = p > 1e-6 * p.max()
    p = np.where(support, p, 0.0)
    columns = np.arange(m)
    for _ in range(newton_iter):
        ap = covered(p)
        d = gradient(wn / ap)
        inside = np.abs(1 - d[support]).max() if support.any() else 0.0
        outside = np.where(support, -np.inf, d - 1)
        if inside < tol and outside.max() <= tol:
            break
        if inside < tol:  # optimal on the support: let in the worst violator
            support[int(np.argmax(outside))] = True
            continue
        idx = np.flatnonzero(support)
        cover = (first[:, None] <= columns[idx][None, :]) & (columns[idx][None, :] < stop[:, None])
        cover = cover.astype(float)
        g = 1 - d[idx]
        hessian = (cover * (wn / ap**2)[:, None]).T @ cover
        hessian[np.diag_indices_from(hessian)] += 1e-12 * max(1.0, float(hessian.diagonal().max()))
        step = np.linalg.solve(hessian, -g)
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(step < 0, -p[idx] / step, np.inf)
        t_max = float(ratio.min())
        t = min(1.0, t_max)
        f0, slope = objective(p), float(g @ step)
        while t > 1e-14:
            q = p.copy()
            q[idx] = np.maximum(p[idx] + t * step, 0.0)
            if objective(q) <= f0 + 1e-4 * t * slope:
                break
            t /= 2
        else:
            break  # no progress possible: keep p
        if t == t_max:  # a mass reached 0: it leaves the support
            hit = idx[ratio <= t_max]
            q[hit] = 0.0
            support[hit] = False
        p = q
    p = np.where(p > 1e-12, p, 0.0)
    p /= p.sum()
    ap = covered(p)
    d = gradient(wn / ap)
    gap = float(max(np.abs(1 - d[p > 0]).max(), (d - 1).max(), 0.0))
    loglik = float((obs.to_numpy(float) * np.log(ap)).sum())
    intervals = pd.DataFrame({"left": c_left, "right": c_right, "mass": p, "point": c_point})
    intervals = intervals[intervals["mass"] > 0].reset_index(drop=True)
    return TurnbullFit(intervals, n_iter, gap < 1e-6, loglik, gap)


def _cum_bounds(fit: TurnbullFit, t: float) -> tuple[float, float, float]:
    """(estimate, min, max) of P(T <= t): mass spread evenly over each interval / the least /
    the most the data allow."""
    iv = fit.intervals
    left, right, mass, point = (iv[c].to_numpy() for c in ("left", "right", "mass", "point"))
    low = float(mass[right <= t].sum())
    high = float(mass[(point & (right <= t)) | (~point & (left < t))].sum())
    inside = ~point & (left < t) & (t < right) & np.isfinite(right)
    spread = float((mass[inside] * (t - left[inside]) / (right[inside] - left[inside])).sum())
    return low + spread, low, high


def _curve(fit: TurnbullFit) -> tuple[np.ndarray, np.ndarray]:
    """The estimate as a polyline: flat between Turnbull intervals, linear within one, a
    vertical step at an exact time; stops at the last finite endpoint."""
    xs, ys = [0.0], [0.0]
    cum = 0.0
    for row in fit.intervals.itertuples(index=False):
        if not np.isfinite(row.right):
            break
        start = row.right if row.point else max(row.left, 0.0)
        xs += [start, row.right]
        ys += [cum, cum + row.mass]
        cum += row.mass
    return np.asarray(xs), np.asarray(ys)


def _first_crossing(xs: np.ndarray, ys: np.ndarray, level: float) -> float | None:
    above = np.flatnonzero(ys >= level - 1e-12)
    if not len(above):
        return None
    j = int(above[0])
    if j == 0 or ys[j] == ys[j - 1]:
        return float(xs[j])
    return float(xs[j - 1] + (level - ys[j - 1]) * (xs[j] - xs[j - 1]) / (ys[j] - ys[j - 1]))


def _median_bounds(fit: TurnbullFit) -> tuple[float | None, float | None, float | None]:
    """(estimate, earliest, latest) time at which half has had the event."""
    xs, ys = _curve(fit)
    estimate = _first_crossing(xs, ys, 0.5)
    iv = fit.intervals
    cum = iv["mass"].cumsum().to_numpy()
    reached = np.flatnonzero(cum >= 0.5 - 1e-12)
    if not len(reached) or not np.isfinite(iv["right"].iloc[int(reached[0])]):
        return estimate, None, None
    row = iv.iloc[int(reached[0])]
    earliest = float(row["right"] if row["point"] else max(row["left"], 0.0))
    return estimate, earliest, float(row["right"])


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
    ) -> IntervalKaplanMeier:
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
        self.fits_ = {
            g: turnbull(lower[groups == g], upper[groups == g], tol=self.tol) for g in self.groups_
        }
        self.total_fit_ = turnbull(lower, upper, tol=self.tol)
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
        longest = self.followup_days() / DAYS_PER_MONTH
        step = float(self.at_risk_step_months)
        return [step * i for i in range(int(np.floor(longest / step + 1e-9)) + 1)]

    def still_without_work(self, group: str, t_days: float) -> int:
        """Clients of `group` with a snapshot without work at or after `t_days` (and no work
        seen before it)."""
        lo = self.lower_[self.group_labels_ == group]
        return int((lo >= t_days).sum())

    def _at_risk_table(self) -> pd.DataFrame:
        times = self.at_risk_times_months()
        rows = []
        for group in self.groups_:
            row: dict[str, Any] = {"group": group}
            for months in times:
                row[f"{months:g}"] = self.still_without_work(group, months * DAYS_PER_MONTH)
            rows.append(row)
        return pd.DataFrame(rows, columns=["group", *[f"{m:g}" for m in times]])

    def plot(self, ax=None, language: str = "nl", title: str | None = None, **kwargs):
        """`plot_first_work(self, ax, language, title, **kwargs)`."""
        return plot_first_work(self, ax=ax, language=language, title=title, **kwargs)


# --------------------------------------------------------------------------------------------
# 5. Trajectory changes
# --------------------------------------------------------------------------------------------
@dataclass
class TrajectoryChangeSummary:
    """``matrix``: from -> to counts (from_trajectory, to_trajectory, n, pct of the row, with
    ``Totaal`` rows and columns); ``summary``: per screening trajectory and ``Totaal``;
    ``notes``: what the reader should know (language of the call)."""

    matrix: pd.DataFrame
    summary: pd.DataFrame
    notes: list[str] = field(default_factory=list)
    n_changes: int = 0
    n_clients_changed: int = 0


SUMMARY_COLUMNS = [
    "trajectory", "n", "n_changed", "pct_changed", "n_changes", "days_n", "days_mean",
    "days_sd", "days_median", "days_q1", "days_q3", "n_art60", "pct_art60",
    "pct_art60_changed", "pct_art60_unchanged",
]  # fmt: skip


def trajectory_change_summary(
    clients: pd.DataFrame,
    changes: pd.DataFrame | None,
    *,
    language: str = "nl",
    decimals: int = 1,
) -> TrajectoryChangeSummary:
    """Trajectory changes after the screening, against the screening's trajectory.

    `changes`: client_key, change_date, trajectory (the new one); None when there is no such
    export: the matrix is a note table and the summary keeps only n and the art. 60 columns.
    Changes of clients not in `clients`, or dated before the intake, are left out (counted).
    The share of clients with an art. 60 comes from ``clients["art60_started"]`` (empty
    columns without it)."""
    _check_language(language)
    people = _clients_frame(clients)
    if "art60_started" in clients.columns:
        people["art60"] = clients["art60_started"].astype("boolean").fillna(False).to_numpy()
    else:
        people["art60"] = pd.NA
    order = _orders(clients)["trajectory"]
    notes: list[str] = []
    if changes is None:
        notes.append(_t("no_changes", language))
        people["changed"] = pd.NA
        summary = _change_summary_rows(people, None, order, decimals)
        matrix = _note_frame(_t("no_changes", language))
        return TrajectoryChangeSummary(matrix, summary, notes)

    _require(changes, ["client_key", "change_date", "trajectory"], "trajectory_changes")
    ch = pd.DataFrame(
        {
            "client_key": changes["client_key"].astype(str).to_numpy(),
            "change_date": pd.to_datetime(changes["change_date"]).to_numpy(),
            "to": changes["trajectory"].astype(object).to_numpy(),
        }
    )
    info = people.set_index("client_key")
    ch["intake_date"] = ch["client_key"].map(info["intake_date"])
    usable = ch["intake_date"].notna() & (ch["change_date"] >= ch["intake_date"])
    if (~usable).any():
        notes.append(_t("tc_excluded", language, n=int((~usable).sum())))
    ch = ch[usable].sort_values(["client_key", "change_date"], kind="stable")
    ch["screening"] = ch["client_key"].map(info["trajectory"])
    ch["from"] = ch.groupby("client_key")["to"].shift().fillna(ch["screening"])
    ch["days"] = (ch["change_date"] - ch["intake_date"]).dt.days
    first = ch.groupby("client_key").first()
    people["changed"] = people["client_key"].isin(first.index)
    people["days_to_change"] = people["client_key"].map(first["days"])
    people["n_changes"] = people["client_key"].map(ch.groupby("client_key").size()).fillna(0)

    states = [t for t in order]
    states += sorted({s for s in pd.concat([ch["from"], ch["to"]]).dropna()} - set(states))
    rows = []
    for from_t in (*states, TOTAL):
        sel = ch["from"].notna() if from_t == TOTAL else ch["from"] == from_t
        row_total = int(sel.sum())
        for to_t in (*states, TOTAL):
            n = row_total if to_t == TOTAL else int((sel & (ch["to"] == to_t)).sum())
            rows.append(
                {
                    "from_trajectory": from_t,
                    "to_trajectory": to_t,
                    "n": n,
                    "pct": _pct(n, row_total, decimals),
                }
            )
    matrix = pd.DataFrame(rows)
    same = int((ch["from"] == ch["to"]).sum())
    if same:
        notes.append(_t("tcm_same", language, n=same))
    summary = _change_summary_rows(people, ch, order, decimals)
    return TrajectoryChangeSummary(matrix, summary, notes, len(ch), int(people["changed"].sum()))


def _change_summary_rows(
    people: pd.DataFrame, ch: pd.DataFrame | None, order: list[str], decimals: int
) -> pd.DataFrame:
    has_art60 = people["art60"].notna().all()
    rows = []
    for group in (*order, TOTAL):
        sub = people if group == TOTAL else people[people["trajectory"] == group]
        row: dict[str, Any] = {c: None for c in SUMMARY_COLUMNS}
        row.update(trajectory=group, n=len(sub))
        if has_art60:
            art60 = sub["art60"].astype(bool)
            row.update(
                n_art60=int(art60.sum()), pct_art60=_pct(int(art60.sum()), len(sub), decimals)
            )
        if ch is not None:
            changed = sub["changed"].astype(bool)
            days = sub.loc[changed, "days_to_change"].to_numpy(float)
            row.update(
                n_changed=int(changed.sum()),
                pct_changed=_pct(int(changed.sum()), len(sub), decimals),
                n_changes=int(sub["n_changes"].sum()),
                days_n=len(days),
            )
            if len(days):
                row.update(
                    days_mean=round_half_up(float(days.mean()), decimals),
                    days_sd=round_half_up(float(days.std(ddof=1)), decimals)
                    if len(days) > 1
                    else None,
                    days_median=round_half_up(spss_quantile(days, 0.5), decimals),
                    days_q1=round_half_up(spss_quantile(days, 0.25), decimals),
                    days_q3=round_half_up(spss_quantile(days, 0.75), decimals),
                )
            if has_art60:
                art60 = sub["art60"].astype(bool)
                row.update(
                    pct_art60_changed=_pct(
                        int((art60 & changed).sum()), int(changed.sum()), decimals
                    )
                    if changed.any()
                    else None,
                    pct_art60_unchanged=_pct(
                        int((art60 & ~changed).sum()), int((~changed).sum()), decimals
                    )
                    if (~changed).any()
                    else None,
                )
        rows.append(row)
    out = pd.DataFrame(rows, columns=SUMMARY_COLUMNS)
    for column in ("n", "n_changed", "n_changes", "days_n", "n_art60"):
        out[column] = out[column].astype("Int64")
    return out


# --------------------------------------------------------------------------------------------
# Plots
# --------------------------------------------------------------------------------------------
_GROUP_COLOURS = {WORK: "#1f6fb4", DEREGISTERED: "#9ecae1", NO_WORK: "#f4a259", UNKNOWN: "#d0d0d0"}


def _new_figure(figsize: tuple[float, float]):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=figsize)
    FigureCanvasAgg(fig)
    return fig


def _message_figure(text: str):
    fig = _new_figure((7.0, 2.2))
    ax = fig.add_subplot(111)
    ax.set_axis_off()
    ax.text(0.5, 0.5, text, ha="center", va="center", fontsize=11, color="0.25", wrap=True)
    return fig


def _snapshots_figure(dates: Sequence[pd.Timestamp], language: str):
    listed = f": {_dates_text(dates)}" if dates else ""
    return _message_figure(_t("needs_snapshots_figure", language, n=len(dates), dates=listed))


def plot_status_by_months(table: pd.DataFrame, language: str = "nl", title: str | None = None):
    """Stacked areas of the status groups by months since intake, one small multiple per
    cohort, from a `status_by_months` table (canonical Dutch values). Returns the Figure."""
    from matplotlib.patches import Patch
    from matplotlib.text import Annotation
    from matplotlib.ticker import MultipleLocator, PercentFormatter

    _check_language(language)
    if is_note_frame(table):
        return _message_figure(table["note"].iloc[0])
    data = table[table["status_group"] != TOTAL]
    cohorts = list(dict.fromkeys(data["cohort"]))
    n = max(len(cohorts), 1)
    ncols = min(n, 2) if n <= 4 else 3
    nrows = math.ceil(n / ncols)
    fig = _new_figure((4.4 * ncols + 1.6, 3.1 * nrows + 0.6))
    axes = fig.subplots(nrows, ncols, sharex=True, sharey=True, squeeze=False)
    longest = float(data["months_since_intake"].max()) if len(data) else 12.0
    for i, ax in enumerate(axes.flat):
        if i >= n or not cohorts:
            ax.set_visible(False)
            continue
        cohort = cohorts[i]
        sub = data[data["cohort"] == cohort]
        wide = sub.pivot_table(
            index="months_since_intake", columns="status_group", values="pct", aggfunc="sum"
        ).reindex(columns=list(STATUS_GROUPS), fill_value=0.0)
        x = wide.index.to_numpy(dtype=float)
        ys = [wide[g].to_numpy(dtype=float) / 100 for g in STATUS_GROUPS]
        colours = [_GROUP_COLOURS[g] for g in STATUS_GROUPS]
        if len(x) >= 2:
            ax.stackplot(x, *ys, colors=colours, linewidth=0.6, edgecolor="white")
        else:
            bottom = 0.0
            for y, c in zip(ys, colours, strict=True):
                ax.bar(x, y, bottom=bottom, width=2.5, color=c, edgecolor="white", linewidth=0.6)
                bottom = bottom + y
        stacked = np.cumsum(np.vstack(ys), axis=0)
        for position, xi in enumerate(x):
            ax.axvline(xi, color="white", linewidth=0.8, alpha=0.9)
            # the share of each band written at the snapshot, inside the plot
            ha, dx = ("center", 0) if len(x) == 1 else ("left", 3)
            if len(x) > 1 and position == len(x) - 1:
                ha, dx = "right", -3
            for g, group in enumerate(STATUS_GROUPS):
                share = ys[g][position]
                if share < 0.07:
                    continue
                ax.annotate(
                    f"{share * 100:.0f}%", xy=(xi, stacked[g][position] - share / 2),
                    xytext=(dx, 0), textcoords="offset points", ha=ha, va="center", fontsize=7.5,
                    color="white" if group == WORK else "0.15",
                    fontweight="bold" if group == WORK else "normal",
                )  # fmt: skip
        dates = sub.drop_duplicates("months_since_intake").sort_values("months_since_intake")
        for xi, d in zip(dates["months_since_intake"], dates["reference_date"], strict=True):
            ax.annotate(
                pd.Timestamp(d).strftime("%m/%Y"), xy=(xi, 1.0), xytext=(0, 2),
                textcoords="offset points", ha="center", va="bottom", fontsize=7, color="0.35",
            )  # fmt: skip
        ax.set_title(str(value_label(cohort, language)), loc="left", fontsize=10, pad=12)
        ax.set_ylim(0, 1)
        ax.set_xlim(0, max(longest + 3, 12))
        ax.xaxis.set_major_locator(MultipleLocator(6))
        ax.yaxis.set_major_formatter(PercentFormatter(xmax=1.0, decimals=0))
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
    for ax in axes[-1]:
        ax.set_xlabel(_t("sbm_xlabel", language), fontsize=9)
    for ax in axes[:, 0]:
        ax.set_ylabel(_t("sbm_ylabel", language), fontsize=9)
    handles = [
        Patch(color=_GROUP_COLOURS[g], label=str(value_label(g, language))) for g in STATUS_GROUPS
    ]
    fig.suptitle(_t("sbm_figure_title", language) if title is None else title, x=0.02,
                 ha="left", fontsize=12)  # fmt: skip
    fig.tight_layout(rect=(0, 0, 1, 0.97))
    legend = fig.legend(
        handles=handles[::-1], title=_t("sbm_legend", language), loc="upper left",
        bbox_to_anchor=(1.0, 0.9), frameon=False, alignment="left",
    )  # fmt: skip
    fig.add_artist(
        Annotation(
            _t("sbm_figure_note", language), xy=(0.0, 0.0), xycoords=legend, xytext=(0, -10),
            textcoords="offset points", fontsize=8, color="0.3", va="top", ha="left",
        )
    )  # fmt: skip
    return fig


def _truncation(model: IntervalKaplanMeier, group: str, min_at_risk: int) -> float | None:
    """Last time (days) at which at least `min_at_risk` clients are still without work."""
    if min_at_risk <= 0:
        return None
    lo = np.sort(model.lower_[model.group_labels_ == group].to_numpy())[::-1]
    if len(lo) < min_at_risk:
        return 0.0
    cut = float(lo[min_at_risk - 1])  # the k-th largest lower bound
    return None if cut >= model.followup_days(model.group_labels_ == group) else cut


def plot_first_work(
    model: IntervalKaplanMeier,
    ax=None,
    language: str = "nl",
    title: str | None = None,
    *,
    legend_title: str | None = None,
    at_risk: bool = True,
    band: bool = True,
    min_at_risk: int = 0,
):
    """The share seen working by time since intake per group of a fitted
    `IntervalKaplanMeier`, in the style of the art. 60 Kaplan-Meier plots: months on the x axis
    (ticks every `at_risk_step_months`), the legend outside the plot, the number still without
    work under it. The line spreads each Turnbull interval's mass evenly over the interval;
    the band (`band`) is the range the interval censoring leaves open. With `min_at_risk` > 0
    a curve stops where fewer clients are still without work. Returns the Axes (`ax=None`: a
    new Agg figure)."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch
    from matplotlib.ticker import FixedLocator, FuncFormatter, PercentFormatter

    _check_language(language)
    if not hasattr(model, "fits_"):
        raise LongitudinalInputError("the model is not fitted; call fit() first")
    if ax is None:
        n = len(model.groups_)
        ax = _new_figure((9.0, 4.6 + 0.2 * n if at_risk else 4.6)).add_subplot(111)
    labels = [str(value_label(g, language)) for g in model.groups_]
    colours = [f"C{i}" for i in range(len(model.groups_))]
    top, truncated = 0.0, False
    for group, label, colour in zip(model.groups_, labels, colours, strict=True):
        fit = model.fits_[group]
        cut = _truncation(model, group, min_at_risk)
        truncated = truncated or cut is not None
        end = model.followup_days(model.group_labels_ == group) if cut is None else cut
        xs, ys = _curve(fit)
        keep = xs <= end
        x_line = np.r_[xs[keep], end]
        y_line = np.r_[ys[keep], np.interp(end, xs, ys)]
        ax.plot(x_line, y_line, color=colour, linewidth=1.8, label=label)
        top = max(top, float(y_line.max()))
        if band:
            grid = np.unique(np.r_[0.0, fit.intervals["left"], fit.intervals["right"], end])
            grid = grid[(grid >= 0) & (grid <= end) & np.isfinite(grid)]
            lows, highs = [], []
            for t in grid:
                _est, low, high = _cum_bounds(fit, t + 1e-9)
                lows.append(low)
                highs.append(high)
            ax.fill_between(grid, lows, highs, step="post", color=colour, alpha=0.15, linewidth=0)
            top = max(top, max(highs))

    ticks_months = model.at_risk_times_months()
    ticks_days = [m * DAYS_PER_MONTH for m in ticks_months]
    ax.set_xlim(0, model.followup_days() * 1.01)
    ax.set_ylim(0, min(1.0, np.ceil(top * 10 + 0.25) / 10))
    ax.xaxis.set_major_locator(FixedLocator(ticks_days))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _pos: f"{x / DAYS_PER_MONTH:.0f}"))
    ax.yaxis.set_major_formatter(PercentFormatter(xmax=1.0, decimals=0))
    ax.set_xlabel(_t("km_xlabel", language))
    ax.set_ylabel(_t("km_ylabel", language))
    ax.grid(True, color="0.9", linewidth=0.8)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    default_title = _t("km_figure_title", language, per=_t("per_cohort", language))
    ax.set_title(default_title if title is None else title, loc="left")

    handles = [
        Line2D([], [], color=c, linewidth=1.8, label=lab)
        for c, lab in zip(colours, labels, strict=True)
    ]
    if band:
        handles.append(Patch(color="0.3", alpha=0.15, label=_t("km_band", language)))
    footnotes = [_t("km_footnote", language)] if at_risk else []
    if truncated:
        footnotes.append(_t("km_truncated", language, k=min_at_risk))
    if legend_title is None and model.group_name in ("cohort", "trajectory"):
        legend_title = _t(model.group_name, language)
    legend = ax.legend(
        handles=handles, title=legend_title, loc="upper left", bbox_to_anchor=(1.01, 1.0),
        frameon=False, alignment="left",
    )  # fmt: skip
    if footnotes:
        ax.annotate(
            "\n".join(footnotes), xy=(0.0, 0.0), xycoords=legend, xytext=(0, -8),
            textcoords="offset points", va="top", ha="left", fontsize=8, color="0.3",
        )  # fmt: skip
    if at_risk:
        _draw_at_risk(ax, model, labels, colours, ticks_months, language)
    return ax


def _draw_at_risk(ax, model, labels, colours, ticks_months, language) -> None:
    """The number still without work per group at every tick, as rows under the x axis."""
    from matplotlib.transforms import blended_transform_factory

    transform = blended_transform_factory(ax.transData, ax.transAxes)
    label_transform = ax.transAxes
    base = -42  # points below the axis: under the tick labels and the axis label
    ax.annotate(
        _t("km_at_risk", language), xy=(0, 0), xycoords=label_transform, xytext=(-18, base),
        textcoords="offset points", ha="right", va="center", fontsize=8.5, fontweight="bold",
    )  # fmt: skip
    for i, (group, label, colour) in enumerate(zip(model.groups_, labels, colours, strict=True)):
        y = base - 12 * (i + 1)
        ax.annotate(
            label, xy=(0, 0), xycoords=label_transform, xytext=(-18, y),
            textcoords="offset points", ha="right", va="center", fontsize=8.5, color=colour,
        )  # fmt: skip
        for months in ticks_months:
            count = model.still_without_work(group, months * DAYS_PER_MONTH)
            ax.annotate(
                f"{count}", xy=(months * DAYS_PER_MONTH, 0), xycoords=transform, xytext=(0, y),
                textcoords="offset points", ha="center", va="center", fontsize=8.5,
            )  # fmt: skip


# --------------------------------------------------------------------------------------------
# Edge: tables and figures
# --------------------------------------------------------------------------------------------
def _r(value: Any, decimals: int = 1) -> float | None:
    if value is None or (isinstance(value, float) and not math.isfinite(value)) or pd.isna(value):
        return None
    return round_half_up(float(value), decimals)


def _translate(frame: pd.DataFrame, columns: Sequence[str], language: str) -> pd.DataFrame:
    if is_note_frame(frame):
        return frame
    return translate_columns(frame, list(columns), language)


def _km_table(models: dict[str, IntervalKaplanMeier]) -> pd.DataFrame:
    """Summary rows per group of every model, then one ``Totaal`` row (the same in each)."""
    frames = []
    for var, model in models.items():
        summary = model.summary_[model.summary_["group"] != TOTAL].copy()
        summary.insert(0, "group_var", var)
        frames.append(summary)
    total = next(iter(models.values())).summary_
    frames.append(total[total["group"] == TOTAL].assign(group_var=TOTAL))
    table = pd.concat(frames, ignore_index=True)
    table["followup_max_months"] = table["followup_max_days"] / DAYS_PER_MONTH
    for column in table.columns:
        if column.startswith(("pct_", "median_", "followup_max_months")):
            table[column] = table[column].map(_r)
    table = table.drop(columns=["followup_max_days", "median_days"])
    front = ["group_var", "group", "n", "n_work_seen", "n_censored", "followup_max_months",
             "median_months", "median_min_months", "median_max_months"]  # fmt: skip
    return table[front + [c for c in table.columns if c not in front]]


# --------------------------------------------------------------------------------------------
# Per-client parts: computed per intake cohort (in parallel), put together for the tables
# --------------------------------------------------------------------------------------------
@dataclass
class LongitudinalParts:
    """The per-client steps of the longitudinal view for a set of clients: the client status
    grid (`client_status_grid`), the durable-work flags (`durable_work`) and the first-work
    intervals (`first_work_intervals`). Every table is an aggregate of these, so the parts of
    the intake cohorts, computed apart, put together (`combine_parts`) give the same tables as
    the parts of all clients at once. With fewer than two snapshots only `dates` is set."""

    dates: list[pd.Timestamp]
    grid: pd.DataFrame | None = None
    durable: pd.DataFrame | None = None
    intervals: pd.DataFrame | None = None
    n_before_intake: int = 0
    has_category: bool = True

    FILES = ("grid", "durable", "intervals")

    def write(self, directory: Path | str) -> None:
        """Parquet files plus a small JSON in `directory` (see `read`)."""
        from cob_analysis.storage import write_json, write_parquet

        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        for name in self.FILES:
            frame = getattr(self, name)
            write_parquet(frame if frame is not None else pd.DataFrame(), directory / f"{name}.parquet")
        write_json({"dates": [str(d.date()) for d in self.dates], "n_before_intake": self.n_before_intake,
                    "has_category": self.has_category, "computed": self.grid is not None},
                   directory / "parts.json")

    @classmethod
    def read(cls, directory: Path | str) -> LongitudinalParts:
        from cob_analysis.storage import read_json, read_parquet

        directory = Path(directory)
        info = read_json(directory / "parts.json")
        frames = {name: read_parquet(directory / f"{name}.parquet") if info["computed"] else None
                  for name in cls.FILES}
        return cls([pd.Timestamp(d) for d in info["dates"]], **frames,
                   n_before_intake=int(info["n_before_intake"]), has_category=bool(info["has_category"]))


def _durable_rule(setting: dict | None) -> dict:
    """Config ``durable_work`` with its defaults filled in."""
    return {"rule": "consecutive_snapshots", "k": 2, "months": 12} | (setting or {})


def longitudinal_parts(
    clients: pd.DataFrame,
    panel: pd.DataFrame,
    *,
    dates: Sequence[pd.Timestamp] | None = None,
    durable_rule: dict | None = None,
) -> LongitudinalParts:
    """The per-client parts of these clients (e.g. one intake cohort). `dates`: the snapshots of
    the whole panel (default: those of `panel`); `durable_rule`: config ``durable_work``."""
    dw = _durable_rule(durable_rule)
    dates = snapshot_dates(panel) if dates is None else list(dates)
    if len(dates) < 2:
        return LongitudinalParts(dates, has_category="status_category" in panel.columns)
    grid = client_status_grid(clients, panel, dates)
    return LongitudinalParts(
        dates,
        grid,
        durable_work(clients, None, dw["rule"], int(dw["k"]), float(dw["months"]), grid=grid, dates=dates),
        first_work_intervals(clients, None, grid=grid, dates=dates),
        int(grid.attrs["n_before_intake"]),
        bool(grid.attrs["has_category"]),
    )


def combine_parts(parts: Sequence[LongitudinalParts]) -> LongitudinalParts:
    """The parts of disjoint sets of clients (the cohorts) as the parts of all of them."""
    if not parts:
        raise LongitudinalInputError("no parts to combine")
    dates = parts[0].dates
    if any(p.dates != dates for p in parts):
        raise LongitudinalInputError("the parts were computed for different snapshot dates")
    has_category = all(p.has_category for p in parts)
    if len(dates) < 2 or any(p.grid is None for p in parts):
        return LongitudinalParts(dates, has_category=has_category)

    def stack(name: str, order: list[str]) -> pd.DataFrame:
        frames = [f for f in (getattr(p, name) for p in parts) if len(f)]
        frame = pd.concat(frames, ignore_index=True) if frames else getattr(parts[0], name)
        return frame.sort_values(order, kind="stable").reset_index(drop=True)

    grid = stack("grid", ["client_key", "reference_date"])
    n_before = sum(p.n_before_intake for p in parts)
    grid.attrs.update(snapshots=dates, n_before_intake=n_before, has_category=has_category)
    return LongitudinalParts(dates, grid, stack("durable", ["client_key"]), stack("intervals", ["client_key"]),
                             n_before, has_category)


def run_longitudinal(
    clients: pd.DataFrame,
    panel: pd.DataFrame | None,
    changes: pd.DataFrame | None,
    *,
    config: dict,
    tables_dir: Path | str,
    figures_dir: Path | str,
    parts: LongitudinalParts | None = None,
) -> list[str]:
    """Write the longitudinal tables (`TABLE_IDS`, tables_io kind "stats") and figures
    (`FIGURE_IDS`, PNG and SVG, byte-stable). `config` is the resolved configuration: it reads
    ``language`` (nl | en), ``pct_decimals``, ``cohort`` and ``durable_work`` (rule, k,
    months), each with its default when absent. Every table and figure is written also with a
    single snapshot (saying that two or more are needed) and without a trajectory-change
    export. `parts`: the per-client parts put together from the cohorts (`combine_parts`);
    without them they are computed here from `panel`. Returns the ids of the tables written,
    in `TABLE_IDS` order."""
    from cob_analysis.analyses import save_figure

    language = config.get("language") or "nl"
    _check_language(language)
    decimals = int(config.get("pct_decimals", 1))
    dw = _durable_rule(config.get("durable_work"))
    tables_dir, figures_dir = Path(tables_dir), Path(figures_dir)
    cohort_kind = config.get("cohort") or "half-year"
    orders = _orders(clients)
    if "cohort" in clients.columns:
        orders["cohort"] = categories.cohort_order(clients["cohort"].dropna(), cohort_kind)
    if parts is None:
        parts = longitudinal_parts(clients, panel, durable_rule=dw)
    dates, grid = parts.dates, parts.grid
    snap_note = _t("snapshots", language, dates=_dates_text(dates) or "-")
    written: list[str] = []

    def write(frame: pd.DataFrame, table_id: str, title: str, notes: list[str], **extra) -> None:
        notes = list(frame.attrs.get("notes", [])) if is_note_frame(frame) else notes
        meta = TableMeta(
            id=table_id, title=title, kind="stats", notes=notes,
            extra={"snapshots": [str(d.date()) for d in dates]} | extra,
        )  # fmt: skip
        write_table(frame, meta, tables_dir)
        written.append(table_id)

    # 1. status by months since intake, and its figure
    sbm = status_by_months(clients, None, language=language, decimals=decimals, grid=grid, dates=dates)
    sbm_out = sbm
    if not is_note_frame(sbm):
        sbm_out = sbm.assign(reference_date=sbm["reference_date"].astype(str))
    write(
        _translate(sbm_out, ["cohort", "status_group"], language),
        "long_status_by_months",
        _t("sbm_title", language),
        [_t("sbm_months", language), _t("sbm_groups", language), snap_note,
         *sbm.attrs.get("notes", [])],
    )  # fmt: skip
    if is_note_frame(sbm):
        fig = _snapshots_figure(dates, language)
    else:
        fig = plot_status_by_months(sbm, language=language)
    save_figure(fig, figures_dir / "long_status_by_months")

    # 2. transitions
    tr = transitions(clients, None, language=language, decimals=decimals, grid=grid, dates=dates)
    tr_out = tr
    if not is_note_frame(tr):
        tr_out = tr.assign(from_date=tr["from_date"].astype(str), to_date=tr["to_date"].astype(str))
    write(
        _translate(tr_out, ["group", "from_status", "to_status"], language),
        "long_transitions",
        _t("tr_title", language),
        [_t("tr_note", language), snap_note, *tr.attrs.get("notes", [])],
    )

    # 3. durable work (the definition in force printed in the notes)
    rule, k, months = dw["rule"], int(dw["k"]), float(dw["months"])
    description = describe_rule(rule, k, months, language)
    flags = parts.durable if parts.durable is not None else durable_work(
        clients, None, rule, k, months, language=language, dates=dates)
    dws = durable_work_summary(flags, orders=orders, decimals=decimals)
    evaluable = (
        _t("dw_evaluable_consecutive", language, k=k)
        if rule == "consecutive_snapshots"
        else _t("dw_evaluable_still", language, months=f"{months:g}")
    )
    dw_notes = [description, _t("dw_columns", language, evaluable=evaluable), snap_note]
    if is_note_frame(dws):
        dws = _note_frame(f"{dws['note'].iloc[0]} {description}")
    write(
        _translate(dws, ["group"], language),
        "long_durable_work",
        _t("dw_title", language),
        dw_notes,
        durable_work={"rule": rule, "k": k, "months": months, "definition": description},
    )

    # 4. time to first observed work (interval-censored), table and figure
    intervals = parts.intervals if parts.intervals is not None else first_work_intervals(
        clients, None, language=language, dates=dates)
    km_title = _t("km_title", language)
    if is_note_frame(intervals):
        write(intervals, "long_first_work_km", km_title, [])
        save_figure(_snapshots_figure(dates, language), figures_dir / "long_first_work_km")
    else:
        models = {
            var: IntervalKaplanMeier(group_name=var).fit(
                intervals["lower_days"], intervals["upper_days"], intervals[var], orders[var]
            )
            for var in ("cohort", "trajectory")
        }
        km_notes = [_t("km_intervals", language), _t("km_method", language),
                    _t("km_columns", language), snap_note]  # fmt: skip
        for var, model in models.items():
            if model.n_missing_group_:
                km_notes.append(_t("missing_group", language, n=model.n_missing_group_, var=var))
        write(
            _translate(_km_table(models), ["group"], language),
            "long_first_work_km",
            km_title,
            km_notes,
            days_per_month=DAYS_PER_MONTH,
            converged={f"{var}:{g}": fit.converged for var, m in models.items()
                       for g, fit in m.fits_.items()},
        )  # fmt: skip
        # two plots one above the other, with room for the rows of numbers under each
        axes_height = 4.2
        gap = (42 + 12 * (max(len(m.groups_) for m in models.values()) + 1) + 40) / 72
        fig = _new_figure((9.0, 2 * axes_height + gap + 0.2))
        axes = fig.subplots(2, 1)
        fig.subplots_adjust(top=1.0, bottom=0.0, hspace=gap / axes_height)
        for ax, (var, model) in zip(axes, models.items(), strict=True):
            plot_first_work(
                model, ax=ax, language=language, min_at_risk=MIN_AT_RISK_PLOTTED,
                title=_t("km_figure_title", language, per=_t(f"per_{var}", language)),
            )  # fmt: skip
        save_figure(fig, figures_dir / "long_first_work_km")

    # 5. trajectory changes
    tc = trajectory_change_summary(clients, changes, language=language, decimals=decimals)
    matrix_notes = list(tc.notes)
    if not is_note_frame(tc.matrix):
        matrix_notes.insert(
            0, _t("tcm_note", language, n_changes=tc.n_changes, n_clients=tc.n_clients_changed)
        )
    write(
        _translate(tc.matrix, ["from_trajectory", "to_trajectory"], language),
        "traj_changes_matrix",
        _t("tcm_title", language),
        matrix_notes,
    )
    write(
        _translate(tc.summary, ["trajectory"], language),
        "traj_changes_summary",
        _t("tcs_title", language),
        [_t("tcs_note", language), *tc.notes],
        trajectory_changes_export=changes is not None,
    )
    return [tid for tid in TABLE_IDS if tid in written]
