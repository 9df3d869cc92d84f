#pragma once
// One data row, converted from its text fields with plain loops: the
// reference engine's whole job, and the SIMD engine's path for rows its
// kernels do not take (multi-byte alleles, lower case, malformed rows).

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "haplotype_row.hpp"
#include "row_fields.hpp"
#include "row_writer.hpp"

namespace hapmat {

/** What converting a row came to. */
enum class RowOutcome : std::uint8_t { kDropped, kWritten, kBad };

class TextRowConverter {
 public:
  TextRowConverter(const RowWriter& writer, std::size_t columns,
                   Delimiter delimiter);

  /** Converts `line` (no line end), appending a written row to `out`. On
   * kBad, problem() says what is wrong. */
  RowOutcome convert(std::string_view line, std::string& out);

  const RowProblem& problem() const { return problem_; }

  /** What the format could not carry, counted since the last reset. */
  const RowWriterState& formatCounts() const { return state_; }
  /** For a faster path that writes the format itself, to count in. */
  RowWriterState& formatState() { return state_; }
  void resetFormatCounts() {
    state_.rowsNotCarried = state_.allelesNotCarried = 0;
  }

 private:
  const RowWriter& writer_;
  RowWriterState state_;
  std::size_t columns_;
  char delimiter_;
  std::vector<std::string_view> fields_;
  std::vector<std::string_view> alts_;
  AltFinder altFinder_;
  RowProblem problem_;
};

}  // namespace hapmat
