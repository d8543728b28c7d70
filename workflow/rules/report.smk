# Stage 5: the documents people read: one Excel workbook and one self-contained HTML page.


rule workbook:
    input:
        tables=report_table_csvs()
        + analysis_outputs(figures=False)
        + longitudinal_outputs(figures=False),
        reference=reference_figures(),
    output:
        report(f"{REPORTS}/tables.xlsx", caption="../report/table.rst", category="Rapport"),
    log:
        "logs/workbook.log",
    benchmark:
        "logs/benchmarks/workbook.tsv"
    conda:
        CONDA_ENV
    params:
        cfg=lambda wc: rule_config(
            "language", "reference_figures", "small_group_threshold", has_twe=HAS_TWE
        ),
        tables_dir=lambda wc, input: os.path.dirname(input.tables[0]),
    shell:
        "python -m cob_analysis workbook --config-file {params.cfg:q} --tables-dir {params.tables_dir:q}"
        " --out {output:q} --log {log:q}"


rule html_report:
    input:
        tables=report_table_csvs() + longitudinal_outputs() + analysis_outputs(),
        qa=[f"{REPORTS}/qa/linkage.csv", f"{REPORTS}/qa/disagreements.csv"],
        manifest=f"{REPORTS}/manifest.json",
        reference=reference_figures(),
    output:
        report(f"{REPORTS}/report.html", caption="../report/workflow.rst", category="Rapport"),
    log:
        "logs/html_report.log",
    benchmark:
        "logs/benchmarks/html_report.tsv"
    conda:
        CONDA_ENV
    params:
        cfg=lambda wc: rule_config(
            "language", "reference_figures", "small_group_threshold", has_twe=HAS_TWE
        ),
        tables_dir=lambda wc, input: os.path.dirname(input.tables[0]),
        figures_dir=lambda wc, input: os.path.dirname(input.tables[-1]),
        qa_dir=lambda wc, input: os.path.dirname(input.qa[0]),
    shell:
        "python -m cob_analysis html_report --config-file {params.cfg:q} --tables-dir {params.tables_dir:q}"
        " --figures-dir {params.figures_dir:q} --qa-dir {params.qa_dir:q} --manifest {input.manifest:q}"
        " --out {output:q} --log {log:q}"
