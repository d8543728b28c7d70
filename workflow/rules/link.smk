# Stage 2: recode VDAB status codes (the recoding table is a tracked input), then link.


rule recode_status:
    input:
        vdab=f"{PROCESSED}/staging/vdab.parquet",
        qa=f"{PROCESSED}/qa/vdab.json",
        recode=CFG["recode"],
    output:
        f"{PROCESSED}/status_codes.parquet",
    params:
        cfg=lambda wc: cfg_json("policies"),
    log:
        "logs/recode_status.log",
    benchmark:
        "logs/benchmarks/recode_status.tsv",
    conda:
        CONDA_ENV
    shell:
        "python -m cob_analysis recode --config-json {params.cfg} --vdab {input.vdab} --qa {input.qa}"
        " --recode {input.recode} --out {output} --log {log}"


rule link_clients:
    input:
        clients=f"{PROCESSED}/staging/clients.parquet",
        art60=f"{PROCESSED}/staging/art60.parquet",
        twe=f"{PROCESSED}/staging/twe.parquet",
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
        linkage=report(f"{REPORTS}/qa/linkage.csv", caption="../report/quality.rst", category="Datakwaliteit"),
        notes=f"{REPORTS}/qa/linkage_notes.csv",
        unmatched=f"{REPORTS}/qa/unmatched.csv",
    params:
        cfg=lambda wc: cfg_json("intake_window", "reference_date", "observation_end", "cohort", "policies"),
        qa_dir=lambda wc, input: os.path.dirname(input.qa[0]),
        changes=lambda wc, input: f"--changes {input.changes}" if input.changes else "",
        reports_qa=lambda wc, output: os.path.dirname(output.linkage),
    log:
        "logs/link_clients.log",
    benchmark:
        "logs/benchmarks/link_clients.tsv",
    conda:
        CONDA_ENV
    shell:
        "python -m cob_analysis link --config-json {params.cfg} --clients {input.clients}"
        " --art60 {input.art60} --twe {input.twe} --vdab {input.vdab} --status-codes {input.status_codes} --qa-dir {params.qa_dir}"
        " --out-clients {output.clients} --out-panel {output.panel} --out-art60 {output.art60}"
        " --out-twe {output.twe} {params.changes} --out-changes {output.changes} --reports-qa {params.reports_qa} --log {log}"
