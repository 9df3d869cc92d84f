#pragma once
// Converts one data row, the fast way when it can: a row of single-byte
// alleles is checked and packed into 4-bit codes by the SIMD kernels, an
// invariant row is dropped right there, and a variant one is phased from its
// codes. Any other row (multi-byte alleles, lower case, a malformed row)
// takes the reference engine's path, so both engines agree byte for byte.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "text_row_converter.hpp"

namespace hapmat {

class RowPhaser {
 public:
  RowPhaser(const HaplotypeWriter& writer,
            const std::vector<SamplePair>& samples, std::size_t columns,
            Delimiter delimiter, Delimiter outDelimiter);

  /** Converts `line` (no line end), appending a written row to `out`. On
   * kBad, problem() says what is wrong. */
  RowOutcome convert(std::string_view line, std::string& out);

  const RowProblem& problem() const { return general_.problem(); }

 private:
  bool isKnownGoodChrom(std::string_view chrom);
  void appendPacked(std::string_view chrom, std::string_view pos, char ref,
                    std::uint16_t altMask, std::string& out);

  TextRowConverter general_;
  const std::vector<SamplePair>& samples_;
  std::size_t columns_;
  char delimiter_;
  char outDelimiter_;
  std::string lastChrom_;  // the last CHROM found valid: most rows repeat it
  std::vector<std::uint8_t> packed_;
};

}  // namespace hapmat
