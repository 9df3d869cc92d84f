#!/usr/bin/env bash
# VCF deletions (docs/FORMAT.md §5, "Deletions"), checked with bcftools on
# simulated matrices with runs of gaps (several lengths, overlapping between
# haplotypes, at a CHROM's start and end, in repeats, longer than a block)
# and on hand-written ones:
#   - `bcftools consensus -H 1|2` of every haplotype, on a FASTA written from
#     the REF column, equals its matrix column without the gaps;
#   - `bcftools norm -f` realigns no record;
#   - no record has `*` as its only ALT, and `bcftools stats` counts the
#     deletions as indels;
#   - both engines, threads and block sizes that cut deletions give the
#     same bytes;
#   - with --haploid, `bcftools consensus -H 1` of every column.
#
# Usage: vcf_deletions_test.sh HAPMAT_EXE WORKDIR
set -euo pipefail
source "$(dirname "$0")/shell_test_start.sh" vcf_deletions "$@"

# The REF column of a matrix (header line, positions from 1) as FASTA.
write_fasta() {
  awk 'NR > 1 && NF {
         if ($1 != chrom) { if (chrom != "") print ""; print ">" $1; chrom = $1 }
         printf "%s", toupper($3)
       }
       END { print "" }' "$1" > "$2"
}

# Haplotype COLUMN's sequence of CHROM: its alleles upper-cased, gaps
# removed; with MISSING=ref an N is REF's base. Then a tab and the same
# with every N as REF's base: VCF has no record at a row of only REF and N,
# and consensus keeps REF for a missing genotype, so it may write either
# for an N with MISSING=dot (an N inside a deletion's allele is an N).
column_sequence() {
  awk -v chrom="$2" -v column="$3" -v missing="$4" '
    NR == 1 { for (i = 4; i <= NF; i++) if ($i == column) c = i; next }
    $1 == chrom {
      a = toupper($c)
      if (a == "-" || a == "*") next
      if (a == "N" && missing == "ref") a = toupper($3)
      seq = seq a
      filled = filled (a == "N" ? toupper($3) : a)
    }
    END { print seq "\t" filled }' "$1"
}

# Whether consensus GOT matches WANT (column_sequence's two strings).
matches() {
  awk -v got="$1" -v want="$2" -v filled="$3" 'BEGIN {
    if (length(got) != length(want)) exit 1
    for (i = 1; i <= length(got); i++) {
      g = substr(got, i, 1)
      if (g != substr(want, i, 1) && g != substr(filled, i, 1)) exit 1
    }
  }'
}

# Checks VCF (bgzipped) of MATRIX against consensus, norm, stats.
check_vcf() {
  local matrix=$1 vcf=$2 missing=$3 name
  name=$(basename "$vcf" .vcf.gz)
  write_fasta "$matrix" "$work/$name.fa"
  "$bcftools" index -f "$vcf"
  local chroms samples
  chroms=$(awk 'NR > 1 && NF { print $1 }' "$matrix" | uniq)
  samples=$("$bcftools" query -l "$vcf")
  for sample in $samples; do
    for h in 1 2; do
      local column=$sample$([[ $h == 1 ]] && echo a || echo b)
      "$bcftools" consensus -f "$work/$name.fa" -H "$h" -s "$sample" \
        "$vcf" > "$work/$name.cons.fa" 2> "$work/$name.cons.err" ||
        fail "$name: consensus of $sample:$h: $(cat "$work/$name.cons.err")"
      if grep -q -i 'overlap\|skipping' "$work/$name.cons.err"; then
        fail "$name: consensus of $sample:$h: $(head -3 "$work/$name.cons.err")"
      fi
      for chrom in $chroms; do
        local got want
        got=$(awk -v c=">$chrom" '$1 == c { on = 1; next } /^>/ { on = 0 }
                on { printf "%s", $0 }' "$work/$name.cons.fa")
        local both want filled
        both=$(column_sequence "$matrix" "$chrom" "$column" "$missing")
        want=${both%$'\t'*}
        filled=${both#*$'\t'}
        matches "$got" "$want" "$filled" ||
          fail "$name: consensus of $column on $chrom differs from the matrix:
  got  ${got:0:200}
  want ${want:0:200}"
      done
    done
  done
  local normed
  normed=$("$bcftools" norm -f "$work/$name.fa" -c e "$vcf" -Ov \
    -o /dev/null 2>&1) || fail "$name: bcftools norm: $normed"
  [[ $normed == *"Lines   total/split/joined/realigned/skipped:"*"/0/0/0/0"* ||
    $normed == *"Lines   total/split/realigned/skipped:"*"/0/0/0"* ]] ||
    fail "$name: bcftools norm changed records: $normed"
  if "$bcftools" view -H "$vcf" | awk '$5 == "*" { found = 1 } END { exit !found }'; then
    fail "$name: a record has * as its only ALT"
  fi
  if "$bcftools" view -H "$vcf" | awk '$5 ~ /\*/ { found = 1 } END { exit !found }'; then
    fail "$name: a record has a * allele"
  fi
}

convert() { "$hapmat" convert --quiet --format vcf --gaps deletions "$@"; }

# --haploid: each column its own sample, rebuilt by consensus -H 1.
check_haploid_vcf() {
  local matrix=$1 vcf=$2 name
  name=$(basename "$vcf" .vcf.gz)
  write_fasta "$matrix" "$work/$name.fa"
  "$bcftools" index -f "$vcf"
  for column in $("$bcftools" query -l "$vcf"); do
    "$bcftools" consensus -f "$work/$name.fa" -H 1 -s "$column" "$vcf" \
      > "$work/$name.cons.fa" 2> "$work/$name.cons.err" ||
      fail "$name: consensus of $column: $(cat "$work/$name.cons.err")"
    for chrom in $(awk 'NR > 1 && NF { print $1 }' "$matrix" | uniq); do
      local got both
      got=$(awk -v c=">$chrom" '$1 == c { on = 1; next } /^>/ { on = 0 }
              on { printf "%s", $0 }' "$work/$name.cons.fa")
      both=$(column_sequence "$matrix" "$chrom" "$column" dot)
      matches "$got" "${both%$'\t'*}" "${both#*$'\t'}" ||
        fail "$name: consensus of $column on $chrom differs from the matrix"
    done
  done
}

# Hand-written: a deletion at a CHROM's start (anchored on the base after
# it) and end, deletions meeting a SNP and an insertion, one in a repeat
# (left-aligned), overlapping ones, and a missing allele next to one.
cat > "$work/hand.txt" << 'MATRIX'
CHROM POS REF 1a 1b 2a 2b
1 1 A - A A A
1 2 C - C C C
1 3 G G G G G
1 4 T T - T T
1 5 T T - T C
1 6 A A A - A
1 7 C C C C C
1 8 A A A A AAT
1 9 T T T T T
1 10 G - G G N
1 11 G G G G G
2 1 C C C C C
2 2 A A A A A
2 3 A A A - A
2 4 A A A A A
2 5 G G G G G
2 6 C C C C -
2 7 A A A A -
2 8 C C N C C
2 9 T T T T -
MATRIX
convert "$work/hand.txt" -o "$work/hand.vcf.gz"
check_vcf "$work/hand.txt" "$work/hand.vcf.gz" dot
convert "$work/hand.txt" --haploid -o "$work/hand-haploid.vcf.gz"
check_haploid_vcf "$work/hand.txt" "$work/hand-haploid.vcf.gz"

# Left-alignment over rows of only REF and N, into a row where a haplotype
# missing across the deletion (2b) is called: the record moves there, its
# REF still the reference's.
cat > "$work/aside.txt" << 'MATRIX'
CHROM POS REF 1a 1b 2a 2b
1 1 A A N A A
1 2 C C N C C
1 3 T T N T T
1 4 A A N - N
1 5 T T N - N
1 6 C C N C C
1 7 G G N G G
MATRIX
convert "$work/aside.txt" -o "$work/aside.vcf.gz"
check_vcf "$work/aside.txt" "$work/aside.vcf.gz" dot

# In a repeat, a deletion that moves left over the base an earlier one
# left behind (trimmed off its end) and takes that one in: REF still spells
# the reference there (the base was once skipped). Then an insertion whose
# trimmed base a deletion moves over.
cat > "$work/repeat.txt" << 'MATRIX'
CHROM POS REF 1a 1b 2a 2b
1 1 G G G G G
1 2 C C C C C
1 3 A A - A A
1 4 C C - C C
1 5 A A A A A
1 6 C C C - C
1 7 A A A - A
1 8 T T T T T
1 9 G G G G G
2 1 G G G G G
2 2 C C C C C
2 3 A CA A A A
2 4 C C C C C
2 5 A A A - A
2 6 C C C - C
2 7 T T T T T
MATRIX
convert "$work/repeat.txt" -o "$work/repeat.vcf.gz"
check_vcf "$work/repeat.txt" "$work/repeat.vcf.gz" dot
# --all-sites adds records of ALT '.' only: the same haplotypes.
convert "$work/repeat.txt" --all-sites -o "$work/repeat-all.vcf.gz"
check_vcf "$work/repeat.txt" "$work/repeat-all.vcf.gz" dot

# A deletion at the end of 6,000 repeats of CA moves left to their start,
# over bases the window held while its ring of bases grew (from 8K
# positions to 32K, at the third run of 4,096 bases): a base lost in the
# growth stops it short, which norm sees.
awk 'BEGIN {
       print "CHROM POS REF s1a s1b"
       split("GATTC", head, "")
       pos = 0
       for (i = 1; i <= 5; i++) print 1, ++pos, head[i], head[i], head[i]
       for (i = 1; i <= 6000; i++) {
         for (k = 1; k <= 2; k++) {
           base = k == 1 ? "C" : "A"
           print 1, ++pos, base, base, (i == 6000 ? "-" : base)
         }
       }
       print 1, ++pos, "T", "T", "T"
     }' > "$work/longrepeat.txt"
convert "$work/longrepeat.txt" --max-deletion 20000 -o "$work/longrepeat.vcf.gz"
check_vcf "$work/longrepeat.txt" "$work/longrepeat.vcf.gz" dot
[[ $("$bcftools" view -H "$work/longrepeat.vcf.gz" | cut -f 2,4,5) == $'5\tCCA\tC' ]] ||
  fail "longrepeat: the deletion is not at the repeats' start"

# Two bases only (G written A, T written C): repeats everywhere, so
# deletions move left over one another's trimmed bases again and again.
"$hapmat" simulate --chroms 2 --length 6000 --haplotypes 8 --gap-rate 0.1 \
  --gap-length-max 30 --missing-rate 0.02 --multibase-rate 0.05 --seed 3 \
  --header-line -o "$work/two.raw"
awk 'NR > 1 { for (i = 3; i <= NF; i++) { gsub(/[Gg]/, "A", $i); gsub(/[Tt]/, "C", $i) } }
     { print }' "$work/two.raw" > "$work/two.txt"
convert "$work/two.txt" -o "$work/two.vcf.gz"
check_vcf "$work/two.txt" "$work/two.vcf.gz" dot
convert "$work/two.txt" --all-sites --block-size 4K -t 3 -o "$work/two-all.vcf.gz"
check_vcf "$work/two.txt" "$work/two-all.vcf.gz" dot

# Simulated matrices: runs of gaps and of N, insertion alleles; 130
# haplotypes span three of the joiner's 64-haplotype words.
i=0
for args in "--gap-rate 0.05 --missing-rate 0.03 --multibase-rate 0.05" \
  "--gap-rate 0.2 --missing-rate 0 --snp-rate 0.05" \
  "--gap-rate 0.1 --missing-rate 0.1 --multibase-rate 0.2 --haplotypes 6" \
  "--gap-rate 0.1 --missing-rate 0.05 --multibase-rate 0.1 --haplotypes 130"; do
  i=$((i + 1))
  "$hapmat" simulate --chroms 2 --length 3000 --seed "$i" --header-line \
    $args -o "$work/sim$i.txt"
  convert "$work/sim$i.txt" -o "$work/sim$i.vcf.gz"
  check_vcf "$work/sim$i.txt" "$work/sim$i.vcf.gz" dot
  convert "$work/sim$i.txt" --missing ref -o "$work/sim${i}ref.vcf.gz"
  check_vcf "$work/sim$i.txt" "$work/sim${i}ref.vcf.gz" ref
  if ((i == 1)); then
    convert "$work/sim$i.txt" --all-sites -o "$work/sim${i}all.vcf.gz"
    check_vcf "$work/sim$i.txt" "$work/sim${i}all.vcf.gz" dot
  fi
  if ((i == 3)); then  # 6 haplotypes
    convert "$work/sim$i.txt" --haploid -o "$work/sim${i}haploid.vcf.gz"
    check_haploid_vcf "$work/sim$i.txt" "$work/sim${i}haploid.vcf.gz"
  fi
  # The same bytes whatever the engine, threads and blocks.
  convert "$work/sim$i.txt" -o "$work/sim$i.vcf"
  for run in "--engine reference --block-size 4K" "--threads 3 --block-size 4K" \
    "--threads 1 --block-size 4K"; do
    # shellcheck disable=SC2086
    convert "$work/sim$i.txt" $run -o "$work/sim$i.other.vcf"
    cmp -s "$work/sim$i.vcf" "$work/sim$i.other.vcf" ||
      fail "sim$i: $run writes other bytes"
  done
done

# Runs of gaps up to 3000 positions: longer than a 4K block and than a
# part; the parts of the conversion join to the whole run.
"$hapmat" simulate --chroms 2 --length 8000 --haplotypes 6 --gap-rate 0.05 \
  --gap-length-max 3000 --seed 9 --header-line -o "$work/long.txt"
convert "$work/long.txt" --block-size 4K -o "$work/long.vcf.gz"
check_vcf "$work/long.txt" "$work/long.vcf.gz" dot
convert "$work/long.txt" -o "$work/long.vcf"
for n in 3 7; do
  for k in $(seq 1 "$n"); do
    convert "$work/long.txt" --part "$k/$n" --block-size 4K -o "$work/long.part$k"
  done
  for k in $(seq 1 "$n"); do cat "$work/long.part$k"; done > "$work/long.joined"
  cmp -s "$work/long.joined" "$work/long.vcf" || fail "long: $n parts do not join to the whole run"
done
# --max-deletion below the longest bubbles: those are written missing, and
# the run still has no * allele and no record norm moves.
convert "$work/long.txt" --max-deletion 100 -o "$work/long100.vcf.gz"
"$bcftools" index -f "$work/long100.vcf.gz"
normed=$("$bcftools" norm -f "$work/long.fa" -c e "$work/long100.vcf.gz" -Ov \
  -o /dev/null 2>&1) || fail "long100: bcftools norm: $normed"
[[ $normed == *"/0/0/0"* ]] || fail "long100: bcftools norm changed records: $normed"
if "$bcftools" view -H "$work/long100.vcf.gz" | awk '$5 ~ /\*/ { found = 1 } END { exit !found }'; then
  fail "long100: a record has a * allele"
fi

# Runs of gaps up to 40,000 positions at --max-deletion 60000: the window
# holds every position of a CHROM (60,000), more than its ring of bases
# starts with, which grows while they are held.
"$hapmat" simulate --chroms 2 --length 60000 --haplotypes 6 --gap-rate 0.05 \
  --gap-length-max 40000 --seed 9 --header-line -o "$work/huge.txt"
convert "$work/huge.txt" --max-deletion 60000 -o "$work/huge.vcf.gz"
check_vcf "$work/huge.txt" "$work/huge.vcf.gz" dot

stats=$("$bcftools" stats "$work/sim1.vcf.gz" | awk -F'\t' '$1 == "SN" && $3 == "number of indels:" { print $4 }')
[[ $stats -gt 0 ]] || fail "bcftools stats counts no indels"
echo "vcf_deletions: OK"
