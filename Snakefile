# cob-analysis workflow: raw exports -> validated, linked, recoded rows -> tables, figures, reports.
# Thin on purpose: every rule calls `python -m cob_analysis <command>`; the logic lives in
# src/cob_analysis and is unit-tested there.

configfile: "config/config.yaml"


report: "workflow/report/workflow.rst"


envvars:
    "PATH",


include: "workflow/rules/common.smk"
include: "workflow/rules/ingest.smk"
include: "workflow/rules/link.smk"
include: "workflow/rules/tables.smk"
include: "workflow/rules/quality.smk"
include: "workflow/rules/report.smk"


rule all:
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
    default_target: True
