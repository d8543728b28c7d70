"""The whole workflow on hostile exports, run as a user runs it (`cob-analysis run`):

- file names that a shell would read as commands, with spaces and parentheses, and an output
  folder with a space: every name works and nothing executes;
- a formula, terminal escapes and a right-to-left override in text cells, and a register number
  typed into the employer (masked by policy): none of it comes out as it went in;
- the run killed (kill -9) at seeded random moments, then rerun: it ends byte-identical to a
  clean run, and no partial file ever stands under an output's name.
No planted register number, birth date or name appears in the console, the logs or any output."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
import pytest
import yaml
from hostile import Exports, config_for, leaks

from cob_analysis.ingest import insz

pytestmark = pytest.mark.e2e

KEY = "hostile-workflow-key-0123456789"
MARKER = "executed-by-a-file-name"
# outputs that hold the time of the run: compared apart
TIMED = ("manifest.json", "report.html", "workflow-report.zip")


def environment() -> dict[str, str]:
    return dict(
        os.environ,
        COB_PSEUDO_KEY=KEY,
        PATH=os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", ""),
    )


def cob_analysis(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "cob_analysis", *args],
        cwd=cwd,
        env=environment(),
        capture_output=True,
        text=True,
    )


def hostile_study(folder: Path) -> tuple[Path, Exports]:
    exports = Exports.make()
    exports.names = {
        "clients": f"intakes $(touch {MARKER}).csv",
        "art60": "art60 `touch x` (kopie).csv",
        "twe": "TWE export 2021; rm -rf .csv",
        "vdab": "vdab 'status' \"2022\".csv",
    }
    exports.art60.loc[0, "Werkgever"] = '=HYPERLINK("http://x.example","klik")'
    exports.art60.loc[1, "Werkgever"] = "Zorg\x1b[31mbedrijf"
    exports.art60.loc[2, "Werkgever"] = "\u202eNEPREWTNA"
    exports.art60.loc[3, "Werkgever"] = (
        f"Interim {insz.format_dotted(insz.normalise(exports.clients.loc[0, 'INSZ']))}"
    )
    paths = exports.write(folder / "raw exports")
    config = config_for(
        {name: path.relative_to(folder) for name, path in paths.items()},
        Path("my results"),
        policies={"ids_in_free_text": "mask"},
    )
    (folder / "my.yaml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return folder, exports


def outputs(folder: Path) -> dict[str, bytes]:
    root = folder / "my results"
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.name not in TIMED
    }


@pytest.fixture(scope="module")
def clean(tmp_path_factory):
    folder, exports = hostile_study(tmp_path_factory.mktemp("hostile"))
    result = cob_analysis("run", "--config", "my.yaml", "--cores", "2", cwd=folder)
    assert result.returncode == 0, result.stderr[-6000:]
    return folder, exports, result


def test_no_file_name_executes_and_every_name_works(clean):
    folder, _, _ = clean
    assert not list(folder.rglob(MARKER)) and not (folder / "x").exists()
    assert (folder / "my results" / "reports" / "report.html").stat().st_size > 0
    linkage = (folder / "my results" / "reports" / "qa" / "linkage.csv").read_text(encoding="utf-8")
    assert "intakes $(touch" in linkage


def test_nothing_personal_in_console_logs_or_outputs(clean):
    folder, exports, result = clean
    found = leaks(
        exports.secrets(),
        result.stdout,
        result.stderr,
        folders=(folder / "my results", folder / "logs", folder / ".snakemake" / "cob_analysis"),
    )
    assert not found, found[:3]


def test_no_formula_or_control_character_comes_out(clean):
    folder, _, _ = clean
    reports = folder / "my results" / "reports"
    for path in reports.rglob("*.csv"):
        text = path.read_text(encoding="utf-8")
        assert "\x1b" not in text and "\u202e" not in text, path.name
        assert ",=HYPERLINK" not in text and "\n=HYPERLINK" not in text, path.name
    with zipfile.ZipFile(reports / "tables.xlsx") as archive:
        xml = "".join(
            archive.read(n).decode("utf-8") for n in archive.namelist() if n.startswith("xl/")
        )
    assert "<f>" not in xml and "\x1b" not in xml and "\u202e" not in xml
    html = (reports / "report.html").read_text(encoding="utf-8")
    assert "\x1b" not in html and "\u202e" not in html
    employers = (reports / "tables" / "t10_art60_employers.csv").read_text(encoding="utf-8")
    assert "'=HYPERLINK" in employers and "Interim [INSZ]" in employers


def _interrupted_run(folder: Path, after: float) -> None:
    """Start a run and kill it and all its jobs with SIGKILL after `after` seconds."""
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "cob_analysis",
            "run",
            "--config",
            "my.yaml",
            "--cores",
            "2",
            "--no-report",
            "--unlock",
        ],
        cwd=folder,
        env=environment(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    time.sleep(after)
    with contextlib.suppress(ProcessLookupError):  # it may have finished already
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def _nothing_partial_looks_complete(folder: Path) -> None:
    root = folder / "my results"
    for path in root.rglob("*"):
        if not path.is_file():
            continue
        assert not path.name.endswith(".partial") or path.name.startswith("."), path
        if path.name.startswith(".") and path.name.endswith(".partial"):
            continue  # a temporary file, never under an output's name
        if path.suffix == ".parquet":
            pq.read_metadata(path)
        elif path.suffix == ".json":
            json.loads(path.read_text(encoding="utf-8"))
        elif path.suffix == ".xlsx":
            zipfile.ZipFile(path).testzip()


def test_killed_at_random_moments_then_rerun_ends_identical(clean, tmp_path):
    folder, _, _ = clean
    want = outputs(folder)
    study, _ = hostile_study(tmp_path / "killed")
    for after in np.random.default_rng(17).uniform(2.0, 14.0, 3):
        _interrupted_run(study, float(after))
        _nothing_partial_looks_complete(study)
    result = cob_analysis("run", "--config", "my.yaml", "--cores", "2", "--unlock", cwd=study)
    assert result.returncode == 0, result.stderr[-6000:]
    got = outputs(study)
    assert sorted(got) == sorted(want)
    assert [name for name in want if got[name] != want[name]] == []
