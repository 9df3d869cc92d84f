// The per-line step of row_tally.hpp, inline: it runs for every line.
#pragma once

namespace hapmat {

namespace tally_detail {

void noteBad(StretchTally& tally, std::uint64_t line,
             const RowProblem& problem);
void noteChrom(StretchTally& tally, std::string_view chrom, std::uint64_t line);
bool withinLength(StretchTally& tally, const RowFacts& facts,
                  std::uint64_t line);

template <class Rows>
void noteRow(StretchTally& tally, const Rows& rows, std::string_view line,
             RowOutcome outcome) {
  const RowFacts& facts = rows.facts();
  char mark = 0;
  if (outcome == RowOutcome::kWritten) {
    mark = kTraceWritten;
  } else if (rows.missingInvariant()) {
    mark = kTraceAside;
    tally.trace.missingLines.push_back(line);
  }
  // One call site of the inline add(): the function stays small.
  tally.trace.add(rows.chromVersion(), facts.chrom, facts.pos, facts.ref, mark);
}

}  // namespace tally_detail

template <class Rows>
bool convertLine(Rows& rows, std::string_view line, bool skipBadRows,
                 StretchTally& tally, ByteBuffer& out) {
  const std::uint64_t number = tally.lines++;
  if (line.ends_with('\r')) line.remove_suffix(1);
  if (line.empty()) return true;
  ++tally.rowsRead;
  const RowOutcome outcome = rows.convert(line, out);
  if (outcome == RowOutcome::kBad) {
    tally_detail::noteBad(tally, number, rows.problem());
    return skipBadRows;
  }
  // Most rows repeat the previous CHROM, which the converter can tell
  // without a comparison.
  if (tally.tracksChroms && rows.chromVersion() != tally.chromVersion) {
    tally.chromVersion = rows.chromVersion();
    tally_detail::noteChrom(tally, rows.facts().chrom, number);
  }
  if (tally.tracksRows) tally_detail::noteRow(tally, rows, line, outcome);
  switch (outcome) {
    case RowOutcome::kWritten:
      ++tally.rowsWritten;
      tally.allelesLeftOut += rows.allelesLeftOut();
      if (tally.lengths != nullptr &&
          !tally_detail::withinLength(tally, rows.facts(), number)) {
        return false;
      }
      if (tally.tracksOrder) {
        const RowFacts& facts = rows.facts();
        return tally.order.addRow(facts.chrom, facts.pos, facts.refLength,
                                  number);
      }
      return true;
    case RowOutcome::kNotCarried:
      ++tally.rowsNotCarried;
      return true;
    case RowOutcome::kOutside:
      ++tally.rowsOutside;
      return true;
    case RowOutcome::kInvariant:
    case RowOutcome::kBad:
      break;
  }
  return true;
}

}  // namespace hapmat
