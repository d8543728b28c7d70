"""profiles/slurm as shipped: the plugin pinned and resolving with the project's own pins, the
profile's job sizes equal to what `benchmarks/run.py --suggest-slurm` prints, every rule sized."""

from __future__ import annotations

import importlib.util
import json
import math
import re
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement

from cob_analysis import cluster

ROOT = Path(__file__).resolve().parents[1]
PROFILE = ROOT / "profiles" / "slurm" / "config.yaml"
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
SLURM_EXTRA = [Requirement(r) for r in PYPROJECT["optional-dependencies"]["slurm"]]
RULES = {
    name
    for path in (ROOT / "workflow" / "rules").glob("*.smk")
    for name in re.findall(r"^rule (\w+):", path.read_text(encoding="utf-8"), flags=re.MULTILINE)
}


def benchmark_script():
    spec = importlib.util.spec_from_file_location("benchmark_run", ROOT / "benchmarks" / "run.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_slurm_extra_pins_the_plugin_and_bounds_snakemake():
    pins = {r.name: r for r in SLURM_EXTRA}
    for plugin in ("snakemake-executor-plugin-slurm", "snakemake-executor-plugin-slurm-jobstep"):
        assert re.fullmatch(r"==\d+(\.\d+)+", str(pins[plugin].specifier)), pins[plugin]
    assert pins["snakemake"].specifier.contains("9.27.1") and not pins[
        "snakemake"
    ].specifier.contains("10.0")


def test_environment_yml_installs_the_same_pins():
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict) and "pip" in d)
    assert sorted(map(str, map(Requirement, pip))) == sorted(map(str, SLURM_EXTRA))


def test_the_installed_plugin_resolves_with_the_project_pins():
    """What pip installed for `.[slurm]` satisfies the extra, the project's own requirements and
    every requirement of the plugin and its job step: they resolve together."""
    try:
        metadata.version("snakemake-executor-plugin-slurm")
    except metadata.PackageNotFoundError:
        pytest.skip("the SLURM plugin is not installed (pip install -e '.[slurm]')")
    wanted = SLURM_EXTRA + [Requirement(r) for r in PYPROJECT["dependencies"]]
    for plugin in (
        "snakemake-executor-plugin-slurm",
        "snakemake-executor-plugin-slurm-jobstep",
        "snakemake",
    ):
        wanted += [Requirement(r) for r in metadata.requires(plugin) or [] if "extra ==" not in r]
    unmet = []
    for requirement in wanted:
        if requirement.marker and not requirement.marker.evaluate():
            continue
        try:
            version = metadata.version(requirement.name)
        except metadata.PackageNotFoundError:
            unmet.append(f"{requirement} (not installed)")
            continue
        if not requirement.specifier.contains(version, prereleases=True):
            unmet.append(f"{requirement} (installed {version})")
    assert not unmet


def render_profile(monkeypatch, **environment: str) -> dict:
    """profiles/slurm/config.yaml as Snakemake reads it (YTE evaluated), against a fake cluster
    with one partition of 16-CPU, 64 GB nodes."""
    from snakemake.profiles import ProfileConfigFileParser

    answers = {
        ("sinfo", "-h", "-o", "%P"): "short*\n",
        ("sinfo", "-h", "-N", "-p", "short", "-o", "%c|%m|%l"): "16|64000|infinite\n",
        (
            "scontrol",
            "show",
            "config",
        ): "AccountingStorageType = accounting_storage/none\nMinJobAge = 300 sec\n",
    }
    monkeypatch.setattr(cluster.site, "query_slurm", lambda *command: answers[command])
    for name in (
        cluster.ENV_PARTITION,
        cluster.ENV_CLIENTS,
        cluster.ENV_ACCOUNT,
        cluster.ENV_NODE_CPUS,
        cluster.ENV_NODE_MEM_MB,
    ):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    with open(PROFILE, encoding="utf-8") as stream:
        parsed = ProfileConfigFileParser().parse(stream)
    resources: dict[str, dict[str, int]] = {}
    for item in parsed["set-resources"]:
        rule, _, assignment = item.partition(":")
        name, _, value = assignment.partition("=")
        resources.setdefault(rule, {})[name] = int(value)
    parsed["set-resources"] = resources
    parsed["default-resources"] = dict(item.split("=", 1) for item in parsed["default-resources"])
    return parsed


def test_the_profile_sizes_jobs_for_the_population_it_is_told(monkeypatch):
    profile = render_profile(monkeypatch, COB_SLURM_PARTITION="short", COB_SLURM_CLIENTS="5000000")
    assert profile["executor"] == "slurm" and profile["slurm-status-command"] == "squeue"
    assert profile["default-resources"]["slurm_partition"] == "short"
    assert "slurm_account" not in profile["default-resources"]
    sizes = cluster.job_sizes(cluster.load_sizing(), 5_000_000)
    # worked out by hand from the packaged measurements: past the largest measured size, the
    # line through the last two; then x 1.5 headroom, MiB -> MB, rounded up to 100 MB
    *_, before, last = sorted(cluster.load_sizing()["ingest"], key=lambda m: m.clients)
    mib = last.peak_mib + (last.peak_mib - before.peak_mib) * (5_000_000 - last.clients) / (
        last.clients - before.clients
    )
    mem_mb = math.ceil(mib * 1.048576 * 1.5 / 100) * 100
    assert profile["set-resources"]["ingest"] == {
        "mem_mb": mem_mb,
        "runtime": 5,
        "cpus_per_task": 2,
    }
    for rule, resources in profile["set-resources"].items():
        assert (
            resources["mem_mb"] == sizes[rule].mem_mb
            and resources["runtime"] == sizes[rule].runtime
        ), rule
    small = render_profile(
        monkeypatch,
        COB_SLURM_PARTITION="short",
        COB_SLURM_CLIENTS="2000",
        COB_SLURM_ACCOUNT="proj42",
    )
    assert {r["mem_mb"] for r in small["set-resources"].values()} == {cluster.MIN_MEM_MB}
    assert small["default-resources"]["slurm_account"] == "proj42"


def test_without_a_partition_the_profile_still_parses_and_leaves_the_placeholder(monkeypatch):
    profile = render_profile(monkeypatch)
    assert profile["default-resources"]["slurm_partition"] == cluster.PARTITION_NOT_SET


def test_suggest_slurm_prints_what_the_profile_asks_for(monkeypatch):
    run = benchmark_script()
    results = json.loads((ROOT / "benchmarks" / "results.json").read_text(encoding="utf-8"))
    for clients in (2_000, 100_000, 1_000_000, 3_000_000, 5_000_000):
        printed = yaml.safe_load(run.suggest_slurm(results, clients))["set-resources"]
        profile = render_profile(
            monkeypatch, COB_SLURM_PARTITION="short", COB_SLURM_CLIENTS=str(clients)
        )
        for rule, resources in printed.items():
            assert resources == {
                name: profile["set-resources"][rule].get(name, resources[name])
                for name in resources
            }, (clients, rule)
            assert set(resources) == {"mem_mb", "runtime", "cpus_per_task"}


def test_the_packaged_sizing_is_the_benchmarks():
    """src/cob_analysis/data/slurm_sizing.json holds what benchmarks/results.json measured (after a
    new benchmark: python benchmarks/run.py --update-sizing)."""
    results = json.loads((ROOT / "benchmarks" / "results.json").read_text(encoding="utf-8"))
    assert benchmark_script().measured_sizing(results) == cluster.load_sizing()


def test_the_profile_names_every_rule_and_every_resource():
    profile = yaml.safe_load(PROFILE.read_text(encoding="utf-8"))
    assert set(profile["set-resources"]) == RULES
    for rule, resources in profile["set-resources"].items():
        expected = {"mem_mb", "runtime"} | (
            set() if rule in cluster.LOCAL_RULES else {"cpus_per_task"}
        )
        assert set(resources) == expected, rule


def test_local_rules_exist_and_stay_cheap_at_the_largest_population_measured():
    assert set(cluster.LOCAL_RULES) - {"all"} <= RULES
    for rule in set(cluster.LOCAL_RULES) - {"all"}:
        largest = max(cluster.load_sizing()[rule], key=lambda m: m.clients)
        assert largest.peak_mib < 200 and largest.seconds < 2, (rule, largest)
