#pragma once
// Formats the haplotype table (SPEC §4): the original script's output.

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "hapmat/schema.hpp"

namespace hapmat {

class HaplotypeWriter {
 public:
  HaplotypeWriter(std::vector<SamplePair> samples, Delimiter outDelimiter);

  /** `contig pos ref alt <label>_PI <label>_PG_al ...` and '\n'. */
  void appendHeader(std::string& out) const;

  /** One written row; `fields` are the row's columns, `alts` non-empty. */
  void appendRow(std::string& out, std::span<const std::string_view> fields,
                 std::span<const std::string_view> alts) const;

 private:
  std::vector<SamplePair> samples_;
  char delimiter_;
};

}  // namespace hapmat
