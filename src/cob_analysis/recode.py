"""The VDAB recoding table (data, not code) and its application to status rows."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa

from .categories import UNKNOWN, WORK_STATUSES
from .errors import InputError

RECODE_COLUMNS = ("code", "label", "work_status", "category", "source", "note")


def load_recode_table(path: str | Path) -> pd.DataFrame:
    """Read and validate the recoding table: every code once, a known work status each."""
    path = str(path)
    table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    missing = [c for c in RECODE_COLUMNS if c not in table.columns]
    if missing:
        raise InputError(path, None, f"recoding table lacks columns {missing}")
    codes = pd.to_numeric(table["code"], errors="coerce")
    bad = codes.isna() | (codes != codes.round())
    if bad.any():
        raise InputError(path, "code", "code is not a whole number", values=table.loc[bad, "code"],
                         rows=table.index[bad] + 2)
    table["code"] = codes.astype("int64")
    duplicated = table["code"].duplicated(keep=False)
    if duplicated.any():
        raise InputError(path, "code", "code listed more than once", values=table.loc[duplicated, "code"],
                         rows=table.index[duplicated] + 2)
    wrong = ~table["work_status"].isin(WORK_STATUSES)
    if wrong.any():
        raise InputError(path, "work_status", "unknown work status", values=table.loc[wrong, "work_status"],
                         rows=table.index[wrong] + 2, hint=f"use one of {list(WORK_STATUSES)}")
    return table[list(RECODE_COLUMNS)].sort_values("code", kind="stable").reset_index(drop=True)


def recode_status(
    status: pa.Table | pd.DataFrame, table: pd.DataFrame, *, unknown_codes: str = "error", file: str = "vdab"
) -> pa.Table:
    """Add `work_status`, `status_category` and `code_in_table` to status rows (in DuckDB).

    A code the table lacks stops the run (`unknown_codes: error`) or becomes `Onbekend`
    (`unknown_codes: onbekend`)."""
    con = duckdb.connect()
    con.register("status", status)
    con.register("recode", table[["code", "work_status", "category"]])
    has_rows = "source_row" in (status.column_names if isinstance(status, pa.Table) else status.columns)
    unknown = con.sql("""
        SELECT s.status_code, count(*) AS n, min(%s) AS first_row FROM status s
        WHERE s.status_code IS NOT NULL AND s.status_code NOT IN (SELECT code FROM recode)
        GROUP BY 1 ORDER BY 2 DESC, 1""" % ("s.source_row" if has_rows else "NULL")).df()
    if len(unknown) and unknown_codes == "error":
        first_rows = sorted(int(r) for r in unknown["first_row"].dropna())[:5]
        raise InputError(file, "status_code", "VDAB status code missing from the recoding table",
                         value_counts={str(int(c)): int(n) for c, n in zip(unknown["status_code"], unknown["n"], strict=True)},
                         rows=first_rows, n_rows=int(unknown["n"].sum()),
                         hint="add it to the recoding table after review, or set policies.unknown_codes: onbekend")
    out = con.sql(f"""
        SELECT s.*, coalesce(r.work_status, '{UNKNOWN}') AS work_status, r.category AS status_category,
               r.code IS NOT NULL AS code_in_table
        FROM status s LEFT JOIN recode r ON s.status_code = r.code
        ORDER BY {"s.source_row" if has_rows else "s.status_code"}
    """).to_arrow_table()
    con.close()
    return out
