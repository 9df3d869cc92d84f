#!/usr/bin/env bash
# End-to-end benchmark: hapmat against the reading-speed baselines on the same
# file, runs alternated and repeated, medians reported as a markdown table.
#
#   scripts/bench.sh [--quick] [--runs N] [--data DIR]
#
# Matrices are generated once with `hapmat simulate` and cached in DIR
# (default: bench-data/ at the top of the repository): a realistic one
# (4 chromosomes x 8 Mb, 31 haplotypes, ~2.4 GB; --quick: 1 x 4 Mb, ~300 MB)
# and an all-variant one (every row written; a quarter of the size).
set -euo pipefail
cd "$(dirname "$0")/.."

runs=5
quick=0
data=bench-data
while (($#)); do
  case "$1" in
    --quick) quick=1 ;;
    --runs) runs=$2; shift ;;
    --data) data=$2; shift ;;
    *) echo "usage: scripts/bench.sh [--quick] [--runs N] [--data DIR]" >&2; exit 2 ;;
  esac
  shift
done

hapmat=build/hapmat
if [ ! -x "$hapmat" ]; then
  source scripts/install_deps.sh
  cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build build -j"$(nproc)" --target hapmat
fi
[ -x /usr/bin/time ] || { source scripts/install_deps.sh time; }

if ((quick)); then shape=(--chroms 1 --length 4000000); tag=quick
else shape=(--chroms 4 --length 8000000); tag=full; fi
variant_shape=(--chroms 1 --length $((quick ? 1000000 : 8000000)))

mkdir -p "$data"
realistic=$data/realistic-$tag.txt
allvariant=$data/allvariant-$tag.txt
need_mb=$(( quick ? 600 : 5000 ))
free_mb=$(df -Pm "$data" | awk 'NR==2 {print $4}')
if { [ ! -f "$realistic" ] || [ ! -f "$allvariant" ]; } && ((free_mb < need_mb)); then
  echo "bench: need ${need_mb} MB free in $data for the matrices, have ${free_mb} MB" >&2
  exit 1
fi
[ -f "$realistic" ] || "$hapmat" simulate "${shape[@]}" --header-line --seed 1 -o "$realistic"
[ -f "$allvariant" ] || "$hapmat" simulate "${variant_shape[@]}" --snp-rate 1 --header-line --seed 2 -o "$allvariant"

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
threads=$(nproc)

# name | command (FILE is replaced by the input, OUT by an output path)
tools=(
  "hapmat simd, $threads threads|$hapmat convert -q -t $threads FILE -o OUT"
  "hapmat simd, 1 thread|$hapmat convert -q -t 1 FILE -o OUT"
  "hapmat reference|$hapmat convert -q --engine reference FILE -o OUT"
  "wc -l|wc -l FILE"
  "cat > /dev/null|cat FILE"
)

# One timed run: prints "seconds peak_kib". The previous run's output is
# removed and dirty pages flushed first, untimed: replacing a large file
# makes rename() truncate it, which is no part of the next tool's work.
time_one() {
  local cmd=${1//FILE/$2}
  cmd=${cmd//OUT/$out/out.txt}
  rm -f "$out/out.txt"
  sync
  /usr/bin/time -f '%e %M' -o "$out/time" bash -c "$cmd > /dev/null"
  cat "$out/time"
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

for input in "$realistic" "$allvariant"; do
  bytes=$(stat -c %s "$input")
  cat "$input" > /dev/null  # warm the page cache
  declare -A secs=() rss=()
  for ((r = 0; r < runs; r++)); do
    for entry in "${tools[@]}"; do
      read -r s kib < <(time_one "${entry#*|}" "$input")
      secs[${entry%%|*}]+="$s "
      rss[${entry%%|*}]+="$kib "
    done
  done
  wc_median=$(tr ' ' '\n' <<<"${secs[wc -l]}" | grep . | median)
  echo
  echo "### $(basename "$input"): $(awk -v b="$bytes" 'BEGIN {printf "%.2f GB", b/1e9}'), median of $runs runs"
  echo
  echo "| tool | seconds | GB/s | × wc -l | peak RSS MiB |"
  echo "|---|---:|---:|---:|---:|"
  for entry in "${tools[@]}"; do
    name=${entry%%|*}
    s=$(tr ' ' '\n' <<<"${secs[$name]}" | grep . | median)
    k=$(tr ' ' '\n' <<<"${rss[$name]}" | grep . | sort -n | tail -1)
    awk -v n="$name" -v s="$s" -v b="$bytes" -v w="$wc_median" -v k="$k" \
      'BEGIN {printf "| %s | %.2f | %.2f | %.2f | %.1f |\n", n, s, b/1e9/s, w/s, k/1024}'
  done
done
