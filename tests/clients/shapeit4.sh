#!/usr/bin/env bash
# SHAPEIT4 takes a hapmat VCF written with --missing ref as its reference
# panel (--reference) to phase target samples drawn from the same simulated
# haplotypes: per contig (--region is required) it exits 0, says nothing on
# standard error nor a warning in its log, and writes every bi-allelic target
# marker (SHAPEIT4 phases bi-allelic sites only), phased and complete.
#
# Usage: shapeit4.sh HAPMAT_EXE WORKDIR
set -euo pipefail
source "$(dirname "$0")/lib.sh"
clients_init shapeit4 "$@"
require_program shapeit4 shapeit4

write_panel_and_target
for contig in 1 2; do
  out=$work/phased.$contig
  silently "$out.stdout" shapeit4 --input "$work/target.vcf.gz" --reference "$work/panel.vcf.gz" \
    --region "$contig" --output "$out.vcf.gz" --seed 7
  ! grep -E 'WARNING|ERROR' "$out.stdout" > /dev/null \
    || fail "SHAPEIT4 on contig $contig: $(grep -E 'WARNING|ERROR' "$out.stdout" | head -5)"
  vcf_sites "$work/target.vcf.gz" | awk -F'\t' -v c="$contig" '$1 == c && $4 !~ /,/' \
    > "$out.expected-sites"
  vcf_sites "$out.vcf.gz" > "$out.sites"
  [ -s "$out.expected-sites" ] || fail "no bi-allelic target marker on contig $contig"
  cmp -s "$out.sites" "$out.expected-sites" \
    || fail "SHAPEIT4 wrote $(wc -l < "$out.sites") markers on contig $contig, not the $(wc -l < "$out.expected-sites") bi-allelic ones of the target: $(show_diff "$out.sites" "$out.expected-sites")"
  cmp -s <(vcf_samples "$out.vcf.gz") <(vcf_samples "$work/target.vcf.gz") \
    || fail "SHAPEIT4 wrote other samples than the target's"
  all_phased_and_called "$out.vcf.gz" || fail "SHAPEIT4 left a genotype unphased or missing"
done

pass "SHAPEIT4 phases every bi-allelic target marker of both contigs with a --missing ref hapmat panel"
