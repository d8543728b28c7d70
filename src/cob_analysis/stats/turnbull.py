"""The Turnbull (1976) estimator for interval-censored times, with its confidence bounds."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd


class IntervalDataError(ValueError):
    """Intervals that no estimate can be made of (empty, infinite lower bounds, upper below lower)."""


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


def _support_hessian(
    first: np.ndarray, stop: np.ndarray, weight: np.ndarray, idx: np.ndarray
) -> np.ndarray:
    """H[a, b] = sum of `weight` over the observations that cover both support intervals idx[a]
    and idx[b] (observation i covers first[i] .. stop[i] - 1).

    An observation covers a contiguous run of the support, positions lo .. hi - 1, so that H is
    a two-dimensional prefix sum of the weights by (lo, hi): O(n + s^2), where the product of
    the n x s cover matrix with itself costs O(n s^2)."""
    size = len(idx)
    lo = np.searchsorted(idx, first, side="left")
    hi = np.searchsorted(idx, stop, side="left")
    runs = lo < hi
    by_run = np.bincount(lo[runs] * (size + 1) + hi[runs], weight[runs], (size + 1) ** 2)
    by_run = by_run.reshape(size + 1, size + 1)
    # reach[l, b] = weight of the runs starting at l that end after b; summed over l <= a
    reach = np.cumsum(by_run[:, ::-1], axis=1)[:, ::-1]
    upper = np.triu(np.cumsum(reach, axis=0)[:size, 1:])
    return upper + np.triu(upper, 1).T


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
        raise IntervalDataError("lower and upper must be non-empty 1-d arrays of one length")
    if not np.isfinite(lo).all():
        raise IntervalDataError("lower bounds must be finite")
    if np.isnan(hi).any() or (hi < lo).any():
        raise IntervalDataError("every upper bound must be >= its lower bound")
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
        raise IntervalDataError("an observation covers no Turnbull interval")

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
        g = 1 - d[idx]
        hessian = _support_hessian(first, stop, wn / ap**2, idx)
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
