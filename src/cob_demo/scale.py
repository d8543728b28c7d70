"""Synthetic exports of any size, vectorised (for benchmarks and scale tests).

The calibrated demo generator (:mod:`cob_analysis.synth`) reproduces the 2020 report for 1,662
clients and is not meant to grow. This one is **uncalibrated**: plausible, independent
distributions, built with numpy and pyarrow column by column (no Python loop over rows), so that
a million clients with twelve monthly VDAB snapshots are written in seconds.

It writes the exports of the demo with the same raw headers and raw values (the demo's
``config/config.yaml`` works unchanged; only ``exports.*.path`` changes), as Parquet or CSV:

- ``clients`` (``sd_intakes_2017_2018``): ``n_clients`` intakes in 2017-2018, plus 2% distinct
  people with an intake outside the window and 0.5% later duplicate intakes of clients;
- ``art60`` (``ocmw_art60_contracten``): one contract for 50% of the clients, a second for 20% of
  those, one for 30% of the out-of-window people, plus 1% rows of non-clients;
- ``twe`` (``twe_trajecten``): one trajectory for 25% of the clients, an earlier closed one for
  10% of those, plus 1% rows of non-clients;
- ``vdab`` (``vdab_werkzoekendenstatus``): one row per snapshot for 98% of the clients, for every
  out-of-window person and for non-clients (1% of the number of clients);
- ``trajectory_changes`` (``trajectwijzigingen``): one change for 10% of the clients and of the
  out-of-window people (an optional export: used only when the config names it).

``design_counts`` gives these numbers exactly. The art. 60 export is an xlsx in the demo; at
scale it is Parquet or CSV like the others (``ocmw_art60_contracten.parquet``/``.csv``).

Raw values as in the demo: INSZ as text (``YYMMDDSSSCC``; 10% of the intake rows and half of
the TWE and trajectory-change rows spelled ``YY.MM.DD-SSS.CC``), valid mod-97 check digits (the
``2`` prefix for births from 2000 on), unique per person (serials ranked within birth date and
gender; BIS numbers, month + 40 or + 20, when a birth date runs out of serials; month and day ``00``
for the 0.1% with an unknown birth date, who also have no gender). Dates are ``dd/mm/yyyy``
text, except the art. 60 dates in Parquet, which are native ``date32`` (as the xlsx holds real
dates). Blanks are nulls in Parquet and empty fields in CSV. CSV files are ``;``-separated with
the demo's encodings and line ends (intakes Windows-1252 CRLF, VDAB UTF-8 with BOM CRLF, the
others UTF-8 LF). VDAB codes are two-digit text (``05``) from ``config/recode/vdab_status.csv``
with its labels; the snapshots are month ends (``monthly``) or 31 March of successive years
(``yearly``), the last one 31/03/2020 (the config's ``reference_date``). Each client's status
follows a two-state (work / no work) Markov chain over the snapshots.

The same arguments give the same tables (and the same bytes).
"""

from __future__ import annotations

import argparse
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from cob_demo.calibrated import (
    ART60_HEADERS,
    CALIBRATION,
    CLIENT_HEADERS,
    NATIONALITIES,
    OTHER_EMPLOYERS,
    RAW_GENDER,
    RAW_HOUSEHOLD,
    RAW_SCHOOLING,
    RAW_TRAJECTORY,
    RAW_TWE_RESULT,
    TRAJECTORY_CHANGE_HEADERS,
    TWE_HEADERS,
    VDAB_HEADERS,
)

EXPORT_STEMS = {
    "clients": "sd_intakes_2017_2018",
    "art60": "ocmw_art60_contracten",
    "twe": "twe_trajecten",
    "vdab": "vdab_werkzoekendenstatus",
    "trajectory_changes": "trajectwijzigingen",
}
FORMATS = ("parquet", "csv")
SNAPSHOTS = ("monthly", "yearly")

WINDOW_FROM = np.datetime64("2017-01-01")
WINDOW_TO = np.datetime64("2018-12-31")
REFERENCE_DATE = np.datetime64("2020-03-31")  # the last snapshot; art. 60 ends after it: running
TWE_EXPORT_DATE = np.datetime64("2020-03-20")

# Shares (of the in-window clients unless said otherwise).
SHARE_OUT_OF_WINDOW = 0.02
SHARE_DUPLICATE = 0.005
SHARE_ART60 = 0.50
SHARE_SECOND_CONTRACT = 0.20  # of the art. 60 clients
SHARE_OOW_ART60 = 0.30  # of the out-of-window people
SHARE_CHANGE = 0.10  # of the clients and of the out-of-window people: a trajectory change
SHARE_TWE = 0.25
SHARE_EARLIER_TWE = 0.10  # of the TWE clients
SHARE_NO_VDAB = 0.02  # clients VDAB does not know
SHARE_NONCLIENT = 0.01  # of the rows of art. 60 and TWE, of the clients in VDAB
SHARE_UNKNOWN_BIRTH = 0.001
SHARE_DOTTED_CLIENTS = 0.10
SHARE_DOTTED_TWE = 0.50

# VDAB codes (a subset of config/recode/vdab_status.csv, with its labels) and weights.
WORK_CODES = {
    78: ("Uitgeschreven wegens werk", 40),
    90: ("Voltijds werkende vrij ingeschreven werkzoekende", 30),
    89: ("Werkt regelmatig met interim", 8),
    80: ("Deeltijdse werknemer met uitkeringen", 6),
    93: ("Vrij ingeschreven deeltijdse werknemers", 4),
    7: ("Vrijwillig deeltijdse werknemer", 3),
    10: ("Werknemer in opzegtermijn of met verbrekingsvergoeding", 2),
    19: ("Jobstudent", 1),
    82: ("Deeltijds werkende jongere in beroepsinschakelingstijd", 1),
}
NO_WORK_CODES = {
    5: ("Verplicht ingeschreven O.C.M.W.", 40),
    0: ("Uitkeringsgerechtigd volledig werkloos", 25),
    79: ("Gewone uitschrijving", 10),
    3: ("Vrij ingeschreven werkzoekende, niet werkend", 8),
    85: ("Werkzoekenden in individuele beroepsopleiding", 4),
    14: ("Werkzoekende uitgesloten van het recht op uitkeringen", 2),
    2: ("Werkzoekende (art 36) in beroepsinschakelingstijd", 1),
    6: ("Werkzoekende erkend als persoon met een handicap", 1),
    30: ("Persoon met volledige vrijstelling, actief in wijk-werken", 1),
    76: ("Uitgeschreven wegens ziekte", 1),
    77: ("Uitgeschreven wegens hervatting studies", 1),
    97: (
        "Werklozen vrijgesteld van beschikbaarheid voor de arbeidsmarkt wegens het volgen van "
        "studies, opleiding of stage",
        1,
    ),
    9: ("Beroep bij arbeidsrechtbank tegen RIZIV-beslissing", 0.5),
    11: ("Leerling deeltijds of duaal leren", 0.5),
}
P_WORK_FIRST = 0.35  # work at the first snapshot
P_FIND_WORK = 0.04  # per month without work
P_LOSE_WORK = 0.02  # per month with work
P_CODE_CHANGE = 0.05  # per month, another code within the same state

# Intakes
TRAJECTORY_WEIGHTS = (0.30, 0.13, 0.38, 0.19)  # in RAW_TRAJECTORY order
HOUSEHOLD_WEIGHTS = (0.17, 0.70, 0.03, 0.10)  # in RAW_HOUSEHOLD order
SCHOOLING_WEIGHTS = (0.01, 0.56, 0.22, 0.21)  # in RAW_SCHOOLING order
NT2_LEVELS = (None, "0", "<1.1", "1.1", "1.2", "2.1", "2.2", "2.3", "2.4", "3.1", "3.2", "4.2")
NT2_WEIGHTS = (0.005, 0.44, 0.18, 0.17, 0.12, 0.035, 0.027, 0.007, 0.01, 0.002, 0.002, 0.005)

# Dates are formatted through one lookup table of day -> "dd/mm/yyyy" (fast `take`).
_DAY0 = np.datetime64("1900-01-01")
_DAY_END = np.datetime64("2031-12-31")

_SERIAL_SLOTS = 498  # odd serials 1..995 for men, even 2..996 for women


@dataclass
class _People:
    """Everyone in any export, one entry per person."""

    birth: np.ndarray  # datetime64[D]
    birth_known: np.ndarray  # bool
    gender: np.ndarray  # int8: 0 man, 1 woman, -1 unknown
    insz_plain: pa.Array  # string, 11 digits
    insz_dotted: pa.Array  # string, YY.MM.DD-SSS.CC


# --------------------------------------------------------------------------------------------
# Small vectorised helpers
# --------------------------------------------------------------------------------------------
def _day_strings() -> pa.Array:
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


def _format_dates(days: np.ndarray, table: pa.Array) -> pa.Array:
    """dd/mm/yyyy text (null for NaT) of datetime64[D] values."""
    missing = np.isnat(days)
    index = (days - _DAY0).astype(np.int64)
    index[missing] = 0
    if ((index < 0) | (index >= len(table))).any():
        raise ValueError("date outside the formatting table")
    return table.take(pa.array(index, mask=missing))


def _native_dates(days: np.ndarray) -> pa.Array:
    missing = np.isnat(days)
    values = days.astype("datetime64[D]").astype(np.int64).astype(np.int32)
    return pa.array(values, type=pa.int32(), mask=missing).cast(pa.date32())


def _pick(strings, index: np.ndarray, mask: np.ndarray | None = None) -> pa.Array:
    """Take text values by index (null where ``mask``)."""
    source = strings if isinstance(strings, pa.Array) else pa.array(list(strings), pa.string())
    return source.take(pa.array(index, type=pa.int64(), mask=mask))


def _choice(rng: np.random.Generator, weights, n: int) -> np.ndarray:
    p = np.asarray(weights, dtype=float)
    cdf = np.cumsum(p / p.sum())
    return np.minimum(np.searchsorted(cdf, rng.random(n), side="right"), len(p) - 1)


def _business_days(start: str, end: str) -> np.ndarray:
    days = np.arange(np.datetime64(start), np.datetime64(end) + 1)
    return days[np.is_busday(days)]


def _random_weekdays(rng: np.random.Generator, start: str, end: str, n: int) -> np.ndarray:
    days = _business_days(start, end)
    return days[rng.integers(0, len(days), n)]


def _weekday(days: np.ndarray) -> np.ndarray:
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


def _months_between(dates: np.ndarray) -> np.ndarray:
    m = dates.astype("datetime64[M]").astype(np.int64)
    return np.diff(m)


# --------------------------------------------------------------------------------------------
# National register numbers
# --------------------------------------------------------------------------------------------
def _insz(rng: np.random.Generator, birth: np.ndarray, known: np.ndarray, gender: np.ndarray):
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


def _people(
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


# --------------------------------------------------------------------------------------------
# The population and the exports
# --------------------------------------------------------------------------------------------
class _Generator:
    def __init__(self, n_clients: int, snapshots: str, n_snapshots: int, seed: int, fmt: str):
        if n_clients < 1:
            raise ValueError("n_clients must be at least 1")
        if fmt not in FORMATS:
            raise ValueError(f"fmt must be one of {FORMATS}, got {fmt!r}")
        self.n = int(n_clients)
        self.fmt = fmt
        self.dates = snapshot_dates(snapshots, n_snapshots)
        self.rng = np.random.default_rng(seed)
        self.day_text = _day_strings()
        self.counts = design_counts(n_clients, snapshots, n_snapshots)
        self._build()

    # -- people and intakes
    def _build(self) -> None:
        rng, n, c = self.rng, self.n, self.counts
        n_oow, n_dup = c["out_of_window"], c["duplicate_intakes"]

        intake = _random_weekdays(rng, str(WINDOW_FROM), str(WINDOW_TO), n)
        trajectory = _choice(rng, TRAJECTORY_WEIGHTS, n)
        young = trajectory == 3  # Jongerenproject (ESF)
        n_early = n_oow // 2
        oow_intake = np.r_[
            _random_weekdays(rng, "2016-10-03", "2016-12-30", n_early),
            _random_weekdays(rng, "2019-01-02", "2019-03-29", n_oow - n_early),
        ]
        oow_trajectory = _choice(rng, TRAJECTORY_WEIGHTS, n_oow)
        n_other = c["vdab_nonclients"] + c["art60_nonclients"] + c["twe_nonclients"]
        other_ref = np.full(n_other, np.datetime64("2018-01-01"))

        birth, known, gender = _people(
            rng,
            np.r_[intake, oow_intake, other_ref],
            np.r_[young, oow_trajectory == 3, np.zeros(n_other, bool)],
            0.8,
        )
        plain, dotted = _insz(rng, birth, known, gender)
        self.people = _People(birth, known, gender, plain, dotted)
        self.intake = np.r_[intake, oow_intake]  # persons 0..n+n_oow-1 have intakes
        self.trajectory = np.r_[trajectory, oow_trajectory]
        self.oow = np.arange(n, n + n_oow)
        others = np.arange(n + n_oow, n + n_oow + n_other)
        self.vdab_others = others[: c["vdab_nonclients"]]
        self.art60_others = others[
            c["vdab_nonclients"] : c["vdab_nonclients"] + c["art60_nonclients"]
        ]
        self.twe_others = others[c["vdab_nonclients"] + c["art60_nonclients"] :]

        # later duplicate intakes of clients with an intake until 2018-09-28
        eligible = np.flatnonzero(intake <= np.datetime64("2018-09-28"))
        self.dup_of = (
            np.sort(rng.choice(eligible, n_dup, replace=False)) if n_dup else np.zeros(0, np.int64)
        )
        later = intake[self.dup_of] + rng.integers(14, 91, n_dup)
        self.dup_intake = np.minimum(_weekday(later), WINDOW_TO)
        self.dup_trajectory = np.where(
            rng.random(n_dup) < 0.5, self.trajectory[self.dup_of], 1 + rng.integers(0, 2, n_dup)
        )

        # attributes of everyone with an intake (index: person)
        m = n + n_oow
        self.household = _choice(rng, HOUSEHOLD_WEIGHTS, m)
        self.schooling = _choice(rng, SCHOOLING_WEIGHTS, m)
        self.nt2 = _choice(rng, NT2_WEIGHTS, m)
        nat_w = [x[3] for x in NATIONALITIES]
        self.nationality = _choice(rng, nat_w, m)

        # VDAB population: 98% of the clients, all out-of-window people, the non-clients
        known_to_vdab = np.sort(rng.permutation(n)[: c["vdab_clients"]])
        self.vdab_people = np.r_[known_to_vdab, self.oow, self.vdab_others]
        self.vdab_work_bias = np.r_[
            (self.schooling[known_to_vdab] == 3) * 0.1,
            np.zeros(len(self.oow) + len(self.vdab_others)),
        ]

    # -- exports
    def clients(self) -> pa.Table:
        rng, n = self.rng, self.n
        person = np.r_[np.arange(n), self.dup_of, self.oow]
        intake = np.r_[self.intake[:n], self.dup_intake, self.intake[self.oow]]
        trajectory = np.r_[self.trajectory[:n], self.dup_trajectory, self.trajectory[self.oow]]
        kind = np.r_[
            np.zeros(n, np.int8),
            np.ones(len(self.dup_of), np.int8),
            np.full(len(self.oow), 2, np.int8),
        ]
        order = np.lexsort((kind, intake))
        person, intake, trajectory = person[order], intake[order], trajectory[order]
        dotted = rng.random(len(person)) < SHARE_DOTTED_CLIENTS
        people = self.people
        ids = _choose_text(dotted, people.insz_dotted, people.insz_plain, person)
        gender = people.gender[person]
        nt2 = self.nt2[person]
        birth = np.where(people.birth_known[person], people.birth[person], np.datetime64("NaT"))
        nat = self.nationality[person]
        columns = {
            CLIENT_HEADERS["client_id"]: ids,
            CLIENT_HEADERS["intake_date"]: _format_dates(intake, self.day_text),
            CLIENT_HEADERS["trajectory"]: _pick(RAW_TRAJECTORY.values(), trajectory),
            CLIENT_HEADERS["gender"]: _pick(
                [RAW_GENDER["Man"], RAW_GENDER["Vrouw"]], np.maximum(gender, 0), mask=gender < 0
            ),
            CLIENT_HEADERS["birth_date"]: _format_dates(birth, self.day_text),
            CLIENT_HEADERS["nationality"]: _pick([x[0] for x in NATIONALITIES], nat),
            CLIENT_HEADERS["household"]: _pick(RAW_HOUSEHOLD.values(), self.household[person]),
            CLIENT_HEADERS["nt2_level"]: _pick(NT2_LEVELS, nt2, mask=nt2 == 0),
            CLIENT_HEADERS["schooling"]: _pick(RAW_SCHOOLING.values(), self.schooling[person]),
            CLIENT_HEADERS["country_of_birth"]: _pick([x[1] for x in NATIONALITIES], nat),
            CLIENT_HEADERS["continent"]: _pick([x[2] for x in NATIONALITIES], nat),
        }
        return pa.table(columns)

    def art60(self) -> pa.Table:
        rng, n, c = self.rng, self.n, self.counts
        holders = np.sort(rng.permutation(n)[: c["art60_clients"]])
        second = np.sort(rng.choice(len(holders), c["art60_second"], replace=False))
        has_second = np.zeros(len(holders), bool)
        has_second[second] = True
        days = 14 + np.floor(rng.gamma(2.0, 220.0, len(holders))).astype(np.int64)
        start1 = _weekday(self.intake[holders] + days)
        duration1 = np.where(
            has_second, rng.integers(60, 301, len(holders)), rng.integers(182, 731, len(holders))
        )
        end1 = start1 + duration1
        start2 = _weekday(end1[second] + rng.integers(7, 61, len(second)))
        end2 = start2 + rng.integers(182, 731, len(second))
        oow_holders = (
            np.sort(rng.choice(self.oow, c["art60_oow"], replace=False))
            if c["art60_oow"]
            else self.oow[:0]
        )
        start_oow = _weekday(self.intake[oow_holders] + rng.integers(30, 400, len(oow_holders)))
        end_oow = start_oow + rng.integers(182, 731, len(oow_holders))
        start_other = _random_weekdays(rng, "2017-03-01", "2020-02-28", len(self.art60_others))
        end_other = start_other + rng.integers(182, 731, len(self.art60_others))

        person = np.r_[holders, holders[second], oow_holders, self.art60_others]
        start = np.r_[start1, start2, start_oow, start_other]
        end = np.r_[end1, end2, end_oow, end_other]
        end = np.where(end > REFERENCE_DATE, np.datetime64("NaT"), end)
        employer_names = list(CALIBRATION["art60_last_employers"]) + list(OTHER_EMPLOYERS)
        weights = 1.0 / np.arange(1, len(employer_names) + 1) ** 0.9
        employer = _choice(rng, weights, len(person))
        order = np.argsort(start, kind="stable")
        person, start, end, employer = person[order], start[order], end[order], employer[order]
        if self.fmt == "parquet":
            start_col, end_col = _native_dates(start), _native_dates(end)
        else:
            start_col, end_col = (
                _format_dates(start, self.day_text),
                _format_dates(end, self.day_text),
            )
        return pa.table(
            {
                ART60_HEADERS["client_id"]: self.people.insz_plain.take(pa.array(person)),
                ART60_HEADERS["start_date"]: start_col,
                ART60_HEADERS["end_date"]: end_col,
                ART60_HEADERS["employer"]: _pick(employer_names, employer),
            }
        )

    def twe(self) -> pa.Table:
        rng, n, c = self.rng, self.n, self.counts
        people = np.sort(rng.permutation(n)[: c["twe_clients"]])
        earlier = np.sort(rng.choice(len(people), c["twe_earlier"], replace=False))
        start = _weekday(self.intake[people] + rng.integers(30, 701, len(people)))
        e_start = _weekday(self.intake[people[earlier]] + rng.integers(7, 61, len(earlier)))
        e_end = e_start + rng.integers(60, 201, len(earlier))
        start[earlier] = _weekday(e_end + rng.integers(7, 61, len(earlier)))
        o_start = _random_weekdays(rng, "2017-06-01", "2019-12-31", len(self.twe_others))
        person = np.r_[people, people[earlier], self.twe_others]
        start = np.r_[start, e_start, o_start]
        end = start + rng.integers(180, 541, len(person))
        end[len(people) : len(people) + len(earlier)] = e_end
        running = end > TWE_EXPORT_DATE
        end = np.where(running, np.datetime64("NaT"), end)
        result = _choice(rng, (0.5, 0.42, 0.05, 0.03), len(person))
        result[len(people) : len(people) + len(earlier)] = rng.integers(0, 2, len(earlier))
        order = np.argsort(start, kind="stable")
        person, start, end, result, running = (
            person[order],
            start[order],
            end[order],
            result[order],
            running[order],
        )
        dotted = rng.random(len(person)) < SHARE_DOTTED_TWE
        return pa.table(
            {
                TWE_HEADERS["client_id"]: _choose_text(
                    dotted, self.people.insz_dotted, self.people.insz_plain, person
                ),
                TWE_HEADERS["start_date"]: _format_dates(start, self.day_text),
                TWE_HEADERS["end_date"]: _format_dates(end, self.day_text),
                TWE_HEADERS["result"]: _pick(RAW_TWE_RESULT.values(), result, mask=running),
            }
        )

    def trajectory_changes(self) -> pa.Table:
        rng, n, c = self.rng, self.n, self.counts
        clients = np.sort(rng.permutation(n)[: c["changes_clients"]])
        oow = (
            np.sort(rng.choice(self.oow, c["changes_oow"], replace=False))
            if c["changes_oow"]
            else self.oow[:0]
        )
        person = np.r_[clients, oow]
        date = np.minimum(
            _weekday(self.intake[person] + rng.integers(7, 401, len(person))),
            np.datetime64("2020-03-20"),
        )
        new = (self.trajectory[person] + rng.integers(1, 4, len(person))) % 4
        order = np.lexsort((person, date))
        person, date, new = person[order], date[order], new[order]
        dotted = rng.random(len(person)) < SHARE_DOTTED_TWE
        return pa.table(
            {
                TRAJECTORY_CHANGE_HEADERS["client_id"]: _choose_text(
                    dotted, self.people.insz_dotted, self.people.insz_plain, person
                ),
                TRAJECTORY_CHANGE_HEADERS["change_date"]: _format_dates(date, self.day_text),
                TRAJECTORY_CHANGE_HEADERS["trajectory"]: _pick(RAW_TRAJECTORY.values(), new),
            }
        )

    def vdab_batches(self) -> Iterator[pa.Table]:
        """One table per snapshot (oldest first): the VDAB export in reference-date order."""
        rng = self.rng
        people = self.vdab_people
        n = len(people)
        work_codes, no_work_codes = list(WORK_CODES), list(NO_WORK_CODES)
        codes = work_codes + no_work_codes
        code_text = pa.array([f"{k:02d}" for k in codes], pa.string())
        labels = pa.array(
            [WORK_CODES[k][0] for k in work_codes] + [NO_WORK_CODES[k][0] for k in no_work_codes]
        )
        w_work = [WORK_CODES[k][1] for k in work_codes]
        w_none = [NO_WORK_CODES[k][1] for k in no_work_codes]
        offset = len(work_codes)
        ids = self.people.insz_plain.take(pa.array(people))
        steps = np.r_[1, _months_between(self.dates)]
        working = rng.random(n) < P_WORK_FIRST + self.vdab_work_bias
        code = np.where(working, _choice(rng, w_work, n), offset + _choice(rng, w_none, n))
        for i, date in enumerate(self.dates):
            if i:
                months = steps[i]
                p_find = 1 - (1 - P_FIND_WORK) ** months
                p_lose = 1 - (1 - P_LOSE_WORK) ** months
                p_change = 1 - (1 - P_CODE_CHANGE) ** months
                u = rng.random(n)
                switch = np.where(working, u < p_lose, u < p_find)
                working = working ^ switch
                redraw = switch | (rng.random(n) < p_change)
                fresh = np.where(working, _choice(rng, w_work, n), offset + _choice(rng, w_none, n))
                code = np.where(redraw, fresh, code)
            date_text = _format_dates(np.array([date]), self.day_text)[0].as_py()
            yield pa.table(
                {
                    VDAB_HEADERS["client_id"]: ids,
                    VDAB_HEADERS["reference_date"]: pa.repeat(pa.scalar(date_text, pa.string()), n),
                    VDAB_HEADERS["status_code"]: code_text.take(pa.array(code)),
                    VDAB_HEADERS["status_label"]: labels.take(pa.array(code)),
                }
            )


def _choose_text(
    use_first: np.ndarray, first: pa.Array, second: pa.Array, person: np.ndarray
) -> pa.Array:
    """``first[person]`` where ``use_first`` else ``second[person]`` (text, vectorised)."""
    import pyarrow.compute as pc

    return pc.if_else(
        pa.array(use_first), first.take(pa.array(person)), second.take(pa.array(person))
    )


def design_counts(
    n_clients: int, snapshots: str = "monthly", n_snapshots: int = 12
) -> dict[str, int]:
    """How many people and rows each export gets for ``n_clients`` clients (the design)."""
    n = int(n_clients)
    art60_clients = int(round(SHARE_ART60 * n))
    art60_second = int(round(SHARE_SECOND_CONTRACT * art60_clients))
    out_of_window = int(round(SHARE_OUT_OF_WINDOW * n))
    art60_oow = int(round(SHARE_OOW_ART60 * out_of_window))
    art60_nonclients = int(round(SHARE_NONCLIENT * (art60_clients + art60_second)))
    twe_clients = int(round(SHARE_TWE * n))
    twe_earlier = int(round(SHARE_EARLIER_TWE * twe_clients))
    twe_nonclients = int(round(SHARE_NONCLIENT * (twe_clients + twe_earlier)))
    changes_clients = int(round(SHARE_CHANGE * n))
    changes_oow = int(round(SHARE_CHANGE * out_of_window))
    vdab_clients = n - int(round(SHARE_NO_VDAB * n))
    vdab_nonclients = int(round(SHARE_NONCLIENT * n))
    duplicate_intakes = int(round(SHARE_DUPLICATE * n))
    snapshot_dates(snapshots, n_snapshots)  # validates
    return {
        "clients": n,
        "out_of_window": out_of_window,
        "duplicate_intakes": duplicate_intakes,
        "art60_clients": art60_clients,
        "art60_second": art60_second,
        "art60_oow": art60_oow,
        "art60_nonclients": art60_nonclients,
        "twe_clients": twe_clients,
        "twe_earlier": twe_earlier,
        "twe_nonclients": twe_nonclients,
        "changes_clients": changes_clients,
        "changes_oow": changes_oow,
        "vdab_clients": vdab_clients,
        "vdab_nonclients": vdab_nonclients,
        "snapshots": n_snapshots,
        "rows_clients": n + out_of_window + duplicate_intakes,
        "rows_art60": art60_clients + art60_second + art60_oow + art60_nonclients,
        "rows_twe": twe_clients + twe_earlier + twe_nonclients,
        "rows_vdab": (vdab_clients + out_of_window + vdab_nonclients) * n_snapshots,
        "rows_trajectory_changes": changes_clients + changes_oow,
    }


def _tables(n_clients: int, snapshots: str, n_snapshots: int, seed: int, fmt: str):
    gen = _Generator(n_clients, snapshots, n_snapshots, seed, fmt)
    # fixed order of random draws: clients, art60, twe, changes, then VDAB snapshot by snapshot
    tables = {"clients": gen.clients(), "art60": gen.art60(), "twe": gen.twe()}
    tables["trajectory_changes"] = gen.trajectory_changes()
    return tables, gen.vdab_batches()


def generate_scale(
    n_clients: int,
    snapshots: str = "monthly",
    n_snapshots: int = 12,
    seed: int = 1,
    fmt: str = "parquet",
) -> dict[str, pa.Table]:
    """The four raw exports as Arrow tables with the raw headers and raw text values, keyed
    ``clients``, ``art60``, ``twe`` and ``vdab`` (the VDAB table has one chunk per snapshot).
    ``fmt`` only decides the art. 60 dates: native ``date32`` for Parquet, text for CSV."""
    tables, vdab = _tables(n_clients, snapshots, n_snapshots, seed, fmt)
    return {**tables, "vdab": pa.concat_tables(list(vdab))}


# --------------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------------
# CSV layout of the demo: (encoding, line end); `;` everywhere.
CSV_LAYOUT = {
    "clients": ("cp1252", "\r\n"),
    "art60": ("utf-8", "\n"),
    "twe": ("utf-8", "\n"),
    "vdab": ("utf-8-sig", "\r\n"),
    "trajectory_changes": ("utf-8", "\n"),
}
_CSV_CHUNK = 1_000_000


def _csv_bytes(table: pa.Table, header: bool, encoding: str, eol: str) -> bytes:
    buffer = io.BytesIO()
    options = pacsv.WriteOptions(
        include_header=header,
        delimiter=";",
        eol=eol,
        quoting_style="none",
        quoting_header="none",
        batch_size=65536,
    )
    pacsv.write_csv(table, buffer, options)
    data = buffer.getvalue()
    if encoding == "cp1252":
        data = data.decode("utf-8").encode("cp1252")
    return data


def _write_csv(tables, path: Path, encoding: str, eol: str) -> None:
    with open(path, "wb") as handle:
        if encoding == "utf-8-sig":
            handle.write(b"\xef\xbb\xbf")
        header = True
        for table in tables:
            for start in range(0, max(table.num_rows, 1), _CSV_CHUNK):
                handle.write(_csv_bytes(table.slice(start, _CSV_CHUNK), header, encoding, eol))
                header = False


def _write_parquet(tables, path: Path) -> None:
    writer = None
    try:
        for table in tables:
            if writer is None:
                writer = pq.ParquetWriter(path, table.schema, compression="snappy")
            writer.write_table(table, row_group_size=1 << 20)
    finally:
        if writer is not None:
            writer.close()


def export_paths(outdir: str | Path, fmt: str = "parquet") -> dict[str, Path]:
    return {name: Path(outdir) / f"{stem}.{fmt}" for name, stem in EXPORT_STEMS.items()}


def write_scale(
    outdir: str | Path,
    n_clients: int,
    snapshots: str = "monthly",
    n_snapshots: int = 12,
    seed: int = 1,
    fmt: str = "parquet",
) -> dict[str, Path]:
    """Generate and write the four exports into ``outdir`` (``<stem>.parquet`` or ``.csv``).
    VDAB is streamed one snapshot at a time, so memory stays near one snapshot's rows."""
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    paths = export_paths(outdir, fmt)
    tables, vdab = _tables(n_clients, snapshots, n_snapshots, seed, fmt)
    parts = {name: [table] for name, table in tables.items()}
    parts["vdab"] = vdab
    for name in EXPORT_STEMS:
        if fmt == "parquet":
            _write_parquet(parts[name], paths[name])
        else:
            _write_csv(parts[name], paths[name], *CSV_LAYOUT[name])
    return paths


def scale_config(
    base: dict, paths: dict[str, str | Path], recode: str | Path | None = None
) -> dict:
    """A copy of ``base`` (the demo config as loaded from YAML) for generated exports: the
    export paths replaced (nothing else about the exports changes), no reference figures and no
    demo key (set ``COB_PSEUDO_KEY``); ``recode`` replaces the recoding table's path if given."""
    import copy

    config = copy.deepcopy(base)
    for name, path in paths.items():
        if name in config["exports"]:  # an optional export the config leaves out stays out
            config["exports"][name]["path"] = str(path)
    config["reference_figures"] = None
    config["pseudonymisation"] = {"allow_demo_key": False}
    if recode is not None:
        config["recode"] = str(recode)
    return config


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m cob_demo scale",
        description="Write uncalibrated synthetic exports of any size (same layout as the demo).",
    )
    parser.add_argument(
        "--clients", type=int, required=True, help="number of clients in the intake window"
    )
    parser.add_argument(
        "--snapshots",
        choices=SNAPSHOTS,
        default="monthly",
        help="VDAB snapshots: month ends or yearly (default: monthly)",
    )
    parser.add_argument(
        "--n-snapshots", type=int, default=12, help="number of VDAB snapshots (default: 12)"
    )
    parser.add_argument(
        "--format",
        choices=FORMATS,
        default="parquet",
        dest="fmt",
        help="file format (default: parquet)",
    )
    parser.add_argument("--outdir", type=Path, default=Path("data/scale"), help="output directory")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default: 1)")
    args = parser.parse_args(argv)
    paths = write_scale(
        args.outdir, args.clients, args.snapshots, args.n_snapshots, args.seed, args.fmt
    )
    counts = design_counts(args.clients, args.snapshots, args.n_snapshots)
    for name, path in paths.items():
        print(f"{name}: {path} ({counts['rows_' + name]} rows)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
