"""Run the Snakemake workflow on a copy of the demo inputs in a temporary directory."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def prepare(workdir: Path) -> Path:
    """Copy config/, data/raw/ and the reference figures into `workdir`."""
    shutil.copytree(ROOT / "config", workdir / "config")
    shutil.copytree(ROOT / "data" / "raw", workdir / "data" / "raw")
    (workdir / "src" / "cob_demo").mkdir(parents=True)  # the demo config's reference figures
    shutil.copy(ROOT / "src" / "cob_demo" / "report_2020_tables.yaml", workdir / "src" / "cob_demo")
    return workdir


def snakemake(workdir: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    command = [
        sys.executable,
        "-m",
        "snakemake",
        "-s",
        str(ROOT / "Snakefile"),
        "--directory",
        str(workdir),
        "--cores",
        "2",
        "--configfile",
        str(workdir / "config" / "config.yaml"),
        *args,
    ]
    env = dict(
        os.environ, PATH=os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", "")
    )
    result = subprocess.run(command, capture_output=True, text=True, cwd=workdir, env=env)
    if check and result.returncode != 0:
        raise AssertionError(
            f"snakemake failed ({result.returncode}):\n{result.stdout[-4000:]}\n{result.stderr[-8000:]}"
        )
    return result
