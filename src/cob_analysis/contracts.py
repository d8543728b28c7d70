"""The contracts between the stages, as code: what each stage's Parquet files hold.

A contract names every column with its kind (int, date, text, bool), whether it may be null,
and for canonical categories the values it may take. Stages check what they write against it
(`check`, on the rows) and what they read (`check_file`, on the Parquet schema alone, which is
cheap), so that a stage never works on a file of another shape: the error names the file, the
contract and the columns. The tables of docs/architecture.md describe the same columns."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from cob_analysis.categories import ORDER


class ContractError(ValueError):
    """A stage's file or table does not have the columns its contract promises."""


KINDS = {
    "int": pa.types.is_integer,
    "date": lambda t: pa.types.is_date(t) or pa.types.is_timestamp(t),
    "text": lambda t: (
        pa.types.is_string(t) or pa.types.is_large_string(t) or pa.types.is_dictionary(t)
    ),
    "bool": pa.types.is_boolean,
}


@dataclass(frozen=True)
class Column:
    name: str
    kind: str
    nullable: bool = True
    values: tuple[str, ...] | None = None  # the canonical values a text column may take


@dataclass(frozen=True)
class Contract:
    name: str
    columns: tuple[Column, ...]

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


def _schema_problems(schema: pa.Schema, contract: Contract) -> list[str]:
    problems = []
    present = {field.name: field.type for field in schema}
    for column in contract.columns:
        if column.name not in present:
            problems.append(f"missing column {column.name} ({column.kind})")
        elif not KINDS[column.kind](present[column.name]):
            problems.append(f"column {column.name} is {present[column.name]}, not {column.kind}")
    return problems


def check(table: pa.Table, contract: Contract, where: str) -> pa.Table:
    """`table` if it meets `contract` (columns, kinds, nulls, canonical values), else ContractError."""
    problems = _schema_problems(table.schema, contract)
    if not problems:
        for column in contract.columns:
            values = table[column.name]
            if not column.nullable and values.null_count:
                problems.append(f"column {column.name} has {values.null_count} empty values")
            if column.values is not None:
                seen = pc.unique(
                    values.cast(pa.string()) if pa.types.is_dictionary(values.type) else values
                )
                unknown = sorted(
                    v for v in seen.to_pylist() if v is not None and v not in column.values
                )
                if unknown:
                    problems.append(
                        f"column {column.name} has values outside {list(column.values)}: {unknown[:5]}"
                    )
    if problems:
        raise ContractError(
            f"{where} does not meet the contract {contract.name}: " + "; ".join(problems)
        )
    return table


def check_file(path: str | Path, contract: Contract) -> Path:
    """`path` if its Parquet schema has the contract's columns and kinds and, by the row groups'
    statistics, no empty value where the contract allows none; else ContractError. Reads only
    the file's footer."""
    metadata = pq.ParquetFile(path).metadata
    problems = _schema_problems(metadata.schema.to_arrow_schema(), contract)
    if not problems:
        names = [metadata.schema.column(i).name for i in range(metadata.num_columns)]
        for column in contract.columns:
            if column.nullable:
                continue
            index = names.index(column.name)
            for group in range(metadata.num_row_groups):
                stats = metadata.row_group(group).column(index).statistics
                if stats is not None and stats.has_null_count and stats.null_count:
                    problems.append(f"column {column.name} has empty values")
                    break
    if problems:
        raise ContractError(
            f"{path} does not meet the contract {contract.name}: " + "; ".join(problems)
        )
    return Path(path)


def _canonical(name: str) -> tuple[str, ...]:
    return tuple(ORDER[name])


KEY = Column("client_key", "int", nullable=False)
SOURCE_ROW = Column("source_row", "int", nullable=False)

STAGED = {
    "clients": Contract(
        "staged clients",
        (
            KEY,
            SOURCE_ROW,
            Column("intake_date", "date", nullable=False),
            Column("trajectory", "text", nullable=False, values=_canonical("trajectory")),
            Column("gender", "text", values=_canonical("gender")),
            Column("nationality", "text"),
            Column("household", "text", values=_canonical("household")),
            Column("nt2_level", "text", values=_canonical("nt2_level")),
            Column("schooling", "text", values=_canonical("schooling")),
            Column("country_of_birth", "text"),
            Column("continent", "text"),
            Column("age_at_intake", "int"),
        ),
    ),
    "art60": Contract(
        "staged art60",
        (
            KEY,
            SOURCE_ROW,
            Column("start_date", "date", nullable=False),
            Column("end_date", "date"),
            Column("employer", "text"),
        ),
    ),
    "twe": Contract(
        "staged twe",
        (
            KEY,
            SOURCE_ROW,
            Column("start_date", "date", nullable=False),
            Column("end_date", "date"),
            Column("result", "text", values=_canonical("twe_result")),
        ),
    ),
    "vdab": Contract(
        "staged vdab",
        (
            KEY,
            SOURCE_ROW,
            Column("reference_date", "date", nullable=False),
            Column("status_code", "int", nullable=False),
        ),
    ),
    "trajectory_changes": Contract(
        "staged trajectory_changes",
        (
            KEY,
            SOURCE_ROW,
            Column("change_date", "date", nullable=False),
            Column("trajectory", "text", nullable=False, values=_canonical("trajectory")),
        ),
    ),
}

CLIENTS = Contract(
    "clients.parquet",
    (
        KEY,
        Column("intake_date", "date", nullable=False),
        Column("cohort", "text", nullable=False),
        Column("trajectory", "text", nullable=False, values=_canonical("trajectory")),
        Column("gender", "text", values=_canonical("gender")),
        Column("age_at_intake", "int"),
        Column("age_group", "text", values=_canonical("age_group")),
        Column("nationality", "text"),
        Column("country_of_birth", "text"),
        Column("continent", "text"),
        Column("household", "text", values=_canonical("household")),
        Column("nt2_level", "text", values=_canonical("nt2_level")),
        Column("schooling", "text", values=_canonical("schooling")),
        Column("reference_date", "date", nullable=False),
        Column("status_code", "int"),
        Column("work_status", "text", nullable=False, values=_canonical("work_status")),
        Column("art60_started", "bool", nullable=False),
        Column("art60_first_start", "date"),
        Column("days_to_art60", "int"),
        Column("art60_count", "int", nullable=False),
        Column("art60_last_employer", "text"),
        Column("twe_last_end", "date"),
        Column("twe_last_result", "text", values=_canonical("twe_result")),
        Column("observation_end", "date", nullable=False),
    ),
)

STATUS_PANEL = Contract(
    "status_panel.parquet",
    (
        KEY,
        Column("reference_date", "date", nullable=False),
        Column("status_code", "int", nullable=False),
        Column("work_status", "text", nullable=False, values=_canonical("work_status")),
        Column("status_category", "text"),
    ),
)
