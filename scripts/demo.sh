#!/usr/bin/env bash
# Builds hapmat (Release, into build/), simulates a genome matrix shaped like
# the original's (31 haplotypes) and converts it, showing the first rows and
# the run's summary; then the same gzipped, into an indexed BGZF VCF.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/install_deps.sh

cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j"$(nproc)" --target hapmat

demo=build/demo
mkdir -p "$demo"
echo "== Simulating 2 chromosomes x 2 Mb, 31 haplotypes: $demo/matrix.txt"
build/hapmat simulate --chroms 2 --length 2000000 --seed 7 \
  --header-out "$demo/header.txt" -o "$demo/matrix.txt"
ls -lh "$demo/matrix.txt"
head -3 "$demo/matrix.txt" | cut -c1-120

echo
echo "== Converting: build/hapmat convert --header $demo/header.txt $demo/matrix.txt -o $demo/haplotypes.txt"
build/hapmat convert --header "$demo/header.txt" "$demo/matrix.txt" \
  -o "$demo/haplotypes.txt"

echo
echo "== First rows of $demo/haplotypes.txt (cut at 160 columns)"
head -6 "$demo/haplotypes.txt" | cut -c1-160

echo
echo "== The same matrix gzipped, to an indexed VCF: build/hapmat convert --format vcf --header $demo/header.txt $demo/matrix.txt.gz -o $demo/out.vcf.gz --index"
gzip -1 -c "$demo/matrix.txt" > "$demo/matrix.txt.gz"
build/hapmat convert --format vcf --header "$demo/header.txt" \
  "$demo/matrix.txt.gz" -o "$demo/out.vcf.gz" --index
ls -lh "$demo/out.vcf.gz" "$demo/out.vcf.gz.tbi"
# awk reads to the end: under pipefail, `| head` would kill gzip with SIGPIPE
# and the script would fail (exit 141) after printing everything.
gzip -dc "$demo/out.vcf.gz" | awk '!/^##/ && ++shown <= 4' | cut -c1-160
