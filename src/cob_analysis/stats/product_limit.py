"""The Kaplan-Meier (product-limit) estimate, by hand in numpy, for the steps that must not import
lifelines (the longitudinal view runs in processes where its import would be most of the cost).

The same estimate as lifelines' KaplanMeierFitter: at each distinct event time t,
S(t) = prod (1 - d_i / n_i) over event times <= t (right-continuous), with Greenwood's variance
sum d_i / (n_i (n_i - d_i)) and the log(-log) ("exponential Greenwood") confidence interval;
censored at t means still at risk at t (events before censorings at the same time).
tests/test_product_limit.py checks it against lifelines to 1e-9, ties included."""

from __future__ import annotations

from dataclasses import dataclass
from statistics import NormalDist

import numpy as np

__all__ = ["ProductLimit"]


@dataclass
class ProductLimit:
    """Fit with `ProductLimit().fit(durations, events)`; then `survival_at`, `interval_at`,
    `median_`. Attributes after fitting: `times_` (distinct times with an event), `at_risk_`,
    `events_`, `survival_`, `greenwood_` (the cumulative Greenwood sum), `n_`, `n_events_`,
    `followup_max_` (the largest duration, event or censored)."""

    alpha: float = 0.05

    def fit(self, durations, events) -> ProductLimit:
        durations = np.asarray(durations, dtype=float)
        events = np.asarray(events, dtype=bool)
        if durations.shape != events.shape:
            raise ValueError("durations and events differ in length")
        if np.isnan(durations).any() or (durations < 0).any():
            raise ValueError("durations must be non-negative numbers")
        self.n_ = int(durations.size)
        self.n_events_ = int(events.sum())
        self.followup_max_ = float(durations.max()) if durations.size else float("nan")
        times, inverse = np.unique(durations, return_inverse=True)
        deaths = np.bincount(inverse, weights=events, minlength=times.size)
        leaving = np.bincount(inverse, minlength=times.size)
        at_risk = self.n_ - np.concatenate([[0], np.cumsum(leaving)[:-1]])
        has_event = deaths > 0
        self.times_ = times[has_event]
        self.at_risk_ = at_risk[has_event].astype(np.int64)
        self.events_ = deaths[has_event].astype(np.int64)
        n, d = self.at_risk_.astype(float), self.events_.astype(float)
        self.survival_ = np.cumprod(1.0 - d / n)
        with np.errstate(divide="ignore", invalid="ignore"):
            self.greenwood_ = np.cumsum(np.where(n > d, d / (n * (n - d)), np.inf))
        return self

    def _index(self, t: float) -> int:
        """Index of the last event time <= t (-1 before the first)."""
        return int(np.searchsorted(self.times_, t, side="right")) - 1

    def survival_at(self, t: float) -> float:
        """S(t); NaN beyond the longest follow-up (nobody is observed there)."""
        if not t <= self.followup_max_:
            return float("nan")
        i = self._index(t)
        return 1.0 if i < 0 else float(self.survival_[i])

    def interval_at(self, t: float) -> tuple[float, float]:
        """The log(-log) 1 - alpha confidence interval of S(t): (1, 1) before the first event,
        (0, 0) once S is 0, NaN beyond the longest follow-up."""
        s = self.survival_at(t)
        if np.isnan(s):
            return float("nan"), float("nan")
        i = self._index(t)
        if i < 0 or s == 1.0:
            return 1.0, 1.0
        if s == 0.0:
            return 0.0, 0.0
        z = NormalDist().inv_cdf(1 - self.alpha / 2)
        v = np.log(s)
        spread = z * np.sqrt(self.greenwood_[i]) / v
        bounds = sorted(float(np.exp(-np.exp(np.log(-v) + sign * spread))) for sign in (1, -1))
        return bounds[0], bounds[1]

    @property
    def median_(self) -> float:
        """The first time at which S <= 0.5 (NaN when S stays above it)."""
        below = np.flatnonzero(self.survival_ <= 0.5)
        return float(self.times_[below[0]]) if below.size else float("nan")
