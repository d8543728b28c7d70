"""environment.yml gives conda users the same dependencies as pyproject.toml."""

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
CONDA_NAMES = {"duckdb": "python-duckdb"}


def _split(requirement: str) -> tuple[str, str]:
    match = re.match(r"^([A-Za-z0-9_.\-]+)(.*)$", requirement.strip())
    return match.group(1).lower(), match.group(2).replace(" ", "")


def test_environment_yml_matches_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = dict(
        _split(r) for r in project["dependencies"] + project["optional-dependencies"]["dev"]
    )
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda = dict(
        _split(d) for d in env["dependencies"] if isinstance(d, str) and not d.startswith("python>")
    )
    expected = {CONDA_NAMES.get(name, name): spec for name, spec in wanted.items()}
    assert conda == expected


def test_slurm_profile_sizes_every_rule():
    rules = {
        name
        for path in (ROOT / "workflow" / "rules").glob("*.smk")
        for name in re.findall(
            r"^rule (\w+):", path.read_text(encoding="utf-8"), flags=re.MULTILINE
        )
    }
    profile = yaml.safe_load(
        (ROOT / "profiles" / "slurm" / "config.yaml").read_text(encoding="utf-8")
    )
    assert "longitudinal_cohort" in rules
    assert set(profile["set-resources"]) == rules
    assert all({"mem_mb", "runtime"} <= set(r) for r in profile["set-resources"].values())
