#pragma once
// VCFv4.2 with phased genotypes: the rows of the haplotype table, bases in
// upper case, with the alleles VCF cannot carry left out.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "formats/letter_plans.hpp"
#include "formats/row_writer.hpp"

namespace hapmat {

/** The largest POS htslib (bcftools, pysam) reads; it drops larger ones. */
inline constexpr std::uint64_t kVcfMaxPos = 0x7FFFFFFF7FFFFFFF;
/** The largest POS a BCF record holds: htslib refuses to write more. */
inline constexpr std::uint64_t kBcfMaxPos = 0x7FFFFFFF;

/** Whether VCF can carry `allele` as REF or ALT: a string of ACGTN in
 * either case. */
bool isVcfBases(std::string_view allele);

class VcfWriter final : public RowWriter {
 public:
  /** `haploid`: each sample is the one haplotype `first`, GT `x`; else a
   * pair, GT `x|y`. `bcf`: the records go on to BCF, and a POS past
   * kBcfMaxPos is bad. */
  VcfWriter(std::vector<SamplePair> samples, MissingAllele missing,
            bool haploid = false, bool bcf = false);

  std::unique_ptr<WriterScratch> makeScratch(
      const kernels::KernelSet& kernels) const override;
  /** One ##contig line per contig, with its length when known. */
  void appendHeader(std::string& out,
                    std::span<const Contig> contigs) const override;
  Formatted appendRow(const TextRow& row, WriterScratch& scratch,
                      ByteBuffer& out) const override;
  Formatted appendPacked(const PackedRow& row, WriterScratch& scratch,
                         ByteBuffer& out) const override;

 private:
  std::vector<SamplePair> samples_;
  MissingAllele missing_;
  std::size_t ploidy_;
  std::uint64_t maxPos_;
  std::size_t maxPosDigits_;         // a POS with fewer digits fits
  mutable SharedLetterPlans plans_;  // a cache the threads' scratches share
};

}  // namespace hapmat
