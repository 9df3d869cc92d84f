# shellcheck shell=bash
# Shared by the cluster tests (sourced): the matrices they split, the single
# runs their joined outputs must equal, and the checks.
#
# begin_test sets $hapmat (the hapmat binary), $work (a folder), $test_name.
# shellcheck disable=SC2154 # they are set by the test that sources this

# shellcheck disable=SC2034 # used by the tests that source this
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
export LC_ALL=C

fail() {
  echo "$test_name: FAIL: $*" >&2
  exit 1
}

# A missing tool fails the test: scripts/test.sh installs them all, and a
# skipped test would hide a broken install in CI.
require_tools() {
  local tool
  for tool in "$@"; do
    command -v "$tool" > /dev/null \
      || fail "$tool is not installed (scripts/test.sh installs it)"
  done
}

# A samtools faidx index for the contigs of a matrix with a header line.
write_fai() {
  awk 'NR > 1 && NF {
         if (!($1 in max)) { order[++n] = $1; max[$1] = 0 }
         if ($2 + 0 > max[$1]) max[$1] = $2 + 0
       }
       END { for (i = 1; i <= n; i++)
               printf "%s\t%d\t%d\t60\t61\n", order[i], max[order[i]] + 10, i * 100 }' "$1"
}

# The start of every cluster test: `begin_test NAME "$@" -- TOOLS...` checks
# the arguments (HAPMAT_EXE WORKDIR), sets $hapmat and $work (made anew),
# checks the tools and writes the matrices.
begin_test() {
  test_name=$1
  shift
  if (($# < 3)) || [ "$3" != -- ]; then
    echo "usage: $test_name.sh HAPMAT_EXE WORKDIR" >&2
    exit 2
  fi
  hapmat=$(realpath "$1")
  work=$2
  shift 3
  require_tools "$@"
  rm -rf "$work"
  mkdir -p "$work"
  work=$(realpath "$work")
  make_matrices
}

# Writes $work/matrix.txt (~450 KB, 3 chromosomes), its BGZF copy
# $work/matrix.txt.gz and its $work/matrix.fai.
make_matrices() {
  "$hapmat" simulate --chroms 3 --length 2000 --snp-rate 0.3 --multibase-rate 0.1 \
    --header-line -o "$work/matrix.txt"
  bgzip -c "$work/matrix.txt" > "$work/matrix.txt.gz"
  write_fai "$work/matrix.txt" > "$work/matrix.fai"
}

# Writes to $2 a copy of matrix $1 whose middle row (in part 2 of 3) has a
# POS that is not a number; same size, so the part boundaries do not move.
make_corrupt_matrix() {
  local row
  row=$(($(wc -l < "$1") / 2))
  sed "${row}s/^\([^ ]* [0-9]*\)[0-9] /\1x /" "$1" > "$2"
  [ "$(wc -c < "$1")" = "$(wc -c < "$2")" ] || fail "the corrupted matrix changed size"
  cmp -s "$1" "$2" && fail "the matrix was not corrupted"
  return 0
}

# The single run: hapmat convert OPTIONS INPUT -o OUTPUT.
single_run() {
  local input=$1 output=$2
  shift 2
  "$hapmat" convert -q "$@" "$input" -o "$output" || fail "the single run of convert $* failed"
}

# The joined output must be the single run's bytes; for BGZF, the same
# decompressed bytes in a valid BGZF file.
check_same() {
  local joined=$1 single=$2
  [ -f "$joined" ] || fail "no joined output $joined"
  case $joined in
    *.gz)
      bgzip -t "$joined" || fail "$joined is not valid BGZF"
      cmp -s <(gzip -dc "$joined") <(gzip -dc "$single") \
        || fail "$joined does not decompress to the single run's bytes"
      ;;
    *)
      cmp -s "$joined" "$single" || fail "$joined differs from the single run"
      ;;
  esac
}

# A VCF in BGZF with its .tbi: bcftools reads it without a complaint and
# tabix finds the rows of a region as in the single run (plain VCF $2):
# those that overlap it, a deletion's REF spanning several bases.
check_indexed_vcf() {
  local vcf=$1 plain=$2 chrom expected got
  [ -s "$vcf.tbi" ] || fail "no index $vcf.tbi"
  bcftools view "$vcf" > /dev/null 2> "$vcf.view.err" \
    || fail "bcftools view failed on $vcf: $(cat "$vcf.view.err")"
  [ ! -s "$vcf.view.err" ] || fail "bcftools view complained about $vcf: $(cat "$vcf.view.err")"
  chrom=$(awk -F'\t' '!/^#/ {print $1; exit}' "$plain")
  expected=$(awk -F'\t' -v c="$chrom" '!/^#/ && $1 == c && $2 + length($4) - 1 >= 500 && $2 <= 1500' "$plain")
  [ -n "$expected" ] || fail "no rows in $chrom:500-1500 to query"
  got=$(tabix "$vcf" "$chrom:500-1500") || fail "tabix could not query $vcf"
  [ "$got" = "$expected" ] || fail "tabix $vcf $chrom:500-1500 returned other rows"
}

# inode and modification time: a part redone gets new ones.
stamp() {
  stat -c '%i %Y.%y' "$1"
}

# The Snakemake config of the BGZF-matrix-to-indexed-VCF case, into $1.
write_vcf_workflow_config() {
  cat > "$1/config.yaml" << EOF
matrix: $work/matrix.txt.gz
parts: 3
output: out/genome.vcf.gz
convert_options: "--format vcf --fai $work/matrix.fai"
index: tbi
hapmat: $hapmat
threads_per_part: 1
EOF
}

# The workflow's VCF $1 is the single run's bytes, indexed and read back.
check_workflow_vcf() {
  single_run "$work/matrix.txt.gz" "$work/single.vcf.gz" --format vcf --fai "$work/matrix.fai"
  single_run "$work/matrix.txt" "$work/single.vcf" --format vcf --fai "$work/matrix.fai"
  check_same "$1" "$work/single.vcf.gz"
  check_indexed_vcf "$1" "$work/single.vcf"
}

# After part 2 of 3 failed: no output $1, no part 2 in folder $2, parts 1
# and 3 converted.
check_part_2_failed() {
  local output=$1 parts=$2 k
  [ ! -e "$output" ] || fail "a failed part did not stop the join"
  [ ! -e "$parts/part-2-of-3" ] || fail "the failed part 2 left a file"
  for k in 1 3; do
    [ -f "$parts/part-$k-of-3" ] || fail "part $k was not converted"
  done
}

# A workflow folder $1 whose matrix has a bad row in part 2 of 3, parts
# kept; the workflow (the test's run_snakemake) run in it must fail.
run_workflow_with_a_bad_part() {
  local dir=$1
  mkdir -p "$dir"
  make_corrupt_matrix "$work/matrix.txt" "$dir/matrix.txt"
  cat > "$dir/config.yaml" << EOF
matrix: matrix.txt
parts: 3
output: out.txt
hapmat: $hapmat
keep_parts: true
EOF
  if run_snakemake "$dir" --keep-going; then
    fail "the workflow succeeded on a matrix with a bad row"
  fi
}
