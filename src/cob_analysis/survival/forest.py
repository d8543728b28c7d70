"""The forest plot of a fitted model's hazard or odds ratios."""

from __future__ import annotations

import numpy as np
import pandas as pd

from cob_analysis import i18n
from cob_analysis.labels import variable_label
from cob_analysis.survival.models import level_label


def plot_forest(
    table: pd.DataFrame,
    ax=None,
    language: str = "nl",
    title: str | None = None,
    *,
    estimate: str = "hr",
):
    """Forest plot of a `hazard_ratios_` (estimate "hr") or `odds_ratios_` table ("odds_ratio").

    One line per level, grouped by covariate, reference levels marked; log x axis with a line
    at 1. Returns the Axes (a new Agg figure when `ax` is None)."""
    from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator

    if language not in ("nl", "en"):
        raise ValueError(f"language must be 'nl' or 'en', not {language!r}")
    rows = table.reset_index(drop=True)
    if ax is None:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        fig = Figure(figsize=(8.5, 1.2 + 0.27 * (len(rows) + rows["variable"].nunique())))
        FigureCanvasAgg(fig)
        ax = fig.add_subplot(111)
    labels, ys, y = [], [], 0.0
    previous = None
    for _, row in rows.iterrows():
        if row["variable"] != previous:
            labels.append((y, f"{variable_label(row['variable'], language)}", True))
            y += 1
            previous = row["variable"]
        level = str(level_label(row["level"], language))
        if row["reference"]:
            level += f" ({i18n.text('plot.forest.ref', language)})"
        labels.append((y, level, False))
        ys.append(y)
        y += 1
    values = rows[estimate].astype(float).to_numpy()
    low = rows["ci_low"].astype(float).to_numpy()
    high = rows["ci_high"].astype(float).to_numpy()
    ys = np.asarray(ys)
    has_ci = ~np.isnan(low)
    ax.errorbar(
        values[has_ci],
        ys[has_ci],
        xerr=[values[has_ci] - low[has_ci], high[has_ci] - values[has_ci]],
        fmt="s",
        color="C0",
        ecolor="C0",
        markersize=5,
        capsize=2,
        linewidth=1.2,
    )
    ref = rows["reference"].to_numpy(dtype=bool)
    ax.plot(values[ref], ys[ref], "o", markerfacecolor="white", color="0.4", markersize=5)
    ax.axvline(1.0, color="0.5", linewidth=0.8, linestyle="--")
    ax.set_xscale("log")
    finite = np.concatenate([values, low[has_ci], high[has_ci]])
    finite = finite[np.isfinite(finite) & (finite > 0)]
    lo_lim, hi_lim = float(finite.min()) / 1.15, float(finite.max()) * 1.15
    ax.set_xlim(lo_lim, hi_lim)
    candidates = [0.05, 0.1, 0.2, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10, 20, 50]
    ax.xaxis.set_major_locator(FixedLocator([c for c in candidates if lo_lim <= c <= hi_lim]))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"{v:g}"))
    ax.xaxis.set_minor_locator(NullLocator())
    for value, lower, upper, yy, is_ref in zip(values, low, high, ys, ref, strict=True):
        number = [i18n.format_number(float(x), 2, language) for x in (value, lower, upper)]
        text = (
            i18n.text("plot.forest.ref", language)
            if is_ref
            else f"{number[0]} ({number[1]}-{number[2]})"
            if np.isfinite(lower)
            else ""
        )
        ax.annotate(
            text,
            xy=(1.01, yy),
            xycoords=("axes fraction", "data"),
            va="center",
            ha="left",
            fontsize=8.5,
            color="0.25",
        )
    ax.set_yticks([p for p, _t, _h in labels], [t for _p, t, _h in labels])
    for tick, (_p, _t, header) in zip(ax.get_yticklabels(), labels, strict=True):
        tick.set_fontweight("bold" if header else "normal")
    ax.set_ylim(y - 0.5, -0.5)
    ax.set_xlabel(i18n.text(f"plot.forest.{estimate}", language))
    ax.grid(True, axis="x", color="0.9", which="major")
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    if title:
        ax.set_title(title, loc="left")
    return ax
