#!/usr/bin/env bash
# pysam (htslib underneath) reads every record of hapmat's VCF, plain and
# BGZF, as its text says, field by field, and warns about nothing.
#
# Usage: pysam.sh HAPMAT_EXE WORKDIR
set -euo pipefail
source "$(dirname "$0")/lib.sh"
clients_init pysam "$@"
python=${PYSAM_PYTHON:-/usr/bin/python3}
"$python" -c 'import pysam' 2> /dev/null \
  || fail "$python cannot import pysam: apt-get install python3-pysam (scripts/test.sh does)"

check_pysam() {
  local vcf=$1
  silently "$vcf.pysam" "$python" "$(dirname "$0")/pysam_records.py" "$vcf"
  [ "$(cat "$vcf.pysam")" = "$(record_count "$vcf")" ] \
    || fail "pysam read $(cat "$vcf.pysam") records of $vcf"
}

simulate_matrix "$work/sim.txt" --chroms 3 --length 6000 --haplotypes 9 --multibase-rate 0.2 \
  --lowercase-rate 0.2 --missing-rate 0.1 --gap-rate 0.1 --snp-rate 0.2
hapmat_convert --format vcf "$work/sim.txt" -o "$work/sim.vcf"
check_pysam "$work/sim.vcf"
hapmat_convert --format vcf --missing ref "$work/sim.txt" -o "$work/sim.ref.vcf.gz" --index
check_pysam "$work/sim.ref.vcf.gz"

write_assembly_matrix "$work/assembly.txt"
hapmat_convert --format vcf "$work/assembly.txt" -o "$work/assembly.vcf"
check_pysam "$work/assembly.vcf"
hapmat_convert --format vcf "$work/assembly.txt" -o "$work/assembly.vcf.gz" --index
check_pysam "$work/assembly.vcf.gz"

# Positions need 64 bits, up to the largest htslib reads.
write_long_matrix "$work/long.txt"
hapmat_convert --format vcf "$work/long.txt" -o "$work/long.vcf"
check_pysam "$work/long.vcf"

pass "pysam reads every record of simulated and assembly-like VCFs (plain and BGZF) and of 64-bit positions as their text"
