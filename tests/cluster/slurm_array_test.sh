#!/usr/bin/env bash
# The Slurm recipe (workflows/slurm/submit.sh: an array job for the parts,
# the join after it with --dependency=afterok) on a one-node cluster: the
# joined output equals the single run (VCF in BGZF with its tabix index from a
# BGZF matrix in 7 parts; a haplotype table from a plain one in 3); when a
# part fails the join never runs, and --missing redoes that part alone, then
# the join; a part left from an earlier matrix is refused by the join, and
# joins once redone.
#
# Usage: slurm_array_test.sh HAPMAT_EXE WORKDIR
set -euo pipefail

# shellcheck source=tests/cluster/common.sh
source "$(dirname "$0")/common.sh"
begin_test slurm_array "$@" -- slurmctld slurmd sbatch munged bgzip tabix bcftools timeout
# shellcheck source=tests/cluster/slurm_cluster.sh
source "$(dirname "$0")/slurm_cluster.sh"
slurm_cluster_start

submit=$repo/workflows/slurm/submit.sh
# Runs submit.sh --wait with the given arguments; its output goes to $log.
submit_and_wait() {
  timeout -k 10 180 "$submit" --wait --hapmat "$hapmat" "$@" >> "$log" 2>&1
}

# 1. BGZF matrix -> VCF in BGZF, 7 parts, tabix index; parts deleted after.
log=$work/vcf.log
submit_and_wait -n 7 --index "$work/matrix.txt.gz" "$work/out/genome.vcf.gz" \
  -- --format vcf --fai "$work/matrix.fai" || fail "the recipe failed: $(tail -n 20 "$log")"
grep -q '^parts: job [0-9]*, array 1-7 of 7$' "$log" || fail "no array job 1-7 reported: $(cat "$log")"
single_run "$work/matrix.txt.gz" "$work/single.vcf.gz" --format vcf --fai "$work/matrix.fai"
single_run "$work/matrix.txt" "$work/single.vcf" --format vcf --fai "$work/matrix.fai"
check_same "$work/out/genome.vcf.gz" "$work/single.vcf.gz"
check_indexed_vcf "$work/out/genome.vcf.gz" "$work/single.vcf"
left=$(find "$work/out/genome.vcf.gz.parts" -maxdepth 1 -name 'part-*')
[ -z "$left" ] || fail "the parts were not deleted after the join: $left"
grep -q 'part 7 of 7' "$work/out/genome.vcf.gz.parts/logs/part-7.log" || fail "no log of part 7"

# 2. Plain matrix -> haplotype table, 3 parts of 2 threads, parts kept.
log=$work/table.log
submit_and_wait -n 3 -c 2 --keep-parts "$work/matrix.txt" "$work/out/haplotypes.txt" \
  || fail "the recipe failed: $(tail -n 20 "$log")"
single_run "$work/matrix.txt" "$work/single.txt"
check_same "$work/out/haplotypes.txt" "$work/single.txt"
for k in 1 2 3; do
  [ -f "$work/out/haplotypes.txt.parts/part-$k-of-3" ] || fail "--keep-parts did not keep part $k"
done

# 3. Part 2 of 3 fails on a bad row: no part 2, the join cancelled, no output.
log=$work/rerun.log
make_corrupt_matrix "$work/matrix.txt" "$work/bad.txt"
if submit_and_wait -n 3 --keep-parts "$work/bad.txt" "$work/rerun.txt"; then
  fail "the recipe succeeded on a matrix with a bad row"
fi
parts=$work/rerun.txt.parts
check_part_2_failed "$work/rerun.txt" "$parts"
grep -q 'is not a whole number' "$parts/logs/part-2.log" \
  || fail "the log of part 2 does not say what is wrong: $(cat "$parts/logs/part-2.log")"
join_job=$(awk '/^join: job/ {print $3}' "$log")
scontrol show job "$join_job" | grep -q 'JobState=CANCELLED' \
  || fail "the join job $join_job was not cancelled: $(scontrol show job "$join_job")"

# The cause goes (the row put right, its date kept, as after a lost node
# nothing changes on disk); --missing submits part 2 alone, then the join.
stamps=$(stamp "$parts/part-1-of-3"; stamp "$parts/part-3-of-3")
cp -p "$work/matrix.txt" "$work/bad.fixed"
touch -r "$work/bad.txt" "$work/bad.fixed"
mv "$work/bad.fixed" "$work/bad.txt"
submit_and_wait -n 3 --keep-parts --missing "$work/bad.txt" "$work/rerun.txt" \
  || fail "the rerun failed: $(tail -n 20 "$log")"
grep -q '^parts: job [0-9]*, array 2 of 3$' "$log" || fail "--missing did not submit part 2 alone: $(cat "$log")"
[ "$(stamp "$parts/part-1-of-3"; stamp "$parts/part-3-of-3")" = "$stamps" ] \
  || fail "the rerun redid parts 1 or 3, which had succeeded"
check_same "$work/rerun.txt" "$work/single.txt"
# Once the output exists, --missing has nothing to do.
"$submit" -n 3 --missing --hapmat "$hapmat" "$work/bad.txt" "$work/rerun.txt" >> "$log" 2>&1 \
  || fail "--missing after success failed"
grep -q 'nothing to redo' "$log" || fail "--missing after success did not say there is nothing to redo"

# 4. A stale part: the matrix changes, parts 1 and 3 are redone, part 2 of
#    the earlier matrix stays. The join refuses it (exit 1) and writes
#    nothing; part 2 redone, the join is the new matrix's single run.
rm "$work/rerun.txt"
"$hapmat" simulate --chroms 3 --length 2000 --snp-rate 0.3 --seed 7 --header-line \
  -o "$work/bad.txt"
if submit_and_wait -n 3 --keep-parts --only 1,3 "$work/bad.txt" "$work/rerun.txt"; then
  fail "the join took a stale part 2"
fi
[ ! -e "$work/rerun.txt" ] || fail "the refused join left an output"
grep -q "part-2-of-3 and .* are not parts of one run: input-" "$parts/logs/concat.log" \
  || fail "the join's refusal does not name the stale part: $(tail -n 3 "$parts/logs/concat.log")"
submit_and_wait -n 3 --keep-parts --only 2 "$work/bad.txt" "$work/rerun.txt" \
  || fail "the join after part 2 was redone failed: $(tail -n 20 "$log")"
single_run "$work/bad.txt" "$work/single-new.txt"
check_same "$work/rerun.txt" "$work/single-new.txt"

echo "slurm_array: VCF.gz + tabix (7 parts) and table (3 parts) equal the single run;" \
  "a failed part cancels the join and --missing redoes it alone; a stale part is refused"
