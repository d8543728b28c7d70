"""The contracts between stages: a table or file of another shape is refused with its name."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from cob_analysis.contracts import CLIENTS, STAGED, STATUS_PANEL, ContractError, check, check_file


def staged_vdab(**changes) -> pa.Table:
    columns = {
        "client_key": pa.array([1, 2], pa.int64()),
        "source_row": pa.array([2, 3], pa.int64()),
        "reference_date": pa.array([dt.date(2022, 3, 31)] * 2),
        "status_code": pa.array([5, 0], pa.int64()),
    }
    columns.update(changes)
    return pa.table(columns)


def test_a_table_that_meets_its_contract_passes():
    table = staged_vdab()
    assert check(table, STAGED["vdab"], "ingest vdab") is table


@pytest.mark.parametrize(
    "changes,message",
    [
        ({"status_code": pa.array(["5", "0"])}, "column status_code is string, not int"),
        ({"status_code": pa.array([5, None], pa.int64())}, "column status_code has 1 empty values"),
    ],
)
def test_a_table_of_another_shape_is_refused_by_name(changes, message):
    with pytest.raises(
        ContractError, match="ingest vdab does not meet the contract staged vdab: " + message
    ):
        check(staged_vdab(**changes), STAGED["vdab"], "ingest vdab")


def test_a_missing_column_and_an_unknown_canonical_value_are_named():
    table = pa.table(
        {
            "client_key": pa.array([1], pa.int64()),
            "source_row": pa.array([2], pa.int64()),
            "change_date": pa.array([dt.date(2022, 1, 1)]),
            "trajectory": ["Lineair traject"],
        }
    )
    with pytest.raises(ContractError, match=r"values outside .*'Lineair traject'"):
        check(table, STAGED["trajectory_changes"], "ingest trajectory_changes")
    with pytest.raises(ContractError, match="missing column status_code"):
        check(table, STAGED["vdab"], "ingest vdab")


def test_a_file_is_checked_from_its_footer(tmp_path):
    path = tmp_path / "status_panel.parquet"
    panel = pa.table(
        {
            "client_key": pa.array([1, 2], pa.int64()),
            "reference_date": pa.array([dt.date(2022, 3, 31)] * 2),
            "status_code": pa.array([5, 0], pa.int64()),
            "work_status": ["Geen werk", None],
            "status_category": ["werkzoekend", "werkzoekend"],
        }
    )
    pq.write_table(panel, path)
    with pytest.raises(ContractError, match="column work_status has empty values"):
        check_file(path, STATUS_PANEL)
    with pytest.raises(ContractError, match="missing column cohort"):
        check_file(path, CLIENTS)
