"""The edge of the longitudinal view: per-cohort parts, and the tables and figures written."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from cob_analysis import categories
from cob_analysis.labels import translate_columns
from cob_analysis.longitudinal.changes import trajectory_change_summary
from cob_analysis.longitudinal.common import (
    MIN_AT_RISK_PLOTTED,
    TABLE_IDS,
    LongitudinalInputError,
    _dates_text,
    _note_frame,
    _orders,
    client_status_grid,
    is_note_frame,
    snapshot_dates,
)
from cob_analysis.longitudinal.durable import (
    describe_evaluable,
    describe_rule,
    durable_work,
    durable_work_summary,
)
from cob_analysis.longitudinal.first_work import IntervalKaplanMeier, first_work_intervals
from cob_analysis.longitudinal.plots import (
    _new_figure,
    _snapshots_figure,
    plot_first_work,
    plot_status_by_months,
)
from cob_analysis.longitudinal.retention import RETENTION_MONTHS, work_retention
from cob_analysis.longitudinal.status import status_by_months
from cob_analysis.longitudinal.texts import _check_language, _t
from cob_analysis.longitudinal.transitions import transitions
from cob_analysis.survival.time_scale import DAYS_PER_MONTH
from cob_analysis.tables_io import TOTAL, TableMeta, round_half_up, write_table


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
            write_parquet(
                frame if frame is not None else pd.DataFrame(), directory / f"{name}.parquet"
            )
        write_json(
            {
                "dates": [str(d.date()) for d in self.dates],
                "n_before_intake": self.n_before_intake,
                "has_category": self.has_category,
                "computed": self.grid is not None,
            },
            directory / "parts.json",
        )

    @classmethod
    def read(cls, directory: Path | str) -> LongitudinalParts:
        from cob_analysis.storage import read_json, read_parquet

        directory = Path(directory)
        info = read_json(directory / "parts.json")
        frames = {
            name: read_parquet(directory / f"{name}.parquet") if info["computed"] else None
            for name in cls.FILES
        }
        return cls(
            [pd.Timestamp(d) for d in info["dates"]],
            **frames,
            n_before_intake=int(info["n_before_intake"]),
            has_category=bool(info["has_category"]),
        )


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
        durable_work(
            clients, None, dw["rule"], int(dw["k"]), float(dw["months"]), grid=grid, dates=dates
        ),
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
    return LongitudinalParts(
        dates,
        grid,
        stack("durable", ["client_key"]),
        stack("intervals", ["client_key"]),
        n_before,
        has_category,
    )


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
    from cob_analysis.report.figures import save_figure

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
    sbm = status_by_months(
        clients, None, language=language, decimals=decimals, grid=grid, dates=dates
    )
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
    flags = (
        parts.durable
        if parts.durable is not None
        else durable_work(clients, None, rule, k, months, language=language, dates=dates)
    )
    dws = durable_work_summary(flags, orders=orders, decimals=decimals)
    evaluable = describe_evaluable(rule, k, months, language)
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

    # 3b. keeping work: from the first snapshot with work until seen without work again
    retention = work_retention(
        clients, None, orders=orders, language=language, decimals=decimals, grid=grid, dates=dates
    )
    write(
        _translate(retention, ["group"], language),
        "long_work_retention",
        _t("ret_title", language),
        [_t("ret_definition", language), _t("ret_method", language),
         _t("ret_columns", language), snap_note],
        retention_months=list(RETENTION_MONTHS),
        days_per_month=DAYS_PER_MONTH,
    )  # fmt: skip

    # 4. time to first observed work (interval-censored), table and figure
    intervals = (
        parts.intervals
        if parts.intervals is not None
        else first_work_intervals(clients, None, language=language, dates=dates)
    )
    km_title = _t("km_title", language)
    if is_note_frame(intervals):
        write(intervals, "long_first_work_km", km_title, [])
        save_figure(_snapshots_figure(dates, language), figures_dir / "long_first_work_km")
    else:
        models: dict[str, IntervalKaplanMeier] = {}
        pooled = None  # the pooled fit is the same for both groupings when no group is missing
        for var in ("cohort", "trajectory"):
            complete = bool(intervals[var].notna().all())
            models[var] = IntervalKaplanMeier(group_name=var).fit(
                intervals["lower_days"],
                intervals["upper_days"],
                intervals[var],
                orders[var],
                total_fit=pooled if complete else None,
            )
            if complete and pooled is None:
                pooled = models[var].total_fit_
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


def _key_sample_bound(fraction: float) -> int:
    """Pseudonyms are uniform over the signed 64-bit range: those at or below this bound are a
    deterministic random sample of about `fraction` of the clients."""
    return min(2**63 - 1, -(2**63) + int(fraction * 2**64))


def sample_filter(clients_path: str | Path, limit: int | None) -> list | None:
    """Parquet read filter of the deterministic client sample (None: no limit or below it, all).
    The bound depends only on the number of clients, so every cohort's job takes the same
    sample as one job over all clients."""
    import pyarrow.parquet as pq

    if limit is None:
        return None
    n_clients = pq.ParquetFile(clients_path).metadata.num_rows
    if n_clients <= limit:
        return None
    return [("client_key", "<=", _key_sample_bound(limit / n_clients))]


def _snapshot_dates_of(panel_path: str | Path) -> list[pd.Timestamp]:
    import duckdb

    rows = duckdb.execute(
        "SELECT DISTINCT reference_date FROM read_parquet(?) WHERE reference_date IS NOT NULL "
        "ORDER BY 1",
        [Path(panel_path).as_posix()],
    ).fetchall()
    return [pd.Timestamp(row[0]) for row in rows]


def longitudinal_cohort(
    clients_path: str | Path, panel_path: str | Path, cohort: str, config: dict
) -> LongitudinalParts:
    """Rule `longitudinal_cohort`: the per-client parts of one intake cohort, read from the
    Parquet files with the cohort's (and the sample's) filters so that the full panel is never
    in memory."""
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    from cob_analysis.storage import arrow_to_frame

    sample = sample_filter(clients_path, config["longitudinal_max_clients"]) or []
    clients = pq.read_table(clients_path, filters=[("cohort", "==", cohort)] + sample)
    panel = pq.read_table(
        panel_path, filters=pc.field("client_key").isin(pc.unique(clients["client_key"]))
    )
    return longitudinal_parts(
        arrow_to_frame(clients),
        arrow_to_frame(panel),
        dates=_snapshot_dates_of(panel_path),
        durable_rule=config["durable_work"],
    )


def longitudinal(
    clients_path: str | Path,
    config: dict,
    tables_dir: Path,
    figures_dir: Path,
    *,
    parts_dirs: Sequence[str | Path] = (),
    panel_path: str | Path | None = None,
    changes_path: str | Path | None = None,
) -> list[str]:
    """Rule `longitudinal`: the tables and figures from the cohorts' parts (or, given the
    panel, computed here), on every client or, when `longitudinal_max_clients` is set and
    exceeded, on the deterministic sample (said in every table's notes)."""
    import pyarrow.parquet as pq

    from cob_analysis.storage import arrow_to_frame
    from cob_analysis.tables_io import add_notes

    if not parts_dirs and not panel_path:
        raise ValueError("longitudinal: give the parts of the cohorts or the panel")
    limit = config["longitudinal_max_clients"]
    sample = sample_filter(clients_path, limit)
    clients = pq.read_table(clients_path, filters=sample)
    changes = pq.read_table(changes_path, filters=sample) if changes_path else None
    if parts_dirs:
        parts, panel = combine_parts([LongitudinalParts.read(d) for d in parts_dirs]), None
    else:
        parts, panel = None, arrow_to_frame(pq.read_table(panel_path, filters=sample))
    ids = run_longitudinal(
        arrow_to_frame(clients),
        panel,
        arrow_to_frame(changes) if changes is not None else None,
        config=config,
        tables_dir=Path(tables_dir),
        figures_dir=Path(figures_dir),
        parts=parts,
    )
    if sample:
        note = _t("sample_note", config["language"], n=clients.num_rows, limit=limit)
        for table_id in ids:
            add_notes(Path(tables_dir), table_id, [note])
    return ids
