"""Job sizes by population: the measured seconds and peak memory per rule (data/slurm_sizing.json),
joined by straight lines, with headroom and floors; the stage groups of small runs."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
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
