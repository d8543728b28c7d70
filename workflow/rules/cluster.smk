# Running on a cluster (profiles/slurm): settings only, no rules.
# - The cheap rules run where Snakemake runs (cluster.LOCAL_RULES: their cost does not grow with
#   the population; a job's start on a node would cost more than their work).
# - Before anything is submitted, every job's request is checked against what the nodes of its
#   partition offer (sinfo, or COB_SLURM_NODE_CPUS / COB_SLURM_NODE_MEM_MB) and against how the
#   plugin can see jobs finish (scontrol show config): a job SLURM would refuse or keep pending
#   forever stops the run here, naming the rule and the limit. Only in the Snakemake that
#   submits (not inside the jobs), and only when the jobs name a SLURM partition.
# - Small populations run one SLURM job per stage (the profile's `groups`, cluster.stage_groups).
from snakemake_interface_executor_plugins.settings import ExecMode

from cob_analysis import cluster as cob_cluster

workflow.localrules(*cob_cluster.LOCAL_RULES)  # what `localrules: all, manifest, ...` does

if workflow.exec_mode == ExecMode.DEFAULT:
    _cluster_requests = cob_cluster.rule_requests(workflow.rules, cob_cluster.LOCAL_RULES)
    if cob_cluster.submits_to_slurm(_cluster_requests):
        try:
            for _line in cob_cluster.check_before_submit(_cluster_requests):
                logger.info(f"cob-analysis: {_line}")
            _groups = dict(workflow.group_settings.overwrite_groups)
            if _groups:
                logger.info(f"cob-analysis: {cob_cluster.grouping_summary(_groups)}")
        except cob_cluster.ClusterError as error:
            raise SystemExit(f"cob-analysis: {error}") from None
