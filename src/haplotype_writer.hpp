#pragma once
// Formats the haplotype table (SPEC §4, the original script's output) and
// phase-Extender's variant of it (SPEC §5: tabs, REF first among the
// alleles, <sample>:PI names).

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "row_writer.hpp"

namespace hapmat {

class HaplotypeWriter : public RowWriter {
 public:
  /** phase-Extender's table is always tab-separated: outDelimiter applies
   * to the haplotype table only. */
  HaplotypeWriter(std::vector<SamplePair> samples, OutputFormat format,
                  Delimiter outDelimiter);

  /** `contig pos ref alt <label>_PI <label>_PG_al ...` (or phase-Extender's
   * `CHROM POS REF all-alleles <name>:PI <name>:PG_al ...`) and '\n'. */
  void appendHeader(std::string& out) const override;

  /** Every row is carried: always true. */
  bool appendRow(std::string& out, std::span<const std::string_view> fields,
                 std::span<const std::string_view> alts,
                 RowWriterState& state) const override;

  char delimiter() const { return delimiter_; }
  /** Whether the allele column starts with REF (phase-Extender). */
  bool listsRefFirst() const { return listsRefFirst_; }

 private:
  std::vector<SamplePair> samples_;
  bool listsRefFirst_;
  char delimiter_;
};

}  // namespace hapmat
