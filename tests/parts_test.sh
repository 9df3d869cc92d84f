#!/usr/bin/env bash
# `hapmat convert --part K/N` on N machines, then `hapmat concat`, must give
# exactly the single run's bytes (for a BGZF output, the same decompressed
# bytes in one valid BGZF file that tabix and bcftools read), for plain and
# BGZF inputs, every output format (VCF with and without --fai), plain and
# .gz outputs, N = 1, 3 and 7; with blocks smaller than a part (--block-size
# 4K) and parts smaller than a block (the default 1M), parts holding no line
# start (more parts than lines, lines longer than a part), a matrix without a
# header line (--header), CRLF line ends and a last line without its
# newline. Then the failures: a gzip input that is not BGZF is refused, a
# failed part leaves no file, and concat refuses a missing or truncated part
# and writes nothing (tests/parts_record_test.cpp checks each refusal).
#
# Usage: parts_test.sh HAPMAT_EXE WORKDIR
set -euo pipefail
source "$(dirname "$0")/shell_test_start.sh" parts_test "$@"

# A samtools faidx index for the contigs of a matrix, in order of first
# appearance, each a little longer than its largest POS (VCF ##contig lines).
write_fai() {
  local matrix=$1 header_line=$2
  awk -v skip="$header_line" '{ sub(/\r$/, "") }
       NR > skip && NF {
         if (!($1 in max)) { order[++n] = $1; max[$1] = 0 }
         if ($2 + 0 > max[$1]) max[$1] = $2 + 0
       }
       END { for (i = 1; i <= n; i++)
               printf "%s\t%d\t%d\t60\t61\n", order[i], max[order[i]] + 10, i * 100 }' \
    "$matrix"
}

# The 28-byte empty block that ends every BGZF file.
bgzf_eof=1f8b08040000000000ff0600424302001b0003000000000000000000

# Inputs: NAME FILE "convert options". Built from simulated matrices.
cases=()
add_case() { cases+=("$1|$2|$3"); }

m=$work/small.txt # ~650 KB: parts smaller than a 1M block
"$hapmat" simulate --chroms 3 --length 3000 --snp-rate 0.3 --multibase-rate 0.1 \
  --header-line -o "$m"
write_fai "$m" 1 > "$work/small.fai"
bgzip -c "$m" > "$m.gz" # 64 KiB blocks: every part spans a few
add_case small "$m" ""
add_case small-4k "$m" "--block-size 4K -t 2"
add_case small-bgzf "$m.gz" ""
add_case small-bgzf-4k "$m.gz" "--block-size 4K -t 2"

# The original's layout: no header line, names in a file; tabs and CRLF.
m=$work/headerless.txt
"$hapmat" simulate --chroms 2 --length 3000 --haplotypes 9 --snp-rate 0.5 --delimiter tab \
  --crlf --header-out "$work/headerless.names" -o "$m"
write_fai "$m" 0 > "$work/headerless.fai"
bgzip -c "$m" > "$m.gz"
add_case headerless "$m" "--header $work/headerless.names --block-size 4K"
add_case headerless-bgzf "$m.gz" "--header $work/headerless.names --block-size 4K"

# More parts than lines: most parts hold no line start.
m=$work/few.txt
"$hapmat" simulate --chroms 1 --length 3 --haplotypes 4 --snp-rate 1 --header-line -o "$m"
write_fai "$m" 1 > "$work/few.fai"
bgzip -c "$m" > "$m.gz"
add_case few "$m" ""
add_case few-bgzf "$m.gz" ""

# Lines of ~40 KB (20000 haplotypes) in a file of ~300 KB: with 7 parts,
# some start and end inside one line; blocks of 4K are smaller than a line.
m=$work/wide.txt
"$hapmat" simulate --chroms 1 --length 3 --haplotypes 20000 --snp-rate 1 --header-line -o "$m"
write_fai "$m" 1 > "$work/wide.fai"
bgzip -c "$m" > "$m.gz"
add_case wide "$m" "--block-size 4K"
add_case wide-bgzf "$m.gz" "--block-size 4K"

# The last line without its newline.
m=$work/nonl.txt
"$hapmat" simulate --chroms 2 --length 2000 --snp-rate 0.3 --header-line -o "$m.tmp"
head -c -1 "$m.tmp" > "$m"
rm "$m.tmp"
write_fai "$m" 1 > "$work/nonl.fai"
add_case nonl "$m" ""

# vcf-nofai: VCF without --fai, whose ##contig lines are the matrix's CHROMs
# (grouped here): part 1 must name those of the parts after it.
formats=(haplotype phase-extender vcf vcf-nofai)
suffixes=(.txt .gz)
part_counts=(1 3 7)

# Converts one case in N parts and checks the concatenation against the
# single run `single`.
check_parts() {
  local name=$1 input=$2 opts=$3 n=$4 suffix=$5 single=$6
  local dir=$work/$name.n$n$suffix k parts=()
  mkdir -p "$dir"
  for ((k = 1; k <= n; k++)); do
    parts+=("$dir/part$k$suffix")
    # shellcheck disable=SC2086
    "$hapmat" convert -q --part "$k/$n" $opts "$input" -o "$dir/part$k$suffix" \
      || fail "$name: convert --part $k/$n $opts exited non-zero"
    [ -f "$dir/part$k$suffix" ] || fail "$name: convert --part $k/$n wrote no file"
  done
  "$hapmat" concat -o "$dir/joined$suffix" "${parts[@]}" \
    || fail "$name: concat of $n parts exited non-zero"
  if [ "$suffix" = .gz ]; then
    bgzip -t "$dir/joined$suffix" || fail "$name: concat of $n parts is not valid BGZF"
    [ "$(tail -c 28 "$dir/joined$suffix" | od -An -tx1 | tr -d ' \n')" = "$bgzf_eof" ] \
      || fail "$name: concat of $n parts does not end with the BGZF end-of-file block"
    cmp -s <(gzip -dc "$dir/joined$suffix") <(gzip -dc "$single") \
      || fail "$name: concat of $n parts does not decompress to the single run's bytes"
    cmp -s <(cat "${parts[@]}" | gzip -dc) <(gzip -dc "$single") \
      || fail "$name: the $n parts, decompressed in order, differ from the single run"
  else
    cmp -s "$dir/joined$suffix" "$single" \
      || fail "$name: concat of $n parts differs from the single run"
    cmp -s <(cat "${parts[@]}") "$single" \
      || fail "$name: the $n parts, cat in order, differ from the single run"
    if ((n == 1)); then
      cmp -s "$dir/part1$suffix" "$single" || fail "$name: --part 1/1 differs from the single run"
    fi
  fi
}

checked=0
for c in "${cases[@]}"; do
  IFS='|' read -r name input opts <<< "$c"
  base=${name%%-*}
  for format in "${formats[@]}"; do
    case $format in
      vcf) fopts="--format vcf $opts --fai $work/$base.fai" ;;
      vcf-nofai) fopts="--format vcf $opts" ;;
      *) fopts="--format $format $opts" ;;
    esac
    for suffix in "${suffixes[@]}"; do
      single=$work/$name.$format.single$suffix
      # shellcheck disable=SC2086
      "$hapmat" convert -q $fopts "$input" -o "$single" \
        || fail "$name: the single run of convert $fopts exited non-zero"
      for n in "${part_counts[@]}"; do
        check_parts "$name.$format" "$input" "$fopts" "$n" "$suffix" "$single"
        checked=$((checked + 1))
      done
    done
  done
done

# Data rows must be there to compare: the VCF of the small matrix has some.
grep -qv '^#' "$work/small.vcf.single.txt" || fail "the small matrix's VCF has no rows"

# A VCF in BGZF joined with --index: tabix (.tbi) and bcftools (.csi) find
# the rows of a region exactly as in the single run (those that overlap it:
# a deletion's REF spans several bases); bcftools reads it without a
# complaint.
plain_vcf=$work/small.vcf.single.txt
dir=$work/small.vcf.n7.gz
region_chrom=$(awk -F'\t' '!/^#/ {print $1; exit}' "$plain_vcf")
expected_region=$(awk -F'\t' -v c="$region_chrom" \
  '!/^#/ && $1 == c && $2 + length($4) - 1 >= 2000 && $2 <= 4000' "$plain_vcf")
[ -n "$expected_region" ] || fail "no rows in the region to query"
parts=("$dir"/part{1..7}.gz)
"$hapmat" concat --index -o "$dir/indexed.vcf.gz" "${parts[@]}" \
  || fail "concat --index exited non-zero"
[ -s "$dir/indexed.vcf.gz.tbi" ] || fail "concat --index wrote no .tbi"
got=$(tabix "$dir/indexed.vcf.gz" "$region_chrom:2000-4000") || fail "tabix could not query"
[ "$got" = "$expected_region" ] || fail "tabix on the joined VCF returned other rows"
"$hapmat" concat --index=csi -o "$dir/indexed-csi.vcf.gz" "${parts[@]}" \
  || fail "concat --index=csi exited non-zero"
[ -s "$dir/indexed-csi.vcf.gz.csi" ] || fail "concat --index=csi wrote no .csi"
got=$("$bcftools" view -H -r "$region_chrom:2000-4000" "$dir/indexed-csi.vcf.gz") \
  || fail "bcftools view -r failed on the joined VCF"
[ "$got" = "$expected_region" ] || fail "bcftools view -r on the joined VCF returned other rows"
"$bcftools" view "$dir/indexed.vcf.gz" > /dev/null 2> "$dir/view.err" \
  || fail "bcftools view failed on the joined VCF: $(cat "$dir/view.err")"
[ ! -s "$dir/view.err" ] || fail "bcftools view complained: $(cat "$dir/view.err")"
# Part 1 alone carries the ##contig lines.
grep -q '^##contig=' "$work/small.vcf.n7.txt/part1.txt" || fail "part 1 has no ##contig lines"
if grep -q '^#' "$work/small.vcf.n7.txt/part2.txt"; then
  fail "part 2 of a VCF has header lines"
fi

# A gzip input that is not BGZF cannot be split: refused, nothing written.
gzip -c "$work/small.txt" > "$work/plain-gzip.txt.gz"
if "$hapmat" convert -q --part 1/3 "$work/plain-gzip.txt.gz" -o "$work/gzip-part1.txt" \
  2> "$work/gzip.err"; then
  fail "a gzip (not BGZF) input was split"
fi
grep -q bgzip "$work/gzip.err" || fail "the refusal of a gzip input does not say to use bgzip"
[ ! -e "$work/gzip-part1.txt" ] || fail "a refused gzip input left an output file"

# A failed part leaves no file. Part 2 of 3 holds a row whose POS is not a
# number (same length, so the part boundaries do not move).
bad=$work/bad
mkdir -p "$bad/parts"
lines=$(wc -l < "$work/small.txt")
row=$((lines / 2))
sed "${row}s/^\([^ ]* [0-9]*\)[0-9] /\1x /" "$work/small.txt" > "$bad/matrix.txt"
[ "$(wc -c < "$bad/matrix.txt")" = "$(wc -c < "$work/small.txt")" ] \
  || fail "the corrupted matrix does not have the original's size"
cmp -s "$bad/matrix.txt" "$work/small.txt" && fail "the matrix was not corrupted"
for k in 1 3; do
  "$hapmat" convert -q --part "$k/3" "$bad/matrix.txt" -o "$bad/parts/part$k.txt" \
    || fail "part $k/3 of the corrupted matrix failed: its rows are fine"
done
if "$hapmat" convert -q --part 2/3 "$bad/matrix.txt" -o "$bad/parts/part2.txt" 2> "$bad/part2.err"; then
  fail "part 2/3 of the corrupted matrix succeeded"
fi
grep -q "is not a whole number" "$bad/part2.err" || fail "part 2/3 failed without naming the bad POS"
left=$(cd "$bad/parts" && find . -mindepth 1 | sort | tr '\n' ' ')
[ "$left" = "./part1.txt ./part1.txt.hapmat-part ./part3.txt ./part3.txt.hapmat-part " ] \
  || fail "the failed part left files: $left"

# concat refuses a missing part and a truncated one (exit 1: bad input), and
# writes nothing.
status=0
"$hapmat" concat -o "$bad/joined.txt" "$bad/parts/part1.txt" "$bad/parts/part2.txt" \
  "$bad/parts/part3.txt" 2> "$bad/concat.err" || status=$?
[ "$status" = 1 ] || fail "concat of a missing part exited $status, not 1"
grep -q part2.txt "$bad/concat.err" || fail "concat's refusal does not name the missing part"
[ ! -e "$bad/joined.txt" ] || fail "concat of a missing part left an output file"
dir=$work/small.haplotype.n3.gz
head -c "$(($(wc -c < "$dir/part2.gz") / 2))" "$dir/part2.gz" > "$bad/part2-truncated.gz"
cp "$dir/part2.gz.hapmat-part" "$bad/part2-truncated.gz.hapmat-part"
status=0
"$hapmat" concat -o "$bad/joined.gz" "$dir/part1.gz" "$bad/part2-truncated.gz" \
  "$dir/part3.gz" 2> "$bad/concat-truncated.err" || status=$?
[ "$status" = 1 ] || fail "concat of a truncated BGZF part exited $status, not 1"
grep -q part2-truncated.gz "$bad/concat-truncated.err" \
  || fail "concat's refusal does not name the truncated part"
[ ! -e "$bad/joined.gz" ] || fail "concat of a truncated part left an output file"
[ -z "$(find "$bad" -maxdepth 1 -name '*joined*')" ] \
  || fail "a refused concat left a temporary file: $(find "$bad" -maxdepth 1 -name '*joined*')"

echo "parts_test: $checked splits of ${#cases[@]} inputs x ${#formats[@]} formats x plain/.gz x N=1,3,7 join to the single run; --index .tbi/.csi, gzip refusal, failed and missing parts checked"
