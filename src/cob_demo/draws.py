"""Seeded drawing helpers of the demo generator: quotas dealt out by weighted sampling, weekdays,
birth dates and ages, register numbers, and days bent onto calibrated means and SDs."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from cob_analysis.ingest import insz
from cob_analysis.tables_io import round_half_up
from cob_demo.calibration import CALIBRATION, ROUNDING_MARGIN


def allocate(rng: np.random.Generator, counts: Sequence[int], weights: np.ndarray) -> np.ndarray:
    """Give each of n units one of k labels (column index) so that label j is used exactly
    ``counts[j]`` times. Labels are served in column order; each takes its quota by weighted
    sampling without replacement (Efraimidis-Spirakis keys) among the units still free, so a
    weight 0 means "only when nothing else is left" and a huge weight means "first"."""
    n, k = weights.shape
    if sum(counts) != n:
        raise ValueError(f"quotas sum to {sum(counts)}, units {n}")
    out = np.full(n, -1, dtype=np.int64)
    free = np.arange(n)
    for j in range(k):
        c = int(counts[j])
        u = rng.random(len(free))
        if c == 0:
            continue
        with np.errstate(divide="ignore"):
            key = np.log(u) / weights[free, j]
        chosen = np.argsort(-key, kind="stable")[:c]
        out[free[chosen]] = j
        free = np.delete(free, chosen)
    return out


def deal(
    rng: np.random.Generator,
    work: np.ndarray,
    table: dict,
    weights: np.ndarray,
    among: np.ndarray | None = None,
) -> np.ndarray:
    """Deal the labels of ``table`` ({label: (n no work, n work)}) within each work stratum
    (restricted to ``among``), exactly. ``weights`` is (n units, n labels) in table order.
    Units outside ``among`` get None."""
    labels = list(table)
    out = np.full(len(work), None, dtype=object)
    among = np.ones(len(work), bool) if among is None else among
    for stratum in (0, 1):
        idx = np.flatnonzero((work == stratum) & among)
        counts = [table[label][stratum] for label in labels]
        picked = allocate(rng, counts, weights[idx])
        out[idx] = np.array(labels, dtype=object)[picked]
    return out


def gender_household_work() -> np.ndarray:
    """Counts [gender (Man, Vrouw), household, work (no, yes)] of the 1660 clients with a
    gender, with all three two-way margins of Tabel 11, 12 and 13 (13 minus the two clients
    without gender, one per work stratum, household 'Onbekend').

    Iterative proportional fitting gives the real-valued table; the integer repair uses that
    gender and work are binary: the Man x Werk column x_h fixes every other cell, and x_h has
    interval bounds from the margins, so rounding plus moving units within those bounds until
    sum(x_h) is right gives an exact integer table."""
    cal = CALIBRATION
    households = list(cal["household_work"])
    gh = np.array([cal["gender_household"][h] for h in households], float).T  # (2, H)
    gw = np.array([cal["gender_work"][g] for g in ("Man", "Vrouw")], float)  # (2, 2)
    hw = np.array([cal["household_work"][h] for h in households], float)  # (H, 2)
    hw[households.index("Onbekend")] -= (1, 1)  # the two clients without gender
    table = np.ones((2, len(households), 2))
    for _ in range(500):
        table *= (gh / table.sum(axis=2))[:, :, None]
        table *= (gw / table.sum(axis=1))[:, None, :]
        table *= (hw / table.sum(axis=0))[None, :, :]
    m, f = gh
    lo = np.maximum.reduce([np.zeros_like(m), m - hw[:, 0], hw[:, 1] - f])
    hi = np.minimum(m, hw[:, 1])
    x = np.clip(np.floor(table[0, :, 1] + 0.5), lo, hi)
    target = gw[0, 1]
    while x.sum() != target:
        step = 1 if x.sum() < target else -1
        room = (x < hi) if step > 0 else (x > lo)
        if not room.any():
            raise RuntimeError("gender x household x work: margins are inconsistent")
        residual = (table[0, :, 1] - x) * step
        residual[~room] = -np.inf
        x[int(np.argmax(residual))] += step
    out = np.empty((2, len(households), 2), dtype=np.int64)
    out[0, :, 1] = x
    out[0, :, 0] = m - x
    out[1, :, 1] = hw[:, 1] - x
    out[1, :, 0] = f - out[1, :, 1]
    assert (out >= 0).all()
    assert (out.sum(axis=2) == gh).all() and (out.sum(axis=1) == gw).all()
    assert (out.sum(axis=0) == hw).all()
    return out


def random_weekdays(rng: np.random.Generator, start: str, end: str, n: int) -> np.ndarray:
    days = pd.bdate_range(start, end).to_numpy().astype("datetime64[D]")
    return days[rng.integers(0, len(days), n)]


def to_weekday(dates: np.ndarray) -> np.ndarray:
    """Move Saturdays and Sundays to the next Monday."""
    return np.busday_offset(dates, 0, roll="forward")


def weekday_between(rng: np.random.Generator, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """A weekday drawn uniformly from [lo, hi] (each pair must hold one)."""
    start = np.busday_offset(np.asarray(lo, dtype="datetime64[D]"), 0, roll="forward")
    n = np.busday_count(start, np.asarray(hi, dtype="datetime64[D]") + 1)
    if (n < 1).any():
        raise RuntimeError("no weekday in a date range")
    return np.busday_offset(start, np.floor(rng.random(len(n)) * n).astype(np.int64))


def draw_birth_dates(rng: np.random.Generator, intake: np.ndarray, age: np.ndarray) -> np.ndarray:
    """A birth date giving exactly ``age`` completed years at ``intake``, at least three days
    away from a birthday (so no age convention can disagree) and never on 29 February."""
    ts = pd.DatetimeIndex(intake)
    anniversary = (
        pd.to_datetime(pd.DataFrame({"year": ts.year - age, "month": ts.month, "day": ts.day}))
        .to_numpy()
        .astype("datetime64[D]")
    )
    back = rng.integers(3, 361, len(age))
    birth = anniversary - back
    leap_day = (pd.DatetimeIndex(birth).month == 2) & (pd.DatetimeIndex(birth).day == 29)
    birth[leap_day] -= 1
    check = _completed_years(birth, intake)
    assert (check == age).all()
    return birth


def _completed_years(birth: np.ndarray, at: np.ndarray) -> np.ndarray:
    b, a = pd.DatetimeIndex(birth), pd.DatetimeIndex(at)
    before = (a.month < b.month) | ((a.month == b.month) & (a.day < b.day))
    return np.asarray(a.year - b.year - before.astype(int))


def draw_ages(rng: np.random.Generator, group: np.ndarray) -> np.ndarray:
    age = np.zeros(len(group), dtype=np.int64)
    young = group == "18-24j"
    age[young] = rng.choice(
        np.arange(18, 25), young.sum(), p=np.array([4, 8, 10, 11, 11, 10, 9]) / 63
    )
    mid = group == "25-30j"
    age[mid] = rng.integers(25, 31, mid.sum())
    old = group == "30+"
    age[old] = np.minimum(31 + np.floor(rng.gamma(1.6, 7.0, old.sum())).astype(np.int64), 64)
    return age


def make_insz(
    rng: np.random.Generator, birth: np.ndarray, gender: np.ndarray, taken: set[str]
) -> list[str]:
    """Valid, unique national register numbers: odd serial for men, even for women, month and
    day 00 when the birth date is unknown (NaT)."""
    out = []
    for b, g in zip(birth, gender, strict=True):
        iso = None if np.isnat(b) else str(b)[:10]
        while True:
            if g is None:
                serial = int(rng.integers(1, 998))
            else:
                serial = int(rng.integers(1, 499)) * 2 - (1 if g == "Man" else 0)
            number = insz.make(iso, serial)
            if number[:9] not in taken:
                taken.add(number[:9])
                out.append(number)
                break
    return out


def calibrated_days(
    rng: np.random.Generator, lowest: np.ndarray, available: np.ndarray, mean: float, sd: float
) -> np.ndarray:
    """Integer days lowest_i <= d_i <= available_i with sum round(n * mean) and sample SD ~ sd.

    Gamma draws with the target mean and SD are paired with the clients by (noisy) rank of the
    time they had (long waits go with early intakes), then bent onto the targets by a clipped
    affine map and rounded, with a +-1 repair of the sum."""
    n = len(available)
    raw = np.sort(rng.gamma((mean / sd) ** 2, sd**2 / mean, n))
    key = np.log(available + 1.0) + rng.normal(0.0, 0.15, n)
    v = np.empty(n)
    v[np.argsort(key, kind="stable")] = raw
    v_mean = v.mean()
    centre, spread = mean, 1.0
    d = v
    for _ in range(5000):
        d = np.clip(centre + spread * (v - v_mean), lowest, available)
        m, s = d.mean(), d.std(ddof=1)
        if abs(m - mean) < 1e-7 and abs(s - sd) < 1e-7:
            break
        centre += mean - m
        spread *= sd / s
    else:
        raise RuntimeError(f"art. 60 timing: cannot reach mean {mean:.2f}, sd {sd:.2f}")
    days = np.floor(d + 0.5)
    diff = int(round(n * mean) - days.sum())
    step = 1 if diff > 0 else -1
    residual = (d - days) * step
    room = (days < available) if step > 0 else (days > lowest)
    residual[~room] = -np.inf
    for i in np.argsort(-residual, kind="stable")[: abs(diff)]:
        days[i] += step
    return days.astype(np.int64)


def on_weekdays(
    days: np.ndarray, intake: np.ndarray, available: np.ndarray, sd: float
) -> np.ndarray:
    """Move starts that fall on a weekend to a Friday or Monday, choosing the direction that
    keeps the sum of days unchanged, and absorb any remainder by moving a Tuesday-Thursday
    start by one day (so the calibrated mean is untouched). The shifts nudge the SD a little;
    moving one start a week later and another a week earlier (weekday and sum unchanged) brings
    it back to ``sd``."""
    days = days.copy()
    weekday = (
        np.asarray(intake + days, dtype="datetime64[D]").astype(np.int64) + 3
    ) % 7  # 0 = Monday
    total = 0
    for i in np.flatnonzero(weekday >= 5):
        options = (-1, 2) if weekday[i] == 5 else (1, -2)
        options = [o for o in options if 0 <= days[i] + o <= available[i]]
        if not options:
            continue
        shift = min(options, key=lambda o: (abs(total + o), o))
        days[i] += shift
        total += shift
    weekday = (np.asarray(intake + days, dtype="datetime64[D]").astype(np.int64) + 3) % 7
    step = -1 if total > 0 else 1
    movable = np.flatnonzero(
        (weekday >= 1) & (weekday <= 3) & (days + step >= 0) & (days + step <= available)
    )
    for i in movable[: abs(total)]:
        days[i] += step
    n = len(days)
    for _ in range(100):
        current = days.std(ddof=1)
        if abs(current - sd) < 0.02:
            break
        need = (sd**2 - current**2) * (n - 1)  # change of the sum of squares (sum is fixed)
        # spread (need > 0): the higher one +7, the lower -7, change 14 * gap + 98;
        # pull in (need < 0): the higher one -7, the lower +7, change -14 * gap + 98
        sign = 1 if need > 0 else -1
        gap_wanted = max((abs(need) - sign * 98) / 14, 1.0)
        up_ok = days + 7 <= available
        down_ok = days - 7 >= 0
        high_ok, low_ok = (up_ok, down_ok) if sign > 0 else (down_ok, up_ok)
        gaps = days[:, None] - days[None, :]  # [high, low]
        cost = np.abs(gaps - gap_wanted).astype(float)
        cost[~(high_ok[:, None] & low_ok[None, :]) | (gaps <= 0)] = np.inf
        high, low = np.unravel_index(int(np.argmin(cost)), cost.shape)
        if not np.isfinite(cost[high, low]):
            break
        days[high] += 7 * sign
        days[low] -= 7 * sign
    return days


def check_rounding(value: float, printed: int, what: str) -> None:
    # the pipeline's own rounding, and far enough from .5 that any rounding agrees
    if round_half_up(value, 0) != printed or abs(value - np.floor(value) - 0.5) < ROUNDING_MARGIN:
        raise RuntimeError(f"{what}: {value:.3f} does not round safely to {printed}")
