#!/usr/bin/env bash
# Instructions per written row, counted by callgrind: unlike timings they
# are the same on a busy machine. One thread, on the matrices of
# docs/BENCHMARKS.md ("Where the time goes"); a markdown table to stdout.
#
#   scripts/callgrind_rows.sh [--data DIR]
#   HAPMAT=path/to/hapmat scripts/callgrind_rows.sh ...   # another binary
#
# Per row = (run - the same run on the header line alone) / rows written;
# "format" is the writer's appendPacked with all it calls ("inline" where
# the row loop compiles it into itself: the table's), "row loop" the
# target's loop over a chunk's lines (src/rows/row_loop.cpp) with all it
# calls (the line loop, parse, pack, phase, format, the tally). Valgrind
# hides AVX-512, so the kernels run their AVX2 code. Matrices are cached in
# DIR (default bench-data/callgrind).
#
# Highway's library reads the time stamp counter with rdtscp when it loads;
# valgrind refuses rdtscp on a CPU that does not report it. hapmat on x86-64
# no longer loads libhwy (kernels/cpu_targets.cc); for a binary that does
# (HAPMAT=an older build), the runs then use a copy of libhwy with rdtscp
# turned into rdtsc + nop (the same counter, without the core id), in a
# temporary directory.
set -euo pipefail
cd "$(dirname "$0")/.."

data=bench-data/callgrind
while (($#)); do
  case "$1" in
    --data) data=$2; shift ;;
    *) echo "usage: [HAPMAT=path] scripts/callgrind_rows.sh [--data DIR]" >&2; exit 2 ;;
  esac
  shift
done
hapmat=$(realpath "${HAPMAT:-build/hapmat}")
[ -x "$hapmat" ] || { echo "callgrind_rows: no $hapmat; build first" >&2; exit 1; }
# shellcheck source=scripts/install_deps.sh
source scripts/install_deps.sh valgrind
mkdir -p "$data"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

libhwy=$(ldd "$hapmat" | awk '/libhwy\.so/ { print $1, $3 }')
if [ -n "$libhwy" ] && ! grep -qw rdtscp /proc/cpuinfo; then
  perl -0777 -pe 's/\x0f\x01\xf9/\x0f\x31\x90/g' "${libhwy#* }" > "$work/${libhwy%% *}"
  export LD_LIBRARY_PATH=$work${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
fi

matrix() {  # NAME SIMULATE-ARGS...
  local name=$1
  shift
  [ -s "$data/$name.txt" ] || "$hapmat" simulate "$@" --header-line -o "$data/$name.txt"
  head -n 1 "$data/$name.txt" > "$data/$name.header.txt"
}
matrix all-variant --chroms 1 --length 200000 --snp-rate 1 --seed 2
matrix wide --chroms 1 --haplotypes 1000 --length 20000 --snp-rate 1 --seed 2
matrix realistic --chroms 1 --length 1000000

# The output goes to a new file, not /dev/null: a VCF to a stream first
# reads the whole input for its CHROMs (FORMAT.md), which is no row's cost.
instructions() {  # OUT INPUT CONVERT-ARGS...
  local out=$1 input=$2
  shift 2
  valgrind --tool=callgrind --callgrind-out-file="$out" \
    "$hapmat" convert -t 1 -q "$@" "$input" -o "$out.converted" 2> "$out.log"
  rm -f "$out.converted"
  awk '/Collected :/ { print $NF }' "$out.log"
}

inclusive() {  # CALLGRIND-OUT PATTERN: instructions of the first match
  # awk reads to the end: were it to exit early, callgrind_annotate could die
  # of SIGPIPE, and pipefail would end the script.
  callgrind_annotate --inclusive=yes "$1" 2> /dev/null |
    awk -v pattern="$2" '!found && index($0, pattern) {
      gsub(",", "", $1); print $1; found = 1 }'
}

echo "| matrix | output | rows written | instructions | fixed | per written row | format | row loop |"
echo "|---|---|---:|---:|---:|---:|---:|---:|"
for run in "all-variant table" "all-variant vcf" "wide table" "realistic table"; do
  read -r name format <<< "$run"
  args=()
  [ "$format" = vcf ] && args=(--format vcf)
  total=$(instructions "$work/$name.$format" "$data/$name.txt" "${args[@]}")
  fixed=$(instructions "$work/$name.$format.header" "$data/$name.header.txt" "${args[@]}")
  rows=$("$hapmat" convert -t 1 "${args[@]}" "$data/$name.txt" -o /dev/null 2>&1 |
         sed -n 's/.* rows read, \([0-9]*\) written.*/\1/p')
  writer=$(inclusive "$work/$name.$format" "::appendPacked(")
  loop=$(inclusive "$work/$name.$format" "Lines(hapmat::RowLoopInput")
  awk -v name="$name" -v format="$format" -v rows="$rows" -v total="$total" \
      -v fixed="$fixed" -v writer="$writer" -v loop="$loop" 'BEGIN {
    printf "| %s | %s | %d | %d | %d | %.0f | %s | %.0f |\n", name, format,
      rows, total, fixed, (total - fixed) / rows,
      writer == "" ? "inline" : sprintf("%.0f", writer / rows), loop / rows
  }'
done
