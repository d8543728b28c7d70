"""The VDAB recoding table (data, not code) and its application to status rows."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

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
    status: pd.DataFrame, table: pd.DataFrame, *, unknown_codes: str = "error", file: str = "vdab"
) -> pd.DataFrame:
    """Add `work_status` and `status_category` to rows with a `status_code`.

    A code the table lacks stops the run (`unknown_codes: error`) or becomes `Onbekend`
    (`unknown_codes: onbekend`)."""
    known = status["status_code"].isin(table["code"])
    if not known.all():
        unknown = status.loc[~known & status["status_code"].notna(), "status_code"]
        if unknown_codes == "error" and len(unknown):
            rows = status.loc[unknown.index, "source_row"] if "source_row" in status else None
            raise InputError(file, "status_code", "VDAB status code missing from the recoding table",
                             values=unknown, rows=rows,
                             hint="add it to the recoding table after review, or set policies.unknown_codes: onbekend")
    lookup = table.set_index("code")
    out = status.copy()
    out["work_status"] = out["status_code"].map(lookup["work_status"]).fillna(UNKNOWN).astype("string")
    out["status_category"] = out["status_code"].map(lookup["category"]).astype("string")
    out["code_in_table"] = known.to_numpy()
    return out
