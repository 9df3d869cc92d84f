#include "rows/row_tally.hpp"

#include <charconv>

namespace hapmat {

namespace {

std::uint64_t parsePos(std::string_view pos) {
  std::uint64_t value = 0;
  std::from_chars(pos.data(), pos.data() + pos.size(), value);
  return value;
}

std::string position(std::string_view chrom, std::uint64_t pos) {
  return std::string(chrom) + ":" + std::to_string(pos);
}

}  // namespace

std::uint64_t csiCapacity(std::uint64_t longestContig) {
  // htslib's tabix indexer: min_shift 14, levels from (31 - 14 + 2) / 3 = 6
  // up until 2^(14 + 3 * levels) covers the longest ##contig length + 256.
  std::uint64_t capacity = std::uint64_t{1} << 32;
  while (longestContig != 0 && longestContig + 256 > capacity &&
         capacity <= (std::uint64_t{1} << 60)) {
    capacity <<= 3;
  }
  return capacity;
}

WrittenOrder::WrittenOrder(IndexKind kind, std::uint64_t csiCapacity)
    : kind_(kind), csiCapacity_(csiCapacity) {}

void WrittenOrder::clear() {
  runs_.clear();
  done_.clear();
  problem_.reset();
  maxEnd_ = 0;
}

bool WrittenOrder::fits(std::string_view chrom, std::uint64_t pos,
                        std::uint64_t end, std::uint64_t line) {
  if (end > maxEnd_) maxEnd_ = end;
  const bool tbi = kind_ == IndexKind::kTbi;
  if (end <= (tbi ? kTbiCapacity : csiCapacity_)) return true;
  const std::string where =
      "the row at " + position(chrom, pos) + " ends at " + std::to_string(end);
  problem_ = LineProblem{
      line,
      {chrom.size() + 2,
       tbi ? where + ", past what a tabix index holds (2^29): use --index csi"
           : where + ", past what a CSI index holds (" +
                 std::to_string(csiCapacity_) +
                 "; --fai with the sequence lengths raises it)"},
      std::nullopt,
      {}};
  return false;
}

bool WrittenOrder::addRow(std::string_view chrom, std::string_view pos,
                          std::size_t refLength, std::uint64_t line) {
  const std::uint64_t value = parsePos(pos);
  return fits(chrom, value, value - 1 + refLength, line) &&
         add(chrom, value, value, line, line);
}

bool WrittenOrder::append(const WrittenOrder& stretch, std::uint64_t lineBase) {
  if (stretch.maxEnd_ > maxEnd_) maxEnd_ = stretch.maxEnd_;
  for (const Run& run : stretch.runs_) {
    if (!add(run.chrom, run.firstPos, run.lastPos, lineBase + run.firstLine,
             lineBase + run.lastLine)) {
      return false;
    }
  }
  if (stretch.problem_) {
    problem_ = *stretch.problem_;
    problem_->line += lineBase;
    if (problem_->otherLine) *problem_->otherLine += lineBase;
    return false;
  }
  return true;
}

// The previous written row is the last run's last one.
bool WrittenOrder::add(std::string_view chrom, std::uint64_t firstPos,
                       std::uint64_t lastPos, std::uint64_t firstLine,
                       std::uint64_t lastLine) {
  if (!runs_.empty() && runs_.back().chrom == chrom) {
    Run& last = runs_.back();
    if (firstPos < last.lastPos) {
      fail(firstLine, chrom.size() + 2,
           "POS " + std::to_string(firstPos) + " comes after " +
               position(chrom, last.lastPos),
           ": an index needs each CHROM's rows sorted by POS (sort the "
           "matrix, or leave out --index)");
      return false;
    }
    last.lastPos = lastPos;
    last.lastLine = lastLine;
    return true;
  }
  if (done_.contains(std::string(chrom))) {
    fail(firstLine, 1,
         "CHROM '" + std::string(chrom) + "' comes back after " +
             position(runs_.back().chrom, runs_.back().lastPos),
         ": an index needs each CHROM's rows together (sort the matrix, or "
         "leave out --index)");
    return false;
  }
  if (!runs_.empty()) done_.insert(runs_.back().chrom);
  runs_.push_back({std::string(chrom), firstPos, lastPos, firstLine, lastLine});
  return true;
}

// The reason names the previous written row's line.
void WrittenOrder::fail(std::uint64_t line, std::size_t column,
                        std::string reason, std::string detail) {
  LineProblem problem;
  problem.line = line;
  problem.problem.column = column;
  problem.problem.reason = std::move(reason);
  problem.otherLine = runs_.back().lastLine;
  problem.detail = std::move(detail);
  problem_ = std::move(problem);
}

void StretchTally::clear() {
  lines = rowsRead = rowsWritten = rowsNotCarried = rowsOutside =
      allelesLeftOut = badRows = 0;
  firstBad.clear();
  chroms.clear();
  chromVersion = ~std::uint64_t{0};
  order.clear();
  chromLength = 0;
  pastEnd.reset();
  trace.clear();
}

namespace tally_detail {

void noteBad(StretchTally& tally, std::uint64_t line,
             const RowProblem& problem) {
  ++tally.badRows;
  if (tally.firstBad.size() < kKeptBadRows) {
    tally.firstBad.push_back({line, problem, std::nullopt, {}});
  }
}

void noteChrom(StretchTally& tally, std::string_view chrom,
               std::uint64_t line) {
  if (!tally.chroms.empty() && tally.chroms.back().chrom == chrom) return;
  tally.chroms.push_back({std::string(chrom), line});
  if (tally.lengths != nullptr) {
    auto found = tally.lengths->find(tally.chroms.back().chrom);
    tally.chromLength = found == tally.lengths->end() ? 0 : found->second;
  }
}

// A CHROM that is not a --fai sequence has no length here: the run tally
// refuses it.
bool withinLength(StretchTally& tally, const RowFacts& facts,
                  std::uint64_t line) {
  const std::uint64_t pos = parsePos(facts.pos);
  if (tally.chromLength == 0 || pos <= tally.chromLength) return true;
  tally.pastEnd =
      LineProblem{line,
                  {facts.chrom.size() + 2,
                   "POS " + std::to_string(pos) + " is past the end of '" +
                       std::string(facts.chrom) + "' (its --fai length is " +
                       std::to_string(tally.chromLength) + ")"},
                  std::nullopt,
                  {}};
  return false;
}

}  // namespace tally_detail

}  // namespace hapmat
