"""Vectorised helpers of the exports of any size: dates as text through one lookup table, weighted
choices, weekdays and month ends, and unique valid register numbers per person."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from cob_demo.scale_design import REFERENCE_DATE, SHARE_UNKNOWN_BIRTH, SNAPSHOTS

# Dates are formatted through one lookup table of day -> "dd/mm/yyyy" (fast `take`).
_DAY0 = np.datetime64("1900-01-01")
_DAY_END = np.datetime64("2031-12-31")

_SERIAL_SLOTS = 498  # odd serials 1..995 for men, even 2..996 for women


@dataclass
class People:
    """Everyone in any export, one entry per person."""

    birth: np.ndarray  # datetime64[D]
    birth_known: np.ndarray  # bool
    gender: np.ndarray  # int8: 0 man, 1 woman, -1 unknown
    insz_plain: pa.Array  # string, 11 digits
    insz_dotted: pa.Array  # string, YY.MM.DD-SSS.CC


# --------------------------------------------------------------------------------------------
# Small vectorised helpers
# --------------------------------------------------------------------------------------------
def day_strings() -> pa.Array:
    days = np.arange(_DAY0, _DAY_END + 1)
    ymd = _ymd(days)
    return _fixed_strings(
        [
            ymd[2] // 10,
            ymd[2] % 10,
            "/",
            ymd[1] // 10,
            ymd[1] % 10,
            "/",
            ymd[0] // 1000,
            ymd[0] // 100 % 10,
            ymd[0] // 10 % 10,
            ymd[0] % 10,
        ]
    )


def _ymd(days: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    years = days.astype("datetime64[Y]")
    months = days.astype("datetime64[M]")
    y = years.astype(np.int64) + 1970
    m = (months - years.astype("datetime64[M]")).astype(np.int64) + 1
    d = (days - months.astype("datetime64[D]")).astype(np.int64) + 1
    return y, m, d


def _fixed_strings(parts: list) -> pa.Array:
    """A string array of fixed width from per-character parts: digit arrays or literal chars."""
    n = next(len(p) for p in parts if not isinstance(p, str))
    width = len(parts)
    buf = np.empty((n, width), dtype=np.uint8)
    for j, part in enumerate(parts):
        buf[:, j] = ord(part) if isinstance(part, str) else part.astype(np.uint8) + 48
    offsets = np.arange(0, (n + 1) * width, width, dtype=np.int64)
    if offsets[-1] < 2**31:
        return pa.Array.from_buffers(
            pa.string(), n, [None, pa.py_buffer(offsets.astype(np.int32)), pa.py_buffer(buf)]
        )
    return pa.Array.from_buffers(
        pa.large_string(), n, [None, pa.py_buffer(offsets), pa.py_buffer(buf)]
    )


def format_dates(days: np.ndarray, table: pa.Array) -> pa.Array:
    """dd/mm/yyyy text (null for NaT) of datetime64[D] values."""
    missing = np.isnat(days)
    index = (days - _DAY0).astype(np.int64)
    index[missing] = 0
    if ((index < 0) | (index >= len(table))).any():
        raise ValueError("date outside the formatting table")
    return table.take(pa.array(index, mask=missing))


def native_dates(days: np.ndarray) -> pa.Array:
    missing = np.isnat(days)
    values = days.astype("datetime64[D]").astype(np.int64).astype(np.int32)
    return pa.array(values, type=pa.int32(), mask=missing).cast(pa.date32())


def pick(strings, index: np.ndarray, mask: np.ndarray | None = None) -> pa.Array:
    """Take text values by index (null where ``mask``)."""
    source = strings if isinstance(strings, pa.Array) else pa.array(list(strings), pa.string())
    return source.take(pa.array(index, type=pa.int64(), mask=mask))


def choice(rng: np.random.Generator, weights, n: int) -> np.ndarray:
    p = np.asarray(weights, dtype=float)
    cdf = np.cumsum(p / p.sum())
    return np.minimum(np.searchsorted(cdf, rng.random(n), side="right"), len(p) - 1)


def _business_days(start: str, end: str) -> np.ndarray:
    days = np.arange(np.datetime64(start), np.datetime64(end) + 1)
    return days[np.is_busday(days)]


def random_weekdays(rng: np.random.Generator, start: str, end: str, n: int) -> np.ndarray:
    days = _business_days(start, end)
    return days[rng.integers(0, len(days), n)]


def weekday(days: np.ndarray) -> np.ndarray:
    return np.busday_offset(days, 0, roll="forward")


def snapshot_dates(snapshots: str = "monthly", n_snapshots: int = 12) -> np.ndarray:
    """The VDAB reference dates, oldest first, the last 31/03/2020: month ends (``monthly``) or
    31 March of successive years (``yearly``)."""
    if snapshots not in SNAPSHOTS:
        raise ValueError(f"snapshots must be one of {SNAPSHOTS}, got {snapshots!r}")
    if n_snapshots < 1:
        raise ValueError("n_snapshots must be at least 1")
    step = 1 if snapshots == "monthly" else 12
    last = REFERENCE_DATE.astype("datetime64[M]")
    months = last - step * np.arange(n_snapshots - 1, -1, -1)
    return (months + 1).astype("datetime64[D]") - 1


def months_between(dates: np.ndarray) -> np.ndarray:
    m = dates.astype("datetime64[M]").astype(np.int64)
    return np.diff(m)


# --------------------------------------------------------------------------------------------
# National register numbers
# --------------------------------------------------------------------------------------------
def unique_insz(rng: np.random.Generator, birth: np.ndarray, known: np.ndarray, gender: np.ndarray):
    """Unique valid INSZ per person: (plain, dotted) string arrays."""
    y, m, d = _ymd(birth)
    yy = y % 100
    mm = np.where(known, m, 0)
    dd = np.where(known, d, 0)
    parity = np.where(gender < 0, 2, gender)  # 2: unknown gender, any serial
    group = (yy * 10000 + mm * 100 + dd) * 3 + parity
    order = np.lexsort((rng.random(len(group)), group))
    sorted_group = group[order]
    start = np.r_[True, sorted_group[1:] != sorted_group[:-1]]
    first = np.maximum.accumulate(np.where(start, np.arange(len(group)), 0))
    rank = np.empty(len(group), dtype=np.int64)
    rank[order] = np.arange(len(group)) - first
    group_id = np.empty(len(group), dtype=np.int64)
    group_id[order] = np.cumsum(start) - 1
    slots = np.where(parity == 2, 997, _SERIAL_SLOTS)
    level = rank // slots
    if (level > 2).any():
        raise ValueError("too many people share a birth date and gender for unique INSZ serials")
    shift = rng.integers(0, 997, int(start.sum()))[group_id]  # serials start anywhere in a group
    slot = (rank + shift) % slots
    serial = np.where(parity == 2, slot + 1, 2 * slot + 1 + parity)
    # BIS numbers for the overflow: month + 40, then + 20 (gender known); + 20, then + 40 (unknown)
    mm = mm + np.where(parity == 2, np.array([0, 20, 40])[level], np.array([0, 40, 20])[level])
    first_nine = (yy * 10000 + mm * 100 + dd) * 1000 + serial
    base = np.where(y >= 2000, 2_000_000_000 + first_nine, first_nine)
    check = 97 - base % 97
    digits = [
        yy // 10,
        yy % 10,
        mm // 10,
        mm % 10,
        dd // 10,
        dd % 10,
        serial // 100,
        serial // 10 % 10,
        serial % 10,
        check // 10,
        check % 10,
    ]
    plain = _fixed_strings(digits)
    dotted = _fixed_strings(
        digits[:2]
        + ["."]
        + digits[2:4]
        + ["."]
        + digits[4:6]
        + ["-"]
        + digits[6:9]
        + ["."]
        + digits[9:]
    )
    return plain, dotted


def draw_people(
    rng: np.random.Generator, reference: np.ndarray, young: np.ndarray, gender_p_man: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Birth dates (age 18..64 at ``reference``), known-birth flags and genders."""
    n = len(reference)
    age = 18 + np.minimum(np.floor(rng.gamma(2.0, 6.0, n)).astype(np.int64), 46)
    age = np.where(young, 18 + rng.integers(0, 7, n), age)
    birth = reference - np.round(age * 365.25).astype(np.int64) - rng.integers(1, 365, n)
    known = rng.random(n) >= SHARE_UNKNOWN_BIRTH
    gender = np.where(rng.random(n) < gender_p_man, 0, 1).astype(np.int8)
    gender[~known] = -1
    return birth.astype("datetime64[D]"), known, gender
