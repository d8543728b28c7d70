"""Figures of the longitudinal view: status by months, time to first work."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from cob_analysis.categories import NO_WORK, UNKNOWN, WORK
from cob_analysis.labels import value_label
from cob_analysis.longitudinal.common import (
    DEREGISTERED,
    STATUS_GROUPS,
    LongitudinalInputError,
    _dates_text,
    is_note_frame,
)
from cob_analysis.longitudinal.texts import _check_language, _t
from cob_analysis.stats.turnbull import _cum_bounds, _curve
from cob_analysis.survival.time_scale import DAYS_PER_MONTH
from cob_analysis.tables_io import TOTAL

if TYPE_CHECKING:
    from cob_analysis.longitudinal.first_work import IntervalKaplanMeier

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
