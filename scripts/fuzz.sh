#!/usr/bin/env bash
# Differential fuzzing: builds convert_fuzzer with clang + libFuzzer + ASan +
# UBSan in build-fuzz/, builds seed inputs from the golden test cases and a
# few `hapmat simulate` outputs, and fuzzes for SECONDS (default 60) with at
# most 2 jobs (HAPMAT_FUZZ_JOBS sets how many), starting from the seeds and
# the corpus kept in the repository (fuzz/corpus/, copied into
# build-fuzz/corpus/, where the new inputs go). The fuzzer traps when the
# reference and the SIMD engine disagree (output bytes, Stats, error type or
# message), when parts do not join to the whole run, or when a sanitizer
# fires; this script then exits non-zero and prints the reproducer's path.
# At the end it prints each job's executions and coverage.
#
#   bash scripts/fuzz.sh [SECONDS]
#   bash scripts/fuzz.sh --merge   # minimize build-fuzz/corpus into fuzz/corpus
#   build-fuzz/convert_fuzzer build-fuzz/artifacts/crash-...   # reproduce
set -euo pipefail
cd "$(dirname "$0")/.."
merge=false
if [ "${1:-}" = --merge ]; then
  merge=true
  shift
fi
seconds=${1:-60}
# libclang_rt.fuzzer (libFuzzer) and the sanitizer runtimes for clang 14.
source scripts/install_deps.sh clang libclang-rt-14-dev

root=$(pwd)
build="$root/build-fuzz"
jobs=$(nproc)
workers=${HAPMAT_FUZZ_JOBS:-$((jobs < 2 ? jobs : 2))}

# Warnings are errors here too: clang 14 sees some that g++ does not.
cmake -S . -B "$build" -DCMAKE_CXX_COMPILER=clang++ \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DHAPMAT_FUZZ=ON -DHAPMAT_WERROR=ON \
  -DHAPMAT_BUILD_TESTS=OFF -DHAPMAT_BUILD_BENCH=OFF
cmake --build "$build" -j"$jobs"

# Seeds: regenerated each run.
seeds="$build/seeds"
rm -rf "$seeds"
mkdir -p "$seeds" "$build/corpus" "$build/artifacts" "$build/logs"
"$build/hapmat_fuzz_seed" "$seeds" tests/data/golden/*/
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
sim="$tmp/sim"
mkdir "$sim"
"$build/hapmat" simulate --chroms 2 --length 60 --snp-rate 0.3 --header-line \
  --seed 3 -o "$sim/sim31.txt"
"$build/hapmat" simulate --haplotypes 5 --delimiter tab --crlf \
  --multibase-rate 0.3 --lowercase-rate 0.1 --length 150 --snp-rate 0.5 \
  --header-line --seed 4 -o "$sim/sim5tab.txt"
"$build/hapmat" simulate --chroms 3 --haplotypes 64 --length 15 \
  --snp-rate 0.5 --missing-rate 0.2 --gap-rate 0.1 --header-line --seed 5 \
  -o "$sim/sim64.txt"
# Runs of gaps for VCF deletions: overlapping, at the CHROMs' ends.
"$build/hapmat" simulate --chroms 2 --haplotypes 6 --length 80 \
  --snp-rate 0.2 --missing-rate 0.1 --gap-rate 0.3 --multibase-rate 0.2 \
  --header-line --seed 6 -o "$sim/sim6gaps.txt"
"$build/hapmat_fuzz_seed" --plain "$seeds" "$sim"/*.txt

fuzz_flags=(-max_len=16384 -timeout=30 -rss_limit_mb=2048)
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}

if $merge; then
  # The repository keeps only what the seeds do not already cover: the
  # seeds go first into the merged folder, and libFuzzer adds the smallest
  # inputs that reach new features from the old corpus and the finds.
  merged="$tmp/merged"
  mkdir "$merged"
  cp "$seeds"/* "$merged"/
  mkdir -p fuzz/corpus
  "$build/convert_fuzzer" -merge=1 "${fuzz_flags[@]}" \
    -merge_control_file="$tmp/merge.control" \
    "$merged" fuzz/corpus "$build/corpus" >"$build/logs/merge.log" 2>&1 || {
    tail -30 "$build/logs/merge.log" >&2
    exit 1
  }
  rm -rf fuzz/corpus
  mkdir fuzz/corpus
  for input in "$merged"/*; do
    [ -e "$seeds/$(basename "$input")" ] || mv "$input" fuzz/corpus/
  done
  grep -h -E '^MERGE-OUTER: [0-9]+ new files' "$build/logs/merge.log" >&2 || true
  echo "fuzz: fuzz/corpus: $(ls fuzz/corpus | wc -l) inputs, $(cat fuzz/corpus/* | wc -c) bytes" >&2
  exit 0
fi

# The repository's corpus is copied, never written: new inputs go to
# build-fuzz/corpus (CI fuzzes a fresh clone; keep them with --merge).
if [ -d fuzz/corpus ]; then
  find fuzz/corpus -type f -exec cp -n -t "$build/corpus" {} +
fi
echo "fuzz: $(ls "$seeds" | wc -l) seeds, $(ls "$build/corpus" | wc -l) corpus inputs" >&2

marker="$build/logs/started"
touch "$marker"
status=0
# -jobs: each job fuzzes for SECONDS; its log is logs/fuzz-N.log.
(cd "$build/logs" && rm -f fuzz-*.log jobs.log &&
  "$build/convert_fuzzer" -jobs="$workers" -workers="$workers" \
    -max_total_time="$seconds" "${fuzz_flags[@]}" \
    -dict="$root/fuzz/hapmat.dict" -artifact_prefix="$build/artifacts/" \
    -print_final_stats=1 "$build/corpus" "$seeds" >jobs.log 2>&1) || status=$?

# Each job's executions and speed, and its coverage at the end: cov is the
# code edges reached, ft the features (edges with hit counts and more).
for log in "$build"/logs/fuzz-*.log; do
  [ -f "$log" ] || continue
  last=$(grep -E '^#[0-9]+.*cov: ' "$log" | tail -1 |
    sed -E 's/^#([0-9]+)[[:space:]]+[A-Z]+[[:space:]]+cov: ([0-9]+) ft: ([0-9]+) corp: ([^ ]+).*/cov \2, ft \3, corpus \4/' || true)
  stats=$(grep -h -E 'stat::(number_of_executed_units|average_exec_per_sec)' "$log" | tr -s ' \n' ' ' || true)
  echo "fuzz: $(basename "$log"): ${stats:-no stats}; ${last:-no coverage line}" >&2
done
crashes=$(find "$build/artifacts" -type f -newer "$marker" | sort)
if [ "$status" != 0 ] || [ -n "$crashes" ]; then
  for log in "$build"/logs/fuzz-*.log; do
    if grep -q -E 'ERROR|runtime error|deadly signal|disagree' "$log"; then
      echo "==== $log ====" >&2
      grep -v -E '^#[0-9]+[[:space:]]+(NEW|REDUCE|pulse|RELOAD)' "$log" | tail -60 >&2
    fi
  done
  echo "fuzz: FAILED (exit $status); reproducers:" >&2
  for crash in $crashes; do
    echo "  $build/convert_fuzzer $crash" >&2
  done
  exit 1
fi
echo "fuzz: no crash and no disagreement in ${seconds}s x $workers jobs; $(ls "$build/corpus" | wc -l) corpus inputs" >&2
