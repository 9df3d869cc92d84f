"""Checks a VCF Zarr store hapmat wrote against hapmat's VCF of the same run.

Usage: vcz_check.py STORE VCF [--haploid]

The store is read with zarr-python (consolidated metadata) and the VCF with
pysam (htslib): every array of the store must hold exactly the VCF's
records, samples and contigs, with the metadata docs/FORMAT.md gives.
Exits 1 with the first difference.
"""

import sys

import numpy as np
import pysam
import zarr

BIT_SHUFFLED = {"call_genotype", "call_genotype_mask", "call_genotype_phased",
                "variant_filter", "variant_id_mask"}


def fail(message):
    print(f"vcz_check: {sys.argv[1]}: {message}", file=sys.stderr)
    sys.exit(1)


def expect(name, got, want):
    if isinstance(got, np.ndarray) or isinstance(want, np.ndarray):
        same = np.array_equal(np.asarray(got), np.asarray(want))
    else:
        same = got == want
    if not same:
        fail(f"{name}: got {got!r}, expected {want!r}")


def check_metadata(root, ploidy):
    expect("vcf_zarr_version", root.attrs["vcf_zarr_version"], "0.4")
    if not root.attrs["source"].startswith("hapmat "):
        fail("source attribute " + root.attrs["source"])
    for name, array in root.arrays():
        if "_ARRAY_DIMENSIONS" not in array.attrs:
            fail(f"{name} has no _ARRAY_DIMENSIONS")
        expect(f"{name} dimensions", len(array.attrs["_ARRAY_DIMENSIONS"]),
               array.ndim)
        compressor = array.compressor.get_config()
        expect(f"{name} compressor", (compressor["id"], compressor["cname"],
                                      compressor["clevel"]),
               ("blosc", "zstd", 3))
        expect(f"{name} shuffle", compressor["shuffle"],
               2 if name in BIT_SHUFFLED else 0)
        expect(f"{name} dimension separator",
               array._dimension_separator, "/")
    expect("call_genotype dtype", root["call_genotype"].dtype, np.int8)
    expect("ploidy", root["call_genotype"].shape[2], ploidy)
    expect("filter_id", list(root["filter_id"][:]), ["PASS"])


def check_records(root, vcf, haploid):
    records = list(vcf)
    n = len(records)
    contigs = list(root["contig_id"][:])
    allele = root["variant_allele"][:]
    ac = root["variant_AC"][:]
    gt = root["call_genotype"][:]
    phased = root["call_genotype_phased"][:]
    most = max([1 + len(r.alts or ()) for r in records], default=1)
    expect("variants", root["variant_position"].shape[0], n)
    expect("alleles dimension", allele.shape[1], most)
    expect("alt_alleles dimension", ac.shape[1], max(1, most - 1))
    expect("variant_contig",
           [contigs[i] for i in root["variant_contig"][:]],
           [r.chrom for r in records])
    expect("variant_position", list(root["variant_position"][:]),
           [r.pos for r in records])
    expect("variant_length", list(root["variant_length"][:]),
           [len(r.ref) for r in records])
    expect("variant_id", list(root["variant_id"][:]), ["."] * n)
    expect("variant_id_mask", list(root["variant_id_mask"][:]), [True] * n)
    expect("variant_quality bits",
           list(root["variant_quality"][:].view(np.uint32)),
           [0x7F800001] * n)
    expect("variant_filter", root["variant_filter"][:].any(), False)
    expect("variant_AN", list(root["variant_AN"][:]),
           [r.info["AN"] for r in records])
    for v, record in enumerate(records):
        alleles = [record.ref, *(record.alts or ())]
        expect(f"variant_allele[{v}]", list(allele[v]),
               alleles + [""] * (most - len(alleles)))
        counts = list(record.info["AC"]) if "AC" in record.info else []
        expect(f"variant_AC[{v}]", list(ac[v]),
               counts + [-2] * (ac.shape[1] - len(counts)))
        for s, sample in enumerate(record.samples.values()):
            want = [-1 if a is None else a for a in sample["GT"]]
            expect(f"call_genotype[{v}, {s}]", list(gt[v, s]), want)
            expect(f"call_genotype_phased[{v}, {s}]", bool(phased[v, s]),
                   False if haploid else sample.phased)
    expect("call_genotype_mask", root["call_genotype_mask"][:], gt < 0)


def main():
    store, vcf_path = sys.argv[1], sys.argv[2]
    root = zarr.open_consolidated(store, mode="r")
    vcf = pysam.VariantFile(vcf_path)
    samples = list(vcf.header.samples)
    header_contigs = list(vcf.header.contigs)
    haploid = len(sys.argv) > 3 and sys.argv[3] == "--haploid"
    check_metadata(root, 1 if haploid else 2)
    expect("sample_id", list(root["sample_id"][:]), samples)
    expect("contig_id", list(root["contig_id"][:]), header_contigs)
    lengths = [vcf.header.contigs[c].length for c in header_contigs]
    if header_contigs and all(length is not None for length in lengths):
        expect("contig_length", list(root["contig_length"][:]), lengths)
    elif "contig_length" in root:
        fail("contig_length without lengths in the VCF header")
    with open(vcf_path) as text:
        header = "".join(line for line in text if line.startswith("#"))
    expect("vcf_header", root.attrs["vcf_header"], header)
    check_records(root, vcf, haploid)


if __name__ == "__main__":
    main()
