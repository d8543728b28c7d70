"""Map, validate and pseudonymise one raw export into canonical columns.

The work runs in DuckDB over Arrow (a few vectorised passes, no Python per row): the raw
table is cleaned into canonical columns, each check flags rows, and every problem either stops
the run with an :class:`InputError` naming file, column, values, counts and first rows (the
default) or, where the config's policy says so, marks the rows rejected under a named reason.
Each distinct national register number is pseudonymised once."""

from __future__ import annotations

from collections.abc import Iterable

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from cob_analysis import categories
from cob_analysis.errors import InputError, mask_value
from cob_analysis.ingest import insz
from cob_analysis.ingest.checks import MAX_ROWS_LISTED, Check, Stage
from cob_analysis.ingest.pseudonymise import pseudonym_sql, register_key
from cob_analysis.ingest.specs import PLAUSIBLE_YEARS, SPECS, UNUSED
from cob_analysis.ingest.sql import (
    clean_text_sql,
    date_sql,
    normalised_id_sql,
    quoted,
    valid_insz_sql,
)


def select_columns(
    schema: pa.Schema, export: str, columns: dict[str, str], file: str
) -> dict[str, str | None]:
    """Canonical name -> raw header (None for an optional column absent from the file)."""
    spec = SPECS[export]
    unknown_canonical = sorted(set(columns) - set(spec.required) - set(spec.optional))
    if unknown_canonical:
        raise InputError(
            file,
            None,
            f"config maps unknown canonical columns {unknown_canonical} for export '{export}'",
            hint=f"canonical columns are {list(spec.required + spec.optional)}",
        )
    missing_mapping = [c for c in spec.required if c not in columns]
    if missing_mapping:
        raise InputError(
            file,
            None,
            f"config exports.{export}.columns does not map required columns {missing_mapping}",
        )
    present = set(schema.names)
    absent_required = {
        c: raw for c, raw in columns.items() if raw not in present and c in spec.required
    }
    if absent_required:
        names = ", ".join(f"'{raw}' ({c})" for c, raw in absent_required.items())
        raise InputError(
            file,
            None,
            f"missing required column{'s' if len(absent_required) > 1 else ''} {names}",
            # masked: a file without a header row has its first row's values as names
            hint=f"columns in the file: {[mask_value(c) for c in schema.names if c != '_row']}",
        )
    return {
        c: (columns.get(c) if columns.get(c) in present else None)
        for c in spec.required + spec.optional
    }


def raw_columns(export_cfg: dict) -> list[str]:
    """The raw headers ingest uses from an export (those it maps, less the unused ones)."""
    return [raw for name, raw in export_cfg["columns"].items() if name not in UNUSED]


def _check_pseudonyms(per_value: pa.Table, file: str, column: str) -> None:
    """Stop if two different numbers got one 64-bit pseudonym (about 1 in a million for five
    million people): linking them would merge two people."""
    pairs = pa.table({"n": per_value["_norm"], "k": per_value["client_key"]}).filter(
        pc.is_valid(per_value["_norm"])
    )
    distinct = pairs.group_by(["n", "k"]).aggregate([])
    if distinct.num_rows != len(pc.unique(distinct["k"])):
        raise InputError(
            file,
            column,
            "two different national register numbers share one 64-bit pseudonym",
            hint="choose another pseudonymisation key (COB_PSEUDO_KEY) and run again",
        )


def _per_value(
    con: duckdb.DuckDBPyConnection, column: pa.ChunkedArray | pa.Array, *stages: dict[str, str]
) -> tuple[pa.Array, pa.Table]:
    """Evaluate SQL expressions once per distinct value of `column`.

    The first stage's expressions are over `v`, the raw value; each later stage may use the
    columns of the stages before it (so that an expensive expression is computed once). Names
    starting with "__" are helpers and not returned. Returns the row -> distinct value indices
    and the per-value results; `_spread` turns them back into columns (row order kept, an index
    lookup per row)."""
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks()
    if pa.types.is_dictionary(column.type):
        column = column.dictionary_decode()
    encoded = pc.dictionary_encode(column)
    con.register(
        "dictionary",
        pa.table(
            {
                "i": pa.array(np.arange(len(encoded.dictionary), dtype=np.int64)),
                "v": encoded.dictionary,
            }
        ),
    )
    query = "SELECT * FROM dictionary"
    for expressions in stages:
        query = f"SELECT *, {', '.join(f'{expr} AS {quoted(name)}' for name, expr in expressions.items())} FROM ({query})"
    names = [name for expressions in stages for name in expressions if not name.startswith("__")]
    per_value = con.sql(
        f"SELECT {', '.join(quoted(n) for n in names)} FROM ({query}) ORDER BY i"
    ).to_arrow_table()
    con.unregister("dictionary")
    return encoded.indices, per_value


def _spread(indices: pa.Array, values: pa.ChunkedArray | pa.Array) -> pa.Array:
    """Per-value results as a column: text stays dictionary-encoded (no copy per row)."""
    values = values.combine_chunks() if isinstance(values, pa.ChunkedArray) else values
    if pa.types.is_string(values.type) or pa.types.is_large_string(values.type):
        return pa.DictionaryArray.from_arrays(indices, values)
    return pc.take(values, indices)


def _ids_in_free_text(
    values: pa.Array, rows: pa.Array, file: str, column: str, policy: str, notes: dict[str, int]
) -> pa.Array:
    """Stop on (policy `error`) or mask (policy `mask`, counted) national register numbers typed
    into a free-text column. Checked once per distinct value; the numbers are never shown."""
    if not pa.types.is_dictionary(values.type):
        values = pc.dictionary_encode(values)
    distinct = values.dictionary.to_pylist()
    hits = [bool(insz.find_in_text(v)) for v in distinct]
    if not any(hits):
        return values
    flagged = pc.is_in(
        values.indices,
        value_set=pa.array([i for i, hit in enumerate(hits) if hit], values.indices.type),
    )
    n_rows = pc.sum(flagged).as_py()
    if policy == "mask":
        notes[f"national register numbers masked in {column}"] = n_rows
        masked = pa.array(
            [insz.mask_in_text(v) if hit else v for v, hit in zip(distinct, hits, strict=True)],
            pa.string(),
        )
        return pa.DictionaryArray.from_arrays(values.indices, masked)
    first = pc.filter(rows, flagged).slice(0, MAX_ROWS_LISTED).to_pylist()
    raise InputError(
        file,
        column,
        "a national register number in a free-text column (not shown)",
        rows=first,
        n_rows=n_rows,
        hint="remove it from the export, or set policies.ids_in_free_text: mask "
        "to replace such numbers by [INSZ] (counted)",
    )


def ingest_export(
    raw: pa.Table | pd.DataFrame,
    export: str,
    export_cfg: dict,
    config: dict,
    key: bytes,
    file: str,
) -> tuple[pa.Table, dict]:
    """Raw table -> canonical, validated, pseudonymised Arrow table plus its accounting.

    Identifiers, dates, codes and categories are cleaned and parsed once per distinct value and
    spread back over the rows, so the cost per row is an index lookup, whatever the size."""
    if isinstance(raw, pd.DataFrame):
        from cob_analysis.ingest.readers import frame_to_arrow

        raw = frame_to_arrow(raw)
    spec = SPECS[export]
    policies = config["policies"]
    colname = export_cfg["columns"]
    mapping = select_columns(raw.schema, export, colname, file)
    rows_read = raw.num_rows
    id_kind = config["id_kind"]
    con = duckdb.connect()
    register_key(con, key)
    notes: dict[str, int] = {}
    stage: dict[str, pa.Array] = {"_row": raw["_row"].combine_chunks()}

    def column_of(name: str) -> pa.ChunkedArray | pa.Array:
        if mapping[name] is None:
            return pa.nulls(rows_read, pa.string())
        return raw[mapping[name]]

    def text(name: str) -> str:
        return clean_text_sql("v", column_of(name).type)

    for column in spec.required + spec.optional:
        if column in UNUSED:
            continue
        exprs = {f"_raw_{column}": text(column)}
        stages: list[dict[str, str]] = []
        if column == "client_id":  # pseudonymised once per distinct raw value
            exprs["__n"] = normalised_id_sql(f"({text(column)})", id_kind)
            valid = valid_insz_sql("__n") if id_kind == "insz" else "__n IS NOT NULL"
            stages = [
                {"_id_valid": f"coalesce({valid}, false)"},
                {"_norm": "CASE WHEN _id_valid THEN __n END"},
                {"client_key": pseudonym_sql("_norm")},
            ]
        elif column in spec.dates:
            raw_text = quoted(f"_raw_{column}")
            stages = [
                {column: date_sql(raw_text, column_of(column).type, export_cfg.get("date_format"))}
            ]
        elif column == "status_code":
            stages = [
                {"_code": f"TRY_CAST(replace({quoted('_raw_status_code')}, ',', '.') AS DOUBLE)"}
            ]  # decimal comma
        indices, per_value = _per_value(con, column_of(column), exprs, *stages)
        if column == "client_id":
            _check_pseudonyms(per_value, file, colname.get(column, column))
            per_value = per_value.drop_columns(["_norm"])
        for name in per_value.column_names:
            stage[name] = _spread(indices, per_value[name])

    for column in spec.free_text:
        stage[f"_raw_{column}"] = _ids_in_free_text(
            stage[f"_raw_{column}"],
            stage["_row"],
            file,
            colname.get(column, column),
            policies["ids_in_free_text"],
            notes,
        )

    for column, values_key in spec.categorical.items():
        value_map = config["values"].get(values_key)
        allowed = categories.ORDER.get(values_key)
        raw_text = stage[f"_raw_{column}"]
        if value_map:
            wrong = sorted(
                {v for v in value_map.values() if v is not None and allowed and v not in allowed}
            )
            if wrong:
                raise InputError(
                    "config",
                    f"values.{values_key}",
                    "maps to values that are not canonical",
                    value_counts={w: 1 for w in wrong},
                    hint=f"canonical values are {list(allowed)}",
                )
            # listed raw values first; a canonical value not listed as a raw value maps to itself
            pairs = {str(k).strip(): v for k, v in value_map.items()}
            pairs.update({v: v for v in allowed or () if v not in pairs})
            raws = pa.array(list(pairs), pa.string())
            canonical = pa.array(list(pairs.values()), pa.string())
            position = pc.index_in(
                raw_text.dictionary_decode() if pa.types.is_dictionary(raw_text.type) else raw_text,
                value_set=raws,
            )
            stage[column] = pc.take(canonical, position)
            stage[f"_known_{column}"] = pc.or_(pc.is_null(raw_text), pc.is_valid(position))
        else:
            plain = (
                raw_text.dictionary_decode() if pa.types.is_dictionary(raw_text.type) else raw_text
            )
            known = (
                pc.is_in(plain, value_set=pa.array(list(allowed), pa.string()))
                if allowed
                else pa.array([True] * len(raw_text))
            )
            stage[f"_known_{column}"] = pc.or_(pc.is_null(raw_text), known)
            stage[column] = pc.if_else(
                stage[f"_known_{column}"], plain, pa.scalar(None, pa.string())
            )
    raw = None  # free the raw columns before the checks: only the stage is needed from here
    con.register("stage", pa.table(stage))
    del stage

    stage = Stage(con, file, colname)
    raw_of = {c: quoted("_raw_" + c) for c in spec.required + spec.optional}
    for column in spec.not_null:
        if column in spec.dates:
            continue  # checked with the dates
        stage.add(
            Check(
                f"{raw_of[column]} IS NULL",
                column,
                "empty value",
                policies["invalid_id"] if column == "client_id" else "error",
                f"empty {column}",
                hint="this column may not be blank",
            )
        )
    if id_kind == "insz":  # never echoed: only the digit pattern is shown
        stage.add(
            Check(
                "NOT _id_valid",
                "client_id",
                "invalid national register number (mod-97 check)",
                policies["invalid_id"],
                "invalid national register number",
                value="regexp_replace(_raw_client_id, '[0-9]', '9', 'g')",
                hint="values shown as their digit pattern; set policies.invalid_id: drop to count and skip them",
            )
        )
    for column in spec.dates:
        d = quoted(column)
        bad = (
            f"({raw_of[column]} IS NOT NULL AND {d} IS NULL) OR year({d}) < {PLAUSIBLE_YEARS[0]} "
            f"OR year({d}) > {PLAUSIBLE_YEARS[1]}"
        )
        if column in spec.not_null:
            bad = f"{d} IS NULL OR {bad}"
        stage.add(
            Check(
                bad,
                column,
                "unparseable, missing or implausible date",
                policies["invalid_date"],
                f"invalid {column}",
                value=None if column == "birth_date" else raw_of[column],
                hint="set exports.<name>.date_format, or policies.invalid_date: drop",
            )
        )
    for column, values_key in spec.categorical.items():
        unknown = f"NOT {quoted('_known_' + column)}"
        if policies["unmapped_values"] == "error":
            allowed = categories.ORDER.get(values_key)
            canonical = (
                f"; canonical values (map to themselves): {', '.join(allowed)}" if allowed else ""
            )
            stage.add(
                Check(
                    unknown,
                    column,
                    "unknown value",
                    "error",
                    "",
                    value=raw_of[column],
                    hint=f"map them in values.{values_key} in the config (raw value: canonical value, "
                    f"or null for missing){canonical}; or set policies.unmapped_values: missing",
                )
            )
        else:
            stage.add(
                Check(unknown, column, "", "note", f"unknown {column} values treated as missing")
            )
        if column in spec.not_null:
            stage.add(Check(f"{quoted(column)} IS NULL", column, "empty value", "error", ""))
    outputs: dict[str, str] = {}
    if export == "vdab":
        stage.add(
            Check(
                "_code IS NULL OR _code <> round(_code)",
                "status_code",
                "status code is not a whole number",
                "error",
                "",
                value=raw_of["status_code"],
            )
        )
        outputs["status_code"] = "CAST(_code AS BIGINT)"
    if export in ("art60", "twe"):
        stage.add(
            Check(
                "end_date < start_date",
                "end_date",
                "end date before start date",
                policies["end_before_start"],
                "ends before it starts",
                hint="set policies.end_before_start: drop to count and skip them",
            )
        )
    if export == "clients":
        age = (
            "year(intake_date) - year(birth_date) - CASE WHEN month(intake_date) * 100 + day(intake_date)"
            " < month(birth_date) * 100 + day(birth_date) THEN 1 ELSE 0 END"
        )
        stage.add(
            Check(
                f"({age}) < 15",
                "birth_date",
                "implausible birth date (younger than 15 at intake)",
                "error",
                "",
            )
        )
        outputs["age_at_intake"] = f"CAST({age} AS BIGINT)"

    stage.run()
    notes.update(stage.noted)
    columns = {"client_key": "client_key", "source_row": "_row"}
    for column in spec.required + spec.optional:
        if column not in ("client_id", "birth_date") + UNUSED:
            derived = column in spec.dates or column in spec.categorical
            columns[column] = outputs.get(
                column, quoted(column) if derived else quoted("_raw_" + column)
            )
    if "age_at_intake" in outputs:
        columns["age_at_intake"] = outputs["age_at_intake"]
    select = ", ".join(f"{expr} AS {quoted(name)}" for name, expr in columns.items())
    # a filter and projection keep the insertion (row) order: DuckDB's preserve_insertion_order
    staged = con.sql(f"SELECT {select} FROM stage WHERE {stage._still_in()}").to_arrow_table()
    con.close()

    rejected = dict(sorted(stage.rejected.items()))
    accounting = {
        "export": export,
        "file": file,
        "rows_read": rows_read,
        "rows_kept": staged.num_rows,
        "rejected": rejected,
        "notes": notes,
    }
    if sum(rejected.values()) + staged.num_rows != rows_read:
        raise AssertionError(f"{file}: row accounting broken ({accounting})")
    return staged, accounting


def parse_dates(values: pd.Series, date_format: str | None = None) -> tuple[pd.Series, pd.Series]:
    """The date parser of `ingest_export`, for one Series: (dates, mask of unparseable values)."""
    from cob_analysis.ingest.readers import _text_or_date

    if values.dtype == object:
        table = pa.table({"v": pa.array([_text_or_date(v) for v in values], type=pa.string())})
    else:
        table = pa.table({"v": pa.Array.from_pandas(values)})
    text = clean_text_sql("v", table.schema.field("v").type)
    con = duckdb.connect()
    con.register("t", table)
    out = con.sql(
        f"SELECT {date_sql(text, table.schema.field('v').type, date_format)} AS d, "
        f"({text}) IS NOT NULL AS filled FROM t"
    ).df()
    con.close()
    parsed = pd.to_datetime(out["d"]).set_axis(values.index)
    failed = (out["filled"] & out["d"].isna()).set_axis(values.index)
    return parsed, failed


def ingest(
    raws: Iterable[tuple[str, pa.Table, str]],
    export: str,
    config: dict,
    key: bytes,
    is_demo: bool = False,
) -> tuple[pa.Table, dict]:
    """Rule `ingest`: one export, in one file or several (`raws`: file, raw table, SHA-256 each,
    read one at a time), as one staged table plus its accounting (per file and summed)."""
    export_cfg = config["exports"][export]
    tables, accountings = [], []
    for file, raw, sha256 in raws:
        staged, accounting = ingest_export(raw, export, export_cfg, config, key, file=file)
        accounting["sha256"] = sha256
        tables.append(staged)
        accountings.append(accounting)
    staged = pa.concat_tables(tables)
    if len(tables) > 1:  # several files: row numbers stay per file, keep them unique for linkage
        staged = staged.set_column(
            staged.schema.get_field_index("source_row"),
            "source_row",
            pa.array(np.arange(1, staged.num_rows + 1, dtype=np.int64)),
        )
    combined = {
        "export": export,
        "file": ", ".join(a["file"] for a in accountings),
        "files": accountings,
        "rows_read": sum(a["rows_read"] for a in accountings),
        "rows_kept": sum(a["rows_kept"] for a in accountings),
        "rejected": _sum_counts(a["rejected"] for a in accountings),
        "notes": _sum_counts(a["notes"] for a in accountings),
        "demo_key": is_demo,
    }
    return staged, combined


def _sum_counts(counts: Iterable[dict[str, int]]) -> dict[str, int]:
    out: dict[str, int] = {}
    for one in counts:
        for name, n in one.items():
            out[name] = out.get(name, 0) + n
    return dict(sorted(out.items()))
