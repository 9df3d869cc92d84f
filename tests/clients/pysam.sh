#!/usr/bin/env bash
# pysam (htslib underneath) reads every record of hapmat's VCF, plain and
# BGZF, as its text says, field by field, and warns about nothing; fetch()
# finds a region's records through hapmat's .tbi and .csi.
#
# Usage: pysam.sh HAPMAT_EXE WORKDIR
set -euo pipefail
source "$(dirname "$0")/lib.sh"
clients_init pysam "$@"
python=${PYSAM_PYTHON:-/usr/bin/python3}
"$python" -c 'import pysam' 2> /dev/null \
  || fail "$python cannot import pysam: apt-get install python3-pysam (scripts/test.sh does)"

# A BCF X.bcf is read against X.vcf.gz or X.vcf, hapmat's VCF of the same run.
check_pysam() {
  local vcf=$1 text=() candidate
  if [[ $vcf == *.bcf ]]; then
    for candidate in "${vcf%.bcf}.vcf.gz" "${vcf%.bcf}.vcf"; do
      [ ! -e "$candidate" ] || text=("$candidate")
    done
  fi
  silently "$vcf.pysam" "$python" "$(dirname "$0")/pysam_records.py" "$vcf" "${text[@]}"
  [ "$(cat "$vcf.pysam")" = "$(record_count "$vcf")" ] \
    || fail "pysam read $(cat "$vcf.pysam") records of $vcf"
}

# fetch(CHROM, START, STOP) through hapmat's index gives the records that
# overlap START+1..STOP (1-based), as the text has them.
check_fetch() {
  local vcf=$1 chrom=$2 start=$3 stop=$4
  silently "$vcf.fetch" "$python" -c '
import sys, pysam
for record in pysam.VariantFile(sys.argv[1]).fetch(sys.argv[2], int(sys.argv[3]), int(sys.argv[4])):
    sys.stdout.write(str(record))' "$vcf" "$chrom" "$start" "$stop"
  vcf_records "$vcf" | awk -F'\t' -v c="$chrom" -v a="$start" -v b="$stop" \
    '$1 == c && $2 + 0 <= b + 0 && $2 + length($4) - 1 > a + 0' > "$vcf.fetch.expected"
  [ -s "$vcf.fetch.expected" ] || fail "no records of $vcf in $chrom:$start-$stop to fetch"
  cmp -s "$vcf.fetch" "$vcf.fetch.expected" \
    || fail "pysam fetch($chrom, $start, $stop) on $vcf: $(show_diff "$vcf.fetch" "$vcf.fetch.expected")"
}

simulate_matrix "$work/sim.txt" --chroms 3 --length 6000 --haplotypes 9 --multibase-rate 0.2 \
  --lowercase-rate 0.2 --missing-rate 0.1 --gap-rate 0.1 --snp-rate 0.2
hapmat_convert --format vcf "$work/sim.txt" -o "$work/sim.vcf"
check_pysam "$work/sim.vcf"
hapmat_convert --format vcf --gaps star "$work/sim.txt" -o "$work/sim.star.vcf"
check_pysam "$work/sim.star.vcf"
hapmat_convert --format vcf --missing ref "$work/sim.txt" -o "$work/sim.ref.vcf.gz" --index
check_pysam "$work/sim.ref.vcf.gz"
check_fetch "$work/sim.ref.vcf.gz" 2 1000 2000

write_assembly_matrix "$work/assembly.txt"
hapmat_convert --format vcf "$work/assembly.txt" -o "$work/assembly.vcf"
check_pysam "$work/assembly.vcf"
hapmat_convert --format vcf "$work/assembly.txt" -o "$work/assembly.vcf.gz" --index
check_pysam "$work/assembly.vcf.gz"
check_fetch "$work/assembly.vcf.gz" scaffold_2 536870800 536871100

# hapmat's BCF: pysam reads its records as the VCF's, and fetch() finds a
# region's through its .csi.
hapmat_convert --format bcf --missing ref "$work/sim.txt" -o "$work/sim.ref.bcf" --index
check_pysam "$work/sim.ref.bcf"
check_fetch "$work/sim.ref.bcf" 2 1000 2000
hapmat_convert --format bcf "$work/assembly.txt" -o "$work/assembly.bcf" --index
check_pysam "$work/assembly.bcf"
check_fetch "$work/assembly.bcf" scaffold_2 536870800 536871100

# Positions need 64 bits, up to the largest htslib reads.
write_long_matrix "$work/long.txt"
hapmat_convert --format vcf "$work/long.txt" -o "$work/long.vcf"
check_pysam "$work/long.vcf"

pass "pysam reads every record of simulated (deletions and --gaps star) and assembly-like VCFs (plain, BGZF and BCF) and of 64-bit positions as their text"
