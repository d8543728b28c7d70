"""Map, validate and pseudonymise one raw export into canonical columns.

Pure functions over DataFrames; `ingest_export` strings them together. Every problem either
stops the run with an :class:`InputError` (the default) or, where the config's policy says
so, drops the rows and counts them as rejected under a named reason."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from . import categories, insz
from .errors import InputError
from .pseudonymise import pseudonymise


@dataclass(frozen=True)
class ExportSpec:
    required: tuple[str, ...]
    optional: tuple[str, ...] = ()
    dates: tuple[str, ...] = ()
    not_null: tuple[str, ...] = ()
    categorical: dict[str, str] = field(default_factory=dict)  # column -> values key


SPECS: dict[str, ExportSpec] = {
    "clients": ExportSpec(
        required=("client_id", "intake_date", "trajectory", "gender", "birth_date", "nationality",
                  "household", "nt2_level", "schooling"),
        optional=("country_of_birth", "continent"),
        dates=("intake_date", "birth_date"),
        not_null=("client_id", "intake_date", "trajectory"),
        categorical={"trajectory": "trajectory", "gender": "gender", "household": "household",
                     "nt2_level": "nt2_level", "schooling": "schooling", "continent": "continent"},
    ),
    "art60": ExportSpec(
        required=("client_id", "start_date", "end_date", "employer"),
        dates=("start_date", "end_date"),
        not_null=("client_id", "start_date"),
    ),
    "twe": ExportSpec(
        required=("client_id", "start_date", "end_date", "result"),
        dates=("start_date", "end_date"),
        not_null=("client_id", "start_date"),
        categorical={"result": "twe_result"},
    ),
    "vdab": ExportSpec(
        required=("client_id", "reference_date", "status_code"),
        optional=("status_label",),
        dates=("reference_date",),
        not_null=("client_id", "reference_date", "status_code"),
    ),
    "trajectory_changes": ExportSpec(
        required=("client_id", "change_date", "trajectory"),
        dates=("change_date",),
        not_null=("client_id", "change_date", "trajectory"),
        categorical={"trajectory": "trajectory"},
    ),
}

DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d %H:%M:%S", "%d/%m/%Y %H:%M:%S")
EXCEL_EPOCH = pd.Timestamp("1899-12-30")
PLAUSIBLE_YEARS = (1900, 2100)


@dataclass
class Rejections:
    """Rows dropped under a policy, by reason (row numbers kept for the QA report)."""

    by_reason: dict[str, list[int]] = field(default_factory=dict)

    def add(self, reason: str, rows: pd.Series) -> None:
        if len(rows):
            self.by_reason.setdefault(reason, []).extend(int(r) for r in rows)

    def counts(self) -> dict[str, int]:
        return {reason: len(rows) for reason, rows in sorted(self.by_reason.items())}

    @property
    def total(self) -> int:
        return sum(len(rows) for rows in self.by_reason.values())


def select_columns(frame: pd.DataFrame, export: str, columns: dict[str, str], file: str) -> pd.DataFrame:
    """Rename raw headers to canonical names; refuse missing required columns."""
    spec = SPECS[export]
    unknown_canonical = sorted(set(columns) - set(spec.required) - set(spec.optional))
    if unknown_canonical:
        raise InputError(file, None, f"config maps unknown canonical columns {unknown_canonical} for export '{export}'",
                         hint=f"canonical columns are {list(spec.required + spec.optional)}")
    missing_mapping = [c for c in spec.required if c not in columns]
    if missing_mapping:
        raise InputError(file, None, f"config exports.{export}.columns does not map required columns {missing_mapping}")
    present = {c: raw for c, raw in columns.items() if raw in frame.columns}
    absent = {c: raw for c, raw in columns.items() if raw not in frame.columns}
    absent_required = {c: raw for c, raw in absent.items() if c in spec.required}
    if absent_required:
        names = ", ".join(f"'{raw}' ({c})" for c, raw in absent_required.items())
        raise InputError(file, None, f"missing required column{'s' if len(absent_required) > 1 else ''} {names}",
                         hint=f"columns in the file: {[c for c in frame.columns if c != '_row']}")
    out = frame[["_row", *present.values()]].rename(columns={raw: c for c, raw in present.items()})
    for column in absent:  # optional columns not in the file
        out[column] = pd.NA
    return out


def clean_text(series: pd.Series) -> pd.Series:
    """Trimmed text with blanks as missing; numbers that came as floats lose a trailing `.0`."""
    if pd.api.types.is_datetime64_any_dtype(series):
        return series
    text = series.astype("string").str.strip()
    text = text.str.replace(r"^(-?\d+)\.0$", r"\1", regex=True)
    return text.mask(text.isin(["", "nan", "NaN", "NaT", "None", "<NA>"]))


def parse_dates(series: pd.Series, date_format: str | None = None) -> tuple[pd.Series, pd.Series]:
    """Parse ISO, dd/mm/yyyy, dd-mm-yyyy, Excel serials, native dates (xlsx, sav, parquet).

    Returns (dates normalised to midnight, mask of non-blank values that failed to parse)."""
    if pd.api.types.is_datetime64_any_dtype(series):
        dates = pd.to_datetime(series).dt.tz_localize(None) if getattr(series.dt, "tz", None) else pd.to_datetime(series)
        return dates.dt.normalize().astype("datetime64[ns]"), pd.Series(False, index=series.index)
    out = pd.Series(pd.NaT, index=series.index, dtype="datetime64[ns]")
    native = series.map(lambda v: isinstance(v, pd.Timestamp | np.datetime64) or hasattr(v, "year"))
    if native.any():
        out[native] = pd.to_datetime(series[native].astype(object), errors="coerce")
    text = clean_text(series.where(~native))
    todo = text.notna()
    formats = (date_format,) if date_format else DATE_FORMATS
    for fmt in formats:
        if not todo.any():
            break
        parsed = pd.to_datetime(text[todo], format=fmt, errors="coerce")
        ok = parsed.notna()
        out[ok[ok].index] = parsed[ok]
        todo[ok[ok].index] = False
    if todo.any():  # Excel serial day numbers
        serial = pd.to_numeric(text[todo], errors="coerce")
        ok = serial.between(1, 2_958_465) & (serial == serial.round())
        out[ok[ok].index] = EXCEL_EPOCH + pd.to_timedelta(serial[ok], unit="D")
        todo[ok[ok].index] = False
    return out.dt.normalize(), todo


def _refuse_or_drop(
    frame: pd.DataFrame, bad: pd.Series, *, policy: str, reason: str, rejections: Rejections, error: InputError
) -> pd.DataFrame:
    if not bad.any():
        return frame
    if policy in ("error", "censor"):
        raise error
    rejections.add(reason, frame.loc[bad, "_row"])
    return frame.loc[~bad]


def map_values(
    values: pd.Series, mapping: dict[str, str | None] | None, allowed: tuple[str, ...] | None
) -> tuple[pd.Series, pd.Series]:
    """Map raw categorical values; returns (canonical values, mask of unmapped non-blank values)."""
    text = clean_text(values)
    if mapping:
        lookup = {str(k).strip(): v for k, v in mapping.items()}
        mapped = text.map(lookup)
        unmapped = text.notna() & ~text.isin(list(lookup))
        return mapped.astype("string"), unmapped
    if allowed is not None:
        return text, text.notna() & ~text.isin(list(allowed))
    return text, pd.Series(False, index=values.index)


def ingest_export(
    raw: pd.DataFrame,
    export: str,
    export_cfg: dict,
    config: dict,
    key: bytes,
    file: str,
) -> tuple[pd.DataFrame, dict]:
    """Raw frame -> canonical, validated, pseudonymised frame plus its accounting."""
    spec = SPECS[export]
    policies = config["policies"]
    rejections = Rejections()
    notes: dict[str, int] = {}
    rows_read = len(raw)
    frame = select_columns(raw, export, export_cfg["columns"], file)
    colname = export_cfg["columns"]

    # Required values present
    for column in spec.not_null:
        blank = clean_text(frame[column]).isna() if column not in spec.dates else None
        if blank is not None and blank.any():
            policy = policies["invalid_id"] if column == "client_id" else "error"
            frame = _refuse_or_drop(
                frame, blank, policy=policy, reason=f"empty {column}", rejections=rejections,
                error=InputError(file, colname[column], "empty value", rows=frame.loc[blank, "_row"],
                                 hint="this column may not be blank"),
            )

    # National register numbers
    ids = frame["client_id"].map(insz.normalise) if config["id_kind"] == "insz" else clean_text(frame["client_id"])
    if config["id_kind"] == "insz":
        invalid = ~insz.validity_mask(ids)
        if invalid.any():
            # never echo national register numbers: show only their shape
            shapes = frame.loc[invalid, "client_id"].astype("string").str.replace(r"\d", "9", regex=True)
            frame = _refuse_or_drop(
                frame, invalid, policy=policies["invalid_id"], reason="invalid national register number",
                rejections=rejections,
                error=InputError(file, colname["client_id"], "invalid national register number (mod-97 check)",
                                 values=shapes, rows=frame.loc[invalid, "_row"],
                                 hint="values shown as their digit pattern; set policies.invalid_id: drop to count and skip them"),
            )
            ids = ids.loc[frame.index]
    frame = frame.assign(client_id=ids)

    # Dates
    for column in spec.dates:
        if column not in frame.columns:
            continue
        parsed, failed = parse_dates(frame[column], export_cfg.get("date_format"))
        years = parsed.dt.year
        implausible = parsed.notna() & ((years < PLAUSIBLE_YEARS[0]) | (years > PLAUSIBLE_YEARS[1]))
        bad = failed | implausible
        if column in spec.not_null:
            bad = bad | parsed.isna()
        if bad.any():
            shown = frame.loc[bad, column] if column != "birth_date" else None
            frame = _refuse_or_drop(
                frame, bad, policy=policies["invalid_date"], reason=f"invalid {column}", rejections=rejections,
                error=InputError(file, colname[column], "unparseable, missing or implausible date",
                                 values=shown, rows=frame.loc[bad, "_row"],
                                 hint="set exports.<name>.date_format, or policies.invalid_date: drop"),
            )
            parsed = parsed.loc[frame.index]
        frame = frame.assign(**{column: parsed})

    # Categorical values
    for column, values_key in spec.categorical.items():
        mapping = config["values"].get(values_key)
        allowed = categories.ORDER.get(values_key)
        mapped, unmapped = map_values(frame[column], mapping, allowed if not mapping else None)
        if unmapped.any():
            if policies["unmapped_values"] == "error":
                raise InputError(file, colname.get(column, column), "unknown value",
                                 values=clean_text(frame.loc[unmapped, column]), rows=frame.loc[unmapped, "_row"],
                                 hint=f"add them to values.{values_key} in the config")
            notes[f"unknown {column} values treated as missing"] = int(unmapped.sum())
        if mapping and allowed is not None:
            wrong_target = mapped.notna() & ~mapped.isin(list(allowed))
            if wrong_target.any():
                raise InputError("config", f"values.{values_key}", "maps to values that are not canonical",
                                 values=mapped[wrong_target], hint=f"canonical values are {list(allowed)}")
        frame = frame.assign(**{column: mapped})
        if column in spec.not_null and frame[column].isna().any():
            bad = frame[column].isna()
            raise InputError(file, colname.get(column, column), "empty value", rows=frame.loc[bad, "_row"])

    # Export-specific rules
    if export == "vdab":
        codes = pd.to_numeric(clean_text(frame["status_code"]), errors="coerce")
        bad = codes.isna() | (codes != codes.round())
        if bad.any():
            raise InputError(file, colname["status_code"], "status code is not a whole number",
                             values=frame.loc[bad, "status_code"], rows=frame.loc[bad, "_row"])
        frame = frame.assign(status_code=codes.astype("Int64"))
        if "status_label" in frame.columns:
            frame = frame.assign(status_label=clean_text(frame["status_label"]))
    if export in ("art60", "twe"):
        ends_early = frame["end_date"].notna() & (frame["end_date"] < frame["start_date"])
        frame = _refuse_or_drop(
            frame, ends_early, policy=policies["end_before_start"], reason="ends before it starts",
            rejections=rejections,
            error=InputError(file, colname["end_date"], "end date before start date", rows=frame.loc[ends_early, "_row"],
                             hint="set policies.end_before_start: drop to count and skip them"),
        )
        if export == "art60":
            frame = frame.assign(employer=clean_text(frame["employer"]))
    if export == "clients":
        age = categories.age_in_years(frame["birth_date"], frame["intake_date"])
        too_young = age.notna() & (age < 15)
        if too_young.any():
            raise InputError(file, colname["birth_date"], "implausible birth date (younger than 15 at intake)",
                             rows=frame.loc[too_young, "_row"])
        frame = frame.assign(age_at_intake=age).drop(columns=["birth_date"])
        for column in ("nationality", "country_of_birth"):
            frame = frame.assign(**{column: clean_text(frame[column])})

    frame = frame.assign(client_key=pseudonymise(frame["client_id"], key)).drop(columns=["client_id"])
    frame = frame.rename(columns={"_row": "source_row"})
    ordered = ["client_key", "source_row"] + [c for c in frame.columns if c not in ("client_key", "source_row")]
    frame = frame[ordered].reset_index(drop=True)
    accounting = {
        "export": export,
        "file": file,
        "rows_read": rows_read,
        "rows_kept": len(frame),
        "rejected": rejections.counts(),
        "notes": notes,
    }
    if sum(accounting["rejected"].values()) + len(frame) != rows_read:
        raise AssertionError(f"{file}: row accounting broken ({accounting})")
    return frame, accounting
