"""Atomic writes: no partial file under an output's name, and no leftovers after a rerun."""

import os
import subprocess
import sys

import pytest

from cob_analysis.storage import atomic_path, remove_stale_partials, write_text


def _dead_pid() -> int:
    process = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        check=True,
        capture_output=True,
        text=True,
    )
    return int(process.stdout)


def test_a_failed_write_leaves_neither_output_nor_temporary_file(tmp_path):
    target = tmp_path / "table.csv"
    with pytest.raises(RuntimeError), atomic_path(target) as partial:
        partial.write_text("half")
        raise RuntimeError("killed")
    assert list(tmp_path.iterdir()) == []


def test_the_rerun_removes_what_a_killed_writer_left(tmp_path):
    target = tmp_path / "figure.svg"
    left = tmp_path / f".figure.svg.{_dead_pid()}.partial"
    left.write_text("half a figure")
    write_text("whole", target)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["figure.svg"]
    assert target.read_text() == "whole"


def test_a_living_writer_and_other_outputs_are_left_alone(tmp_path):
    parent = os.getppid()  # alive while the test runs
    living = tmp_path / f".figure.svg.{parent}.partial"
    other = tmp_path / f".figure.png.{_dead_pid()}.partial"
    for path in (living, other):
        path.write_text("busy")
    assert remove_stale_partials(tmp_path / "figure.svg") == []
    assert living.exists() and other.exists()
