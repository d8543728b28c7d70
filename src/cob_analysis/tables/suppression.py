"""Small-cell suppression for publication: counts 1..k-1 become `<k`, plus secondary suppression
(cells shown as `x`, hidden only so that no small count comes back) so that no hidden count, and no statistic of a hidden row, can be derived from what is published.

Every table is seen as a vector of cells with the sums a reader knows (rows and columns add up to
their `Totaal`, group rows to the `Totaal` row, also for the sums n * mean behind a mean). After
the greedy rule (no sum with exactly one hidden cell) an attacker is simulated: for each hidden
cell the smallest and largest value consistent with the published sums (whole numbers, at least 1
where the cell is not 0, at most k-1 where it is a small count) is solved for; while one is pinned
down, one more cell of its sums is hidden. Percentages whose base is hidden are blanked.

When even with every cell hidden a count is still pinned down (the groups and the total too small,
e.g. four groups of 1: four counts of at least 1 whose total is below k are all 1), the table's
counts are withheld: every count shown as `x` (saying nothing, not even whether it is small), its
percentages and statistics blanked, and a note in the table's meta says so."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.optimize import Bounds, LinearConstraint, milp

from cob_analysis.labels import text, value_label
from cob_analysis.tables_io import TOTAL

SECONDARY = "x"  # a count hidden only to protect a small one: printing it as `<k` would mislead
WITHHELD = SECONDARY  # every count of a table that cannot be protected otherwise (a note says so)
TOTAL_LABELS = frozenset({TOTAL, value_label(TOTAL, "en")})


@dataclass
class _Cells:
    """The cells of one table as a vector, with what a reader knows about them."""

    values: np.ndarray
    sums: list[tuple[list[int], int]]  # (parts, total): the parts add up to the total cell
    is_total: np.ndarray
    counts: np.ndarray  # whole numbers (else a real, such as n * mean)
    at_most: list[tuple[int, int]] = field(default_factory=list)  # (i, j): cell i <= cell j
    ties: dict[int, list[int]] = field(default_factory=dict)  # cells hidden along with a cell
    fixed: np.ndarray | None = None  # known from elsewhere: never hidden, never unknown


def _hide(cells: _Cells, hidden: np.ndarray, cell: int) -> None:
    stack = [cell]
    while stack:
        c = stack.pop()
        if not hidden[c]:
            hidden[c] = True
            stack.extend(cells.ties.get(c, ()))


def _hideable(cells: _Cells, hidden: np.ndarray, candidates) -> list[int]:
    return [
        c for c in candidates if not hidden[c] and not (cells.fixed is not None and cells.fixed[c])
    ]


def _close_sums(cells: _Cells, hidden: np.ndarray) -> None:
    """Greedy: while a sum has exactly one hidden cell, hide its smallest visible positive part
    (else a zero part, else the total)."""
    values = cells.values
    changed = True
    while changed:
        changed = False
        for parts, total in cells.sums:
            if sum(bool(hidden[c]) for c in (*parts, total)) != 1:
                continue
            interior = _hideable(cells, hidden, parts)
            if hidden[total] and not interior:
                continue
            candidates = (
                [c for c in interior if values[c] > 0]
                or interior
                or _hideable(cells, hidden, [total])
            )
            if not candidates:
                continue
            _hide(cells, hidden, min(candidates, key=lambda c: (values[c], c)))
            changed = True


def _audit(cells: _Cells, hidden: np.ndarray, primary: np.ndarray, k: int, markers: bool = True):
    """A test of whether one hidden cell's value follows from the published cells: its smallest
    and largest value under every published sum, solved as an integer program. `markers`: the
    hidden cells are shown as `<k` or `x` (else all as the withheld marker, which tells nothing)."""
    unknown = np.flatnonzero(hidden)
    column = {int(cell): j for j, cell in enumerate(unknown)}
    values = cells.values
    rows, lower, upper = [], [], []

    def add(terms: list[tuple[int, float]], low: float, high: float) -> None:
        coef, known = np.zeros(len(unknown)), 0.0
        for cell, sign in terms:
            if hidden[cell]:
                coef[column[cell]] += sign
            else:
                known += sign * values[cell]
        if coef.any():
            rows.append(coef)
            lower.append(low - known)
            upper.append(high - known)

    for parts, total in cells.sums:
        add([(c, 1.0) for c in parts] + [(total, -1.0)], 0.0, 0.0)
    for small, large in cells.at_most:
        add([(small, 1.0), (large, -1.0)], -np.inf, 0.0)
    # a shown `<k` is 1..k-1; a shown `x` (hidden to protect another) is not small: k or more
    is_count = cells.counts[unknown]
    low = np.where(is_count & (values[unknown] >= 1), 1.0, 0.0)
    ceiling = 10.0 * (np.abs(values).sum() + k)  # stands for "no upper bound" (keeps it bounded)
    if markers:
        low = np.where(is_count & ~primary[unknown] & (values[unknown] >= k), float(k), low)
        bounds = Bounds(low, np.where(primary[unknown], k - 1.0, ceiling))
    else:
        bounds = Bounds(low, np.full(len(unknown), ceiling))
    integrality = cells.counts[unknown].astype(int)
    constraints = [LinearConstraint(np.array(rows), lower, upper)] if rows else []

    def pinned(cell: int) -> bool:
        ends = []
        for sign in (1.0, -1.0):
            objective = np.zeros(len(unknown))
            objective[column[cell]] = sign
            result = milp(
                objective, integrality=integrality, bounds=bounds, constraints=constraints
            )
            if result.status != 0:  # the true values are a solution, so this is a solver failure
                raise RuntimeError(
                    f"suppression audit: no solution for cell {cell} ({result.message})"
                )
            ends.append(sign * result.fun)
        return ends[1] - ends[0] < (
            0.5 if cells.counts[cell] else 1e-6 * max(1.0, abs(values[cell]))
        )

    return pinned


def _widen(cells: _Cells, hidden: np.ndarray, cell: int) -> bool:
    """Hide one more cell so that `cell` is no longer pinned: a cell of its sums, smallest first."""
    values = cells.values
    around = [(parts, total) for parts, total in cells.sums if cell in parts or cell == total]
    parts = _hideable(cells, hidden, dict.fromkeys(c for p, _ in around for c in p))
    candidates = (
        [c for c in parts if values[c] > 0]
        or parts
        or _hideable(cells, hidden, dict.fromkeys(t for _, t in around))
    )
    if not candidates:
        rest = _hideable(cells, hidden, range(len(values)))
        candidates = [c for c in rest if values[c] > 0] or rest
    if not candidates:
        return False
    _hide(cells, hidden, min(candidates, key=lambda c: (bool(cells.is_total[c]), values[c], c)))
    return True


def _protect(cells: _Cells, primary: np.ndarray, k: int) -> tuple[np.ndarray, bool]:
    """Primary cells plus secondary ones, until no hidden cell can be derived: (hidden, True).
    If that cannot be done (a cell stays pinned down with every cell hidden): the table is
    withheld, (every cell that can be hidden, False)."""
    hidden = np.zeros(len(cells.values), dtype=bool)
    for cell in np.flatnonzero(primary):
        _hide(cells, hidden, int(cell))
    safe: set[int] = set()  # hiding more never pins a cell down: checked once is enough
    while True:
        _close_sums(cells, hidden)
        pinned, exposed = _audit(cells, hidden, primary, k), None
        for cell in map(int, np.flatnonzero(hidden)):
            if cell in safe:
                continue
            if pinned(cell):
                exposed = cell
                break
            safe.add(cell)
        if exposed is None:
            return hidden, True
        if not _widen(cells, hidden, exposed):
            return _withhold(cells, primary, k), False


def _withhold(cells: _Cells, primary: np.ndarray, k: int) -> np.ndarray:
    """Every cell hidden (as the withheld marker, saying nothing of its size); an error if a small
    count is pinned down all the same (only subtotals published elsewhere can do that): a pinned
    count is never published silently."""
    hidden = np.ones(len(cells.values), dtype=bool)
    if cells.fixed is not None:
        hidden &= ~cells.fixed
    pinned = _audit(cells, hidden, np.zeros(len(hidden), dtype=bool), k, markers=False)
    exposed = [int(c) for c in np.flatnonzero(hidden & primary) if pinned(int(c))]
    if exposed:
        raise RuntimeError(
            f"suppression: small counts (cells {exposed}) follow from subtotals published "
            "elsewhere even with the whole table withheld"
        )
    return hidden


def _small(values: np.ndarray, k: int) -> np.ndarray:
    return (values >= 1) & (values < k)


def suppress_matrix(full: pd.DataFrame, k: int) -> pd.DataFrame:
    """Boolean mask of cells to hide in a table whose last row and column are `Totaal` sums.

    Primary: 1 <= n < k. Secondary: while a row or column (its cells and its total) has exactly
    one hidden cell, also hide its smallest visible positive cell (else the total); then more
    while the row and column sums still pin a hidden cell down. Every cell if the table is
    withheld (see `_matrix_mask`)."""
    return _matrix_mask(full, k)[0]


def _matrix_mask(full: pd.DataFrame, k: int) -> tuple[pd.DataFrame, bool]:
    """`suppress_matrix`'s mask and whether the table is withheld (no hiding protects it)."""
    values = full.to_numpy(dtype=float)
    n_rows, n_cols = values.shape

    def at(r: int, c: int) -> int:
        return r * n_cols + c

    sums = [([at(r, c) for c in range(n_cols - 1)], at(r, n_cols - 1)) for r in range(n_rows)]
    sums += [([at(r, c) for r in range(n_rows - 1)], at(n_rows - 1, c)) for c in range(n_cols)]
    is_total = np.zeros(values.shape, dtype=bool)
    is_total[-1, :] = is_total[:, -1] = True
    flat = values.ravel()
    cells = _Cells(flat, sums, is_total.ravel(), np.ones(flat.size, dtype=bool))
    hidden, protected = _protect(cells, _small(flat, k), k)
    return pd.DataFrame(
        hidden.reshape(values.shape), index=full.index, columns=full.columns
    ), not protected


def _blank_pct(out: pd.DataFrame, mask: pd.Series) -> None:
    """Blank the percentages in `mask` (where not 0: a 0 % tells nothing of its base)."""
    pct = pd.to_numeric(out["pct"], errors="coerce")
    out.loc[mask & pct.notna() & (pct != 0), "pct"] = None


def suppress_crosstab(long: pd.DataFrame, k: int) -> pd.DataFrame:
    """Long `row,col,n,pct` -> the same with hidden cells as `<k` (n) and blank (pct), and blank
    percentages of visible cells whose base (row or column total) is hidden."""
    return _suppress_crosstab(long, k)[0]


def _withheld(table: pd.DataFrame, n_columns: list, blank: list) -> pd.DataFrame:
    """`table` with every count in `n_columns` as the withheld marker and `blank` blanked."""
    out = table.copy()
    for column in n_columns:
        out[column] = WITHHELD
    for column in blank:
        out[column] = out[column].astype(object)
        out[column] = None
    return out


def _suppress_crosstab(long: pd.DataFrame, k: int) -> tuple[pd.DataFrame, bool]:
    """`suppress_crosstab` and whether the table is withheld."""
    wide = long.pivot(index="row", columns="col", values="n")
    rows = list(dict.fromkeys(long["row"]))
    cols = list(dict.fromkeys(long["col"]))
    wide = wide.reindex(index=rows, columns=cols)
    mask, withheld = _matrix_mask(wide, k)
    if withheld:
        return _withheld(long, ["n"], [c for c in ("pct",) if c in long.columns]), True
    hidden = long.apply(lambda r: bool(mask.loc[r["row"], r["col"]]), axis=1)
    out = _apply(
        long, hidden, k, primary=pd.Series(_small(long["n"].to_numpy(float), k), index=long.index)
    )
    if "pct" in out.columns:
        row_base, col_base = _pct_bases(long, wide, rows, cols)
        base_hidden = pd.Series(False, index=long.index)
        if row_base:
            base_hidden |= long["row"].map(mask[cols[-1]]).astype(bool)
        if col_base:
            base_hidden |= long["col"].map(mask.loc[rows[-1]]).astype(bool)
        _blank_pct(out, base_hidden & ~hidden)
    return out, False


def _pct_bases(long: pd.DataFrame, wide: pd.DataFrame, rows: list, cols: list) -> tuple[bool, bool]:
    """Whether percentages are of the row total, of the column total (both when unclear)."""
    pct = long.pivot(index="row", columns="col", values="pct").reindex(index=rows, columns=cols)
    row_pct = ((pct[cols[-1]] == 100) | (wide[cols[-1]] == 0)).all()
    col_pct = ((pct.loc[rows[-1]] == 100) | (wide.loc[rows[-1]] == 0)).all()
    if row_pct != col_pct:
        return bool(row_pct), bool(col_pct)
    return True, True


def suppress_oneway(
    table: pd.DataFrame, k: int, label: str = "row", groups: dict[str, str] | None = None
) -> pd.DataFrame:
    """One-way `...,n,pct` with a `Totaal` row last (if present). `groups` (row label -> group)
    names subtotals published elsewhere (e.g. codes by recoded status): they are protected too."""
    return _suppress_oneway(table, k, label, groups)[0]


def _suppress_oneway(
    table: pd.DataFrame, k: int, label: str = "row", groups: dict[str, str] | None = None
) -> tuple[pd.DataFrame, bool]:
    """`suppress_oneway` and whether the table is withheld."""
    is_total = table[label].isin(TOTAL_LABELS).to_numpy()
    counts = table["n"].to_numpy(dtype=float)
    members = list(np.flatnonzero(~is_total))
    if is_total.any():
        total = int(np.flatnonzero(is_total)[-1])
        values = counts.copy()
    else:  # no total row: its sum is taken as known all the same
        total = len(counts)
        values = np.append(counts, counts.sum())
    sums = [(members, total)]
    fixed = np.zeros(len(values), dtype=bool)
    if groups:
        labels_of = table[label].to_numpy()
        for name in dict.fromkeys(groups.values()):
            rows = [r for r in members if groups.get(labels_of[r]) == name]
            if rows:
                sums.append((rows, len(values)))
                values = np.append(values, values[rows].sum())
                fixed = np.append(fixed, True)
    flags = np.zeros(len(values), dtype=bool)
    flags[total] = True
    cells = _Cells(values, sums, flags, np.ones(len(values), dtype=bool), fixed=fixed)
    primary = _small(values, k) & ~fixed
    mask, protected = _protect(cells, primary, k)
    if not protected:
        return _withheld(table, ["n"], [c for c in ("pct",) if c in table.columns]), True
    hidden = pd.Series(mask[: len(table)], index=table.index)
    out = _apply(table, hidden, k, primary=pd.Series(primary[: len(table)], index=table.index))
    if "pct" in out.columns and is_total.any() and hidden.iloc[total]:
        _blank_pct(out, ~hidden)
    return out, False


def _apply(table: pd.DataFrame, hidden: pd.Series, k: int, primary: pd.Series) -> pd.DataFrame:
    """Hidden small counts as `<k`, the others hidden with them as `x`; their percentages blank."""
    out = table.copy()
    out["n"] = out["n"].astype(object)
    out.loc[hidden & ~primary, "n"] = SECONDARY
    out.loc[hidden & primary, "n"] = f"<{k}"
    if "pct" in out.columns:
        out["pct"] = out["pct"].astype(object)
        out.loc[hidden, "pct"] = None
    return out


def suppress_stats(table: pd.DataFrame, k: int, n_columns: list[str]) -> pd.DataFrame:
    """Statistics rows (a group per row, `Totaal` row last): counts 1..k-1 as `<k` and, so that
    neither they nor the sums n * mean come back from the total, the next smallest group row
    too; every statistic of a hidden row blanked, and every percentage if a total is hidden."""
    return _suppress_stats(table, k, n_columns)[0]


def _suppress_stats(table: pd.DataFrame, k: int, n_columns: list[str]) -> tuple[pd.DataFrame, bool]:
    """`suppress_stats` and whether the table is withheld."""
    out = table.copy().astype(object)
    label = table.columns[0]
    stat_columns = [c for c in table.columns if c not in (label, *n_columns)]
    n_rows = len(table)
    is_total_row = table[label].isin(TOTAL_LABELS).to_numpy()
    counts = [pd.to_numeric(table[c], errors="coerce").fillna(0).to_numpy(float) for c in n_columns]
    means = [c for c in stat_columns if str(c).startswith("mean")] if len(n_columns) == 1 else []
    sums_of = [
        counts[0] * pd.to_numeric(table[c], errors="coerce").fillna(0).to_numpy(float)
        for c in means
    ]
    totals = np.flatnonzero(is_total_row)
    groups = list(np.flatnonzero(~is_total_row))
    if len(totals) == 1:  # the total of a sum is the sum of its groups, whatever the rounding
        for layer in sums_of:
            layer[totals[0]] = layer[groups].sum()
    values = np.concatenate([*counts, *sums_of]) if n_rows else np.zeros(0)
    n_count_cells = len(n_columns) * n_rows
    sums = (
        [
            ([j * n_rows + r for r in groups], j * n_rows + int(totals[0]))
            for j in range(len(n_columns) + len(means))
        ]
        if len(totals) == 1
        else []
    )
    at_most = [
        (a * n_rows + r, b * n_rows + r)
        for a in range(len(n_columns))
        for b in range(len(n_columns))
        if a != b and (counts[a] <= counts[b]).all()
        for r in range(n_rows)
    ]
    ties: dict[int, list[int]] = {}
    for r in range(n_rows):
        layers = [n_count_cells + m * n_rows + r for m in range(len(means))]
        for j in range(len(n_columns)):
            ties[j * n_rows + r] = layers
        for cell in layers:
            ties[cell] = [r]
    flags = np.zeros(len(values), dtype=bool)
    flags[[j * n_rows + int(t) for j in range(len(n_columns) + len(means)) for t in totals]] = True
    is_count = np.arange(len(values)) < n_count_cells
    cells = _Cells(values, sums, flags, is_count, at_most=at_most, ties=ties)
    primary = _small(values, k) & is_count
    hidden, protected = _protect(cells, primary, k)
    if not protected:
        out.loc[:, stat_columns] = np.nan
        out.loc[:, n_columns] = WITHHELD
        return out, True
    row_hidden = np.zeros(n_rows, dtype=bool)
    for j, n_column in enumerate(n_columns):
        column_hidden = hidden[j * n_rows : (j + 1) * n_rows]
        column_primary = primary[j * n_rows : (j + 1) * n_rows]
        out.loc[column_hidden & ~column_primary, n_column] = SECONDARY
        out.loc[column_hidden & column_primary, n_column] = f"<{k}"
        row_hidden |= column_hidden
    if stat_columns:
        out.loc[row_hidden, stat_columns] = np.nan
        if (row_hidden & is_total_row).any():
            for column in (c for c in stat_columns if str(c).startswith("pct")):
                pct = pd.to_numeric(out[column], errors="coerce")
                out.loc[pct.notna() & (pct != 0), column] = np.nan
    return out, False


def publish_table(frame: pd.DataFrame, meta: dict, k: int, language: str = "nl") -> pd.DataFrame:
    """The public version of one output table, by its kind. `meta` is updated in place: a
    crosstab with hidden cells loses its association statistics (chi-square, its p and V, the
    minimum expected count would give the hidden cells back); a withheld table (no hiding
    protects its small counts: every count shown as `x`) gets a note saying so, in `language`."""
    if meta["kind"] == "crosstab":
        out, withheld = _suppress_crosstab(frame, k)
        if meta.get("association") and out["n"].isin([f"<{k}", SECONDARY, WITHHELD]).any():
            meta["association"] = None
    elif meta["kind"] == "oneway":
        label = "label" if "label" in frame.columns else "row"
        out, withheld = _suppress_oneway(
            frame, k, label=label, groups=(meta.get("extra") or {}).get("row_groups")
        )
    else:
        n_columns = [c for c in frame.columns if c == "n" or c.startswith("n_")]
        out, withheld = _suppress_stats(frame, k, n_columns)
    if withheld:
        meta["notes"] = [*meta.get("notes", []), withheld_note(k, language)]
    return out


def withheld_note(k: int, language: str) -> str:
    """The note of a withheld table (`table.public_withheld` in the catalogue)."""
    return text("public_withheld", language, k=k, mark=WITHHELD)


def public_tables(
    tables: list[tuple[pd.DataFrame, dict]], k: int, language: str
) -> list[tuple[pd.DataFrame, dict]]:
    """Rule `public_tables`: each (frame, meta) with small counts suppressed (secondary cells
    too) and the rule stated in its notes."""
    note = text("public_note", language, below=k - 1, k=k, secondary=SECONDARY)
    out = []
    for frame, meta in tables:
        meta = {**meta, "notes": [*meta.get("notes", []), note]}
        out.append((publish_table(frame, meta, k, language), meta))
    return out
