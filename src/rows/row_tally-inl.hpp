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
[[gnu::always_inline]] inline char markRow(StretchTally& tally,
                                           const Rows& rows,
                                           std::string_view line,
                                           RowOutcome outcome) {
  char mark = 0;
  if (outcome == RowOutcome::kWritten) {
    mark = kTraceWritten;
  } else if (rows.missingInvariant()) {
    mark = kTraceAside;
    tally.trace.missingLines.push_back(line);
  }
  return mark;
}

// A row that is not bad, into the trace from what the converter kept of
// it. The row loop traces the rows it packed itself (RowTrace::addReserved).
template <class Rows>
void noteRow(StretchTally& tally, const Rows& rows, std::string_view line,
             RowOutcome outcome) {
  const RowFacts& facts = rows.facts();
  const char mark = markRow(tally, rows, line, outcome);
  tally.trace.add(rows.chromVersion(), facts.chrom, facts.pos, facts.ref, mark);
}

}  // namespace tally_detail

inline bool beginLine(StretchTally& tally, std::string_view& line,
                      std::uint64_t& number) {
  number = tally.lines++;
  if (line.ends_with('\r')) line.remove_suffix(1);
  if (line.empty()) return false;
  ++tally.rowsRead;
  return true;
}

// Inline into the row loop, whose every row takes it: a call would save and
// restore the loop's registers.
template <class Rows>
[[gnu::always_inline]] inline bool endLine(const Rows& rows, RowOutcome outcome,
                                           std::uint64_t number,
                                           bool skipBadRows,
                                           StretchTally& tally) {
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

template <class Rows>
bool convertLine(Rows& rows, std::string_view line, bool skipBadRows,
                 StretchTally& tally, ByteBuffer& out) {
  std::uint64_t number;
  if (!beginLine(tally, line, number)) return true;
  const RowOutcome outcome = rows.convert(line, out);
  if (tally.tracksRows && outcome != RowOutcome::kBad) {
    tally_detail::noteRow(tally, rows, line, outcome);
  }
  return endLine(rows, outcome, number, skipBadRows, tally);
}

}  // namespace hapmat
