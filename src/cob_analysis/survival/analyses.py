"""Edge: timing statistics, Kaplan-Meier curves and adjusted models written as tables and
figures. Everything here is I/O around the pure functions of `timing`, `survival` and
`models`."""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from cob_analysis.i18n import text
from cob_analysis.labels import LANGUAGES, value_label, variable_label
from cob_analysis.outputs import ANALYSIS_FIGURE_IDS, ANALYSIS_TABLE_IDS
from cob_analysis.report.figures import save_figure
from cob_analysis.survival.cox import CoxModel
from cob_analysis.survival.forest import plot_forest
from cob_analysis.survival.kaplan_meier import (
    DAYS_PER_MONTH,
    GroupedKaplanMeier,
    plot_cumulative_incidence,
    time_to_art60,
)
from cob_analysis.survival.logit import LogitModel
from cob_analysis.survival.models import (
    ModelError,
    covariate_notes,
    level_label,
    prepare_covariates,
)
from cob_analysis.survival.timing import art60_timing
from cob_analysis.tables_io import TableMeta, round_half_up, write_table

__all__ = ["FIGURE_IDS", "TABLE_IDS", "run_analyses", "save_figure"]

TABLE_IDS = ANALYSIS_TABLE_IDS  # listed in cob_analysis.outputs, which the Snakefile reads
FIGURE_IDS = ANALYSIS_FIGURE_IDS

GLOBAL_COLUMNS = ["test", "statistic", "df", "p"]
MIN_AT_RISK_PLOTTED = 20  # Kaplan-Meier curves stop where fewer clients remain at risk


def _r(value: Any, decimals: int) -> float | None:
    if value is None or pd.isna(value):
        return None
    return round_half_up(float(value), decimals)


def _message_figure(title: str, message: str):
    import textwrap

    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(8.0, 2.0))
    FigureCanvasAgg(fig)
    ax = fig.add_subplot(111)
    ax.set_axis_off()
    ax.set_title(title, loc="left")
    ax.text(
        0.0,
        0.8,
        textwrap.fill(message, 100),
        va="top",
        ha="left",
        fontsize=9,
        transform=ax.transAxes,
    )
    return fig


def _label_groups(frame: pd.DataFrame, column: str, language: str) -> pd.DataFrame:
    out = frame.copy()
    out[column] = out[column].map(lambda v: value_label(v, language))
    return out


def _observation_end_text(clients: pd.DataFrame, observation_end: Any) -> str:
    if observation_end is not None:
        return str(pd.Timestamp(observation_end).date())
    ends = pd.to_datetime(clients["observation_end"]).dropna().unique()
    if len(ends) == 1:
        return str(pd.Timestamp(ends[0]).date())
    return "per client" if len(ends) else "?"


def _km_summary_table(model: GroupedKaplanMeier, language: str) -> pd.DataFrame:
    frame = model.summary_.copy()
    for column in frame.columns:
        if column.startswith("pct_") or column.startswith("median_"):
            frame[column] = frame[column].map(lambda v: _r(v, 1))
    for column in ("n", "events", "censored"):
        frame[column] = frame[column].astype("Int64")
    return _label_groups(frame, "group", language)


def _model_table(table: pd.DataFrame, estimate: str, outcome: str, language: str) -> pd.DataFrame:
    out = pd.DataFrame(
        {
            "variable": table["variable"],
            "covariate": table["variable"].map(lambda v: variable_label(v, language)),
            "level": table["level"].map(lambda v: level_label(v, language)),
            "reference": table["reference"].astype(bool),
            "n": table["n"].astype("Int64"),
            outcome: table[outcome].astype("Int64"),
            estimate: table[estimate].map(lambda v: _r(v, 2)),
            "ci_low": table["ci_low"].map(lambda v: _r(v, 2)),
            "ci_high": table["ci_high"].map(lambda v: _r(v, 2)),
            "p": table["p"].map(lambda v: _r(v, 4)),
        }
    )
    return out


def run_analyses(
    clients: pd.DataFrame,
    *,
    observation_end: Any = None,
    language: str = "nl",
    tables_dir: Path | str,
    figures_dir: Path | str,
    cohort_order: Sequence[str] | None = None,
    trajectory_order: Sequence[str] | None = None,
) -> list[str]:
    """Write the timing, Kaplan-Meier, log-rank, Cox and logit tables (tables_io, kind
    "stats") and the figures km_art60_cohort, km_art60_trajectory and cox_art60_forest (PNG
    and SVG). `observation_end` None takes the clients' `observation_end` column. Returns the
    ids of the tables written, in `TABLE_IDS` order."""
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}, not {language!r}")
    tables_dir, figures_dir = Path(tables_dir), Path(figures_dir)
    written: list[str] = []
    orders = {"trajectory": trajectory_order, "cohort": cohort_order}

    def write(frame: pd.DataFrame, meta: TableMeta) -> None:
        write_table(frame, meta, tables_dir)
        written.append(meta.id)

    # 1. timing statistics
    for var in ("trajectory", "cohort"):
        frame = art60_timing(clients, var, orders[var])
        notes = [text("timing.unit", language), text("timing.quartiles", language)]
        missing = int(frame.attrs.get("missing_excluded", 0))
        if missing:
            notes.append(
                text(
                    "survival.missing_group", language, n=missing, var=variable_label(var, language)
                )
            )
        write(
            _label_groups(frame, "group", language),
            TableMeta(
                id=f"art60_timing_{var}",
                title=text("timing.title", language, per=text(f"survival.per_{var}", language)),
                kind="stats",
                notes=notes,
                row_var=var,
                missing_excluded=missing,
            ),
        )

    # 2. Kaplan-Meier per cohort and per trajectory, log-rank tests
    tte = time_to_art60(clients, observation_end)
    end_text = _observation_end_text(clients, observation_end)
    logrank_rows = []
    pairwise_rows = []
    fitted: dict[str, GroupedKaplanMeier] = {}
    for var in ("cohort", "trajectory"):
        km = GroupedKaplanMeier(group_name=var).fit(
            tte["duration_days"], tte["event"], tte[var], orders[var]
        )
        fitted[var] = km
        per = text(f"survival.per_{var}", language)
        missing_notes = (
            [
                text(
                    "survival.missing_group",
                    language,
                    n=km.n_missing_group_,
                    var=variable_label(var, language),
                )
            ]
            if km.n_missing_group_
            else []
        )
        write(
            _km_summary_table(km, language),
            TableMeta(
                id=f"km_art60_{var}",
                title=text("km.title", language, per=per),
                kind="stats",
                notes=[
                    text("km.censoring", language, end=end_text),
                    text("km.method", language),
                    text("km.columns", language),
                    *missing_notes,
                ],
                row_var=var,
                missing_excluded=km.n_missing_group_,
                extra={"observation_end": end_text, "days_per_month": DAYS_PER_MONTH},
            ),
        )
        write(
            _label_groups(km.at_risk_, "group", language),
            TableMeta(
                id=f"km_art60_{var}_at_risk",
                title=text("km.at_risk_title", language, per=per),
                kind="stats",
                notes=[text("km.at_risk_note", language, var=var)],
                row_var=var,
            ),
        )
        risk = _label_groups(km.risk_table_, "group", language)
        risk["measure"] = risk["measure"].map(lambda m: text(f"km.measure_{m}", language))
        write(
            risk,
            TableMeta(
                id=f"km_art60_{var}_risk_table",
                title=text("km.risk_table_title", language, per=per),
                kind="stats",
                notes=[
                    text("km.risk_table_note", language),
                    text("km.censoring", language, end=end_text),
                ],
                row_var=var,
            ),
        )
        logrank_rows.append(
            {"comparison": variable_label(var, language), "variable": var} | km.logrank_
        )
        pairs = _label_groups(
            _label_groups(km.pairwise_logrank_, "group_a", language), "group_b", language
        )
        pairwise_rows.append(pairs.assign(comparison=variable_label(var, language), variable=var))
        ax = plot_cumulative_incidence(
            km,
            language=language,
            title=text("km.figure_title", language, per=per),
            min_at_risk=MIN_AT_RISK_PLOTTED,
        )
        save_figure(ax.figure, figures_dir / f"km_art60_{var}")

    logrank = pd.DataFrame(logrank_rows)[
        ["comparison", "variable", "n_groups", "n", "events", "statistic", "df", "p"]
    ]
    logrank["statistic"] = logrank["statistic"].map(lambda v: _r(v, 2))
    logrank["p"] = logrank["p"].map(lambda v: _r(v, 4))
    logrank["df"] = logrank["df"].astype("Int64")
    write(
        logrank,
        TableMeta(
            id="km_art60_logrank",
            title=text("logrank.title", language),
            kind="stats",
            notes=[text("logrank.note", language), text("km.censoring", language, end=end_text)],
        ),
    )

    pairwise = pd.concat(pairwise_rows, ignore_index=True)[
        ["comparison", "variable", "group_a", "group_b", "n", "events", "statistic", "p", "p_holm"]
    ]
    pairwise["statistic"] = pairwise["statistic"].map(lambda v: _r(v, 2))
    for column in ("p", "p_holm"):
        pairwise[column] = pairwise[column].map(lambda v: _r(v, 4))
    write(
        pairwise,
        TableMeta(
            id="km_art60_pairwise_logrank",
            title=text("logrank.pairwise_title", language),
            kind="stats",
            notes=[
                text("logrank.pairwise_note", language),
                text("km.censoring", language, end=end_text),
            ],
        ),
    )

    # 3. Cox model
    prepared = prepare_covariates(
        clients, cohort_order=cohort_order, trajectory_order=trajectory_order
    )
    cox_columns = [
        "variable",
        "covariate",
        "level",
        "reference",
        "n",
        "events",
        "hr",
        "ci_low",
        "ci_high",
        "p",
    ]
    ph_columns = ["variable", "covariate", "level", "statistic", "p", "verdict"]
    try:
        cox = CoxModel().fit(prepared, tte["duration_days"], tte["event"])
    except ModelError as exc:
        warnings.warn(f"Cox model not estimated: {exc}", RuntimeWarning, stacklevel=2)
        note = text("model.failed", language, error=exc)
        notes = [note, *covariate_notes(prepared, language)]
        write(
            pd.DataFrame(columns=cox_columns),
            TableMeta(
                id="cox_art60",
                title=text("cox.title", language),
                kind="stats",
                notes=notes,
                extra={"error": str(exc)},
            ),
        )
        write(
            pd.DataFrame(columns=ph_columns),
            TableMeta(
                id="cox_art60_ph_check",
                title=text("cox.ph_title", language),
                kind="stats",
                notes=[note],
                extra={"error": str(exc)},
            ),
        )
        write(
            pd.DataFrame(columns=GLOBAL_COLUMNS),
            TableMeta(
                id="cox_art60_global_tests",
                title=text("cox.global_title", language),
                kind="stats",
                notes=[note],
                extra={"error": str(exc)},
            ),
        )
        # the workflow expects the figure: say in it why there is no forest plot
        save_figure(
            _message_figure(text("cox.forest_title", language), note),
            figures_dir / "cox_art60_forest",
        )
    else:
        cox_table = _model_table(cox.hazard_ratios_, "hr", "events", language)
        notes = [
            *covariate_notes(prepared, language, n_used=cox.n_used),
            text("cox.note", language, events=cox.n_events, c=f"{cox.concordance_:.3f}"),
            text("km.censoring", language, end=end_text),
        ]
        write(
            cox_table,
            TableMeta(
                id="cox_art60",
                title=text("cox.title", language),
                kind="stats",
                notes=notes,
                missing_excluded=cox.n_excluded,
                extra={
                    "n_used": cox.n_used,
                    "n_excluded": cox.n_excluded,
                    "n_events": cox.n_events,
                    "ties": "efron",
                    "concordance": cox.concordance_,
                    "references": {c.name: c.reference for c in prepared.covariates},
                    "dropped_covariates": prepared.dropped,
                },
            ),
        )
        ph = cox.ph_check_
        verdict = {
            "ok": text("cox.verdict_ok", language),
            "violated at 5%": text("cox.verdict_violated", language),
        }
        write(
            pd.DataFrame(
                {
                    "variable": ph["variable"],
                    "covariate": ph["variable"].map(lambda v: variable_label(v, language)),
                    "level": ph["level"].map(lambda v: level_label(v, language)),
                    "statistic": ph["statistic"].map(lambda v: _r(v, 2)),
                    "p": ph["p"].map(lambda v: _r(v, 4)),
                    "verdict": ph["verdict"].map(verdict),
                },
                columns=ph_columns,
            ),
            TableMeta(
                id="cox_art60_ph_check",
                title=text("cox.ph_title", language),
                kind="stats",
                notes=[text("cox.ph_note", language)],
                extra={"n_violated": int((ph["verdict"] != "ok").sum())},
            ),
        )
        tests = cox.global_tests_
        write(
            pd.DataFrame(
                {
                    "test": tests["test"].map(lambda t: text(f"cox.test_{t}", language)),
                    "statistic": tests["statistic"].map(lambda v: _r(v, 2)),
                    "df": tests["df"],
                    "p": tests["p"].map(lambda v: _r(v, 4)),
                },
                columns=GLOBAL_COLUMNS,
            ),
            TableMeta(
                id="cox_art60_global_tests",
                title=text("cox.global_title", language),
                kind="stats",
                notes=[text("cox.global_note", language)],
                extra={"n_used": cox.n_used, "ties": "efron"},
            ),
        )
        ax = plot_forest(
            cox.hazard_ratios_, language=language, title=text("cox.forest_title", language)
        )
        save_figure(ax.figure, figures_dir / "cox_art60_forest")

    # 4. logistic regression of work at the reference date
    logit_columns = [
        "variable",
        "covariate",
        "level",
        "reference",
        "n",
        "n_work",
        "odds_ratio",
        "ci_low",
        "ci_high",
        "p",
    ]
    work = clients["work_status"].eq("Werk").fillna(False).astype(bool)
    ref_text = ""
    if "reference_date" in clients.columns:
        dates = pd.to_datetime(clients["reference_date"]).dropna().unique()
        if len(dates) == 1:
            ref_text = f", {pd.Timestamp(dates[0]).date()}"
    try:
        logit = LogitModel().fit(prepared, work)
    except ModelError as exc:
        warnings.warn(f"Logit model not estimated: {exc}", RuntimeWarning, stacklevel=2)
        write(
            pd.DataFrame(columns=logit_columns),
            TableMeta(
                id="logit_work",
                title=text("logit.title", language),
                kind="stats",
                notes=[
                    text("model.failed", language, error=exc),
                    *covariate_notes(prepared, language),
                ],
                extra={"error": str(exc)},
            ),
        )
    else:
        table = _model_table(logit.odds_ratios_, "odds_ratio", "n_outcome", language)
        table = table.rename(columns={"n_outcome": "n_work"})[logit_columns]
        write(
            table,
            TableMeta(
                id="logit_work",
                title=text("logit.title", language),
                kind="stats",
                notes=[
                    *covariate_notes(prepared, language, n_used=logit.n_used),
                    text(
                        "logit.note",
                        language,
                        ref=ref_text,
                        k=logit.n_outcome,
                        n=logit.n_used,
                        r2=f"{logit.pseudo_r2_:.3f}",
                    ),
                ],
                missing_excluded=logit.n_excluded,
                extra={
                    "n_used": logit.n_used,
                    "n_excluded": logit.n_excluded,
                    "n_work": logit.n_outcome,
                    "pseudo_r2": logit.pseudo_r2_,
                    "llr_p": logit.llr_p_,
                    "references": {c.name: c.reference for c in prepared.covariates},
                    "dropped_covariates": prepared.dropped,
                },
            ),
        )
    return [tid for tid in TABLE_IDS if tid in written]


def analyses(
    clients: pd.DataFrame, config: dict, tables_dir: Path | str, figures_dir: Path | str
) -> list[str]:
    """Rule `analyses`: every table and figure of `run_analyses`, in the config's language and
    cohort order."""
    from cob_analysis import categories

    return run_analyses(
        clients,
        observation_end=clients["observation_end"].iloc[0] if len(clients) else None,
        language=config["language"],
        tables_dir=tables_dir,
        figures_dir=figures_dir,
        cohort_order=categories.cohort_order(clients["cohort"], config["cohort"]),
        trajectory_order=list(categories.ORDER["trajectory"]),
    )
