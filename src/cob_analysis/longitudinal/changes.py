"""Trajectory changes after the screening: the from -> to matrix and their summary."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from cob_analysis.longitudinal.common import _clients_frame, _note_frame, _orders, _pct, _require
from cob_analysis.longitudinal.texts import _check_language, _t
from cob_analysis.survival.timing import spss_quantile
from cob_analysis.tables_io import TOTAL, round_half_up


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
