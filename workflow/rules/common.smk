# Configuration: defaults merged under the user's config, validated against the JSON schema
# (additionalProperties: false everywhere), then handed to each rule as the subset it needs.
import json
import os
import re
import shlex
import sys

from cob_analysis import categories as cob_categories
from cob_analysis import config as cob_config
from cob_analysis.report_tables import TABLE_IDS
from cob_analysis.analyses import TABLE_IDS as ANALYSIS_TABLE_IDS, FIGURE_IDS
from cob_analysis.longitudinal import TABLE_IDS as LONG_TABLE_IDS, FIGURE_IDS as LONG_FIGURE_IDS

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
# Intake cohorts, known from the intake window before any data is read: rules that work per
# cohort take one as the wildcard `cohort` (its slug), so that a cluster runs them in parallel.
COHORTS = {cob_categories.cohort_slug(label): label
           for label in cob_categories.cohorts_between(CFG["intake_window"]["from"], CFG["intake_window"]["to"], CFG["cohort"])}


wildcard_constraints:
    cohort="|".join(re.escape(slug) for slug in COHORTS) or "no-cohort",


def cfg_json(*keys, **extra):
    """The config keys a rule depends on, as shell-quoted JSON (a change reruns that rule)."""
    subset = {key: CFG[key] for key in keys}
    subset.update(extra)
    return shlex.quote(json.dumps(subset, sort_keys=True, ensure_ascii=False))


def longitudinal_outputs(wrap=False, figures=True):
    tables = [_in_report(f"{REPORTS}/tables/{table_id}.csv", "table.rst", "Tabellen", "Cohorten in de tijd", wrap)
              for table_id in LONG_TABLE_IDS]
    if not figures:
        return tables
    return tables + [f"{REPORTS}/figures/{figure}.svg" for figure in LONG_FIGURE_IDS] + [
        _in_report(f"{REPORTS}/figures/{figure}.png", "longitudinal.rst", "Figuren", None, wrap)
        for figure in LONG_FIGURE_IDS]


CAPTIONS = {"km_art60_cohort": "km.rst", "km_art60_trajectory": "km.rst", "cox_art60_forest": "forest.rst"}


def _in_report(path, caption, category, subcategory=None, wrap=False):
    """Mark an output for `snakemake --report` (only where the rule declares it as output)."""
    if not wrap:
        return path
    return report(path, caption=f"../report/{caption}", category=category, subcategory=subcategory)


def report_table_csvs(wrap=False):
    return [_in_report(f"{REPORTS}/tables/{table_id}.csv", "table.rst", "Tabellen", "Rapport 2020", wrap)
            for table_id in TABLE_IDS]


def analysis_outputs(wrap=False, figures=True):
    tables = [_in_report(f"{REPORTS}/tables/{table_id}.csv", "table.rst", "Tabellen", "Tijd tot art. 60 en modellen", wrap)
              for table_id in ANALYSIS_TABLE_IDS]
    if not figures:
        return tables
    return tables + [f"{REPORTS}/figures/{figure}.svg" for figure in FIGURE_IDS] + [
        _in_report(f"{REPORTS}/figures/{figure}.png", CAPTIONS.get(figure, "km.rst"), "Figuren", None, wrap)
        for figure in FIGURE_IDS]


def reference_figures():
    """The published figures to compare with, when the config names them."""
    return [CFG["reference_figures"]] if CFG.get("reference_figures") else []
