"""Provenance: input hashes, configuration, package versions, git commit, time of run."""

from __future__ import annotations

import datetime as dt
import platform
import subprocess
from importlib import metadata
from pathlib import Path

from cob_analysis.ingest.pseudonymise import file_sha256

PACKAGES = (
    "cob-analysis",
    "pandas",
    "numpy",
    "pyarrow",
    "duckdb",
    "statsmodels",
    "lifelines",
    "scipy",
    "snakemake",
    "matplotlib",
    "openpyxl",
    "xlsxwriter",
    "jinja2",
    "jsonschema",
    "pyreadstat",
    "pyyaml",
)


def versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for package in PACKAGES:
        try:
            out[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            out[package] = "not installed"
    return out


def git_commit(directory: str | Path = ".") -> str | None:
    try:
        result = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=directory, capture_output=True, text=True, timeout=10
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if result.returncode != 0:
        return None
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=no"],
        cwd=directory,
        capture_output=True,
        text=True,
        timeout=10,
    ).stdout.strip()
    return result.stdout.strip() + ("-dirty" if dirty else "")


def build_manifest(
    inputs: list[str | Path], config: dict, code_dir: str | Path | None = None
) -> dict:
    files = [
        {"path": str(p), "sha256": file_sha256(p), "bytes": Path(p).stat().st_size} for p in inputs
    ]
    return {
        "created": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        "inputs": files,
        "config": config,
        "versions": versions(),
        "git_commit": git_commit(code_dir or Path(__file__).resolve().parent),
        "platform": platform.platform(),
    }


def manifest(inputs: list[str | Path], config: dict) -> dict:
    """Rule `manifest`: the provenance of this run (see `build_manifest`)."""
    return build_manifest(inputs, config)
