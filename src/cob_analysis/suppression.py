"""Small-cell suppression for publication: counts 1..k-1 become `<k`, plus secondary
suppression so that no hidden count can be derived from its row or column totals."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .tables_io import TOTAL


def suppress_matrix(full: pd.DataFrame, k: int) -> pd.DataFrame:
    """Boolean mask of cells to hide in a table whose last row and column are `Totaal` sums.

    Primary: 1 <= n < k. Secondary: while a row or column constraint (its cells and its total)
    has exactly one hidden cell, also hide its smallest visible positive cell (else the total)."""
    values = full.to_numpy(dtype=float)
    hidden = (values >= 1) & (values < k)
    n_rows, n_cols = values.shape

    def constraints():
        for r in range(n_rows):
            yield [(r, c) for c in range(n_cols)]
        for c in range(n_cols):
            yield [(r, c) for r in range(n_rows)]

    changed = True
    while changed:
        changed = False
        for cells in constraints():
            flagged = [cell for cell in cells if hidden[cell]]
            if len(flagged) != 1:
                continue
            interior = [cell for cell in cells[:-1] if not hidden[cell]]
            candidates = [cell for cell in interior if values[cell] > 0] or interior or [cells[-1]]
            if hidden[cells[-1]] and not interior:
                continue
            choice = min(candidates, key=lambda cell: (values[cell], cell))
            hidden[choice] = True
            changed = True
    return pd.DataFrame(hidden, index=full.index, columns=full.columns)


def suppress_crosstab(long: pd.DataFrame, k: int) -> pd.DataFrame:
    """Long `row,col,n,pct` -> the same with hidden cells as `<k` (n) and blank (pct)."""
    wide = long.pivot(index="row", columns="col", values="n")
    rows = list(dict.fromkeys(long["row"]))
    cols = list(dict.fromkeys(long["col"]))
    wide = wide.reindex(index=rows, columns=cols)
    mask = suppress_matrix(wide, k)
    hidden = long.apply(lambda r: bool(mask.loc[r["row"], r["col"]]), axis=1)
    return _apply(long, hidden, k)


def suppress_oneway(table: pd.DataFrame, k: int, label: str = "row") -> pd.DataFrame:
    """One-way `...,n,pct` with a `Totaal` row last (if present)."""
    has_total = (table[label] == TOTAL).any()
    counts = table["n"].to_numpy(dtype=float)
    column = pd.DataFrame({"n": counts})
    if not has_total:
        column.loc[len(column)] = counts.sum()
    mask = suppress_matrix(column.assign(total=column["n"]), k)["n"].to_numpy()[: len(table)]
    return _apply(table, pd.Series(mask, index=table.index), k)


def _apply(table: pd.DataFrame, hidden: pd.Series, k: int) -> pd.DataFrame:
    out = table.copy()
    out["n"] = out["n"].astype(object)
    out.loc[hidden, "n"] = f"<{k}"
    if "pct" in out.columns:
        out["pct"] = out["pct"].astype(object)
        out.loc[hidden, "pct"] = None
    return out


def suppress_stats(table: pd.DataFrame, k: int, n_columns: list[str]) -> pd.DataFrame:
    """Statistics rows based on fewer than k clients: counts as `<k`, every statistic blanked."""
    out = table.copy().astype(object)
    for n_column in n_columns:
        small = pd.to_numeric(table[n_column], errors="coerce").between(1, k - 1)
        if small.any():
            stat_columns = [c for c in out.columns if c not in (out.columns[0], *n_columns)]
            out.loc[small, n_column] = f"<{k}"
            out.loc[small, stat_columns] = np.nan
    return out


def publish_table(frame: pd.DataFrame, meta: dict, k: int) -> pd.DataFrame:
    """The public version of one output table, by its kind."""
    if meta["kind"] == "crosstab":
        return suppress_crosstab(frame, k)
    if meta["kind"] == "oneway":
        label = "label" if "label" in frame.columns else "row"
        return suppress_oneway(frame, k, label=label)
    n_columns = [c for c in frame.columns if c == "n" or c.startswith("n_")]
    return suppress_stats(frame, k, n_columns)
