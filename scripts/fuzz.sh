#!/usr/bin/env bash
# Differential fuzzing: builds convert_fuzzer with clang + libFuzzer + ASan +
# UBSan in build-fuzz/, builds a seed corpus from the golden test cases and a
# few `hapmat simulate` outputs, and fuzzes for SECONDS (default 60) with at
# most 2 jobs. The fuzzer traps when the reference and the SIMD engine
# disagree (output bytes, Stats, error type or message) or a sanitizer fires;
# this script then exits non-zero and prints the reproducer's path.
#
#   bash scripts/fuzz.sh [SECONDS]
#   build-fuzz/convert_fuzzer build-fuzz/artifacts/crash-...   # reproduce
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
# libclang_rt.fuzzer (libFuzzer) and the sanitizer runtimes for clang 14.
source scripts/install_deps.sh clang libclang-rt-14-dev

root=$(pwd)
build="$root/build-fuzz"
jobs=$(nproc)
workers=$((jobs < 2 ? jobs : 2))

# Warnings are errors here too: clang 14 sees some that g++ does not.
cmake -S . -B "$build" -DCMAKE_CXX_COMPILER=clang++ \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DHAPMAT_FUZZ=ON -DHAPMAT_WERROR=ON \
  -DHAPMAT_BUILD_TESTS=OFF -DHAPMAT_BUILD_BENCH=OFF
cmake --build "$build" -j"$jobs"

# Seeds: regenerated each run; new inputs found by fuzzing go to corpus/.
seeds="$build/seeds"
rm -rf "$seeds"
mkdir -p "$seeds" "$build/corpus" "$build/artifacts" "$build/logs"
"$build/hapmat_fuzz_seed" "$seeds" tests/data/golden/*/
sim=$(mktemp -d)
trap 'rm -rf "$sim"' EXIT
"$build/hapmat" simulate --chroms 2 --length 60 --snp-rate 0.3 --header-line \
  --seed 3 -o "$sim/sim31.txt"
"$build/hapmat" simulate --haplotypes 5 --delimiter tab --crlf \
  --multibase-rate 0.3 --lowercase-rate 0.1 --length 150 --snp-rate 0.5 \
  --header-line --seed 4 -o "$sim/sim5tab.txt"
"$build/hapmat" simulate --chroms 3 --haplotypes 64 --length 15 \
  --snp-rate 0.5 --missing-rate 0.2 --gap-rate 0.1 --header-line --seed 5 \
  -o "$sim/sim64.txt"
"$build/hapmat_fuzz_seed" --plain "$seeds" "$sim"/*.txt
echo "fuzz: $(ls "$seeds" | wc -l) seeds, $(ls "$build/corpus" | wc -l) corpus inputs" >&2

export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}
marker="$build/logs/started"
touch "$marker"
status=0
# -jobs: each job fuzzes for SECONDS; its log is logs/fuzz-N.log.
(cd "$build/logs" && rm -f fuzz-*.log jobs.log &&
  "$build/convert_fuzzer" -jobs="$workers" -workers="$workers" \
    -max_total_time="$seconds" -max_len=16384 -timeout=30 -rss_limit_mb=2048 \
    -dict="$root/fuzz/hapmat.dict" -artifact_prefix="$build/artifacts/" \
    -print_final_stats=1 "$build/corpus" "$seeds" >jobs.log 2>&1) || status=$?

for log in "$build"/logs/fuzz-*.log; do
  [ -f "$log" ] || continue
  echo "fuzz: $(basename "$log"): $(grep -h -E 'stat::(number_of_executed_units|average_exec_per_sec)' "$log" | tr -s ' \n' ' ')" >&2
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
echo "fuzz: no crash and no disagreement in ${seconds}s x $workers jobs" >&2
