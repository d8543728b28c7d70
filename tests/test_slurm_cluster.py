"""cob_analysis.cluster: job sizes by population, what SLURM says, and the check before submitting
(no cluster needed: SLURM's answers are given as text)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from snakemake.resources import Resource

from cob_analysis import cluster
from cob_analysis.cluster import ClusterError, JobSize, Measurement, NodeLimits, Request

SINFO = {
    ("sinfo", "-h", "-o", "%P"): "short*\nlong\n",
    ("sinfo", "-h", "-N", "-p", "short", "-o", "%c|%m|%l"): "4|8000|2:00:00\n8|16000|2:00:00\n",
    ("sinfo", "-h", "-N", "-p", "long", "-o", "%c|%m|%l"): "16|64000|7-00:00:00\n",
    (
        "scontrol",
        "show",
        "config",
    ): "AccountingStorageType   = accounting_storage/none\nMinJobAge               = 300 sec\n",
}


def fake_slurm(answers=None):
    answers = {**SINFO, **(answers or {})}

    def query(*command):
        return answers[command]

    return query


# --------------------------------------------------------------------------------------------
# Job sizes
# --------------------------------------------------------------------------------------------
def test_through_points_joins_the_measured_sizes_by_straight_lines():
    points = [(10, 1.0), (20, 3.0), (40, 4.0)]
    assert cluster.through_points(points, 15) == 2.0
    assert cluster.through_points(points, 30) == 3.5
    assert [cluster.through_points(points, n) for n, _ in points] == [1.0, 3.0, 4.0]


def test_through_points_keeps_the_fixed_cost_below_and_extends_past_the_largest():
    points = [(10, 1.0), (20, 3.0)]
    assert cluster.through_points(points, 1) == 1.0
    assert cluster.through_points(points, 40) == 7.0


def test_through_points_never_gives_less_for_more_clients():
    points = [(10, 5.0), (20, 3.0), (30, 6.0)]  # a dip is noise
    values = [cluster.through_points(points, n) for n in range(1, 60)]
    assert values == sorted(values) and cluster.through_points(points, 20) == 5.0


def test_job_size_has_headroom_and_floors():
    measured = [Measurement(1_000_000, 5.67, 1798.1), Measurement(5_000_000, 29.27, 7695.9)]
    assert cluster.job_size(measured, 5_000_000, cpus=2) == JobSize(
        mem_mb=12200, runtime=5, cpus_per_task=2
    )
    assert cluster.job_size(measured, 10_000) == JobSize(mem_mb=2900, runtime=5, cpus_per_task=1)
    big = cluster.job_size(measured, 50_000_000)
    assert big.mem_mb > 100_000 and big.runtime == 15  # along the last two: 295 s, x 3
    tiny = [Measurement(10_000, 0.3, 90.0)]
    assert cluster.job_size(tiny, 1) == JobSize(
        mem_mb=cluster.MIN_MEM_MB, runtime=cluster.MIN_RUNTIME_MIN, cpus_per_task=1
    )


def test_packaged_sizing_passes_through_every_measurement():
    sizing = cluster.load_sizing()
    assert {"ingest", "link_clients", "analyses", "longitudinal_cohort"} <= set(sizing)
    for rule, measured in sizing.items():
        for m in measured:
            assert cluster.job_sizes(sizing, m.clients)[rule] == cluster.job_size(
                [m], m.clients, cluster.cpus_for(rule, m.clients)
            )


def test_packaged_sizes_keep_the_fixed_cost_below_and_never_shrink_above():
    sizing = cluster.load_sizing()
    smallest = min(m.clients for measured in sizing.values() for m in measured)
    assert cluster.job_sizes(sizing, smallest // 10) == cluster.job_sizes(sizing, smallest)
    assert {s.mem_mb for s in cluster.job_sizes(sizing, 2_000).values()} == {
        cluster.MIN_MEM_MB
    }  # the live test
    populations = [smallest, 250_000, 1_000_000, 5_000_000, 20_000_000]
    for rule in sizing:
        sizes = [cluster.job_sizes(sizing, n)[rule] for n in populations]
        assert all(
            a.mem_mb <= b.mem_mb and a.runtime <= b.runtime
            for a, b in zip(sizes, sizes[1:], strict=False)
        ), rule


def test_more_cpus_only_for_large_exports_and_never_above_a_node():
    sizing = cluster.load_sizing()
    assert cluster.job_sizes(sizing, 100_000)["ingest"].cpus_per_task == 1
    assert cluster.job_sizes(sizing, 1_000_000)["link_clients"].cpus_per_task == 2
    assert cluster.job_sizes(sizing, 1_000_000, node_cpus=1)["link_clients"].cpus_per_task == 1
    assert cluster.job_sizes(sizing, 1_000_000)["analyses"].cpus_per_task == 1


def test_an_unmeasured_rule_gets_the_most_any_rule_asks_for():
    sizes = cluster.job_sizes(
        {"a": [Measurement(10, 1.0, 5000.0)], "b": [Measurement(10, 900.0, 10.0)]}, 10
    )
    assert sizes["new_rule"] == JobSize(
        mem_mb=max(sizes["a"].mem_mb, sizes["b"].mem_mb),
        runtime=sizes["b"].runtime,
        cpus_per_task=1,
    )


def test_sizing_json_round_trips():
    sizing = {"ingest": (Measurement(10_000, 0.55, 226.0), Measurement(5_000_000, 29.27, 7695.9))}
    assert cluster.sizing_from_json(cluster.sizing_to_json(sizing, "test")) == sizing


# --------------------------------------------------------------------------------------------
# What SLURM says
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("infinite", None),
        ("UNLIMITED", None),
        ("30", 30),
        ("30:00", 30),
        ("30:30", 31),
        ("2:00:00", 120),
        ("1-00:00:00", 1440),
        ("1-12", 2160),
        ("2-01:30", 2970),
    ],
)
def test_slurm_time_limits_in_minutes(text, minutes):
    assert cluster.parse_slurm_minutes(text) == minutes


def test_partitions_and_the_default():
    assert cluster.parse_partitions("short*\nlong\nshort*\n") == (["short", "long"], "short")


def test_the_largest_node_and_the_time_limit():
    limits = cluster.parse_nodes("4|8000|2:00:00\n8+|16000|2:00:00\n", "sinfo")
    assert (limits.cpus, limits.mem_mb, limits.time_min) == (8, 16000, 120)
    assert cluster.parse_nodes("2|4000|infinite\n", "sinfo").time_min is None
    assert cluster.parse_nodes("", "sinfo").cpus is None


def test_status_command_without_accounting_needs_squeue_to_remember_jobs():
    config = cluster.parse_scontrol_config(SINFO[("scontrol", "show", "config")])
    assert cluster.min_job_age_s(config) == 300 and not cluster.accounting_enabled(config)
    assert cluster.status_command(config) == "squeue"
    short_memory = {"MinJobAge": "60 sec", "AccountingStorageType": "accounting_storage/slurmdbd"}
    assert cluster.status_command(short_memory) == "sacct"
    with pytest.raises(ClusterError, match="MinJobAge=60 s.*wait forever"):
        cluster.status_command({**short_memory, "AccountingStorageType": "accounting_storage/none"})


# --------------------------------------------------------------------------------------------
# The site
# --------------------------------------------------------------------------------------------
def test_site_from_the_environment_and_sinfo():
    site = cluster.read_site(
        {"COB_SLURM_PARTITION": "short", "COB_SLURM_CLIENTS": "250,000"}, fake_slurm()
    )
    assert (site.partition, site.clients, site.account, site.status_command) == (
        "short",
        250_000,
        None,
        "squeue",
    )
    assert site.node == NodeLimits(8, 16000, 120, "sinfo -p short")


def test_a_missing_partition_is_named_with_the_partitions_there_are():
    with pytest.raises(
        ClusterError, match=r"set COB_SLURM_PARTITION .*partitions here: short \(default\), long"
    ):
        cluster.read_site({}, fake_slurm())
    with pytest.raises(ClusterError, match="'gpu' is not a partition"):
        cluster.read_site({"COB_SLURM_PARTITION": "gpu"}, fake_slurm())


def test_numbers_in_the_environment_are_checked():
    with pytest.raises(
        ClusterError, match="COB_SLURM_CLIENTS='1e6' is not a positive whole number"
    ):
        cluster.read_site(
            {"COB_SLURM_PARTITION": "short", "COB_SLURM_CLIENTS": "1e6"}, fake_slurm()
        )
    with pytest.raises(ClusterError, match="COB_SLURM_NODE_MEM_MB"):
        cluster.read_site(
            {"COB_SLURM_PARTITION": "short", "COB_SLURM_NODE_MEM_MB": "lots"}, fake_slurm()
        )


def test_declared_node_limits_lower_what_sinfo_says_never_raise_it():
    env = {
        "COB_SLURM_PARTITION": "short",
        "COB_SLURM_NODE_CPUS": "2",
        "COB_SLURM_NODE_MEM_MB": "99000",
    }
    node = cluster.read_site(env, fake_slurm()).node
    assert (node.cpus, node.mem_mb) == (2, 16000)
    assert (
        node.source_of("cpus") == "COB_SLURM_NODE_CPUS"
        and node.source_of("memory") == "sinfo -p short"
    )


def test_without_slurm_commands_the_site_says_where_to_run():
    with pytest.raises(ClusterError, match="login node"):
        cluster.read_site({"COB_SLURM_PARTITION": "short"}, lambda *command: None)


def test_the_profile_site_never_raises_and_leaves_the_check_to_name_the_mistake():
    site = cluster.profile_site({"COB_SLURM_CLIENTS": "oops"}, fake_slurm())
    assert (site.partition, site.clients, site.node, site.status_command) == (
        None,
        cluster.DEFAULT_CLIENTS,
        None,
        "squeue",
    )


# --------------------------------------------------------------------------------------------
# The check before submitting
# --------------------------------------------------------------------------------------------
def snakemake_rule(name, **resources):
    """A rule as cluster.smk sees it: Snakemake's Resource objects, the partition a CLI word
    (evaluated per job by Snakemake, known here from its raw text)."""
    values = {
        key: Resource(key, value) for key, value in resources.items() if key != "slurm_partition"
    }
    if "slurm_partition" in resources:
        values["slurm_partition"] = Resource(
            "slurm_partition",
            lambda *a, **k: resources["slurm_partition"],
            raw=resources["slurm_partition"],
        )
    values["_cores"] = Resource("_cores", 1)
    return SimpleNamespace(name=name, resources=values)


def test_rule_requests_read_snakemake_resources_and_skip_local_rules():
    rules = [
        snakemake_rule("ingest", mem_mb=12200, runtime=5, cpus_per_task=2, slurm_partition="short"),
        snakemake_rule("analyses", mem_mib=1000, slurm_partition="short"),
        snakemake_rule("manifest", mem_mb=1000, slurm_partition="short"),
    ]
    assert cluster.rule_requests(rules) == [
        Request("ingest", "short", 2, 12200, 5),
        Request("analyses", "short", 1, 1049, None),
    ]


def test_an_expression_resource_is_unknown_before_the_jobs_exist():
    expression = Resource("mem_mb", lambda *a, **k: 1, raw="max(2 * input.size_mb, 1000)")
    assert cluster.resource_value(expression) is None
    assert (
        cluster.resource_value(Resource("slurm_partition", lambda *a, **k: 1, raw="short"))
        == "short"
    )


def test_limit_problems_name_the_rule_the_request_and_the_limit():
    node = NodeLimits(
        cpus=1,
        mem_mb=4000,
        time_min=60,
        source="sinfo -p short",
        declared={"memory": "COB_SLURM_NODE_MEM_MB"},
    )
    found = cluster.limit_problems(
        [Request("ingest", "short", 2, 12200, 90), Request("recode_status", "short", 1, 1000, 5)],
        {"short": node},
    )
    assert found[:3] == [
        "rule ingest asks for 2 CPUs (cpus_per_task); partition 'short' offers at most 1 CPUs (sinfo -p short)",
        "rule ingest asks for 12,200 MB (mem_mb); partition 'short' offers at most 4,000 MB (COB_SLURM_NODE_MEM_MB)",
        "rule ingest asks for 90 minutes (runtime); partition 'short' offers at most 60 minutes (sinfo -p short)",
    ]
    assert len(found) == 6 and "PartitionConfig" in found[3] and "COB_SLURM_CLIENTS" in found[4]


def test_check_before_submit_stops_on_a_job_no_node_can_run():
    requests = [Request("ingest", "short", 2, 20_000, 5), Request("analyses", "short", 1, 1000, 5)]
    with pytest.raises(
        ClusterError, match=r"rule ingest asks for 20,000 MB .* at most 16,000 MB"
    ) as error:
        cluster.check_before_submit(requests, {"COB_SLURM_PARTITION": "short"}, fake_slurm())
    assert "analyses" not in str(error.value)


def test_check_before_submit_passes_and_says_what_the_run_asks_for():
    requests = [Request("ingest", "long", 2, 12_200, 5), Request("analyses", "long", 1, 1000, 5)]
    lines = cluster.check_before_submit(
        requests, {"COB_SLURM_PARTITION": "long", "COB_SLURM_CLIENTS": "5000000"}, fake_slurm()
    )
    assert lines[0].startswith(
        "SLURM: 2 rules as jobs, sized for 5,000,000 clients (COB_SLURM_CLIENTS): "
        "1,000-12,200 MB, 1-2 CPUs, 5 min each; job states from squeue"
    )
    assert (
        lines[1]
        == "SLURM: partition 'long': nodes of up to 16 CPUs and 64,000 MB, at most 10,080 min (sinfo -p long)"
    )


def test_check_before_submit_names_the_missing_partition():
    requests = [Request("ingest", cluster.PARTITION_NOT_SET, 1, 1000, 5)]
    with pytest.raises(ClusterError, match="set COB_SLURM_PARTITION"):
        cluster.check_before_submit(requests, {}, fake_slurm())


def test_check_before_submit_stops_where_squeue_would_lose_finished_jobs():
    answers = {
        (
            "scontrol",
            "show",
            "config",
        ): "AccountingStorageType = accounting_storage/none\nMinJobAge = 120 sec\n"
    }
    with pytest.raises(ClusterError, match="MinJobAge=120 s"):
        cluster.check_before_submit(
            [Request("ingest", "short", 1, 1000, 5)],
            {"COB_SLURM_PARTITION": "short"},
            fake_slurm(answers),
        )


def test_only_jobs_that_name_a_partition_go_to_slurm():
    assert not cluster.submits_to_slurm([Request("ingest", None, 1, 1000, 5)])
    assert cluster.submits_to_slurm([Request("ingest", "short", 1, 1000, 5)])


def test_an_account_on_a_cluster_without_accounting_is_refused_before_submitting():
    with pytest.raises(
        ClusterError, match="COB_SLURM_ACCOUNT is set, but this cluster keeps no accounts"
    ):
        cluster.check_before_submit(
            [Request("ingest", "short", 1, 1000, 5)],
            {"COB_SLURM_PARTITION": "short", "COB_SLURM_ACCOUNT": "proj42"},
            fake_slurm(),
        )


# --------------------------------------------------------------------------------------------
# Grouping: below GROUP_BELOW_CLIENTS one SLURM job per stage
# --------------------------------------------------------------------------------------------
def test_small_populations_run_one_job_per_stage_and_large_ones_one_per_rule():
    groups = cluster.stage_groups(2_000)
    assert (
        set(groups.values()) == set(cluster.STAGE_GROUPS)
        and groups["ingest"] == groups["link_clients"]
    )
    assert not set(groups) & set(cluster.LOCAL_RULES)
    assert cluster.group_components(groups) == {"analyse": 1000, "prepare": 1000}
    assert cluster.stage_groups(cluster.GROUP_BELOW_CLIENTS) == {}


def test_every_rule_that_runs_as_a_job_is_in_a_stage_group():
    import re
    from pathlib import Path

    rules = set(
        re.findall(
            r"^rule (\w+):",
            "".join(
                path.read_text(encoding="utf-8")
                for path in (Path(__file__).parents[1] / "workflow" / "rules").glob("*.smk")
            ),
            flags=re.MULTILINE,
        )
    )
    assert set(cluster.stage_groups(1)) == rules - set(cluster.LOCAL_RULES)


def test_a_group_job_is_packed_to_fit_one_node():
    site = cluster.read_site(
        {"COB_SLURM_PARTITION": "short", "COB_SLURM_CLIENTS": "2000"}, fake_slurm()
    )
    assert cluster.group_constraints(site) == {"cpus_per_task": 8, "mem_mb": 16000}
    with pytest.raises(ClusterError, match="nodes are not known"):
        cluster.group_constraints(cluster.profile_site({}, lambda *command: None))


def test_the_grouping_is_said_in_the_log():
    line = cluster.grouping_summary(cluster.stage_groups(2_000))
    assert line.startswith(
        "SLURM: below 250,000 clients one job per stage, 2 in all (analyse: analyses, "
    )
    assert "prepare: ingest, link_clients, recode_status)" in line
