#!/usr/bin/env bash
# End-to-end benchmark: hapmat against an awk script doing the same job and
# against the reading-speed limits, on the same files, runs alternated and
# repeated; medians reported as markdown, CSV, JSON and a PNG chart.
#
#   scripts/bench.sh [--quick] [--runs N] [--data DIR] [--out DIR]
#   HAPMAT=path/to/hapmat scripts/bench.sh ...   # another binary than build/hapmat
#   BEFORE=path/to/old/hapmat scripts/bench.sh ... # also time an earlier
#                                                  # binary, alternated in the same run
#
# Matrices come from `hapmat simulate` and are cached in DIR (default
# bench-data/): a realistic one (4 chromosomes x 8 Mb, 31 haplotypes,
# ~2.4 GB; --quick: 1 x 4 Mb, ~300 MB) and an all-variant one (every row
# written). Beside the realistic one are cached a gzip copy (`gzip -6`,
# .txt.gz) and a BGZF copy (`bgzip`, .txt.bgz), timed against
# decompress-only baselines. Dense and wide matrices (every row written; 1000
# haplotypes) are timed with the table and the VCF, to /dev/null and to a
# new file, against `wc -l` and against `cat` writing the same output to a
# new file; then one conversion in parts on this machine against the whole
# run, and a 1 Mb region (-r, found by bisection) against the whole run.
# Then each matrix's stage shares (convert --stats): the busy time of every
# pipeline stage and the Amdahl ceiling. Every tool that writes a file
# writes a new one: its output of the round before is removed first,
# untimed. Results go to --out (default bench-results/).
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
    *) echo "usage: [HAPMAT=path] scripts/bench.sh [--quick] [--runs N] [--data DIR] [--out DIR]" >&2; exit 2 ;;
  esac
  shift
done
((runs >= 1)) || { echo "bench: --runs must be at least 1" >&2; exit 2; }

source scripts/install_deps.sh time mawk gnuplot-nox tabix isal
if [ -n "${HAPMAT:-}" ]; then
  hapmat=$HAPMAT
  [ -x "$hapmat" ] || { echo "bench: HAPMAT=$hapmat is not an executable" >&2; exit 2; }
else
  hapmat=build/hapmat
  if [ ! -x "$hapmat" ]; then
    cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
    cmake --build build -j"$(nproc)" --target hapmat
  fi
fi
if ! grep -q 'vcf' <<<"$("$hapmat" convert --help)"; then
  echo "bench: $hapmat does not know --format vcf: rebuild it, or name another binary with HAPMAT=path" >&2
  exit 2
fi
hq=$(printf '%q' "$hapmat")  # as it goes into the timed commands

if ((quick)); then
  tag=quick; shape=(--chroms 1 --length 4000000); variant_length=1000000
  wide_length=40000
else
  tag=full; shape=(--chroms 4 --length 8000000); variant_length=8000000
  wide_length=300000
fi
mkdir -p "$data" "$results"
realistic=$data/realistic-$tag.txt
allvariant=$data/allvariant-$tag.txt
wide=$data/wide1000-$tag.txt               # 1000 haplotypes, realistic rates
widevariant=$data/wide1000variant-$tag.txt # 1000 haplotypes, every row a site
gzipped=$realistic.gz   # gzip -6: one deflate stream, inflated serially
bgzipped=$realistic.bgz # BGZF: independent 64 KiB blocks, inflated in parallel

# Disk: the files not cached yet, and two outputs of the largest kind
# (hapmat's and the awk baseline's on the all-variant matrix, whose output
# is larger than its input). The compressed copies are ~1/18 of the
# matrix; 1/12 is reserved for each.
if ((quick)); then
  mb_realistic=300; mb_allvariant=80; mb_wide=80; mb_outputs=1500
else
  mb_realistic=2400; mb_allvariant=600; mb_wide=600; mb_outputs=10000
fi
need_mb=$mb_outputs
[ -f "$realistic" ] || need_mb=$((need_mb + mb_realistic))
[ -f "$allvariant" ] || need_mb=$((need_mb + mb_allvariant))
[ -f "$wide" ] || need_mb=$((need_mb + mb_wide))
[ -f "$widevariant" ] || need_mb=$((need_mb + mb_wide))
[ -f "$gzipped" ] || need_mb=$((need_mb + mb_realistic / 12))
[ -f "$bgzipped" ] || need_mb=$((need_mb + mb_realistic / 12))
free_mb=$(df -Pm "$data" | awk 'NR==2 {print $4}')
if ((free_mb < need_mb)); then
  echo "bench: needs ${need_mb} MB free in $data (matrices, compressed copies and outputs), has ${free_mb} MB" >&2
  exit 1
fi
[ -f "$realistic" ] || "$hapmat" simulate "${shape[@]}" --header-line --seed 1 -o "$realistic"
[ -f "$allvariant" ] || "$hapmat" simulate --chroms 1 --length "$variant_length" \
  --snp-rate 1 --header-line --seed 2 -o "$allvariant"
[ -f "$wide" ] || "$hapmat" simulate --chroms 1 --length "$wide_length" \
  --haplotypes 1000 --header-line --seed 3 -o "$wide"
[ -f "$widevariant" ] || "$hapmat" simulate --chroms 1 --length "$wide_length" \
  --haplotypes 1000 --snp-rate 1 --header-line --seed 4 -o "$widevariant"
# Written under a temporary name first, so that an interrupted run caches
# no truncated copy.
if [ ! -f "$gzipped" ]; then
  gzip -6 -c "$realistic" > "$gzipped.part" && mv "$gzipped.part" "$gzipped"
fi
if [ ! -f "$bgzipped" ]; then
  bgzip -@ "$(nproc)" -c "$realistic" > "$bgzipped.part" && mv "$bgzipped.part" "$bgzipped"
fi

work=$(mktemp -d -p "$data")
trap 'rm -rf "$work"' EXIT
threads=$(nproc)
awk_script=bench/baselines/matrix_to_haplotype.awk

# name|command: FILE is the input; a command that writes OUT is timed with
# its output to a file, the others with standard output to /dev/null.
# (Names carry no comma: they go into CSV fields.)
tools=(
  "hapmat -t $threads|$hq convert -q -t $threads FILE -o OUT"
  "hapmat -t 1|$hq convert -q -t 1 FILE -o OUT"
  "hapmat vcf -t $threads|$hq convert -q -t $threads --format vcf FILE -o OUT"
)
# The earlier binary: the same commands, alternated with the others.
if [ -n "${BEFORE:-}" ]; then
  [ -x "$BEFORE" ] || { echo "bench: BEFORE=$BEFORE is not an executable" >&2; exit 2; }
  bq=$(printf '%q' "$BEFORE")
  tools+=(
    "before -t $threads|$bq convert -q -t $threads FILE -o OUT"
    "before -t 1|$bq convert -q -t 1 FILE -o OUT"
    "before vcf -t $threads|$bq convert -q -t $threads --format vcf FILE -o OUT"
  )
fi
tools+=(
  "hapmat reference|$hq convert -q --engine reference FILE -o OUT"
  "awk (mawk)|LC_ALL=C mawk -f $awk_script FILE > OUT"
  "wc -l|wc -l FILE"
  "cat > /dev/null|cat FILE"
)
# Dense and wide matrices: TABLE and VCF stand for this binary's outputs,
# made untimed, for `cat` to write again; FAI for the matrix's .fai (VCF to
# /dev/null, which cannot have its header rewritten, would otherwise hold
# its rows in a spool).
dense_tools=(
  "table > /dev/null|$hq convert -q -t $threads FILE -o /dev/null"
  "table > file|$hq convert -q -t $threads FILE -o OUT"
  "vcf > /dev/null|$hq convert -q -t $threads --format vcf --fai FAI FILE -o /dev/null"
  "vcf > file|$hq convert -q -t $threads --format vcf --fai FAI FILE -o OUT.vcf"
  "table -t 1 > file|$hq convert -q -t 1 FILE -o OUT"
  "vcf -t 1 > file|$hq convert -q -t 1 --format vcf --fai FAI FILE -o OUT.vcf"
)
if [ -n "${BEFORE:-}" ]; then
  dense_tools+=(
    "before table > /dev/null|$bq convert -q -t $threads FILE -o /dev/null"
    "before table > file|$bq convert -q -t $threads FILE -o OUT"
    "before vcf > file|$bq convert -q -t $threads --format vcf --fai FAI FILE -o OUT.vcf"
    "before table -t 1 > file|$bq convert -q -t 1 FILE -o OUT"
    "before vcf -t 1 > file|$bq convert -q -t 1 --format vcf --fai FAI FILE -o OUT.vcf"
  )
fi
dense_tools+=(
  "wc -l|wc -l FILE"
  "cat table > file|cat TABLE > OUT"
  "cat vcf > file|cat VCF > OUT"
)
# On the compressed copies: hapmat and the decompress-only baselines.
gzip_tools=(
  "hapmat -t $threads|$hq convert -q -t $threads FILE -o OUT"
  "hapmat -t 1|$hq convert -q -t 1 FILE -o OUT"
  "zcat > /dev/null|zcat FILE"
)
gzip_baselines=("zcat > /dev/null")
if command -v igzip > /dev/null; then
  gzip_tools+=("igzip -d > /dev/null|igzip -d -c FILE")
  gzip_baselines+=("igzip -d > /dev/null")
fi
bgzf_tools=(
  "hapmat -t $threads|$hq convert -q -t $threads FILE -o OUT"
  "hapmat -t 1|$hq convert -q -t 1 FILE -o OUT"
  "bgzip -d -@ $threads > /dev/null|bgzip -d -@ $threads -c FILE"
)
bgzf_baselines=("bgzip -d -@ $threads > /dev/null")

# One timed run of tool number $3: prints "seconds peak_kib". Each tool
# writes its own OUT, a new file: the same tool's output of the round
# before is removed and dirty pages are flushed first, untimed. (Replacing
# a file also pays for freeing the old one's pages and meets their
# writeback, which costs a tool by its output's size and the writeback's
# state: docs/BENCHMARKS.md (h).) Wall time comes from bash's microsecond
# clock (/usr/bin/time rounds to 10 ms), peak RSS from /usr/bin/time.
time_one() {
  local cmd=${1//FILE/$(printf '%q' "$2")}
  [[ $cmd == *OUT* || $cmd == *"-o /dev/null"* ]] || cmd="$cmd > /dev/null"
  cmd=${cmd//OUT/$work/out.$3}
  cmd=${cmd//TABLE/$work/made.table}
  cmd=${cmd//VCF/$work/made.vcf}
  cmd=${cmd//FAI/$work/made.fai}
  cmd=${cmd//UBCF/$work/made.ubcf}
  rm -rf "$work/out.$3" "$work/out.$3".*  # a VCF Zarr store is a folder
  sync
  local start=$EPOCHREALTIME
  if ! /usr/bin/time -f '%M' -o "$work/time" bash -c "$cmd"; then
    echo "bench: this command failed (the run stops here): $cmd" >&2
    exit 1
  fi
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

# A compressed copy must convert to the same bytes as the plain text.
check_compressed() {
  "$hapmat" convert -q "$1" -o "$work/compressed.txt"
  "$hapmat" convert -q "$2" -o "$work/plain.txt"
  if ! cmp -s "$work/compressed.txt" "$work/plain.txt"; then
    echo "bench: hapmat converts $1 and $2 differently" >&2
    exit 1
  fi
  rm -f "$work/compressed.txt" "$work/plain.txt"
}

csv=$results/results.csv
# input_bytes is the uncompressed size (what gb_per_s divides), file_bytes
# the size on disk; ratio_to_wc_l is for plain inputs, ratio_to_decompress
# (to the fastest decompress-only baseline) for compressed ones.
echo "input,input_bytes,tool,median_seconds,gb_per_s,ratio_to_wc_l,peak_rss_mib,runs,compression,file_bytes,ratio_to_decompress" > "$csv"
report=$results/results.md
: > "$report"
declare -A plain_median=()  # "input|tool" -> median seconds, for the notes
declare -A all_median=()    # the same for every table, for the goals

# bench_table NAME FILE BYTES COMPRESSION TITLE -- TOOL_ENTRIES... -- BASELINE_NAMES...
# Times the tools on FILE, alternated, $runs rounds; appends a markdown
# table and CSV rows. BYTES is the uncompressed size; the ratio column is
# throughput relative to the fastest of the baselines.
bench_table() {
  local name=$1 input=$2 bytes=$3 compression=$4 title=$5
  shift 6
  local -a entries=() baselines=()
  while [ "$1" != -- ]; do entries+=("$1"); shift; done
  shift
  baselines=("$@")
  local file_bytes ratio_head entry tool s kib k base=""
  file_bytes=$(stat -c %s "$input")
  cat "$input" > /dev/null  # into the page cache
  local -A secs=() rss=() med=()
  local i
  # A round untimed first: the binaries' pages and the input cached.
  for ((r = -1; r < runs; r++)); do
    for i in "${!entries[@]}"; do
      entry=${entries[$i]}
      read -r s kib < <(time_one "${entry#*|}" "$input" "$i")
      ((r >= 0)) || continue
      secs[${entry%%|*}]+="$s "
      rss[${entry%%|*}]+="$kib "
    done
  done
  rm -rf "$work"/out.*  # a VCF Zarr store is a folder
  for entry in "${entries[@]}"; do
    tool=${entry%%|*}
    med[$tool]=$(tr ' ' '\n' <<<"${secs[$tool]}" | grep . | median)
  done
  for tool in "${baselines[@]}"; do
    if [ -z "$base" ] || awk -v a="${med[$tool]}" -v b="$base" 'BEGIN {exit !(a < b)}'; then
      base=${med[$tool]}
    fi
  done
  case $compression in
    none) ratio_head="× wc -l" ;;
    parts) ratio_head="× whole" ;;
    gaps) ratio_head="× gaps star" ;;
    bcf) ratio_head="× VCF into bcftools -Ob" ;;
    *) ratio_head="× decompress" ;;
  esac
  {
    echo
    echo "### $title, median of $runs runs"
    echo
    echo "| tool | seconds | GB/s | $ratio_head | peak RSS MiB |"
    echo "|---|---:|---:|---:|---:|"
  } >> "$report"
  for entry in "${entries[@]}"; do
    tool=${entry%%|*}
    s=${med[$tool]}
    [ "$compression" = none ] && plain_median[$name|$tool]=$s
    all_median[$name|$tool]=$s
    k=$(tr ' ' '\n' <<<"${rss[$tool]}" | grep . | sort -n | tail -1)
    awk -v n="$tool" -v s="$s" -v b="$bytes" -v w="$base" -v k="$k" \
      'BEGIN {printf "| %s | %.3f | %.2f | %.2f | %.1f |\n", n, s, b/1e9/s, w/s, k/1024}' >> "$report"
    awk -v i="$name" -v n="$tool" -v s="$s" -v b="$bytes" -v w="$base" -v k="$k" -v r="$runs" \
      -v c="$compression" -v f="$file_bytes" \
      'BEGIN {ratio = sprintf("%.3f", w/s)
              printf "%s,%d,\"%s\",%.3f,%.3f,%s,%.1f,%d,%s,%d,%s\n", i, b, n, s, b/1e9/s,
                (c == "none" ? ratio : ""), k/1024, r, c, f, (c == "none" ? "" : ratio)}' >> "$csv"
  done
}

gb() { awk -v b="$1" 'BEGIN {printf "%.2f GB", b/1e9}'; }
mb() { awk -v b="$1" 'BEGIN {printf "%.1f MB", b/1e6}'; }

for input in "$realistic" "$allvariant"; do
  name=$(basename "$input" .txt)
  bytes=$(stat -c %s "$input")
  check_awk "$input"
  bench_table "$name" "$input" "$bytes" none "$name: $(gb "$bytes")" \
    -- "${tools[@]}" -- "wc -l"
done

# A samtools-style .fai of a matrix with a header line: each CHROM and its
# largest POS.
write_fai() {
  awk 'NR > 1 { if (!($1 in max)) order[++n] = $1; if ($2 + 0 > max[$1]) max[$1] = $2 + 0 }
       END { for (i = 1; i <= n; i++) printf "%s\t%d\n", order[i], max[order[i]] }' \
    "$1" > "$2"
}

# Dense and wide matrices: every row written, or 1000 haplotypes.
declare -A dense_bytes=()  # "input|table" and "input|vcf" -> output bytes
for input in "$allvariant" "$wide" "$widevariant"; do
  name=$(basename "$input" .txt)
  bytes=$(stat -c %s "$input")
  write_fai "$input" "$work/made.fai"
  "$hapmat" convert -q -t "$threads" "$input" -o "$work/made.table"
  "$hapmat" convert -q -t "$threads" --format vcf --fai "$work/made.fai" "$input" \
    -o "$work/made.vcf"
  dense_bytes[$name|table]=$(stat -c %s "$work/made.table")
  dense_bytes[$name|vcf]=$(stat -c %s "$work/made.vcf")
  bench_table "$name.dense" "$input" "$bytes" none \
    "$name: $(gb "$bytes"), table $(mb "${dense_bytes[$name|table]}"), VCF $(mb "${dense_bytes[$name|vcf]}")" \
    -- "${dense_tools[@]}" -- "wc -l"
  rm -f "$work"/made.*
done

rname=$(basename "$realistic" .txt)
rbytes=$(stat -c %s "$realistic")
check_compressed "$gzipped" "$realistic"
bench_table "$rname.gz" "$gzipped" "$rbytes" gzip \
  "$rname.txt.gz (gzip -6, $(mb "$(stat -c %s "$gzipped")")): GB/s of the uncompressed $(gb "$rbytes")" \
  -- "${gzip_tools[@]}" -- "${gzip_baselines[@]}"
check_compressed "$bgzipped" "$realistic"
bench_table "$rname.bgz" "$bgzipped" "$rbytes" bgzf \
  "$rname.txt.bgz (BGZF, bgzip, $(mb "$(stat -c %s "$bgzipped")")): GB/s of the uncompressed $(gb "$rbytes")" \
  -- "${bgzf_tools[@]}" -- "${bgzf_baselines[@]}"
{
  echo
  awk -v n="$rname" -v t="$threads" -v a="${plain_median[$rname|hapmat -t $threads]}" \
    -v b="${plain_median[$rname|hapmat -t 1]}" -v c="$rbytes" \
    'BEGIN {printf "For reference, hapmat on the plain text of the same matrix (%s table, an earlier phase): -t %d %.3f s (%.2f GB/s), -t 1 %.3f s (%.2f GB/s).\n", n, t, a, c/1e9/a, b, c/1e9/b}'
} >> "$report"

# One conversion in parts on this machine, one part after another, then
# joined: against the whole run (docs/CLUSTER.md).
nparts=4
parts_tools=(
  "whole|$hq convert -q -t $threads FILE -o OUT"
  "$nparts parts + concat|for k in \$(seq 1 $nparts); do $hq convert -q -t $threads --part \$k/$nparts FILE -o OUT.part\$k || exit 1; done && $hq concat -q -o OUT OUT.part*[0-9]"
)
bench_table "$rname.parts" "$realistic" "$rbytes" parts \
  "$rname.txt in $nparts parts on one machine" -- "${parts_tools[@]}" -- "whole"
bench_table "$rname.bgz.parts" "$bgzipped" "$rbytes" parts \
  "$rname.txt.bgz in $nparts parts on one machine" -- "${parts_tools[@]}" -- "whole"

# A 1 Mb region (-r) against the whole run, plain and BGZF: the region's
# bytes are found by bisection, so it should cost a few percent of the whole.
region=1:2000001-3000000
region_tools=(
  "whole|$hq convert -q -t $threads --format vcf FILE -o OUT"
  "-r $region|$hq convert -q -t $threads --format vcf -r $region FILE -o OUT"
)
bench_table "$rname.region" "$realistic" "$rbytes" parts \
  "$rname.txt: a 1 Mb region (VCF) against the whole run" -- "${region_tools[@]}" -- "whole"
bench_table "$rname.bgz.region" "$bgzipped" "$rbytes" parts \
  "$rname.txt.bgz: a 1 Mb region (VCF) against the whole run" -- "${region_tools[@]}" -- "whole"

# VCF Zarr against BGZF VCF, the same records (the goal: the store at least
# 0.5 x VCF.gz's speed, peak RSS at most 64 MiB); then the store's size and
# file count beside the VCF.gz's size.
vcz_tools=(
  "vcf.gz|$hq convert -q -t $threads --format vcf FILE -o OUT.vcf.gz"
  "vcz|$hq convert -q -t $threads --format vcz FILE -o OUT.vcz"
)
bench_table "$rname.vcz" "$realistic" "$rbytes" parts \
  "$rname.txt: VCF Zarr against VCF.gz (× VCF.gz's speed)" -- "${vcz_tools[@]}" -- "vcf.gz"
"$hapmat" convert -q -t "$threads" --format vcz "$realistic" -o "$work/made.vcz"
"$hapmat" convert -q -t "$threads" --format vcf "$realistic" -o "$work/made.vcf.gz"
{
  echo
  echo "The store: $(du -sb "$work/made.vcz" | cut -f1) bytes in $(find "$work/made.vcz" -type f | wc -l) files (du -sb, find -type f); the VCF.gz: $(stat -c %s "$work/made.vcf.gz") bytes."
} >> "$report"
rm -rf "$work/made.vcz" "$work/made.vcf.gz"

# BCF and compression levels: hapmat straight to BCF against its VCF piped
# into bcftools, and against bgzip of the same uncompressed BCF (made
# untimed: what compression alone costs); VCF.gz at -l 1 against the
# default level (6).
"$hq" convert -q -t "$threads" --format ubcf "$realistic" > "$work/made.ubcf"
bcf_tools=(
  "bcf|$hq convert -q -t $threads --format bcf FILE -o OUT"
  "vcf into bcftools view -Ob|$hq convert -q -t $threads --format vcf FILE | bcftools view --threads $threads -Ob -o OUT"
  "bgzip -@ $threads of the ubcf|bgzip -@ $threads -c UBCF > OUT"
  "ubcf|$hq convert -q -t $threads --format ubcf FILE -o OUT"
  "bcf -l 1|$hq convert -q -t $threads --format bcf -l 1 FILE -o OUT"
  "vcf|$hq convert -q -t $threads --format vcf FILE -o OUT"
  "vcf.gz|$hq convert -q -t $threads --format vcf FILE -o OUT.vcf.gz"
  "vcf.gz -l 1|$hq convert -q -t $threads --format vcf -l 1 FILE -o OUT.vcf.gz"
  "vcf.gz -l 0|$hq convert -q -t $threads --format vcf -l 0 FILE -o OUT.vcf.gz"
)
bench_table "$rname.bcf" "$realistic" "$rbytes" bcf \
  "$rname.txt to BCF and VCF.gz by level (uncompressed BCF $(mb "$(stat -c %s "$work/made.ubcf")"))" \
  -- "${bcf_tools[@]}" -- "vcf into bcftools view -Ob"
rm -f "$work/made.ubcf"

# VCF deletions (--gaps deletions, the default: gap runs as anchored,
# left-aligned deletion records) against the per-position `*` records of
# --gaps star, the same matrix. With BEFORE, also the earlier binary's VCF
# (its default), in the same rounds; the goal, with BEFORE the release 0.1.0
# binary (a77a8db, whose VCF wrote `*` records and whose speed it was set
# against): at most 1.15 x its time.
gaps_tools=(
  "gaps star|$hq convert -q -t $threads --format vcf --gaps star FILE -o OUT.vcf"
  "gaps deletions|$hq convert -q -t $threads --format vcf --gaps deletions FILE -o OUT.vcf"
)
if [ -n "${BEFORE:-}" ]; then
  gaps_tools+=("before vcf|$bq convert -q -t $threads --format vcf FILE -o OUT.vcf")
fi
bench_table "$rname.gaps" "$realistic" "$rbytes" gaps \
  "$rname.txt: VCF deletions against per-position * records" -- "${gaps_tools[@]}" -- "gaps star"

# The goals of the dense-matrix work, as ratios within this run: speed
# relative to a limit measured in the same phase (above 1: faster).
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
{
  echo
  echo "### Goals, from the medians above"
  echo
  echo "| what | ratio | goal |"
  echo "|---|---:|---:|"
  av=$(basename "$allvariant" .txt).dense
  for input in "$av" "$(basename "$wide" .txt).dense" "$(basename "$widevariant" .txt).dense"; do
    n=${input%.dense}
    echo "| $n: table to /dev/null × wc -l | $(ratio "${all_median[$input|wc -l]}" "${all_median[$input|table > /dev/null]}") | $([ "$input" = "$av" ] && echo 0.5) |"
    echo "| $n: VCF to /dev/null × wc -l | $(ratio "${all_median[$input|wc -l]}" "${all_median[$input|vcf > /dev/null]}") | $([ "$input" = "$av" ] && echo 0.4) |"
    echo "| $n: table to a file × cat of it to a file | $(ratio "${all_median[$input|cat table > file]}" "${all_median[$input|table > file]}") | $([ "$input" = "$av" ] && echo 0.8) |"
    echo "| $n: VCF to a file × cat of it to a file | $(ratio "${all_median[$input|cat vcf > file]}" "${all_median[$input|vcf > file]}") | |"
  done
  echo "| $rname: table to a file × wc -l | $(ratio "${all_median[$rname|wc -l]}" "${all_median[$rname|hapmat -t $threads]}") | 0.8 |"
  for input in "$rname.region" "$rname.bgz.region"; do
    echo "| $input: 1 Mb region (-r) × whole run, time | $(ratio "${all_median[$input|-r $region]}" "${all_median[$input|whole]}") | ≤ 0.05 |"
  done
  b=$rname.bcf
  echo "| $b: BCF × VCF into bcftools view -Ob | $(ratio "${all_median[$b|vcf into bcftools view -Ob]}" "${all_median[$b|bcf]}") | ≥ 2 |"
  echo "| $b: BCF × bgzip -@ $threads of the same uncompressed BCF | $(ratio "${all_median[$b|bgzip -@ $threads of the ubcf]}" "${all_median[$b|bcf]}") | ≥ 0.8 |"
  echo "| $b: VCF.gz -l 1 × VCF.gz at the default level | $(ratio "${all_median[$b|vcf.gz]}" "${all_median[$b|vcf.gz -l 1]}") | ≥ 3 |"
  echo "| $b: VCF.gz -l 0 (stored, no compression) × the default level: the most any level 1 could reach | $(ratio "${all_median[$b|vcf.gz]}" "${all_median[$b|vcf.gz -l 0]}") | |"
  echo "| $b: peak RSS of bcf (MiB, table above) | | ≤ 64 |"
  g=$rname.gaps
  echo "| $g: --gaps deletions time × --gaps star time | $(ratio "${all_median[$g|gaps deletions]}" "${all_median[$g|gaps star]}") | |"
  if [ -n "${BEFORE:-}" ]; then
    echo "| $g: --gaps deletions time × the earlier binary's VCF time | $(ratio "${all_median[$g|gaps deletions]}" "${all_median[$g|before vcf]}") | ≤ 1.15 (earlier: release 0.1.0) |"
  fi
  if [ -n "${BEFORE:-}" ]; then
    for key in "${!all_median[@]}"; do
      [[ $key == *"|before "* ]] || continue
      now=${key/|before /|}
      [ -n "${all_median[$now]:-}" ] || continue
      echo "| ${key%%|*}: ${now#*|} × the earlier binary | $(ratio "${all_median[$key]}" "${all_median[$now]}") | 1 |"
    done | sort
  fi
} >> "$report"

# Where each run's time goes (convert --stats, one run each, on $threads
# threads): every stage's share of the busy time, and the Amdahl ceiling,
# 1 / (the serial stages' share), the speed-up no core count passes. The
# goal: the serial stages other than write at most 3 % on the realistic
# matrix (the lead checks it on 2 threads).
stage_shares() {
  local title=$1 input=$2
  "$hapmat" convert -q -t "$threads" --stats "$work/stats.json" "$input" \
    -o "$work/out.stages"
  python3 - "$title" "$work/stats.json" >> "$report" <<'PY'
import json, sys
title, path = sys.argv[1:]
s = json.load(open(path))
busy = sum(x["busy_s"] for x in s["stages"]) or 1e-12
serial = sum(x["busy_s"] for x in s["stages"] if x["serial"])
before_write = sum(x["busy_s"] for x in s["stages"]
                   if x["serial"] and x["name"] != "write")
print(f"\n#### {title}: {s['wall_s']:.3f} s on {s['threads']} threads, "
      f"{s['bytes_in'] / 1e9:.2f} GB in, {s['bytes_out'] / 1e9:.2f} GB out\n")
print("| stage | serial | busy s | share | chunks |")
print("|---|---|---:|---:|---:|")
for x in s["stages"]:
    print(f"| {x['name']} | {'yes' if x['serial'] else ''} | "
          f"{x['busy_s']:.3f} | {100 * x['busy_s'] / busy:.1f} % | {x['items']} |")
ceiling = busy / serial if serial > 0 else float("inf")
print(f"\nSerial: {100 * serial / busy:.1f} % of the busy time "
      f"(without write {100 * before_write / busy:.2f} %): Amdahl ceiling "
      f"{ceiling:.1f}x.")
PY
  rm -f "$work/stats.json" "$work/out.stages"
}
{
  echo
  echo "### Stage shares (convert --stats, one run each, -t $threads)"
} >> "$report"
for input in "$realistic" "$allvariant" "$wide" "$widevariant" "$gzipped" "$bgzipped"; do
  stage_shares "$(basename "$input")" "$input"
done

# Thread scaling on the realistic matrix: 1 ... nproc threads, alternated.
declare -A scale=()
for ((r = 0; r < runs; r++)); do
  for ((t = 1; t <= threads; t++)); do
    read -r s _ < <(time_one "$hq convert -q -t $t FILE -o OUT" "$realistic" "$t")
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

# JSON: the same rows as the CSV (empty fields as null), with the machine.
{
  printf '{\n  "machine": {"cpu": "%s", "cores": %d, "hapmat": "%s"},\n' \
    "$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)" "$threads" \
    "$("$hapmat" --version | tr '\n' ';' | sed 's/;$//')"
  echo '  "results": ['
  awk -F, 'function num(x) { return x == "" ? "null" : x }
    NR > 1 {gsub(/"/, "", $3);
    printf "%s    {\"input\": \"%s\", \"input_bytes\": %s, \"tool\": \"%s\", \"median_seconds\": %s, \"gb_per_s\": %s, \"ratio_to_wc_l\": %s, \"peak_rss_mib\": %s, \"runs\": %s, \"compression\": \"%s\", \"file_bytes\": %s, \"ratio_to_decompress\": %s}",
      (NR > 2 ? ",\n" : ""), $1, $2, $3, $4, $5, num($6), $7, $8, $9, $10, num($11)}' "$csv"
  printf '\n  ],\n  "scaling": ['
  awk -F, 'NR > 1 {printf "%s{\"threads\": %s, \"median_seconds\": %s, \"gb_per_s\": %s}",
    (NR > 2 ? ", " : ""), $1, $2, $3}' "$scaling"
  printf ']\n}\n'
} > "$results/results.json"

# A bar chart of GB/s (of uncompressed input): a group of bars per input,
# a bar per tool; a tool not run on an input leaves its slot empty.
awk -F, 'NR > 1 {
    gsub(/"/, "", $3)
    if (!($1 in row)) { row[$1] = ++nrow; inputs[nrow] = $1 }
    if (!($3 in col)) { col[$3] = ++ncol; tools[ncol] = $3 }
    v[row[$1], col[$3]] = $5
  }
  END {
    printf "input"; for (c = 1; c <= ncol; c++) printf "\t%s", tools[c]; print ""
    for (r = 1; r <= nrow; r++) {
      printf "%s", inputs[r]
      for (c = 1; c <= ncol; c++) printf "\t%s", ((r, c) in v ? v[r, c] : "NaN")
      print ""
    }
  }' "$csv" > "$work/chart.tsv"
ncols=$(head -1 "$work/chart.tsv" | awk -F'\t' '{print NF}')
gnuplot <<GNUPLOT
set terminal pngcairo noenhanced size 1200,550 font "sans,10"
set output "$results/chart.png"
set title "GB/s of (uncompressed) input, median of $runs runs (higher is better)"
set datafile separator "\t"
set datafile missing "NaN"
set style data histogram
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set ylabel "GB/s"
set yrange [0:*]
set grid ytics
set xtics nomirror
set key outside right top vertical
# gnuplot's default colours repeat after 8 linetypes: more, for up to 14 tools.
set linetype 9 lc rgb "#8c564b"
set linetype 10 lc rgb "#17becf"
set linetype 11 lc rgb "#bcbd22"
set linetype 12 lc rgb "#7f7f7f"
set linetype 13 lc rgb "#ff9896"
set linetype 14 lc rgb "#393b79"
plot for [c=2:$ncols] "$work/chart.tsv" using c:xtic(1) title columnheader(c)
GNUPLOT

cat "$report"
echo
echo "Written: $report $csv $scaling $results/results.json $results/chart.png"
