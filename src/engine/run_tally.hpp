#pragma once
// The whole run's tally: stretches merged in input order into Stats, with
// the checks that need every row before them (contigs, index order), and
// the one place where problems become InputErrors.

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "hapmat/convert.hpp"
#include "matrix/contigs.hpp"
#include "rows/row_tally.hpp"

namespace hapmat {

/**
 * The CHROM values of the rows, against the ##contig lines: with --fai
 * every CHROM must be one of its sequences; otherwise the CHROMs are
 * collected in order of first appearance, to compare with the contigs the
 * header was written with.
 */
class ContigCheck {
 public:
  /** Collects the CHROMs; `written`: the contigs the header holds. */
  static ContigCheck collecting(std::vector<Contig> written);
  /** Refuses a CHROM that is not in `fai` (named by `faiPath`). */
  static ContigCheck fromFai(std::vector<Contig> fai, std::string faiPath);

  /** A problem (column 1) when `chrom` may not appear. */
  std::optional<RowProblem> see(const std::string& chrom);
  /** Whether the header's contigs are right: those of --fai, or the
   * CHROMs seen, in order. */
  bool headerMatches() const { return !faiPath_.empty() || seen_ == written_; }
  const std::vector<Contig>& seen() const { return seen_; }
  const std::vector<Contig>& written() const { return written_; }

 private:
  std::vector<Contig> written_;
  std::vector<Contig> seen_;
  std::unordered_map<std::string, std::size_t> known_;
  std::string faiPath_;  // empty: collecting
};

class RunTally {
 public:
  RunTally(std::string inputName, const ConvertOptions& options,
           std::optional<ContigCheck> contigs);

  /** A stretch's tally with its settings (CHROM runs, index order). */
  StretchTally makeStretch() const;

  /** Merges the next stretch. Throws InputError at its first problem that
   * stops the run. */
  void merge(const StretchTally& stretch);

  /** Counts lines before the first stretch (the prologue). */
  void skipLines(std::uint64_t count) { lines_ += count; }
  /** Lines merged so far: the next stretch starts at line lines() + 1. */
  std::uint64_t lines() const { return lines_; }

  /** Throws InputError at `column` of the line after the merged ones: the
   * input itself failed there (a line too long, a broken stream). */
  [[noreturn]] void failAtNextLine(std::uint64_t column,
                                   const std::string& reason) const;

  const std::optional<ContigCheck>& contigs() const { return contigs_; }
  /** The counts; the index kind is resolved from the rows written. */
  Stats stats() const;

 private:
  [[noreturn]] void fail(const LineProblem& problem) const;
  std::optional<LineProblem> firstStop(const StretchTally& stretch);
  void keepSkipped(const StretchTally& stretch);

  std::string inputName_;
  bool skipBadRows_;
  IndexKind index_;
  std::uint64_t csiCapacity_;
  std::optional<ContigCheck> contigs_;
  WrittenOrder order_;
  std::uint64_t lines_ = 0;
  Stats stats_;
};

}  // namespace hapmat
