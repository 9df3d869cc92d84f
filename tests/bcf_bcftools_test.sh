#!/usr/bin/env bash
# --format bcf and ubcf hold exactly the records of --format vcf with the
# same options: for every golden VCF case and simulated matrices under the
# options that change records, `bcftools view` of the BCF is `bcftools
# view` of the VCF byte for byte, and the uncompressed BCF is what `bcftools
# view -Ou` makes of the VCF, byte for byte. Also: -l levels never change
# the decompressed bytes (table .gz, VCF.gz, BCF), level 0 stores; BCF to
# standard output is BGZF; --index writes a .csi that view -r reads; parts
# join; a POS BCF cannot hold is refused.
#
# Usage: bcf_bcftools_test.sh HAPMAT_EXE WORKDIR
set -euo pipefail
source "$(dirname "$0")/shell_test_start.sh" bcf_bcftools "$@"
golden=$(cd "$(dirname "$0")/data/golden" && pwd)

view() { "$bcftools" view --no-version "$@"; }

# same_records LABEL ARGS...: ARGS (with --format vcf) converted as VCF,
# BCF and uncompressed BCF agree; a failing VCF run fails alike as BCF.
same_records() {
  local label=$1
  shift
  local vcf_args=("$@") bcf_args=() ubcf_args=() a
  for a in "$@"; do
    bcf_args+=("${a/#vcf/bcf}")
    ubcf_args+=("${a/#vcf/ubcf}")
  done
  local vcf_rc=0 bcf_rc=0
  "$hapmat" convert -q "${vcf_args[@]}" -o "$work/r.vcf" 2> "$work/vcf.err" || vcf_rc=$?
  "$hapmat" convert -q "${bcf_args[@]}" -o "$work/r.bcf" 2> "$work/bcf.err" || bcf_rc=$?
  # A POS of 2^31 or more is VCF's only: BCF stops at the first such row
  # written (VCF may fail later, or not at all).
  if grep -q "is larger than BCF holds (htslib writes up to 2147483647)" "$work/bcf.err"; then
    [ "$bcf_rc" = 1 ] && awk '{ for (i = 1; i <= NF; i++) if ($i == "POS") exit !($(i + 1) > 2147483647) }' \
      "$work/bcf.err" || fail "$label: BCF refused a POS it holds: $(cat "$work/bcf.err")"
    return
  fi
  [ "$vcf_rc" = "$bcf_rc" ] || fail "$label: exit $bcf_rc for BCF, $vcf_rc for VCF"
  if [ "$vcf_rc" != 0 ]; then
    cmp -s "$work/vcf.err" "$work/bcf.err" \
      || fail "$label: BCF's error differs from VCF's: $(cat "$work/bcf.err")"
    return
  fi
  cmp -s <(view "$work/r.vcf") <(view "$work/r.bcf") \
    || fail "$label: bcftools view of the BCF differs from that of the VCF"
  "$hapmat" convert -q "${ubcf_args[@]}" > "$work/r.ubcf" \
    || fail "$label: --format ubcf failed"
  cmp -s <(view -Ou "$work/r.vcf") "$work/r.ubcf" \
    || fail "$label: --format ubcf is not bcftools view -Ou of the VCF"
  cmp -s <(bgzip -dc "$work/r.bcf") "$work/r.ubcf" \
    || fail "$label: --format bcf does not decompress to --format ubcf"
}

# 1: every golden VCF case, in its folder (its arguments name its files).
cases=0
for dir in "$golden"/*/; do
  args=$(cat "$dir/args")
  case " $args " in *" --format vcf "*) ;; *) continue ;; esac
  cases=$((cases + 1))
  # shellcheck disable=SC2086
  (cd "$dir" && same_records "golden $(basename "$dir")" $args)
done
[ "$cases" -ge 20 ] || fail "only $cases golden VCF cases found"

# 2: simulated matrices under every option that changes the records.
"$hapmat" simulate --chroms 3 --length 6000 --haplotypes 9 --snp-rate 0.4 \
  --missing-rate 0.1 --gap-rate 0.1 --multibase-rate 0.2 --lowercase-rate 0.1 \
  --header-line -o "$work/m.txt"
"$hapmat" simulate --chroms 2 --length 3000 --snp-rate 1 --gap-rate 0.3 \
  --gap-length-max 200 --header-line -o "$work/gaps.txt"
# 300 haplotypes: AC and GT vectors longer than 14 (the long size form).
"$hapmat" simulate --chroms 1 --length 2000 --haplotypes 300 --snp-rate 0.5 \
  --multibase-rate 0.5 --header-line -o "$work/wide.txt"
m=$work/m.txt
for opts in "" "--missing ref" "--haploid" "--all-sites" "-s 3,1" "-r 2:100-3000" \
  "-t 3 --block-size 4K" "--engine reference"; do
  # shellcheck disable=SC2086
  same_records "simulated, $opts" --format vcf --gaps star $opts "$m"
done
same_records "deletions" --format vcf --gaps deletions "$work/gaps.txt"
same_records "deletions, --max-deletion 5, -t 3 --block-size 4K" --format vcf \
  --gaps deletions --max-deletion 5 -t 3 --block-size 4K "$work/gaps.txt"
same_records "300 haplotypes" --format vcf --gaps star "$work/wide.txt"
# Standard input (the rows spooled until the CHROMs are known).
"$hapmat" convert -q --format bcf --gaps star - < "$m" > "$work/stdin.bcf"
"$hapmat" convert -q --format bcf --gaps star "$m" -o "$work/file.bcf"
cmp -s <(bgzip -dc "$work/stdin.bcf") <(bgzip -dc "$work/file.bcf") \
  || fail "BCF from standard input differs from BCF from the file"

# 3: BCF to standard output is BGZF; ubcf is not.
"$hapmat" convert -q --format bcf --gaps star "$m" > "$work/out.bcf"
bgzip -t "$work/out.bcf" || fail "--format bcf to standard output is not BGZF"
head -c 5 "$work/r.ubcf" | cmp -s - <(printf 'BCF\2\2') \
  || fail "--format ubcf does not start with BCF's magic"

# 4: levels: the same decompressed bytes; 0 stores, 9 is no larger than 1.
for fmt in haplotype vcf bcf; do
  ext=txt.gz
  [ "$fmt" = vcf ] && ext=vcf.gz
  [ "$fmt" = bcf ] && ext=bcf
  "$hapmat" convert -q --format "$fmt" "$m" -o "$work/default.$ext"
  for level in 0 1 9; do
    "$hapmat" convert -q --format "$fmt" -l "$level" "$m" -o "$work/l$level.$ext"
    bgzip -t "$work/l$level.$ext" || fail "$fmt -l $level: not BGZF"
    cmp -s <(bgzip -dc "$work/l$level.$ext") <(bgzip -dc "$work/default.$ext") \
      || fail "$fmt -l $level: decompressed bytes differ from the default level"
  done
  text=$(bgzip -dc "$work/default.$ext" | wc -c)
  [ "$(stat -c %s "$work/l0.$ext")" -gt "$text" ] \
    || fail "$fmt -l 0: smaller than its text, so not stored"
  [ "$(stat -c %s "$work/l9.$ext")" -le "$(stat -c %s "$work/l1.$ext")" ] \
    || fail "$fmt -l 9: larger than -l 1"
done
if "$hapmat" convert -q -l 10 "$m" -o "$work/x.gz" 2> /dev/null; then
  fail "-l 10 accepted"
fi

# 5: --index writes a .csi that bcftools view -r reads; --index=tbi is refused.
"$hapmat" convert -q --format bcf --gaps star --index "$m" -o "$work/i.bcf"
[ -f "$work/i.bcf.csi" ] && [ ! -e "$work/i.bcf.tbi" ] || fail "--index wrote no .csi"
cmp -s <(view -H -r 2:1000-2000 "$work/i.bcf") \
  <(view -H "$work/i.bcf" | awk '$1 == 2 && $2 >= 1000 && $2 <= 2000') \
  || fail "view -r through the .csi differs from the rows in the region"
rc=0
"$hapmat" convert -q --format bcf --index=tbi "$m" -o "$work/t.bcf" 2> /dev/null || rc=$?
[ "$rc" = 2 ] || fail "--format bcf --index=tbi: exit $rc, not 2"

# 6: parts join into the whole run's BCF, and concat indexes it.
for k in 1 2 3; do
  "$hapmat" convert -q --format bcf --gaps star --part "$k/3" -l "$k" "$m" -o "$work/p$k.bcf"
done
"$hapmat" concat -q "$work"/p{3,1,2}.bcf -o "$work/joined.bcf" --index
cmp -s <(bgzip -dc "$work/joined.bcf") <(bgzip -dc "$work/i.bcf") \
  || fail "the joined parts differ from the whole run"
[ -f "$work/joined.bcf.csi" ] || fail "concat --index wrote no .csi for BCF"
view -H -r 3 "$work/joined.bcf" > /dev/null || fail "view -r on the joined BCF failed"

# concat -l: plain parts compressed into a .gz output at that level.
for k in 1 2; do
  "$hapmat" convert -q --format vcf --part "$k/2" "$m" -o "$work/plain$k.vcf"
done
"$hapmat" concat -q -l 0 "$work"/plain{1,2}.vcf -o "$work/joined0.vcf.gz"
"$hapmat" concat -q "$work"/plain{1,2}.vcf -o "$work/joined6.vcf.gz"
cmp -s <(bgzip -dc "$work/joined0.vcf.gz") <(cat "$work"/plain{1,2}.vcf) \
  || fail "concat -l 0: other bytes than the parts"
[ "$(stat -c %s "$work/joined0.vcf.gz")" -gt "$(stat -c %s "$work/joined6.vcf.gz")" ] \
  || fail "concat -l 0 did not store the parts uncompressed"

# 7: a POS BCF cannot hold: exit 1 at its line and column, no file left.
printf 'CHROM POS REF 1a 1b\nc 2147483648 A A C\n' > "$work/far.txt"
"$hapmat" convert -q --format vcf "$work/far.txt" -o "$work/far.vcf"
rc=0
"$hapmat" convert -q --format bcf "$work/far.txt" -o "$work/far.bcf" 2> "$work/far.err" || rc=$?
[ "$rc" = 1 ] || fail "POS past BCF's: exit $rc, not 1"
grep -qF "far.txt:2:3: POS 2147483648 is larger than BCF holds (htslib writes up to 2147483647)" "$work/far.err" \
  || fail "POS past BCF's: $(cat "$work/far.err")"
[ ! -e "$work/far.bcf" ] || fail "POS past BCF's: a partial BCF was left"
printf 'CHROM POS REF 1a 1b\nc 2147483647 A A C\n' > "$work/edge.txt"
same_records "POS 2^31 - 1" --format vcf "$work/edge.txt"

# 8: CHROMs 1, 2, 3, 1: a BCF to a file starts on the contigs predicted
# from a few reads (1 alone here), and is written again, said in one line,
# on every row's CHROM; the same records as the VCF, at any level, threads,
# engine; ubcf to a file too. A sorted matrix is written once (no note).
awk 'NR == 1 { print; next } $1 == 1 { if (++n % 2) { print } else { back = back $0 "\n" }; next }
     { print } END { printf "%s", back }' "$m" > "$work/back.txt"
for opts in "" "-t 2 -l 1" "--engine reference" "--skip-bad-rows"; do
  # shellcheck disable=SC2086
  same_records "CHROMs coming back, $opts" --format vcf --gaps star $opts "$work/back.txt"
done
"$hapmat" convert --format bcf --gaps star "$work/back.txt" -o "$work/back.bcf" 2> "$work/back.err"
grep -q "note: the rows' CHROMs were not those predicted" "$work/back.err" \
  || fail "a BCF written again says nothing: $(cat "$work/back.err")"
"$hapmat" convert --format ubcf --gaps star "$work/back.txt" -o "$work/back.ubcf" 2> /dev/null
"$hapmat" convert -q --format vcf --gaps star "$work/back.txt" -o "$work/back.vcf"
cmp -s <(view -Ou "$work/back.vcf") "$work/back.ubcf" \
  || fail "ubcf written again to a file is not bcftools view -Ou of the VCF"
"$hapmat" convert --format bcf --gaps star "$m" -o "$work/sorted.bcf" 2> "$work/sorted.err"
if grep -q "note:" "$work/sorted.err"; then
  fail "a sorted matrix's BCF was written again: $(cat "$work/sorted.err")"
fi
echo "bcf_bcftools: OK ($cases golden cases)"
