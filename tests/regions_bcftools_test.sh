#!/usr/bin/env bash
# hapmat convert's -r/-R, -s/-S, --all-sites and --haploid against what a
# bcftools user gets today: `bcftools view -r/-R/-s` of hapmat's own whole,
# indexed VCF. On simulated matrices of three CHROMs, plain and BGZF (where
# the regions are found by bisection), from a pipe (filtered while
# streaming), and in parts; the records must be the same bytes, and the
# header too but for the lines bcftools adds about itself. --haploid is
# checked against the diploid output: each pair's two columns make up its
# diploid sample. The same with --gaps deletions, whose records (deletions
# reaching into a region from before it too) are picked after joining.
#
# Usage: regions_bcftools_test.sh HAPMAT_EXE WORKDIR
set -euo pipefail
source "$(dirname "$0")/shell_test_start.sh" regions_bcftools "$@"
cd "$work"

# bcftools view --no-version adds one line to any header: the PASS filter
# it always knows.
view_vcf() {
  "$bcftools" view --no-version "$@" | grep -v '^##FILTER=<ID=PASS,' || true
}

# same NAME EXPECTED ACTUAL: byte for byte.
same() {
  cmp -s "$2" "$3" || {
    diff "$2" "$3" | head -5 >&2
    fail "$1: differs from bcftools ($2 vs $3)"
  }
}

"$hapmat" simulate --chroms 3 --length 30000 --haplotypes 7 --snp-rate 0.05 \
  --multibase-rate 0.02 --lowercase-rate 0.01 --seed 18 --header-line \
  -o m.txt
bgzip -c m.txt > m.txt.gz
# A gap a '*' record (--gaps star) here; deletions (the default) below.
"$hapmat" convert -q m.txt --format vcf --gaps star -o whole.vcf.gz --index
"$hapmat" convert -q m.txt --format vcf --gaps star --all-sites -o all.vcf.gz --index
"$hapmat" convert -q m.txt --format vcf --gaps star --haploid -o haploid.vcf.gz --index

# bcftools writes the rows of a regions file's CHROMs in the file's order;
# hapmat in the input's (below): these list the CHROMs in the input's order.
printf '1\t20000\t20500\n2\t1500\t2500\n2\t999\t2000\n' > regions.bed
printf '# CHROM FROM TO\n1\t77\t77\n3\t100\t400\n3\t29990\t29999\n' > regions.txt
printf '3\n1\n' > samples.txt

# compare NAME WHOLE_VCF BCFTOOLS_ARGS -- HAPMAT_ARGS: for each input
# ($matrix.txt, plain and BGZF), hapmat's VCF with $gaps and HAPMAT_ARGS is
# what bcftools view BCFTOOLS_ARGS makes of WHOLE_VCF.
matrix=m
gaps=(--gaps star)
compare() {
  local name=$1 whole=$2
  shift 2
  local view=()
  while [[ $1 != -- ]]; do
    view+=("$1")
    shift
  done
  shift
  view_vcf "${view[@]}" "$whole" > "$name.expected"
  local rows
  rows=$(grep -vc '^#' "$name.expected" || true)
  for input in $matrix.txt $matrix.txt.gz; do
    "$hapmat" convert -q "$input" --format vcf "${gaps[@]}" "$@" \
      > "$name.$input.vcf"
    same "$name ($input)" "$name.expected" "$name.$input.vcf"
  done
  # A pipe: the rows are filtered as they stream.
  "$hapmat" convert -q - --format vcf "${gaps[@]}" "$@" < $matrix.txt \
    > "$name.pipe.vcf"
  same "$name (pipe)" "$name.expected" "$name.pipe.vcf"
  # Parts keep the selected rows of their byte ranges.
  for input in $matrix.txt $matrix.txt.gz; do
    for k in 1 2 3; do
      "$hapmat" convert -q "$input" --format vcf "${gaps[@]}" "$@" \
        --part "$k/3" > "$name.part$k.vcf"
    done
    cat "$name".part{1,2,3}.vcf > "$name.parts.vcf"
    same "$name ($input in 3 parts)" "$name.expected" "$name.parts.vcf"
  done
  echo "regions_bcftools: $name: $rows rows as bcftools view ${view[*]}"
}

compare chrom whole.vcf.gz -r 2 -- -r 2
compare spans whole.vcf.gz -r 1:5000-6000,3:100-200 -- -r 1:5000-6000,3:100-200
compare overlapping whole.vcf.gz -r 1:100-900,1:500-1500 -- -r 1:100-900,1:500-1500
compare to_end whole.vcf.gz -r 2:29000- -- -r 2:29000-
compare first_rows whole.vcf.gz -r 1:1-300 -- -r 1:1-300
compare last_rows whole.vcf.gz -r 3:29700-30000 -- -r 3:29700-30000
compare no_rows whole.vcf.gz -r 2:40000-50000 -- -r 2:40000-50000
compare unknown_chrom whole.vcf.gz -r 7,2:100-200 -- -r 7,2:100-200
compare bed whole.vcf.gz -R regions.bed -- -R regions.bed
compare one_based whole.vcf.gz -R regions.txt -- -R regions.txt
compare samples whole.vcf.gz -s 3,1 -- -s 3,1
compare excluded whole.vcf.gz -s ^2 -- -s ^2
compare samples_file whole.vcf.gz -S samples.txt -- -S samples.txt
compare excluded_file whole.vcf.gz -S ^samples.txt -- -S ^samples.txt
compare combined whole.vcf.gz -r 1:10000-12000,2 -s ^1 -- \
  -r 1:10000-12000,2 -s ^1
compare all_sites all.vcf.gz -r 1:2000-4000 -s 2 -- --all-sites -r 1:2000-4000 -s 2
compare haploid haploid.vcf.gz -r 3:5000-7000 -s MA1,1b -- \
  --haploid -r 3:5000-7000 -s MA1,1b

# VCF deletions: the records are joined from every row and every sample,
# then -r/-R and -s/-S pick among them as bcftools view does from the whole
# run's VCF; a deletion that starts before a region and reaches into it is
# kept whole. Runs of gaps up to 300 positions, SNPs and insertions among
# them; and a hand-made matrix (30 haplotypes) whose deletion of 2501
# positions starts further before the region than the text bisection
# reads around it, so the rows before it are read for it.
matrix=d
gaps=()  # the default
"$hapmat" simulate --chroms 3 --length 30000 --haplotypes 7 --snp-rate 0.05 \
  --gap-rate 0.05 --missing-rate 0.02 --multibase-rate 0.02 \
  --gap-length-max 300 --seed 18 --header-line -o d.txt
bgzip -c d.txt > d.txt.gz
"$hapmat" convert -q d.txt --format vcf --gaps deletions -o dwhole.vcf.gz --index
compare del_chrom dwhole.vcf.gz -r 2 -- --gaps deletions -r 2
compare del_spans dwhole.vcf.gz -r 1:5000-6000,3:100-200 -- \
  --gaps deletions -r 1:5000-6000,3:100-200
compare del_first_rows dwhole.vcf.gz -r 1:1-300 -- --gaps deletions -r 1:1-300
compare del_to_end dwhole.vcf.gz -r 3:29700- -- --gaps deletions -r 3:29700-
compare del_bed dwhole.vcf.gz -R regions.bed -- --gaps deletions -R regions.bed
compare del_samples dwhole.vcf.gz -s 3,1 -- --gaps deletions -s 3,1
compare del_excluded_file dwhole.vcf.gz -S ^samples.txt -- \
  --gaps deletions -S ^samples.txt
compare del_combined dwhole.vcf.gz -r 1:10000-12000,2 -s ^1 -- \
  --gaps deletions -r 1:10000-12000,2 -s ^1
# --all-sites with deletions: every position a row gives is in exactly one
# record (a joined record's span, or a record of ALT '.'), and without the
# records of ALT '.' the output is the deletions without --all-sites.
"$hapmat" convert -q d.txt --format vcf --gaps deletions --all-sites \
  -o dall.vcf.gz --index
"$bcftools" view -H -e 'ALT="."' dall.vcf.gz > dall.variant
"$bcftools" view -H dwhole.vcf.gz > dwhole.records
same "deletions --all-sites without its ALT . records" dwhole.records dall.variant
awk 'NR > 1 { print $1 ":" $2 }' d.txt | sort > d.positions
"$bcftools" query -f '%CHROM %POS %REF\n' dall.vcf.gz |
  awk '{ for (i = 0; i < length($3); i++) print $1 ":" $2 + i }' |
  sort > dall.positions
same "deletions --all-sites: each position in one record" d.positions dall.positions
compare del_all_sites dall.vcf.gz -r 1:5000-6000,3:100-200 -s 3,1 -- \
  --gaps deletions --all-sites -r 1:5000-6000,3:100-200 -s 3,1
awk 'BEGIN {
  srand(7); split("A C G T", base, " ")
  printf "CHROM POS REF"
  for (h = 1; h <= 15; h++) printf " %da %db", h, h
  print ""
  for (p = 1; p <= 20000; p++) {
    ref = base[int(rand() * 4) + 1]; line = "1 " p " " ref
    for (c = 1; c <= 30; c++) {
      a = ref
      if (rand() < 0.01) a = base[int(rand() * 4) + 1]
      if (c == 5 && p >= 10000 && p <= 12500) a = "-"
      if (c == 12 && p >= 11000 && p <= 11003) a = "-"
      line = line " " a
    }
    print line
  }
}' > w.txt
bgzip -c w.txt > w.txt.gz
"$hapmat" convert -q w.txt --format vcf --gaps deletions -o wwhole.vcf.gz --index
"$bcftools" view -H -r 1:12400-12450 wwhole.vcf.gz | cut -f 2 > w.kept
[[ $(cat w.kept) == 9999 ]] || fail "w.txt: the deletion is not one record at 9999: $(cat w.kept)"
matrix=w
compare del_far_start wwhole.vcf.gz -r 1:12400-12450 -- \
  --gaps deletions -r 1:12400-12450
"$hapmat" convert d.txt --format vcf --gaps deletions -r 2:100-200 \
  -o /dev/null 2> del_summary.err
grep -Eq 'regions: [0-9]+ records overlapping them, [0-9]+ outside them left out, ' \
  del_summary.err || fail "deletions' regions summary: $(cat del_summary.err)"
# The counts are the run's whatever joins the chunks (from 3 threads each
# chunk on its worker, the borders serially).
for run in "-t 1" "-t 3 --block-size 4K"; do
  # shellcheck disable=SC2086
  "$hapmat" convert d.txt --format vcf --gaps deletions -r 2 $run \
    -o /dev/null 2>&1 | grep -o 'regions: [^;]*' > "del_counts.${run// /}"
done
same "deletions' region counts with 3 threads" del_counts.-t1 del_counts.-t3--block-size4K

# A region of a file is found by bisection: most of the input is not read.
for input in m.txt m.txt.gz; do
  "$hapmat" convert "$input" -r 2:10000-10100 > /dev/null 2> summary.err
  grep -Eq 'regions: [0-9]+ selected, [0-9]+ read outside them, [0-9.]+ (kB|MB) of input skipped by bisection' \
    summary.err || fail "$input was not bisected: $(cat summary.err)"
  outside=$(grep 'regions:' summary.err | sed -E 's/.* ([0-9]+) read outside them.*/\1/')
  ((outside < 20000)) || fail "$input: $outside rows read outside the region"
done

# Rows come in the input's order, whatever the regions' order.
"$hapmat" convert -q m.txt -r 3:100-400,1:20000-20500,3:50-150 > any_order.txt
"$hapmat" convert -q m.txt -r 1:20000-20500,3:50-400 > in_order.txt
same "regions out of order" in_order.txt any_order.txt

# --all-sites: one record a row (REF is always carried here), and without
# the ALT '.' records, the variant output.
rows=$(grep -vc '^CHROM' m.txt)
records=$("$bcftools" view -H all.vcf.gz | wc -l)
((rows == records)) || fail "--all-sites: $records records for $rows rows"
"$bcftools" view -H -e 'ALT="."' all.vcf.gz > all.variant
"$bcftools" view -H whole.vcf.gz > whole.records
same "--all-sites without invariant rows" whole.records all.variant

# --haploid: the diploid sample s is the haploid samples sa|sb, row for
# row. haploid_matches NAME HAPLOID_VCF DIPLOID_VCF.
haploid_matches() {
  "$bcftools" query -H -f '%CHROM %POS %REF %ALT[ %GT]\n' "$2" > "$1.haploid.gt"
  "$bcftools" query -H -f '%CHROM %POS %REF %ALT[ %GT]\n' "$3" > "$1.diploid.gt"
  awk 'function sample(field) { sub(/^\[[0-9]+\]/, "", field); sub(/:GT$/, "", field)
                                return field }
       FNR == 1 { sub(/^# /, "") }
       NR == FNR {
         if (FNR == 1) { for (i = 5; i <= NF; i++) col[sample($i)] = i; next }
         row[FNR] = $0; next
       }
       FNR == 1 { for (i = 5; i <= NF; i++) name[i] = sample($i); next }
       {
         split(row[FNR], h, " ")
         if (h[1] != $1 || h[2] != $2 || h[3] != $3 || h[4] != $4) {
           print "line " FNR ": " $0 " vs " row[FNR]; exit 1
         }
         for (i = 5; i <= NF; i++) {
           want = h[col[name[i] "a"]] "|" h[col[name[i] "b"]]
           if ($i != want) { print "line " FNR ", " name[i] ": " $i " vs " want; exit 1 }
         }
       }
       END { if (FNR < 100) { print "too few rows: " FNR; exit 1 } }' \
    "$1.haploid.gt" "$1.diploid.gt" ||
    fail "$1: --haploid does not make up the diploid samples"
}
haploid_matches star haploid.vcf.gz whole.vcf.gz
# With deletions, on a matrix of pairs only (a column in no pair would
# join bubbles of its own as a haploid sample).
"$hapmat" simulate --chroms 2 --length 20000 --haplotypes 6 --snp-rate 0.05 \
  --gap-rate 0.05 --missing-rate 0.02 --multibase-rate 0.02 \
  --gap-length-max 200 --seed 5 --header-line -o p.txt
bgzip -c p.txt > p.txt.gz
"$hapmat" convert -q p.txt --format vcf --gaps deletions -o pwhole.vcf.gz --index
"$hapmat" convert -q p.txt --format vcf --gaps deletions --haploid \
  -o phaploid.vcf.gz --index
haploid_matches deletions phaploid.vcf.gz pwhole.vcf.gz
matrix=p
compare del_haploid phaploid.vcf.gz -r 2:5000-9000 -s 3b,1a -- \
  --gaps deletions --haploid -r 2:5000-9000 -s 3b,1a

# An unsorted matrix: the bisection says where, and nothing is written.
awk 'NR == 1 || $1 != 1' m.txt > other.txt
{
  head -1 m.txt
  awk '$1 == 1 && $2 > 15000' m.txt
  awk '$1 == 1 && $2 <= 15000' m.txt
  tail -n +2 other.txt
} > unsorted.txt
if "$hapmat" convert -q unsorted.txt -r 1:20000-20100 -o out.txt 2> unsorted.err; then
  fail "an unsorted matrix was bisected without a word"
fi
grep -q '^hapmat: unsorted.txt:[0-9]*:[0-9]*: .*sorted by POS' unsorted.err ||
  fail "unsorted: $(cat unsorted.err)"
[[ ! -e out.txt ]] || fail "unsorted: an output was left"
echo "regions_bcftools: all passed"
