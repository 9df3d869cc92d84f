#pragma once
// The whole run's tally: stretches merged in input order into Stats, with
// the checks that need every row before them (contigs, index order), and
// the one place where problems become InputErrors.

#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

#include "hapmat/convert.hpp"
#include "hapmat/error.hpp"
#include "io/line_source.hpp"
#include "matrix/contigs.hpp"
#include "rows/row_tally.hpp"

namespace hapmat {

/** A BCF's contigs were predicted (ContigCheck::predicted) and the rows
 * hold others, or in another order: the conversion must be redone with the
 * CHROMs read from the whole input. Not an error the user sees. */
class ContigsMispredicted : public std::runtime_error {
 public:
  ContigsMispredicted()
      : std::runtime_error("the rows' CHROMs are not those predicted") {}
};

/** Where a BCF to a file without --fai takes its contigs from: predicted
 * from a few reads (predictChroms), or, once that proved wrong, read from
 * every row first (scanChroms). */
enum class ContigSource { kPredicted, kScanned };

/**
 * The CHROM values of the rows, against the ##contig lines: with --fai
 * every CHROM must be one of its sequences; in a part, the CHROMs must
 * follow the header's contigs (the whole file's, guessed) in their order,
 * each one's rows together; otherwise the CHROMs are collected in order of
 * first appearance, to compare with the contigs the header was written
 * with.
 */
class ContigCheck {
 public:
  /** Collects the CHROMs; `written`: the contigs the header holds. */
  static ContigCheck collecting(std::vector<Contig> written);
  /** Collects the CHROMs, which must be `predicted`, in its order: throws
   * ContigsMispredicted at the first other (a BCF's records name their
   * contig by its place in a header that cannot be rewritten). */
  static ContigCheck predicted(std::vector<Contig> predicted);
  /** Refuses a CHROM that is not in `fai` (named by `faiPath`). */
  static ContigCheck fromFai(std::vector<Contig> fai, std::string faiPath);
  /** Refuses a CHROM that is not `contigs`' next (or the same again):
   * a part's rows, or with `regions` those of the regions' span. */
  static ContigCheck following(std::vector<Contig> contigs,
                               bool regions = false);

  /** A problem when a run of rows of `chrom` may not begin: a name VCF
   * cannot carry (at its byte), a CHROM the contigs refuse (column 1). */
  std::optional<RowProblem> see(const std::string& chrom);
  /** Following: a problem when the next part's first row, of `chrom`,
   * could not follow this part's last one. */
  std::optional<RowProblem> seeNextPart(const std::string& chrom) const;
  /** Whether the header's contigs are right: those of --fai, those a part
   * follows, or the CHROMs seen, in order. */
  bool headerMatches() const {
    return mode_ != Mode::kCollect || seen_ == written_;
  }
  /** Whether the contigs are a prediction the rows must match. */
  bool isPrediction() const { return prediction_; }
  const std::vector<Contig>& seen() const { return seen_; }
  const std::vector<Contig>& written() const { return written_; }

 private:
  enum class Mode { kCollect, kFai, kFollow };

  Mode mode_ = Mode::kCollect;
  std::vector<Contig> written_;
  std::vector<Contig> seen_;
  std::unordered_map<std::string, std::size_t> known_;
  std::string faiPath_;
  std::optional<std::size_t> current_;  // following: the last run's contig
  const char* notGrouped_ = "";         // following: why CHROMs must be
  bool prediction_ = false;             // collecting: written_ must be seen
};

class RunTally {
 public:
  RunTally(std::string inputName, const ConvertOptions& options,
           std::optional<ContigCheck> contigs);

  /** A stretch's tally with its settings (CHROM runs, index order). */
  StretchTally makeStretch() const;
  /** Whether stretches keep a RowTrace (VCF deletions). */
  bool tracksRows() const { return tracksRows_; }

  /** Merges the next stretch, of a chunk whose checked text ends at
   * `checked` if it does. Throws InputError at its first problem that
   * stops the run. */
  void merge(const StretchTally& stretch,
             const std::optional<CheckedEnd>& checked = std::nullopt);

  /** Where the checked text ends, in the latest stretch that moved it. */
  std::optional<CheckedPosition> checkedEnd();

  /** How many lines of the input come before the first stretch: asked
   * once, and only to name a line in an error. */
  void setLinesBefore(std::function<std::uint64_t()> count) {
    countLinesBefore_ = std::move(count);
  }
  /** Lines converted so far (after the lines before the first stretch). */
  std::uint64_t lines() const { return lines_; }

  /** Throws InputError at `column` of the line after the merged ones: the
   * input itself failed there (a line too long, a broken stream). */
  [[noreturn]] void failAtNextLine(std::uint64_t column,
                                   const std::string& reason);

  const std::optional<ContigCheck>& contigs() const { return contigs_; }
  /** The counts; the index kind is resolved from the rows written. */
  Stats stats() const;

 private:
  std::uint64_t linesBefore();
  InputError render(LineProblem problem);
  [[noreturn]] void fail(const LineProblem& problem);
  std::optional<LineProblem> firstStop(const StretchTally& stretch);
  void keepSkipped(const StretchTally& stretch);

  std::string inputName_;
  bool skipBadRows_;
  IndexKind index_;
  std::uint64_t csiCapacity_;
  std::optional<ContigCheck> contigs_;
  std::unordered_map<std::string, std::uint64_t> faiLengths_;
  WrittenOrder order_;
  bool tracksRows_;          // VCF deletions: stretches keep a RowTrace
  std::uint64_t lines_ = 0;  // converted so far
  std::function<std::uint64_t()> countLinesBefore_ = [] { return 0; };
  std::optional<std::uint64_t> linesBefore_;
  std::optional<CheckedPosition> checkedEnd_;  // its line counts as lines_
  Stats stats_;
};

}  // namespace hapmat
