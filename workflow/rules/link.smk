# Stage 2: recode VDAB status codes (the recoding table is a tracked input), then link.


rule recode_status:
    input:
        vdab=f"{PROCESSED}/staging/vdab.parquet",
        qa=f"{PROCESSED}/qa/vdab.json",
        recode=CFG["recode"],
    output:
        f"{PROCESSED}/status_codes.parquet",
    log:
        "logs/recode_status.log",
    benchmark:
        "logs/benchmarks/recode_status.tsv"
    conda:
        CONDA_ENV
    params:
        cfg=lambda wc: rule_config("policies"),
    shell:
        "python -m cob_analysis recode_status --config-file {params.cfg:q} --vdab {input.vdab:q} --qa {input.qa:q}"
        " --recode {input.recode:q} --out {output:q} --log {log:q}"


rule link_clients:
    input:
        clients=f"{PROCESSED}/staging/clients.parquet",
        art60=f"{PROCESSED}/staging/art60.parquet",
        twe=f"{PROCESSED}/staging/twe.parquet" if HAS_TWE else [],
        vdab=f"{PROCESSED}/staging/vdab.parquet",
        status_codes=f"{PROCESSED}/status_codes.parquet",
        changes=f"{PROCESSED}/staging/trajectory_changes.parquet" if HAS_CHANGES else [],
        qa=expand(f"{PROCESSED}/qa/{{export}}.json", export=EXPORTS),
    output:
        clients=f"{PROCESSED}/clients.parquet",
        panel=f"{PROCESSED}/status_panel.parquet",
        art60=f"{PROCESSED}/art60_linked.parquet",
        twe=f"{PROCESSED}/twe_linked.parquet",
        changes=f"{PROCESSED}/trajectory_changes_linked.parquet",
        linkage=report(
            f"{REPORTS}/qa/linkage.csv", caption="../report/quality.rst", category="Datakwaliteit"
        ),
        notes=f"{REPORTS}/qa/linkage_notes.csv",
        unmatched=f"{REPORTS}/qa/unmatched.csv",
    log:
        "logs/link_clients.log",
    benchmark:
        "logs/benchmarks/link_clients.tsv"
    conda:
        CONDA_ENV
    params:
        cfg=lambda wc: rule_config(
            "intake_window", "reference_date", "observation_end", "cohort", "policies"
        ),
        qa_dir=lambda wc, input: os.path.dirname(input.qa[0]),
        optional=lambda wc, input: optional_args(twe=input.twe, changes=input.changes),
        reports_qa=lambda wc, output: os.path.dirname(output.linkage),
    shell:
        "python -m cob_analysis link_clients --config-file {params.cfg:q} --clients {input.clients:q}"
        " --art60 {input.art60:q} --vdab {input.vdab:q} --status-codes {input.status_codes:q}"
        " --qa-dir {params.qa_dir:q} {params.optional:q}"
        " --out-clients {output.clients:q} --out-panel {output.panel:q} --out-art60 {output.art60:q}"
        " --out-twe {output.twe:q} --out-changes {output.changes:q} --reports-qa {params.reports_qa:q} --log {log:q}"
