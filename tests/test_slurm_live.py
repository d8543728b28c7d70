"""The demo on a live one-node SLURM cluster on this machine, through profiles/slurm.

Debian's slurm-wlm and munge (.ci/run installs them), no systemd: munged, slurmctld and slurmd are
started directly with a configuration for localhost and stopped by their PIDs. Without an
accounting database, as on many small clusters: job states come from squeue, job records from
SLURM's text job-completion log. The test checks that every job that is not local ran as a SLURM
job and COMPLETED, and that every output is byte-identical to a local run (the manifest and the
HTML report aside: they carry the time of the run).

Needs root (slurmd) and the packages; skipped with the reason where they are missing. The
configuration must be /etc/slurm/slurm.conf: the plugin's job step clears SLURM_CONF before it
calls srun. An existing file there that this test did not write is left alone (skip)."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import warnings
from dataclasses import dataclass
from pathlib import Path

import pytest
from workflow_runner import prepare

from cob_analysis import cluster

ROOT = Path(__file__).resolve().parents[1]

SYSTEM_CONF = Path("/etc/slurm/slurm.conf")
MARKER = "# written by cob-analysis tests/test_slurm_live.py"
PARTITION = "cobtest"
NODE_MEM_MB = 4000  # a small node: the demo's jobs ask for 1000 MB each
DEMO_CLIENTS = 2000  # the demo's 1,662 clients, rounded up: sizes every job at the floors
RUN_TIMEOUT_S = 600  # per run; the demo through SLURM takes 2 to 4 minutes on a busy 2-CPU machine
DAEMONS = ("munged", "slurmctld", "slurmd")
# Compared byte for byte with the local run; the manifest and report.html carry the run's time.
COMPARED = (
    "reports/tables",
    "reports/public",
    "reports/qa",
    "reports/figures",
    "reports/tables.xlsx",
    "data/processed",
)


# --------------------------------------------------------------------------------------------
# Pure helpers (tested below without a cluster)
# --------------------------------------------------------------------------------------------
def slurm_conf(
    base: Path, host: str, cpus: int, mem_mb: int, ctld_port: int, slurmd_port: int
) -> str:
    """slurm.conf of a one-node cluster on localhost: no accounting, no cgroups, jobs recorded
    in a text job-completion log."""
    return f"""{MARKER}
ClusterName=cobtest
SlurmctldHost={host}(127.0.0.1)
SlurmctldPort={ctld_port}
SlurmdPort={slurmd_port}
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket={base}/munge/munge.socket
StateSaveLocation={base}/state
SlurmdSpoolDir={base}/spool
SlurmctldPidFile={base}/slurmctld.pid
SlurmdPidFile={base}/slurmd.pid
SlurmctldLogFile={base}/log/slurmctld.log
SlurmdLogFile={base}/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
MpiDefault=none
SwitchType=switch/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/filetxt
JobCompLoc={base}/jobcomp.txt
MinJobAge=300
ReturnToService=2
NodeName={host} NodeAddr=127.0.0.1 CPUs={cpus} RealMemory={mem_mb} State=UNKNOWN
PartitionName={PARTITION} Nodes={host} Default=NO MaxTime=INFINITE State=UP
"""


def job_records(jobcomp: str) -> dict[str, dict[str, str]]:
    """SLURM's text job-completion log: job id -> its fields (JobState, Partition, ExitCode, ...)."""
    records = {}
    for line in jobcomp.splitlines():
        fields = dict(re.findall(r"(\w+)=(\S*)", line))
        if "JobId" in fields:
            records[fields["JobId"]] = fields
    return records


@dataclass(frozen=True)
class Job:
    rule: str
    wildcards: str  # "export=vdab", or "" for a rule without wildcards


def _rule_blocks(text: str, indent: str) -> list[tuple[str, str, str]]:
    """(localrule | rule, rule name, body) of the job blocks at `indent` in Snakemake's log."""
    pattern = rf"^{indent}(localrule|rule) (\w+):\n((?:{indent}    .*\n)*)"
    return [
        (m.group(1), m.group(2), m.group(3)) for m in re.finditer(pattern, text, flags=re.MULTILINE)
    ]


def _job(name: str, body: str) -> Job:
    wildcards = re.search(r"^\s*wildcards: (.*)$", body, flags=re.MULTILINE)
    return Job(name, wildcards.group(1).strip() if wildcards else "")


def jobs_in_log(log: str) -> tuple[dict[str, Job], list[Job], dict[str, list[Job]]]:
    """Snakemake's log of a run: (jobs by Snakemake job id that ran as jobs, the local jobs,
    SLURM job id -> the jobs it ran: one, or the jobs of a group)."""
    remote, local, submitted = {}, [], {}
    for kind, name, body in _rule_blocks(log, ""):
        if kind == "localrule":
            local.append(_job(name, body))
        else:
            remote[re.search(r"^    jobid: (\d+)$", body, flags=re.MULTILINE).group(1)] = _job(
                name, body
            )
    for jobid, slurm_id in re.findall(
        r"^Job (\d+) has been submitted with SLURM jobid (\d+)", log, flags=re.MULTILINE
    ):
        submitted[slurm_id] = [remote[jobid]]
    groups = re.finditer(
        r"^\[[^\]\n]*\] Group job \S+ \(jobs in lexicogr\. order\):\n(.*?)"
        r"^Job \S+ has been submitted with SLURM jobid (\d+)",
        log,
        flags=re.MULTILINE | re.DOTALL,
    )
    for group in groups:
        submitted[group.group(2)] = [
            _job(name, body) for _, name, body in _rule_blocks(group.group(1), "    ")
        ]
    return remote, local, submitted


def differing_files(a: Path, b: Path, parts: tuple[str, ...]) -> tuple[list[str], list[str]]:
    """(files compared, files that differ or exist on one side only) under `parts` of two runs."""

    def listing(root: Path) -> set[str]:
        found = set()
        for part in parts:
            path = root / part
            if path.is_file():
                found.add(part)
            elif path.is_dir():
                found |= {p.relative_to(root).as_posix() for p in path.rglob("*") if p.is_file()}
        return found

    left, right = listing(a), listing(b)
    compared = sorted(left | right)
    return compared, [
        f
        for f in compared
        if f not in left or f not in right or (a / f).read_bytes() != (b / f).read_bytes()
    ]


def test_jobs_in_log_maps_slurm_jobs_to_rules():
    log = (
        "rule ingest:\n    input: a\n    jobid: 3\n    wildcards: export=vdab\n    resources: mem_mb=1000\n"
        "Job 3 has been submitted with SLURM jobid 41 (log: x/41.log).\n"
        "localrule manifest:\n    jobid: 7\n\nrule analyses:\n    jobid: 9\n"
        "Job 9 has been submitted with SLURM jobid 42 (log: y).\n"
    )
    remote, local, submitted = jobs_in_log(log)
    assert submitted == {"41": [Job("ingest", "export=vdab")], "42": [Job("analyses", "")]}
    assert local == [Job("manifest", "")] and set(remote) == {"3", "9"}


def test_jobs_in_log_maps_a_group_job_to_its_rules():
    log = (
        "[Thu Dec  3 21:05:47 2026] Group job prepare (jobs in lexicogr. order):\n"
        "    [Thu Dec  3 21:05:47 2026]\n    rule ingest:\n        jobid: 14\n        wildcards: export=vdab\n"
        "Shell command: python -m cob_analysis ingest\n"
        "    [Thu Dec  3 21:05:47 2026]\n    rule link_clients:\n        jobid: 3\n"
        "Job a95be596-d5da-5f6e-867b-06e53cd1d1c7 has been submitted with SLURM jobid 1 (log: x/1.log).\n"
        "localrule manifest:\n    jobid: 7\n"
    )
    remote, local, submitted = jobs_in_log(log)
    assert submitted == {"1": [Job("ingest", "export=vdab"), Job("link_clients", "")]}
    assert local == [Job("manifest", "")] and remote == {}


def test_job_records_read_the_completion_log():
    text = (
        "JobId=12 UserId=root(0) Name=abc JobState=COMPLETED Partition=cobtest ExitCode=0:0\n"
        "JobId=13 UserId=root(0) Name=abc JobState=FAILED Partition=cobtest ExitCode=1:0\n"
    )
    records = job_records(text)
    assert records["12"]["JobState"] == "COMPLETED" and records["13"]["ExitCode"] == "1:0"


def test_differing_files_sees_changed_and_missing_files(tmp_path):
    for side, text in (("a", "1"), ("b", "2")):
        (tmp_path / side / "reports" / "tables").mkdir(parents=True)
        (tmp_path / side / "reports" / "tables" / "t.csv").write_text("same")
        (tmp_path / side / "reports" / "tables" / "u.csv").write_text(text)
    (tmp_path / "a" / "reports" / "tables" / "only_a.csv").write_text("x")
    compared, differing = differing_files(tmp_path / "a", tmp_path / "b", ("reports/tables",))
    assert len(compared) == 3 and differing == ["reports/tables/only_a.csv", "reports/tables/u.csv"]


def test_slurm_conf_is_a_one_node_cluster_without_accounting(tmp_path):
    text = slurm_conf(tmp_path, "node1", 2, 4000, 16817, 16818)
    assert text.startswith(MARKER)
    assert "AccountingStorageType=accounting_storage/none" in text
    assert "NodeName=node1 NodeAddr=127.0.0.1 CPUs=2 RealMemory=4000" in text
    assert f"PartitionName={PARTITION} Nodes=node1" in text


# --------------------------------------------------------------------------------------------
# The cluster (I/O)
# --------------------------------------------------------------------------------------------
def tool(name: str) -> str | None:
    """A SLURM or munge program: on PATH, or in /usr/sbin where Debian puts the daemons."""
    return shutil.which(name) or shutil.which(name, path="/usr/sbin:/sbin")


def missing_requirements() -> str | None:
    """Why the live cluster cannot run here, or None."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        return "a live SLURM cluster needs root (slurmd runs the jobs as root here)"
    missing = [
        name for name in (*DAEMONS, "sbatch", "squeue", "srun", "sinfo") if tool(name) is None
    ]
    if missing:
        return (
            f"{', '.join(missing)} not installed: apt-get install slurm-wlm munge (as .ci/run does where "
            "apt-get is there and it runs as root)"
        )
    try:
        import snakemake_executor_plugin_slurm  # noqa: F401
    except ImportError:
        return "the SLURM executor plugin is not installed: pip install -e '.[slurm]'"
    if SYSTEM_CONF.exists() and MARKER not in SYSTEM_CONF.read_text(
        encoding="utf-8", errors="replace"
    ):
        return f"{SYSTEM_CONF} exists and was not written by this test: a real SLURM configuration is left alone"
    return None


def free_port() -> int:
    with contextlib.closing(socket.socket()) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def slurm_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLURM_", "SBATCH_", "SRUN_"))}
    env["PATH"] = os.path.dirname(sys.executable) + os.pathsep + env.get("PATH", "")
    env.setdefault("MPLBACKEND", "Agg")
    return {**env, **extra}


def stop_by_pid_file(pid_file: Path, daemon: str) -> None:
    """SIGTERM the daemon named in its PID file, SIGKILL if it is still there after 10 s; only
    while that PID is still this daemon."""
    if not pid_file.exists():
        return
    pid = int(pid_file.read_text().split()[0])

    def running() -> bool:
        comm = Path(f"/proc/{pid}/comm")
        with contextlib.suppress(OSError):
            return comm.read_text().strip() == daemon
        return False

    for sig, wait_s in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
        if not running():
            return
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, sig)
        deadline = time.monotonic() + wait_s
        while time.monotonic() < deadline and running():
            time.sleep(0.1)


def log_tails(base: Path) -> str:
    return "\n".join(
        f"--- {p.name}\n" + "\n".join(p.read_text(errors="replace").splitlines()[-15:])
        for p in sorted((base / "log").glob("*.log"))
    )


@dataclass
class LocalCluster:
    base: Path
    start_s: float


@pytest.fixture(scope="module")
def local_cluster(tmp_path_factory):
    why = missing_requirements()
    if why:
        pytest.skip(why)
    base = tmp_path_factory.mktemp("slurm")
    for sub in ("munge", "state", "spool", "log"):
        (base / sub).mkdir()
    host = socket.gethostname().split(".")[0]
    mem_total_mb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 1_000_000
    SYSTEM_CONF.parent.mkdir(parents=True, exist_ok=True)
    SYSTEM_CONF.write_text(
        slurm_conf(
            base,
            host,
            os.cpu_count() or 1,
            min(NODE_MEM_MB, mem_total_mb * 8 // 10),
            free_port(),
            free_port(),
        ),
        encoding="utf-8",
    )
    key = base / "munge" / "munge.key"
    key.write_bytes(os.urandom(1024))
    key.chmod(0o600)
    env = slurm_env()
    started = time.monotonic()
    try:
        subprocess.run(
            [
                tool("munged"),
                "--force",
                f"--socket={base}/munge/munge.socket",
                f"--key-file={key}",
                f"--pid-file={base}/munge/munged.pid",
                f"--log-file={base}/log/munged.log",
                f"--seed-file={base}/munge/munge.seed",
            ],
            check=True,
            env=env,
        )
        subprocess.run([tool("slurmctld"), "-i"], check=True, env=env)
        subprocess.run([tool("slurmd"), "-N", host], check=True, env=env)
        deadline = time.monotonic() + 60
        while (
            "idle"
            not in subprocess.run(
                ["sinfo", "-h", "-p", PARTITION, "-o", "%t"],
                capture_output=True,
                text=True,
                env=env,
            ).stdout
        ):
            if time.monotonic() > deadline:
                raise RuntimeError(f"the node did not become idle within 60 s\n{log_tails(base)}")
            time.sleep(0.2)
        yield LocalCluster(base, time.monotonic() - started)
    finally:
        queued = subprocess.run(
            ["squeue", "-h", "-o", "%i"], capture_output=True, text=True, env=env
        ).stdout.split()
        if queued:
            subprocess.run(["scancel", *queued], env=env, check=False)
        for pid_file, daemon in (
            (base / "slurmd.pid", "slurmd"),
            (base / "slurmctld.pid", "slurmctld"),
            (base / "munge" / "munged.pid", "munged"),
        ):
            stop_by_pid_file(pid_file, daemon)
        if SYSTEM_CONF.exists() and MARKER in SYSTEM_CONF.read_text(
            encoding="utf-8", errors="replace"
        ):
            SYSTEM_CONF.unlink()


def run_demo(
    workdir: Path, env: dict[str, str], *args: str
) -> tuple[float, subprocess.CompletedProcess]:
    """`cob-analysis run` on a copy of the demo, as users run it; (wall seconds, result). A run
    that outlives RUN_TIMEOUT_S is killed with its process group (a hung plugin ignores SIGTERM)."""
    prepare(workdir)
    command = [
        sys.executable,
        "-m",
        "cob_analysis",
        "run",
        "--config",
        str(workdir / "config" / "config.yaml"),
        "--directory",
        str(workdir),
        "--cores",
        "2",
        "--no-report",
        *args,
    ]
    started = time.monotonic()
    process = subprocess.Popen(
        command,
        cwd=workdir,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        output, _ = process.communicate(timeout=RUN_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        output, _ = process.communicate()
        pytest.fail(f"the run did not end within {RUN_TIMEOUT_S} s:\n{output[-6000:]}")
    result = subprocess.CompletedProcess(command, process.returncode, output, "")
    assert result.returncode == 0, f"the run failed ({result.returncode}):\n{output[-8000:]}"
    return time.monotonic() - started, result


def snakemake_log(workdir: Path) -> str:
    logs = sorted((workdir / ".snakemake" / "log").glob("*.snakemake.log"))
    return logs[-1].read_text(encoding="utf-8")


@pytest.mark.slurm
@pytest.mark.e2e
def test_demo_runs_on_a_live_slurm_cluster_as_locally(local_cluster, tmp_path):
    local_s, _ = run_demo(tmp_path / "local", slurm_env())
    env = slurm_env(**{cluster.ENV_PARTITION: PARTITION, cluster.ENV_CLIENTS: str(DEMO_CLIENTS)})
    slurm_s, result = run_demo(
        tmp_path / "slurm",
        env,
        "--profile",
        str(ROOT / "profiles" / "slurm"),
        "--",
        "--slurm-keep-successful-logs",
    )
    assert "sized for 2,000 clients (COB_SLURM_CLIENTS)" in result.stdout

    # every job that is not local ran as a SLURM job in our partition and COMPLETED
    remote_local_run, local_local_run, _ = jobs_in_log(snakemake_log(tmp_path / "local"))
    everything = sorted([*remote_local_run.values(), *local_local_run], key=repr)
    expected = sorted((job for job in everything if job.rule not in cluster.LOCAL_RULES), key=repr)
    _, ran_locally, submitted = jobs_in_log(snakemake_log(tmp_path / "slurm"))
    assert sorted((job for jobs in submitted.values() for job in jobs), key=repr) == expected
    # below cluster.GROUP_BELOW_CLIENTS the rules of a stage run as one SLURM job (a Snakemake group)
    assert len(submitted) == len(cluster.STAGE_GROUPS)
    assert {job.rule for job in ran_locally} == {job.rule for job in everything} & set(
        cluster.LOCAL_RULES
    )
    records = job_records((local_cluster.base / "jobcomp.txt").read_text(encoding="utf-8"))
    for slurm_id, jobs in submitted.items():
        record = records.get(slurm_id, {})
        assert (record.get("JobState"), record.get("Partition"), record.get("ExitCode")) == (
            "COMPLETED",
            PARTITION,
            "0:0",
        ), (jobs, record)
        job_log = next((tmp_path / "slurm" / "logs" / "slurm").rglob(f"{slurm_id}.log")).read_text(
            encoding="utf-8"
        )
        for job in jobs:
            assert re.search(rf"^\s*rule {job.rule}:$", job_log, flags=re.MULTILINE), (
                slurm_id,
                job,
            )

    # the same outputs, byte for byte
    compared, differing = differing_files(tmp_path / "local", tmp_path / "slurm", COMPARED)
    assert len(compared) > 50 and any(f.endswith(".parquet") for f in compared)
    assert not differing, f"outputs differ between the local and the SLURM run: {differing}"

    budget = 2 * local_s + local_cluster.start_s
    summary = (
        f"demo through SLURM {slurm_s:.0f} s ({len(submitted)} SLURM jobs), locally {local_s:.0f} s, "
        f"cluster start {local_cluster.start_s:.1f} s"
    )
    print(summary)
    if slurm_s > budget:
        warnings.warn(
            f"{summary}: more than twice the local run plus the cluster start ({budget:.0f} s)",
            stacklevel=1,
        )
