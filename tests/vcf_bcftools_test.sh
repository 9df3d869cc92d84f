#!/usr/bin/env bash
# hapmat's --format vcf rows, alleles, genotypes and INFO follow the rules of
# docs/FORMAT.md. Checked on simulated matrices of several shapes (against an
# independent awk implementation of those rules) and on a small hand-written
# matrix whose `bcftools query` output is derived by hand below. That the
# programs reading the VCF take it without a complaint (bcftools view,
# +fill-tags, stats, region queries, ...) is tests/clients/'s part. The
# rules checked here are the per-position ones (--gaps star); deletions
# are vcf_deletions_test.sh's.
#
# Usage: vcf_bcftools_test.sh HAPMAT_EXE WORKDIR
set -euo pipefail
source "$(dirname "$0")/shell_test_start.sh" vcf_bcftools "$@"
export BCFTOOLS_PLUGINS=${BCFTOOLS_PLUGINS:-/usr/lib/x86_64-linux-gnu/bcftools}

# Writes a samtools faidx index for the contigs of a matrix (with a header
# line): one line per CHROM in order of first appearance, LENGTH = its largest
# POS plus a margin.
write_fai() {
  awk '{ sub(/\r$/, "") }
       NR > 1 && NF {
         if (!($1 in max)) { order[++n] = $1; max[$1] = 0 }
         if ($2 + 0 > max[$1]) max[$1] = $2 + 0
       }
       END { for (i = 1; i <= n; i++)
               printf "%s\t%d\t%d\t60\t61\n", order[i], max[order[i]] + 10, i * 100 }' \
    "$1" > "$2"
}

# The VCF data lines the rules of docs/FORMAT.md give for a matrix with a
# header line and auto pairs: an implementation independent of hapmat's.
expected_vcf_rows() {
  awk '
    function carriable(s) { return s ~ /^[ACGTNacgtn]+$/ }
    { sub(/\r$/, "") }
    !NF { next }
    NR == 1 {
      # Auto pairs: <stem>a with <stem>b, ordered by the a column in byte order.
      for (i = 4; i <= NF; i++) col[$i] = i
      ns = 0
      for (i = 4; i <= NF; i++) {
        if ($i !~ /a$/ || length($i) < 2) continue
        stem = substr($i, 1, length($i) - 1)
        if (!((stem "b") in col)) continue
        # insertion sort by the a column name
        j = ns++
        while (j > 0 && ("" aname[j - 1]) > ("" $i)) {
          aname[j] = aname[j - 1]; first[j] = first[j - 1]; second[j] = second[j - 1]; j--
        }
        aname[j] = $i; first[j] = i; second[j] = col[stem "b"]
      }
      next
    }
    {
      # Bases are compared and written in upper case; N or n is missing.
      ref = $3
      if (!carriable(ref)) next
      refu = toupper(ref)
      split("", seen); split("", idx); nalt = 0; nvcf = 0; star = 0; alt = ""
      for (i = 4; i <= NF; i++) {
        a = $i
        if (a == "N" || a == ref || (a in seen)) continue
        seen[a] = 1; nalt++
        au = toupper(a)
        if (a == "-" || a == "*") {
          if (!star) { star = ++nvcf; alt = alt (nvcf > 1 ? "," : "") "*" }
        } else if (au == "N" || au == refu || (au in idx)) {
          continue
        } else if (carriable(a)) {
          idx[au] = ++nvcf; alt = alt (nvcf > 1 ? "," : "") au
        }
      }
      if (!nalt) next
      if (!nvcf) alt = "."
      an = 0
      for (k = 1; k <= nvcf; k++) ac[k] = 0
      gts = ""
      for (s = 0; s < ns; s++) {
        g = ""
        for (h = 0; h < 2; h++) {
          a = $(h ? second[s] : first[s])
          au = toupper(a)
          if (au == "N") gi = "."
          else if (au == refu) gi = 0
          else if (a == "-" || a == "*") gi = star
          else if (au in idx) gi = idx[au]
          else gi = "."
          if (gi != ".") { an++; if (gi > 0) ac[gi]++ }
          g = g (h ? "|" : "") gi
        }
        gts = gts "\t" g
      }
      info = ""
      for (k = 1; k <= nvcf; k++) info = info (k > 1 ? "," : "AC=") ac[k]
      info = info (nvcf ? ";" : "") "AN=" an
      print $1 "\t" $2 "\t.\t" refu "\t" alt "\t.\t.\t" info "\tGT" gts
    }' "$1"
}

# 1-4: simulated matrices.
shapes=(
  "--chroms 2 --length 20000"
  "--chroms 1 --length 5000 --snp-rate 1"
  "--chroms 3 --length 4000 --snp-rate 0.5 --multibase-rate 0.3 --lowercase-rate 0.2"
  "--chroms 2 --length 5000 --haplotypes 9 --missing-rate 0.3 --gap-rate 0.2"
  "--chroms 4 --length 3000 --haplotypes 4 --snp-rate 0.6 --missing-rate 0.6 --gap-rate 0.3 --multibase-rate 0.1"
  "--chroms 3 --length 3000 --haplotypes 7 --snp-rate 1 --gap-rate 0.5 --lowercase-rate 0.5 --delimiter tab --crlf"
)
n=0
for shape in "${shapes[@]}"; do
  n=$((n + 1))
  m=$work/sim$n.txt
  # shellcheck disable=SC2086
  "$hapmat" simulate $shape --header-line -o "$m"
  write_fai "$m" "$work/sim$n.fai"
  "$hapmat" convert -q --format vcf --gaps star --fai "$work/sim$n.fai" "$m" -o "$work/sim$n.vcf" \
    || fail "hapmat convert --format vcf --fai failed for: simulate $shape"
  "$hapmat" convert -q --format vcf --gaps star "$m" -o "$work/sim$n.nofai.vcf" \
    || fail "hapmat convert --format vcf failed for: simulate $shape"

  # --fai adds the ##contig lines and changes nothing else.
  if ! cmp -s <(grep -v '^##contig=' "$work/sim$n.vcf") \
    <(grep -v '^##contig=' "$work/sim$n.nofai.vcf"); then
    fail "--fai changed more than the ##contig lines for: simulate $shape"
  fi
  # Same bytes whatever the engine, threads and block size.
  "$hapmat" convert -q --format vcf --gaps star --engine reference -t 1 "$m" -o "$work/sim$n.ref.vcf"
  "$hapmat" convert -q --format vcf --gaps star -t 3 --block-size 4K "$m" -o "$work/sim$n.4k.vcf"
  cmp -s "$work/sim$n.ref.vcf" "$work/sim$n.nofai.vcf" \
    || fail "--engine reference VCF differs from the default for: simulate $shape"
  cmp -s "$work/sim$n.4k.vcf" "$work/sim$n.nofai.vcf" \
    || fail "-t 3 --block-size 4K VCF differs from the default for: simulate $shape"
  # The data lines follow the rules (independent awk implementation).
  expected_vcf_rows "$m" > "$work/sim$n.expected"
  [ -s "$work/sim$n.expected" ] || fail "no expected rows for: simulate $shape"
  if ! cmp -s <(grep -v '^#' "$work/sim$n.vcf") "$work/sim$n.expected"; then
    diff <(grep -v '^#' "$work/sim$n.vcf") "$work/sim$n.expected" | head -20 >&2 || true
    fail "VCF rows differ from the rules for: simulate $shape (< hapmat, > expected)"
  fi
done

# 5: a hand-written matrix with the edge cases; its query output derived by
# hand from docs/FORMAT.md. Samples 1 (1a,1b) and 2 (2a,2b); MA1 is unpaired.
cat > "$work/edge.txt" <<'EOF'
CHROM POS REF 1a 1b 2a 2b MA1
e 1 A A G N - A
e 2 C C N C C N
e 3 G * - G R G
e 4 T t T TA N C
e 5 - A - - - A
e 6 R A G A G A
e 7 A R A A A A
e 8 ac ac a - ac acg
e 9 N N N N N A
e 10 g G N g A- g
e 11 C C C C C M
e 12 T T T T T -
EOF
# e:1  the table's example: alts G,- -> ALT G,* ; N|- -> .|2
# e:2  no alt but N -> not written
# e:3  * and - are one allele (*, first seen); R left out -> ALT * ; 1|1 0|.
# e:4  t is T once upper-cased: REF's 0 ; TA multi-base, C only in MA1
#      -> ALT TA,C ; t|T -> 0|0 ; TA|N -> 1|.
# e:5  REF - and e:6 REF R: VCF cannot carry them -> not written
# e:7  only alt R left out -> ALT . ; .|0 0|0
# e:8  REF ac written AC, alts a,-,acg -> ALT A,*,ACG ; ac|a -> 0|1 ;
#      -|ac -> 2|0
# e:9  REF N; alt A only in MA1 ; N genotypes are missing -> .|. .|.
# e:10 REF g written G; alt G is REF once upper-cased, A- left out -> ALT . ;
#      G|N -> 0|. ; g|A- -> 0|.
# e:11 M only in MA1, left out -> ALT . ; 0|0 0|0
# e:12 - only in MA1 -> ALT * ; 0|0 0|0
printf 'e\t100\t3\t60\t61\n' > "$work/edge.fai"
tab=$'\t'
expected_edge="1${tab}A${tab}G,*${tab}0|1${tab}.|2
3${tab}G${tab}*${tab}1|1${tab}0|.
4${tab}T${tab}TA,C${tab}0|0${tab}1|.
7${tab}A${tab}.${tab}.|0${tab}0|0
8${tab}AC${tab}A,*,ACG${tab}0|1${tab}2|0
9${tab}N${tab}A${tab}.|.${tab}.|.
10${tab}G${tab}.${tab}0|.${tab}0|.
11${tab}C${tab}.${tab}0|0${tab}0|0
12${tab}T${tab}*${tab}0|0${tab}0|0"
"$hapmat" convert -q --format vcf --gaps star --fai "$work/edge.fai" "$work/edge.txt" -o "$work/edge.vcf" \
  || fail "hapmat convert --format vcf failed on the hand-written matrix"
got_edge=$("$bcftools" query -f '%POS\t%REF\t%ALT[\t%GT]\n' "$work/edge.vcf") \
  || fail "bcftools query failed on the hand-written matrix's VCF"
if [ "$got_edge" != "$expected_edge" ]; then
  diff <(printf '%s\n' "$expected_edge") <(printf '%s\n' "$got_edge") >&2 || true
  fail "bcftools query of the hand-written matrix differs (< expected, > got)"
fi

# BGZF output from BGZF input: bgzip -t accepts it and it decompresses to
# the plain VCF.
m=$work/sim1.txt
bgzip -c "$m" > "$m.gz"
"$hapmat" convert -q -t 2 --format vcf --gaps star --fai "$work/sim1.fai" "$m.gz" \
  -o "$work/bgzf.vcf.gz" || fail "hapmat convert -o .vcf.gz failed"
bgzip -t "$work/bgzf.vcf.gz" || fail "the .vcf.gz output is not valid BGZF"
gzip -dc "$work/bgzf.vcf.gz" | cmp -s - "$work/sim1.vcf" \
  || fail "the .vcf.gz output does not decompress to the plain VCF"

# The longest --fai sequence a CSI index htslib answers from: at 2^47 - 256
# bcftools view -r finds every row, of either contig; one more is refused
# before the run (htslib would write an index that finds none).
printf 'CHROM POS REF 1a 1b\n1 5 A A C\n1 7 G T G\n2 9 A C C\n' > "$work/long.txt"
printf '1\t140737488355072\n2\t1000\n' > "$work/long.fai"
"$hapmat" convert -q --format vcf --fai "$work/long.fai" "$work/long.txt" \
  -o "$work/long.vcf.gz" --index=csi || fail "--index=csi at 2^47 - 256 failed"
if [ "$("$bcftools" view -H -r 1:1-100 "$work/long.vcf.gz" | wc -l)" != 2 ] ||
  [ "$("$bcftools" view -H -r 2 "$work/long.vcf.gz" | wc -l)" != 1 ]; then
  fail "bcftools view -r does not find the rows through the CSI index at 2^47 - 256"
fi
printf '1\t140737488355073\n2\t1000\n' > "$work/long.fai"
code=0
"$hapmat" convert -q --format vcf --fai "$work/long.fai" "$work/long.txt" \
  -o "$work/long.vcf.gz" --index=csi 2> /dev/null || code=$?
[ "$code" = 2 ] || fail "--index=csi past 2^47 - 256 exits $code, not 2"

echo "vcf_bcftools: ${#shapes[@]} simulated matrices and the hand-written one follow the rules; BGZF output is the plain VCF; the CSI limit holds"
