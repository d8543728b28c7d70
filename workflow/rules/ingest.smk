# Stage 1: read, validate and pseudonymise each raw export. data/raw is never written.


rule ingest:
    input:
        lambda wc: CFG["exports"][wc.export]["path"],
    output:
        staged=f"{PROCESSED}/staging/{{export}}.parquet",
        qa=f"{PROCESSED}/qa/{{export}}.json",
    log:
        "logs/ingest/{export}.log",
    benchmark:
        "logs/benchmarks/ingest/{export}.tsv"
    wildcard_constraints:
        export="|".join(EXPORTS),
    conda:
        CONDA_ENV
    params:
        cfg=lambda wc: rule_config(
            "values",
            "id_kind",
            "policies",
            "pseudonymisation",
            exports={wc.export: CFG["exports"][wc.export]},
        ),
    shell:
        "python -m cob_analysis ingest --export {wildcards.export} --config-file {params.cfg:q}"
        " --out {output.staged:q} --qa {output.qa:q} --log {log:q}"
