#!/usr/bin/env bash
# phase-Extender takes hapmat's --format phase-extender table as its haplotype
# reference panel (--refHap). The panel is built over the positions of
# phase-Extender's own test input (chromosome 2), from haplotypes that follow
# the sample of interest's alleles, so it carries linkage. With it,
# --useSample refHap and --useSample all exit 0, and the LOD scores
# (--writeLOD yes) differ from runs without the panel, without its samples
# or with its samples but no rows: the panel's haplotypes were used. A panel sample named
# like an input sample crashes phase-Extender; naming it with --pairs runs.
# The 2018 phase-Extender's layout (the haplotype table, tab-separated) is
# checked byte for byte against the same panel.
#
# phase-Extender is third-party code kept beside the repository, in
# ../shared/clients/phase-extender; a clone without it skips this test.
#
# Usage: phase_extender.sh HAPMAT_EXE WORKDIR
set -euo pipefail
source "$(dirname "$0")/lib.sh"
clients_init phase_extender "$@"

repo=$(cd "$(dirname "$0")/../.." && pwd)
pe=${PHASE_EXTENDER_DIR:-$repo/../shared/clients/phase-extender}
# A git worktree of the repository lives elsewhere: look beside the main one.
if [ ! -d "$pe" ] && [ -z "${PHASE_EXTENDER_DIR:-}" ]; then
  common=$(git -C "$repo" rev-parse --path-format=absolute --git-common-dir 2> /dev/null || true)
  [ -z "$common" ] || pe=$(dirname "$(dirname "$common")")/shared/clients/phase-extender
fi
[ -d "$pe/phase_extender" ] \
  || skip "phase-Extender is not at $pe (it is kept beside the repository, in ../shared)"
input=$pe/inputs/haplotype_file_test02.txt
[ -s "$input" ] || fail "phase-Extender's test input $input is missing"
python=${PHASE_EXTENDER_PYTHON:-/usr/bin/python3}
"$python" -c 'import pandas, numpy, matplotlib, seaborn' 2> /dev/null \
  || fail "$python lacks phase-Extender's modules: apt-get install python3-pandas python3-numpy python3-matplotlib python3-seaborn (scripts/test.sh does)"
soi=ms02g

# Runs phase-Extender on its test input into OUTDIR; extra options follow.
phase_extender() {
  local outdir=$1
  shift
  # matplotlib wants a writable config folder; phase-Extender's folder is
  # someone else's: no bytecode written there.
  MPLCONFIGDIR=$work/mpl PYTHONDONTWRITEBYTECODE=1 PYTHONPATH=$pe "$python" -m phase_extender --input "$input" \
    --SOI "$soi" --writeLOD yes --output "$outdir" "$@" > "$outdir.log" 2> "$outdir.err"
}

# Runs phase-Extender and fails unless it exits 0 and writes its result.
phase_extender_ok() {
  local outdir=$1
  phase_extender "$@" || fail "phase-Extender ${*:2} exited non-zero: $(tail -5 "$outdir.err")"
  [ -s "$outdir/extended_haplotype_$soi.txt" ] \
    || fail "phase-Extender ${*:2} wrote no $outdir/extended_haplotype_$soi.txt"
}

# The log2odds column of the chromosome 2 rows of a result.
chr2_lods() {
  awk -F'\t' 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "log2odds") c = i; next }
              $1 == 2 { print $2, $c }' "$1/extended_haplotype_$soi.txt"
}

# A genome matrix over the input's chromosome 2 positions. Its assemblies
# follow the sample of interest's two alleles (asm1 as written, asm2
# swapped), one mixes them with other alleles of the row and N, so the panel
# links the sample's read-back-phased blocks. Where the sample has no call,
# the haplotypes are REF.
awk -F'\t' -v soi="$soi" '
  NR == 1 {
    for (i = 1; i <= NF; i++) if ($i == soi ":PG_al") g = i
    if (!g) exit 1
    print "CHROM POS REF asm1a asm1b asm2a asm2b asm3a asm3b"
    next
  }
  $1 != 2 { next }
  {
    n = split($4, alleles, ",")
    if ($g == ".") { left = $3; right = $3 } else { split($g, h, "|"); left = h[1]; right = h[2] }
    print $1, $2, $3, left, right, right, left, (NR % 7 ? left : "N"), alleles[NR % n + 1]
  }' "$input" > "$work/panel_matrix.txt" || fail "no $soi:PG_al column in $input"

hapmat_convert --format phase-extender "$work/panel_matrix.txt" -o "$work/panel.tsv"
tab=$'\t'
expected_header="CHROM${tab}POS${tab}REF${tab}ALT${tab}asm1:PI${tab}asm1:PG_al${tab}asm2:PI${tab}asm2:PG_al${tab}asm3:PI${tab}asm3:PG_al"
[ "$(head -1 "$work/panel.tsv")" = "$expected_header" ] \
  || fail "panel header: $(head -1 "$work/panel.tsv")"
# Input row 3 (2 180303 TATCTGG, alleles TATCTGG,T; ms02g has no call): asm1
# and asm2 are REF, asm3a too (row 3 is not a multiple of 7), asm3b takes the
# row's allele 3 % 2 + 1 = T; row 2 (all A) has no ALT and is not written.
expected_row="2${tab}180303${tab}TATCTGG${tab}T${tab}2${tab}TATCTGG|TATCTGG${tab}2${tab}TATCTGG|TATCTGG${tab}2${tab}TATCTGG|T"
[ "$(sed -n 2p "$work/panel.tsv")" = "$expected_row" ] \
  || fail "first panel row: $(sed -n 2p "$work/panel.tsv") (expected: $expected_row)"
rows=$(($(wc -l < "$work/panel.tsv") - 1))
((rows > 100)) || fail "only $rows panel rows"

# Controls: no panel; the panel without its samples (--useSample input); a
# panel of the same samples without rows (its samples carry nothing).
head -1 "$work/panel.tsv" > "$work/empty.tsv"
phase_extender_ok "$work/no-panel" --useSample input
phase_extender_ok "$work/input" --refHap "$work/panel.tsv" --useSample input
phase_extender_ok "$work/empty" --refHap "$work/empty.tsv" --useSample refHap
phase_extender_ok "$work/refHap" --refHap "$work/panel.tsv" --useSample refHap
phase_extender_ok "$work/all" --refHap "$work/panel.tsv" --useSample all
for run in no-panel input empty refHap all; do
  chr2_lods "$work/$run" > "$work/$run.lods"
  [ -s "$work/$run.lods" ] || fail "no chromosome 2 rows in phase-Extender's $run result"
done
# The LOD scores differ from every control run's: the panel's haplotypes
# took part.
for pair in refHap:no-panel refHap:empty all:no-panel all:input; do
  run=${pair%%:*}
  control=${pair#*:}
  ! cmp -s "$work/$run.lods" "$work/$control.lods" \
    || fail "--useSample $run gives the LOD scores of the $control run: the panel's samples were not used"
done

# A panel sample named like an input sample (ms01e) crashes phase-Extender;
# --pairs gives it another name.
sed '1s/asm1a asm1b/ms01ea ms01eb/' "$work/panel_matrix.txt" > "$work/clash_matrix.txt"
hapmat_convert --format phase-extender "$work/clash_matrix.txt" -o "$work/clash.tsv"
head -1 "$work/clash.tsv" | contains "${tab}ms01e:PI${tab}" || fail "the clash panel has no ms01e sample"
if phase_extender "$work/clash" --refHap "$work/clash.tsv" --useSample refHap; then
  fail "phase-Extender ran with a panel sample named like an input sample: the docs say it crashes"
fi
grep -q "KeyError: 'ms01e:P" "$work/clash.err" \
  || fail "phase-Extender failed on the clashing panel for another reason: $(tail -3 "$work/clash.err")"
printf 'ms01e-asm ms01ea ms01eb\nasm2 asm2a asm2b\nasm3 asm3a asm3b\n' > "$work/clash.pairs"
hapmat_convert --format phase-extender --pairs "$work/clash.pairs" "$work/clash_matrix.txt" \
  -o "$work/renamed.tsv"
phase_extender_ok "$work/renamed" --refHap "$work/renamed.tsv" --useSample refHap
chr2_lods "$work/renamed" > "$work/renamed.lods"
cmp -s "$work/renamed.lods" "$work/refHap.lods" \
  || fail "the panel renamed with --pairs gives other LOD scores than the same panel named asm1"

# The 2018 layout: the haplotype table, tab-separated. Its header names
# (auto pairs: the two columns concatenated), and the same rows as the panel.
hapmat_convert --out-delimiter tab "$work/panel_matrix.txt" -o "$work/panel_2018.tsv"
expected_header="contig${tab}pos${tab}ref${tab}alt${tab}asm1aasm1b_PI${tab}asm1aasm1b_PG_al${tab}asm2aasm2b_PI${tab}asm2aasm2b_PG_al${tab}asm3aasm3b_PI${tab}asm3aasm3b_PG_al"
[ "$(head -1 "$work/panel_2018.tsv")" = "$expected_header" ] \
  || fail "2018 layout header: $(head -1 "$work/panel_2018.tsv")"
cmp -s <(tail -n +2 "$work/panel_2018.tsv") <(tail -n +2 "$work/panel.tsv") \
  || fail "the 2018 layout's rows differ from the panel's"
hapmat_convert --out-delimiter tab --pairs "$work/clash.pairs" "$work/clash_matrix.txt" \
  -o "$work/renamed_2018.tsv"
[ "$(head -1 "$work/renamed_2018.tsv")" = "contig${tab}pos${tab}ref${tab}alt${tab}ms01e-asm_PI${tab}ms01e-asm_PG_al${tab}asm2_PI${tab}asm2_PG_al${tab}asm3_PI${tab}asm3_PG_al" ] \
  || fail "2018 layout header with --pairs: $(head -1 "$work/renamed_2018.tsv")"

pass "phase-Extender runs --useSample refHap and all with a hapmat panel of $rows rows, whose samples change the LOD scores; a clashing sample name crashes it and --pairs avoids it; the 2018 layout has the same rows"
