"""The check before anything is submitted: every rule's request against the nodes' limits, the
remedy for each problem, and the summary for the log."""

from __future__ import annotations

import math
import os
import re
from collections.abc import Iterable, Mapping, Sequence

from cob_analysis.cluster.site import (
    Query,
    accounting_enabled,
    count_from_environment,
    listed_partitions,
    min_job_age_s,
    node_limits,
    parse_scontrol_config,
    partition_list,
    query_slurm,
    read_site,
    status_command,
)
from cob_analysis.cluster.sizing import (
    DEFAULT_CLIENTS,
    ENV_ACCOUNT,
    ENV_CLIENTS,
    ENV_NODE_CPUS,
    ENV_PARTITION,
    LOCAL_RULES,
    MIB_PER_MB,
    PARTITION_NOT_SET,
    ClusterError,
    NodeLimits,
    Request,
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
