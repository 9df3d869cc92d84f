#!/usr/bin/env bash
# End-to-end benchmark: hapmat against an awk script doing the same job and
# against the reading-speed limits, on the same files, runs alternated and
# repeated; medians reported as markdown, CSV, JSON and a PNG chart.
#
#   scripts/bench.sh [--quick] [--runs N] [--data DIR] [--out DIR]
#
# Matrices come from `hapmat simulate` and are cached in DIR (default
# bench-data/): a realistic one (4 chromosomes x 8 Mb, 31 haplotypes,
# ~2.4 GB; --quick: 1 x 4 Mb, ~300 MB) and an all-variant one (every row
# written). Results go to --out (default bench-results/).
set -euo pipefail
cd "$(dirname "$0")/.."

runs=5
quick=0
data=bench-data
results=bench-results
while (($#)); do
  case "$1" in
    --quick) quick=1 ;;
    --runs) runs=$2; shift ;;
    --data) data=$2; shift ;;
    --out) results=$2; shift ;;
    *) echo "usage: scripts/bench.sh [--quick] [--runs N] [--data DIR] [--out DIR]" >&2; exit 2 ;;
  esac
  shift
done
((runs >= 1)) || { echo "bench: --runs must be at least 1" >&2; exit 2; }

source scripts/install_deps.sh time mawk gnuplot-nox
hapmat=build/hapmat
if [ ! -x "$hapmat" ]; then
  cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build build -j"$(nproc)" --target hapmat
fi

if ((quick)); then
  tag=quick; shape=(--chroms 1 --length 4000000); variant_length=1000000
else
  tag=full; shape=(--chroms 4 --length 8000000); variant_length=8000000
fi
mkdir -p "$data" "$results"
realistic=$data/realistic-$tag.txt
allvariant=$data/allvariant-$tag.txt

# Disk: the matrices (if not cached yet) and two outputs of the largest kind.
need_mb=$(( (quick ? 400 : 3000) + (quick ? 300 : 2000) ))
[ -f "$realistic" ] && [ -f "$allvariant" ] && need_mb=$(( quick ? 300 : 2000 ))
free_mb=$(df -Pm "$data" | awk 'NR==2 {print $4}')
if ((free_mb < need_mb)); then
  echo "bench: needs ${need_mb} MB free in $data (matrices and outputs), has ${free_mb} MB" >&2
  exit 1
fi
[ -f "$realistic" ] || "$hapmat" simulate "${shape[@]}" --header-line --seed 1 -o "$realistic"
[ -f "$allvariant" ] || "$hapmat" simulate --chroms 1 --length "$variant_length" \
  --snp-rate 1 --header-line --seed 2 -o "$allvariant"

work=$(mktemp -d -p "$data")
trap 'rm -rf "$work"' EXIT
threads=$(nproc)
awk_script=bench/baselines/matrix_to_haplotype.awk

# name|command: FILE is the input; a command that writes OUT is timed with
# its output to a file, the others with standard output to /dev/null.
# (Names carry no comma: they go into CSV fields.)
tools=(
  "hapmat -t $threads|$hapmat convert -q -t $threads FILE -o OUT"
  "hapmat -t 1|$hapmat convert -q -t 1 FILE -o OUT"
  "hapmat reference|$hapmat convert -q --engine reference FILE -o OUT"
  "awk (mawk)|LC_ALL=C mawk -f $awk_script FILE > OUT"
  "wc -l|wc -l FILE"
  "cat > /dev/null|cat FILE"
)

# One timed run: prints "seconds peak_kib". The previous output is removed
# and dirty pages flushed first, untimed: replacing a large file makes
# rename() truncate it, which is no part of the next tool's work. Wall time
# comes from bash's microsecond clock (/usr/bin/time rounds to 10 ms), peak
# RSS from /usr/bin/time.
time_one() {
  local cmd=${1//FILE/$2}
  [[ $cmd == *OUT* ]] || cmd="$cmd > /dev/null"
  cmd=${cmd//OUT/$work/out.txt}
  rm -f "$work/out.txt"
  sync
  local start=$EPOCHREALTIME
  /usr/bin/time -f '%M' -o "$work/time" bash -c "$cmd"
  local end=$EPOCHREALTIME
  echo "$(awk -v a="$start" -v b="$end" 'BEGIN {printf "%.4f", b - a}') $(cat "$work/time")"
}

median() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

# The baseline must do the same job: same bytes as hapmat.
check_awk() {
  "$hapmat" convert -q "$1" -o "$work/hapmat.txt"
  LC_ALL=C mawk -f "$awk_script" "$1" > "$work/awk.txt"
  if ! cmp -s "$work/hapmat.txt" "$work/awk.txt"; then
    echo "bench: $awk_script and hapmat disagree on $1" >&2
    exit 1
  fi
  rm -f "$work/hapmat.txt" "$work/awk.txt"
}

csv=$results/results.csv
echo "input,input_bytes,tool,median_seconds,gb_per_s,ratio_to_wc_l,peak_rss_mib,runs" > "$csv"
report=$results/results.md
: > "$report"

for input in "$realistic" "$allvariant"; do
  name=$(basename "$input" .txt)
  bytes=$(stat -c %s "$input")
  check_awk "$input"
  cat "$input" > /dev/null  # into the page cache
  declare -A secs=() rss=()
  for ((r = 0; r < runs; r++)); do
    for entry in "${tools[@]}"; do
      read -r s kib < <(time_one "${entry#*|}" "$input")
      secs[${entry%%|*}]+="$s "
      rss[${entry%%|*}]+="$kib "
    done
  done
  wc_median=$(tr ' ' '\n' <<<"${secs[wc -l]}" | grep . | median)
  {
    echo
    echo "### $name: $(awk -v b="$bytes" 'BEGIN {printf "%.2f GB", b/1e9}'), median of $runs runs"
    echo
    echo "| tool | seconds | GB/s | × wc -l | peak RSS MiB |"
    echo "|---|---:|---:|---:|---:|"
  } >> "$report"
  for entry in "${tools[@]}"; do
    tool=${entry%%|*}
    s=$(tr ' ' '\n' <<<"${secs[$tool]}" | grep . | median)
    k=$(tr ' ' '\n' <<<"${rss[$tool]}" | grep . | sort -n | tail -1)
    awk -v n="$tool" -v s="$s" -v b="$bytes" -v w="$wc_median" -v k="$k" \
      'BEGIN {printf "| %s | %.3f | %.2f | %.2f | %.1f |\n", n, s, b/1e9/s, w/s, k/1024}' >> "$report"
    awk -v i="$name" -v n="$tool" -v s="$s" -v b="$bytes" -v w="$wc_median" -v k="$k" -v r="$runs" \
      'BEGIN {printf "%s,%d,\"%s\",%.3f,%.3f,%.3f,%.1f,%d\n", i, b, n, s, b/1e9/s, w/s, k/1024, r}' >> "$csv"
  done
  unset secs rss
done

# Thread scaling on the realistic matrix: 1 ... nproc threads, alternated.
declare -A scale=()
for ((r = 0; r < runs; r++)); do
  for ((t = 1; t <= threads; t++)); do
    read -r s _ < <(time_one "$hapmat convert -q -t $t FILE -o OUT" "$realistic")
    scale[$t]+="$s "
  done
done
scaling=$results/scaling.csv
echo "threads,median_seconds,gb_per_s,speedup" > "$scaling"
{
  echo
  echo "### Thread scaling, $(basename "$realistic" .txt)"
  echo
  echo "| threads | seconds | GB/s | speed-up |"
  echo "|---:|---:|---:|---:|"
} >> "$report"
one=$(tr ' ' '\n' <<<"${scale[1]}" | grep . | median)
bytes=$(stat -c %s "$realistic")
for ((t = 1; t <= threads; t++)); do
  s=$(tr ' ' '\n' <<<"${scale[$t]}" | grep . | median)
  awk -v t="$t" -v s="$s" -v b="$bytes" -v o="$one" \
    'BEGIN {printf "| %d | %.3f | %.2f | %.2f |\n", t, s, b/1e9/s, o/s}' >> "$report"
  awk -v t="$t" -v s="$s" -v b="$bytes" -v o="$one" \
    'BEGIN {printf "%d,%.3f,%.3f,%.3f\n", t, s, b/1e9/s, o/s}' >> "$scaling"
done

# JSON: the same rows as the CSV, with the machine.
{
  printf '{\n  "machine": {"cpu": "%s", "cores": %d, "hapmat": "%s"},\n' \
    "$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)" "$threads" \
    "$("$hapmat" --version | tr '\n' ';' | sed 's/;$//')"
  echo '  "results": ['
  awk -F, 'NR > 1 {gsub(/"/, "", $3);
    printf "%s    {\"input\": \"%s\", \"input_bytes\": %s, \"tool\": \"%s\", \"median_seconds\": %s, \"gb_per_s\": %s, \"ratio_to_wc_l\": %s, \"peak_rss_mib\": %s, \"runs\": %s}",
      (NR > 2 ? ",\n" : ""), $1, $2, $3, $4, $5, $6, $7, $8}' "$csv"
  printf '\n  ],\n  "scaling": ['
  awk -F, 'NR > 1 {printf "%s{\"threads\": %s, \"median_seconds\": %s, \"gb_per_s\": %s}",
    (NR > 2 ? ", " : ""), $1, $2, $3}' "$scaling"
  printf ']\n}\n'
} > "$results/results.json"

# A bar chart of GB/s: a group of bars per tool, a bar per input.
awk -F, 'NR > 1 {
    gsub(/"/, "", $3)
    if (!($1 in col)) { col[$1] = ++ncol; inputs[ncol] = $1 }
    if (!($3 in row)) { row[$3] = ++nrow; tools[nrow] = $3 }
    v[row[$3], col[$1]] = $5
  }
  END {
    printf "tool"; for (c = 1; c <= ncol; c++) printf "\t%s", inputs[c]; print ""
    for (r = 1; r <= nrow; r++) {
      printf "%s", tools[r]; for (c = 1; c <= ncol; c++) printf "\t%s", v[r, c]; print ""
    }
  }' "$csv" > "$work/chart.tsv"
gnuplot <<GNUPLOT
set terminal pngcairo size 1000,500 font "sans,10"
set output "$results/chart.png"
set title "GB/s of input, median of $runs runs (higher is better)"
set datafile separator "\t"
set style data histogram
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set ylabel "GB/s"
set yrange [0:*]
set grid ytics
set xtics nomirror
set key top center
plot for [c=2:3] "$work/chart.tsv" using c:xtic(1) title columnheader(c)
GNUPLOT

cat "$report"
echo
echo "Written: $report $csv $scaling $results/results.json $results/chart.png"
