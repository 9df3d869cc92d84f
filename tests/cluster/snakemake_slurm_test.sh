#!/usr/bin/env bash
# workflows/Snakefile in cluster mode on a one-node Slurm cluster (--cluster
# 'sbatch --parsable ...' --cluster-status workflows/slurm_status.sh): the
# status script maps finished, failed, cancelled, held and unknown jobs; the
# joined output equals the single run; a failed part ends the workflow (it
# does not wait for ever) without a join, and the same command run again
# submits that part alone, then the join.
#
# Usage: snakemake_slurm_test.sh HAPMAT_EXE WORKDIR
set -euo pipefail

# shellcheck source=tests/cluster/common.sh
source "$(dirname "$0")/common.sh"
begin_test snakemake_slurm "$@" -- snakemake slurmctld slurmd sbatch munged bgzip tabix bcftools timeout
# shellcheck source=tests/cluster/slurm_cluster.sh
source "$(dirname "$0")/slurm_cluster.sh"
slurm_cluster_start

status=$repo/workflows/slurm_status.sh

# Waits until the status script stops saying `running` for job $1, then
# prints its last answer.
final_status() {
  local answer deadline=$((SECONDS + 60))
  while answer=$("$status" "$1") && [ "$answer" = running ]; do
    ((SECONDS < deadline)) || fail "job $1 still running after 60 s"
    sleep 0.2
  done
  echo "$answer"
}

# 1. The status script, on real jobs.
job=$(sbatch --parsable --output=/dev/null --wrap true)
[ "$(final_status "$job")" = success ] || fail "a job that exited 0 is not a success"
job=$(sbatch --parsable --output=/dev/null --wrap false)
[ "$(final_status "$job")" = failed ] || fail "a job that exited 1 is not failed"
job=$(sbatch --parsable --output=/dev/null --hold --wrap true)
[ "$("$status" "$job")" = running ] || fail "a held (pending) job is not running"
scancel "$job"
[ "$(final_status "$job")" = failed ] || fail "a cancelled pending job is not failed"
job=$(sbatch --parsable --output=/dev/null --wrap 'sleep 300')
deadline=$((SECONDS + 30))
until scontrol show job "$job" | grep -q 'JobState=RUNNING'; do
  ((SECONDS < deadline)) || fail "job $job did not start"
  sleep 0.2
done
[ "$("$status" "$job")" = running ] || fail "a running job is not running"
scancel "$job"
[ "$(final_status "$job")" = failed ] || fail "a cancelled running job is not failed"
[ "$("$status" 99999999)" = failed ] || fail "a job Slurm does not know is not failed"
[ "$("$status" "$job;hapmattest")" = failed ] || fail "a JOBID;CLUSTER id is not understood"

# Runs the workflow in folder $1 on the cluster, config $1/config.yaml; its
# output goes to $1/snakemake.log. Snakemake 7 checks its cluster jobs every
# 10 s, every second when CI=true (its only use of that variable).
run_snakemake() {
  local dir=$1
  shift
  mkdir -p "$dir/slurm-logs"
  CI=true timeout -k 10 300 snakemake -s "$repo/workflows/Snakefile" --directory "$dir" \
    --configfile "$dir/config.yaml" --jobs 7 --latency-wait 30 \
    --max-status-checks-per-second 5 \
    --cluster "sbatch --parsable -c {threads} --mem={resources.mem_mb} -t {resources.runtime} -o $dir/slurm-logs/%j.out" \
    --cluster-status "$status" "$@" >> "$dir/snakemake.log" 2>&1
}

# 2. BGZF matrix -> VCF in BGZF, 3 parts, tabix index.
dir=$work/vcf
mkdir -p "$dir"
write_vcf_workflow_config "$dir"
run_snakemake "$dir" || fail "the workflow failed: $(tail -n 30 "$dir/snakemake.log")"
submitted=$(grep -c 'with external jobid' "$dir/snakemake.log" || true)
((submitted == 4)) || fail "$submitted jobs went to Slurm, not the 3 parts and the join"
check_workflow_vcf "$dir/out/genome.vcf.gz"

# 3. Part 2 of 3 fails on a bad row: Snakemake learns it from the status
#    script and stops; no part 2, no output.
dir=$work/rerun
run_workflow_with_a_bad_part "$dir"
grep -q 'Error executing rule part' "$dir/snakemake.log" \
  || fail "Snakemake did not report the failed part: $(tail -n 30 "$dir/snakemake.log")"
parts=$dir/out.txt.parts
check_part_2_failed "$dir/out.txt" "$parts"

# The cause goes (the row put right, its date kept); the same command submits
# part 2 and the join, nothing else.
stamps=$(stamp "$parts/part-1-of-3"; stamp "$parts/part-3-of-3")
cp -p "$work/matrix.txt" "$dir/matrix.fixed"
touch -r "$dir/matrix.txt" "$dir/matrix.fixed"
mv "$dir/matrix.fixed" "$dir/matrix.txt"
: > "$dir/snakemake.log"
run_snakemake "$dir" || fail "the rerun failed: $(tail -n 30 "$dir/snakemake.log")"
submitted=$(grep -c 'with external jobid' "$dir/snakemake.log" || true)
((submitted == 2)) || fail "the rerun sent $submitted jobs to Slurm, not part 2 and the join"
[ "$(stamp "$parts/part-1-of-3"; stamp "$parts/part-3-of-3")" = "$stamps" ] \
  || fail "the rerun redid parts 1 or 3, which had succeeded"
single_run "$work/matrix.txt" "$work/single.txt"
check_same "$dir/out.txt" "$work/single.txt"

echo "snakemake_slurm: status script right on 7 job fates; VCF.gz + tabix (3 parts) equals" \
  "the single run; a failed part stops the workflow and is redone alone"
