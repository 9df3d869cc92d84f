#pragma once
// One data row, converted from its text fields with plain loops: the
// reference engine's whole job, and the SIMD engine's path for rows its
// kernels do not take (multi-byte alleles, lower case, malformed rows).

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "formats/haplotype_row.hpp"
#include "formats/row_writer.hpp"
#include "matrix/regions.hpp"
#include "matrix/row_fields.hpp"

namespace hapmat {

/** What converting a row came to. */
enum class RowOutcome : std::uint8_t {
  kInvariant,   ///< no alternative allele: not written
  kOutside,     ///< outside the regions: not written
  kWritten,     ///< appended to the output
  kNotCarried,  ///< the format cannot carry it: not written (counted)
  kBad,         ///< malformed: problem() says why
};

/** A writer's verdict on a row, as the row's outcome. */
inline RowOutcome outcomeOf(Formatted formatted) {
  switch (formatted) {
    case Formatted::kWritten:
      return RowOutcome::kWritten;
    case Formatted::kNotCarried:
      return RowOutcome::kNotCarried;
    case Formatted::kBad:
      break;
  }
  return RowOutcome::kBad;
}

/** Of the last row that was not kBad. */
struct RowFacts {
  std::string_view chrom;
  std::string_view pos;
  std::size_t refLength = 0;
  std::string_view ref;
};

/** Which rows are written besides the variant ones inside the regions. */
struct RowSelection {
  const RegionSet* regions = nullptr;  ///< null: every row is inside
  bool allSites = false;               ///< invariant rows are written too
};

class TextRowConverter {
 public:
  TextRowConverter(const RowWriter& writer, std::size_t columns,
                   Delimiter delimiter, const RowSelection& selection = {});

  /** Converts `line` (no line end), appending a written row to `out`. */
  RowOutcome convert(std::string_view line, ByteBuffer& out);

  const RowProblem& problem() const { return problem_; }
  const RowFacts& facts() const { return facts_; }
  /** Distinct alleles the format left out of the last written row. */
  std::uint32_t allelesLeftOut() const { return scratch_->allelesLeftOut; }
  /** Changes whenever facts().chrom may have: here, with every row. */
  std::uint64_t chromVersion() const { return rows_; }

  /** VCF deletions: whether invariant rows are checked for a missing
   * allele (REF not N), for a deletion that takes them in (RowTrace). */
  void setTracksMissing(bool tracks) { tracksMissing_ = tracks; }
  /** Whether the last row was invariant with a missing allele. */
  bool missingInvariant() const { return missingInvariant_; }

 private:
  const RowWriter& writer_;
  std::unique_ptr<WriterScratch> scratch_;
  std::size_t columns_;
  char delimiter_;
  std::vector<std::string_view> fields_;
  std::vector<std::string_view> alts_;
  AltFinder altFinder_;
  RowProblem problem_;
  RowFacts facts_;
  std::uint64_t rows_ = 0;
  std::optional<RegionCursor> regions_;
  bool allSites_;
  bool tracksMissing_ = false;
  bool missingInvariant_ = false;
};

}  // namespace hapmat
