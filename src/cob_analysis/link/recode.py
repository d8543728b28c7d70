"""The VDAB recoding table (data, not code) and its application to status rows."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa

from cob_analysis.categories import UNKNOWN, WORK_STATUSES
from cob_analysis.errors import InputError

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
        raise InputError(
            path,
            "code",
            "code is not a whole number",
            values=table.loc[bad, "code"],
            rows=table.index[bad] + 2,
        )
    table["code"] = codes.astype("int64")
    duplicated = table["code"].duplicated(keep=False)
    if duplicated.any():
        raise InputError(
            path,
            "code",
            "code listed more than once",
            values=table.loc[duplicated, "code"],
            rows=table.index[duplicated] + 2,
        )
    wrong = ~table["work_status"].isin(WORK_STATUSES)
    if wrong.any():
        raise InputError(
            path,
            "work_status",
            "unknown work status",
            values=table.loc[wrong, "work_status"],
            rows=table.index[wrong] + 2,
            hint=f"use one of {list(WORK_STATUSES)}",
        )
    return table[list(RECODE_COLUMNS)].sort_values("code", kind="stable").reset_index(drop=True)


def codes_in_use(
    status: pa.Table | pd.DataFrame,
    table: pd.DataFrame,
    *,
    unknown_codes: str = "error",
    file: str = "vdab",
) -> pd.DataFrame:
    """The recoding applied to every status code present in `status` (one row per code).

    Columns: status_code, label, work_status, status_category, code_in_table, n_rows. A code the
    table lacks stops the run (`unknown_codes: error`, the message lists the codes, their
    counts and first rows) or becomes `Onbekend` (`unknown_codes: onbekend`)."""
    con = duckdb.connect()
    con.register("status", status)
    con.register("recode", table[["code", "label", "work_status", "category"]])
    columns = status.column_names if isinstance(status, pa.Table) else list(status.columns)
    first_row = "min(source_row)" if "source_row" in columns else "NULL"
    used = con.sql(f"""
        SELECT u.status_code, r.label, coalesce(r.work_status, '{UNKNOWN}') AS work_status,
               r.category AS status_category, r.code IS NOT NULL AS code_in_table, u.n_rows, u.first_row
        FROM (SELECT status_code, count(*) AS n_rows, {first_row} AS first_row FROM status
              WHERE status_code IS NOT NULL GROUP BY 1) u
        LEFT JOIN recode r ON u.status_code = r.code
        ORDER BY u.status_code""").df()
    con.close()
    unknown = used[~used["code_in_table"]].sort_values(
        ["n_rows", "status_code"], ascending=[False, True]
    )
    if len(unknown) and unknown_codes == "error":
        raise InputError(
            file,
            "status_code",
            "VDAB status code missing from the recoding table",
            value_counts={
                str(int(c)): int(n)
                for c, n in zip(unknown["status_code"], unknown["n_rows"], strict=True)
            },
            rows=sorted(int(r) for r in unknown["first_row"].dropna())[:5],
            n_rows=int(unknown["n_rows"].sum()),
            hint="add it to the recoding table after review, or set policies.unknown_codes: onbekend",
        )
    used["status_code"] = used["status_code"].astype("int64")
    used["n_rows"] = used["n_rows"].astype("int64")
    return used.drop(columns=["first_row"]).reset_index(drop=True)


def recode_status(
    status, table: pd.DataFrame, *, unknown_codes: str = "error", file: str = ""
) -> pd.DataFrame:
    """Rule `recode_status`: the recoding of every status code in use (see `codes_in_use`)."""
    return codes_in_use(status, table, unknown_codes=unknown_codes, file=file)
