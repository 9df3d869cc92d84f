"""Checks that pysam reads every record of a VCF as its text says.

Usage: /usr/bin/python3 pysam_records.py VCF [TEXT]

A BCF is read against TEXT, the VCF hapmat wrote with the same options (BCF
holds exactly its records).

Reads VCF (plain or BGZF) twice: with pysam.VariantFile, and as text split on
tabs; every field pysam parsed must equal the text's, and pysam must see the
same records and samples. Prints the record count; exits 1 with the first
differences otherwise.
"""

import gzip
import itertools
import sys

import pysam


def text_lines(path):
    with open(path, "rb") as probe:
        compressed = probe.read(2) == b"\x1f\x8b"
    opener = gzip.open if compressed else open
    with opener(path, "rt") as text:
        for line in text:
            yield line.rstrip("\n")


def expected_info(field):
    info = {}
    for item in field.split(";"):
        key, value = item.split("=")
        numbers = tuple(int(v) for v in value.split(","))
        info[key] = numbers if key == "AC" else numbers[0]
    return info


def expected_gt(field):
    first, second = field.split("|")
    return tuple(None if a == "." else int(a) for a in (first, second))


def differences(record, fields, samples):
    chrom, pos, vid, ref, alt, qual, filt, info, fmt = fields[:9]
    got = {
        "CHROM": record.chrom,
        "POS": record.pos,
        "ID": record.id,
        "REF": record.ref,
        "ALT": record.alts,
        "QUAL": record.qual,
        "FILTER": list(record.filter.keys()),
        "INFO": dict(record.info.items()),
        "FORMAT": list(record.format.keys()),
        "GT": [record.samples[s]["GT"] for s in samples],
        "phased": [record.samples[s].phased for s in samples],
    }
    want = {
        "CHROM": chrom,
        "POS": int(pos),
        "ID": None if vid == "." else vid,
        "REF": ref,
        "ALT": None if alt == "." else tuple(alt.split(",")),
        "QUAL": None if qual == "." else float(qual),
        "FILTER": [] if filt == "." else filt.split(";"),
        "INFO": expected_info(info),
        "FORMAT": fmt.split(":"),
        "GT": [expected_gt(f) for f in fields[9:]],
        "phased": [True] * len(samples),
    }
    return [f"{k}: pysam {got[k]!r}, text {want[k]!r}" for k in want if got[k] != want[k]]


def main():
    path = sys.argv[1]
    text_path = sys.argv[2] if len(sys.argv) > 2 else path
    text = (line for line in text_lines(text_path) if not line.startswith("##"))
    header = next(text).split("\t")
    vcf = pysam.VariantFile(path)
    samples = list(vcf.header.samples)
    if samples != header[9:]:
        sys.exit(f"{path}: pysam samples {samples} != header {header[9:]}")
    count = 0
    for record, line in itertools.zip_longest(vcf, text):
        if record is None or line is None:
            sys.exit(f"{path}: pysam and the text end at different records (after {count})")
        count += 1
        fields = line.split("\t")
        problems = differences(record, fields, samples)
        if problems:
            sys.exit(f"{path}: record {count} ({fields[0]}:{fields[1]}): " + "; ".join(problems))
        if str(record) != line + "\n":
            sys.exit(f"{path}: record {count} formats back as {str(record)!r}, text {line!r}")
    print(count)


if __name__ == "__main__":
    main()
