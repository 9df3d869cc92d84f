#pragma once
// The output formats behind one interface, so that the converters do not
// depend on which one they write.

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "hapmat/convert.hpp"
#include "hapmat/schema.hpp"

namespace hapmat {

/**
 * A converter's own working space for a RowWriter (writers are shared by
 * all threads), and the counts of what the format could not carry.
 */
struct RowWriterState {
  std::uint64_t rowsNotCarried = 0;
  std::uint64_t allelesNotCarried = 0;
  // VCF: the ALT alleles, each haplotype's allele index, the index of each
  // allele text when there are too many alleles for a linear search.
  std::vector<std::string_view> alleles;
  std::vector<std::uint32_t> genotypes;
  std::vector<std::uint32_t> alleleCounts;
  std::unordered_map<std::string_view, std::uint32_t> alleleIndex;
};

class RowWriter {
 public:
  virtual ~RowWriter() = default;

  /** The header lines, each ending in '\n'. */
  virtual void appendHeader(std::string& out) const = 0;

  /**
   * Appends one row whose `alts` (SPEC §4) are not empty; `fields` are the
   * row's columns. Returns false, appending nothing, when the format cannot
   * carry the row (counted in `state`).
   */
  virtual bool appendRow(std::string& out,
                         std::span<const std::string_view> fields,
                         std::span<const std::string_view> alts,
                         RowWriterState& state) const = 0;
};

/** The writer of options.format for these samples (reads --fai for VCF). */
std::unique_ptr<RowWriter> makeRowWriter(const ConvertOptions& options,
                                         std::vector<SamplePair> samples);

}  // namespace hapmat
