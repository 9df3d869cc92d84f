#!/usr/bin/env python3
"""Regenerate matrix.txt and expected.txt of this golden case.

Independent oracle: follows the haplotype-table rules literally (not the hapmat code).
Columns: CHROM POS REF 1a 1b 2a 2b ... 1500a 1500b MA1 (3001 haplotype
columns, space-delimited, header line in the matrix). Every data line and the
header line are longer than the 4 KiB block used in `args`.
Run from this folder: python3 generate.py
"""

NPAIRS = 1500
hap_names = []
for k in range(1, NPAIRS + 1):
    hap_names += [f"{k}a", f"{k}b"]
hap_names.append("MA1")  # unpaired, still counts for alts


def row(chrom, pos, ref, changes):
    """A row where every haplotype is REF except the columns in `changes`."""
    for name in changes:
        assert name in hap_names, name
    return [chrom, pos, ref] + [changes.get(n, ref) for n in hap_names]


rows = []
# chr1:1 -> alts C (750a), '-' (1500b), T (MA1, the last column): "C,-,T"
rows.append(row("chr1", "1", "A",
                {"750a": "C", "1500b": "-", "3a": "N", "MA1": "T"}))
# chr1:2 -> only REF and N: not written
rows.append(row("chr1", "2", "G", {f"{k}b": "N" for k in range(1, NPAIRS + 1, 3)}))
# chr1:3 -> multi-base and N-containing alleles
rows.append(row("chr1", "3", "T",
                {"1b": "AN", "99b": "C", "100a": "C", "1000a": "TA" * 50,
                 "1234b": "G"}))
# chr2:4 -> only the unpaired MA1 differs: written, every sample C|C
rows.append(row("chr2", "4", "C", {"MA1": "G"}))
# chr2:5 -> many changes following simple patterns
ch = {}
for k in range(1, NPAIRS + 1):
    if k % 7 == 0:
        ch[f"{k}b"] = "G"
    if k % 11 == 0:
        ch[f"{k}a"] = "N"
    if k % 13 == 0:
        ch[f"{k}a"] = "-"
    if k % 101 == 0:
        ch[f"{k}b"] = "CT"
rows.append(row("chr2", "5", "A", ch))
# chr2:6 -> every haplotype N except 1500a = C: alt C, samples A|A, 1500a1500b C|A
allN = {n: "N" for n in hap_names}
allN["1500a"] = "C"
rows.append(row("chr2", "6", "A", allN))


# ---- The haplotype-table rules, literally ----------------------------------
def pairs_by_name(names):
    idx = {n: i for i, n in enumerate(names)}
    pairs = []
    for n in names:
        if n.endswith("a") and len(n) > 1 and n[:-1] + "b" in idx:
            pairs.append((n, n[:-1] + "b"))
    pairs.sort(key=lambda p: p[0].encode())
    return [("".join(sorted([a, b], key=str.encode)), idx[a], idx[b]) for a, b in pairs]


def subst(allele, ref):
    return "".join(ref if c in "N-" else c for c in allele)


pairs = pairs_by_name(hap_names)
assert len(pairs) == NPAIRS
out = ["contig pos ref alt" + "".join(f" {lab}_PI {lab}_PG_al" for lab, _, _ in pairs)]
for r in rows:
    chrom, pos, ref, haps = r[0], r[1], r[2], r[3:]
    alts = []
    for h in haps:
        if h != "N" and h != ref and h not in alts:
            alts.append(h)
    if not alts:
        continue
    f = [chrom, pos, ref, ",".join(alts)]
    for _, i, j in pairs:
        f += [chrom, subst(haps[i], ref) + "|" + subst(haps[j], ref)]
    out.append(" ".join(f))

with open("matrix.txt", "w", newline="\n") as fh:
    fh.write(" ".join(["CHROM", "POS", "REF"] + hap_names) + "\n")
    for r in rows:
        fh.write(" ".join(r) + "\n")
with open("expected.txt", "w", newline="\n") as fh:
    fh.write("\n".join(out) + "\n")
