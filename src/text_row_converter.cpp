#include "text_row_converter.hpp"

#include <span>

namespace hapmat {

TextRowConverter::TextRowConverter(const RowWriter& writer, std::size_t columns,
                                   Delimiter delimiter)
    : writer_(writer),
      columns_(columns),
      delimiter_(static_cast<char>(delimiter)) {}

RowOutcome TextRowConverter::convert(std::string_view line, std::string& out) {
  if (auto problem = splitRow(line, delimiter_, columns_, fields_)) {
    problem_ = std::move(*problem);
    return RowOutcome::kBad;
  }
  std::span<const std::string_view> haplotypes(
      fields_.begin() + kFirstHaplotype, fields_.end());
  altFinder_.find(fields_[kRefColumn], haplotypes, alts_);
  if (alts_.empty() || !writer_.appendRow(out, fields_, alts_, state_)) {
    return RowOutcome::kDropped;
  }
  return RowOutcome::kWritten;
}

}  // namespace hapmat
