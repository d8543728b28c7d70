"""`cob-analysis run`: the whole workflow in one command, on any system (no make, no bash).

Snakemake is started as a child process with an argument list (no shell), with this Python's
folder first on PATH so that the rules' `python -m cob_analysis` is this installation. After the
run the Snakemake report is rebuilt, so it never describes an earlier run; on a failure the
messages of the failed steps are repeated at the end, one line each."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

STOP_MARKERS = (" stopped: ", " failed: ")


def snakefile() -> Path:
    """The workflow's Snakefile: beside the package in a source checkout or editable install."""
    candidate = Path(__file__).resolve().parents[2] / "Snakefile"
    if not candidate.is_file():
        raise SystemExit(
            "cob-analysis: the workflow (Snakefile) was not found beside the package; install "
            "cob-analysis from its source folder (pip install -e .) or run snakemake there"
        )
    return candidate


def snakemake_command(
    *,
    config: str | None,
    directory: str | Path,
    cores: str,
    profile: str | None,
    dry_run: bool,
    extra: list[str],
) -> list[str]:
    """The Snakemake argument list of a run (no shell: any file name is safe)."""
    command = [
        sys.executable,
        "-m",
        "snakemake",
        "--snakefile",
        str(snakefile()),
        "--directory",
        str(directory),
        "--cores",
        str(cores),
        "--rerun-incomplete",
    ]
    if config:
        command += ["--configfile", str(Path(config).resolve())]
    if profile:
        command += ["--profile", profile]
    if dry_run:
        command += ["--dry-run"]
    return command + [arg for arg in extra if arg != "--"]


def _environment() -> dict[str, str]:
    env = dict(os.environ)
    env["PATH"] = os.path.dirname(sys.executable) + os.pathsep + env.get("PATH", "")
    return env


def failure_messages(log_dir: Path, since: float) -> list[str]:
    """The one-line messages of the steps that stopped, from the rule logs written since `since`."""
    messages = []
    if not log_dir.is_dir():
        return messages
    for path in sorted(log_dir.rglob("*.log")):
        if path.stat().st_mtime < since:
            continue
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            if any(marker in line for marker in STOP_MARKERS):
                messages.append(line.split(" ERROR ", 1)[-1])
    return list(dict.fromkeys(messages))


def reports_folder(config: str | None, directory: Path) -> Path:
    """output.reports of the config in force, resolved as the workflow resolves it."""
    import yaml

    from cob_analysis.config import for_workflow

    given = (yaml.safe_load(Path(config).read_text(encoding="utf-8")) or {}) if config else {}
    resolved, _ = for_workflow(given, [config] if config else [], directory, snakefile().parent)
    return directory / resolved["output"]["reports"]


def run_workflow(
    *,
    config: str | None,
    directory: str | Path = ".",
    cores: str = "all",
    profile: str | None = None,
    dry_run: bool = False,
    report: bool = True,
    extra: list[str] | None = None,
    unlock: bool = False,
) -> int:
    """Run the workflow; return Snakemake's exit code. `unlock` first releases the lock that a
    run killed before its end (a crash, kill -9, a closed laptop) leaves on the folder; the jobs
    it left incomplete are then rerun (--rerun-incomplete), never taken as done."""
    directory = Path(directory).resolve()
    if config and not Path(config).is_file():
        print(f"cob-analysis: config file not found: {config}", file=sys.stderr)
        return 2
    command = snakemake_command(
        config=config,
        directory=directory,
        cores=cores,
        profile=profile,
        dry_run=dry_run,
        extra=extra or [],
    )
    if unlock:
        subprocess.run(
            command + ["--unlock"], env=_environment(), check=False, stdout=subprocess.DEVNULL
        )
    started = time.time()
    code = subprocess.run(command, env=_environment(), check=False).returncode
    if code != 0:
        messages = failure_messages(directory / "logs", started - 1)
        if messages:
            print("\ncob-analysis: the run stopped:", file=sys.stderr)
            for message in messages:
                print(f"  {message}", file=sys.stderr)
        return code
    if report and not dry_run:
        zip_path = reports_folder(config, directory) / "workflow-report.zip"
        code = subprocess.run(
            command + ["--report", str(zip_path)],
            env=_environment(),
            check=False,
            stdout=subprocess.DEVNULL,
        ).returncode
        if code == 0:
            print(
                f"cob-analysis: report in {zip_path.parent / 'report.html'}; workflow report {zip_path}"
            )
    return code
