"""The VDAB recoding table (data, not code) and its application to status rows."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa

from cob_analysis.categories import UNKNOWN, WORK_STATUSES
from cob_analysis.errors import InputError
from cob_analysis.storage import column_names

RECODE_COLUMNS = ("code", "label", "work_status", "category", "source", "note")
# optional: the period in which VDAB used a code (ISO dates, empty: open-ended)
VALIDITY_COLUMNS = ("valid_from", "valid_to")


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
    for column in VALIDITY_COLUMNS:
        table[column] = _dates(table, column, path)
    reversed_period = table["valid_from"] > table["valid_to"]
    if reversed_period.any():
        raise InputError(
            path,
            "valid_from",
            "valid_from after valid_to",
            values=table.loc[reversed_period, "code"].astype(str),
            rows=table.index[reversed_period] + 2,
        )
    columns = [*RECODE_COLUMNS, *VALIDITY_COLUMNS]
    return table[columns].sort_values("code", kind="stable").reset_index(drop=True)


def _dates(table: pd.DataFrame, column: str, path: str) -> pd.Series:
    """An optional validity column as dates (NaT where empty or absent); bad dates stop."""
    if column not in table.columns:
        return pd.Series(pd.NaT, index=table.index, dtype="datetime64[ns]")
    texts = table[column].str.strip()
    dates = pd.to_datetime(texts.where(texts != ""), format="%Y-%m-%d", errors="coerce")
    bad = dates.isna() & (texts != "")
    if bad.any():
        raise InputError(
            path,
            column,
            "not a date (YYYY-MM-DD)",
            values=table.loc[bad, column],
            rows=table.index[bad] + 2,
        )
    return dates


def codes_in_use(
    status: pa.Table | pd.DataFrame,
    table: pd.DataFrame,
    *,
    unknown_codes: str = "error",
    outside_validity: str = "error",
    file: str = "vdab",
) -> pd.DataFrame:
    """The recoding applied to every status code present in `status` (one row per code).

    Columns: status_code, label, work_status, status_category, code_in_table, n_rows,
    valid_from, valid_to, n_rows_outside_validity. A code the table lacks stops the run
    (`unknown_codes: error`, the message lists the codes, their counts and first rows) or becomes
    `Onbekend` (`unknown_codes: onbekend`). A code used at a reference date outside the period
    the table gives it (`valid_from`, `valid_to`) stops the run (`outside_validity: error`) or
    keeps the table's recoding and is counted (`outside_validity: keep`)."""
    if "valid_from" not in table.columns:
        table = table.assign(valid_from=pd.NaT, valid_to=pd.NaT)
    con = duckdb.connect()
    con.register("status", status)
    con.register(
        "recode",
        table[["code", "label", "work_status", "category", "valid_from", "valid_to"]].astype(
            {"valid_from": "datetime64[ns]", "valid_to": "datetime64[ns]"}
        ),
    )
    columns = column_names(status)
    has_rows = "source_row" in columns
    first_row = "min(source_row)" if has_rows else "NULL"
    used = con.sql(f"""
        SELECT u.status_code, r.label, coalesce(r.work_status, '{UNKNOWN}') AS work_status,
               r.category AS status_category, r.code IS NOT NULL AS code_in_table, u.n_rows, u.first_row,
               r.valid_from::DATE AS valid_from, r.valid_to::DATE AS valid_to
        FROM (SELECT status_code, count(*) AS n_rows, {first_row} AS first_row FROM status
              WHERE status_code IS NOT NULL GROUP BY 1) u
        LEFT JOIN recode r ON u.status_code = r.code
        ORDER BY u.status_code""").df()
    outside = _outside_validity(con, has_rows, "reference_date" in columns)
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
    if len(outside) and outside_validity == "error":
        raise InputError(
            file,
            "status_code",
            "VDAB status code used outside its validity period in the recoding table",
            value_counts={
                str(int(c)): int(n)
                for c, n in zip(outside["status_code"], outside["n_rows"], strict=True)
            },
            rows=sorted(int(r) for r in outside["first_row"].dropna())[:5],
            n_rows=int(outside["n_rows"].sum()),
            hint=f"used at {_periods(outside, table)}; "
            "correct valid_from/valid_to in the recoding table after review, or set "
            "policies.code_outside_validity: keep (the table's recoding is kept, the rows counted)",
        )
    used["status_code"] = used["status_code"].astype("int64")
    used["n_rows"] = used["n_rows"].astype("int64")
    for column in VALIDITY_COLUMNS:
        used[column] = pd.to_datetime(used[column]).dt.date
    counted = outside.set_index("status_code")["n_rows"] if len(outside) else pd.Series(dtype=int)
    used["n_rows_outside_validity"] = used["status_code"].map(counted).fillna(0).astype("int64")
    return used.drop(columns=["first_row"]).reset_index(drop=True)


def _periods(outside: pd.DataFrame, table: pd.DataFrame) -> str:
    """Per code (at most five): when it was used outside its period, and the period."""
    period = table.set_index("code")
    parts = []
    for row in outside.head(5).itertuples(index=False):
        lo, hi = period.loc[int(row.status_code), ["valid_from", "valid_to"]]
        valid = " and ".join(
            f"{word} {pd.Timestamp(d).date()}"
            for word, d in (("from", lo), ("to", hi))
            if pd.notna(d)
        )
        first, last = (pd.Timestamp(d).date() for d in (row.first_date, row.last_date))
        parts.append(f"code {int(row.status_code)} from {first} to {last} (valid {valid})")
    return "; ".join(parts)


def _outside_validity(con, has_rows: bool, has_dates: bool) -> pd.DataFrame:
    """Per code: rows dated outside the code's validity period, first row, first and last date."""
    if not has_dates:
        return pd.DataFrame(
            columns=["status_code", "n_rows", "first_row", "first_date", "last_date"]
        )
    return con.sql(f"""
        SELECT s.status_code, count(*) AS n_rows, {"min(s.source_row)" if has_rows else "NULL"} AS first_row,
               min(s.reference_date)::DATE AS first_date, max(s.reference_date)::DATE AS last_date
        FROM status s JOIN recode r ON s.status_code = r.code
        WHERE s.reference_date < r.valid_from OR s.reference_date > r.valid_to
        GROUP BY 1 ORDER BY 2 DESC, 1""").df()


def recode_status(
    status,
    table: pd.DataFrame,
    *,
    unknown_codes: str = "error",
    outside_validity: str = "error",
    file: str = "",
) -> pd.DataFrame:
    """Rule `recode_status`: the recoding of every status code in use (see `codes_in_use`)."""
    return codes_in_use(
        status, table, unknown_codes=unknown_codes, outside_validity=outside_validity, file=file
    )
