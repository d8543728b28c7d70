"""Deterministic Parquet and JSON files (same rows, same bytes), written atomically.

Every output is written to a temporary file beside it and renamed into place when complete, so a
run killed mid-write (kill -9, a full disk) never leaves a partial file under the final name, and
the rerun of the killed job removes the killed attempt's temporary file."""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq


def _is_running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, someone else's
        return True
    return True


def remove_stale_partials(path: str | Path) -> list[Path]:
    """Remove the temporary files of `path` left by writers that were killed (their process is
    gone); a rerun of a killed job so leaves no trace of the killed attempt."""
    path = Path(path)
    removed = []
    for stale in path.parent.glob(f".{path.name}.*.partial"):
        pid = stale.name[len(path.name) + 2 : -len(".partial")]
        if pid.isdigit() and int(pid) != os.getpid() and _is_running(int(pid)):
            continue
        stale.unlink(missing_ok=True)
        removed.append(stale)
    return removed


@contextlib.contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """A temporary path to write `path` to; renamed onto `path` only when the block succeeds.
    Temporary files of `path` left by a killed earlier writer are removed first."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_partials(path)
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    try:
        yield partial
        os.replace(partial, path)
    finally:
        if partial.exists():
            partial.unlink()


def write_text(text: str, path: str | Path) -> Path:
    """UTF-8 text with `\n` line ends, atomically."""
    with atomic_path(path) as partial:
        partial.write_text(text, encoding="utf-8", newline="\n")
    return Path(path)


def write_parquet(
    frame: pd.DataFrame | pa.Table, path: str | Path, date_columns: tuple[str, ...] | None = None
) -> Path:
    """Write a frame (without its index) or an Arrow table; timestamps become dates (date32)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(frame, pa.Table):
        table = frame
    else:
        frame = frame.reset_index(drop=True)
        frame.attrs = {}  # not stored (the metadata is dropped below)
        table = pa.Table.from_pandas(frame, preserve_index=False)
    fields = []
    for field in table.schema:
        is_date = pa.types.is_timestamp(field.type) and (
            date_columns is None or field.name in date_columns
        )
        fields.append(pa.field(field.name, pa.date32()) if is_date else field)
    table = table.cast(pa.schema(fields)).replace_schema_metadata(None)
    # without the Arrow schema: readers get plain types (text, not dictionaries) whatever the
    # in-memory encoding was
    with atomic_path(path) as partial:
        pq.write_table(table, partial, compression="zstd", store_schema=False)
    return path


def column_names(table: pd.DataFrame | pa.Table) -> list[str]:
    """The column names of a pandas frame or an Arrow table."""
    return table.column_names if isinstance(table, pa.Table) else list(table.columns)


def read_arrow(path: str | Path) -> pa.Table:
    return pq.read_table(path)


def read_parquet(path: str | Path) -> pd.DataFrame:
    """Read back with dates as datetime64 and nullable dtypes for ints and strings."""
    return arrow_to_frame(pq.read_table(path))


TEXT = pd.StringDtype("pyarrow")


def arrow_to_frame(table: pa.Table) -> pd.DataFrame:
    """Arrow -> pandas with dates as datetime64 and nullable dtypes for ints and strings.

    Text stays in Arrow memory (`string[pyarrow]`): no Python object per value, and
    comparisons and counts run in Arrow's compute kernels."""
    mapping = {
        pa.int64(): pd.Int64Dtype(),
        pa.int32(): pd.Int64Dtype(),
        pa.string(): TEXT,
        pa.large_string(): TEXT,
        pa.bool_(): pd.BooleanDtype(),
    }
    frame = table.to_pandas(types_mapper=mapping.get, date_as_object=False)
    for column in frame.columns:
        if pd.api.types.is_datetime64_any_dtype(frame[column]):
            frame[column] = frame[column].astype("datetime64[ns]")
    # Arrow's allocator keeps the buffers of reading and converting for reuse: give them back
    pa.default_memory_pool().release_unused()
    return frame


def write_json(obj: Any, path: str | Path) -> Path:
    return write_text(
        json.dumps(obj, ensure_ascii=False, indent=2, sort_keys=True, default=str) + "\n", path
    )


def read_json(path: str | Path) -> Any:
    return json.loads(Path(path).read_text(encoding="utf-8"))
