#!/usr/bin/env python
"""Benchmark the workflow at scale: generate exports, run Snakemake, record time and memory.

    .venv/bin/python benchmarks/run.py --sizes 10000 100000 1000000 5000000 --snapshots monthly \\
        --workdir /tmp/cob-bench --out benchmarks/results.md [--demo]

For each size: the scale generator (`cob_demo.scale`) writes the exports under
`<workdir>/<size>-<snapshots>-<n>-<format>/raw` (timed), a config pointing at them is written
into a fresh run directory next to it, and `snakemake --cores 2 --configfile ...` runs the
repository's Snakefile there (`-s Snakefile --directory <run>`, as tests/workflow_runner.py
does). `--demo` also times the demo run on a copy of config/ and data/raw/.

Measured per run:
- end-to-end wall time: `time.perf_counter()` around the Snakemake process (start-up, DAG,
  every job);
- peak memory of the process tree: the sum of the resident set sizes of Snakemake and all its
  descendants, sampled every 0.2 s from /proc (shared pages count once per process, so this
  errs high), and the largest single process (`ru_maxrss` from `wait4`, exact);
- per rule: Snakemake's `benchmark:` files (`logs/benchmarks/**/*.tsv`: `s`, `max_rss`, ...;
  Snakemake samples memory every 0.5 s for the first 15 s of a job and then only every 30 s,
  so its `max_rss` can miss a peak), and the exact peak RSS of the rule's Python process
  (`VmHWM` from /proc, read every 0.2 s while it runs).

Results go to `--out` (Markdown) and the JSON beside it (`results.json`). A run that fails
(error, out of memory, `--timeout`) is recorded with the tail of its output; the script goes on
with the next size. `--append` merges into an existing results.json (same size: replaced);
`--render` rewrites the Markdown from results.json without running anything; `--notes FILE`
adds a hand-written analysis section to the Markdown. `--baseline` also runs the plain pandas
script `benchmarks/baseline.py` on each size's exports (measured the same way), reports
baseline / workflow per size and checks that key figures of the two agree (`compare_baseline`).
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import datetime as dt
import json
import os
import platform
import shlex
import shutil
import signal
import subprocess
import sys
import threading
import time
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
BENCH_KEY = "benchmark-key-not-secret-0123456"  # 32 characters; synthetic data only
MIB = 1024 * 1024
# Targets of the issue (benchmarks, not timed tests). Memory in MiB (GiB x 1024).
TARGETS = {
    "demo": {"wall_s": 15},
    1_000_000: {"wall_s": 60, "peak_mib": 3 * 1024},
    5_000_000: {"wall_s": 300, "peak_mib": 12 * 1024},
}
PACKAGES = (
    "cob-analysis",
    "numpy",
    "pandas",
    "pyarrow",
    "duckdb",
    "snakemake",
    "lifelines",
    "statsmodels",
    "scipy",
    "matplotlib",
)
# `python -m cob_analysis <command>` -> rule (fallback when a process has no --log)
COMMAND_RULES = {
    "recode": "recode_status",
    "link": "link_clients",
    "tables": "report_tables",
    "analyses": "analyses",
    "quality": "disagreements",
    "public": "public_tables",
    "manifest": "manifest",
}


# --------------------------------------------------------------------------------------------
# Machine
# --------------------------------------------------------------------------------------------
def machine() -> dict:
    info: dict = {
        "nproc": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
    }
    with contextlib.suppress(AttributeError):
        info["nproc_available"] = len(os.sched_getaffinity(0))
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                info["memory_gib"] = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    info["packages"] = {}
    for name in PACKAGES:
        try:
            info["packages"][name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            info["packages"][name] = "not installed"
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=10,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=10,
        ).stdout.strip()
        info["git"] = commit + (" (with uncommitted changes)" if dirty else "")
    except (OSError, subprocess.SubprocessError):
        info["git"] = None
    return info


# --------------------------------------------------------------------------------------------
# Measuring a process tree
# --------------------------------------------------------------------------------------------
def _status_kib(pid: int) -> tuple[int, int]:
    """(VmRSS, VmHWM) in KiB; (0, 0) for a process without memory (exiting, kernel)."""
    rss = hwm = 0
    with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as handle:
        for line in handle:
            if line.startswith("VmRSS:"):
                rss = int(line.split()[1])
            elif line.startswith("VmHWM:"):
                hwm = int(line.split()[1])
    return rss, hwm


def _children_map() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as handle:
                stat = handle.read()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry))
    return children


class TreeSampler(threading.Thread):
    """Samples the RSS of a process and its descendants from /proc every `interval` seconds."""

    def __init__(self, root_pid: int, t0: float, interval: float = 0.2):
        super().__init__(daemon=True)
        self.root, self.t0, self.interval = root_pid, t0, interval
        self.stop = threading.Event()
        self.peak_kib = 0
        self.peak_at = 0.0
        self.peak_procs: list[tuple[str, int]] = []
        self.procs: dict[int, dict] = {}  # pid -> cmdline, first/last seen, max hwm
        self.available = Path("/proc/self/status").exists()

    def run(self) -> None:
        if not self.available:
            return
        while not self.stop.is_set():
            with contextlib.suppress(Exception):  # sampling must never break the benchmark
                self.sample()
            self.stop.wait(self.interval)

    def sample(self) -> None:
        now = time.perf_counter() - self.t0
        children = _children_map()
        todo, tree = [self.root], []
        while todo:
            pid = todo.pop()
            tree.append(pid)
            todo.extend(children.get(pid, []))
        total, snapshot = 0, []
        for pid in tree:
            try:
                rss, hwm = _status_kib(pid)
                proc = self.procs.get(pid)
                if proc is None:
                    raw = Path(f"/proc/{pid}/cmdline").read_bytes()
                    proc = self.procs[pid] = {
                        "argv": raw.decode("utf-8", "replace").split("\0")[:-1],
                        "first": now,
                        "hwm_kib": 0,
                    }
                proc["last"] = now
                proc["hwm_kib"] = max(proc["hwm_kib"], hwm)
            except OSError:
                continue
            total += rss
            snapshot.append((label(proc["argv"]), rss))
        if total > self.peak_kib:
            self.peak_kib, self.peak_at = total, now
            self.peak_procs = sorted(snapshot, key=lambda x: -x[1])[:6]


def label(argv: list[str]) -> str:
    """The rule a process runs (`ingest/vdab`, `link_clients`), else a short command name."""
    if "cob_analysis" in argv:
        if "--log" in argv and argv.index("--log") + 1 < len(argv):
            log = argv[argv.index("--log") + 1]
            return log.removeprefix("logs/").removesuffix(".log")
        i = argv.index("cob_analysis")
        command = argv[i + 1] if i + 1 < len(argv) else "?"
        return COMMAND_RULES.get(command, command)
    if "snakemake" in " ".join(argv[:3]):
        return "snakemake"
    return Path(argv[0]).name if argv else "?"


def _busy_cpu_s() -> float | None:
    """CPU seconds the whole machine has been busy since boot (all cores), from /proc/stat."""
    try:
        fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    except OSError:
        return None
    ticks = [int(x) for x in fields]
    idle = ticks[3] + (ticks[4] if len(ticks) > 4 else 0)  # idle + iowait
    return (sum(ticks[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def run_measured(command: list[str], cwd: Path, env: dict, log_path: Path, timeout: float) -> dict:
    """Run `command` in its own session; wall time, peak RSS of the tree, per-process peaks."""
    busy0 = _busy_cpu_s()
    load0 = os.getloadavg()[0]
    with open(log_path, "wb") as log:
        t0 = time.perf_counter()
        proc = subprocess.Popen(
            command, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        sampler = TreeSampler(proc.pid, t0)
        sampler.start()
        timed_out = False
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() - t0 > timeout and not timed_out:
                timed_out = True
                os.killpg(proc.pid, signal.SIGTERM)  # the session this script started
                kill_at = time.perf_counter() + 20
            if timed_out and time.perf_counter() > kill_at:
                os.killpg(proc.pid, signal.SIGKILL)
                kill_at = float("inf")
            time.sleep(0.05)
        wall = time.perf_counter() - t0
        busy1 = _busy_cpu_s()
        proc.returncode = os.waitstatus_to_exitcode(status)
        sampler.stop.set()
        sampler.join(timeout=5)
    own_cpu = usage.ru_utime + usage.ru_stime
    # CPU the rest of the machine used meanwhile (other users' jobs): a noisy neighbour shows here
    other_cpu = (
        max(0.0, busy1 - busy0 - own_cpu) if busy0 is not None and busy1 is not None else None
    )
    processes = [
        {
            "pid": pid,
            "label": label(p["argv"]),
            "argv": " ".join(p["argv"])[:300],
            "start_s": round(p["first"], 2),
            "end_s": round(p["last"], 2),
            "peak_rss_mib": round(p["hwm_kib"] / 1024, 1),
        }
        for pid, p in sampler.procs.items()
        if "cob_analysis" in p["argv"]
    ]
    return {
        "returncode": proc.returncode,
        "timed_out": timed_out,
        "wall_s": round(wall, 2),
        "peak_tree_rss_mib": round(sampler.peak_kib / 1024, 1) if sampler.available else None,
        "peak_tree_at_s": round(sampler.peak_at, 1),
        "peak_tree_processes": [[name, round(kib / 1024, 1)] for name, kib in sampler.peak_procs],
        "peak_process_rss_mib": round(usage.ru_maxrss / 1024, 1),  # Linux: KiB
        "cpu_s": round(own_cpu, 1),
        "other_cpu_s": round(other_cpu, 1) if other_cpu is not None else None,
        "loadavg_before": round(load0, 2),
        "processes": sorted(processes, key=lambda p: p["start_s"]),
    }


def oom_killed(pids: set[int]) -> str | None:
    """The kernel log's line if the OOM killer killed one of `pids` (needs dmesg rights)."""
    try:
        text = subprocess.run(["dmesg"], capture_output=True, text=True, timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    for line in reversed(text.splitlines()):
        if "Killed process" in line:
            try:
                pid = int(line.split("Killed process", 1)[1].split()[0])
            except (ValueError, IndexError):
                continue
            if pid in pids:
                rss = next((w for w in line.split() if w.startswith("anon-rss:")), "")
                kib = rss.removeprefix("anon-rss:").removesuffix("kB,").removesuffix("kB")
                return f"pid {pid}" + (f" at {int(kib) / MIB:.1f} GiB" if kib.isdigit() else "")
    return None


def error_excerpt(run_dir: Path) -> str:
    """Snakemake's error report (from the first 'Error in rule') and the failed job's log tail."""
    out = run_dir / "snakemake.out"
    text = out.read_text(encoding="utf-8", errors="replace") if out.exists() else ""
    lines = text.splitlines()
    start = next(
        (i for i, line in enumerate(lines) if "Error in rule" in line or "RuleException" in line),
        None,
    )
    excerpt = (
        "\n".join(lines[max(0, start - 3) : start + 25]) if start is not None else tail(out, 40)
    )
    for line in lines[start:] if start is not None else []:
        if line.strip().startswith("log:"):
            log = line.split("log:", 1)[1].split("(")[0].strip()
            if log and (run_dir / log).exists():
                excerpt += f"\n--- tail of {log} ---\n" + tail(run_dir / log, 15)
            break
    return excerpt


def tail(path: Path, lines: int = 40) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    return "\n".join(text.splitlines()[-lines:])


# --------------------------------------------------------------------------------------------
# Snakemake's benchmark files
# --------------------------------------------------------------------------------------------
def _number(value: str | None) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def rule_benchmarks(run_dir: Path, processes: list[dict]) -> list[dict]:
    """One row per job: Snakemake's benchmark record plus the exact peak of its process."""
    base = run_dir / "logs" / "benchmarks"
    by_label: dict[str, dict] = {}
    for proc in processes:
        known = by_label.get(proc["label"])
        if known is None or proc["peak_rss_mib"] > known["peak_rss_mib"]:
            by_label[proc["label"]] = proc
    rows = []
    seen = set()
    for path in sorted(base.rglob("*.tsv")) if base.exists() else []:
        job = path.relative_to(base).with_suffix("").as_posix()
        with open(path, encoding="utf-8") as handle:
            records = list(csv.DictReader(handle, delimiter="\t"))
        if not records:
            continue
        record = records[-1]
        proc = by_label.get(job, {})
        seen.add(job)
        rows.append(
            {
                "job": job,
                "s": _number(record.get("s")),
                "max_rss_mib": _number(record.get("max_rss")),
                "cpu_time_s": _number(record.get("cpu_time")),
                "io_in_mib": _number(record.get("io_in")),
                "io_out_mib": _number(record.get("io_out")),
                "peak_rss_mib": proc.get("peak_rss_mib"),
                "start_s": proc.get("start_s"),
            }
        )
    for job, proc in by_label.items():  # no benchmark file: the job failed or was killed
        if job not in seen:
            rows.append(
                {
                    "job": job,
                    "pid": proc["pid"],
                    "s": round(proc["end_s"] - proc["start_s"], 1),
                    "max_rss_mib": None,
                    "cpu_time_s": None,
                    "io_in_mib": None,
                    "io_out_mib": None,
                    "peak_rss_mib": proc["peak_rss_mib"],
                    "start_s": proc["start_s"],
                    "unfinished": True,
                }
            )
    return sorted(rows, key=lambda r: -(r["s"] or 0))


def rule_name(job: str) -> str:
    """`ingest/vdab`, `longitudinal_cohort/voorjaar-2017` -> the rule (its largest job counts)."""
    return job.split("/")[0]


# --------------------------------------------------------------------------------------------
# The plain pandas baseline (benchmarks/baseline.py) and its agreement with the workflow
# --------------------------------------------------------------------------------------------
BASELINE = Path(__file__).resolve().parent / "baseline.py"


def run_baseline(base: Path, configfile: Path, env: dict, args) -> dict:
    """Run baseline.py as its own process on the run's config, measured like the workflow."""
    out_dir = base / "baseline"
    shutil.rmtree(out_dir, ignore_errors=True)
    out_dir.mkdir(parents=True)
    result = run_measured(
        [PYTHON, str(BASELINE), "--config", str(configfile), "--out", str(out_dir / "tables")],
        out_dir,
        env,
        out_dir / "baseline.out",
        args.timeout,
    )
    result.pop("processes")
    result["ok"] = result["returncode"] == 0 and not result["timed_out"]
    if not result["ok"]:
        result["error"] = (
            "timed out" if result["timed_out"] else f"exit code {result['returncode']}"
        )
        result["error_tail"] = tail(out_dir / "baseline.out", 20)
    with contextlib.suppress(OSError, ValueError):
        result["steps_s"] = json.loads((out_dir / "tables" / "timing.json").read_text())["steps_s"]
    return result


def _check(
    name: str,
    pairs: list[tuple[str, object, object]],
    tolerance: float = 0.0,
    relative: bool = False,
) -> dict:
    """One agreement check over (what, workflow value, baseline value) pairs; None/NaN agree with
    each other only."""
    import math

    def missing(v) -> bool:
        return v is None or (isinstance(v, float) and math.isnan(v))

    bad, worst = [], 0.0
    for what, a, b in pairs:
        if missing(a) or missing(b):
            if missing(a) != missing(b):
                bad.append(f"{what}: workflow {a}, baseline {b}")
            continue
        diff = abs(float(a) - float(b))
        if relative:
            diff /= max(1.0, abs(float(a)))
        worst = max(worst, diff)
        if diff > tolerance + 1e-12:
            bad.append(f"{what}: workflow {a}, baseline {b}")
    if not pairs:
        bad.append("nothing to compare")
    return {
        "check": name,
        "compared": len(pairs),
        "agree": not bad,
        "max_diff": worst,
        "tolerance": tolerance,
        "mismatches": bad[:3],
        "n_mismatches": len(bad),
    }


def _workflow_cox_coefficients(run_dir: Path) -> dict[str, float]:
    """The workflow's Cox coefficients unrounded (its table rounds hazard ratios to 0.01): the
    `analyses` rule's covariates and time to event (the project's `prepare_covariates` and
    `time_to_art60` on the run's clients.parquet) in the same lifelines fit its `CoxModel` makes,
    without the model's residual checks (which cost minutes at millions of clients)."""
    import yaml
    from lifelines import CoxPHFitter

    from cob_analysis import categories
    from cob_analysis.storage import read_parquet
    from cob_analysis.survival.kaplan_meier import time_to_art60
    from cob_analysis.survival.models import prepare_covariates

    config = yaml.safe_load((run_dir / "config.yaml").read_text(encoding="utf-8"))
    clients = read_parquet(run_dir / "data" / "processed" / "clients.parquet")
    prepared = prepare_covariates(
        clients,
        cohort_order=categories.cohort_order(clients["cohort"], config.get("cohort", "half-year")),
        trajectory_order=list(categories.ORDER["trajectory"]),
    )
    tte = time_to_art60(clients, clients["observation_end"].iloc[0])
    usable = prepared.complete
    design = prepared.design(usable)
    design = design.loc[:, design.any()]  # as CoxModel: all-zero dummies left out
    design["_duration"] = tte.loc[usable, "duration_days"].astype(float)
    design["_event"] = tte.loc[usable, "event"].astype(bool)
    fitter = CoxPHFitter().fit(design, duration_col="_duration", event_col="_event")
    return {str(k): float(v) for k, v in fitter.params_.items()}


def compare_baseline(run_dir: Path, baseline_dir: Path) -> list[dict]:
    """Key figures of the baseline's tables against the workflow's (reports/tables, reports/qa)."""
    import pandas as pd

    tables, base = run_dir / "reports" / "tables", baseline_dir
    checks: list[dict] = []

    def guarded(name: str, make) -> None:
        try:
            checks.append(make())
        except Exception as exc:  # noqa: BLE001 - a check that cannot run is a disagreement, said why
            checks.append(
                {
                    "check": name,
                    "compared": 0,
                    "agree": False,
                    "max_diff": None,
                    "tolerance": None,
                    "mismatches": [f"{type(exc).__name__}: {exc}"],
                    "n_mismatches": 1,
                }
            )

    def linkage():
        wf = pd.read_csv(run_dir / "reports" / "qa" / "linkage.csv").set_index("export")
        bl = pd.read_csv(base / "linkage.csv").set_index("export")
        pairs = [
            (f"{e} {c}", int(wf.at[e, c]), int(bl.at[e, c]))
            for e in bl.index
            for c in ("rows_read", "linked", "duplicate", "out_of_window", "unmatched")
        ]
        return _check("rows linked, duplicate, out of window, unmatched per export", pairs)

    def linked_clients():
        wf = pd.read_csv(run_dir / "reports" / "qa" / "linkage.csv").set_index("export")
        bl = pd.read_csv(base / "linkage.csv").set_index("export")
        return _check(
            "linked clients",
            [("clients", int(wf.at["clients", "linked"]), int(bl.at["clients", "linked"]))],
        )

    def crosstab_counts(only: str | None = None):
        bl = pd.read_csv(base / "crosstabs.csv", dtype={"row": str, "col": str})
        pairs = []
        for table, part in bl.groupby("table", sort=False):
            if only and table != only:
                continue
            wf = pd.read_csv(tables / f"{table}.csv", dtype={"row": str, "col": str})
            wf = wf[(wf["row"] != "Totaal") & (wf["col"] != "Totaal")].set_index(["row", "col"])[
                "n"
            ]
            theirs = part.set_index(["row", "col"])["n"]
            for cell in wf.index.union(theirs.index):
                pairs.append(
                    (
                        f"{table} {cell[0]} x {cell[1]}",
                        int(wf.get(cell, 0)),
                        int(theirs.get(cell, 0)),
                    )
                )
        name = (
            "cross-tab counts of work status by cohort (t05)"
            if only
            else "cross-tab counts, all cross-tabs (t05-t16)"
        )
        return _check(name, pairs)

    def chi_square():
        bl = pd.read_csv(base / "chi_square.csv")
        pairs = []
        for row in bl.itertuples():
            meta = json.loads((tables / "meta" / f"{row.table}.json").read_text(encoding="utf-8"))
            pairs.append(
                (f"{row.table} chi2", (meta.get("association") or {}).get("chi2"), row.chi2)
            )
        return _check("chi-square statistics (relative, unrounded)", pairs, 1e-6, relative=True)

    def timing():
        bl = pd.read_csv(base / "art60_timing.csv")
        pairs = []
        for var in ("cohort", "trajectory"):
            wf = pd.read_csv(tables / f"art60_timing_{var}.csv").set_index("group")
            for row in bl[bl["group_var"] == var].itertuples():
                pairs += [
                    (f"{row.group} mean", wf.at[row.group, "mean_days"], row.mean_days),
                    (f"{row.group} median", wf.at[row.group, "median_days"], row.median_days),
                ]
        return _check(
            "art. 60 timing: mean and median days per cohort and trajectory (table: 1 decimal)",
            pairs,
            0.05,
        )

    def km(column: str, tolerance: float, label: str):
        bl = pd.read_csv(base / "km_art60.csv")
        pairs = []
        for var in ("cohort", "trajectory"):
            wf = pd.read_csv(tables / f"km_art60_{var}.csv").set_index("group")
            for row in bl[bl["group_var"] == var].itertuples():
                wf_value = wf.at[row.group, column]
                pairs.append(
                    (
                        f"{row.group} {column}",
                        None if pd.isna(wf_value) else float(wf_value),
                        None if pd.isna(getattr(row, column)) else float(getattr(row, column)),
                    )
                )
        return _check(label, pairs, tolerance)

    def logrank():
        wf = pd.read_csv(tables / "km_art60_logrank.csv").set_index("variable")
        bl = pd.read_csv(base / "logrank.csv").set_index("variable")
        return _check(
            "log-rank statistics (table: 2 decimals)",
            [(v, wf.at[v, "statistic"], bl.at[v, "statistic"]) for v in bl.index],
            0.005,
        )

    def model_table(file: str, column: str, label: str):
        wf = pd.read_csv(tables / f"{file}.csv", dtype={"level": str})
        wf = wf[~wf["reference"].astype(str).eq("True")]
        bl = pd.read_csv(base / f"{file}.csv").set_index("term")
        pairs = [
            (
                f"{r.variable}={r.level}",
                getattr(r, column),
                bl.at[f"{r.variable}={r.level}", column]
                if f"{r.variable}={r.level}" in bl.index
                else None,
            )
            for r in wf.itertuples()
        ]
        extra = set(bl.index) - {f"{r.variable}={r.level}" for r in wf.itertuples()} - {"const"}
        pairs += [(term, None, bl.at[term, column]) for term in sorted(extra)]
        return _check(label, pairs, 0.005)

    def cox_coefficients():
        wf = _workflow_cox_coefficients(run_dir)
        bl = pd.read_csv(base / "cox_art60.csv").set_index("term")["coef"]
        return _check(
            "Cox coefficients, unrounded (the workflow's model refitted on the run's clients.parquet)",
            [(t, wf.get(t), bl.get(t)) for t in sorted(set(wf) | set(bl.index))],
            1e-6,
        )

    def longitudinal(
        file: str,
        keys: list[str],
        values: list[str],
        label: str,
        skip: tuple[str, str] | None = None,
    ):
        wf = pd.read_csv(tables / f"{file}.csv", dtype=str)
        bl = pd.read_csv(base / f"{file}.csv", dtype=str)
        if skip:
            wf = wf[wf[skip[0]] != skip[1]]
        merged = wf.merge(bl, on=keys, how="outer", suffixes=("_wf", "_bl"))
        pairs = []
        for row in merged.itertuples(index=False):
            record = row._asdict()
            what = " ".join(str(record[k]) for k in keys)
            for v in values:
                a, b = record.get(f"{v}_wf"), record.get(f"{v}_bl")
                pairs.append(
                    (
                        f"{what} {v}",
                        None if pd.isna(a) else float(a),
                        None if pd.isna(b) else float(b),
                    )
                )
        return _check(label, pairs)

    guarded("linked clients", linked_clients)
    guarded("linkage", linkage)
    guarded("t05", lambda: crosstab_counts("t05_cohort_work"))
    guarded("cross-tabs", crosstab_counts)
    guarded("chi-square", chi_square)
    guarded("timing", timing)
    guarded(
        "KM median",
        lambda: km(
            "median_days",
            0.0,
            "Kaplan-Meier median days to a first art. 60 per cohort and trajectory",
        ),
    )
    guarded(
        "KM 12 months",
        lambda: km(
            "pct_started_12m", 0.05, "Kaplan-Meier % started by 12 months (table: 1 decimal)"
        ),
    )
    guarded("log-rank", logrank)
    guarded(
        "Cox HR", lambda: model_table("cox_art60", "hr", "Cox hazard ratios (table: 2 decimals)")
    )
    guarded("Cox coefficients", cox_coefficients)
    guarded(
        "logit",
        lambda: model_table("logit_work", "odds_ratio", "logit odds ratios (table: 2 decimals)"),
    )
    guarded(
        "status by months",
        lambda: longitudinal(
            "long_status_by_months",
            ["cohort", "reference_date", "status_group"],
            ["n", "months_since_intake"],
            "status by months since intake (counts, months)",
            skip=("status_group", "Totaal"),
        ),
    )
    guarded(
        "transitions",
        lambda: longitudinal(
            "long_transitions",
            ["group_var", "group", "from_date", "to_date", "from_status", "to_status"],
            ["n"],
            "month-to-month transitions (counts)",
            skip=("to_status", "Totaal"),
        ),
    )
    guarded(
        "durable work",
        lambda: longitudinal(
            "long_durable_work",
            ["group_var", "group"],
            ["n", "n_evaluable", "n_work_ever", "n_durable"],
            "durable work (counts)",
        ),
    )
    return checks


def baseline_ratio_text(baseline_wall: float, workflow_wall: float) -> str:
    """baseline / workflow, and what it means for the workflow."""
    ratio = baseline_wall / workflow_wall
    if ratio >= 1:
        return f"{ratio:.2f} (workflow {ratio:.1f}x faster)"
    return f"{ratio:.2f} (workflow {1 / ratio:.1f}x slower)"


# --------------------------------------------------------------------------------------------
# One size
# --------------------------------------------------------------------------------------------
def snakemake_command(run_dir: Path, configfile: Path, cores: int, extra: str = "") -> list[str]:
    return [
        PYTHON,
        "-m",
        "snakemake",
        "-s",
        str(ROOT / "Snakefile"),
        "--directory",
        str(run_dir),
        "--cores",
        str(cores),
        "--configfile",
        str(configfile),
        *shlex.split(extra),
    ]


def base_env() -> dict:
    env = dict(os.environ)
    env["PATH"] = os.path.dirname(PYTHON) + os.pathsep + env.get("PATH", "")
    env.setdefault("MPLBACKEND", "Agg")
    return env


def run_workflow(run_dir: Path, configfile: Path, env: dict, args) -> dict:
    result = run_measured(
        snakemake_command(run_dir, configfile, args.cores, args.snakemake_args),
        run_dir,
        env,
        run_dir / "snakemake.out",
        args.timeout,
    )
    result["ok"] = result["returncode"] == 0 and not result["timed_out"]
    result["rules"] = rule_benchmarks(run_dir, result.pop("processes"))
    starts = [r["start_s"] for r in result["rules"] if r["start_s"] is not None]
    result["startup_s"] = min(starts) if starts else None  # Snakemake start-up and DAG
    if not result["ok"]:
        why = "timed out" if result["timed_out"] else f"exit code {result['returncode']}"
        if result["returncode"] in (-9, 137) and not result["timed_out"]:
            why += " (killed: out of memory?)"
        failed = [r for r in result["rules"] if r.get("unfinished")]
        if failed:
            why += f" in job {', '.join(r['job'] for r in failed)}"
            killed = oom_killed({r["pid"] for r in failed})
            if killed:
                why += f" -- killed by the kernel's OOM killer ({killed})"
            elif "SIGKILL" in tail(run_dir / "snakemake.out", 400):
                why += " -- killed (SIGKILL: out of memory?)"
        result["error"] = why
        result["error_tail"] = error_excerpt(run_dir)
    return result


def scale_run(n: int, args) -> dict:
    import yaml

    from cob_demo import scale as synth_scale
    from cob_demo.scale_design import EXPORT_STEMS

    data_key = f"{n}-{args.snapshots}-{args.n_snapshots}-{args.format}"
    key = data_key + (f"-{args.label}" if args.label else "")
    base = Path(args.workdir) / data_key
    raw, run_dir = base / "raw", base / ("run" + (f"-{args.label}" if args.label else ""))
    counts = synth_scale.design_counts(n, args.snapshots, args.n_snapshots)
    entry: dict = {
        "key": key,
        "kind": "scale",
        "clients": n,
        "snapshots": args.snapshots,
        "n_snapshots": args.n_snapshots,
        "format": args.format,
        "seed": args.seed,
        "cores": args.cores,
        "label": args.label,
        "snakemake_args": args.snakemake_args,
        "rows": {name: counts[f"rows_{name}"] for name in EXPORT_STEMS},
        "started": dt.datetime.now().isoformat(timespec="seconds"),
    }
    stamp = raw / "generated.json"
    params = {
        "n": n,
        "snapshots": args.snapshots,
        "n_snapshots": args.n_snapshots,
        "seed": args.seed,
        "format": args.format,
    }
    if args.reuse_data and stamp.exists() and json.loads(stamp.read_text()) == params:
        entry["generate"] = {"reused": True, "ok": True}
        print(f"[{key}] reusing {raw}", flush=True)
    else:
        shutil.rmtree(raw, ignore_errors=True)
        raw.mkdir(parents=True)
        print(f"[{key}] generating ...", flush=True)
        gen = run_measured(
            [
                PYTHON,
                "-m",
                "cob_demo.scale",
                "--clients",
                str(n),
                "--snapshots",
                args.snapshots,
                "--n-snapshots",
                str(args.n_snapshots),
                "--format",
                args.format,
                "--outdir",
                str(raw),
                "--seed",
                str(args.seed),
            ],
            base,
            base_env(),
            base / "generate.out",
            args.timeout,
        )
        gen.pop("processes")
        gen["ok"] = gen["returncode"] == 0 and not gen["timed_out"]
        entry["generate"] = {
            k: gen[k] for k in ("ok", "wall_s", "peak_process_rss_mib", "returncode", "timed_out")
        }
        if not gen["ok"]:
            entry["generate"]["error_tail"] = tail(base / "generate.out")
            entry["workflow"] = {"ok": False, "error": "generation failed"}
            return entry
        stamp.write_text(json.dumps(params))
        print(f"[{key}] generated in {gen['wall_s']} s", flush=True)
    entry["input_mib"] = round(sum(p.stat().st_size for p in raw.glob(f"*.{args.format}")) / MIB, 1)
    paths = synth_scale.export_paths(raw, args.format)
    config_base = yaml.safe_load((ROOT / "config" / "config.yaml").read_text(encoding="utf-8"))
    config = synth_scale.scale_config(
        config_base, paths, recode=ROOT / "config" / "recode" / "vdab_status.csv"
    )
    env = base_env()
    env["COB_PSEUDO_KEY"] = BENCH_KEY
    entry["workflow_runs"] = []
    for repeat in range(args.repeat):
        shutil.rmtree(run_dir, ignore_errors=True)
        run_dir.mkdir(parents=True)
        configfile = run_dir / "config.yaml"
        configfile.write_text(
            yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8"
        )
        print(f"[{key}] workflow run {repeat + 1}/{args.repeat} ...", flush=True)
        result = run_workflow(run_dir, configfile, env, args)
        print(
            f"[{key}] {'ok' if result['ok'] else 'FAILED: ' + result['error']} in {result['wall_s']} s, "
            f"peak tree {result['peak_tree_rss_mib']} MiB",
            flush=True,
        )
        entry["workflow_runs"].append(result)
        if not result["ok"]:
            break
    entry["workflow"] = median_run(entry["workflow_runs"])
    if getattr(args, "baseline", False):
        runs = []
        for repeat in range(args.repeat):
            print(f"[{key}] baseline run {repeat + 1}/{args.repeat} ...", flush=True)
            result = run_baseline(base, configfile, env, args)
            print(
                f"[{key}] baseline {'ok' if result['ok'] else 'FAILED: ' + result['error']} in {result['wall_s']} s, "
                f"peak tree {result['peak_tree_rss_mib']} MiB",
                flush=True,
            )
            runs.append(result)
            if not result["ok"]:
                break
        entry["baseline"] = median_run(runs)
        if entry["baseline"]["ok"] and entry["workflow"].get("ok"):
            checks = compare_baseline(run_dir, base / "baseline" / "tables")
            entry["baseline"]["agreement"] = checks
            entry["baseline"]["agree"] = all(c["agree"] for c in checks)
            print(
                f"[{key}] baseline and workflow figures "
                + (
                    "agree"
                    if entry["baseline"]["agree"]
                    else "DISAGREE: " + ", ".join(c["check"] for c in checks if not c["agree"])
                ),
                flush=True,
            )
    if args.clean:
        shutil.rmtree(base, ignore_errors=True)
    return entry


def demo_run(args) -> dict:
    base = Path(args.workdir) / "demo"
    entry: dict = {
        "key": "demo" + (f"-{args.label}" if args.label else ""),
        "kind": "demo",
        "label": args.label,
        "started": dt.datetime.now().isoformat(timespec="seconds"),
        "workflow_runs": [],
        "cores": args.cores,
        "snakemake_args": args.snakemake_args,
    }
    env = base_env()
    env.pop("COB_PSEUDO_KEY", None)  # the demo exports use the published demo key
    for repeat in range(args.repeat):
        shutil.rmtree(base, ignore_errors=True)
        base.mkdir(parents=True)
        shutil.copytree(ROOT / "config", base / "config")
        shutil.copytree(ROOT / "data" / "raw", base / "data" / "raw")
        (base / "src" / "cob_demo").mkdir(parents=True)  # the demo config's reference figures
        shutil.copy(
            ROOT / "src" / "cob_demo" / "report_2020_tables.yaml", base / "src" / "cob_demo"
        )
        print(f"[demo] workflow run {repeat + 1}/{args.repeat} ...", flush=True)
        result = run_workflow(base, base / "config" / "config.yaml", env, args)
        print(
            f"[demo] {'ok' if result['ok'] else 'FAILED: ' + result['error']} in {result['wall_s']} s",
            flush=True,
        )
        entry["workflow_runs"].append(result)
        if not result["ok"]:
            break
    entry["rows"] = {}
    entry["workflow"] = median_run(entry["workflow_runs"])
    return entry


def median_run(runs: list[dict]) -> dict:
    """The failed run if any, else the run with the median wall time (plus all wall times)."""
    failed = [r for r in runs if not r["ok"]]
    if failed:
        chosen = dict(failed[0])
    else:
        ordered = sorted(runs, key=lambda r: r["wall_s"])
        chosen = dict(ordered[(len(ordered) - 1) // 2])
    chosen["all_wall_s"] = [r["wall_s"] for r in runs]
    return chosen


# --------------------------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------------------------
def peak_mib(workflow: dict) -> float | None:
    values = [
        v for v in (workflow.get("peak_tree_rss_mib"), workflow.get("peak_process_rss_mib")) if v
    ]
    return max(values) if values else None


def verdicts(entry: dict) -> list[dict]:
    """Each target of this size: met or missed, and the rule to blame (none for partial runs)."""
    if entry.get("snakemake_args"):
        return []
    target = TARGETS.get("demo" if entry["kind"] == "demo" else entry["clients"])
    wf = entry.get("workflow", {})
    if not target:
        return []
    out = []
    rules = wf.get("rules") or []
    if "wall_s" in target:
        wall = wf.get("wall_s")
        met = bool(wf.get("ok")) and wall is not None and wall <= target["wall_s"]
        item = {
            "what": "wall time",
            "target": f"<= {target['wall_s']} s",
            "measured": f"{wall} s" if wf.get("ok") else f"failed after {wall} s",
            "met": met,
        }
        if not met and rules:
            top = rules[0]
            share = 100 * (top["s"] or 0) / wall if wall else 0
            item["why"] = (
                f"slowest rule `{top['job']}`: {top['s']:.1f} s ({share:.0f}% of the run)"
                + (f"; then `{rules[1]['job']}` {rules[1]['s']:.1f} s" if len(rules) > 1 else "")
            )
            if wf.get("startup_s"):
                item["why"] += f"; Snakemake start-up before the first job {wf['startup_s']:.1f} s"
        out.append(item)
    if "peak_mib" in target:
        peak = peak_mib(wf)
        met = bool(wf.get("ok")) and peak is not None and peak <= target["peak_mib"]
        item = {
            "what": "peak memory",
            "target": f"<= {target['peak_mib'] / 1024:.0f} GiB",
            "measured": f"{peak / 1024:.2f} GiB" if peak else "n/a",
            "met": met,
        }
        if not met and rules:
            biggest = max(rules, key=lambda r: r["peak_rss_mib"] or r["max_rss_mib"] or 0)
            rss = biggest["peak_rss_mib"] or biggest["max_rss_mib"] or 0
            item["why"] = f"largest rule `{biggest['job']}`: {rss / 1024:.2f} GiB"
            if wf.get("peak_tree_processes"):
                item["why"] += "; at the tree's peak: " + ", ".join(
                    f"{n} {m / 1024:.2f} GiB" for n, m in wf["peak_tree_processes"][:3]
                )
        out.append(item)
    return out


def fmt(value, digits: int = 1) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    return f"{value:,}"


def title(entry: dict) -> str:
    if entry["kind"] == "demo":
        text = "Demo exports (config/config.yaml, data/raw)"
    else:
        text = f"{entry['clients']:,} clients x {entry['n_snapshots']} {entry['snapshots']} snapshots ({entry['format']})"
    if entry.get("snakemake_args"):
        text += f", `snakemake {entry['snakemake_args']}`"
    return text


def render(results: dict, notes: str | None = None) -> str:
    m = results["machine"]
    runs = sorted(
        results["runs"],
        key=lambda e: (e["kind"] != "demo", e.get("clients", 0), bool(e.get("snakemake_args"))),
    )
    lines = [
        "# Benchmark results",
        "",
        f"Written by `benchmarks/run.py` ({results.get('command', '')}) on {results.get('updated', '')}.",
        "How to run it and how to read this file: `benchmarks/README.md`.",
        "",
        "## Machine",
        "",
        "| | |",
        "|---|---|",
        f"| CPU | {m.get('cpu', '?')}, {m.get('nproc')} cores ({m.get('nproc_available', '?')} available) |",
        f"| memory | {m.get('memory_gib')} GiB |",
        f"| system | {m.get('platform')} |",
        f"| Python | {m.get('python')} |",
        "| packages | " + ", ".join(f"{k} {v}" for k, v in m.get("packages", {}).items()) + " |",
        f"| code | git {m.get('git')} |",
        "",
        "## Summary",
        "",
        "| run | rows read (all exports) | generate | workflow wall | peak memory (tree / largest process) "
        "| s per million rows | targets |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for entry in runs:
        wf = entry.get("workflow", {})
        rows = sum(entry.get("rows", {}).values())
        gen = entry.get("generate", {})
        gen_text = (
            "reused"
            if gen.get("reused")
            else (f"{gen.get('wall_s')} s" if gen.get("ok") else ("failed" if gen else "-"))
        )
        wall = (
            f"{wf['wall_s']} s"
            if wf.get("ok")
            else f"FAILED after {wf.get('wall_s')} s ({str(wf.get('error')).split(' -- ')[0]})"
        )
        if wf.get("ok") and len(wf.get("all_wall_s", [])) > 1:
            wall += f" (median of {', '.join(str(w) for w in wf['all_wall_s'])})"
        memory = f"{fmt((wf.get('peak_tree_rss_mib') or 0) / 1024, 2)} / {fmt((wf.get('peak_process_rss_mib') or 0) / 1024, 2)} GiB"
        per_m = fmt(wf["wall_s"] / rows * 1e6, 1) if wf.get("ok") and rows else "-"
        checks = verdicts(entry)
        target_text = (
            "; ".join(
                f"{c['what']} {c['target']}: {'met' if c['met'] else '**missed**'}" for c in checks
            )
            or "-"
        )
        lines.append(
            f"| {title(entry)} | {fmt(rows) if rows else '-'} | {gen_text} | {wall} | {memory} | {per_m} | {target_text} |"
        )
    lines += ["", linear_growth(runs), ""]
    lines += baseline_summary(runs)
    for entry in runs:
        lines += section(entry)
    if notes:
        lines += ["## Where the time goes (analysis)", "", notes.strip(), ""]
    lines += [
        "## How it was measured",
        "",
        "- wall: `time.perf_counter()` around the whole `snakemake` process (start-up, DAG, all jobs, "
        "`--cores " + str(runs[0].get("cores", 2) if runs else 2) + "`).",
        "- peak memory (tree): the sum of the RSS of Snakemake and all its descendants, sampled every 0.2 s from "
        "/proc (errs high: shared pages count once per process); largest process: `ru_maxrss` from `wait4` (exact).",
        "- per rule: `s`, `max_rss` and `cpu_time` from Snakemake's `benchmark:` files (Snakemake samples memory "
        "every 0.5 s for 15 s, then every 30 s: its `max_rss` can miss a peak and is near 0 for jobs under 0.5 s); "
        "`peak RSS` is the rule's Python process's `VmHWM` (exact high-water mark, read every 0.2 s); `start` is "
        "when that process was first seen, in seconds after Snakemake was launched.",
    ]
    if any(e.get("baseline") for e in runs):
        lines.append(
            "- baseline (`--baseline`): `benchmarks/baseline.py` as its own process on the same exports and "
            "config, measured like the workflow (wall, process-tree peak, largest process)."
        )
    lines.append("")
    return "\n".join(lines)


def linear_growth(runs: list[dict]) -> str:
    scale = [
        e
        for e in runs
        if e["kind"] == "scale"
        and e.get("workflow", {}).get("ok")
        and not e.get("snakemake_args")
        and not e.get("label")  # a labelled run repeats a size under other code or settings
    ]
    if len(scale) < 2:
        return "Growth: needs two successful sizes."
    parts = []
    import math

    for a, b in zip(scale, scale[1:], strict=False):
        ra, rb = sum(a["rows"].values()), sum(b["rows"].values())
        ta, tb = a["workflow"]["wall_s"], b["workflow"]["wall_s"]
        ma, mb = peak_mib(a["workflow"]), peak_mib(b["workflow"])
        exp_t = math.log(tb / ta) / math.log(rb / ra)
        exp_m = math.log(mb / ma) / math.log(rb / ra) if ma and mb else float("nan")
        parts.append(
            f"{a['clients']:,} -> {b['clients']:,} clients: rows x{rb / ra:.1f}, wall x{tb / ta:.1f} "
            f"(exponent {exp_t:.2f}), peak memory "
            + (f"x{mb / ma:.1f} (exponent {exp_m:.2f})" if ma and mb else "not measured")
        )
    return (
        "Growth between sizes (exponent 1 = linear in rows; below 1 while fixed costs such as "
        "start-up dominate):\n\n" + "\n".join(f"- {p}" for p in parts)
    )


def baseline_summary(runs: list[dict]) -> list[str]:
    """Per size: the plain pandas baseline against the workflow (nothing for runs without one)."""
    with_baseline = [e for e in runs if e.get("baseline")]
    if not with_baseline:
        return []
    lines = [
        "Plain pandas baseline (`benchmarks/baseline.py`, the core work as one script, same exports):",
        "",
        "| run | baseline wall | baseline peak memory (tree / largest process) | workflow wall "
        "| baseline / workflow | figures agree |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for entry in with_baseline:
        bl, wf = entry["baseline"], entry.get("workflow", {})
        wall = (
            f"{bl['wall_s']} s"
            if bl.get("ok")
            else f"FAILED after {bl.get('wall_s')} s ({bl.get('error')})"
        )
        if bl.get("ok") and len(bl.get("all_wall_s", [])) > 1:
            wall += f" (median of {', '.join(str(w) for w in bl['all_wall_s'])})"
        memory = (
            f"{fmt((bl.get('peak_tree_rss_mib') or 0) / 1024, 2)} / "
            f"{fmt((bl.get('peak_process_rss_mib') or 0) / 1024, 2)} GiB"
        )
        wf_wall = f"{wf['wall_s']} s" if wf.get("ok") else "failed"
        ratio = (
            baseline_ratio_text(bl["wall_s"], wf["wall_s"])
            if bl.get("ok") and wf.get("ok")
            else "-"
        )
        checks = bl.get("agreement")
        if checks is None:
            agree = "not checked"
        elif bl.get("agree"):
            agree = f"yes ({len(checks)} checks)"
        else:
            agree = "**no**: " + ", ".join(c["check"] for c in checks if not c["agree"])
        lines.append(f"| {title(entry)} | {wall} | {memory} | {wf_wall} | {ratio} | {agree} |")
    lines += [
        "",
        "The baseline does the core work only (ingest checks, pseudonyms, linkage, recoding, the cross-tabs "
        "with chi-square, art. 60 timing, Kaplan-Meier and log-rank, Cox, logit, status by months, transitions, "
        "durable work) and writes CSV; the workflow also writes the figures, the HTML report, the workbook, "
        "SPSS/Stata files, the suppressed public tables and the QA files, and runs every rule as its own "
        "process. `figures agree`: the checks in each run's section (`benchmarks/README.md`).",
    ]
    return lines + [""]


def baseline_section(entry: dict) -> list[str]:
    bl = entry.get("baseline")
    if not bl:
        return []
    wf = entry.get("workflow", {})
    if not bl.get("ok"):
        return [
            f"Baseline (`benchmarks/baseline.py`): **FAILED** ({bl.get('error')}) after {bl.get('wall_s')} s.",
            "",
            "```",
            (bl.get("error_tail") or "").strip(),
            "```",
            "",
        ]
    steps = bl.get("steps_s") or {}
    lines = [
        f"Baseline (`benchmarks/baseline.py`, plain pandas, one process): **{bl['wall_s']} s**"
        + (
            f" ({', '.join(f'{k} {v} s' for k, v in steps.items())}, plus start-up and imports)"
            if steps
            else ""
        )
        + f", peak memory {fmt((bl.get('peak_process_rss_mib') or 0) / 1024, 2)} GiB; CPU {fmt(bl.get('cpu_s'))} s"
        + (
            f"; baseline / workflow {baseline_ratio_text(bl['wall_s'], wf['wall_s'])}"
            if wf.get("ok")
            else ""
        )
        + "."
    ]
    if bl.get("other_cpu_s") is not None and bl.get("wall_s"):
        busy = bl["other_cpu_s"] / bl["wall_s"]
        if busy > 0.3:
            lines.append(
                f"Other processes took {busy:.2f} cores on average during the baseline -- **times are inflated**."
            )
    checks = bl.get("agreement")
    if checks is None:
        lines += ["Agreement with the workflow: not checked (the workflow failed).", ""]
        return lines
    verdict = "all agree" if bl.get("agree") else "**some disagree**"
    lines += [
        "",
        f"Agreement of the baseline's figures with the workflow's tables ({verdict}):",
        "",
        "| figures | compared | agree | largest difference | tolerance |",
        "|---|---:|---|---:|---:|",
    ]
    for c in checks:
        diff = "-" if c.get("max_diff") is None else f"{c['max_diff']:.3g}"
        tol = "exact" if not c.get("tolerance") else f"{c['tolerance']:g}"
        agree = (
            "yes"
            if c["agree"]
            else "**no**: "
            + "; ".join(c.get("mismatches", []))
            + (
                f" ({c['n_mismatches']} in all)"
                if c.get("n_mismatches", 0) > len(c.get("mismatches", []))
                else ""
            )
        )
        lines.append(f"| {c['check']} | {c['compared']:,} | {agree} | {diff} | {tol} |")
    return lines + [""]


def section(entry: dict) -> list[str]:
    wf = entry.get("workflow", {})
    lines = [f"## {title(entry)}", ""]
    if entry.get("started"):
        lines += [
            f"Measured {entry['started']}"
            + (f" on git {entry['git']}" if entry.get("git") else "")
            + ".",
            "",
        ]
    if entry.get("rows"):
        lines.append(
            "Rows: "
            + ", ".join(f"{k} {v:,}" for k, v in entry["rows"].items())
            + (f"; input {entry.get('input_mib')} MiB on disk" if entry.get("input_mib") else "")
            + "."
        )
        gen = entry.get("generate", {})
        if gen.get("reused"):
            lines.append("Exports: reused from an earlier run (same parameters).")
        elif gen:
            lines.append(
                f"Generation: {gen.get('wall_s')} s, peak {fmt((gen.get('peak_process_rss_mib') or 0) / 1024, 2)} GiB"
                + ("" if gen.get("ok") else " **(failed)**")
                + "."
            )
        lines.append("")
    if not wf:
        return lines
    if wf.get("ok"):
        lines.append(
            f"Workflow: **{wf['wall_s']} s** end to end (Snakemake start-up before the first job "
            f"{fmt(wf.get('startup_s'))} s; CPU {fmt(wf.get('cpu_s'))} s), peak memory of the process tree "
            f"**{fmt((wf.get('peak_tree_rss_mib') or 0) / 1024, 2)} GiB** at {fmt(wf.get('peak_tree_at_s'))} s "
            f"({', '.join(f'{n} {m / 1024:.2f}' for n, m in wf.get('peak_tree_processes', [])[:4])} GiB), "
            f"largest single process {fmt((wf.get('peak_process_rss_mib') or 0) / 1024, 2)} GiB."
        )
        if wf.get("other_cpu_s") is not None and wf.get("wall_s"):
            busy = wf["other_cpu_s"] / wf["wall_s"]
            lines.append(
                f"Other processes on the machine meanwhile: {wf['other_cpu_s']} CPU-s "
                f"({busy:.2f} cores on average; load average {wf.get('loadavg_before')} at the start)"
                + (" -- **the machine was shared: times are inflated**." if busy > 0.3 else ".")
            )
    else:
        lines += [
            f"Workflow: **FAILED** ({wf.get('error')}) after {wf.get('wall_s')} s.",
            "",
            "```",
            (wf.get("error_tail") or entry.get("generate", {}).get("error_tail") or "").strip(),
            "```",
        ]
    lines.append("")
    for check in verdicts(entry):
        status = "met" if check["met"] else "**missed**"
        text = f"- Target {check['what']} {check['target']}: {check['measured']}, {status}."
        if not check["met"] and check.get("why"):
            text += f" What misses and why: {check['why']}."
        lines.append(text)
    if verdicts(entry):
        lines.append("")
    lines += baseline_section(entry)
    rules = wf.get("rules") or []
    if rules:
        wall = wf.get("wall_s") or 0
        lines += [
            "| job | s | % of wall | start (s) | peak RSS MiB (exact) | max_rss MiB (Snakemake) | cpu s |",
            "|---|---:|---:|---:|---:|---:|---:|",
        ]
        for r in rules:
            share = f"{100 * r['s'] / wall:.0f}" if r["s"] is not None and wall else "-"
            name = r["job"] + (" (did not finish)" if r.get("unfinished") else "")
            lines.append(
                f"| {name} | {fmt(r['s'], 2)} | {share} | {fmt(r['start_s'])} | {fmt(r['peak_rss_mib'])} "
                f"| {fmt(r['max_rss_mib'])} | {fmt(r['cpu_time_s'], 2)} |"
            )
        lines.append("")
    return lines


# --------------------------------------------------------------------------------------------
# What profiles/slurm is sized for: the main benchmark's exports.
SIZING_BASIS = {"snapshots": "monthly", "n_snapshots": 12, "format": "parquet"}


def sizing_runs(results: dict) -> list[dict]:
    """The complete full-workflow scale runs on SIZING_BASIS exports, by size (a failed or partial
    run measures nothing)."""
    return sorted(
        (
            e
            for e in results["runs"]
            if e["kind"] == "scale"
            and e.get("workflow", {}).get("ok")
            and not e.get("snakemake_args")
            and all(e.get(k) == v for k, v in SIZING_BASIS.items())
        ),
        key=lambda e: e["clients"],
    )


def measured_sizing(results: dict) -> dict:
    """Per rule, its largest job's seconds and peak memory in each of `sizing_runs`:
    cluster.Measurement rows."""
    from cob_analysis.cluster import Measurement

    per_rule: dict[str, dict[int, tuple[float, float]]] = {}
    for entry in sizing_runs(results):
        workflow = entry["workflow"]
        for r in workflow.get("rules", []):
            seconds, mib = r["s"] or 0.0, r["peak_rss_mib"] or r["max_rss_mib"] or 0.0
            known = per_rule.setdefault(rule_name(r["job"]), {}).get(entry["clients"], (0.0, 0.0))
            per_rule[rule_name(r["job"])][entry["clients"]] = (
                max(known[0], seconds),
                max(known[1], mib),
            )
    return {
        rule: tuple(Measurement(n, s, mib) for n, (s, mib) in sorted(sizes.items()))
        for rule, sizes in sorted(per_rule.items())
    }


def suggest_slurm(results: dict, clients: int) -> str:
    """`set-resources` for profiles/slurm sized for `clients` from results.json, every resource
    the profile sets (cluster.job_sizes: straight lines through all measured sizes, headroom and
    floors), with the measured figures around `clients` as comments. The profile computes the
    same from the packaged copy of the measurements (--update-sizing)."""
    from cob_analysis import cluster

    sizing = measured_sizing(results)
    if not sizing:
        return "# no complete scale run in results.json"
    basis = SIZING_BASIS
    lines = [
        f"# sized for {clients:,} clients x {basis['n_snapshots']} {basis['snapshots']} VDAB snapshots "
        f"({basis['format']} exports) from benchmarks/results.json:",
        f"# memory = peak x {cluster.MEMORY_HEADROOM}, run time = seconds x {cluster.RUNTIME_HEADROOM}, at least "
        f"{cluster.MIN_MEM_MB} MB and {cluster.MIN_RUNTIME_MIN} minutes; the profile computes this from "
        f"{cluster.ENV_CLIENTS}",
        "set-resources:",
    ]
    for rule, size in cluster.job_sizes(sizing, clients).items():
        measured = sizing[rule]
        below = [m for m in measured if m.clients <= clients][-1:]
        above = [m for m in measured if m.clients > clients][:1]
        around = (below + above) or list(measured[-2:])
        note = "; ".join(f"{m.clients:,}: {m.seconds:.1f} s, {m.peak_mib:,.0f} MiB" for m in around)
        lines += [
            f"  {rule}:  # measured {note}",
            f"    mem_mb: {size.mem_mb}",
            f"    runtime: {size.runtime}",
            f"    cpus_per_task: {size.cpus_per_task}",
        ]
    return "\n".join(lines)


def update_sizing(results: dict, results_path: Path) -> Path:
    """Write the measurements of results.json into the package (data/slurm_sizing.json), where
    profiles/slurm reads them."""
    from cob_analysis import cluster

    runs = sizing_runs(results)
    if not runs:
        raise SystemExit(f"no complete scale run on {SIZING_BASIS} exports in {results_path}")
    machine = results.get("machine", {})
    sizes = ", ".join(f"{e['clients']:,}" for e in runs)
    commits = ", ".join(sorted({str(e.get("git") or "?") for e in runs}))
    source = (
        f"benchmarks/{results_path.name}: {sizes} clients x {SIZING_BASIS['n_snapshots']} "
        f"{SIZING_BASIS['snapshots']} snapshots ({SIZING_BASIS['format']}), commit {commits}, "
        f"{machine.get('nproc', '?')} cores, {machine.get('memory_gib', '?')} GiB"
    )
    target = ROOT / "src" / "cob_analysis" / cluster.SIZING_RESOURCE
    target.write_text(cluster.sizing_to_json(measured_sizing(results), source), encoding="utf-8")
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--sizes",
        type=int,
        nargs="*",
        default=[10_000, 100_000, 1_000_000, 5_000_000],
        help="numbers of clients (default: 10000 100000 1000000 5000000)",
    )
    parser.add_argument("--snapshots", choices=("monthly", "yearly"), default="monthly")
    parser.add_argument("--n-snapshots", type=int, default=12)
    parser.add_argument("--format", choices=("parquet", "csv"), default="parquet")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--demo", action="store_true", help="also time the demo run (config/, data/raw/)"
    )
    parser.add_argument(
        "--workdir",
        default="/tmp/cob-bench",
        help="generated data and runs (default: /tmp/cob-bench)",
    )
    parser.add_argument(
        "--out", default=str(ROOT / "benchmarks" / "results.md"), help="Markdown results"
    )
    parser.add_argument("--json", help="raw results (default: results.json beside --out)")
    parser.add_argument("--cores", type=int, default=2)
    parser.add_argument(
        "--timeout", type=float, default=1800, help="seconds per run (default: 1800)"
    )
    parser.add_argument(
        "--repeat", type=int, default=1, help="workflow runs per size; the median is reported"
    )
    parser.add_argument(
        "--reuse-data",
        action="store_true",
        help="keep exports generated earlier with the same parameters",
    )
    parser.add_argument(
        "--clean", action="store_true", help="delete each size's data and run after measuring it"
    )
    parser.add_argument("--append", action="store_true", help="merge into an existing results.json")
    parser.add_argument(
        "--render", action="store_true", help="only rewrite the Markdown from results.json"
    )
    parser.add_argument("--notes", help="Markdown file with an analysis to include")
    parser.add_argument(
        "--snakemake-args",
        default="",
        help="extra Snakemake arguments, e.g. '--omit-from longitudinal' (a partial run: no targets)",
    )
    parser.add_argument(
        "--suggest-slurm",
        type=int,
        metavar="CLIENTS",
        help="print set-resources for profiles/slurm sized for CLIENTS from results.json, and stop",
    )
    parser.add_argument(
        "--update-sizing",
        action="store_true",
        help="write the measurements of results.json to src/cob_analysis/data/slurm_sizing.json "
        "(what profiles/slurm sizes its jobs from), and stop",
    )
    parser.add_argument(
        "--baseline",
        action="store_true",
        help="also run benchmarks/baseline.py (plain pandas) on each size's exports, time it the same "
        "way and check that its key figures agree with the workflow's",
    )
    parser.add_argument(
        "--label",
        default="",
        help="suffix of the run's key (keeps a partial run beside the full one)",
    )
    args = parser.parse_args(argv)

    out = Path(args.out)
    json_path = Path(args.json) if args.json else out.with_suffix(".json")
    notes = Path(args.notes).read_text(encoding="utf-8") if args.notes else None
    if args.suggest_slurm:
        print(suggest_slurm(json.loads(json_path.read_text(encoding="utf-8")), args.suggest_slurm))
        return 0
    if args.update_sizing:
        print(
            f"wrote {update_sizing(json.loads(json_path.read_text(encoding='utf-8')), json_path)}"
        )
        return 0
    if args.render:
        results = json.loads(json_path.read_text(encoding="utf-8"))
        if notes is not None:
            results["notes"] = notes
        json_path.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
        out.write_text(render(results, results.get("notes")), encoding="utf-8")
        print(f"wrote {out}")
        return 0

    results = {"machine": machine(), "runs": []}
    if args.append and json_path.exists():
        previous = json.loads(json_path.read_text(encoding="utf-8"))
        results["runs"] = previous.get("runs", [])
        results["notes"] = previous.get("notes")
    results["command"] = "python benchmarks/run.py " + " ".join(
        argv if argv is not None else sys.argv[1:]
    )
    if notes is not None:
        results["notes"] = notes
    Path(args.workdir).mkdir(parents=True, exist_ok=True)

    def save(entry: dict) -> None:
        entry.setdefault("git", results["machine"].get("git"))  # the code this run measured
        results["runs"] = [e for e in results["runs"] if e["key"] != entry["key"]] + [entry]
        results["updated"] = dt.datetime.now().isoformat(timespec="seconds")
        json_path.parent.mkdir(parents=True, exist_ok=True)
        json_path.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
        out.write_text(render(results, results.get("notes")), encoding="utf-8")

    if args.demo:
        save(demo_run(args))
    for n in args.sizes:
        try:
            entry = scale_run(n, args)
        except Exception as exc:  # noqa: BLE001 - record and go on with the next size
            entry = {
                "key": f"{n}-{args.snapshots}-{args.n_snapshots}-{args.format}"
                + (f"-{args.label}" if args.label else ""),
                "kind": "scale",
                "clients": n,
                "label": args.label,
                "snakemake_args": args.snakemake_args,
                "snapshots": args.snapshots,
                "n_snapshots": args.n_snapshots,
                "format": args.format,
                "rows": {},
                "workflow": {"ok": False, "error": f"{type(exc).__name__}: {exc}"},
            }
        save(entry)
    print(f"wrote {out} and {json_path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
