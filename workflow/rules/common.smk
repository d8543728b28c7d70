# Configuration: the user's config (--configfile) or, when none is given, the demo config, with
# the package defaults under it, validated against the JSON schema (additionalProperties: false
# everywhere), then handed to each rule as the subset it needs, in a file named by its content.
import os
import re
import sys

# Only light modules here (no pandas, lifelines or matplotlib): the Snakefile is read at every
# start, and on a cluster again by every job.
from cob_analysis import config as cob_config
from cob_analysis import outputs as cob_outputs
from cob_analysis.outputs import REPORT_TABLE_IDS as TABLE_IDS, ANALYSIS_TABLE_IDS
from cob_analysis.outputs import ANALYSIS_FIGURE_IDS as FIGURE_IDS
from cob_analysis.outputs import (
    LONGITUDINAL_TABLE_IDS as LONG_TABLE_IDS,
    LONGITUDINAL_FIGURE_IDS as LONG_FIGURE_IDS,
)

try:
    CFG, CONFIG_SOURCES = cob_config.for_workflow(
        config, workflow.overwrite_configfiles, os.getcwd(), workflow.basedir
    )
except cob_config.ConfigError as error:
    raise SystemExit(f"cob-analysis: {error}") from None
# the resolved config is what `snakemake --report` templates see as snakemake.config
config.clear()
config.update(CFG)
PROCESSED = CFG["output"]["processed"]
REPORTS = CFG["output"]["reports"]
# Rules run `python -m cob_analysis` with the Python that runs snakemake (put first on PATH here,
# so `.venv/bin/snakemake` works without activating the venv), or from this conda environment
# with --software-deployment-method conda (which puts its own bin first).
os.environ["PATH"] = os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", "")
CONDA_ENV = "../../environment.yml"  # relative to the rule files
EXPORTS = [name for name in cob_config.EXPORTS if name in CFG["exports"]]
HAS_CHANGES = "trajectory_changes" in CFG["exports"]
HAS_TWE = "twe" in CFG["exports"]
# Intake cohorts, known from the intake window before any data is read: rules that work per
# cohort take one as the wildcard `cohort` (its slug), so that a cluster runs them in parallel.
COHORTS = {
    cob_outputs.cohort_slug(label): label
    for label in cob_outputs.cohorts_between(
        CFG["intake_window"]["from"], CFG["intake_window"]["to"], CFG["cohort"]
    )
}


wildcard_constraints:
    cohort="|".join(re.escape(slug) for slug in COHORTS) or "no-cohort",


RULE_CONFIG_DIR = ".snakemake/cob_analysis/rule-config"


def rule_config(*keys, **extra):
    """The config keys a rule depends on, in a file named by its content (see
    cob_analysis.config.write_rule_config): a change of any of them reruns that rule only."""
    subset = {key: CFG[key] for key in keys}
    subset.update(extra)
    return cob_config.write_rule_config(subset, RULE_CONFIG_DIR)


def optional_args(**paths):
    """`--name path` for each optional input that is there (a list: quoted word by word)."""
    args = []
    for name, path in paths.items():
        if path:
            args += [f"--{name.replace('_', '-')}", str(path)]
    return args


def longitudinal_outputs(wrap=False, figures=True):
    tables = [
        _in_report(
            f"{REPORTS}/tables/{table_id}.csv", "table.rst", "Tabellen", "Cohorten in de tijd", wrap
        )
        for table_id in LONG_TABLE_IDS
    ]
    if not figures:
        return tables
    return (
        tables
        + [f"{REPORTS}/figures/{figure}.svg" for figure in LONG_FIGURE_IDS]
        + [
            _in_report(f"{REPORTS}/figures/{figure}.png", "longitudinal.rst", "Figuren", None, wrap)
            for figure in LONG_FIGURE_IDS
        ]
    )


CAPTIONS = {
    "km_art60_cohort": "km.rst",
    "km_art60_trajectory": "km.rst",
    "cox_art60_forest": "forest.rst",
}


def _in_report(path, caption, category, subcategory=None, wrap=False):
    """Mark an output for `snakemake --report` (only where the rule declares it as output)."""
    if not wrap:
        return path
    return report(path, caption=f"../report/{caption}", category=category, subcategory=subcategory)


def report_table_csvs(wrap=False):
    return [
        _in_report(
            f"{REPORTS}/tables/{table_id}.csv", "table.rst", "Tabellen", "Rapporttabellen", wrap
        )
        for table_id in TABLE_IDS
    ]


def analysis_outputs(wrap=False, figures=True):
    tables = [
        _in_report(
            f"{REPORTS}/tables/{table_id}.csv",
            "table.rst",
            "Tabellen",
            "Tijd tot art. 60 en modellen",
            wrap,
        )
        for table_id in ANALYSIS_TABLE_IDS
    ]
    if not figures:
        return tables
    return (
        tables
        + [f"{REPORTS}/figures/{figure}.svg" for figure in FIGURE_IDS]
        + [
            _in_report(
                f"{REPORTS}/figures/{figure}.png",
                CAPTIONS.get(figure, "km.rst"),
                "Figuren",
                None,
                wrap,
            )
            for figure in FIGURE_IDS
        ]
    )


def reference_figures():
    """The published figures to compare with, when the config names them."""
    return [CFG["reference_figures"]] if CFG.get("reference_figures") else []


def remove_stale_outputs():
    """Outputs of an earlier run that this run would not write: per-cohort parts of cohorts
    outside the intake window, staged files of exports no longer configured, and the Snakemake
    report (rebuilt by `cob-analysis run` and `make report`). They never sit beside new ones."""
    import shutil

    stale = []
    cohort_root = os.path.join(PROCESSED, "longitudinal")
    if os.path.isdir(cohort_root):
        stale += [
            os.path.join(cohort_root, name)
            for name in sorted(os.listdir(cohort_root))
            if name not in COHORTS
        ]
    for name in cob_config.EXPORTS:
        if name not in EXPORTS:
            stale += [f"{PROCESSED}/staging/{name}.parquet", f"{PROCESSED}/qa/{name}.json"]
    stale.append(f"{REPORTS}/workflow-report.zip")
    for path in stale:
        if os.path.isdir(path):
            shutil.rmtree(path)
        elif os.path.exists(path):
            os.remove(path)
        else:
            continue
        logger.info(f"removed an earlier run's output that this run does not write: {path}")
