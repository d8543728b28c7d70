"""Map, validate and pseudonymise one raw export into canonical columns.

The work runs in DuckDB over Arrow (a few vectorised passes, no Python per row): the raw
table is cleaned into canonical columns, each check flags rows, and every problem either stops
the run with an :class:`InputError` naming file, column, values, counts and first rows (the
default) or, where the config's policy says so, marks the rows rejected under a named reason.
Each distinct national register number is pseudonymised once."""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb
import pandas as pd
import pyarrow as pa

from . import categories
from .errors import InputError
from .pseudonymise import pseudonym

MAX_ROWS_LISTED = 5


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
PLAUSIBLE_YEARS = (1900, 2100)
BLANKS = ("", "nan", "NaN", "NaT", "None", "<NA>", "null", "NULL")


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def clean_text_sql(column: str, arrow_type: pa.DataType) -> str:
    """Trimmed text, blanks as NULL, numbers that went through a float as whole numbers."""
    if pa.types.is_date(arrow_type) or pa.types.is_timestamp(arrow_type):
        return f"strftime({_q(column)}::DATE, '%Y-%m-%d')"
    text = f"trim(CAST({_q(column)} AS VARCHAR))"
    text = f"regexp_replace({text}, '^(-?[0-9]+)\\.0+$', '\\1')"
    blanks = ", ".join(_lit(b) for b in BLANKS)
    return f"CASE WHEN {text} IN ({blanks}) THEN NULL ELSE {text} END"


def date_sql(text: str, arrow_type: pa.DataType, date_format: str | None) -> str:
    """A DATE from ISO, dd/mm/yyyy, dd-mm-yyyy, dd.mm.yyyy, Excel serials or native dates."""
    if pa.types.is_date(arrow_type) or pa.types.is_timestamp(arrow_type):
        return f"CAST({text} AS DATE)"
    formats = (date_format,) if date_format else DATE_FORMATS
    attempts = [f"try_strptime({text}, {_lit(fmt)})" for fmt in formats]
    serial = (f"CASE WHEN regexp_full_match({text}, '[0-9]{{1,7}}') AND TRY_CAST({text} AS INTEGER) "
              f"BETWEEN 1 AND 2958465 THEN DATE '1899-12-30' + TRY_CAST({text} AS INTEGER) END")
    if not date_format:
        attempts.append(serial)
    return f"CAST(coalesce({', '.join(attempts)}) AS DATE)"


INSZ_SQL = "CASE WHEN length({x}) BETWEEN 9 AND 10 AND regexp_full_match({x}, '[0-9]+') THEN lpad({x}, 11, '0') ELSE {x} END"


def normalised_id_sql(text: str, id_kind: str) -> str:
    if id_kind != "insz":
        return text
    stripped = f"regexp_replace(regexp_replace({text}, '^([0-9]+)\\.0$', '\\1'), '[\\s.\\-/]', '', 'g')"
    return INSZ_SQL.format(x=stripped)


def valid_insz_sql(norm: str) -> str:
    first_nine = f"TRY_CAST(substr({norm}, 1, 9) AS BIGINT)"
    check = f"TRY_CAST(substr({norm}, 10, 2) AS BIGINT)"
    return (f"(coalesce(regexp_full_match({norm}, '[0-9]{{11}}'), false) AND "
            f"({check} = 97 - {first_nine} % 97 OR {check} = 97 - (2000000000 + {first_nine}) % 97))")


class _Stage:
    """The table being validated, with a `_reject` reason per row (NULL: still in)."""

    def __init__(self, con: duckdb.DuckDBPyConnection, file: str, colname: dict[str, str]):
        self.con, self.file, self.colname = con, file, colname
        self.rejected: dict[str, int] = {}

    def flagged(self, condition: str, value: str | None = None) -> tuple[int, list[int], dict[str, int]]:
        where = f"_reject IS NULL AND ({condition})"
        n = self.con.sql(f"SELECT count(*) FROM stage WHERE {where}").fetchall()[0][0]
        if not n:
            return 0, [], {}
        rows = [r[0] for r in self.con.sql(f"SELECT _row FROM stage WHERE {where} ORDER BY _row LIMIT {MAX_ROWS_LISTED}").fetchall()]
        counts = {}
        if value is not None:
            counts = {("<leeg>" if v is None else str(v)): int(c) for v, c in self.con.sql(
                f"SELECT {value} AS v, count(*) AS c FROM stage WHERE {where} GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 50"
            ).fetchall()}
        return n, rows, counts

    def check(self, condition: str, *, column: str, problem: str, policy: str, reason: str,
              value: str | None = None, hint: str | None = None) -> None:
        """Stop (policy 'error') or mark rejected (policy 'drop') the rows meeting `condition`."""
        n, rows, counts = self.flagged(condition, value)
        if not n:
            return
        if policy != "drop":
            raise InputError(self.file, self.colname.get(column, column), problem, rows=rows, n_rows=n,
                             value_counts=counts, hint=hint)
        self.con.execute(f"UPDATE stage SET _reject = {_lit(reason)} WHERE _reject IS NULL AND ({condition})")
        self.rejected[reason] = self.rejected.get(reason, 0) + n


def select_columns(schema: pa.Schema, export: str, columns: dict[str, str], file: str) -> dict[str, str | None]:
    """Canonical name -> raw header (None for an optional column absent from the file)."""
    spec = SPECS[export]
    unknown_canonical = sorted(set(columns) - set(spec.required) - set(spec.optional))
    if unknown_canonical:
        raise InputError(file, None, f"config maps unknown canonical columns {unknown_canonical} for export '{export}'",
                         hint=f"canonical columns are {list(spec.required + spec.optional)}")
    missing_mapping = [c for c in spec.required if c not in columns]
    if missing_mapping:
        raise InputError(file, None, f"config exports.{export}.columns does not map required columns {missing_mapping}")
    present = set(schema.names)
    absent_required = {c: raw for c, raw in columns.items() if raw not in present and c in spec.required}
    if absent_required:
        names = ", ".join(f"'{raw}' ({c})" for c, raw in absent_required.items())
        raise InputError(file, None, f"missing required column{'s' if len(absent_required) > 1 else ''} {names}",
                         hint=f"columns in the file: {[c for c in schema.names if c != '_row']}")
    return {c: (columns.get(c) if columns.get(c) in present else None) for c in spec.required + spec.optional}


def ingest_export(
    raw: pa.Table | pd.DataFrame,
    export: str,
    export_cfg: dict,
    config: dict,
    key: bytes,
    file: str,
) -> tuple[pa.Table, dict]:
    """Raw table -> canonical, validated, pseudonymised Arrow table plus its accounting."""
    if isinstance(raw, pd.DataFrame):
        from .readers import frame_to_arrow

        raw = frame_to_arrow(raw)
    spec = SPECS[export]
    policies = config["policies"]
    colname = export_cfg["columns"]
    mapping = select_columns(raw.schema, export, colname, file)
    types = {c: (raw.schema.field(r).type if r else pa.string()) for c, r in mapping.items()}
    con = duckdb.connect()
    con.register("raw", raw)
    texts = {c: (clean_text_sql(r, types[c]) if r else "CAST(NULL AS VARCHAR)") for c, r in mapping.items()}
    con.execute("CREATE TEMP TABLE stage AS SELECT _row, CAST(NULL AS VARCHAR) AS _reject, "
                + ", ".join(f"{expr} AS {_q(c)}" for c, expr in texts.items()) + " FROM raw")
    stage = _Stage(con, file, colname)
    notes: dict[str, int] = {}

    # Required values present
    for column in spec.not_null:
        if column in spec.dates:
            continue  # checked with the dates
        stage.check(f"{_q(column)} IS NULL", column=column, problem="empty value",
                    policy=policies["invalid_id"] if column == "client_id" else "error",
                    reason=f"empty {column}", hint="this column may not be blank")

    # National register numbers (never echoed: only their digit pattern is shown)
    con.execute(f"ALTER TABLE stage ADD COLUMN _id VARCHAR; UPDATE stage SET _id = {normalised_id_sql('client_id', config['id_kind'])}")
    if config["id_kind"] == "insz":
        stage.check(f"NOT {valid_insz_sql('_id')}", column="client_id",
                    problem="invalid national register number (mod-97 check)", policy=policies["invalid_id"],
                    reason="invalid national register number",
                    value="regexp_replace(client_id, '[0-9]', '9', 'g')",
                    hint="values shown as their digit pattern; set policies.invalid_id: drop to count and skip them")

    # Dates
    for column in spec.dates:
        parsed = date_sql(_q(column), types[column] if mapping[column] else pa.string(),
                          export_cfg.get("date_format"))
        con.execute(f"ALTER TABLE stage ADD COLUMN {_q('_d_' + column)} DATE; "
                    f"UPDATE stage SET {_q('_d_' + column)} = {parsed}")
        d = _q("_d_" + column)
        bad = (f"({_q(column)} IS NOT NULL AND {d} IS NULL) OR year({d}) < {PLAUSIBLE_YEARS[0]} "
               f"OR year({d}) > {PLAUSIBLE_YEARS[1]}")
        if column in spec.not_null:
            bad = f"{d} IS NULL OR {bad}"
        stage.check(bad, column=column, problem="unparseable, missing or implausible date",
                    policy=policies["invalid_date"], reason=f"invalid {column}",
                    value=None if column == "birth_date" else _q(column),
                    hint="set exports.<name>.date_format, or policies.invalid_date: drop")

    # Categorical values
    for column, values_key in spec.categorical.items():
        value_map = config["values"].get(values_key)
        allowed = categories.ORDER.get(values_key)
        target = _q("_c_" + column)
        con.execute(f"ALTER TABLE stage ADD COLUMN {target} VARCHAR")
        if value_map:
            pairs = pa.table({"raw": [str(k).strip() for k in value_map],
                              "canonical": [v for v in value_map.values()]})
            con.register("value_map", pairs)
            con.execute(f"UPDATE stage SET {target} = m.canonical FROM value_map m WHERE stage.{_q(column)} = m.raw")
            unmapped = f"{_q(column)} IS NOT NULL AND {_q(column)} NOT IN (SELECT raw FROM value_map)"
            wrong = sorted({v for v in value_map.values() if v is not None and allowed and v not in allowed})
            if wrong:
                raise InputError("config", f"values.{values_key}", "maps to values that are not canonical",
                                 value_counts={w: 1 for w in wrong}, hint=f"canonical values are {list(allowed)}")
        else:
            con.execute(f"UPDATE stage SET {target} = {_q(column)}")
            unmapped = (f"{_q(column)} IS NOT NULL AND {_q(column)} NOT IN ({', '.join(_lit(a) for a in allowed)})"
                        if allowed else "false")
        if policies["unmapped_values"] == "error":
            stage.check(unmapped, column=column, problem="unknown value", policy="error", reason="",
                        value=_q(column), hint=f"add them to values.{values_key} in the config")
        else:
            n, _, _ = stage.flagged(unmapped)
            if n:
                notes[f"unknown {column} values treated as missing"] = n
                con.execute(f"UPDATE stage SET {target} = NULL WHERE {unmapped}")
        if column in spec.not_null:
            stage.check(f"{target} IS NULL", column=column, problem="empty value", policy="error", reason="")

    # Export-specific rules
    extra: dict[str, str] = {}
    if export == "vdab":
        code = f"TRY_CAST({_q('status_code')} AS DOUBLE)"
        stage.check(f"{code} IS NULL OR {code} <> round({code})", column="status_code",
                    problem="status code is not a whole number", policy="error", reason="",
                    value=_q("status_code"))
        extra["status_code"] = f"CAST({code} AS BIGINT)"
    if export in ("art60", "twe"):
        stage.check("_d_end_date < _d_start_date", column="end_date", problem="end date before start date",
                    policy=policies["end_before_start"], reason="ends before it starts",
                    hint="set policies.end_before_start: drop to count and skip them")
    if export == "clients":
        age = ("year(_d_intake_date) - year(_d_birth_date) - CASE WHEN month(_d_intake_date) * 100 + day(_d_intake_date)"
               " < month(_d_birth_date) * 100 + day(_d_birth_date) THEN 1 ELSE 0 END")
        stage.check(f"({age}) < 15", column="birth_date", problem="implausible birth date (younger than 15 at intake)",
                    policy="error", reason="")
        extra["age_at_intake"] = f"CAST({age} AS BIGINT)"

    # Pseudonymise each distinct identifier once, then assemble the canonical table.
    distinct = [r[0] for r in con.sql("SELECT DISTINCT _id FROM stage WHERE _reject IS NULL ORDER BY 1").fetchall()]
    con.register("keys", pa.table({"_id": pa.array(distinct, pa.string()),
                                   "client_key": pa.array([pseudonym(i, key) for i in distinct], pa.string())}))
    outputs = {"client_key": "k.client_key", "source_row": "s._row"}
    for column in spec.required + spec.optional:
        if column in ("client_id", "birth_date"):
            continue
        if column in spec.dates:
            outputs[column] = _q("_d_" + column)
        elif column in spec.categorical:
            outputs[column] = _q("_c_" + column)
        elif column in extra:
            outputs[column] = extra[column]
        else:
            outputs[column] = f"s.{_q(column)}"
    if export == "clients":
        outputs["age_at_intake"] = extra["age_at_intake"]
    select = ", ".join(f"{expr} AS {_q(name)}" for name, expr in outputs.items())
    staged = con.sql(f"SELECT {select} FROM stage s JOIN keys k USING (_id) WHERE s._reject IS NULL "
                     f"ORDER BY s._row").to_arrow_table()
    con.close()

    rejected = dict(sorted(stage.rejected.items()))
    accounting = {"export": export, "file": file, "rows_read": raw.num_rows, "rows_kept": staged.num_rows,
                  "rejected": rejected, "notes": notes}
    if sum(rejected.values()) + staged.num_rows != raw.num_rows:
        raise AssertionError(f"{file}: row accounting broken ({accounting})")
    return staged, accounting


def parse_dates(values: pd.Series, date_format: str | None = None) -> tuple[pd.Series, pd.Series]:
    """The date parser of `ingest_export`, for one Series: (dates, mask of unparseable values)."""
    from .readers import _text_or_date

    if values.dtype == object:
        table = pa.table({"v": pa.array([_text_or_date(v) for v in values], type=pa.string())})
    else:
        table = pa.table({"v": pa.Array.from_pandas(values)})
    text = clean_text_sql("v", table.schema.field("v").type)
    con = duckdb.connect()
    con.register("t", table)
    out = con.sql(f"SELECT {date_sql(text, table.schema.field('v').type, date_format)} AS d, "
                  f"({text}) IS NOT NULL AS filled FROM t").df()
    con.close()
    parsed = pd.to_datetime(out["d"]).set_axis(values.index)
    failed = (out["filled"] & out["d"].isna()).set_axis(values.index)
    return parsed, failed
