# cob-analysis workflow: raw exports -> validated, linked, recoded rows -> tables, figures, reports.
# Thin on purpose: every rule calls `python -m cob_analysis <command>`; the logic lives in
# src/cob_analysis and is unit-tested there.
#
# No `configfile:` here on purpose: Snakemake would merge a user's --configfile over it, so that
# every key the user leaves out came from the demo. common.smk reads the user's config with the
# package defaults only, or the demo config config/config.yaml when no config is given.


report: "workflow/report/workflow.rst"


envvars:
    "PATH",


include: "workflow/rules/common.smk"
include: "workflow/rules/ingest.smk"
include: "workflow/rules/link.smk"
include: "workflow/rules/tables.smk"
include: "workflow/rules/quality.smk"
include: "workflow/rules/report.smk"
include: "workflow/rules/exports.smk"
include: "workflow/rules/cluster.smk"


onstart:
    remove_stale_outputs()


rule all:
    default_target: True
    input:
        f"{PROCESSED}/clients.parquet",
        f"{PROCESSED}/status_panel.parquet",
        f"{REPORTS}/qa/linkage.csv",
        report_table_csvs(),
        analysis_outputs(),
        longitudinal_outputs(),
        f"{REPORTS}/qa/disagreements.csv",
        [f"{REPORTS}/public/{table_id}.csv" for table_id in TABLE_IDS],
        f"{REPORTS}/manifest.json",
        f"{REPORTS}/tables.xlsx",
        f"{REPORTS}/report.html",
        f"{PROCESSED}/clients.sav",
        f"{PROCESSED}/clients.dta",
