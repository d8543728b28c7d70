# Stage 3: tables and figures from the linked rows.

TABLE_CFG = (
    "language",
    "pct_decimals",
    "missing",
    "missing_label",
    "cohort",
    "intake_window",
    "twe_result_window",
    "employers_min_count",
)


rule report_tables:
    input:
        clients=f"{PROCESSED}/clients.parquet",
        recode=CFG["recode"],
    output:
        report_table_csvs(wrap=True),
    log:
        "logs/report_tables.log",
    benchmark:
        "logs/benchmarks/report_tables.tsv"
    conda:
        CONDA_ENV
    params:
        cfg=lambda wc: rule_config(*TABLE_CFG, has_twe=HAS_TWE),
        tables_dir=lambda wc, output: os.path.dirname(output[0]),
    shell:
        "python -m cob_analysis report_tables --config-file {params.cfg:q} --clients {input.clients:q}"
        " --recode {input.recode:q} --tables-dir {params.tables_dir:q} --log {log:q}"


rule analyses:
    input:
        clients=f"{PROCESSED}/clients.parquet",
    output:
        analysis_outputs(wrap=True),
    log:
        "logs/analyses.log",
    benchmark:
        "logs/benchmarks/analyses.tsv"
    conda:
        CONDA_ENV
    params:
        cfg=lambda wc: rule_config("language", "cohort"),
        tables_dir=lambda wc, output: os.path.dirname(output[0]),
        figures_dir=lambda wc, output: os.path.dirname(output[-1]),
    shell:
        "python -m cob_analysis analyses --config-file {params.cfg:q} --clients {input.clients:q}"
        " --tables-dir {params.tables_dir:q} --figures-dir {params.figures_dir:q} --log {log:q}"


rule longitudinal_cohort:
    """The per-client steps of the longitudinal view (status grid, durable work, first-work
    intervals) for one intake cohort; `longitudinal` puts the cohorts together."""
    input:
        clients=f"{PROCESSED}/clients.parquet",
        panel=f"{PROCESSED}/status_panel.parquet",
    output:
        multiext(
            f"{PROCESSED}/longitudinal/{{cohort}}/",
            "grid.parquet",
            "durable.parquet",
            "intervals.parquet",
            "parts.json",
        ),
    log:
        "logs/longitudinal_cohort/{cohort}.log",
    benchmark:
        "logs/benchmarks/longitudinal_cohort/{cohort}.tsv"
    conda:
        CONDA_ENV
    params:
        cfg=lambda wc: rule_config("durable_work", "longitudinal_max_clients"),
        label=lambda wc: COHORTS[wc.cohort],
        out_dir=lambda wc, output: os.path.dirname(output[0]),
    shell:
        "python -m cob_analysis longitudinal_cohort --config-file {params.cfg:q} --cohort {params.label:q}"
        " --clients {input.clients:q} --panel {input.panel:q} --out-dir {params.out_dir:q} --log {log:q}"


rule longitudinal:
    input:
        clients=f"{PROCESSED}/clients.parquet",
        parts=expand(f"{PROCESSED}/longitudinal/{{cohort}}/parts.json", cohort=COHORTS),
        changes=f"{PROCESSED}/trajectory_changes_linked.parquet",
    output:
        longitudinal_outputs(wrap=True),
    log:
        "logs/longitudinal.log",
    benchmark:
        "logs/benchmarks/longitudinal.tsv"
    conda:
        CONDA_ENV
    params:
        cfg=lambda wc: rule_config(
            "language", "pct_decimals", "cohort", "durable_work", "longitudinal_max_clients"
        ),
        changes=lambda wc, input: optional_args(changes=input.changes if HAS_CHANGES else []),
        parts=lambda wc, input: [os.path.dirname(path) for path in input.parts],
        tables_dir=lambda wc, output: os.path.dirname(output[0]),
        figures_dir=lambda wc, output: os.path.dirname(output[-1]),
    shell:
        "python -m cob_analysis longitudinal --config-file {params.cfg:q} --clients {input.clients:q}"
        " --parts {params.parts:q} {params.changes:q} --tables-dir {params.tables_dir:q}"
        " --figures-dir {params.figures_dir:q} --log {log:q}"
