"""The layout a reader relies on: every Snakemake rule calls the command of its own name, which
calls the package function of that name; commands only parse arguments and do I/O."""

from __future__ import annotations

import importlib
import inspect
import re
from pathlib import Path

import pytest

from cob_analysis import cli

ROOT = Path(__file__).resolve().parents[1]
RULE = re.compile(r"^rule (\w+):", re.M)


def rules() -> dict[str, str]:
    """Rule name -> its text, from every rule file."""
    out = {}
    for path in sorted((ROOT / "workflow" / "rules").glob("*.smk")):
        text = path.read_text(encoding="utf-8")
        starts = [(m.group(1), m.start()) for m in RULE.finditer(text)]
        if not starts:  # settings only (e.g. localrules)
            continue
        ends = [start for _, start in starts[1:]] + [len(text)]
        for (name, start), end in zip(starts, ends, strict=True):
            out[name] = text[start:end]
    return out


RULES = rules()


def test_the_rule_files_have_the_workflow_rules():
    assert {
        "ingest",
        "recode_status",
        "link_clients",
        "report_tables",
        "analyses",
        "html_report",
    } <= set(RULES)


@pytest.mark.parametrize("name", sorted(RULES))
def test_rule_command_and_function_share_one_name(name):
    commands = re.findall(r"python -m cob_analysis (\w+)", RULES[name])
    assert commands == [name], f"rule {name} calls {commands}"
    subcommands = next(a for a in cli.build_parser()._actions if a.dest == "command").choices
    assert subcommands[name].get_default("func").__name__ == f"cmd_{name}"
    source = inspect.getsource(getattr(cli, f"cmd_{name}"))
    imported = re.search(rf"from (cob_analysis[\w.]*) import [\w, ]*\b{name}\b", source)
    assert imported and re.search(rf"\b{name}\(", source), (
        f"cmd_{name} does not call a function {name}"
    )
    function = getattr(importlib.import_module(imported.group(1)), name)
    assert function.__name__ == name and function.__doc__, name


def test_commands_are_edges_without_loops_over_rows():
    """A command reads, calls and writes; logic lives in the package (a loop over files or
    tables to write them is I/O, a computation is not)."""
    for name in RULES:
        body = inspect.getsource(getattr(cli, f"cmd_{name}"))
        for computation in (".apply(", "groupby(", "concat", ".merge(", "filters="):
            assert computation not in body, (name, computation)
