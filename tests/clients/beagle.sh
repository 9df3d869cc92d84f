#!/usr/bin/env bash
# Beagle 5 takes a hapmat VCF written with --missing ref as its reference
# panel (ref=) for target samples drawn from the same simulated haplotypes
# (gt=): it exits 0, says nothing on standard error, and writes every target
# marker, phased and complete. A panel with the default `.` for N is refused
# (the reason for --missing ref). Beagle keeps running after some errors, so
# every run ends under a time limit.
#
# Usage: beagle.sh HAPMAT_EXE WORKDIR
set -euo pipefail
source "$(dirname "$0")/lib.sh"
clients_init beagle "$@"
require_program beagle beagle
require_program timeout coreutils

write_panel_and_target
markers=$(record_count "$work/target.vcf.gz")
((markers > 1000)) || fail "only $markers target markers"

silently "$work/beagle.stdout" timeout -k 10 300 \
  beagle ref="$work/panel.vcf.gz" gt="$work/target.vcf.gz" out="$work/imputed" nthreads=1 seed=7
[ -s "$work/imputed.vcf.gz" ] || fail "Beagle wrote no $work/imputed.vcf.gz"
cmp -s <(vcf_sites "$work/imputed.vcf.gz") <(vcf_sites "$work/target.vcf.gz") \
  || fail "Beagle wrote $(record_count "$work/imputed.vcf.gz") markers, not the $markers of the target"
cmp -s <(vcf_samples "$work/imputed.vcf.gz") <(vcf_samples "$work/target.vcf.gz") \
  || fail "Beagle wrote other samples than the target's"
all_phased_and_called "$work/imputed.vcf.gz" || fail "Beagle left a genotype unphased or missing"

# The default panel: N is `.`, which Beagle refuses in a reference. After the
# error Beagle does not exit: it is stopped once the error is written.
hapmat_convert --format vcf --pairs "$work/panel.pairs" "$work/haplotypes.txt" -o "$work/dot-panel.vcf.gz"
beagle ref="$work/dot-panel.vcf.gz" gt="$work/target.vcf.gz" out="$work/refused" nthreads=1 \
  > "$work/refused.stdout" 2> "$work/refused.err" &
beagle_pid=$!
for _ in $(seq 120); do
  kill -0 "$beagle_pid" 2> /dev/null || break
  grep -q 'ERROR' "$work/refused.err" && break
  sleep 0.5
done
kill "$beagle_pid" 2> /dev/null || true
wait "$beagle_pid" 2> /dev/null || true
grep -q 'ERROR: unphased or missing genotype for reference sample' "$work/refused.err" \
  || fail "Beagle did not refuse the default panel as the docs say: $(head_of "$work/refused.err")"
[ ! -e "$work/refused.vcf.gz" ] || [ "$(record_count "$work/refused.vcf.gz")" = 0 ] \
  || fail "Beagle wrote markers with a panel it refused"

pass "Beagle 5 imputes all $markers target markers with a --missing ref hapmat panel, and refuses the default one"
