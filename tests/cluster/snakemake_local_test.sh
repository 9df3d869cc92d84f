#!/usr/bin/env bash
# workflows/Snakefile on local cores (--cores 2): the joined output equals the
# single run (VCF in BGZF with its tabix index, from a BGZF matrix; a
# haplotype table from a plain one); a part that fails leaves no file and
# stops the join, and the same command run again redoes that part alone; a
# part of an earlier matrix put back among the parts is refused by the join.
#
# Usage: snakemake_local_test.sh HAPMAT_EXE WORKDIR
set -euo pipefail

# shellcheck source=tests/cluster/common.sh
source "$(dirname "$0")/common.sh"
begin_test snakemake_local "$@" -- snakemake bgzip tabix bcftools timeout

# Runs the workflow in folder $1 with config file $1/config.yaml; more
# snakemake options may follow. Its output goes to $1/snakemake.log.
run_snakemake() {
  local dir=$1
  shift
  timeout -k 10 240 snakemake -s "$repo/workflows/Snakefile" --directory "$dir" \
    --configfile "$dir/config.yaml" --cores 2 "$@" >> "$dir/snakemake.log" 2>&1
}

# 1. BGZF matrix -> VCF in BGZF, 3 parts, tabix index; parts deleted after.
dir=$work/vcf
mkdir -p "$dir"
write_vcf_workflow_config "$dir"
run_snakemake "$dir" || fail "the workflow failed: $(tail -n 30 "$dir/snakemake.log")"
check_workflow_vcf "$dir/out/genome.vcf.gz"
left=$(find "$dir/out/genome.vcf.gz.parts" -name 'part-*' -not -name '*.log')
[ -z "$left" ] || fail "the parts were not deleted after the join: $left"
[ -s "$dir/out/genome.vcf.gz.parts/logs/part-2-of-3.log" ] || fail "no log of part 2"

# 2. Plain matrix -> haplotype table (tab separated), 7 parts of 2 threads,
#    parts kept.
dir=$work/table
mkdir -p "$dir"
cat > "$dir/config.yaml" << EOF
matrix: $work/matrix.txt
parts: 7
output: out/haplotypes.txt
convert_options: [--out-delimiter, tab]
hapmat: $hapmat
threads_per_part: 2
keep_parts: true
EOF
run_snakemake "$dir" || fail "the workflow failed: $(tail -n 30 "$dir/snakemake.log")"
single_run "$work/matrix.txt" "$work/single.txt" --out-delimiter tab
check_same "$dir/out/haplotypes.txt" "$work/single.txt"
kept=$(find "$dir/out/haplotypes.txt.parts" -maxdepth 1 -name 'part-*-of-7' | wc -l)
((kept == 7)) || fail "keep_parts: true kept $kept parts, not 7"

# 3. Part 2 of 3 fails on a bad row: no part 2, no output, the others done.
dir=$work/rerun
run_workflow_with_a_bad_part "$dir"
parts=$dir/out.txt.parts
check_part_2_failed "$dir/out.txt" "$parts"
grep -q 'is not a whole number' "$parts/logs/part-2-of-3.log" \
  || fail "the log of part 2 does not say what is wrong: $(cat "$parts/logs/part-2-of-3.log")"
# Snakemake plans to redo part 2 and the join, nothing else.
timeout -k 10 120 snakemake -s "$repo/workflows/Snakefile" --directory "$dir" \
  --configfile "$dir/config.yaml" --cores 2 --dry-run > "$dir/dry-run.log" 2>&1 \
  || fail "the dry run failed: $(cat "$dir/dry-run.log")"
planned=$(awk '$1 == "part" || $1 == "concat" {printf "%s=%s ", $1, $2} $1 == "total" {exit}' \
  "$dir/dry-run.log")
[ "$planned" = "concat=1 part=1 " ] || fail "the rerun plans '$planned', not part 2 and the join"

# The cause goes (here: the row is put right, its date kept, as after a lost
# node nothing changes on disk); the same command redoes part 2 and the join.
stamps=$(stamp "$parts/part-1-of-3"; stamp "$parts/part-3-of-3")
cp -p "$work/matrix.txt" "$dir/matrix.fixed"
touch -r "$dir/matrix.txt" "$dir/matrix.fixed"
mv "$dir/matrix.fixed" "$dir/matrix.txt"
run_snakemake "$dir" || fail "the rerun failed: $(tail -n 30 "$dir/snakemake.log")"
[ "$(stamp "$parts/part-1-of-3"; stamp "$parts/part-3-of-3")" = "$stamps" ] \
  || fail "the rerun redid parts 1 or 3, which had succeeded"
single_run "$work/matrix.txt" "$work/single-default.txt"
check_same "$dir/out.txt" "$work/single-default.txt"

# 4. A stale part: a part 2 of the earlier matrix (and its record), put back
#    after the matrix changed and the workflow ran, is newer than the matrix,
#    so Snakemake runs only the join, which refuses it (exit 1), writing
#    nothing. Removed, part 2 is redone and the join is the new single run.
cp -p "$parts/part-2-of-3" "$parts/part-2-of-3.hapmat-part" "$dir/"
"$hapmat" simulate --chroms 3 --length 2000 --snp-rate 0.3 --seed 7 --header-line \
  -o "$dir/matrix.txt"
run_snakemake "$dir" || fail "the run on the changed matrix failed: $(tail -n 30 "$dir/snakemake.log")"
single_run "$dir/matrix.txt" "$work/single-new.txt"
check_same "$dir/out.txt" "$work/single-new.txt"
rm "$dir/out.txt"
cp "$dir/part-2-of-3" "$dir/part-2-of-3.hapmat-part" "$parts/"
if run_snakemake "$dir"; then
  fail "the workflow joined a stale part 2"
fi
[ ! -e "$dir/out.txt" ] || fail "the refused join left an output"
grep -q "part-2-of-3 and .* are not parts of one run: input-" "$parts/logs/concat.log" \
  || fail "the join's refusal does not name the stale part: $(cat "$parts/logs/concat.log")"
rm "$parts/part-2-of-3" "$parts/part-2-of-3.hapmat-part"
run_snakemake "$dir" || fail "the run after the stale part went failed: $(tail -n 30 "$dir/snakemake.log")"
check_same "$dir/out.txt" "$work/single-new.txt"

# 5. A gzip matrix that is not BGZF is refused before any job runs.
dir=$work/gzip
mkdir -p "$dir"
gzip -c "$work/matrix.txt" > "$dir/matrix.txt.gz"
printf 'matrix: matrix.txt.gz\nparts: 3\noutput: out.txt\nhapmat: %s\n' "$hapmat" > "$dir/config.yaml"
if run_snakemake "$dir"; then
  fail "the workflow accepted a gzip (not BGZF) matrix"
fi
grep -q 'recompress it with' "$dir/snakemake.log" || fail "the refusal does not say to use bgzip"
[ ! -d "$dir/out.txt.parts" ] || fail "jobs ran on a gzip (not BGZF) matrix"

echo "snakemake_local: VCF.gz + tabix (3 parts) and table (7 parts) equal the single run;" \
  "a failed part is redone alone; a stale part is refused; gzip input refused"
