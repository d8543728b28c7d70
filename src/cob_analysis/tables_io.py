"""Writing and reading output tables: `<id>.csv` plus `meta/<id>.json`, byte-stable.

The meta file says what the CSV holds (`columns`: each column's type, and for numbers the
decimals they are written with), so that readers (the workbook, the HTML report) take the
table's layout from its metadata, not from guesses over CSV text. The metadata follow
`schemas/table_meta.schema.json`, checked when a table is written and when it is read."""

from __future__ import annotations

import functools
import io
import json
import math
import re
from dataclasses import asdict, dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd

from cob_analysis.safe_text import csv_text
from cob_analysis.storage import write_text

TOTAL = "Totaal"
# Columns that hold labels, whatever they look like (NT2 level `1.1`, VDAB code `05`): text.
LABEL_COLUMNS = frozenset(
    {
        "code",
        "label",
        "row",
        "group",
        "group_var",
        "col",
        "level",
        "variable",
        "covariate",
        "comparison",
        "check",
        "description",
        "export",
        "file",
        "note",
        "measure",
        "test",
        "group_a",
        "group_b",
    }
)
MAX_DECIMALS = 10
# a suppressed small count as the public tables print it, e.g. "<5"
MASKED_COUNT = re.compile(r"^\s*[<>≤≥]=?\s*\d+(?:[.,]\d+)?\s*$")


def round_half_up(value: float | None, decimals: int = 1) -> float | None:
    """Round as SPSS and Excel print (half away from zero), not Python's banker's rounding."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    quantum = Decimal(1).scaleb(-decimals)
    return float(Decimal(repr(float(value))).quantize(quantum, rounding=ROUND_HALF_UP))


def percentage(n: pd.Series | float, total: pd.Series | float, decimals: int = 1):
    """n / total * 100 rounded half-up; 0 where the total is 0."""
    if isinstance(n, pd.Series):
        total = total if isinstance(total, pd.Series) else pd.Series(total, index=n.index)
        raw = (n.astype(float) * 100.0 / total.astype(float).where(total != 0)).fillna(0.0)
        return raw.map(lambda v: round_half_up(v, decimals))
    return round_half_up(100.0 * n / total, decimals) if total else 0.0


@dataclass
class TableMeta:
    """What a reader needs next to the numbers: title, notes, how the table was made."""

    id: str
    title: str
    kind: str  # crosstab | oneway | stats
    number: int | None = None
    notes: list[str] = field(default_factory=list)
    row_var: str | None = None
    col_var: str | None = None
    percent: str | None = None  # row | column
    missing_excluded: int | None = None
    association: dict[str, Any] | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    # what the CSV holds, column by column: set by `write_table` from the text it writes
    columns: list[dict[str, Any]] = field(default_factory=list)


class TableMetaError(ValueError):
    """A table's metadata do not follow schemas/table_meta.schema.json."""


def parse_number(value: str) -> float | None:
    """A CSV cell as a finite number; None for an empty cell, text or a non-finite value."""
    if value == "":
        return None
    try:
        number = float(value)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def decimals_of(texts: pd.Series) -> int:
    """The most decimals any value of a CSV column is written with (`1e-05` has five)."""
    best = 0
    for value in texts:
        try:
            exponent = Decimal(value.strip()).as_tuple().exponent
        except (InvalidOperation, AttributeError):
            continue
        if isinstance(exponent, int):
            best = max(best, -exponent)
    return min(best, MAX_DECIMALS)


def column_type(name: str, texts: pd.Series) -> dict[str, Any]:
    """The type of one column as written: `number` (every cell a finite number, a suppressed
    count such as `<5`, or empty, and at least one number; with its decimals), `bool` (True or
    False) or `text` (labels, dates, anything else)."""
    values = [t for t in texts if t != ""]
    if name not in LABEL_COLUMNS:
        parsed = [parse_number(t) is not None for t in values]
        if any(parsed) and all(
            ok or MASKED_COUNT.match(t) for ok, t in zip(parsed, values, strict=True)
        ):
            return {"name": name, "type": "number", "decimals": decimals_of(texts)}
    if values and set(values) <= {"True", "False"}:
        return {"name": name, "type": "bool", "decimals": None}
    return {"name": name, "type": "text", "decimals": None}


def column_types(written: pd.DataFrame) -> list[dict[str, Any]]:
    """`column_type` of every column of a table read back as text."""
    return [column_type(str(name), written[name]) for name in written.columns]


@functools.cache
def _meta_validator():
    import jsonschema

    schema = json.loads(
        resources.files("cob_analysis")
        .joinpath("schemas/table_meta.schema.json")
        .read_text(encoding="utf-8")
    )
    return jsonschema.Draft202012Validator(schema)


def check_meta(meta: dict[str, Any], where: str) -> dict[str, Any]:
    """`meta` if it follows the table metadata schema; else a TableMetaError naming `where`."""
    problems = sorted(
        _meta_validator().iter_errors(meta), key=lambda e: [str(p) for p in e.absolute_path]
    )
    if problems:
        lines = "; ".join(
            f"{'/'.join(str(p) for p in e.absolute_path) or '(top)'}: {e.message}"
            for e in problems[:5]
        )
        raise TableMetaError(f"{where}: table metadata do not follow the schema: {lines}")
    return meta


def _clean_for_json(obj: Any) -> Any:
    if isinstance(obj, dict):
        return {str(k): _clean_for_json(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_clean_for_json(v) for v in obj]
    if isinstance(obj, float):
        return None if math.isnan(obj) or math.isinf(obj) else obj
    if hasattr(obj, "item"):  # numpy scalar
        return _clean_for_json(obj.item())
    return obj


def write_table(frame: pd.DataFrame, meta: TableMeta, tables_dir: Path) -> Path:
    """Write `<tables_dir>/<id>.csv` (text cells neutralised, see safe_text) and
    `<tables_dir>/meta/<id>.json` deterministically; the meta file gets each column's type
    and decimals as the CSV writes them, and is checked against its schema."""
    tables_dir = Path(tables_dir)
    (tables_dir / "meta").mkdir(parents=True, exist_ok=True)
    text = csv_text(frame)
    written = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    record = _clean_for_json({**asdict(meta), "columns": column_types(written)})
    meta_path = tables_dir / "meta" / f"{meta.id}.json"
    check_meta(record, str(meta_path))
    csv_path = write_text(text, tables_dir / f"{meta.id}.csv")
    write_text(json.dumps(record, ensure_ascii=False, indent=2, sort_keys=True) + "\n", meta_path)
    return csv_path


def read_meta(tables_dir: Path, table_id: str) -> dict[str, Any]:
    """A table's metadata, checked against the schema (the error names the file)."""
    meta_path = Path(tables_dir) / "meta" / f"{table_id}.json"
    if not meta_path.exists():
        raise TableMetaError(f"{meta_path}: the metadata of table {table_id} are missing")
    return check_meta(json.loads(meta_path.read_text(encoding="utf-8")), str(meta_path))


def read_table(tables_dir: Path, table_id: str) -> tuple[pd.DataFrame, dict]:
    """Read a table back with every label as text (so `0` and `<1.1` stay what they were)."""
    tables_dir = Path(tables_dir)
    frame = pd.read_csv(tables_dir / f"{table_id}.csv", dtype=str, keep_default_na=False)
    for column in ("n", "pct"):
        if column in frame.columns:
            frame[column] = pd.to_numeric(frame[column].replace("", None))
    return frame, read_meta(tables_dir, table_id)


def add_notes(tables_dir: Path, table_id: str, notes: list[str]) -> None:
    """Append notes to a written table's meta file (the CSV is left as it is)."""
    meta_path = Path(tables_dir) / "meta" / f"{table_id}.json"
    meta = read_meta(tables_dir, table_id)
    meta["notes"] = [*meta.get("notes", []), *notes]
    check_meta(meta, str(meta_path))
    write_text(json.dumps(meta, ensure_ascii=False, indent=2, sort_keys=True) + "\n", meta_path)
