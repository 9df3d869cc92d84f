#!/usr/bin/env bash
# `hapmat convert --stats FILE`: the JSON's fields, the stages of each
# input's pipeline (plain: pread; BGZF: inflate and stitch; gzip: neither),
# exact counts of rows and bytes, and of chunks for a plain file of a known
# size and block size; busy times that fit in the run's wall time. A failed
# run writes no statistics.
#
# Usage: stage_stats_test.sh HAPMAT_EXE WORKDIR
set -euo pipefail
source "$(dirname "$0")/shell_test_start.sh" stage_stats_test "$@"
cd "$work"

"$hapmat" simulate --chroms 2 --length 3000 --snp-rate 0.2 --header-line \
  -o m.txt
bgzip -c m.txt > m.txt.bgz
gzip -c m.txt > m.txt.gz

# check STATS OUTPUT INPUT_TEXT THREADS STAGES(name:serial,...) [ITEMS]
check() {
  python3 - "$@" <<'PY' || fail "$1: $(cat "$1")"
import json, math, os, sys
stats_path, out_path, text_path, threads, stages = sys.argv[1:6]
items = int(sys.argv[6]) if len(sys.argv) > 6 else None
s = json.load(open(stats_path))
assert list(s) == ["wall_s", "threads", "bytes_in", "bytes_out", "rows_read",
                   "rows_written", "stages"], list(s)
assert s["threads"] == int(threads), s["threads"]
text = open(text_path, "rb").read()
assert s["bytes_in"] == len(text), (s["bytes_in"], len(text))
assert s["bytes_out"] == os.path.getsize(out_path)
assert s["rows_read"] == text.count(b"\n") - 1  # the header line
out = open(out_path, "rb").read()
assert s["rows_written"] == out.count(b"\n") - 1  # the table's header
want = [(x.split(":")[0], x.split(":")[1] == "serial")
        for x in stages.split(",")] if stages else []
got = [(x["name"], x["serial"]) for x in s["stages"]]
assert got == want, got
for x in s["stages"]:
    assert list(x) == ["name", "serial", "busy_s", "items"], list(x)
    assert 0 <= x["busy_s"] <= s["wall_s"] * (1 if x["serial"] else s["threads"])
    # every chunk passes every stage
    assert x["items"] == s["stages"][0]["items"], x
    if items is not None:
        assert x["items"] == items, (x["items"], items)
assert sum(x["busy_s"] for x in s["stages"]) <= s["wall_s"] * s["threads"]
PY
}

size=$(stat -c %s m.txt)
chunks=$(((size + 4095) / 4096))
"$hapmat" convert -q m.txt -o out.txt -t 2 --block-size 4K --stats s.json
check s.json out.txt m.txt 2 read:serial,pread:parallel,convert:parallel,write:serial "$chunks"
"$hapmat" convert -q m.txt -o out1.txt -t 1 --block-size 64K --stats s1.json
check s1.json out1.txt m.txt 1 read:serial,pread:parallel,convert:parallel,write:serial $(((size + 65535) / 65536))
"$hapmat" convert -q m.txt.bgz -o out.txt -t 3 --block-size 4K --stats s.json
check s.json out.txt m.txt 3 read:serial,inflate:parallel,stitch:serial,convert:parallel,write:serial
"$hapmat" convert -q m.txt.gz -o out.txt -t 2 --block-size 4K --stats s.json
check s.json out.txt m.txt 2 read:serial,convert:parallel,write:serial
"$hapmat" convert -q - -o out.txt -t 2 --block-size 4K --stats s.json < m.txt
check s.json out.txt m.txt 2 read:serial,convert:parallel,write:serial
"$hapmat" convert -q m.txt -o out.txt --engine reference --stats s.json
check s.json out.txt m.txt 1 ""

# A failed run: no statistics, no output.
printf '1 1 A A\n' >> m.txt
rm -f s.json out.txt
if "$hapmat" convert -q m.txt -o out.txt --stats s.json 2> err.txt; then
  fail "a bad row converted"
fi
[[ ! -e s.json && ! -e out.txt ]] || fail "a failed run left files"
grep -q 'm.txt:6002:' err.txt || fail "error: $(cat err.txt)"
echo "stage_stats_test: ok"
