#include "engine/run_tally.hpp"

#include "hapmat/error.hpp"

namespace hapmat {

static_assert(Stats::kKeptBadRows == kKeptBadRows);

namespace {

IndexKind indexKind(VcfIndex index) {
  switch (index) {
    case VcfIndex::kAuto:
      return IndexKind::kAuto;
    case VcfIndex::kTbi:
      return IndexKind::kTbi;
    case VcfIndex::kCsi:
      return IndexKind::kCsi;
    case VcfIndex::kNone:
      break;
  }
  return IndexKind::kNone;
}

// The longest contig a CSI index htslib can answer describes. htslib sizes
// it to hold the longest ##contig length + 256 in levels of 8x from 2^14;
// past 2^47 its bin numbers overflow, and the index it writes returns no
// row for any region (found with htslib 1.16: `bcftools view -r` on the
// result). A tabix index holds rows up to 2^29 whatever the lengths.
constexpr std::uint64_t kLongestCsiContig = (std::uint64_t{1} << 47) - 256;

std::uint64_t longestContig(const std::optional<ContigCheck>& contigs,
                            IndexKind index) {
  std::uint64_t longest = 0;
  if (!contigs) return longest;
  const bool mayBeCsi = index == IndexKind::kCsi || index == IndexKind::kAuto;
  for (const Contig& contig : contigs->written()) {
    if (mayBeCsi && contig.length > kLongestCsiContig) {
      throw UsageError(
          "--index: sequence '" + contig.name + "' is " +
          std::to_string(contig.length) +
          " long; a CSI index that htslib can read describes sequences up "
          "to " +
          std::to_string(kLongestCsiContig) +
          " (2^47 - 256): give --index tbi if every row ends by 2^29");
    }
    if (contig.length > longest) longest = contig.length;
  }
  return longest;
}

// Lines counted from a stretch's start, made absolute and 1-based.
LineProblem shifted(LineProblem problem, std::uint64_t linesBefore) {
  problem.line += linesBefore + 1;
  if (problem.otherLine) *problem.otherLine += linesBefore + 1;
  return problem;
}

std::string describe(const LineProblem& problem) {
  std::string reason = problem.problem.reason;
  if (problem.otherLine) {
    reason +=
        " (line " + std::to_string(*problem.otherLine) + ")" + problem.detail;
  }
  return reason;
}

}  // namespace

ContigCheck ContigCheck::collecting(std::vector<Contig> written) {
  ContigCheck check;
  check.written_ = std::move(written);
  return check;
}

ContigCheck ContigCheck::predicted(std::vector<Contig> predicted) {
  ContigCheck check = collecting(std::move(predicted));
  check.prediction_ = true;
  return check;
}

ContigCheck ContigCheck::fromFai(std::vector<Contig> fai, std::string faiPath) {
  ContigCheck check = following(std::move(fai));
  check.mode_ = Mode::kFai;
  check.faiPath_ = std::move(faiPath);
  return check;
}

namespace {

const char kNotGrouped[] =
    ": a part's rows must follow part 1's ##contig lines, guessed from the "
    "file with each CHROM's rows together (sort the matrix by CHROM, or give "
    "--fai)";

const char kRegionsNotGrouped[] =
    ": with --regions the ##contig lines are guessed from the file with each "
    "CHROM's rows together, as the regions are found (sort the matrix by "
    "CHROM, or give --fai)";

}  // namespace

ContigCheck ContigCheck::following(std::vector<Contig> contigs, bool regions) {
  ContigCheck check;
  check.mode_ = Mode::kFollow;
  check.notGrouped_ = regions ? kRegionsNotGrouped : kNotGrouped;
  for (std::size_t i = 0; i < contigs.size(); ++i) {
    check.known_.emplace(contigs[i].name, i);
  }
  check.written_ = std::move(contigs);
  return check;
}

std::optional<RowProblem> ContigCheck::see(const std::string& chrom) {
  auto found = known_.find(chrom);
  // A --fai sequence's name was checked when the index was read.
  if (mode_ != Mode::kFai &&
      (mode_ == Mode::kFollow || found == known_.end())) {
    if (std::optional<RowProblem> problem = contigNameProblem(chrom)) {
      problem->reason = "CHROM " + problem->reason;
      return problem;
    }
  }
  switch (mode_) {
    case Mode::kCollect:
      if (found == known_.end()) {
        if (prediction_ && (seen_.size() == written_.size() ||
                            written_[seen_.size()].name != chrom)) {
          throw ContigsMispredicted();
        }
        known_.emplace(chrom, seen_.size());
        seen_.push_back({chrom, 0});
      }
      return std::nullopt;
    case Mode::kFai:
      if (found != known_.end()) return std::nullopt;
      return RowProblem{
          1, "CHROM '" + chrom + "' is not a sequence of " + faiPath_};
    case Mode::kFollow:
      break;
  }
  if (found == known_.end()) {
    return RowProblem{
        1, "CHROM '" + chrom + "' is not in the file's CHROMs" + notGrouped_};
  }
  if (current_ && found->second != *current_ &&
      found->second != *current_ + 1) {
    return RowProblem{1, "CHROM '" + chrom + "' after '" +
                             written_[*current_].name + "'" + notGrouped_};
  }
  current_ = found->second;
  return std::nullopt;
}

std::optional<RowProblem> ContigCheck::seeNextPart(
    const std::string& chrom) const {
  if (mode_ != Mode::kFollow || !current_) return std::nullopt;
  auto found = known_.find(chrom);
  if (found != known_.end() &&
      (found->second == *current_ || found->second == *current_ + 1)) {
    return std::nullopt;
  }
  return RowProblem{1, "the next part's first CHROM '" + chrom +
                           "' cannot follow this part's last, '" +
                           written_[*current_].name + "'" + notGrouped_};
}

RunTally::RunTally(std::string inputName, const ConvertOptions& options,
                   std::optional<ContigCheck> contigs)
    : inputName_(std::move(inputName)),
      skipBadRows_(options.skipBadRows),
      index_(indexKind(options.index)),
      csiCapacity_(csiCapacity(longestContig(contigs, index_))),
      contigs_(std::move(contigs)),
      order_(index_, csiCapacity_),
      tracksRows_(hasVcfRecords(options.format) &&
                  options.gaps == VcfGaps::kDeletions) {
  if (contigs_ && !options.faiPath.empty()) {
    for (const Contig& contig : contigs_->written()) {
      faiLengths_.emplace(contig.name, contig.length);
    }
  }
}

StretchTally RunTally::makeStretch() const {
  StretchTally stretch(index_, csiCapacity_);
  stretch.tracksChroms = contigs_.has_value();
  stretch.tracksOrder = index_ != IndexKind::kNone;
  if (!faiLengths_.empty()) stretch.lengths = &faiLengths_;
  stretch.tracksRows = tracksRows_;
  return stretch;
}

// The first problem in input order that stops the run: a bad row (unless
// skipped), a CHROM the contigs refuse, a row past its --fai length, a row
// out of order for the index.
std::optional<LineProblem> RunTally::firstStop(const StretchTally& stretch) {
  std::optional<LineProblem> first;
  auto consider = [&first](const LineProblem& problem) {
    if (!first || problem.line < first->line) first = problem;
  };
  if (contigs_) {
    for (const ChromRun& run : stretch.chroms) {
      if (auto problem = contigs_->see(run.chrom)) {
        consider(shifted({run.line, *problem, std::nullopt, {}}, lines_));
        break;
      }
    }
  }
  if (stretch.pastEnd) consider(shifted(*stretch.pastEnd, lines_));
  if (stretch.tracksOrder && !order_.append(stretch.order, lines_ + 1)) {
    consider(*order_.problem());
  }
  if (!skipBadRows_ && !stretch.firstBad.empty()) {
    consider(shifted(stretch.firstBad.front(), lines_));
  }
  return first;
}

void RunTally::merge(const StretchTally& stretch,
                     const std::optional<CheckedEnd>& checked) {
  if (checked) {
    checkedEnd_ = {checked->textOffset, lines_ + checked->lines + 1,
                   checked->column};
  }
  if (auto stop = firstStop(stretch)) fail(*stop);
  stats_.rowsRead += stretch.rowsRead;
  stats_.rowsWritten += stretch.rowsWritten;
  stats_.vcfRowsDropped += stretch.rowsNotCarried;
  stats_.rowsOutsideRegions += stretch.rowsOutside;
  stats_.vcfAllelesDropped += stretch.allelesLeftOut;
  stats_.rowsSkipped += stretch.badRows;
  keepSkipped(stretch);
  lines_ += stretch.lines;
}

void RunTally::keepSkipped(const StretchTally& stretch) {
  for (const LineProblem& bad : stretch.firstBad) {
    if (stats_.firstSkipped.size() == Stats::kKeptBadRows) return;
    stats_.firstSkipped.push_back(render(shifted(bad, lines_)).what());
  }
}

std::optional<CheckedPosition> RunTally::checkedEnd() {
  std::optional<CheckedPosition> at = checkedEnd_;
  if (at) at->line += linesBefore();
  return at;
}

// Lines so far count from the first line converted; the lines before it
// are added only for an error, as a part may have to read the file to
// count them.
std::uint64_t RunTally::linesBefore() {
  if (!linesBefore_) linesBefore_ = countLinesBefore_();
  return *linesBefore_;
}

InputError RunTally::render(LineProblem problem) {
  const std::uint64_t before = linesBefore();
  problem.line += before;
  if (problem.otherLine) *problem.otherLine += before;
  return InputError(inputName_, problem.line, problem.problem.column,
                    describe(problem));
}

void RunTally::fail(const LineProblem& problem) { throw render(problem); }

void RunTally::failAtNextLine(std::uint64_t column, const std::string& reason) {
  fail({lines_ + 1, {column, reason}, std::nullopt, {}});
}

Stats RunTally::stats() const {
  Stats stats = stats_;
  switch (index_) {
    case IndexKind::kNone:
      break;
    case IndexKind::kAuto:
      stats.index =
          order_.maxEnd() <= kTbiCapacity ? VcfIndex::kTbi : VcfIndex::kCsi;
      break;
    case IndexKind::kTbi:
      stats.index = VcfIndex::kTbi;
      break;
    case IndexKind::kCsi:
      stats.index = VcfIndex::kCsi;
      break;
  }
  return stats;
}

}  // namespace hapmat
