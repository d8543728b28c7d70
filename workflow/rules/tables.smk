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


rule longitudinal:
    input:
        clients=f"{PROCESSED}/clients.parquet",
        panel=f"{PROCESSED}/status_panel.parquet",
        changes=f"{PROCESSED}/trajectory_changes_linked.parquet",
    output:
        longitudinal_outputs(wrap=True),
    params:
        cfg=lambda wc: cfg_json("language", "pct_decimals", "cohort", "durable_work", "longitudinal_max_clients"),
        changes=lambda wc, input: f"--changes {input.changes}" if HAS_CHANGES else "",
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
        " --panel {input.panel} {params.changes} --tables-dir {params.tables_dir}"
        " --figures-dir {params.figures_dir} --log {log}"
