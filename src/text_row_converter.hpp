#pragma once
// One data row, converted from its text fields with plain loops: the
// reference engine's whole job, and the SIMD engine's path for rows its
// kernels do not take (multi-byte alleles, lower case, malformed rows).

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "haplotype_row.hpp"
#include "haplotype_writer.hpp"
#include "row_fields.hpp"

namespace hapmat {

/** What converting a row came to. */
enum class RowOutcome : std::uint8_t { kDropped, kWritten, kBad };

class TextRowConverter {
 public:
  TextRowConverter(const HaplotypeWriter& writer, std::size_t columns,
                   Delimiter delimiter);

  /** Converts `line` (no line end), appending a written row to `out`. On
   * kBad, problem() says what is wrong. */
  RowOutcome convert(std::string_view line, std::string& out);

  const RowProblem& problem() const { return problem_; }

 private:
  const HaplotypeWriter& writer_;
  std::size_t columns_;
  char delimiter_;
  std::vector<std::string_view> fields_;
  std::vector<std::string_view> alts_;
  AltFinder altFinder_;
  RowProblem problem_;
};

}  // namespace hapmat
