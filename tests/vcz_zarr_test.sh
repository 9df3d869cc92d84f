#!/usr/bin/env bash
# --format vcz: zarr-python reads every store, and it holds exactly the
# records of hapmat's VCF of the same run read by pysam (vcz_check.py):
# positions, contigs, alleles, samples, genotypes, phasing, AC/AN, and the
# metadata of docs/FORMAT.md. On the golden VCF cases, on simulated matrices
# (missing alleles, `*`, multi-allelic rows, several CHROMs, insertions),
# with pairs, --missing ref, --fai, -s/-r/--haploid/--all-sites and
# --gaps deletions, each with the default chunks and with tiny ones (many
# chunks: allele widths and contig numbers fixed at the end). The store's
# files are the same bytes for every engine, thread count and block size.
# A failed or interrupted run leaves no store, and an existing store is
# replaced only by a run that succeeds.
#
# Usage: vcz_zarr_test.sh HAPMAT_EXE WORKDIR
set -euo pipefail
source "$(dirname "$0")/shell_test_start.sh" vcz_zarr "$@"
python=${VCZ_PYTHON:-/usr/bin/python3}
"$python" -c 'import zarr, numcodecs, pysam' 2> /dev/null \
  || fail "$python cannot import zarr, numcodecs and pysam: apt-get install python3-zarr python3-numcodecs python3-pysam (scripts/install_deps.sh)"
check=$(dirname "$0")/vcz_check.py
golden=$(cd "$(dirname "$0")/data/golden" && pwd)

# check_run NAME DIR ARGS...: converts in DIR to VCF and to VCZ (default
# chunks, and $small ones), and checks both stores.
small="--vcz-variants-chunk 2 --vcz-samples-chunk 2"
check_run() {
  local name=$1 dir=$2
  shift 2
  local haploid=""
  case " $* " in *" --haploid "*) haploid=--haploid ;; esac
  (cd "$dir" && "$hapmat" convert "$@" --format vcf -q -o "$work/$name.vcf") \
    || fail "$name: --format vcf failed"
  (cd "$dir" && "$hapmat" convert "$@" --format vcz -q -o "$work/$name.vcz") \
    || fail "$name: --format vcz failed"
  # shellcheck disable=SC2086
  (cd "$dir" && "$hapmat" convert "$@" --format vcz -q -o "$work/$name.small.vcz" $small) \
    || fail "$name: --format vcz with small chunks failed"
  "$python" "$check" "$work/$name.vcz" "$work/$name.vcf" $haploid
  "$python" "$check" "$work/$name.small.vcz" "$work/$name.vcf" $haploid
}

# 1. The golden VCF cases that convert, with their own arguments.
for case_dir in "$golden"/vcf_*; do
  name=$(basename "$case_dir")
  [ -e "$case_dir/expected.txt" ] || continue  # an error case
  read -r -a args < "$case_dir/args"
  kept=()
  for arg in "${args[@]}"; do
    [[ $arg == --format || $arg == vcf ]] || kept+=("$arg")
  done
  check_run "$name" "$case_dir" "${kept[@]}"
done

# 2. Simulated matrices of several shapes, with the options that change
# rows, alleles, samples or ploidy.
small="--vcz-variants-chunk 100 --vcz-samples-chunk 4"
shapes=(
  "--chroms 3 --length 600 --snp-rate 0.5 --multibase-rate 0.3 --lowercase-rate 0.2"
  "--chroms 4 --length 500 --haplotypes 4 --snp-rate 0.6 --missing-rate 0.6 --gap-rate 0.3 --multibase-rate 0.1"
  "--chroms 2 --length 3000 --haplotypes 9 --missing-rate 0.3 --gap-rate 0.2"
)
n=0
for shape in "${shapes[@]}"; do
  n=$((n + 1))
  # shellcheck disable=SC2086
  "$hapmat" simulate $shape --header-line -o "$work/sim$n.txt"
  check_run "sim$n" "$work" "sim$n.txt"
  check_run "sim$n-missing-ref" "$work" "sim$n.txt" --missing ref
  check_run "sim$n-deletions" "$work" "sim$n.txt" --gaps deletions
  check_run "sim$n-haploid" "$work" "sim$n.txt" --haploid
  check_run "sim$n-all-sites" "$work" "sim$n.txt" --all-sites -r 2
done
check_run sim1-samples "$work" sim1.txt -s 3,10
check_run sim3-deletions-selected "$work" sim3.txt --gaps deletions -s 4,2 \
  -r 1:500-2000,2
check_run sim3-deletions-all-sites "$work" sim3.txt --gaps deletions --all-sites
printf '%s\n' "x 13a 3b" "y 10a 14b" > "$work/pairs.txt"
check_run sim1-pairs "$work" sim1.txt --pairs pairs.txt

# 3. The same store's bytes for every engine, thread count and block size.
same_store() {
  "$hapmat" convert "$work/sim2.txt" --format vcz -q -o "$work/ref.vcz" \
    --engine reference "$@"
  for run in "-t 1" "-t 2" "-t 3 --block-size 4K"; do
    rm -rf "$work/run.vcz"
    # shellcheck disable=SC2086
    "$hapmat" convert "$work/sim2.txt" --format vcz -q -o "$work/run.vcz" \
      $run "$@"
    diff -r "$work/ref.vcz" "$work/run.vcz" > /dev/null \
      || fail "the store of '$run $*' differs from the reference engine's"
  done
}
same_store
same_store --vcz-variants-chunk 7 --vcz-samples-chunk 3
same_store --gaps deletions --vcz-variants-chunk 7 --vcz-samples-chunk 3

# 4. A failed run leaves no store, and keeps the store it would replace.
leftovers() { find "$work" -maxdepth 1 -name '.*.hapmat-*' | head -1; }
bad=$golden/err_pos_zero
if "$hapmat" convert "$bad/matrix.txt" --format vcz -q -o "$work/bad.vcz" 2> /dev/null; then
  fail "a bad input converted to a store"
fi
[ ! -e "$work/bad.vcz" ] || fail "a failed run left bad.vcz"
[ -z "$(leftovers)" ] || fail "a failed run left $(leftovers)"
cp -r "$work/sim1.vcz" "$work/kept.vcz"
if "$hapmat" convert "$bad/matrix.txt" --format vcz -q -o "$work/kept.vcz" 2> /dev/null; then
  fail "a bad input converted to a store"
fi
diff -r "$work/sim1.vcz" "$work/kept.vcz" > /dev/null \
  || fail "a failed run changed the store it would have replaced"
"$hapmat" convert "$work/sim2.txt" --format vcz -q -o "$work/kept.vcz"
diff -r "$work/sim2.vcz" "$work/kept.vcz" > /dev/null \
  || fail "a run did not replace the store at its output"
[ -z "$(leftovers)" ] || fail "replacing a store left $(leftovers)"
echo text > "$work/notastore"
if "$hapmat" convert "$work/sim2.txt" --format vcz -q -o "$work/notastore" 2> "$work/err"; then
  fail "a file that is not a store was replaced"
fi
grep -q "is not a Zarr store" "$work/err" || fail "no reason: $(cat "$work/err")"
[ "$(cat "$work/notastore")" = text ] || fail "notastore was changed"

# 5. SIGTERM while the rows still come (a FIFO held open): no store, no
# temporary folder.
mkfifo "$work/fifo"
"$hapmat" convert "$work/fifo" --format vcz -q -o "$work/killed.vcz" &
pid=$!
exec 3> "$work/fifo"
head -c 100000 "$work/sim1.txt" >&3
for _ in $(seq 100); do
  [ -n "$(leftovers)" ] && break
  sleep 0.05
done
[ -n "$(leftovers)" ] || fail "no temporary store while converting"
kill -TERM "$pid"
status=0
wait "$pid" || status=$?
exec 3>&-
[ "$status" = 143 ] || fail "SIGTERM ended the run with $status, not 143"
[ ! -e "$work/killed.vcz" ] || fail "an interrupted run left killed.vcz"
[ -z "$(leftovers)" ] || fail "an interrupted run left $(leftovers)"

# A FIFO's rows make the same store as the file's (the contigs are not
# guessed from it: opening it again would wait for a writer that is gone).
mkfifo "$work/rows"
cat "$work/sim1.txt" > "$work/rows" &
timeout 60 "$hapmat" convert "$work/rows" --format vcz -q -o "$work/fifo.vcz" \
  || fail "a FIFO did not convert to a store"
wait
diff -r "$work/sim1.vcz" "$work/fifo.vcz" > /dev/null \
  || fail "a FIFO's store differs from the file's"

# 6. Usage: a store is a folder, and parts are not joined into one.
for args in "-o -" "--part 1/2 -o $work/p.vcz" "--index -o $work/i.vcz" \
  "--vcz-samples-chunk 0 -o $work/z.vcz"; do
  status=0
  # shellcheck disable=SC2086
  "$hapmat" convert "$work/sim1.txt" --format vcz -q $args 2> /dev/null || status=$?
  [ "$status" = 2 ] || fail "--format vcz $args: exit $status, not 2"
done
status=0
"$hapmat" convert "$work/sim1.txt" --format vcf --vcz-variants-chunk 5 -q \
  -o "$work/v.vcf" 2> /dev/null || status=$?
[ "$status" = 2 ] || fail "--vcz-variants-chunk with --format vcf: exit $status, not 2"
echo "vcz_zarr: ok"
