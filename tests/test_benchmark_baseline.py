"""benchmarks/baseline.py, the plain pandas baseline of `benchmarks/run.py --baseline`: on a small
generated export set it writes its tables, and its numbers are those computed here directly
from the generated exports; `--render` still reads a results.json without baseline fields."""

from __future__ import annotations

import hashlib
import hmac
import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml

from cob_demo import scale

ROOT = Path(__file__).resolve().parents[1]
KEY = "test-key-not-secret-0123456789ab"
N = 2000


def _bench_module():
    spec = importlib.util.spec_from_file_location(
        "benchmark_run_baseline", ROOT / "benchmarks" / "run.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def baseline_run(tmp_path_factory):
    base = tmp_path_factory.mktemp("baseline")
    raw = base / "raw"
    paths = scale.write_scale(raw, N, "monthly", 12, seed=3, fmt="parquet")
    config = scale.scale_config(
        yaml.safe_load((ROOT / "config" / "config.yaml").read_text(encoding="utf-8")),
        paths,
        recode=ROOT / "config" / "recode" / "vdab_status.csv",
    )
    configfile = base / "config.yaml"
    configfile.write_text(
        yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    out = base / "out"
    env = {**os.environ, "COB_PSEUDO_KEY": KEY}
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "baseline.py"),
            "--config",
            str(configfile),
            "--out",
            str(out),
        ],
        cwd=base,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return {"paths": paths, "config": config, "out": out, "stdout": done.stdout}


def test_writes_its_tables_and_wall_time(baseline_run):
    out = baseline_run["out"]
    for name in (
        "linkage",
        "crosstabs",
        "chi_square",
        "art60_timing",
        "km_art60",
        "logrank",
        "cox_art60",
        "logit_work",
        "long_status_by_months",
        "long_transitions",
        "long_durable_work",
    ):
        frame = pd.read_csv(out / f"{name}.csv")
        assert len(frame), name
    assert "baseline wall time:" in baseline_run["stdout"]
    assert json.loads((out / "timing.json").read_text())["wall_s"] > 0


def test_counts_equal_those_of_the_exports(baseline_run):
    paths, config, out = baseline_run["paths"], baseline_run["config"], baseline_run["out"]
    counts = scale.design_counts(N, "monthly", 12)
    linkage = pd.read_csv(out / "linkage.csv").set_index("export")
    for export in ("clients", "art60", "twe", "vdab"):
        assert (
            linkage.at[export, "rows_read"]
            == len(pd.read_parquet(paths[export]))
            == counts[f"rows_{export}"]
        )

    # linked clients: distinct people with an intake in the window
    columns = config["exports"]["clients"]["columns"]
    intakes = pd.read_parquet(paths["clients"])
    ids = intakes[columns["client_id"]].str.replace(r"[.\-]", "", regex=True)
    dates = pd.to_datetime(intakes[columns["intake_date"]], format="%d/%m/%Y")
    in_window = dates.between(pd.Timestamp("2017-01-01"), pd.Timestamp("2018-12-31"))
    assert linkage.at["clients", "linked"] == ids[in_window].nunique() == N

    # VDAB rows linked: rows of those people
    vdab = pd.read_parquet(paths["vdab"])
    vdab_ids = vdab[config["exports"]["vdab"]["columns"]["client_id"]].str.replace(
        r"[.\-]", "", regex=True
    )
    assert linkage.at["vdab", "linked"] == int(vdab_ids.isin(set(ids[in_window])).sum())

    # t05 cross-tab: clients per cohort add up to the linked clients
    crosstabs = pd.read_csv(out / "crosstabs.csv")
    t05 = crosstabs[crosstabs["table"] == "t05_cohort_work"]
    assert t05["n"].sum() == N
    assert set(t05["row"]) == {"Voorjaar 2017", "Najaar 2017", "Voorjaar 2018", "Najaar 2018"}


def test_pseudonyms_are_the_projects(baseline_run):
    """The HMAC-SHA256 keying of the project: the first 8 bytes, big-endian, signed."""
    from cob_analysis.ingest.pseudonymise import pseudonym

    spec = importlib.util.spec_from_file_location(
        "baseline_script", ROOT / "benchmarks" / "baseline.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    ids = pd.Series(["85.07.30-033.28", "85073003328"])
    got = module.pseudonymise(ids, KEY.encode(), "test")
    expected = pseudonym("85073003328", KEY.encode())
    assert list(got) == [expected, expected]
    digest = hmac.digest(KEY.encode(), b"85073003328", hashlib.sha256)
    assert expected == int.from_bytes(digest[:8], "big", signed=True)


def test_render_reads_old_and_new_results(tmp_path):
    bench = _bench_module()
    entry = {
        "key": "2000-monthly-12-parquet",
        "kind": "scale",
        "clients": 2000,
        "snapshots": "monthly",
        "n_snapshots": 12,
        "format": "parquet",
        "rows": {"clients": 2050},
        "workflow": {"ok": True, "wall_s": 20.0, "rules": []},
    }
    results = {"machine": {}, "runs": [entry]}
    text = bench.render(results)
    assert "baseline" not in text.lower()
    entry["baseline"] = {
        "ok": True,
        "wall_s": 5.0,
        "peak_process_rss_mib": 300.0,
        "agree": True,
        "agreement": [
            {
                "check": "linked clients",
                "compared": 1,
                "agree": True,
                "max_diff": 0.0,
                "tolerance": 0.0,
                "mismatches": [],
                "n_mismatches": 0,
            }
        ],
    }
    text = bench.render(results)
    assert "0.25 (workflow 4.0x slower)" in text
    assert "yes (1 checks)" in text
    assert bench.baseline_ratio_text(30.0, 10.0) == "3.00 (workflow 3.0x faster)"


@pytest.mark.e2e
def test_the_benchmark_runs_a_small_population_end_to_end(tmp_path):
    """The benchmark as anyone runs it: exports generated, the workflow and the plain script
    run on them, their figures compared, results written (a small size, not a timing)."""
    out = tmp_path / "results.md"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "run.py"),
            "--sizes",
            "400",
            "--baseline",
            "--workdir",
            str(tmp_path / "work"),
            "--out",
            str(out),
            "--clean",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    (entry,) = json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))["runs"]
    assert entry["workflow"]["ok"], entry["workflow"]
    assert entry["baseline"]["ok"] and entry["baseline"]["agree"], entry["baseline"]
    assert entry["rows"]["clients"] > 400
    assert "400" in out.read_text(encoding="utf-8")


def test_render_reads_a_labelled_run_of_a_size_measured_already():
    bench = _bench_module()

    def run(clients, wall, label=None):
        return {
            "key": f"{clients}-monthly-12-parquet" + (f"-{label}" if label else ""),
            "kind": "scale",
            "clients": clients,
            "label": label,
            "snapshots": "monthly",
            "n_snapshots": 12,
            "format": "parquet",
            "rows": {"clients": clients},
            "workflow": {"ok": True, "wall_s": wall, "rules": []},
        }

    results = {"machine": {}, "runs": [run(1000, 20.0), run(10000, 30.0), run(10000, 31.0, "x")]}
    text = bench.render(results)
    assert "1,000 -> 10,000 clients" in text and "10,000 -> 10,000" not in text
