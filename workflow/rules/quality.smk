# Stage 4: quality (source disagreements), public tables, provenance.


rule disagreements:
    input:
        clients=f"{PROCESSED}/clients.parquet",
        art60=f"{PROCESSED}/art60_linked.parquet",
        twe=f"{PROCESSED}/twe_linked.parquet",
    output:
        report(
            f"{REPORTS}/qa/disagreements.csv",
            caption="../report/quality.rst",
            category="Datakwaliteit",
        ),
    log:
        "logs/disagreements.log",
    benchmark:
        "logs/benchmarks/disagreements.tsv"
    conda:
        CONDA_ENV
    params:
        cfg=lambda wc: rule_config("language", has_twe=HAS_TWE),
    shell:
        "python -m cob_analysis disagreements --config-file {params.cfg:q} --clients {input.clients:q}"
        " --art60 {input.art60:q} --twe {input.twe:q} --out {output:q} --log {log:q}"


rule public_tables:
    input:
        report_table_csvs(),
    output:
        [f"{REPORTS}/public/{table_id}.csv" for table_id in TABLE_IDS],
    log:
        "logs/public_tables.log",
    benchmark:
        "logs/benchmarks/public_tables.tsv"
    conda:
        CONDA_ENV
    params:
        cfg=lambda wc: rule_config("small_cell_threshold", "language"),
        tables_dir=lambda wc, input: os.path.dirname(input[0]),
        public_dir=lambda wc, output: os.path.dirname(output[0]),
        ids=TABLE_IDS,
    shell:
        "python -m cob_analysis public_tables --config-file {params.cfg:q} --tables-dir {params.tables_dir:q}"
        " --public-dir {params.public_dir:q} --log {log:q} {params.ids:q}"


rule manifest:
    input:
        raw=[path for name in EXPORTS for path in CFG["exports"][name]["path"]],
        recode=CFG["recode"],
        tables=report_table_csvs(),
    output:
        f"{REPORTS}/manifest.json",
    log:
        "logs/manifest.log",
    benchmark:
        "logs/benchmarks/manifest.tsv"
    conda:
        CONDA_ENV
    params:
        cfg=lambda wc: rule_config(*sorted(CFG), config_files=CONFIG_SOURCES),
    shell:
        "python -m cob_analysis manifest --config-file {params.cfg:q} --out {output:q} --log {log:q}"
        " {input.raw:q} {input.recode:q}"
