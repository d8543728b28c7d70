# Stage 5b: the analysis table for other statistics programs: clients.parquet as an SPSS (.sav)
# and a Stata (.dta) file, with value and variable labels (cob_analysis.report.spss).


rule export_spss:
    input:
        clients=f"{PROCESSED}/clients.parquet",
    output:
        sav=f"{PROCESSED}/clients.sav",
        dta=f"{PROCESSED}/clients.dta",
    log:
        "logs/export_spss.log",
    benchmark:
        "logs/benchmarks/export_spss.tsv"
    conda:
        CONDA_ENV
    params:
        cfg=lambda wc: rule_config("language", "cohort"),
    shell:
        "python -m cob_analysis export_spss --config-file {params.cfg:q} --clients {input.clients:q}"
        " --sav {output.sav:q} --dta {output.dta:q} --log {log:q}"
