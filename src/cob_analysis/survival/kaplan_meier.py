"""Time from intake to the first art. 60 start: Kaplan-Meier per group, log-rank test, plots.

Time is counted in days from the intake. A client whose first art. 60 starts on or before the
observation end has an event at that day (an art. 60 that starts on the intake day is an
event at day 0); every other client is censored at the observation end. Months on tables and
plots are average months of 30.4375 days (365.25 / 12).

Estimation is lifelines' KaplanMeierFitter (product-limit estimate, Greenwood variance,
log(-log) 95% confidence intervals); `GroupedKaplanMeier` fits one per group and keeps the
fitted objects. Plotting is apart from fitting: `plot_cumulative_incidence(model, ax=None)`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from lifelines import KaplanMeierFitter
from lifelines.statistics import multivariate_logrank_test
from lifelines.utils import median_survival_times

from cob_analysis import i18n
from cob_analysis.labels import value_label, variable_label
from cob_analysis.survival.time_scale import (
    DAYS_PER_MONTH,
    at_risk_table,
    at_risk_ticks,
    months_to_days,
)
from cob_analysis.survival.timing import group_order
from cob_analysis.tables_io import TOTAL

__all__ = [
    "DAYS_PER_MONTH",
    "DEFAULT_KEEP",
    "Art60BeforeIntakeError",
    "GroupedKaplanMeier",
    "IntakeAfterObservationEndError",
    "MissingDateError",
    "SurvivalInputError",
    "months_to_days",
    "plot_cumulative_incidence",
    "time_to_art60",
]

DEFAULT_KEEP = (
    "cohort",
    "trajectory",
    "gender",
    "age_group",
    "household",
    "schooling",
    "nt2_level",
    "continent",
    "work_status",
)


class SurvivalInputError(ValueError):
    """Input that cannot give a time-to-event analysis."""


class IntakeAfterObservationEndError(SurvivalInputError):
    """A client's intake lies after the observation end: there is no time at risk."""


class Art60BeforeIntakeError(SurvivalInputError):
    """A client's first art. 60 starts before the intake."""


class MissingDateError(SurvivalInputError):
    """An intake date or the observation end is missing."""


def _examples(keys: pd.Series, limit: int = 5) -> str:
    shown = [str(k) for k in keys.head(limit)]
    more = "" if len(keys) <= limit else f" (and {len(keys) - limit} more)"
    return ", ".join(shown) + more


def time_to_art60(
    clients: pd.DataFrame,
    observation_end: Any = None,
    *,
    keep: Sequence[str] | None = None,
) -> pd.DataFrame:
    """One row per client: `duration_days` (int) and `event` (bool) for the first art. 60.

    `observation_end` is one date for everybody; None takes the per-client column
    `observation_end`. An `art60_first_start` after the observation end is censored at the
    observation end. Refuses, with a named error, intakes after the observation end
    (`IntakeAfterObservationEndError`), first starts before the intake
    (`Art60BeforeIntakeError`) and missing dates (`MissingDateError`).

    The result keeps `client_key` (when present) and the columns in `keep` (default: the
    profile columns of `DEFAULT_KEEP` that exist), on the index of `clients`.
    """
    for column in ("intake_date", "art60_first_start"):
        if column not in clients.columns:
            raise SurvivalInputError(f"clients frame lacks column {column!r}")
    intake = pd.to_datetime(clients["intake_date"])
    first = pd.to_datetime(clients["art60_first_start"])
    if observation_end is None:
        if "observation_end" not in clients.columns:
            raise MissingDateError(
                "no observation_end given and the clients frame has no observation_end column"
            )
        end = pd.to_datetime(clients["observation_end"])
    else:
        end_value = pd.to_datetime(observation_end)
        if pd.isna(end_value):
            raise MissingDateError("observation_end is missing")
        end = pd.Series(end_value, index=clients.index)

    keys = clients["client_key"] if "client_key" in clients.columns else pd.Series(clients.index)
    keys = pd.Series(keys.to_numpy(), index=clients.index)
    if intake.isna().any():
        raise MissingDateError(
            f"{int(intake.isna().sum())} client(s) without intake_date: "
            f"{_examples(keys[intake.isna()])}"
        )
    if end.isna().any():
        raise MissingDateError(f"{int(end.isna().sum())} client(s) without observation_end")
    late = intake > end
    if late.any():
        raise IntakeAfterObservationEndError(
            f"{int(late.sum())} client(s) have an intake after the observation end "
            f"({end[late].min().date()}): {_examples(keys[late])}. Move observation_end "
            "or narrow the intake window."
        )
    early = first.notna() & (first < intake)
    if early.any():
        raise Art60BeforeIntakeError(
            f"{int(early.sum())} client(s) have art60_first_start before intake_date: "
            f"{_examples(keys[early])}"
        )

    event = first.notna() & (first <= end)
    stop = first.where(event, end)
    result = pd.DataFrame(index=clients.index)
    if "client_key" in clients.columns:
        result["client_key"] = clients["client_key"]
    result["duration_days"] = (stop - intake).dt.days.astype("int64")
    result["event"] = event.astype(bool)
    columns = [c for c in (DEFAULT_KEEP if keep is None else keep) if c in clients.columns]
    for column in columns:
        result[column] = clients[column]
    return result


def _step_value(frame: pd.DataFrame, t: float) -> np.ndarray:
    """Row of a step function (indexed by time, starting at 0) at time t."""
    position = int(np.searchsorted(frame.index.to_numpy(dtype=float), t, side="right")) - 1
    return frame.iloc[max(position, 0)].to_numpy(dtype=float)


def _finite(value: float) -> float | None:
    value = float(value)
    return value if np.isfinite(value) else None


class GroupedKaplanMeier:
    """Kaplan-Meier estimates of the time to an event, one per group, and a log-rank test.

    Parameters: `alpha` (1 - confidence level), `time_points_months` (where the cumulative
    share with an event is tabulated), `at_risk_step_months` (spacing of the at-risk table),
    `group_name` (the variable the groups come from, e.g. "cohort").

    After `fit`:
    - `groups_`: group labels in display order (groups with at least one client);
    - `fitters_`: {group: fitted lifelines KaplanMeierFitter} (durations in days);
    - `total_fitter_`: the fitter over all clients with a group;
    - `summary_`: per group plus a `Totaal` row: group, n, events, censored,
      followup_max_days, median_days, median_ci_low_days, median_ci_high_days, median_months,
      and for every time point m: pct_started_{m}m with _ci_low and _ci_high (percentages,
      unrounded; None where the time point lies beyond the group's longest follow-up);
    - `at_risk_`: group, then one column per time point "0", "6", ... (months): the number of
      clients still at risk just after that time, as lifelines' add_at_risk_counts counts them;
    - `logrank_`: {"statistic", "df", "p", "n", "events", "n_groups"} of the multivariate
      log-rank test across groups (None values with one group);
    - `n_missing_group_`: clients left out because their group is null.
    """

    def __init__(
        self,
        *,
        alpha: float = 0.05,
        time_points_months: Sequence[float] = (6, 12, 18, 24),
        at_risk_step_months: float = 6,
        group_name: str | None = None,
    ) -> None:
        if not 0 < alpha < 1:
            raise ValueError("alpha must lie between 0 and 1")
        self.alpha = alpha
        self.time_points_months = tuple(time_points_months)
        self.at_risk_step_months = at_risk_step_months
        self.group_name = group_name

    # -- fitting -----------------------------------------------------------------------------
    def fit(
        self,
        durations: Sequence[float] | pd.Series,
        events: Sequence[bool] | pd.Series,
        groups: Sequence[object] | pd.Series,
        order: Sequence[str] | None = None,
    ) -> GroupedKaplanMeier:
        durations = pd.Series(np.asarray(durations, dtype=float))
        events_raw = pd.Series(np.asarray(events))
        groups = pd.Series(np.asarray(groups, dtype=object))
        if not len(durations) == len(events_raw) == len(groups):
            raise SurvivalInputError("durations, events and groups must have the same length")
        if len(durations) == 0:
            raise SurvivalInputError("no clients to fit")
        if durations.isna().any() or not np.isfinite(durations).all():
            raise SurvivalInputError("durations must be finite numbers (no missing values)")
        if (durations < 0).any():
            raise SurvivalInputError(f"{int((durations < 0).sum())} negative duration(s)")
        if events_raw.isna().any() or not events_raw.isin([0, 1, True, False]).all():
            raise SurvivalInputError("events must be booleans or 0/1 without missing values")
        events = events_raw.astype(bool)

        known = groups.notna()
        self.n_missing_group_ = int((~known).sum())
        durations, events, groups = durations[known], events[known], groups[known].astype(str)
        if len(durations) == 0:
            raise SurvivalInputError("every client has a missing group")
        self.groups_ = [g for g in group_order(groups, order) if (groups == g).any()]

        self.fitters_: dict[str, KaplanMeierFitter] = {}
        for group in self.groups_:
            mask = groups == group
            self.fitters_[group] = KaplanMeierFitter(alpha=self.alpha).fit(
                durations[mask], events[mask], label=group
            )
        self.total_fitter_ = KaplanMeierFitter(alpha=self.alpha).fit(durations, events, label=TOTAL)
        self.durations_, self.events_, self.group_labels_ = durations, events, groups

        rows = [self._summary_row(g, self.fitters_[g], groups == g) for g in self.groups_]
        rows.append(self._summary_row(TOTAL, self.total_fitter_, pd.Series(True, groups.index)))
        self.summary_ = pd.DataFrame(rows)
        self.at_risk_ = self._at_risk_table()
        self.logrank_ = self._logrank()
        self.pairwise_logrank_ = self._pairwise_logrank()
        self.risk_table_ = self._risk_table()
        return self

    def _summary_row(self, group: str, fitter: KaplanMeierFitter, mask: pd.Series) -> dict:
        d, e = self.durations_[mask], self.events_[mask]
        follow = float(d.max())
        median = _finite(fitter.median_survival_time_)
        ci = median_survival_times(fitter.confidence_interval_)
        row: dict[str, Any] = {
            "group": group,
            "n": int(mask.sum()),
            "events": int(e.sum()),
            "censored": int((~e).sum()),
            "followup_max_days": int(follow) if follow.is_integer() else follow,
            "median_days": median,
            "median_ci_low_days": _finite(ci.iloc[0, 0]),
            "median_ci_high_days": _finite(ci.iloc[0, 1]),
            "median_months": None if median is None else median / DAYS_PER_MONTH,
        }
        cdf = fitter.cumulative_density_
        band = fitter.confidence_interval_cumulative_density_
        for months in self.time_points_months:
            t = months_to_days(months)
            key = f"pct_started_{months:g}m"
            if t > follow:
                row[key] = row[f"{key}_ci_low"] = row[f"{key}_ci_high"] = None
                continue
            low, high = _step_value(band, t)
            row[key] = 100.0 * float(_step_value(cdf, t)[0])
            row[f"{key}_ci_low"] = 100.0 * float(low)
            row[f"{key}_ci_high"] = 100.0 * float(high)
        return row

    def at_risk_times_months(self) -> list[float]:
        """0, step, 2 step, ... up to the longest follow-up (in months)."""
        return at_risk_ticks(float(self.durations_.max()), self.at_risk_step_months)

    def _at_risk_table(self) -> pd.DataFrame:
        def beyond(group: str, days: float) -> int:
            # as add_at_risk_counts (default) shows it: at risk at the end of the period,
            # clients whose time runs beyond the tick
            return int((self.durations_[self.group_labels_ == group].to_numpy() > days).sum())

        return at_risk_table(list(self.groups_), self.at_risk_times_months(), beyond)

    def _logrank(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "statistic": None,
            "df": None,
            "p": None,
            "n": int(len(self.durations_)),
            "events": int(self.events_.sum()),
            "n_groups": len(self.groups_),
        }
        if len(self.groups_) < 2:
            return out
        test = multivariate_logrank_test(self.durations_, self.group_labels_, self.events_)
        out.update(
            statistic=float(test.test_statistic),
            df=int(test.degrees_of_freedom),
            p=float(test.p_value),
        )
        return out

    def _risk_table(self) -> pd.DataFrame:
        """The KMunicate risk table: per group, at every tick, the number still at risk, the
        cumulative number of events and the cumulative number censored (they add up to the group)."""
        ticks = self.at_risk_times_months()
        rows = []
        for group in self.groups_:
            mask = (self.group_labels_ == group).to_numpy()
            d, e = self.durations_.to_numpy()[mask], self.events_.to_numpy()[mask].astype(bool)
            cut = [months_to_days(months) for months in ticks]
            counts = {
                "at_risk": [int((d > days).sum()) for days in cut],
                "events": [int(((d <= days) & e).sum()) for days in cut],
                "censored": [int(((d <= days) & ~e).sum()) for days in cut],
            }
            for measure, values in counts.items():
                rows.append(
                    {
                        "group": group,
                        "measure": measure,
                        **{f"{months:g}": n for months, n in zip(ticks, values, strict=True)},
                    }
                )
        return pd.DataFrame(rows, columns=["group", "measure", *[f"{m:g}" for m in ticks]])

    def _pairwise_logrank(self) -> pd.DataFrame:
        """The log-rank test of every pair of groups (in group order), with Holm's adjustment of
        the p values for the number of pairs."""
        from lifelines.statistics import logrank_test

        rows = []
        groups = list(self.groups_)
        for i, first in enumerate(groups):
            for second in groups[i + 1 :]:
                a, b = self.group_labels_ == first, self.group_labels_ == second
                test = logrank_test(
                    self.durations_[a], self.durations_[b], self.events_[a], self.events_[b]
                )
                rows.append(
                    {
                        "group_a": first,
                        "group_b": second,
                        "n": int(a.sum() + b.sum()),
                        "events": int(self.events_[a].sum() + self.events_[b].sum()),
                        "statistic": float(test.test_statistic),
                        "p": float(test.p_value),
                    }
                )
        out = pd.DataFrame(rows, columns=["group_a", "group_b", "n", "events", "statistic", "p"])
        out["p_holm"] = holm(out["p"].to_numpy()) if len(out) else pd.Series(dtype=float)
        return out


def holm(p: np.ndarray) -> np.ndarray:
    """Holm's step-down adjustment of p values (as R's p.adjust(method = "holm"))."""
    p = np.asarray(p, dtype=float)
    order = np.argsort(p, kind="stable")
    m = len(p)
    stepped = np.maximum.accumulate((m - np.arange(m)) * p[order])
    out = np.empty(m)
    out[order] = np.minimum(stepped, 1.0)
    return out


# -- plotting ------------------------------------------------------------------------------
def _new_axes(figsize: tuple[float, float]):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=figsize)
    FigureCanvasAgg(fig)
    return fig.add_subplot(111)


def _truncation_time(fitter: KaplanMeierFitter, min_at_risk: int) -> float | None:
    """Last time at which at least `min_at_risk` clients are at risk (None: no truncation)."""
    table = fitter.event_table
    keep = table.index[table["at_risk"] >= min_at_risk]
    if len(keep) == len(table):
        return None
    return float(keep.max()) if len(keep) else 0.0


def plot_cumulative_incidence(
    model: GroupedKaplanMeier,
    ax=None,
    language: str = "nl",
    title: str | None = None,
    *,
    legend_title: str | None = None,
    at_risk: bool = True,
    ci_show: bool = True,
    show_censors: bool = True,
    min_at_risk: int = 0,
):
    """Plot the share with an event by day t (1 - S) per group of a fitted model.

    Confidence bands, censor marks, months on the x axis (ticks every `at_risk_step_months`),
    the legend outside the plotting area, and the number at risk under the plot (lifelines'
    add_at_risk_counts, KMunicate layout, "At risk" row only). With `min_at_risk` > 0 a curve
    stops after the last time at which at least that many clients are at risk (the tail of a
    Kaplan-Meier curve rests on few clients), and a footnote says so. Returns the Axes; with
    `ax=None` a new Agg figure is made (no pyplot state).
    """
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch
    from matplotlib.ticker import FixedLocator, FuncFormatter, PercentFormatter

    if language not in ("nl", "en"):
        raise ValueError(f"language must be 'nl' or 'en', not {language!r}")
    if not hasattr(model, "fitters_"):
        raise SurvivalInputError("the model is not fitted; call fit() first")
    if ax is None:
        n = len(model.groups_)
        ax = _new_axes((9.0, 4.6 + 0.2 * n if at_risk else 4.6))
    fig = ax.figure
    labels = [str(value_label(g, language)) for g in model.groups_]
    colours = [f"C{i}" for i in range(len(model.groups_))]
    top = 0.0
    truncated = False
    for group, label, colour in zip(model.groups_, labels, colours, strict=True):
        fitter = model.fitters_[group]
        cut = _truncation_time(fitter, min_at_risk) if min_at_risk > 0 else None
        truncated = truncated or cut is not None
        fitter.plot_cumulative_density(
            ax=ax,
            loc=slice(0.0, cut) if cut is not None else None,
            ci_show=ci_show,
            ci_alpha=0.15,
            show_censors=show_censors,
            censor_styles={"marker": "+", "ms": 5, "mew": 0.8, "alpha": 0.8},
            label=label,
            color=colour,
            linewidth=1.8,
        )
        shown = fitter.confidence_interval_cumulative_density_
        shown = shown.loc[:cut] if cut is not None else shown
        top = max(
            top,
            float(shown.iloc[:, 1].max() if ci_show else fitter.cumulative_density_.max().iloc[0]),
        )

    ticks_months = model.at_risk_times_months()
    ticks_days = [months_to_days(m) for m in ticks_months]
    ax.set_xlim(0, float(model.durations_.max()) * 1.01)
    ax.set_ylim(0, min(1.0, np.ceil(top * 10 + 0.25) / 10))
    ax.xaxis.set_major_locator(FixedLocator(ticks_days))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _pos: f"{x / DAYS_PER_MONTH:.0f}"))
    ax.yaxis.set_major_formatter(PercentFormatter(xmax=1.0, decimals=0))
    ax.set_xlabel(i18n.text("plot.km.xlabel", language))
    ax.set_ylabel(i18n.text("plot.km.ylabel", language))
    ax.grid(True, color="0.9", linewidth=0.8)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.set_title(i18n.text("plot.km.title", language) if title is None else title, loc="left")

    handles = [
        Line2D([], [], color=c, linewidth=1.8, label=lab)
        for c, lab in zip(colours, labels, strict=True)
    ]
    footnotes = []
    if show_censors:
        handles.append(
            Line2D(
                [],
                [],
                color="0.3",
                marker="+",
                linestyle="None",
                label=i18n.text("plot.km.censored", language),
            )
        )
        footnotes.append(i18n.text("plot.km.footnote", language))
    if ci_show:
        level = f"{1 - model.alpha:.0%}"
        handles.append(
            Patch(color="0.3", alpha=0.15, label=i18n.text("plot.km.band", language, level=level))
        )
    if truncated:
        footnotes.append(i18n.text("plot.km.truncated", language, k=min_at_risk))
    if legend_title is None and model.group_name in ("cohort", "trajectory"):
        legend_title = variable_label(model.group_name, language)
    legend = ax.legend(
        handles=handles,
        title=legend_title,
        loc="upper left",
        bbox_to_anchor=(1.01, 1.0),
        frameon=False,
        alignment="left",
    )
    if footnotes:
        ax.annotate(
            "\n".join(footnotes),
            xy=(0.0, 0.0),
            xycoords=legend,
            xytext=(0, -8),
            textcoords="offset points",
            va="top",
            ha="left",
            fontsize=8,
            color="0.3",
        )

    if at_risk:
        from lifelines.plotting import add_at_risk_counts

        before = set(fig.axes)
        add_at_risk_counts(
            *[model.fitters_[g] for g in model.groups_],
            labels=labels,
            rows_to_show=["At risk"],
            xticks=ticks_days,
            ax=ax,
            fig=fig,
            ypos=-0.55,
            fontsize=8.5,
        )
        for extra in (a for a in fig.axes if a not in before):
            texts = [t.get_text() for t in extra.get_xticklabels()]
            if texts:
                texts[0] = texts[0].replace("At risk", i18n.text("plot.km.at_risk", language), 1)
                extra.set_xticks(extra.get_xticks(), texts, ha="right", fontsize=8.5)
    return ax
