# shellcheck shell=bash
# Shared by the client tests in this folder: each runs a real program that
# people feed hapmat's output to, on hapmat's output. Sourced, never run.
#
# A test starts with `clients_init NAME "$@"`, which takes the arguments every
# client test is given (HAPMAT_EXE WORKDIR) and empties WORKDIR.

clients_init() {
  client=$1
  shift
  # shellcheck source=tests/shell_test_start.sh
  source "$(dirname "${BASH_SOURCE[0]}")/../shell_test_start.sh" "clients/$client" "$@"
  # A command that fails outside the checks says where, instead of ending the
  # test without a word.
  set -E
  trap 'fail "line $LINENO: exit code $? from: $BASH_COMMAND"' ERR
}

# ctest marks a test that exits 77 as skipped (SKIP_RETURN_CODE).
skip() {
  echo "clients/$client: SKIP: $*"
  exit 77
}

pass() {
  echo "clients/$client: $*"
}

# The programs are Debian packages that scripts/test.sh installs; a machine
# without them fails the test rather than passing it unseen.
require_program() {
  local program=$1 package=$2
  command -v "$program" > /dev/null \
    || fail "$program is not installed: apt-get install $package (scripts/test.sh does)"
}

# The first lines of a file, for a failure message.
head_of() {
  head -c 3000 "$1" 2> /dev/null || true
}

# The first differences between two files, for a failure message.
show_diff() {
  diff "$1" "$2" > "$work/show_diff.out" || true
  head -n 8 "$work/show_diff.out"
}

# Runs CMD with its standard output in OUT and its standard error in OUT.err;
# fails unless it exits 0.
succeeds() {
  local out=$1
  shift
  "$@" > "$out" 2> "$out.err" || fail "exit code $? from: $*
$(head_of "$out.err")"
}

# As succeeds, and the program must also write nothing to standard error: no
# warning, no note.
silently() {
  local out=$1
  succeeds "$@"
  [ ! -s "$out.err" ] || fail "standard error of: ${*:2}
$(head_of "$out.err")"
}

# Runs hapmat convert, quietly; fails the test when it fails.
hapmat_convert() {
  "$hapmat" convert -q "$@" > "$work/convert.out" 2> "$work/convert.err" \
    || fail "hapmat convert $* failed:
$(head_of "$work/convert.err")"
}

# Writes a simulated matrix with a header line: simulate_matrix OUT OPTIONS...
simulate_matrix() {
  local out=$1
  shift
  "$hapmat" simulate --header-line "$@" -o "$out" 2> "$work/simulate.err" \
    || fail "hapmat simulate $* failed: $(head_of "$work/simulate.err")"
}

# A matrix with what real assemblies bring and simulate does not: IUPAC codes
# in haplotypes and REF, lower-case `n`, a REF that is a gap, and three contigs,
# one of them past 2^29 (beyond a tabix index). Built from a simulated matrix
# with lower-case and multi-base alleles; deterministic.
write_assembly_matrix() {
  local out=$1
  simulate_matrix "$work/assembly.sim" --chroms 3 --length 2500 --haplotypes 7 \
    --snp-rate 0.3 --multibase-rate 0.2 --lowercase-rate 0.3 --missing-rate 0.05 \
    --gap-rate 0.05 --seed 11
  awk 'BEGIN { iupac = "RYSWKMBDHV" }
       NR == 1 { print; next }
       {
         # contig 1 -> chr1, 2 -> scaffold_2 shifted to cross 2^29, 3 stays.
         if ($1 == 1) $1 = "chr1"
         else if ($1 == 2) { $1 = "scaffold_2"; $2 = sprintf("%.0f", $2 + 536869912) }
         if (NR % 97 == 0) $3 = substr(iupac, NR % 10 + 1, 1)
         else if (NR % 89 == 0) $3 = "-"
         for (i = 4; i <= NF; i++) {
           k = NR * 7 + i * 13
           if (k % 41 == 0) $i = substr(iupac, k % 10 + 1, 1)
           else if (k % 67 == 0) $i = "n"
         }
         print
       }' "$work/assembly.sim" > "$out"
}

# Whether standard input has a line matching the extended regular expression;
# reads all of it (grep -q would stop early and fail the pipe under pipefail).
contains() {
  awk -v re="$1" '$0 ~ re { found = 1 } END { exit !found }'
}

# A matrix whose positions need 64 bits: chrL passes 2^31 and ends below
# 2^32, top holds the largest POS htslib reads (2^63 - 2^31 - 1).
write_long_matrix() {
  printf '%s\n' 'CHROM POS REF 1a 1b 2a 2b' \
    'chr1 5 A A G G A' \
    'chrL 2147483647 G G A A G' \
    'chrL 2147483648 T T T C T' \
    'chrL 3000000000 AC A AC AC A' \
    'chrL 4294967000 g T g n g' \
    'top 9223372034707292158 AC A AC AC AC' \
    'top 9223372034707292159 G T G G G' > "$1"
}

# The data lines of a VCF, plain or compressed.
# The text of a VCF; of a BCF X.bcf, the text of the VCF hapmat wrote beside
# it with the same options (X.vcf.gz or X.vcf), whose records it holds.
vcf_text() {
  local file=$1 text
  if [[ $file == *.bcf ]]; then
    for text in "${file%.bcf}.vcf.gz" "${file%.bcf}.vcf"; do
      [ ! -e "$text" ] || {
        gzip -dcf "$text"
        return
      }
    done
    fail "no VCF beside $file to read its records from"
  fi
  gzip -dcf "$file"
}

vcf_records() {
  vcf_text "$1" | grep -v '^#' || true
}

record_count() {
  vcf_records "$1" | wc -l
}

# A reference panel and a target drawn from the same simulated haplotypes
# (40 columns: samples s1..s16 make the panel, s17..s20 the target), as BGZF
# VCFs with their index, both cut from one hapmat VCF of all 20 samples
# (deletion records depend on the haplotypes written: two runs with other
# samples would not share their sites), its multi-allelic records split
# (`bcftools norm -m -any`: Beagle 5.4 stops on a reference record of 10 or
# more alleles, SHAPEIT4 phases bi-allelic ones). $work/panel.vcf.gz has N
# as REF's 0 (Beagle and SHAPEIT4 refuse a missing allele in a panel; what
# --missing ref writes), $work/target.vcf.gz the default `.` for N. About
# 3000 markers on contigs 1 and 2.
write_panel_and_target() {
  simulate_matrix "$work/haplotypes.txt" --chroms 2 --length 15000 --haplotypes 40 \
    --snp-rate 0.1 --multibase-rate 0.1 --lowercase-rate 0.2 --seed 5
  awk 'BEGIN { for (i = 1; i <= 16; i++) print "s" i, i "a", i "b" }' > "$work/panel.pairs"
  awk 'BEGIN { for (i = 17; i <= 20; i++) print "s" i, i "a", i "b" }' > "$work/target.pairs"
  cat "$work/panel.pairs" "$work/target.pairs" > "$work/all.pairs"
  hapmat_convert --format vcf --gaps deletions --pairs "$work/all.pairs" "$work/haplotypes.txt" \
    -o "$work/all.vcf.gz"
  succeeds "$work/split" bcftools norm -m -any "$work/all.vcf.gz" -Oz -o "$work/split.vcf.gz"
  # N as REF's 0 in the panel, as --missing ref writes it (GT is the only
  # FORMAT field).
  silently "$work/panel" bcftools view -s "$(cut -d' ' -f1 "$work/panel.pairs" | paste -sd,)" \
    "$work/split.vcf.gz" -Ov -o "$work/panel.vcf"
  awk -F'\t' -v OFS='\t' '!/^#/ { for (i = 10; i <= NF; i++) gsub(/\./, "0", $i) } 1' \
    "$work/panel.vcf" | bgzip > "$work/panel.vcf.gz"
  silently "$work/target" bcftools view -s "$(cut -d' ' -f1 "$work/target.pairs" | paste -sd,)" \
    "$work/split.vcf.gz" -Oz -o "$work/target.vcf.gz"
  silently "$work/index" bcftools index -t "$work/panel.vcf.gz"
  silently "$work/index" bcftools index -t "$work/target.vcf.gz"
}

# The records' CHROM POS REF ALT, one a line.
vcf_sites() {
  vcf_records "$1" | cut -f1,2,4,5
}

# The sample names of a VCF's #CHROM line, one a line.
vcf_samples() {
  vcf_text "$1" | awk -F'\t' '/^#CHROM/ { for (i = 10; i <= NF; i++) print $i }'
}

# Whether every genotype of a VCF is phased and called (`i|j`).
all_phased_and_called() {
  vcf_records "$1" | cut -f10- | awk -F'\t' '
    { for (i = 1; i <= NF; i++) { split($i, gt, ":"); if (gt[1] !~ /^[0-9]+[|][0-9]+$/) bad = 1 } }
    END { exit bad }'
}
