"""Writing the exports of any size: CSV in the demo's encodings and line ends (`;`), or Parquet,
in chunks so that memory stays near one snapshot's rows."""

from __future__ import annotations

import io
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

# --------------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------------
# CSV layout of the demo: (encoding, line end); `;` everywhere.
CSV_LAYOUT = {
    "clients": ("cp1252", "\r\n"),
    "art60": ("utf-8", "\n"),
    "twe": ("utf-8", "\n"),
    "vdab": ("utf-8-sig", "\r\n"),
    "trajectory_changes": ("utf-8", "\n"),
}
_CSV_CHUNK = 1_000_000


def _csv_bytes(table: pa.Table, header: bool, encoding: str, eol: str) -> bytes:
    buffer = io.BytesIO()
    options = pacsv.WriteOptions(
        include_header=header,
        delimiter=";",
        eol=eol,
        quoting_style="none",
        quoting_header="none",
        batch_size=65536,
    )
    pacsv.write_csv(table, buffer, options)
    data = buffer.getvalue()
    if encoding == "cp1252":
        data = data.decode("utf-8").encode("cp1252")
    return data


def write_csv(tables, path: Path, encoding: str, eol: str) -> None:
    with open(path, "wb") as handle:
        if encoding == "utf-8-sig":
            handle.write(b"\xef\xbb\xbf")
        header = True
        for table in tables:
            for start in range(0, max(table.num_rows, 1), _CSV_CHUNK):
                handle.write(_csv_bytes(table.slice(start, _CSV_CHUNK), header, encoding, eol))
                header = False


def write_parquet(tables, path: Path) -> None:
    writer = None
    try:
        for table in tables:
            if writer is None:
                writer = pq.ParquetWriter(path, table.schema, compression="snappy")
            writer.write_table(table, row_group_size=1 << 20)
    finally:
        if writer is not None:
            writer.close()
