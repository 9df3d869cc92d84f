#!/usr/bin/env bash
# plink2 --vcf ... --make-pgen reads hapmat's VCF without a warning: as it is
# with --missing ref, and with the default missing `.` through
# --vcf-half-call m (without it plink2 stops at the first `.|0`). The variants
# and samples it stores are the VCF's, and its genotypes, exported back to VCF,
# are hapmat's (a half-call becoming `.|.` under --vcf-half-call m).
#
# Usage: plink2.sh HAPMAT_EXE WORKDIR
set -euo pipefail
source "$(dirname "$0")/lib.sh"
clients_init plink2 "$@"
require_program plink2 plink2

# Small runs: one thread and a small workspace (plink2 reserves half the RAM).
plink2_run() {
  local out=$1
  shift
  silently "$out.stdout" plink2 --threads 1 --memory 1024 "$@" --out "$out"
}

# CHROM POS ID REF ALT of the .pvar and the sample IDs of the .psam are the
# VCF's; GENOTYPES (a file, one record a line) are what plink2 exports.
# Missing alleles: `keep` or `half-call-missing` (a half-call becomes `.|.`).
check_pgen() {
  local vcf=$1 prefix=$2 missing=$3 genotypes=$2.expected-gt
  # plink2 writes its own chromosome codes: chr1 becomes 1.
  grep -v '^#' "$prefix.pvar" | cut -f1-5 > "$prefix.variants"
  vcf_records "$vcf" | cut -f1-5 | sed 's/^chr\([0-9XYM]\)/\1/' > "$prefix.expected-variants"
  cmp -s "$prefix.variants" "$prefix.expected-variants" \
    || fail "plink2 stored other variants than $vcf: $(show_diff "$prefix.variants" "$prefix.expected-variants")"
  tail -n +2 "$prefix.psam" | cut -f1 > "$prefix.samples"
  vcf_samples "$vcf" > "$prefix.expected-samples"
  cmp -s "$prefix.samples" "$prefix.expected-samples" \
    || fail "plink2 stored other samples than $vcf: $(show_diff "$prefix.samples" "$prefix.expected-samples")"
  if [ "$missing" = keep ]; then
    vcf_records "$vcf" | cut -f10- > "$genotypes"
  else
    vcf_records "$vcf" | cut -f10- | sed -E 's/[^\t]*\.[^\t]*/.|./g' > "$genotypes"
  fi
  plink2_run "$prefix.export" --pfile "$prefix" --allow-extra-chr --export vcf
  grep -v '^#' "$prefix.export.vcf" | cut -f10- > "$prefix.genotypes"
  cmp -s "$prefix.genotypes" "$genotypes" \
    || fail "plink2's genotypes differ from $vcf's: $(show_diff "$prefix.genotypes" "$genotypes")"
}

simulate_matrix "$work/sim.txt" --chroms 2 --length 10000 --haplotypes 11 --multibase-rate 0.2 \
  --lowercase-rate 0.2 --missing-rate 0.1 --gap-rate 0.1 --snp-rate 0.2

# --missing ref: no missing genotype, plink2 needs no option.
hapmat_convert --format vcf --missing ref "$work/sim.txt" -o "$work/ref.vcf.gz"
if vcf_records "$work/ref.vcf.gz" | cut -f10- | contains '[.]'; then
  fail "--missing ref left a missing genotype in ref.vcf.gz"
fi
plink2_run "$work/ref" --vcf "$work/ref.vcf.gz" --make-pgen
check_pgen "$work/ref.vcf.gz" "$work/ref" keep
hapmat_convert --format vcf --missing ref --gaps star "$work/sim.txt" -o "$work/star.vcf.gz"
plink2_run "$work/star" --vcf "$work/star.vcf.gz" --make-pgen
check_pgen "$work/star.vcf.gz" "$work/star" keep

# Default: N is `.`; a half-call stops plink2 unless --vcf-half-call m.
hapmat_convert --format vcf "$work/sim.txt" -o "$work/dot.vcf.gz"
vcf_records "$work/dot.vcf.gz" | cut -f10- | contains '[.][|][0-9]|[0-9][|][.]' \
  || fail "the simulated matrix gave no half-call to test with"
if plink2 --threads 1 --memory 1024 --vcf "$work/dot.vcf.gz" --make-pgen --out "$work/refused" \
  > "$work/refused.stdout" 2> "$work/refused.err"; then
  fail "plink2 accepted half-calls without --vcf-half-call: the docs say it does not"
fi
grep -q 'half-call' "$work/refused.err" \
  || fail "plink2 refused dot.vcf.gz for another reason: $(head_of "$work/refused.err")"
plink2_run "$work/dot" --vcf "$work/dot.vcf.gz" --vcf-half-call m --make-pgen
check_pgen "$work/dot.vcf.gz" "$work/dot" half-call-missing

# Assembly-like matrix: contig names such as scaffold_2 need --allow-extra-chr.
write_assembly_matrix "$work/assembly.txt"
hapmat_convert --format vcf "$work/assembly.txt" -o "$work/assembly.vcf.gz"
plink2_run "$work/assembly" --vcf "$work/assembly.vcf.gz" --vcf-half-call m --allow-extra-chr \
  --make-pgen
check_pgen "$work/assembly.vcf.gz" "$work/assembly" half-call-missing

# hapmat's BCF of the same runs: plink2 --bcf stores the same.
hapmat_convert --format bcf --missing ref "$work/sim.txt" -o "$work/ref.bcf"
plink2_run "$work/ref.b" --bcf "$work/ref.bcf" --make-pgen
check_pgen "$work/ref.bcf" "$work/ref.b" keep
hapmat_convert --format bcf "$work/assembly.txt" -o "$work/assembly.bcf"
plink2_run "$work/assembly.b" --bcf "$work/assembly.bcf" --vcf-half-call m --allow-extra-chr \
  --make-pgen
check_pgen "$work/assembly.bcf" "$work/assembly.b" half-call-missing

pass "plink2 --make-pgen (and --bcf on hapmat's BCF) reads --missing ref VCF (deletions and --gaps star) as is and the default through --vcf-half-call m, variants, samples and genotypes unchanged"
