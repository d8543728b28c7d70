"""Published versus regenerated figures.

A reference file of published figures (YAML, one entry per table id under `tables:`) is turned
into a long frame with one row per printed number (`load_published`), and each number is set
beside the one the pipeline wrote to `reports/tables/<id>.csv` (`compare`). Numbers are compared
at the precision the publication printed them: the regenerated value is rounded half-up to the
number of decimals of the printed figure (`49.1` -> 1 decimal, `448` -> none).

Shapes of a table entry the loader understands (any table id; nothing here is specific to one
report):

- cross-tab: `rows: {row: {col: n, ...}}`, optional `pct: {row: [p, ...]}` whose values belong
  to the row's columns in order (all of them, or all but `Totaal`); percentages get the column
  name `"<col> %"`;
- statistics table: `columns: [c1, c2, ...]` and `rows: {row: [v1, v2, ...]}`;
- one-way table: `rows: {row: [n, pct]}` or `rows: {row: [label, n, pct]}` (text is skipped) or
  `rows: {row: n}`; columns `n` and `pct`;
- `total: N` adds the `Totaal` row's `n`.
"""

from __future__ import annotations

import math
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from cob_analysis.labels import value_label
from cob_analysis.tables_io import TOTAL, round_half_up

__all__ = ["LABEL_ALIASES", "PCT_SUFFIX", "compare", "load_published", "summarise"]

PCT_SUFFIX = " %"

# Label spellings of the publication -> canonical labels of the pipeline. The report writes
# "SD/activering" in chapter 3 and leaves the label of "NT2 level not registered" empty.
LABEL_ALIASES: dict[str, str] = {"SD/activering": "SD/Activering", "": "Niet geregistreerd"}

PUBLISHED_COLUMNS = ["table_id", "row", "col", "published", "decimals", "row_as_printed"]
COMPARED_COLUMNS = ["regenerated", "regenerated_rounded", "match", "source_row", "source_column"]


class _DecimalLoader(yaml.SafeLoader):
    """Safe YAML loader that keeps floats as `Decimal`, so `28.0` remembers its one decimal."""


def _construct_decimal(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    text = str(loader.construct_scalar(node)).replace("_", "").strip()
    try:
        value = Decimal(text)
    except InvalidOperation:
        return yaml.SafeLoader.construct_yaml_float(loader, node)
    return value if value.is_finite() else yaml.SafeLoader.construct_yaml_float(loader, node)


_DecimalLoader.add_constructor("tag:yaml.org,2002:float", _construct_decimal)


def _is_number(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, float):
        return math.isfinite(value)
    return isinstance(value, int | Decimal)


def _decimals(value: Any) -> int:
    if isinstance(value, Decimal):
        return max(0, -int(value.as_tuple().exponent))
    if isinstance(value, float):  # only for values the Decimal loader could not keep
        text = repr(value)
        return len(text.split(".")[1]) if "." in text and "e" not in text else 0
    return 0


def _label(key: Any) -> str:
    if key is None:
        return ""
    if isinstance(key, float) and key.is_integer():
        return str(int(key))
    return str(key)


def _record(
    table_id: str, row: Any, col: str, value: Any, aliases: dict[str, str]
) -> dict[str, Any]:
    printed = _label(row)
    return {
        "table_id": table_id,
        "row": aliases.get(printed, printed),
        "col": col,
        "published": float(value),
        "decimals": _decimals(value),
        "row_as_printed": printed,
    }


def _crosstab_records(table_id: str, spec: dict, aliases: dict[str, str]) -> list[dict[str, Any]]:
    rows: dict = spec["rows"]
    out = []
    for row, cells in rows.items():
        for col, n in cells.items():
            if _is_number(n):
                out.append(_record(table_id, row, _label(col), n, aliases))
    first_columns = [_label(c) for c in next(iter(rows.values()))] if rows else []
    for row, values in (spec.get("pct") or {}).items():
        columns = [_label(c) for c in rows[row]] if row in rows else first_columns
        if len(values) != len(columns):
            columns = [c for c in columns if c != TOTAL]
        if len(values) != len(columns):
            raise ValueError(
                f"{table_id}: row {row!r} prints {len(values)} percentages but has "
                f"{len(columns)} columns ({', '.join(columns)})"
            )
        for col, pct in zip(columns, values, strict=True):
            if _is_number(pct):
                out.append(_record(table_id, row, col + PCT_SUFFIX, pct, aliases))
    return out


def _list_records(table_id: str, spec: dict, aliases: dict[str, str]) -> list[dict[str, Any]]:
    columns = [str(c) for c in spec.get("columns") or []]
    out = []
    for row, values in spec["rows"].items():
        if not isinstance(values, list):
            values = [values]
        if columns:
            if len(values) != len(columns):
                raise ValueError(
                    f"{table_id}: row {row!r} has {len(values)} values for {len(columns)} columns"
                )
            pairs = list(zip(columns, values, strict=True))
        else:
            numbers = [v for v in values if _is_number(v)]
            if len(numbers) > 2:
                raise ValueError(
                    f"{table_id}: row {row!r} has more than two numbers and no `columns:`"
                )
            pairs = list(zip(["n", "pct"], numbers, strict=False))
        out += [_record(table_id, row, col, v, aliases) for col, v in pairs if _is_number(v)]
    return out


def _table_records(table_id: str, spec: Any, aliases: dict[str, str]) -> list[dict[str, Any]]:
    if not isinstance(spec, dict) or not isinstance(spec.get("rows"), dict):
        return []
    rows = spec["rows"]
    if rows and all(isinstance(v, dict) for v in rows.values()):
        out = _crosstab_records(table_id, spec, aliases)
    else:
        out = _list_records(table_id, spec, aliases)
    if _is_number(spec.get("total")):
        out.append(_record(table_id, TOTAL, "n", spec["total"], aliases))
    return out


def load_published(path: str | Path, *, aliases: dict[str, str] | None = None) -> pd.DataFrame:
    """The published figures of a reference file as a long frame, one row per printed number:
    `table_id, row, col, published, decimals, row_as_printed`. `row` is the canonical label
    (`aliases`, default `LABEL_ALIASES`, maps the publication's spellings), `decimals` the number
    of decimals printed."""
    aliases = LABEL_ALIASES if aliases is None else aliases
    document = yaml.load(Path(path).read_text(encoding="utf-8"), Loader=_DecimalLoader)
    if not isinstance(document, dict):
        raise ValueError(f"{path}: not a reference file of published figures (no mapping)")
    tables = document.get("tables", document)
    records: list[dict[str, Any]] = []
    for table_id, spec in tables.items():
        records += _table_records(str(table_id), spec, aliases)
    frame = pd.DataFrame(records, columns=PUBLISHED_COLUMNS)
    frame["decimals"] = frame["decimals"].astype("int64")
    frame["published"] = frame["published"].astype(float)
    return frame


# --- compare -------------------------------------------------------------------------------


def _candidates(label: str, aliases: dict[str, str]) -> list[str]:
    """The labels a published label may have in a table: canonical, then its English label."""
    canonical = aliases.get(label, label)
    return list(dict.fromkeys([canonical, str(value_label(canonical, "en"))]))


def _read_raw(tables_dir: Path, table_id: str) -> tuple[pd.DataFrame, dict] | None:
    from cob_analysis.tables_io import read_meta

    csv = tables_dir / f"{table_id}.csv"
    if not csv.exists():
        return None
    frame = pd.read_csv(csv, dtype=str, keep_default_na=False)
    return frame, read_meta(tables_dir, table_id)


def _find_crosstab(
    frame: pd.DataFrame, row: str, col: str, aliases: dict[str, str]
) -> tuple[int | None, str]:
    field = "n"
    if col.endswith(PCT_SUFFIX):
        col, field = col[: -len(PCT_SUFFIX)], "pct"
    rows = frame["row"].isin(_candidates(row, aliases))
    cols = frame["col"].isin(_candidates(col, aliases))
    hits = frame.index[rows & cols]
    return (int(hits[0]) if len(hits) == 1 else None), field


def _find_row(frame: pd.DataFrame, row: str, field: str, aliases: dict[str, str]) -> int | None:
    """The one CSV row whose label (in the first text column that has it exactly once) is `row`."""
    wanted = _candidates(row, aliases)
    for column in frame.columns:
        if column == field:
            continue
        hits = frame.index[frame[column].isin(wanted)]
        if len(hits) == 1:
            return int(hits[0])
    return None


def _to_float(text: Any) -> float | None:
    try:
        value = float(text)
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) else None


def compare(
    published: pd.DataFrame, tables_dir: str | Path, *, aliases: dict[str, str] | None = None
) -> pd.DataFrame:
    """Set every published figure beside the regenerated one from `tables_dir/<table_id>.csv`.

    Adds `regenerated` (the value in the CSV table, NaN when the table, row or column is
    missing), `regenerated_rounded` (rounded half-up to the published decimals), `match` (bool),
    and `source_row`/`source_column` (where in the CSV the value was found: 0-based data row and
    column name). Labels are found in Dutch or, for tables written with `language: en`, English."""
    aliases = LABEL_ALIASES if aliases is None else aliases
    tables_dir = Path(tables_dir)
    cache: dict[str, tuple[pd.DataFrame, dict] | None] = {}
    results = []
    for item in published.itertuples(index=False):
        table_id, row, col = str(item.table_id), str(item.row), str(item.col)
        if table_id not in cache:
            cache[table_id] = _read_raw(tables_dir, table_id)
        loaded = cache[table_id]
        index: int | None = None
        field = col
        if loaded is not None:
            frame, meta = loaded
            if meta.get("kind") == "crosstab" or {"row", "col"} <= set(frame.columns):
                index, field = _find_crosstab(frame, row, col, aliases)
            elif col in frame.columns:
                index = _find_row(frame, row, col, aliases)
        regenerated = None
        if index is not None and field in loaded[0].columns:
            regenerated = _to_float(loaded[0].at[index, field])
        decimals = int(item.decimals)
        rounded = round_half_up(regenerated, decimals) if regenerated is not None else None
        match = rounded is not None and abs(rounded - float(item.published)) < 0.5 * 10.0 ** -(
            decimals + 3
        )
        results.append(
            {
                "regenerated": math.nan if regenerated is None else regenerated,
                "regenerated_rounded": math.nan if rounded is None else rounded,
                "match": bool(match),
                "source_row": index if regenerated is not None else None,
                "source_column": field if regenerated is not None else None,
            }
        )
    added = pd.DataFrame(results, columns=COMPARED_COLUMNS, index=published.index)
    out = pd.concat([published.copy(), added], axis=1)
    out["regenerated"] = out["regenerated"].astype(float)
    out["regenerated_rounded"] = out["regenerated_rounded"].astype(float)
    out["match"] = out["match"].astype(bool)
    out["source_row"] = out["source_row"].astype("Int64")
    out["source_column"] = out["source_column"].astype("object")
    return out


def summarise(comparison: pd.DataFrame) -> pd.DataFrame:
    """Per table: `table_id, n, n_match, n_diff` (tables in order of first appearance)."""
    if comparison is None or comparison.empty:
        return pd.DataFrame(columns=["table_id", "n", "n_match", "n_diff"])
    grouped = comparison.groupby("table_id", sort=False)["match"].agg(n="size", n_match="sum")
    grouped["n_match"] = grouped["n_match"].astype("int64")
    grouped["n_diff"] = grouped["n"] - grouped["n_match"]
    return grouped.reset_index()
