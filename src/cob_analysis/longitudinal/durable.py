"""Durable work under the configured rule."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from cob_analysis.categories import WORK
from cob_analysis.longitudinal.common import (
    DURABLE_RULES,
    _clients_frame,
    _grid_and_dates,
    _needs_snapshots,
    _pct,
    first_seen_without_work,
    is_note_frame,
)
from cob_analysis.longitudinal.texts import _check_language, _t
from cob_analysis.longitudinal.transitions import _group_variants
from cob_analysis.survival.time_scale import DAYS_PER_MONTH


# --------------------------------------------------------------------------------------------
# 3. Durable work
# --------------------------------------------------------------------------------------------
def _check_rule(rule: str, k: int, months: float) -> None:
    if rule not in DURABLE_RULES:
        raise ValueError(f"durable_work rule must be one of {DURABLE_RULES}, not {rule!r}")
    if rule == "consecutive_snapshots" and (int(k) != k or k < 1):
        raise ValueError(f"durable_work k must be a whole number >= 1, not {k!r}")
    if rule in ("still_working_after", "no_return_within") and not months > 0:
        raise ValueError(f"durable_work months must be > 0, not {months!r}")


def describe_rule(
    rule: str = "consecutive_snapshots", k: int = 2, months: float = 12, language: str = "nl"
) -> str:
    """The durable-work definition in force, as one sentence (Dutch or English)."""
    return _rule_text("dw_rule", rule, k, months, language)


def describe_evaluable(
    rule: str = "consecutive_snapshots", k: int = 2, months: float = 12, language: str = "nl"
) -> str:
    """Which clients can be judged under the definition in force (for the table's notes)."""
    return _rule_text("dw_evaluable", rule, k, months, language)


# the catalogue's name of each rule: `longitudinal.dw_rule_<name>`, `longitudinal.dw_evaluable_<name>`
_RULE_TEXT = {
    "consecutive_snapshots": "consecutive",
    "still_working_after": "still",
    "no_return_within": "no_return",
}


def _rule_text(prefix: str, rule: str, k: int, months: float, language: str) -> str:
    _check_rule(rule, k, months)
    _check_language(language)
    return _t(f"{prefix}_{_RULE_TEXT[rule]}", language, k=int(k), months=f"{months:g}")


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
    - ``no_return_within``: after the first snapshot with work, no snapshot at which the client
      is seen without work (a VDAB record recoded ``Geen werk``) within `months` calendar
      months; a snapshot without a record does not count. Evaluable: a snapshot at least
      `months` after the first snapshot with work (or after the first snapshot, for a client
      never seen working), or a snapshot without work before then (not durable).

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
        reached = people["client_key"].isin(target.index)
        worked = people["client_key"].isin(first_work.index)
        if rule == "still_working_after":
            evaluable = reached
            target_work = people["client_key"].map(target["work_status"].eq(WORK)).eq(True)
            durable = evaluable & worked & target_work
        else:  # no_return_within: seen without work after the first work, on or before `due`
            lost_at = people["client_key"].map(first_seen_without_work(grid, first_work))
            lost = lost_at.le(due)  # NaT (never seen without work) compares False
            evaluable = reached | (worked & lost)
            durable = evaluable & worked & ~lost
        durable_date = people["client_key"].map(target["reference_date"]).where(durable)

    def as_date(values: pd.Series) -> list:
        return [None if pd.isna(v) else pd.Timestamp(v).date() for v in values]

    first_dates = people["client_key"].map(first_work)
    rows = pd.DataFrame(
        {
            "client_key": people["client_key"],
            "cohort": people["cohort"],
            "trajectory": people["trajectory"],
            "n_snapshots": people["client_key"].map(n_snap).fillna(0).astype("int64"),
            "work_ever": first_dates.notna(),
            "first_work_date": as_date(first_dates),
            "evaluable": evaluable.astype(bool),
            "durable_work": pd.array(
                [bool(d) if e else pd.NA for d, e in zip(durable, evaluable, strict=True)],
                dtype="boolean",
            ),
            "durable_date": as_date(durable_date.where(durable)),
        }
    )
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
