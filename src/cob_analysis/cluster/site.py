"""What the site offers: the environment variables and what SLURM says (`sinfo`, `scontrol show
config`), parsed into node limits, partitions and the job-state command."""

from __future__ import annotations

import math
import os
import re
import shutil
import subprocess
from collections.abc import Callable, Mapping, Sequence

from cob_analysis.cluster.sizing import (
    DEFAULT_CLIENTS,
    ENV_ACCOUNT,
    ENV_CLIENTS,
    ENV_NODE_CPUS,
    ENV_NODE_MEM_MB,
    ENV_PARTITION,
    PLUGIN_MAX_POLL_S,
    ClusterError,
    NodeLimits,
    Site,
)


# --------------------------------------------------------------------------------------------
# What SLURM says
# --------------------------------------------------------------------------------------------
def parse_partitions(text: str) -> tuple[list[str], str | None]:
    """`sinfo -h -o %P` -> the partitions and the default one (marked with *)."""
    names, default = [], None
    for line in text.split():
        name = line.rstrip("*")
        if line.endswith("*"):
            default = name
        if name not in names:
            names.append(name)
    return names, default


def parse_slurm_minutes(text: str) -> int | None:
    """A SLURM time limit (`30`, `2:00:00`, `1-12:00:00`, `infinite`) in minutes; None: no limit."""
    text = text.strip()
    if text.lower() in {"infinite", "unlimited", "n/a", ""}:
        return None
    days, _, clock = text.rpartition("-")
    parts = [int(p) for p in clock.split(":")]
    if days:  # days-hours[:minutes[:seconds]]
        hours, minutes, seconds = (parts + [0, 0])[:3]
    elif len(parts) == 1:  # minutes
        hours, minutes, seconds = 0, parts[0], 0
    elif len(parts) == 2:  # minutes:seconds
        hours, minutes, seconds = 0, parts[0], parts[1]
    else:  # hours:minutes:seconds
        hours, minutes, seconds = parts[:3]
    return int(days or 0) * 1440 + hours * 60 + minutes + math.ceil(seconds / 60)


def parse_nodes(text: str, source: str) -> NodeLimits:
    """`sinfo -h -N -p <partition> -o %c|%m|%l` -> the largest node (a job fits if some node
    has room) and the partition's time limit."""
    rows = [line.split("|") for line in text.splitlines() if line.strip()]
    if not rows:
        return NodeLimits(None, None, None, source)
    cpus = max(int(row[0].rstrip("+")) for row in rows)
    mem_mb = max(int(row[1].rstrip("+")) for row in rows)
    limits = [parse_slurm_minutes(row[2]) for row in rows]
    time_min = None if any(limit is None for limit in limits) else max(limits)
    return NodeLimits(cpus, mem_mb, time_min, source)


def parse_scontrol_config(text: str) -> dict[str, str]:
    """`scontrol show config` -> {name: value}."""
    config = {}
    for line in text.splitlines():
        name, sep, value = line.partition("=")
        if sep and name.strip() and " " not in name.strip():
            config[name.strip()] = value.strip()
    return config


def min_job_age_s(config: Mapping[str, str]) -> int | None:
    """MinJobAge in seconds (`300 sec`)."""
    match = re.match(r"(\d+)", config.get("MinJobAge", ""))
    return int(match.group(1)) if match else None


def accounting_enabled(config: Mapping[str, str]) -> bool:
    """Whether sacct can answer: an accounting storage other than none."""
    storage = config.get("AccountingStorageType", "accounting_storage/none")
    return storage not in {"accounting_storage/none", "(null)", ""}


def status_command(config: Mapping[str, str]) -> str:
    """How the plugin should ask for job states: squeue while it remembers finished jobs longer
    than the plugin's longest pause between polls, else sacct (the accounting database)."""
    age = min_job_age_s(config)
    if age is not None and age > PLUGIN_MAX_POLL_S:
        return "squeue"
    if accounting_enabled(config):
        return "sacct"
    raise ClusterError(
        f"this cluster has no accounting database (sacct cannot see jobs) and squeue forgets a finished job "
        f"after MinJobAge={age} s, less than the {PLUGIN_MAX_POLL_S} s the SLURM plugin may wait between two "
        f"polls: a job could finish unseen and the run would wait forever. Ask the administrators for "
        f"MinJobAge of at least {PLUGIN_MAX_POLL_S + 20} s, or for job accounting (slurmdbd)"
    )


# --------------------------------------------------------------------------------------------
# The site: environment and SLURM
# --------------------------------------------------------------------------------------------
Query = Callable[..., "str | None"]


def query_slurm(*command: str) -> str | None:
    """Run a SLURM client command; its output, or None when SLURM's commands are not installed here."""
    if shutil.which(command[0]) is None:
        return None
    result = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    if result.returncode != 0:
        raise ClusterError(
            f"`{' '.join(command)}` failed: {(result.stderr or result.stdout).strip()}"
        )
    return result.stdout


def count_from_environment(environ: Mapping[str, str], name: str) -> int | None:
    """A positive whole number from the environment (`1_000_000` and `1,000,000` allowed)."""
    text = environ.get(name, "").strip()
    if not text:
        return None
    digits = text.replace("_", "").replace(",", "")
    if not digits.isdigit() or int(digits) <= 0:
        raise ClusterError(f"{name}={text!r} is not a positive whole number")
    return int(digits)


def declared_limits(environ: Mapping[str, str]) -> tuple[int | None, int | None]:
    """What the user says one node offers: (CPUs, MB)."""
    return count_from_environment(environ, ENV_NODE_CPUS), count_from_environment(
        environ, ENV_NODE_MEM_MB
    )


def node_limits(
    partition: str, environ: Mapping[str, str], query: Query | None = None
) -> NodeLimits:
    """The largest node of `partition`, or less where the user says so (COB_SLURM_NODE_*)."""
    query = query or query_slurm
    text = query("sinfo", "-h", "-N", "-p", partition, "-o", "%c|%m|%l")
    found = parse_nodes(text or "", f"sinfo -p {partition}")
    cpus, mem_mb = declared_limits(environ)
    declared = {}
    if cpus is not None and (found.cpus is None or cpus < found.cpus):
        declared["cpus"] = ENV_NODE_CPUS
    if mem_mb is not None and (found.mem_mb is None or mem_mb < found.mem_mb):
        declared["memory"] = ENV_NODE_MEM_MB
    return NodeLimits(
        cpus if "cpus" in declared else found.cpus,
        mem_mb if "memory" in declared else found.mem_mb,
        found.time_min,
        found.source,
        declared,
    )


def read_site(environ: Mapping[str, str] | None = None, query: Query | None = None) -> Site:
    """The site from the environment and SLURM; ClusterError names what is missing or wrong."""
    query = query or query_slurm
    environ = os.environ if environ is None else environ
    partition = environ.get(ENV_PARTITION, "").strip() or None
    clients = count_from_environment(environ, ENV_CLIENTS) or DEFAULT_CLIENTS
    declared_limits(environ)  # a typo there stops here, not at the first job
    names, default = listed_partitions(query)
    if partition is None:
        raise ClusterError(
            f"set {ENV_PARTITION} to the SLURM partition to run in ({partition_list(names, default)})"
        )
    if partition not in names:
        raise ClusterError(
            f"{ENV_PARTITION}={partition!r} is not a partition of this cluster "
            f"({partition_list(names, default)})"
        )
    config = parse_scontrol_config(query("scontrol", "show", "config") or "")
    return Site(
        partition=partition,
        account=environ.get(ENV_ACCOUNT, "").strip() or None,
        clients=clients,
        node=node_limits(partition, environ, query),
        status_command=status_command(config),
    )


def listed_partitions(query: Query) -> tuple[list[str], str | None]:
    """The cluster's partitions and its default one, from sinfo."""
    listed = query("sinfo", "-h", "-o", "%P")
    if listed is None:
        raise ClusterError(
            "SLURM's commands (sinfo, sbatch) are not installed here: run this on the cluster's "
            "login node"
        )
    return parse_partitions(listed)


def partition_list(names: Sequence[str], default: str | None) -> str:
    """`partitions here: short (default), long` for a message."""
    if not names:
        return "sinfo lists no partitions"
    return "partitions here: " + ", ".join(
        f"{name} (default)" if name == default else name for name in names
    )


def profile_site(environ: Mapping[str, str] | None = None, query: Query | None = None) -> Site:
    """The site for profiles/slurm/config.yaml. Never raises: on a mistake it sizes for the default
    population and leaves the partition unset, so that the check before submitting (cluster.smk)
    names the mistake without Snakemake's page of usage text around it."""
    query = query or query_slurm
    try:
        return read_site(environ, query)
    except (ClusterError, OSError, subprocess.SubprocessError):
        environ = os.environ if environ is None else environ
        try:
            clients = count_from_environment(environ, ENV_CLIENTS) or DEFAULT_CLIENTS
        except ClusterError:
            clients = DEFAULT_CLIENTS
        return Site(
            partition=None,
            account=environ.get(ENV_ACCOUNT, "").strip() or None,
            clients=clients,
            node=None,
            status_command="squeue",
        )
