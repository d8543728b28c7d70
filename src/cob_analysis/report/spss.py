"""`data/processed/clients.sav` and `clients.dta`: the analysis table `clients.parquet` for SPSS
and Stata users, pseudonymised like the rest (the same columns; no register number or birth date
is in the table to begin with).

- Categories (trajectory, gender, household, ...) are numeric codes 1..k in the order of the
  tables, with value labels in the report's language; a value the order does not know is coded
  after the known ones. Booleans are 0/1 labelled no/yes.
- Every variable has a variable label (the catalogue, `spss.<column>`) and, in the .sav, a
  measurement level: nominal, ordinal (cohort, age group, NT2 level, schooling) or scale.
- `client_key` is a 64-bit integer: SPSS and Stata numbers are doubles, exact only to 2^53, so the
  pseudonym is written as text (its decimal digits), which joins exactly with the Parquet files.
- Dates are dates (SPSS `DATE11`, Stata `%td`). Text goes through `safe_text.clean_text` (no
  control characters, terminal escapes or bidi controls), as in the other outputs.
- Both files are byte-identical for the same input: the creation time ReadStat writes into the
  header is set to a fixed moment (`FIXED_CREATED`).
"""

from __future__ import annotations

import datetime as dt
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from cob_analysis.categories import ORDER, cohort_order
from cob_analysis.i18n import has_text, text, value_label
from cob_analysis.safe_text import clean_text
from cob_analysis.storage import atomic_path, read_parquet

__all__ = ["FIXED_CREATED", "StatFile", "export_spss", "stat_file", "write_dta", "write_sav"]

FIXED_CREATED = dt.datetime(2020, 1, 1, 0, 0)
ORDINAL = ("cohort", "age_group", "nt2_level", "schooling")
CODED = (
    "cohort",
    "trajectory",
    "gender",
    "age_group",
    "continent",
    "household",
    "nt2_level",
    "schooling",
    "work_status",
    "twe_last_result",
)
SCALE = ("age_at_intake", "days_to_art60", "art60_count")
TEXT_COLUMNS = ("client_key", "nationality", "country_of_birth", "art60_last_employer")
CATEGORY_ORDER = {"twe_last_result": ORDER["twe_result"], **ORDER}


@dataclass
class StatFile:
    """The table as SPSS and Stata get it: the frame and its metadata."""

    frame: pd.DataFrame
    column_labels: dict[str, str]
    value_labels: dict[str, dict[int, str]] = field(default_factory=dict)
    measures: dict[str, str] = field(default_factory=dict)
    sav_formats: dict[str, str] = field(default_factory=dict)
    dta_formats: dict[str, str] = field(default_factory=dict)
    file_label: str = ""
    note: str = ""


def _order(column: str, values: pd.Series, cohort_kind: str) -> list[str]:
    """The categories of a column in table order; values the order does not know come after."""
    present = [v for v in values.dropna().unique() if isinstance(v, str)]
    if column == "cohort":
        return cohort_order(present, cohort_kind)
    known = [v for v in CATEGORY_ORDER.get(column, ()) if v in present]
    return known + sorted(v for v in present if v not in known)


def _per_distinct(values: pd.Series, convert) -> pd.Series:
    """`convert` of each value (None where missing) as an object column, called once per distinct
    value: a million rows hold a few hundred dates and names."""
    codes, distinct = pd.factorize(values)
    converted = np.array([*(convert(v) for v in distinct), None], dtype=object)
    return pd.Series(
        converted[codes], index=values.index, dtype=object
    )  # code -1 (missing) -> None


def stat_file(
    clients: pd.DataFrame, *, language: str = "nl", cohort_kind: str = "half-year"
) -> StatFile:
    """`clients` (as `storage.read_parquet` reads clients.parquet) coded for SPSS and Stata."""
    out: dict[str, pd.Series] = {}
    value_labels: dict[str, dict[int, str]] = {}
    measures, sav_formats, dta_formats = {}, {}, {}
    for column in clients.columns:
        values = clients[column]
        if column in CODED:
            categories = _order(column, values, cohort_kind)
            codes = {c: i for i, c in enumerate(categories, start=1)}
            out[column] = values.map(codes, na_action="ignore").astype("float64")
            value_labels[column] = {
                i: clean_text(str(value_label(c, language))) for c, i in codes.items()
            }
            measures[column] = "ordinal" if column in ORDINAL else "nominal"
            sav_formats[column], dta_formats[column] = "F2.0", "%8.0g"
        elif pd.api.types.is_bool_dtype(values):
            out[column] = values.astype("float64")
            value_labels[column] = {0: text("table.no", language), 1: text("table.yes", language)}
            measures[column] = "nominal"
            sav_formats[column], dta_formats[column] = "F1.0", "%8.0g"
        elif pd.api.types.is_datetime64_any_dtype(values):
            out[column] = _per_distinct(values, lambda d: d.date())
            measures[column] = "scale"
        elif column in TEXT_COLUMNS and pd.api.types.is_integer_dtype(
            values
        ):  # the pseudonym: digits
            out[column] = pd.Series(
                values.astype("string").to_numpy(dtype=object, na_value=None),
                index=values.index,
                dtype=object,
            )
            measures[column] = "nominal"
        elif column in TEXT_COLUMNS or not pd.api.types.is_numeric_dtype(values):
            out[column] = _per_distinct(values, lambda v: clean_text(str(v)))
            measures[column] = "nominal"
        else:  # counts, ages, days, the VDAB status code
            out[column] = values.astype("float64")
            measures[column] = "scale" if column in SCALE else "nominal"
            sav_formats[column], dta_formats[column] = "F8.0", "%8.0g"
    frame = pd.DataFrame(out, index=clients.index).reset_index(drop=True)
    labels = {c: text(f"spss.{c}", language) for c in frame.columns if has_text(f"spss.{c}")}
    return StatFile(
        frame,
        labels,
        value_labels,
        measures,
        sav_formats,
        dta_formats,
        file_label=text("spss.file_label", language),
        note=text("spss.note", language),
    )


# --- writing, with a fixed creation time -----------------------------------------------------

# .sav header: "$FL2", product name (60), layout code, case size, compression, weight index,
# cases, bias (8 bytes), then the creation date "dd mmm yy" and time "hh:mm:ss"
_SAV_CREATED = slice(92, 109)
_DTA_TIMESTAMP = b"<timestamp>"


def _fixed_sav_header(data: bytes) -> bytes:
    stamp = FIXED_CREATED.strftime("%d %b %y").encode("ascii") + FIXED_CREATED.strftime(
        "%H:%M:%S"
    ).encode("ascii")
    if data[:4] not in (b"$FL2", b"$FL3") or len(stamp) != _SAV_CREATED.stop - _SAV_CREATED.start:
        raise ValueError("not an SPSS system file header")
    return data[: _SAV_CREATED.start] + stamp + data[_SAV_CREATED.stop :]


def _fixed_dta_header(data: bytes) -> bytes:
    start = data.find(_DTA_TIMESTAMP, 0, 400)
    if start < 0:
        raise ValueError("not a Stata 117+ file header")
    at = start + len(_DTA_TIMESTAMP)
    length = data[at]
    stamp = FIXED_CREATED.strftime("%d %b %Y %H:%M").encode("ascii")
    if length != len(stamp):
        raise ValueError("unexpected Stata time stamp")
    return data[: at + 1] + stamp + data[at + 1 + length :]


def _bytes_at_most(value: str, limit: int) -> str:
    """`value` cut to at most `limit` bytes of UTF-8 (the formats count bytes)."""
    return value.encode("utf-8")[:limit].decode("utf-8", errors="ignore")


def write_sav(stat: StatFile, path: str | Path) -> Path:
    """The SPSS system file (bytecode-compressed, as SPSS writes it), byte-stable."""
    import pyreadstat

    with atomic_path(path) as partial:
        pyreadstat.write_sav(
            stat.frame,
            str(partial),
            file_label=_bytes_at_most(stat.file_label, 64),
            column_labels=stat.column_labels,
            row_compress=True,
            note=textwrap.wrap(stat.note, 80),  # a document line holds 80 bytes
            variable_value_labels=stat.value_labels,
            variable_measure=stat.measures,
            variable_format=stat.sav_formats,
        )
        partial.write_bytes(_fixed_sav_header(partial.read_bytes()))
    return Path(path)


def write_dta(stat: StatFile, path: str | Path) -> Path:
    """The Stata file (format 118/119, Stata 14 and later), byte-stable."""
    import pyreadstat

    frame = stat.frame.copy()
    for column in stat.value_labels:  # Stata labels integer values
        frame[column] = frame[column].astype("Int32")
    with atomic_path(path) as partial:
        pyreadstat.write_dta(
            frame,
            str(partial),
            file_label=_bytes_at_most(stat.file_label, 80),
            column_labels=stat.column_labels,
            version=15,
            variable_value_labels=stat.value_labels,
            variable_format=stat.dta_formats,
        )
        partial.write_bytes(_fixed_dta_header(partial.read_bytes()))
    return Path(path)


def export_spss(
    clients_path: str | Path,
    sav_path: str | Path,
    dta_path: str | Path,
    *,
    language: str = "nl",
    cohort_kind: str = "half-year",
) -> tuple[Path, Path]:
    """Rule `export_spss`: clients.parquet as an SPSS (.sav) and a Stata (.dta) file."""
    stat = stat_file(read_parquet(clients_path), language=language, cohort_kind=cohort_kind)
    return write_sav(stat, sav_path), write_dta(stat, dta_path)
