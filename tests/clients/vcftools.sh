#!/usr/bin/env bash
# vcftools --freq reads hapmat's VCF without a warning, and the allele counts
# it computes from the genotypes are hapmat's INFO/AN and INFO/AC: per record,
# N_CHR = AN and each allele's frequency = its count / AN.
#
# Usage: vcftools.sh HAPMAT_EXE WORKDIR
set -euo pipefail
source "$(dirname "$0")/lib.sh"
clients_init vcftools "$@"
require_program vcftools vcftools

# What --freq must print for a VCF: CHROM POS N_ALLELES N_CHR then
# ALLELE:FREQ for REF and each ALT, from the records' INFO. With AN=0 the
# frequencies are not numbers; only the alleles are compared there.
expected_freq() {
  vcf_records "$1" | awk -F'\t' '
    {
      n = split($5 == "." ? "" : $5, alt, ",")
      an = 0; split("", ac)
      k = split($8, info, ";")
      for (i = 1; i <= k; i++) {
        if (info[i] ~ /^AN=/) an = substr(info[i], 4) + 0
        if (info[i] ~ /^AC=/) split(substr(info[i], 4), ac, ",")
      }
      refcount = an
      for (i = 1; i <= n; i++) refcount -= ac[i]
      line = $1 "\t" $2 "\t" (n + 1) "\t" an "\t" $4 ":" freq(refcount, an)
      for (i = 1; i <= n; i++) line = line "\t" alt[i] ":" freq(ac[i], an)
      print line
    }
    function freq(count, total) { return total ? sprintf("%g", count / total) : "nan" }'
}

# Runs vcftools --freq on a VCF and checks its log and its table.
check_freq() {
  local vcf=$1 input_option=--vcf records
  case $vcf in *.gz) input_option=--gzvcf ;; esac
  succeeds "$vcf.vcftools" vcftools "$input_option" "$vcf" --freq --out "$vcf"
  ! grep -i -E 'warn|error' "$vcf.vcftools.err" > /dev/null \
    || fail "vcftools --freq on $vcf: $(grep -i -E 'warn|error' "$vcf.vcftools.err" | head -5)"
  records=$(record_count "$vcf")
  grep -q "kept $records out of a possible $records Sites" "$vcf.vcftools.err" \
    || fail "vcftools did not keep the $records records of $vcf: $(head_of "$vcf.vcftools.err")"
  # Frequencies of AN=0 records print as -nan or nan depending on the C library.
  tail -n +2 "$vcf.frq" | sed -E 's/:-?nan/:nan/g' > "$vcf.frq.body"
  expected_freq "$vcf" > "$vcf.frq.expected"
  cmp -s "$vcf.frq.body" "$vcf.frq.expected" \
    || fail "vcftools --freq of $vcf differs from its INFO/AC,AN (< vcftools, > INFO):
$(show_diff "$vcf.frq.body" "$vcf.frq.expected")"
}

simulate_matrix "$work/sim.txt" --chroms 2 --length 10000 --haplotypes 9 --multibase-rate 0.2 \
  --lowercase-rate 0.2 --missing-rate 0.1 --gap-rate 0.1 --snp-rate 0.2
hapmat_convert --format vcf "$work/sim.txt" -o "$work/sim.vcf"
check_freq "$work/sim.vcf"
hapmat_convert --format vcf --gaps star "$work/sim.txt" -o "$work/sim.star.vcf"
check_freq "$work/sim.star.vcf"
hapmat_convert --format vcf --missing ref "$work/sim.txt" -o "$work/sim.ref.vcf.gz"
check_freq "$work/sim.ref.vcf.gz"

write_assembly_matrix "$work/assembly.txt"
hapmat_convert --format vcf "$work/assembly.txt" -o "$work/assembly.vcf.gz" --index
check_freq "$work/assembly.vcf.gz"

pass "vcftools --freq reads simulated (deletions and --gaps star) and assembly-like VCFs without a warning; its counts are hapmat's AC/AN"
