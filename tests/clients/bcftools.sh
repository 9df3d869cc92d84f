#!/usr/bin/env bash
# bcftools and tabix read hapmat's VCF as hapmat wrote it: view (to VCF and to
# BCF and back), +fill-tags, norm -m -any, query, stats, index (tbi and csi)
# and region queries exit 0 and say nothing on standard error, and every value
# they read back is the text hapmat wrote. hapmat's own --index picks .tbi or
# .csi as bcftools would, and both answer region queries. hapmat's BCF reads
# back as the VCF of the same run, through the same checks.
#
# Usage: bcftools.sh HAPMAT_EXE WORKDIR
set -euo pipefail
source "$(dirname "$0")/lib.sh"
clients_init bcftools "$@"
require_program bcftools bcftools
require_program tabix tabix
require_program bgzip tabix

# Every field of every record, as bcftools parsed it, must print back as the
# text hapmat wrote (ID, QUAL and FILTER are `.`, FORMAT is GT). bcftools
# 1.16 query prints %POS in 32 bits (3000000000 as -1294967296): past
# 2147483647, the other fields are compared.
check_query() {
  local vcf=$1 q='%CHROM\t%POS\t%ID\t%REF\t%ALT\t%QUAL\t%FILTER\t%INFO\tGT[\t%GT]\n'
  vcf_records "$vcf" > "$vcf.records"
  [ -s "$vcf.records" ] || fail "no records in $vcf"
  cp "$vcf.records" "$vcf.query.expected"
  if awk -F'\t' '$2 + 0 > 2147483647 { found = 1 } END { exit !found }' "$vcf.records"; then
    q=${q/\\t%POS/}
    cut -f1,3- "$vcf.records" > "$vcf.query.expected"
  fi
  silently "$vcf.query" bcftools query -f "$q" "$vcf"
  cmp -s "$vcf.query" "$vcf.query.expected" \
    || fail "bcftools query of $vcf differs from its text: $(show_diff "$vcf.query.expected" "$vcf.query")"
  silently "$vcf.samples" bcftools query -l "$vcf"
  vcf_samples "$vcf" > "$vcf.samples.text"
  cmp -s "$vcf.samples" "$vcf.samples.text" || fail "bcftools query -l of $vcf: other samples"
}

# view rewrites each record from its parsed form: the records must come out
# byte for byte, also through BCF. BCF keeps POS in 32 bits: a VCF with a
# POS past 2147483647 is refused, with a message saying so.
check_view() {
  local vcf=$1
  silently "$vcf.view" bcftools view "$vcf"
  cmp -s <(vcf_records "$vcf.view") "$vcf.records" \
    || fail "bcftools view changed records of $vcf"
  if awk -F'\t' '$2 + 0 > 2147483647 { found = 1 } END { exit !found }' "$vcf.records"; then
    if bcftools view -Ob -o "$vcf.bcf" "$vcf" 2> "$vcf.bcf.err"; then
      fail "bcftools wrote BCF with a POS past 2^31 - 1: the docs say it does not"
    fi
    grep -q 'not representable in BCF' "$vcf.bcf.err" \
      || fail "bcftools view -Ob refused $vcf for another reason: $(head_of "$vcf.bcf.err")"
    return
  fi
  silently "$vcf.bcf.out" bcftools view -Ob -o "$vcf.bcf" "$vcf"
  silently "$vcf.bcf.view" bcftools view "$vcf.bcf"
  cmp -s <(vcf_records "$vcf.bcf.view") "$vcf.records" \
    || fail "the records of $vcf changed through BCF (bcftools view -Ob)"
}

# INFO/AC and INFO/AN must be what +fill-tags computes from the genotypes.
check_fill_tags() {
  local vcf=$1 q='%CHROM\t%POS\t%ALT\t%INFO/AC\t%INFO/AN\n'
  silently "$vcf.filled" bcftools +fill-tags "$vcf" -- -t AC,AN
  silently "$vcf.filled.q" bcftools query -f "$q" "$vcf.filled"
  silently "$vcf.ac" bcftools query -f "$q" "$vcf"
  cmp -s "$vcf.ac" "$vcf.filled.q" \
    || fail "INFO/AC,AN of $vcf differ from +fill-tags: $(show_diff "$vcf.ac" "$vcf.filled.q")"
}

# norm -m -any splits each multi-allelic record into one per ALT allele and
# splits AC with it (Number=A). Its one line on standard error is its count.
check_norm() {
  local vcf=$1 total multi split_records expected_err
  succeeds "$vcf.norm" bcftools norm -m -any "$vcf"
  total=$(wc -l < "$vcf.records")
  multi=$(awk -F'\t' '$5 ~ /,/' "$vcf.records" | wc -l)
  split_records=$(awk -F'\t' '{ n += split($5, a, ",") } END { print n + 0 }' "$vcf.records")
  expected_err=$(printf 'Lines   total/split/realigned/skipped:\t%d/%d/0/0' "$total" "$multi")
  [ "$(cat "$vcf.norm.err")" = "$expected_err" ] \
    || fail "bcftools norm -m -any on $vcf said: $(head_of "$vcf.norm.err") (expected: $expected_err)"
  [ "$(record_count "$vcf.norm")" = "$split_records" ] \
    || fail "bcftools norm -m -any wrote $(record_count "$vcf.norm") records for $vcf, not $split_records"
  awk -F'\t' '!/^#/ && $5 ~ /,/ { exit 1 }' "$vcf.norm" \
    || fail "bcftools norm -m -any left a multi-allelic record in $vcf"
  check_fill_tags "$vcf.norm"
}

# stats counts the samples and the records it read.
check_stats() {
  local vcf=$1 samples records
  silently "$vcf.stats" bcftools stats "$vcf"
  samples=$(awk -F'\t' '$1 == "SN" && $3 == "number of samples:" { print $4 }' "$vcf.stats")
  records=$(awk -F'\t' '$1 == "SN" && $3 == "number of records:" { print $4 }' "$vcf.stats")
  [ "$samples" = "$(wc -l < "$vcf.samples")" ] \
    || fail "bcftools stats counted $samples samples in $vcf"
  [ "$records" = "$(wc -l < "$vcf.records")" ] \
    || fail "bcftools stats counted $records records in $vcf, not $(wc -l < "$vcf.records")"
}

# The records of an indexed VCF.GZ that overlap CHROM:FROM-TO (POS to
# POS+len(REF)-1), from tabix and from bcftools view -r, are those of the text.
check_region() {
  local vcf=$1 chrom=$2 from=$3 to=$4 expected
  expected=$(vcf_records "$vcf" | awk -F'\t' -v c="$chrom" -v a="$from" -v b="$to" \
    '$1 == c && $2 + 0 <= b + 0 && $2 + length($4) - 1 >= a + 0')
  [ -n "$expected" ] || fail "no records of $vcf in $chrom:$from-$to to query"
  silently "$vcf.tabix" tabix "$vcf" "$chrom:$from-$to"
  [ "$(cat "$vcf.tabix")" = "$expected" ] || fail "tabix $vcf $chrom:$from-$to: other records"
  silently "$vcf.region" bcftools view -H -r "$chrom:$from-$to" "$vcf"
  [ "$(cat "$vcf.region")" = "$expected" ] \
    || fail "bcftools view -r $chrom:$from-$to $vcf: other records"
}

# bcftools index -s lists each contig's record count, from the index alone.
check_index_counts() {
  local vcf=$1
  silently "$vcf.idxstats" bcftools index -s "$vcf"
  vcf_records "$vcf" | awk -F'\t' '{ if (!($1 in n)) order[++k] = $1; n[$1]++ }
    END { for (i = 1; i <= k; i++) print order[i] "\t" n[order[i]] }' > "$vcf.counts"
  cmp -s <(cut -f1,3 "$vcf.idxstats") "$vcf.counts" \
    || fail "bcftools index -s $vcf: other contigs or counts: $(head_of "$vcf.idxstats")"
}

# hapmat's --index wrote VCF.KIND (tbi or csi), and not the other kind.
check_index_kind() {
  local vcf=$1 kind=$2 other=tbi
  [ "$kind" = csi ] || other=csi
  [ -s "$vcf.$kind" ] || fail "$3: no $vcf.$kind"
  [ ! -e "$vcf.$other" ] || fail "$3: $vcf.$other written too"
}

# Every check that reads a whole file.
check_all() {
  check_query "$1"
  check_view "$1"
  check_fill_tags "$1"
  check_norm "$1"
  check_stats "$1"
}

# 1. Simulated matrices: positions fit a tabix index.
shapes=(
  "--chroms 2 --length 20000"
  "--chroms 3 --length 4000 --haplotypes 9 --snp-rate 0.5 --multibase-rate 0.3 --lowercase-rate 0.2 --missing-rate 0.2 --gap-rate 0.2"
)
# variant_for NAME: the options of variant dot, ref or star.
variant_for() {
  case $1 in
    dot) variant_options=() ;;
    ref) variant_options=(--missing ref) ;;
    star) variant_options=(--gaps star) ;;
  esac
}
n=0
for shape in "${shapes[@]}"; do
  n=$((n + 1))
  m=$work/sim$n.txt
  # shellcheck disable=SC2086
  simulate_matrix "$m" $shape
  # Deletions (the default), with N as REF, and a gap a '*' a position.
  for variant in dot ref star; do
    variant_for "$variant"
    vcf=$work/sim$n.$variant.vcf.gz
    hapmat_convert --format vcf "${variant_options[@]}" "$m" -o "$vcf" --index
    check_index_kind "$vcf" tbi "--index, positions below 2^29"
    check_all "$vcf"
    check_index_counts "$vcf"
    check_region "$vcf" 1 1500 2600
  done
  # bcftools' own indexes of the same file answer the same.
  cp "$work/sim$n.dot.vcf.gz" "$work/sim$n.bcf-index.vcf.gz"
  silently "$work/index-t.out" bcftools index -t "$work/sim$n.bcf-index.vcf.gz"
  check_region "$work/sim$n.bcf-index.vcf.gz" 1 1500 2600
  cp "$work/sim$n.dot.vcf.gz" "$work/sim$n.bcf-csi.vcf.gz"
  silently "$work/index-c.out" bcftools index -c "$work/sim$n.bcf-csi.vcf.gz"
  check_region "$work/sim$n.bcf-csi.vcf.gz" 1 1500 2600
done

# --index csi forces a CSI index where a tabix one would do.
hapmat_convert --format vcf "$work/sim1.txt" -o "$work/forced.vcf.gz" --index csi
check_index_kind "$work/forced.vcf.gz" csi "--index csi"
check_index_counts "$work/forced.vcf.gz"
check_region "$work/forced.vcf.gz" 2 100 900

# 2. Assembly matrix: IUPAC codes, lower case, multi-base alleles, three
# contigs, positions across 2^29 -> a CSI index.
m=$work/assembly.txt
write_assembly_matrix "$m"
vcf=$work/assembly.vcf.gz
hapmat_convert --format vcf "$m" -o "$vcf" --index
check_index_kind "$vcf" csi "--index, positions past 2^29"
check_all "$vcf"
check_index_counts "$vcf"
check_region "$vcf" scaffold_2 536870800 536871100
check_region "$vcf" chr1 10 700
cp "$vcf" "$work/assembly.bcf-csi.vcf.gz"
silently "$work/index-c.out" bcftools index -c "$work/assembly.bcf-csi.vcf.gz"
check_region "$work/assembly.bcf-csi.vcf.gz" scaffold_2 536870800 536871100

# Plain VCF, with --missing ref and with ##contig lengths from a .fai.
hapmat_convert --format vcf --missing ref "$m" -o "$work/assembly.ref.vcf"
check_all "$work/assembly.ref.vcf"
awk '{ sub(/\r$/, "") }
     NR > 1 { if (!($1 in max)) order[++n] = $1; if ($2 + 0 > max[$1]) max[$1] = $2 + 0 }
     END { for (i = 1; i <= n; i++) printf "%s\t%.0f\t0\t60\t61\n", order[i], max[order[i]] + 5 }' \
  "$m" > "$work/assembly.fai"
hapmat_convert --format vcf --fai "$work/assembly.fai" "$m" -o "$work/assembly.fai.vcf"
check_all "$work/assembly.fai.vcf"

# 3. Positions past 32 bits: chrL is longer than 2^31 (a CSI index holds
# 2^32 without lengths, more with --fai); no index holds top's.
write_long_matrix "$work/long.txt"
grep -v "^top " "$work/long.txt" > "$work/long32.txt"
vcf=$work/long32.vcf.gz
hapmat_convert --format vcf "$work/long32.txt" -o "$vcf" --index
check_index_kind "$vcf" csi "--index, positions past 2^31"
check_all "$vcf"
check_index_counts "$vcf"
check_region "$vcf" chrL 2147483640 2147483650
check_region "$vcf" chrL 3000000001 4294967000
printf 'chr1\t100\t0\t1\t2\nchrL\t5000000000\t0\t1\t2\n' > "$work/long32.fai"
vcf=$work/long32.fai.vcf.gz
hapmat_convert --format vcf --fai "$work/long32.fai" "$work/long32.txt" -o "$vcf" --index
check_index_kind "$vcf" csi "--index --fai, positions past 2^31"
check_all "$vcf"
check_region "$vcf" chrL 2999999999 3000000000
hapmat_convert --format vcf "$work/long.txt" -o "$work/long.vcf"
check_all "$work/long.vcf"

# 4. hapmat's BCF (--format bcf): the same checks read exactly the records of
# the VCF of the same run beside it; --index writes .csi, which index -s and
# view -r read (on an indexed copy: htslib takes X.bcf.csi for the index of
# the checks' X.bcf.filled). A POS past 2^31 - 1 is refused, at its row.
check_bcf_region() {
  local bcf=$1 chrom=$2 from=$3 to=$4 expected
  expected=$(vcf_records "$bcf" | awk -F'\t' -v c="$chrom" -v a="$from" -v b="$to" \
    '$1 == c && $2 + 0 <= b + 0 && $2 + length($4) - 1 >= a + 0')
  [ -n "$expected" ] || fail "no records of $bcf in $chrom:$from-$to to query"
  silently "$bcf.region" bcftools view -H -r "$chrom:$from-$to" "$bcf"
  [ "$(cat "$bcf.region")" = "$expected" ] \
    || fail "bcftools view -r $chrom:$from-$to $bcf: other records"
}
for n in 1 2; do
  for variant in dot ref star; do
    variant_for "$variant"
    bcf=$work/sim$n.$variant.bcf
    hapmat_convert --format bcf "${variant_options[@]}" "$work/sim$n.txt" -o "$bcf"
    check_all "$bcf"
    ln -sf "sim$n.$variant.vcf.gz" "$work/sim$n.$variant.indexed.vcf.gz"
    bcf=$work/sim$n.$variant.indexed.bcf
    hapmat_convert --format bcf "${variant_options[@]}" "$work/sim$n.txt" -o "$bcf" --index
    check_index_kind "$bcf" csi "--format bcf --index"
    check_index_counts "$bcf"
    check_bcf_region "$bcf" 1 1500 2600
  done
done
hapmat_convert --format bcf "$work/assembly.txt" -o "$work/assembly.bcf"
check_all "$work/assembly.bcf"
ln -sf assembly.vcf.gz "$work/assembly.indexed.vcf.gz"
hapmat_convert --format bcf "$work/assembly.txt" -o "$work/assembly.indexed.bcf" --index
check_index_counts "$work/assembly.indexed.bcf"
check_bcf_region "$work/assembly.indexed.bcf" scaffold_2 536870800 536871100
if "$hapmat" convert -q --format bcf "$work/long32.txt" -o "$work/long32.bcf" 2> "$work/long32.bcf.err"; then
  fail "hapmat wrote BCF with a POS past 2^31 - 1"
fi
grep -q 'is larger than BCF holds' "$work/long32.bcf.err" \
  || fail "--format bcf refused long32.txt for another reason: $(head_of "$work/long32.bcf.err")"

pass "${#shapes[@]} simulated matrices, an assembly-like one (IUPAC, lower case, past 2^29) and positions up to 2^63: view, view -Ob, +fill-tags, norm -m -any, query, stats, index -t/-c/-s and region queries read exactly what hapmat wrote; its BCF (--format bcf, with its .csi) reads back as the VCF of the same run"
