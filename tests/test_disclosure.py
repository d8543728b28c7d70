"""Disclosure audit of the public tables: an attacker tries to recover every hidden cell.

The attacker reads only the published table (plus, to be on the safe side, which hidden cells
are small counts and which are not 0). Unknowns: the hidden counts (whole numbers, at least 1
where not 0, at most k-1 for a small count) and, in statistics tables, the sums n * mean of the
hidden rows. Known relations: rows and columns add up to their totals, group rows to `Totaal`
(also the sums, from the rounded means), every shown percentage (rounded: n / base within
0.05 %), sub-counts at most their count, and days between the total's min and max. For each
unknown the smallest and largest value are solved for (integer programming); none may be pinned.
A withheld table (its meta notes say so; every count shown as `x`) tells nothing of its counts
but the relations (and, granted to the attacker, which are not 0).
"""

from __future__ import annotations

import argparse
import io
import json

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from scipy.optimize import Bounds, LinearConstraint, milp

from cob_analysis import categories
from cob_analysis.stats.association import chi_square_test
from cob_analysis.survival.timing import art60_timing
from cob_analysis.tables.crosstabs import crosstab
from cob_analysis.tables.report import build_art60_by_trajectory
from cob_analysis.tables.suppression import (
    public_tables,
    publish_table,
    suppress_crosstab,
    suppress_oneway,
    withheld_note,
)
from cob_analysis.tables_io import TOTAL, TableMeta, percentage, write_table

K = 5
HIDDEN = f"<{K}"
SECONDARY = "x"
BIG = 1e7
CONFIG = {"language": "nl", "pct_decimals": 1}


class Attack:
    """Unknowns with bounds, linear relations between them and known numbers."""

    def __init__(self):
        self.index: dict = {}
        self.low: list[float] = []
        self.high: list[float] = []
        self.integer: list[int] = []
        self.rows: list[tuple[dict, float, float]] = []

    def unknown(self, name, low: float, high: float = BIG, integer: bool = True):
        self.index[name] = len(self.low)
        self.low.append(low)
        self.high.append(high)
        self.integer.append(int(integer))
        return name

    def relate(self, terms, low: float = -np.inf, high: float = np.inf) -> None:
        """low <= sum(coef * x) <= high; an x is an unknown's name or a number."""
        coefs, known = {}, 0.0
        for coef, x in terms:
            if isinstance(x, (int, float, np.integer, np.floating)) and not isinstance(x, bool):
                known += coef * float(x)
            else:
                coefs[self.index[x]] = coefs.get(self.index[x], 0.0) + coef
        if coefs:
            self.rows.append((coefs, low - known, high - known))

    def equal(self, terms, value: float = 0.0) -> None:
        self.relate(terms, value, value)

    def ranges(self) -> dict:
        n = len(self.low)
        matrix = np.zeros((len(self.rows), n))
        for i, (coefs, _, _) in enumerate(self.rows):
            for j, c in coefs.items():
                matrix[i, j] = c
        constraints = [
            LinearConstraint(matrix, [r[1] for r in self.rows], [r[2] for r in self.rows])
        ]
        out = {}
        for name, j in self.index.items():
            ends = []
            for sign in (1.0, -1.0):
                objective = np.zeros(n)
                objective[j] = sign
                result = milp(
                    objective,
                    integrality=self.integer,
                    bounds=Bounds(self.low, self.high),
                    constraints=constraints if self.rows else [],
                )
                assert result.status == 0, (name, result.message)
                ends.append(sign * result.fun)
            out[name] = (ends[0], ends[1])
        return out


def count_bounds(true: float, shown: str = HIDDEN, withheld: bool = False) -> tuple[float, float]:
    """What a reader knows of a hidden count from its marker: `<k` is 1..k-1; `x` is not small
    (k or more, or 0: the attacker is granted which of the two); in a withheld table nothing
    (but whether it is 0)."""
    if withheld:
        return (1.0 if true >= 1 else 0.0), BIG
    if shown == SECONDARY:
        return (float(K) if true >= 1 else 0.0), BIG
    return (1.0 if true >= 1 else 0.0), (K - 1.0 if 1 <= true < K else BIG)


def is_hidden(value) -> bool:
    return isinstance(value, str) and value in (HIDDEN, SECONDARY)


def is_blank(value) -> bool:
    return value is None or value == "" or (isinstance(value, float) and np.isnan(value))


def shown_pct(attack: Attack, pct, numerator, base) -> None:
    """A shown percentage: n / base * 100 rounded half-up to 0.1."""
    if is_blank(pct):
        return
    p = float(pct)
    attack.relate([(100.0, numerator), (-(p + 0.05) - 1e-9, base)], high=0.0)
    attack.relate([(100.0, numerator), (-(p - 0.05) + 1e-9, base)], low=0.0)


def pinned(ranges: dict, real: set = frozenset(), slack: dict | None = None) -> list:
    """Unknowns whose value the attacker knows (a count to the unit, a sum to its rounding)."""
    slack = slack or {}
    return [
        name
        for name, (lo, hi) in ranges.items()
        if hi - lo < (slack.get(name, 1e-6) if name in real else 0.5)
    ]


# --- the attacks, one per kind of table ---------------------------------------------------------


def attack_crosstab(
    private: pd.DataFrame, public: pd.DataFrame, percent: str, withheld: bool = False
) -> list:
    rows, cols = list(dict.fromkeys(private["row"])), list(dict.fromkeys(private["col"]))
    true = private.set_index(["row", "col"])["n"]
    shown = public.set_index(["row", "col"])
    attack, cell = Attack(), {}
    for key in true.index:
        n = shown.loc[key, "n"]
        cell[key] = (
            attack.unknown(key, *count_bounds(true[key], n, withheld)) if is_hidden(n) else float(n)
        )
    for r in rows:
        attack.equal([(1.0, cell[r, c]) for c in cols[:-1]] + [(-1.0, cell[r, cols[-1]])])
    for c in cols:
        attack.equal([(1.0, cell[r, c]) for r in rows[:-1]] + [(-1.0, cell[rows[-1], c])])
    for r, c in true.index:
        base = cell[r, cols[-1]] if percent == "row" else cell[rows[-1], c]
        shown_pct(attack, shown.loc[(r, c), "pct"], cell[r, c], base)
    return pinned(attack.ranges())


def attack_oneway(
    private: pd.DataFrame, public: pd.DataFrame, label: str = "row", withheld: bool = False
) -> list:
    attack, cell = Attack(), []
    for i, (n_true, n) in enumerate(zip(private["n"], public["n"], strict=True)):
        cell.append(
            attack.unknown(("n", i), *count_bounds(n_true, n, withheld))
            if is_hidden(n)
            else float(n)
        )
    total = [i for i, v in enumerate(private[label]) if v == TOTAL]
    if total:
        t = total[0]
        attack.equal([(1.0, cell[i]) for i in range(len(cell)) if i != t] + [(-1.0, cell[t])])
        for i, pct in enumerate(public["pct"]):
            shown_pct(attack, pct, cell[i], cell[t])
    return pinned(attack.ranges()) if attack.index else []


def attack_stats(
    private: pd.DataFrame,
    public: pd.DataFrame,
    n_columns: list[str],
    mean: str | None = None,
    pcts: dict | None = None,
    withheld: bool = False,
) -> list:
    """`pcts`: percentage column -> (numerator n column, base: an n column of the row, or
    ("total", n column) for the column's total)."""
    label = private.columns[0]
    groups = [i for i, v in enumerate(private[label]) if v != TOTAL]
    t = [i for i, v in enumerate(private[label]) if v == TOTAL][0]
    attack, n = Attack(), {}
    for column in n_columns:
        for i in range(len(private)):
            value = public[column].iloc[i]
            true = float(private[column].iloc[i])
            hidden = is_hidden(value)
            n[column, i] = (
                attack.unknown((column, i), *count_bounds(true, value, withheld))
                if hidden
                else float(value)
            )
        attack.equal([(1.0, n[column, i]) for i in groups] + [(-1.0, n[column, t])])
    for a in n_columns:  # a sub-count is at most its count (art. 60 starters of the clients)
        for b in n_columns:
            if a != b and (private[a].astype(float) <= private[b].astype(float)).all():
                for i in range(len(private)):
                    attack.relate([(1.0, n[a, i]), (-1.0, n[b, i])], high=0.0)
    for column, (numerator, base) in (pcts or {}).items():
        for i in range(len(private)):
            denominator = n[base[1], t] if isinstance(base, tuple) else n[base, i]
            shown_pct(attack, public[column].iloc[i], n[numerator, i], denominator)
    real, slack = set(), {}
    if mean:
        shown = pd.to_numeric(public[mean], errors="coerce")
        low = pd.to_numeric(public["min_days"], errors="coerce").iloc[t]
        high = pd.to_numeric(public["max_days"], errors="coerce").iloc[t]
        rounding = 0.0
        sums = {}
        for i in range(len(private)):
            count = n[n_columns[0], i]
            if not np.isnan(shown.iloc[i]):  # n * mean, up to the rounding of the mean
                sums[i] = attack.unknown(("sum", i), 0.0, integer=False)
                attack.relate([(1.0, sums[i]), (-(shown.iloc[i] - 0.05), count)], low=0.0)
                attack.relate([(1.0, sums[i]), (-(shown.iloc[i] + 0.05), count)], high=0.0)
                rounding += 0.1 * (float(count) if not isinstance(count, tuple) else BIG)
            elif isinstance(count, tuple):  # hidden row: days between the total's min and max
                sums[i] = attack.unknown(("sum", i), 0.0, integer=False)
                real.add(("sum", i))
                if not np.isnan(low):
                    attack.relate([(1.0, sums[i]), (-low, count)], low=0.0)
                    attack.relate([(1.0, sums[i]), (-high, count)], high=0.0)
            else:
                sums[i] = 0.0
        attack.equal([(1.0, sums[i]) for i in groups] + [(-1.0, sums[t])])
        slack = {name: rounding + 1e-6 for name in real}
    ranges = attack.ranges()
    return pinned({k: v for k, v in ranges.items() if k[0] != "sum" or k in real}, real, slack)


# --- building tables ----------------------------------------------------------------------------


def from_counts(counts, rows, cols, percent="row") -> pd.DataFrame:
    """The private long table of a rows x cols matrix of counts, as report_tables makes it."""
    counts = np.asarray(counts)
    r_idx, c_idx = np.nonzero(counts >= 0)
    reps = counts[r_idx, c_idx]
    frame = pd.DataFrame(
        {
            "g": np.repeat(np.array(rows, dtype=object)[r_idx], reps),
            "w": np.repeat(np.array(cols, dtype=object)[c_idx], reps),
        }
    )
    return crosstab(
        frame, "g", "w", row_order=rows, col_order=cols, percent=percent, keep_empty_rows=True
    ).long


def oneway_table(counts, label="row") -> pd.DataFrame:
    total = int(sum(counts))
    table = pd.DataFrame(
        {label: [f"g{i}" for i in range(len(counts))] + [TOTAL], "n": [*map(int, counts), total]}
    )
    table["pct"] = percentage(table["n"], pd.Series(total, index=table.index))
    return table


def as_read(frame: pd.DataFrame) -> pd.DataFrame:
    """A table as `read_table` gives it back (text, with `n` and `pct` numbers)."""
    back = pd.read_csv(io.StringIO(frame.to_csv(index=False)), dtype=str, keep_default_na=False)
    for column in ("n", "pct"):
        if column in back.columns:
            back[column] = pd.to_numeric(back[column].replace("", None))
    return back


def timing_table(sizes, rng) -> pd.DataFrame:
    rows = [
        {"group": f"g{g}", "art60_started": True, "days_to_art60": int(d)}
        for g, size in enumerate(sizes)
        for d in rng.integers(0, 900, size)
    ]
    clients = pd.DataFrame(rows, columns=["group", "art60_started", "days_to_art60"])
    return art60_timing(clients, by="group", order=[f"g{g}" for g in range(len(sizes))])


def art60_table(sizes, starters) -> pd.DataFrame:
    trajectories = [*categories.ORDER["trajectory"], "Extra A", "Extra B"][: len(sizes)]
    rows = [
        {"trajectory": t, "client_key": 0, "art60_started": j < s, "observation_end": "2020-03-31"}
        for t, size, s in zip(trajectories, sizes, starters, strict=True)
        for j in range(size)
    ]
    clients = pd.DataFrame(
        rows, columns=["trajectory", "client_key", "art60_started", "observation_end"]
    )
    return build_art60_by_trajectory(clients.astype({"art60_started": bool}), CONFIG).frame


T07_PCTS = {
    "pct_of_all_clients": ("n_clients", ("total", "n_clients")),
    "pct_of_all_art60": ("n_with_art60", ("total", "n_with_art60")),
    "pct_art60_within_trajectory": ("n_with_art60", "n_clients"),
}
T08_N = ["n"]


def publish_stats(private: pd.DataFrame) -> pd.DataFrame:
    return publish_table(as_read(private), {"kind": "stats"}, K)


def published(
    private: pd.DataFrame, kind: str, language: str = "nl", **meta
) -> tuple[pd.DataFrame, bool]:
    """The public table and whether it is withheld (by its note); a withheld table shows every
    count as `x` and no percentage or statistic, and only a withheld table has the note."""
    meta = {"kind": kind, **meta}
    public = publish_table(as_read(private), meta, K, language)
    withheld = withheld_note(K, language) in meta.get("notes", [])
    n_columns = [c for c in public.columns if c == "n" or c.startswith("n_")]
    counts = public[n_columns].to_numpy().ravel()
    assert not withheld or (counts == SECONDARY).all()
    assert (
        withheld or not (counts == SECONDARY).all()
    )  # hidden cells protect a `<k` (else: withheld)
    if withheld:
        label = public.columns[0] if kind == "stats" else None
        derived = [
            c for c in public.columns if c not in (*n_columns, "row", "col", "label", "code", label)
        ]
        assert public[derived].map(is_blank).all().all()
        assert meta.get("association") is None
    return public, withheld


# --- the tester's example and what the attacker makes of the old output ---------------------------


def test_stats_example_120_small_95():
    private = timing_table([120, 3, 95], np.random.default_rng(1))
    assert private["n"].tolist() == [120, 3, 95, 218]
    public = publish_stats(private)
    assert public["n"].tolist() == [120, HIDDEN, SECONDARY, 218]
    stats = [c for c in public.columns if c not in ("group", "n")]
    assert public.loc[[1, 2], stats].isna().all().all()
    assert public.loc[[0, 3], stats].notna().all().all()
    assert attack_stats(private, public, T08_N, mean="mean_days") == []


def test_attacker_recovers_the_old_primary_only_output():
    private = timing_table([120, 3, 95], np.random.default_rng(1))
    old = as_read(private).astype(object)
    old.loc[1, "n"] = HIDDEN
    old.loc[1, [c for c in old.columns if c not in ("group", "n")]] = np.nan
    assert set(attack_stats(private, old, T08_N, mean="mean_days")) == {("n", 1), ("sum", 1)}


def test_attacker_recovers_a_total_from_a_percentage():
    """The old public t16: Hoog's total hidden, but 181 shown as 51.9 % of it (349)."""
    private = from_counts([[1, 0], [461, 484], [173, 194], [181, 168]], SCHOOLING, WORK)
    public = suppress_crosstab(private, K)
    assert attack_crosstab(private, public, "row") == []
    old = public.copy()
    old.loc[(old["row"] == "Hoog") & (old["col"] == WORK[0]), "pct"] = 51.9
    assert len(attack_crosstab(private, old, "row")) == 6  # every hidden cell


# --- the demo's public tables ------------------------------------------------------------------

WORK = list(categories.REPORT_WORK_COLUMNS)
SCHOOLING = ["Geen", "Laag", "Midden", "Hoog"]
NT2 = [
    "Niet geregistreerd",
    "0",
    "<1.1",
    "1.1",
    "1.2",
    "2.1",
    "2.2",
    "2.3",
    "2.4",
    "3.1",
    "3.2",
    "4.2",
]
NT2_COUNTS = [
    [3, 0],
    [377, 362],
    [170, 137],
    [128, 154],
    [83, 114],
    [20, 38],
    [19, 25],
    [8, 3],
    [6, 10],
    [0, 1],
    [0, 2],
    [2, 0],
]
HOUSEHOLD = ["Aanvragers met gezin ten laste", "Alleenstaande", "Onbekend", "Samenwoner"]
DEMO_CROSSTABS = {  # counts, row labels, col labels, percent, hidden cells in the demo's public table
    "t16": (
        [[1, 0], [461, 484], [173, 194], [181, 168]],
        SCHOOLING,
        WORK,
        "row",
        {
            ("Geen", WORK[0]),
            ("Geen", TOTAL),
            ("Midden", WORK[0]),
            ("Midden", WORK[1]),
            ("Hoog", WORK[1]),
            ("Hoog", TOTAL),
        },
    ),
    "t14": (
        NT2_COUNTS,
        NT2,
        WORK,
        "row",
        {
            ("Niet geregistreerd", WORK[0]),
            ("Niet geregistreerd", TOTAL),
            ("2.3", WORK[0]),
            ("2.3", WORK[1]),
            ("3.1", WORK[1]),
            ("3.1", TOTAL),
            ("3.2", WORK[1]),
            ("3.2", TOTAL),
            ("4.2", WORK[0]),
            ("4.2", TOTAL),
        },
    ),
    "t12": (
        [[144, 132], [1116, 111], [8, 4], [90, 55]],
        HOUSEHOLD,
        ["Man", "Vrouw"],
        "column",
        {
            ("Onbekend", "Man"),
            ("Onbekend", "Vrouw"),
            ("Samenwoner", "Man"),
            ("Samenwoner", "Vrouw"),
        },
    ),
}


@pytest.mark.parametrize("table_id", sorted(DEMO_CROSSTABS))
def test_demo_crosstabs_unchanged_and_safe(table_id):
    counts, rows, cols, percent, expected = DEMO_CROSSTABS[table_id]
    private = from_counts(counts, rows, cols, percent)
    public = suppress_crosstab(private, K)
    hidden = public["n"].map(is_hidden)
    assert set(zip(public.loc[hidden, "row"], public.loc[hidden, "col"], strict=True)) == expected
    assert attack_crosstab(private, public, percent) == []
    blanked = public["pct"].isna() & ~hidden
    changed = (
        {("Hoog", WORK[0])} if table_id == "t16" else set()
    )  # its base (Hoog's total) is hidden
    assert set(zip(public.loc[blanked, "row"], public.loc[blanked, "col"], strict=True)) == changed


def test_demo_oneway_tables_unchanged_and_safe():
    t02 = [213, 1, 40, 466, 1, 1, 1, 461, 76, 15, 17, 32, 334, 3, 1]
    private = oneway_table(t02, label="label")
    public = suppress_oneway(private, K, label="label")
    assert [i for i, n in enumerate(public["n"]) if is_hidden(n)] == [1, 4, 5, 6, 13, 14]
    assert attack_oneway(private, public, label="label") == []
    private = oneway_table([91, 81, 4, 3])  # t09
    public = suppress_oneway(private, K)
    assert public["n"].tolist() == [91, 81, HIDDEN, HIDDEN, 179]
    assert attack_oneway(private, public) == []


T02_WORK = [
    False,
    False,
    False,
    False,
    True,
    False,
    False,
    True,
    False,
    True,
    False,
    True,
    True,
    True,
    False,
]


def test_codes_with_their_recoded_totals():
    """t02 beside t04: the no-work codes add up to t04's `Geen werk`. Given the code -> group map,
    the four hidden no-work codes (1 each) get protection inside their group as well."""
    t02 = [213, 1, 40, 466, 1, 1, 1, 461, 76, 15, 17, 32, 334, 3, 1]
    private = oneway_table(t02)
    groups = {f"g{i}": "Werk" if w else "Geen werk" for i, w in enumerate(T02_WORK)}
    without = suppress_oneway(private, K)
    assert attack_grouped(private, without, groups)  # the linked tables give the 1s away
    public = publish_table(private, {"kind": "oneway", "extra": {"row_groups": groups}}, K)
    assert attack_grouped(private, public, groups) == []
    assert attack_oneway(private, public) == []


def attack_grouped(private, public, groups) -> list:
    attack, cell = Attack(), []
    for i, (n_true, n) in enumerate(zip(private["n"], public["n"], strict=True)):
        cell.append(
            attack.unknown(("n", i), *count_bounds(n_true, n)) if is_hidden(n) else float(n)
        )
    attack.equal([(1.0, c) for c in cell[:-1]] + [(-1.0, cell[-1])])
    for name in set(groups.values()):
        members = [i for i, label in enumerate(private["row"]) if groups.get(label) == name]
        attack.equal([(1.0, cell[i]) for i in members], float(private["n"].iloc[members].sum()))
    return pinned(attack.ranges()) if attack.index else []


# --- random tables -----------------------------------------------------------------------------


def random_counts(rng, shape):
    small = rng.random(shape) < 0.35
    return np.where(small, rng.integers(0, 5, shape), rng.integers(5, 120, shape))


@pytest.mark.parametrize("seed", range(60))
def test_random_crosstabs(seed):
    rng = np.random.default_rng(seed)
    shape = (int(rng.integers(2, 6)), int(rng.integers(2, 5)))
    percent = "row" if seed % 2 else "column"
    rows = [f"r{i}" for i in range(shape[0])]
    cols = [f"c{j}" for j in range(shape[1])]
    private = from_counts(random_counts(rng, shape), rows, cols, percent)
    public, withheld = published(private, "crosstab")
    assert attack_crosstab(private, public, percent, withheld) == []
    assert (public.loc[public["n"].map(is_hidden), "pct"].isna()).all()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.integers(0, 6), st.integers(5, 300)), min_size=1, max_size=8))
@example([1, 1, 1, 1])
def test_random_oneway(counts):
    private = oneway_table(counts)
    public, withheld = published(private, "oneway")
    assert attack_oneway(private, public, withheld=withheld) == []


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.one_of(st.integers(0, 6), st.integers(5, 150)), min_size=1, max_size=6),
    st.integers(0, 2**32 - 1),
)
@example([1, 1, 1, 1], 0)
def test_random_timing_tables(sizes, seed):
    private = timing_table(sizes, np.random.default_rng(seed))
    public, withheld = published(private, "stats")
    assert attack_stats(private, public, T08_N, mean="mean_days", withheld=withheld) == []
    stats = [c for c in public.columns if c not in ("group", "n")]
    hidden = public["n"].map(is_hidden)
    assert public.loc[hidden, stats].isna().all().all()


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(st.one_of(st.integers(0, 6), st.integers(5, 200)), st.floats(0, 1)),
        min_size=1,
        max_size=6,
    )
)
@example([(1, 1.0), (1, 0.0), (1, 1.0), (1, 1.0)])
def test_random_art60_tables(groups):
    sizes = [size for size, _ in groups]
    starters = [int(round(size * share)) for size, share in groups]
    private = art60_table(sizes, starters)
    public, withheld = published(private, "stats")
    assert (
        attack_stats(
            private, public, ["n_clients", "n_with_art60"], pcts=T07_PCTS, withheld=withheld
        )
        == []
    )


def test_art60_small_starters_hide_their_percentages():
    private = art60_table([494, 219, 633, 316], [217, 3, 215, 177])
    public = publish_stats(private)
    assert public["n_with_art60"].tolist() == ["217", HIDDEN, "215", SECONDARY, "612"]
    assert public["n_clients"].tolist() == ["494", "219", "633", "316", "1662"]
    pcts = list(T07_PCTS)
    assert public.loc[[1, 3], pcts].isna().all().all()
    assert attack_stats(private, public, ["n_clients", "n_with_art60"], pcts=T07_PCTS) == []


# --- what travels with a table -----------------------------------------------------------------


def t16_meta(private_counts) -> dict:
    counts = pd.DataFrame(private_counts, index=SCHOOLING, columns=WORK)
    return {"kind": "crosstab", "association": chi_square_test(counts)}


def test_chi_square_of_a_suppressed_table_gives_it_back():
    """The hidden cells of t16 move along one line; the published chi-square marks one point."""
    counts = [[1, 0], [461, 484], [173, 194], [181, 168]]
    chi2 = t16_meta(counts)["association"]["chi2"]
    matches = []
    for g in range(0, 170):  # every completion of the public t16 (g = Geen's hidden count)
        completion = [[g, 0], [461, 484], [174 - g, 193 + g], [181, 169 - g]]
        if abs(t16_meta(completion)["association"]["chi2"] - chi2) < 1e-9:
            matches.append(g)
    assert matches == [1]
    meta = t16_meta(counts)
    publish_table(from_counts(counts, SCHOOLING, WORK), meta, K)
    assert meta["association"] is None
    meta = t16_meta([[10, 20], [461, 484], [173, 194], [181, 168]])
    publish_table(
        from_counts([[10, 20], [461, 484], [173, 194], [181, 168]], SCHOOLING, WORK), meta, K
    )
    assert meta["association"]["chi2"] > 0  # nothing hidden: kept


def test_public_command_writes_the_reduced_meta(tmp_path):
    from cob_analysis.cli import cmd_public_tables as cmd_public

    counts = [[1, 0], [461, 484], [173, 194], [181, 168]]
    meta = TableMeta(
        id="t16_schooling_work",
        title="t",
        kind="crosstab",
        percent="row",
        association=t16_meta(counts)["association"],
    )
    write_table(from_counts(counts, SCHOOLING, WORK), meta, tmp_path / "tables")
    cmd_public(
        argparse.Namespace(
            config_json=json.dumps({"small_cell_threshold": K, "language": "nl"}),
            tables_dir=str(tmp_path / "tables"),
            public_dir=str(tmp_path / "public"),
            ids=["t16_schooling_work"],
        )
    )
    written = json.loads(
        (tmp_path / "public" / "meta" / "t16_schooling_work.json").read_text("utf-8")
    )
    assert written["association"] is None
    frame = pd.read_csv(tmp_path / "public" / "t16_schooling_work.csv", dtype=str)
    assert (frame["n"] == HIDDEN).sum() == 2 and frame["n"].map(is_hidden).sum() == 6


def test_two_small_cells_of_a_row_need_a_third():
    """Row r0 is 1, 1, 50 (52): with only the two 1s hidden they add up to 2, so both are 1."""
    rows, cols = ["r0", "r1", "r2"], ["a", "b", "c"]
    private = from_counts([[1, 1, 50], [30, 40, 60], [35, 45, 70]], rows, cols)
    public = suppress_crosstab(private, K)
    in_r0 = public[(public["row"] == "r0") & (public["col"] != TOTAL)]
    assert in_r0["n"].map(is_hidden).sum() == 3
    assert attack_crosstab(private, public, "row") == []


def test_english_total_row():
    private = oneway_table([100, 3, 50])
    english = private.replace({TOTAL: "Total"})
    assert suppress_oneway(english, K)["n"].tolist() == suppress_oneway(private, K)["n"].tolist()
    timing = timing_table([120, 3, 95], np.random.default_rng(1))
    public = publish_stats(timing.replace({TOTAL: "Total"}))
    assert public["n"].tolist() == [120, HIDDEN, SECONDARY, 218]


# --- tables no hiding protects: withheld ----------------------------------------------------------


def test_oneway_of_ones_is_withheld():
    """Four groups of 1 (total 4 < k): shown as `<k` they are four counts of at least 1 adding up to
    less than k, so all 1 whatever else is hidden. Every count is withheld instead."""
    private = oneway_table([1, 1, 1, 1])
    as_marked = private.astype(object)
    as_marked["n"], as_marked["pct"] = HIDDEN, None
    assert len(attack_oneway(private, as_marked)) == 5  # what `<k` everywhere gives away
    for language in ("nl", "en"):
        public, withheld = published(private, "oneway", language)
        assert withheld
        assert public["n"].tolist() == [SECONDARY] * 5 and public["pct"].isna().all()
        assert public["row"].tolist() == private["row"].tolist()
        assert attack_oneway(private, public, withheld=True) == []
    assert withheld_note(K, "nl") != withheld_note(K, "en")
    assert suppress_oneway(private, K)["n"].tolist() == [SECONDARY] * 5


def test_crosstab_with_every_row_and_the_total_small_is_withheld():
    rows, cols = ["r0", "r1"], ["a", "b"]
    private = from_counts([[1, 1], [1, 1]], rows, cols)
    association = chi_square_test(pd.DataFrame([[1, 1], [1, 1]], index=rows, columns=cols))
    meta = {"kind": "crosstab", "association": association, "notes": ["an earlier note"]}
    public = publish_table(as_read(private), meta, K, "en")
    assert meta["notes"] == ["an earlier note", withheld_note(K, "en")]
    assert meta["association"] is None
    assert (public["n"] == SECONDARY).all() and public["pct"].isna().all()
    assert attack_crosstab(private, public, "row", withheld=True) == []
    public, withheld = published(private, "crosstab")
    assert withheld


def test_stats_with_every_group_small_is_withheld():
    private = timing_table([1, 1, 1, 1], np.random.default_rng(0))
    assert private["n"].tolist() == [1, 1, 1, 1, 4]
    public, withheld = published(private, "stats")
    assert withheld and (public["n"] == SECONDARY).all()
    assert public["group"].tolist() == private["group"].tolist()
    assert public.drop(columns=["group", "n"]).isna().all().all()  # no mean, median, min or max
    assert attack_stats(private, public, T08_N, mean="mean_days", withheld=True) == []
    private = art60_table([1, 1, 1, 1], [1, 0, 1, 1])
    public, withheld = published(private, "stats")
    assert withheld and public[list(T07_PCTS)].isna().all().all()
    assert (
        attack_stats(private, public, ["n_clients", "n_with_art60"], pcts=T07_PCTS, withheld=True)
        == []
    )


def test_withheld_tables_are_deterministic_and_noted_in_the_report_language():
    tables = [
        (oneway_table([1, 1, 1, 1]), {"kind": "oneway", "notes": []}),
        (oneway_table([91, 81, 4, 3]), {"kind": "oneway", "notes": []}),
    ]
    for language in ("nl", "en"):
        first = public_tables(tables, K, language)
        again = public_tables(tables, K, language)
        for (frame, meta), (frame_again, meta_again) in zip(first, again, strict=True):
            pd.testing.assert_frame_equal(frame, frame_again)
            assert meta == meta_again
        (withheld, withheld_meta), (kept, kept_meta) = first
        assert withheld_meta["notes"][-1] == withheld_note(K, language)
        assert withheld_note(K, language) not in kept_meta["notes"]
        assert kept["n"].tolist() == [91, 81, HIDDEN, HIDDEN, 179]
    assert "achtergehouden" in withheld_note(K, "nl") and "withheld" in withheld_note(K, "en")


def test_small_counts_given_away_by_linked_subtotals_fail_loudly():
    """Two codes of 1 whose group (published elsewhere, e.g. t04) adds up to 2: withholding this
    table cannot hide them, so the public tables are not written (no silent disclosure)."""
    groups = {"g0": "A", "g1": "A", "g2": "B", "g3": "B"}
    with pytest.raises(RuntimeError, match="subtotals published elsewhere"):
        publish_table(
            oneway_table([1, 1, 50, 60]), {"kind": "oneway", "extra": {"row_groups": groups}}, K
        )
    public = publish_table(
        oneway_table([1, 2, 50, 60]), {"kind": "oneway", "extra": {"row_groups": groups}}, K
    )
    assert attack_grouped(oneway_table([1, 2, 50, 60]), public, groups) == []
