"""Output tables: the CSV as before, and metadata that say what each column holds."""

import json

import numpy as np
import pandas as pd
import pytest

from cob_analysis.safe_text import write_csv
from cob_analysis.tables_io import (
    TableMeta,
    TableMetaError,
    check_meta,
    read_meta,
    read_table,
    write_table,
)


def frame():
    return pd.DataFrame(
        {
            "row": ["1.1", "2.1", "Totaal"],  # NT2 levels: labels that look like numbers
            "n": pd.array([3, None, 12], dtype="Int64"),
            "pct": [25.0, 0.5, 100.0],
            "p": [1e-05, 0.25, np.nan],
            "public_n": ["<5", "7", "12"],  # a suppressed count
            "event": [True, False, True],
            "hazard": [np.inf, 1.0, 2.0],  # not finite: not printed as a number
            "empty": [np.nan, np.nan, np.nan],
            "date": pd.to_datetime(["2020-03-31", "2020-04-30", None]),
        }
    )


def test_the_metadata_say_each_columns_type_and_decimals(tmp_path):
    write_table(frame(), TableMeta(id="t_x", title="X", kind="stats"), tmp_path)
    meta = read_meta(tmp_path, "t_x")
    types = {c["name"]: (c["type"], c["decimals"]) for c in meta["columns"]}
    assert types == {
        "row": ("text", None),
        "n": ("number", 0),
        "pct": ("number", 1),
        "p": ("number", 5),
        "public_n": ("number", 0),
        "event": ("bool", None),
        "hazard": ("text", None),
        "empty": ("text", None),
        "date": ("text", None),
    }
    assert [c["name"] for c in meta["columns"]] == list(frame().columns)


def test_the_csv_is_written_as_before(tmp_path):
    write_table(frame(), TableMeta(id="t_x", title="X", kind="stats"), tmp_path / "new")
    write_csv(frame(), tmp_path / "plain.csv")
    assert (tmp_path / "new" / "t_x.csv").read_bytes() == (tmp_path / "plain.csv").read_bytes()


def test_a_table_read_back_keeps_its_metadata(tmp_path):
    meta = TableMeta(id="t_x", title="X", kind="oneway", number=3, notes=["a note"])
    write_table(frame(), meta, tmp_path)
    _, read = read_table(tmp_path, "t_x")
    assert read["number"] == 3 and read["notes"] == ["a note"] and read["columns"]
    # what the public tables do: the metadata read back make the same table again
    write_table(frame(), TableMeta(**read), tmp_path / "again")
    assert (tmp_path / "again" / "meta" / "t_x.json").read_bytes() == (
        tmp_path / "meta" / "t_x.json"
    ).read_bytes()


def test_metadata_off_the_schema_are_refused_with_the_file_named(tmp_path):
    write_table(frame(), TableMeta(id="t_x", title="X", kind="stats"), tmp_path)
    path = tmp_path / "meta" / "t_x.json"
    meta = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps({**meta, "colour": "red"}), encoding="utf-8")
    with pytest.raises(TableMetaError, match=r"t_x\.json.*colour"):
        read_meta(tmp_path, "t_x")
    with pytest.raises(TableMetaError, match="kind"):
        write_table(frame(), TableMeta(id="t_y", title="Y", kind="pie"), tmp_path)
    assert not (tmp_path / "t_y.csv").exists()  # nothing written under a bad contract


def test_missing_metadata_are_named(tmp_path):
    frame().to_csv(tmp_path / "t_z.csv", index=False)
    with pytest.raises(TableMetaError, match="metadata of table t_z are missing"):
        read_table(tmp_path, "t_z")


def test_a_crosstab_says_how_it_percentages():
    base = {"id": "t05", "title": "T", "kind": "crosstab", "notes": [], "columns": []}
    with pytest.raises(TableMetaError, match="row_var"):
        check_meta(base, "here")
    check_meta({**base, "row_var": "cohort", "col_var": "work", "percent": "row"}, "here")
