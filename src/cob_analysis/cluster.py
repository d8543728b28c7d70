"""Running the workflow on a SLURM cluster (profiles/slurm): job sizes by population, what the
site's nodes offer, and the checks made before anything is submitted.

The site is told by environment variables (the `ENV_*` names below; `environ`, os.environ by
default) and asked of SLURM itself (`sinfo`, `scontrol show config`) through `query` (by default
`query_slurm`, the one place that runs a command). Parsing, sizing and checking are pure
functions of their inputs (tests/test_slurm_cluster.py).

Job sizes come from the benchmark: benchmarks/run.py measures every rule's seconds and peak
memory at 10k to 5M clients and `--update-sizing` writes them to data/slurm_sizing.json. Per rule
the measured figures are joined by straight lines (below the smallest size its figure: start-up
and imports; past the largest size along the last two), then given headroom (memory x 1.5, run
time x 3) and floors (1000 MB, 5 minutes)."""

from __future__ import annotations

import json
import math
import os
import re
import shutil
import subprocess
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources

ENV_PARTITION = "COB_SLURM_PARTITION"
ENV_ACCOUNT = "COB_SLURM_ACCOUNT"
ENV_CLIENTS = "COB_SLURM_CLIENTS"
ENV_NODE_CPUS = "COB_SLURM_NODE_CPUS"
ENV_NODE_MEM_MB = "COB_SLURM_NODE_MEM_MB"
DEFAULT_CLIENTS = 1_000_000
# What the profile puts in place of a partition it was not told: never submitted, because the
# check before submitting stops first and says which variable to set.
PARTITION_NOT_SET = f"set-{ENV_PARTITION}"

MEMORY_HEADROOM = 1.5
RUNTIME_HEADROOM = 3
MIN_MEM_MB = 1000
MIN_RUNTIME_MIN = 5
MIB_PER_MB = 1.048576  # MB (SLURM's --mem) per MiB (measured RSS)

# Run where Snakemake runs, not as jobs: their cost does not grow with the population (at most
# 130 MiB and a second at 5M clients), so a job's start on a node would cost more than the work.
LOCAL_RULES = ("all", "manifest", "public_tables", "workbook", "html_report")
# DuckDB and Arrow use a second core in these rules once the exports are large; below that
# population one CPU is as fast and leaves the other to a neighbour. rule: (CPUs, from clients)
MORE_CPUS = {"ingest": (2, 1_000_000), "link_clients": (2, 1_000_000)}

# The SLURM plugin polls job states at most every 180 s (its back-off ceiling). Without an
# accounting database it asks squeue, which forgets a finished job MinJobAge seconds after
# its end: a job forgotten before the next poll is never seen to finish and the run waits forever.
PLUGIN_MAX_POLL_S = 180

# Below this population every rule's measured work takes seconds, less than the plugin's polling
# adds to each job (its wait grows by 10 s with every poll that sees no job end): the rules then
# run as two SLURM jobs, one per stage (Snakemake groups), each packed to fit one node.
GROUP_BELOW_CLIENTS = 250_000
STAGE_GROUPS = {
    "prepare": ("ingest", "recode_status", "link_clients"),
    "analyse": (
        "report_tables",
        "analyses",
        "longitudinal_cohort",
        "longitudinal",
        "disagreements",
        "export_spss",
    ),
}

SIZING_RESOURCE = "data/slurm_sizing.json"


class ClusterError(ValueError):
    """The site cannot run the jobs as asked; the message names the rule or setting and the limit."""


@dataclass(frozen=True)
class Measurement:
    """One rule's largest job in one benchmark run."""

    clients: int
    seconds: float
    peak_mib: float


@dataclass(frozen=True)
class JobSize:
    """What one rule's jobs ask SLURM for."""

    mem_mb: int
    runtime: int  # minutes
    cpus_per_task: int


@dataclass(frozen=True)
class NodeLimits:
    """The most one job can get on a node of a partition; None: not known (or no limit).
    `source`: where the figures come from; `declared`: the ones the user gave instead
    ({"cpus": ENV_NODE_CPUS, ...})."""

    cpus: int | None
    mem_mb: int | None
    time_min: int | None
    source: str
    declared: Mapping[str, str] = field(default_factory=dict)

    def source_of(self, kind: str) -> str:
        return self.declared.get(kind, self.source)


@dataclass(frozen=True)
class Request:
    """What one rule asks for, as far as it is known before the jobs exist."""

    rule: str
    partition: str | None
    cpus: int | None
    mem_mb: int | None
    runtime: int | None


@dataclass(frozen=True)
class Site:
    """The cluster as the profile sees it."""

    partition: str | None
    account: str | None
    clients: int
    node: NodeLimits | None
    status_command: str

    @property
    def node_cpus(self) -> int | None:
        return self.node.cpus if self.node else None


# --------------------------------------------------------------------------------------------
# Job sizes by population
# --------------------------------------------------------------------------------------------
def through_points(points: Sequence[tuple[int, float]], clients: int) -> float:
    """The measured figure at `clients`: straight lines between the measured sizes, the smallest
    size's figure below it (fixed costs), the line through the last two past the largest. Never
    less for more clients (the figures are made non-decreasing first: a dip is noise)."""
    if not points:
        raise ValueError("no measurements")
    rising, highest = [], -math.inf
    for n, value in sorted(points):
        highest = max(highest, value)
        rising.append((n, highest))
    (n_first, y_first) = rising[0]
    if clients <= n_first:
        return y_first
    if len(rising) == 1:
        return y_first * clients / n_first
    for (n0, y0), (n1, y1) in zip(rising, rising[1:], strict=False):
        if clients <= n1:
            return y0 + (y1 - y0) * (clients - n0) / (n1 - n0)
    (n0, y0), (n1, y1) = rising[-2], rising[-1]
    return y1 + (y1 - y0) * (clients - n1) / (n1 - n0)


def cpus_for(rule: str, clients: int) -> int:
    """CPUs per task of a rule's jobs at this population (see MORE_CPUS)."""
    cpus, from_clients = MORE_CPUS.get(rule, (1, 0))
    return cpus if clients >= from_clients else 1


def job_size(measured: Sequence[Measurement], clients: int, cpus: int = 1) -> JobSize:
    """Memory (peak x headroom, in MB, rounded up to 100) and run time (seconds x headroom, in
    minutes) for `clients`, with the floors."""
    peak_mib = through_points([(m.clients, m.peak_mib) for m in measured], clients)
    seconds = through_points([(m.clients, m.seconds) for m in measured], clients)
    mem_mb = max(MIN_MEM_MB, math.ceil(peak_mib * MIB_PER_MB * MEMORY_HEADROOM / 100) * 100)
    runtime = max(MIN_RUNTIME_MIN, math.ceil(seconds * RUNTIME_HEADROOM / 60))
    return JobSize(mem_mb=mem_mb, runtime=runtime, cpus_per_task=cpus)


class JobSizes(dict):
    """rule -> JobSize. A rule the benchmark has not measured yet gets, resource by resource, the
    most any measured rule asks for (until `benchmarks/run.py --update-sizing` measures it)."""

    def __missing__(self, rule: str) -> JobSize:
        if not self:
            raise KeyError(rule)
        return JobSize(
            mem_mb=max(s.mem_mb for s in self.values()),
            runtime=max(s.runtime for s in self.values()),
            cpus_per_task=max(s.cpus_per_task for s in self.values()),
        )


def job_sizes(
    sizing: Mapping[str, Sequence[Measurement]], clients: int, node_cpus: int | None = None
) -> JobSizes:
    """Every measured rule's job size for `clients`; CPUs never above what a node has (the rules
    run correctly on fewer cores, only slower), memory as needed (the check refuses what no node
    has)."""
    sizes = JobSizes()
    for rule, measured in sorted(sizing.items()):
        cpus = cpus_for(rule, clients)
        if node_cpus is not None:
            cpus = max(1, min(cpus, node_cpus))
        sizes[rule] = job_size(measured, clients, cpus)
    return sizes


def stage_groups(clients: int) -> dict[str, str]:
    """rule -> group for Snakemake's `groups` at this population (empty: one job per rule)."""
    if clients >= GROUP_BELOW_CLIENTS:
        return {}
    return {rule: group for group, rules in STAGE_GROUPS.items() for rule in rules}


def group_components(groups: Mapping[str, str]) -> dict[str, int]:
    """Snakemake's `group-components`: every job of a group in one SLURM job."""
    return {group: 1_000 for group in sorted(set(groups.values()))}


def group_constraints(site: Site) -> dict[str, int]:
    """Snakemake's `resources` when the rules run grouped: a group job never asks for more CPUs
    or memory than one node has (Snakemake runs the group's jobs in layers that fit)."""
    if site.node is None:
        raise ClusterError("the nodes are not known: no group constraints")
    limits = {"cpus_per_task": site.node.cpus, "mem_mb": site.node.mem_mb}
    return {name: value for name, value in limits.items() if value}


def grouping_summary(groups: Mapping[str, str]) -> str:
    """The log line that says how the rules are grouped into SLURM jobs."""
    by_group: dict[str, list[str]] = {}
    for rule, group in sorted(groups.items()):
        by_group.setdefault(group, []).append(rule)
    parts = "; ".join(f"{group}: {', '.join(rules)}" for group, rules in sorted(by_group.items()))
    return (
        f"SLURM: below {GROUP_BELOW_CLIENTS:,} clients one job per stage, {len(by_group)} in all ({parts}), "
        "each packed to fit one node"
    )


def sizing_from_json(text: str) -> dict[str, tuple[Measurement, ...]]:
    """The measurements in data/slurm_sizing.json: rule -> (clients, seconds, peak MiB) rows."""
    data = json.loads(text)
    columns = data["columns"]
    if columns != ["clients", "seconds", "peak_mib"]:
        raise ValueError(f"unexpected sizing columns {columns}")
    return {
        rule: tuple(Measurement(int(c), float(s), float(p)) for c, s, p in rows)
        for rule, rows in data["rules"].items()
    }


def sizing_to_json(sizing: Mapping[str, Sequence[Measurement]], source: str) -> str:
    """data/slurm_sizing.json for `sizing_from_json`, one rule a line."""
    rules = ",\n".join(
        f"    {json.dumps(rule)}: "
        + json.dumps(
            [[m.clients, m.seconds, m.peak_mib] for m in sorted(measured, key=lambda m: m.clients)]
        )
        for rule, measured in sorted(sizing.items())
    )
    return (
        '{\n  "source": '
        + json.dumps(source)
        + ',\n  "columns": ["clients", "seconds", "peak_mib"],\n'
        '  "rules": {\n' + rules + "\n  }\n}\n"
    )


def load_sizing() -> dict[str, tuple[Measurement, ...]]:
    """The packaged measurements (data/slurm_sizing.json)."""
    return sizing_from_json(
        resources.files("cob_analysis").joinpath(SIZING_RESOURCE).read_text(encoding="utf-8")
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


# --------------------------------------------------------------------------------------------
# The check before submitting
# --------------------------------------------------------------------------------------------
def resource_value(resource) -> int | str | None:
    """A Snakemake resource's value when it is known before the jobs exist: a number, or a plain
    word such as a partition name; None for an expression that Snakemake evaluates per job."""
    if not resource.is_evaluable():
        return resource.value
    raw = getattr(resource, "raw", None)
    if isinstance(raw, int):
        return raw
    if isinstance(raw, str):
        text = os.path.expandvars(raw).strip()
        if re.fullmatch(r"\d+", text):
            return int(text)
        if re.fullmatch(r"[A-Za-z_][\w.\-]*", text):
            return text
    return None


def rule_requests(rules: Iterable, local_rules: Iterable[str] = LOCAL_RULES) -> list[Request]:
    """What each rule that runs as a job asks for (rules: Snakemake's, with `.name` and
    `.resources`). CPUs: cpus_per_task, else the threads; memory: mem_mb, else mem_mib."""
    local = set(local_rules)
    requests = []
    for rule in rules:
        if rule.name in local:
            continue
        values = {name: resource_value(resource) for name, resource in rule.resources.items()}
        cpus = values.get("cpus_per_task") or values.get("_cores")
        mem_mb = values.get("mem_mb")
        if mem_mb is None and isinstance(values.get("mem_mib"), int):
            mem_mb = math.ceil(values["mem_mib"] * MIB_PER_MB)
        partition = values.get("slurm_partition")
        requests.append(
            Request(
                rule.name,
                partition if isinstance(partition, str) else None,
                cpus if isinstance(cpus, int) else None,
                mem_mb if isinstance(mem_mb, int) else None,
                values.get("runtime") if isinstance(values.get("runtime"), int) else None,
            )
        )
    return requests


def limit_problems(requests: Iterable[Request], limits: Mapping[str, NodeLimits]) -> list[str]:
    """One line per rule and resource that no node of the rule's partition offers: the rule, what
    it asks for, the limit and where that comes from; then, once per kind, what to change."""
    found, kinds = [], []
    for r in requests:
        node = limits.get(r.partition or "")
        if node is None:
            continue
        asked = {
            "cpus": (r.cpus, node.cpus, "cpus_per_task", "CPUs"),
            "memory": (r.mem_mb, node.mem_mb, "mem_mb", "MB"),
            "time": (r.runtime, node.time_min, "runtime", "minutes"),
        }
        for kind, (value, limit, resource, unit) in asked.items():
            if value is not None and limit is not None and value > limit:
                found.append(
                    f"rule {r.rule} asks for {value:,} {unit} ({resource}); partition {r.partition!r} "
                    f"offers at most {limit:,} {unit} ({node.source_of(kind)})"
                )
                kinds.append(kind)
    return found + [REMEDIES[kind] for kind in dict.fromkeys(kinds)]


REMEDIES = {
    "cpus": "more CPUs than a node has: SLURM would keep the job pending forever (Reason=PartitionConfig); "
    f"say what your nodes have ({ENV_NODE_CPUS}) or lower cpus_per_task in a copy of the profile",
    "memory": f"more memory than a node has: size the jobs for fewer clients ({ENV_CLIENTS}) if you have fewer, "
    f"choose a partition with larger nodes ({ENV_PARTITION}), or lower the rule's mem_mb in a copy of "
    "the profile",
    "time": "longer than the partition allows: SLURM would keep the job pending forever "
    f"(Reason=PartitionTimeLimit); choose another partition ({ENV_PARTITION}) or lower the rule's runtime "
    "in a copy of the profile",
}


def submits_to_slurm(requests: Iterable[Request]) -> bool:
    """Whether the jobs name a SLURM partition, as profiles/slurm makes every job do."""
    return any(r.partition for r in requests)


def check_before_submit(
    requests: Sequence[Request],
    environ: Mapping[str, str] | None = None,
    query: Query | None = None,
) -> list[str]:
    """Stop (ClusterError, every problem named) before a job is submitted that SLURM would refuse
    or keep pending forever; otherwise the lines that say what the run will ask for."""
    query = query or query_slurm
    environ = os.environ if environ is None else environ
    partitions = sorted({r.partition for r in requests if r.partition})
    if PARTITION_NOT_SET in partitions or not partitions:
        read_site(environ, query)  # raises the mistake that left the profile without a partition
        raise ClusterError(f"the jobs have no partition: set {ENV_PARTITION}")
    names, default = listed_partitions(query)
    unknown = [p for p in partitions if p not in names]
    if unknown:
        raise ClusterError(
            f"partition {', '.join(map(repr, unknown))} is not a partition of this cluster "
            f"({partition_list(names, default)})"
        )
    limits = {p: node_limits(p, environ, query) for p in partitions}
    problems = limit_problems(requests, limits)
    config = parse_scontrol_config(query("scontrol", "show", "config") or "")
    try:
        status = status_command(config)
    except ClusterError as error:
        problems.append(str(error))
    if environ.get(ENV_ACCOUNT, "").strip() and not accounting_enabled(config):
        problems.append(
            f"{ENV_ACCOUNT} is set, but this cluster keeps no accounts (no accounting database): the "
            f"SLURM plugin would refuse every job when it cannot check the account; unset {ENV_ACCOUNT}"
        )
    if problems:
        raise ClusterError(
            "the cluster cannot run these jobs as asked:\n  " + "\n  ".join(problems)
        )
    return summary(
        requests,
        limits,
        count_from_environment(environ, ENV_CLIENTS),
        status,
        min_job_age_s(config),
    )


def summary(
    requests: Sequence[Request],
    limits: Mapping[str, NodeLimits],
    clients: int | None,
    status: str,
    min_job_age: int | None,
) -> list[str]:
    """What the run will ask for and of what, for the log."""

    def span(values: Iterable[int | None], unit: str) -> str:
        known = sorted({v for v in values if v is not None})
        if not known:
            return f"? {unit}"
        return f"{known[0]:,} {unit}" if len(known) == 1 else f"{known[0]:,}-{known[-1]:,} {unit}"

    def figure(value: int | None, unit: str) -> str:
        return f"{value:,} {unit}" if value is not None else f"? {unit}"

    sized = (
        f"{clients:,} clients ({ENV_CLIENTS})"
        if clients
        else f"{DEFAULT_CLIENTS:,} clients (the default: set {ENV_CLIENTS})"
    )
    lines = [
        f"SLURM: {len(requests)} rules as jobs, sized for {sized}: {span((r.mem_mb for r in requests), 'MB')}, "
        f"{span((r.cpus for r in requests), 'CPUs')}, {span((r.runtime for r in requests), 'min')} each; "
        f"job states from {status} (MinJobAge {min_job_age} s)"
    ]
    for partition, node in limits.items():
        time = "no time limit" if node.time_min is None else f"at most {node.time_min:,} min"
        lines.append(
            f"SLURM: partition {partition!r}: nodes of up to {figure(node.cpus, 'CPUs')} and "
            f"{figure(node.mem_mb, 'MB')}, {time} ({node.source})"
        )
    return lines
