#pragma once
// Converts one data row, the fast way when it can: a row of single-byte
// alleles is checked and packed into 4-bit codes by the SIMD kernels, an
// invariant row is dropped right there, and a variant one is phased from its
// codes. Any other row (multi-byte alleles, lower case, a malformed row)
// takes the reference engine's path, so both engines agree byte for byte.

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "haplotype_writer.hpp"
#include "kernels/pack.h"
#include "text_row_converter.hpp"

namespace hapmat {

class RowPhaser {
 public:
  RowPhaser(const RowWriter& writer, const std::vector<SamplePair>& samples,
            std::size_t columns, Delimiter delimiter);

  /** Converts `line` (no line end), appending a written row to `out`. On
   * kBad, problem() says what is wrong. */
  RowOutcome convert(std::string_view line, std::string& out);

  const RowProblem& problem() const { return general_.problem(); }
  const RowWriterState& formatCounts() const { return general_.formatCounts(); }
  void resetFormatCounts() { general_.resetFormatCounts(); }

 private:
  std::size_t chromLength(std::string_view line);
  void rememberChrom(std::string_view chrom);
  std::size_t orderAlts(std::uint16_t altMask,
                        std::array<std::uint8_t, 16>& codes) const;
  RowOutcome appendPackedVcf(std::string_view chrom, std::string_view pos,
                             char ref, std::uint16_t altMask, std::string& out);
  void appendPacked(std::string_view chrom, std::string_view pos, char ref,
                    std::uint16_t altMask, std::string& out);

  TextRowConverter general_;
  // The haplotype table's layout, or null for VCF.
  const HaplotypeWriter* table_;
  const std::vector<SamplePair>& samples_;
  std::size_t columns_;
  char delimiter_;
  char outDelimiter_;
  bool listsRefFirst_;
  // The last valid CHROM and its delimiter: most rows repeat it. It is also
  // what each sample's PI field holds, with the delimiters around it.
  std::string chromField_;
  std::uint64_t chromWord_ = 0;  // chromField_'s bytes, when it has <= 8
  std::uint64_t chromWordMask_ = 0;
  // A sample's PI field with its delimiters, padded so that rows can copy
  // it with one fixed-size move.
  std::string sampleChrom_;
  std::size_t sampleChromSize_ = 0;
  std::vector<std::uint8_t> packed_;
  kernels::PackAllelesFunction packAlleles_;
};

}  // namespace hapmat
