# Stage 3: tables and figures from the linked rows.

TABLE_CFG = ("language", "pct_decimals", "missing", "missing_label", "cohort", "twe_result_window",
             "employers_min_count")


rule report_tables:
    input:
        clients=f"{PROCESSED}/clients.parquet",
        recode=CFG["recode"],
    output:
        report_table_csvs(wrap=True),
    params:
        cfg=lambda wc: cfg_json(*TABLE_CFG),
        tables_dir=lambda wc, output: os.path.dirname(output[0]),
    log:
        "logs/report_tables.log",
    benchmark:
        "logs/benchmarks/report_tables.tsv",
    conda:
        CONDA_ENV
    shell:
        "python -m cob_analysis tables --config-json {params.cfg} --clients {input.clients}"
        " --recode {input.recode} --tables-dir {params.tables_dir} --log {log}"


rule analyses:
    input:
        clients=f"{PROCESSED}/clients.parquet",
    output:
        analysis_outputs(wrap=True),
    params:
        cfg=lambda wc: cfg_json("language", "cohort"),
        tables_dir=lambda wc, output: os.path.dirname(output[0]),
        figures_dir=lambda wc, output: os.path.dirname(output[-1]),
    log:
        "logs/analyses.log",
    benchmark:
        "logs/benchmarks/analyses.tsv",
    conda:
        CONDA_ENV
    shell:
        "python -m cob_analysis analyses --config-json {params.cfg} --clients {input.clients}"
        " --tables-dir {params.tables_dir} --figures-dir {params.figures_dir} --log {log}"


rule longitudinal_cohort:
    """The per-client steps of the longitudinal view (status grid, durable work, first-work
    intervals) for one intake cohort; `longitudinal` puts the cohorts together."""
    input:
        clients=f"{PROCESSED}/clients.parquet",
        panel=f"{PROCESSED}/status_panel.parquet",
    output:
        multiext(f"{PROCESSED}/longitudinal/{{cohort}}/", "grid.parquet", "durable.parquet", "intervals.parquet",
                 "parts.json"),
    params:
        cfg=lambda wc: cfg_json("durable_work", "longitudinal_max_clients"),
        label=lambda wc: shlex.quote(COHORTS[wc.cohort]),
        out_dir=lambda wc, output: os.path.dirname(output[0]),
    log:
        "logs/longitudinal_cohort/{cohort}.log",
    benchmark:
        "logs/benchmarks/longitudinal_cohort/{cohort}.tsv",
    conda:
        CONDA_ENV
    shell:
        "python -m cob_analysis longitudinal-cohort --config-json {params.cfg} --cohort {params.label}"
        " --clients {input.clients} --panel {input.panel} --out-dir {params.out_dir} --log {log}"


rule longitudinal:
    input:
        clients=f"{PROCESSED}/clients.parquet",
        parts=expand(f"{PROCESSED}/longitudinal/{{cohort}}/parts.json", cohort=COHORTS),
        changes=f"{PROCESSED}/trajectory_changes_linked.parquet",
    output:
        longitudinal_outputs(wrap=True),
    params:
        cfg=lambda wc: cfg_json("language", "pct_decimals", "cohort", "durable_work", "longitudinal_max_clients"),
        changes=lambda wc, input: f"--changes {input.changes}" if HAS_CHANGES else "",
        parts=lambda wc, input: " ".join(os.path.dirname(path) for path in input.parts),
        tables_dir=lambda wc, output: os.path.dirname(output[0]),
        figures_dir=lambda wc, output: os.path.dirname(output[-1]),
    log:
        "logs/longitudinal.log",
    benchmark:
        "logs/benchmarks/longitudinal.tsv",
    conda:
        CONDA_ENV
    shell:
        "python -m cob_analysis longitudinal --config-json {params.cfg} --clients {input.clients}"
        " --parts {params.parts} {params.changes} --tables-dir {params.tables_dir}"
        " --figures-dir {params.figures_dir} --log {log}"
