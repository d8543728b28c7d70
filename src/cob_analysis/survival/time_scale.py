"""Days and months on the time axis, and the risk table under a curve (without lifelines, so
that the longitudinal steps start without importing it)."""

from __future__ import annotations

import numpy as np
import pandas as pd

DAYS_PER_MONTH = 365.25 / 12  # 30.4375


def months_to_days(months: float) -> float:
    return float(months) * DAYS_PER_MONTH


def at_risk_ticks(longest_days: float, step_months: float) -> list[float]:
    """The months of a risk table under a curve: 0, step, 2 step, ... up to the longest follow-up."""
    longest, step = float(longest_days) / DAYS_PER_MONTH, float(step_months)
    return [step * i for i in range(int(np.floor(longest / step + 1e-9)) + 1)]


def at_risk_table(groups: list[str], ticks: list[float], at_risk) -> pd.DataFrame:
    """`group` and one column per tick: `at_risk(group, days)`, the number still at risk then."""
    rows = [
        {
            "group": group,
            **{f"{months:g}": at_risk(group, months_to_days(months)) for months in ticks},
        }
        for group in groups
    ]
    return pd.DataFrame(rows, columns=["group", *[f"{m:g}" for m in ticks]])
