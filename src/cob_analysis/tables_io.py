"""Writing and reading output tables: `<id>.csv` plus `meta/<id>.json`, byte-stable."""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pandas as pd

from cob_analysis.safe_text import write_csv
from cob_analysis.storage import write_text

TOTAL = "Totaal"


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
    `<tables_dir>/meta/<id>.json` deterministically."""
    tables_dir = Path(tables_dir)
    (tables_dir / "meta").mkdir(parents=True, exist_ok=True)
    csv_path = tables_dir / f"{meta.id}.csv"
    write_csv(frame, csv_path)
    meta_path = tables_dir / "meta" / f"{meta.id}.json"
    write_text(
        json.dumps(_clean_for_json(asdict(meta)), ensure_ascii=False, indent=2, sort_keys=True)
        + "\n",
        meta_path,
    )
    return csv_path


def read_table(tables_dir: Path, table_id: str) -> tuple[pd.DataFrame, dict]:
    """Read a table back with every label as text (so `0` and `<1.1` stay what they were)."""
    tables_dir = Path(tables_dir)
    frame = pd.read_csv(tables_dir / f"{table_id}.csv", dtype=str, keep_default_na=False)
    for column in ("n", "pct"):
        if column in frame.columns:
            frame[column] = pd.to_numeric(frame[column].replace("", None))
    meta = json.loads((tables_dir / "meta" / f"{table_id}.json").read_text(encoding="utf-8"))
    return frame, meta


def add_notes(tables_dir: Path, table_id: str, notes: list[str]) -> None:
    """Append notes to a written table's meta file (the CSV is left as it is)."""
    meta_path = Path(tables_dir) / "meta" / f"{table_id}.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta["notes"] = [*meta.get("notes", []), *notes]
    write_text(json.dumps(meta, ensure_ascii=False, indent=2, sort_keys=True) + "\n", meta_path)
