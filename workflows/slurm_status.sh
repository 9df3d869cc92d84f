#!/usr/bin/env bash
# Snakemake's --cluster-status script for Slurm: prints `success`, `running`
# or `failed` for the job id Snakemake got from `sbatch --parsable`. Without
# it Snakemake waits for a marker file that a cancelled, timed-out or killed
# job never writes, and so waits for ever.
#
#   snakemake ... --cluster 'sbatch --parsable ...' --cluster-status workflows/slurm_status.sh
#
# The state comes from `scontrol show job` (slurmctld keeps a finished job
# for MinJobAge seconds, 300 by default, far longer than Snakemake takes to
# ask), else from `sacct` where accounting runs. When slurmctld does not
# answer the job is reported running, so that a busy controller does not
# fail the workflow: Snakemake asks again.
set -uo pipefail

if (($# != 1)); then
  echo "usage: $0 SLURM_JOB_ID" >&2
  exit 2
fi
# `sbatch --parsable` prints JOBID or JOBID;CLUSTER.
job=${1%%;*}

state_of() {
  local out state
  if out=$(scontrol show job "$job" 2>&1); then
    state=$(grep -o 'JobState=[A-Z_]*' <<< "$out" | head -n 1)
    echo "${state#JobState=}"
  elif command -v sacct > /dev/null \
    && state=$(sacct -j "$job" -X -n -P -o State 2> /dev/null) && [ -n "$state" ]; then
    # e.g. "CANCELLED by 0": the first word is the state.
    state=$(head -n 1 <<< "$state")
    echo "${state%% *}"
  elif grep -q 'Invalid job id' <<< "$out"; then
    echo GONE
  else
    echo UNREACHABLE
  fi
}

case $(state_of) in
  COMPLETED)
    echo success
    ;;
  PENDING | CONFIGURING | RUNNING | COMPLETING | SUSPENDED | REQUEUED | REQUEUE_FED \
    | REQUEUE_HOLD | RESIZING | SIGNALING | STAGE_OUT | SPECIAL_EXIT | STOPPED \
    | RESV_DEL_HOLD | UNREACHABLE)
    echo running
    ;;
  *)
    # FAILED, CANCELLED, TIMEOUT, OUT_OF_MEMORY, NODE_FAIL, PREEMPTED,
    # BOOT_FAIL, DEADLINE, REVOKED, and a job Slurm no longer knows (GONE).
    echo failed
    ;;
esac
