#!/usr/bin/env bash
# The benchmark's awk baseline must do hapmat's job byte for byte, or the
# comparison means nothing: check it on simulated matrices of several shapes.
set -euo pipefail
hapmat=$1
script=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
shapes=(
  "--chroms 2 --length 20000"
  "--chroms 1 --length 5000 --snp-rate 1"
  "--chroms 1 --length 5000 --snp-rate 0.3 --multibase-rate 0.2"
  "--chroms 2 --length 5000 --haplotypes 9 --missing-rate 0.3 --gap-rate 0.2"
)
for shape in "${shapes[@]}"; do
  # shellcheck disable=SC2086
  "$hapmat" simulate $shape --header-line -o "$dir/m.txt"
  "$hapmat" convert -q "$dir/m.txt" -o "$dir/hapmat.txt"
  LC_ALL=C mawk -f "$script" "$dir/m.txt" > "$dir/awk.txt"
  if ! cmp "$dir/hapmat.txt" "$dir/awk.txt"; then
    echo "awk baseline differs from hapmat for: simulate $shape" >&2
    exit 1
  fi
done
echo "awk baseline matches hapmat on ${#shapes[@]} matrices"
