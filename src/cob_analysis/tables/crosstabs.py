"""Cross-tabs and one-way tables in the long form of the data contract."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from cob_analysis.storage import TEXT
from cob_analysis.tables_io import TOTAL, percentage


@dataclass
class CrossTab:
    long: pd.DataFrame  # row, col, n, pct
    counts: pd.DataFrame  # rows x cols, without totals (for tests of association)
    missing_excluded: int


def ordered_levels(values: pd.Series, order: tuple[str, ...] | list[str] | None) -> list[str]:
    """Levels in canonical order, then any others present in sorted order."""
    present = [v for v in pd.unique(values.dropna())]
    order = list(order or [])
    return [v for v in order if v in set(present)] + sorted(
        v for v in present if v not in set(order)
    )


def crosstab(
    frame: pd.DataFrame,
    row_var: str,
    col_var: str,
    *,
    row_order=None,
    col_order=None,
    missing: str = "exclude",
    missing_label: str = "Niet geregistreerd",
    percent: str = "row",
    decimals: int = 1,
    keep_empty_rows: bool = False,
) -> CrossTab:
    """Counts and percentages of `row_var` by `col_var`, with `Totaal` row and column.

    Rows with a missing `row_var` are excluded and counted (`missing='exclude'`) or shown as a
    row labelled `missing_label` placed first (`missing='show'`), as the report does for NT2."""
    rows = frame[row_var].astype(TEXT)
    cols = frame[col_var].astype(TEXT)
    if missing == "show":
        rows = rows.fillna(missing_label)
        row_order = [missing_label, *(row_order or [])]
    n_missing = int((rows.isna() | cols.isna()).sum())
    data = pd.DataFrame({"row": rows, "col": cols}).dropna()
    row_levels = (
        list(row_order) if keep_empty_rows and row_order else ordered_levels(data["row"], row_order)
    )
    col_levels = list(col_order) if col_order else ordered_levels(data["col"], None)
    counts = (
        pd.crosstab(
            pd.Categorical(data["row"], row_levels),
            pd.Categorical(data["col"], col_levels),
            dropna=False,
        )
        .reindex(index=row_levels, columns=col_levels, fill_value=0)
        .astype("int64")
    )
    counts.index.name, counts.columns.name = None, None
    full = counts.copy()
    full[TOTAL] = full.sum(axis=1)
    full.loc[TOTAL] = full.sum(axis=0)
    long = full.stack().rename("n").reset_index()
    long.columns = ["row", "col", "n"]
    if percent == "row":
        base = long["row"].map(full[TOTAL])
    elif percent == "column":
        base = long["col"].map(full.loc[TOTAL])
    else:
        raise ValueError(f"percent must be 'row' or 'column', got {percent!r}")
    long["pct"] = percentage(long["n"], base, decimals)
    long["n"] = long["n"].astype("int64")
    return CrossTab(long=long, counts=counts, missing_excluded=n_missing)


def oneway(
    values: pd.Series, order=None, decimals: int = 1, keep_empty: bool = False
) -> pd.DataFrame:
    """`row,n,pct` with a `Totaal` row; missing values are not counted (the caller notes them)."""
    values = values.dropna().astype(TEXT)
    levels = list(order) if keep_empty and order else ordered_levels(values, order)
    counts = values.value_counts().reindex(levels, fill_value=0).astype("int64")
    out = pd.DataFrame({"row": levels, "n": counts.to_numpy()})
    out = pd.concat(
        [out, pd.DataFrame({"row": [TOTAL], "n": [int(counts.sum())]})], ignore_index=True
    )
    out["pct"] = percentage(out["n"], pd.Series(int(counts.sum()), index=out.index), decimals)
    return out
