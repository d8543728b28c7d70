# Configuration: defaults merged under the user's config, validated against the JSON schema
# (additionalProperties: false everywhere), then handed to each rule as the subset it needs.
import json
import os
import shlex
import sys

from cob_analysis import config as cob_config
from cob_analysis.report_tables import TABLE_IDS
from cob_analysis.analyses import TABLE_IDS as ANALYSIS_TABLE_IDS, FIGURE_IDS

CFG = cob_config.resolve(config)
PROCESSED = CFG["output"]["processed"]
REPORTS = CFG["output"]["reports"]
# Rules run `python -m cob_analysis` with the Python that runs snakemake (put first on PATH here,
# so `.venv/bin/snakemake` works without activating the venv), or from this conda environment
# with --software-deployment-method conda (which puts its own bin first).
os.environ["PATH"] = os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", "")
CONDA_ENV = "../../environment.yml"  # relative to the rule files
EXPORTS = [name for name in cob_config.EXPORTS if name in CFG["exports"]]
HAS_CHANGES = "trajectory_changes" in CFG["exports"]


def cfg_json(*keys, **extra):
    """The config keys a rule depends on, as shell-quoted JSON (a change reruns that rule)."""
    subset = {key: CFG[key] for key in keys}
    subset.update(extra)
    return shlex.quote(json.dumps(subset, sort_keys=True, ensure_ascii=False))


def report_table_csvs():
    return [f"{REPORTS}/tables/{table_id}.csv" for table_id in TABLE_IDS]


def analysis_outputs():
    return [f"{REPORTS}/tables/{table_id}.csv" for table_id in ANALYSIS_TABLE_IDS] + [
        f"{REPORTS}/figures/{figure}.{ext}" for figure in FIGURE_IDS for ext in ("png", "svg")
    ]
