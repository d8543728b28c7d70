# Stage 1: read, validate and pseudonymise each raw export. data/raw is never written.


rule ingest:
    input:
        lambda wc: CFG["exports"][wc.export]["path"],
    output:
        staged=f"{PROCESSED}/staging/{{export}}.parquet",
        qa=f"{PROCESSED}/qa/{{export}}.json",
    params:
        cfg=lambda wc: cfg_json(
            "values", "id_kind", "policies", "pseudonymisation",
            exports={wc.export: CFG["exports"][wc.export]},
        ),
    wildcard_constraints:
        export="clients|art60|twe|vdab|trajectory_changes",
    log:
        "logs/ingest/{export}.log",
    benchmark:
        "logs/benchmarks/ingest/{export}.tsv",
    conda:
        CONDA_ENV
    shell:
        "python -m cob_analysis ingest --export {wildcards.export} --config-json {params.cfg}"
        " --out {output.staged} --qa {output.qa} --log {log}"
