#pragma once
// VCFv4.2 with phased genotypes (SPEC §6): the rows of the haplotype table,
// with the alleles VCF cannot carry left out.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "row_writer.hpp"

namespace hapmat {

/** A sequence of the reference, for a ##contig line. */
struct Contig {
  std::string name;
  std::uint64_t length = 0;
};

/**
 * Parses a samtools faidx index (`NAME LENGTH ...`, tab-separated). Throws
 * UsageError "source:line:column: reason" for a malformed line.
 */
std::vector<Contig> parseFai(std::string_view text, const std::string& source);

/** Whether VCF can carry `allele` as REF or ALT: a string of ACGTNacgtn. */
bool isVcfBases(std::string_view allele);

class VcfWriter : public RowWriter {
 public:
  VcfWriter(std::vector<SamplePair> samples, std::vector<Contig> contigs);

  void appendHeader(std::string& out) const override;
  bool appendRow(std::string& out, std::span<const std::string_view> fields,
                 std::span<const std::string_view> alts,
                 RowWriterState& state) const override;

 private:
  static void collectAlts(std::span<const std::string_view> alts,
                          RowWriterState& state);
  static std::uint32_t alleleNumber(std::string_view allele,
                                    std::string_view ref,
                                    const RowWriterState& state);

  std::vector<SamplePair> samples_;
  std::vector<Contig> contigs_;
};

}  // namespace hapmat
