// The row loops (src/rows/row_loop.hpp) of every compiled target, for each
// writer class, against RowPhaser::convert with the scalar twins line by
// line: the same bytes, the same tally, the same verdict, over rows of every
// kind the loop meets (variant, invariant, N and -, codes VCF cannot carry,
// lower case, multi-byte alleles, malformed rows, new CHROMs, CRLF, blank
// lines, a last line without its newline) and haplotype counts around the
// vector sizes.

#include "rows/row_loop.hpp"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <tuple>
#include <vector>

#include "formats/row_writer.hpp"
#include "kernels/kernel_set.h"

namespace hapmat {
namespace {

constexpr std::string_view kChroms[] = {"1", "chr2", "scaffold_1234567",
                                        "chrUn_KI270302v1_random_and_long"};

// One allele: mostly REF, some other base, N, -, now and then any code,
// lower case or two bases; `odd` allows the latter two.
std::string allele(std::mt19937_64& rng, char ref, bool odd) {
  const auto pick = static_cast<unsigned>(rng() % 100);
  if (pick < 60) return std::string(1, ref);
  if (pick < 80) return std::string(1, "ACGT"[rng() % 4]);
  if (pick < 86) return "N";
  if (pick < 90) return "-";
  if (pick < 97 || !odd) return std::string(1, "ACGTN-RYSWKMBDHV"[rng() % 16]);
  return pick < 99 ? "a" : "AC";
}

// A matrix body of `count` haplotypes, `delimiter` between fields.
std::string randomLines(std::mt19937_64& rng, std::size_t count,
                        char delimiter) {
  std::string text;
  std::size_t chrom = 0;
  std::uint64_t pos = 1;
  for (int row = 0; row < 300; ++row) {
    if (rng() % 30 == 0) chrom = rng() % std::size(kChroms);
    pos += 1 + rng() % 50;
    const auto kind = static_cast<unsigned>(rng() % 100);
    if (kind < 2) {  // blank
      text += rng() % 2 == 0 ? "\n" : "\r\n";
      continue;
    }
    const char ref = "ACGTNacgRY"[rng() % (kind < 90 ? 5 : 10)];
    text.append(kChroms[chrom]).push_back(delimiter);
    text.append(kind < 3 ? "0" : std::to_string(pos)).push_back(delimiter);
    text.push_back(ref);
    const bool invariant = kind < 40;
    const std::size_t alleles = kind == 4 ? count + 1 : count;  // 4: bad
    for (std::size_t i = 0; i < alleles; ++i) {
      text.push_back(delimiter);
      text.append(invariant ? (rng() % 10 == 0 ? "N" : std::string(1, ref))
                            : allele(rng, ref, kind > 95));
    }
    if (kind == 5) text.append("x");  // a bad last allele byte
    text += rng() % 10 == 0 ? "\r\n" : "\n";
  }
  text.append(kChroms[0]).append(1, delimiter).append("7").append(1, delimiter);
  text.append("A");
  for (std::size_t i = 0; i < count; ++i) text.append(1, delimiter) += "C";
  return text;  // the last line without its newline
}

struct Result {
  std::string out;
  bool kept = true;
  std::uint64_t lines = 0, rowsRead = 0, rowsWritten = 0, notCarried = 0,
                bad = 0, allelesLeftOut = 0;
  // The trace, when rows are traced: marks, starts (row, CHROM, POS), and
  // the rows aside's lines.
  std::string marks;
  std::vector<std::tuple<std::size_t, std::string, std::uint64_t>> starts;
  std::vector<std::string_view> missingLines;

  bool operator==(const Result&) const = default;
};

Result resultOf(const StretchTally& tally, const ByteBuffer& out, bool kept) {
  Result result{std::string(out.view()),
                kept,
                tally.lines,
                tally.rowsRead,
                tally.rowsWritten,
                tally.rowsNotCarried,
                tally.badRows,
                tally.allelesLeftOut,
                std::string(tally.trace.marks()),
                {},
                tally.trace.missingLines};
  for (const RowTrace::Start& start : tally.trace.starts) {
    result.starts.emplace_back(start.row, start.chrom, start.pos);
  }
  return result;
}

// What rows go to: a tally that traces them (VCF deletions) with missing
// alleles tracked or not, or one that does not.
enum class Tracing { kNone, kRows, kRowsAndMissing };

// RowPhaser::convert on the scalar twins, line by line.
Result expected(const RowWriter& writer, std::size_t columns,
                Delimiter delimiter, std::string_view lines, bool skip,
                Tracing tracing = Tracing::kNone) {
  RowPhaser phaser(writer, columns, delimiter, kernels::scalarTwins());
  phaser.setTracksMissing(tracing == Tracing::kRowsAndMissing);
  StretchTally tally;
  tally.tracksRows = tracing != Tracing::kNone;
  ByteBuffer out;
  bool kept = true;
  while (kept && !lines.empty()) {
    const std::size_t end = std::min(lines.find('\n'), lines.size());
    kept = convertLine(phaser, lines.substr(0, end), skip, tally, out);
    lines.remove_prefix(std::min(end + 1, lines.size()));
  }
  return resultOf(tally, out, kept);
}

Result looped(const RowWriter& writer, std::size_t columns, Delimiter delimiter,
              const kernels::KernelSet& set, std::string_view lines, bool skip,
              Tracing tracing = Tracing::kNone) {
  RowPhaser phaser(writer, columns, delimiter, set);
  phaser.setTracksMissing(tracing == Tracing::kRowsAndMissing);
  StretchTally tally;
  tally.tracksRows = tracing != Tracing::kNone;
  ByteBuffer out;
  std::vector<std::uint64_t> masks(kernels::maskWords(kRowLoopSpan));
  const bool kept = rowLoopFor(set, writer, tally.tracksRows)(
      {phaser, lines, set.newlineMasks, masks.data(), skip, tally, out});
  return resultOf(tally, out, kept);
}

TEST(RowLoop, EveryTargetAndWriterWritesWhatConvertWrites) {
  std::vector<kernels::KernelSet> sets = {kernels::scalarTwins()};
  for (const std::string& target : kernels::availableTargets()) {
    sets.push_back(*kernels::kernelSet(target));
  }
  const std::vector<FormatOptions> formats = {
      {FormatKind::kTable, Delimiter::kSpace, MissingAllele::kDot},
      {FormatKind::kPanel, Delimiter::kTab, MissingAllele::kDot},
      {FormatKind::kVcf, Delimiter::kSpace, MissingAllele::kDot},
      {FormatKind::kVcf, Delimiter::kSpace, MissingAllele::kRef}};
  std::mt19937_64 rng(21);
  for (std::size_t count : {2, 3, 7, 15, 16, 17, 31, 32, 33, 63, 64, 65, 100}) {
    std::vector<SamplePair> samples;
    for (std::size_t i = 0; i + 1 < count; i += 2) {
      // Appended: "s" + to_string trips GCC 12's -Wrestrict (a false
      // positive) once the test is inlined.
      std::string name = "s";
      name += std::to_string(i);
      samples.push_back({name, name, kFirstHaplotype + i + 1,
                         kFirstHaplotype + i});  // pairs out of column order
    }
    const std::size_t columns = kFirstHaplotype + count;
    for (const Delimiter delimiter : {Delimiter::kSpace, Delimiter::kTab}) {
      const std::string lines =
          randomLines(rng, count, static_cast<char>(delimiter));
      for (const FormatOptions& format : formats) {
        const auto writer = makeRowWriter(format, samples);
        for (const bool skip : {true, false}) {
          const Result want =
              expected(*writer, columns, delimiter, lines, skip);
          if (skip) {
            ASSERT_GT(want.bad * want.rowsWritten, 0u);
          }
          for (const kernels::KernelSet& set : sets) {
            SCOPED_TRACE("count " + std::to_string(count) + ", format " +
                         std::to_string(static_cast<int>(format.kind)) +
                         ", target " + set.target);
            EXPECT_TRUE(looped(*writer, columns, delimiter, set, lines, skip) ==
                        want);
          }
        }
      }
    }
  }
}

// The table and VCF writers get loops of their own on a target; the scalar
// twins, which have none, the loop through RowPhaser::convert.
TEST(RowLoop, EachWriterClassHasItsOwnLoopOnATarget) {
  const std::vector<SamplePair> samples = {{"s", "s", 3, 4}};
  const auto table = makeRowWriter({FormatKind::kTable}, samples);
  const auto panel = makeRowWriter({FormatKind::kPanel}, samples);
  const auto vcf = makeRowWriter({FormatKind::kVcf}, samples);
  const kernels::KernelSet set = *kernels::kernelSet();
  EXPECT_EQ(rowLoopFor(set, *table, false), rowLoopFor(set, *panel, false));
  EXPECT_NE(rowLoopFor(set, *table, false), rowLoopFor(set, *vcf, false));
  const kernels::KernelSet& twins = kernels::scalarTwins();
  EXPECT_EQ(rowLoopFor(twins, *table, false), rowLoopFor(twins, *vcf, false));
  EXPECT_NE(rowLoopFor(twins, *table, false), rowLoopFor(set, *table, false));
  // Traced rows: the VCF writer's own loop with the trace inline; another
  // writer the loop of RowPhaser::convert, which traces as convertLine.
  EXPECT_NE(rowLoopFor(set, *vcf, true), rowLoopFor(set, *vcf, false));
  EXPECT_NE(rowLoopFor(set, *table, true), rowLoopFor(set, *table, false));
  EXPECT_NE(rowLoopFor(set, *table, true), rowLoopFor(set, *vcf, true));
}

// With missing alleles tracked (VCF deletions), an invariant row's N, in
// any vector, the overlap or the tail, or none, is seen by every target's
// loops (the table's, and the VCF loop that traces rows, where the pack
// kernel tells it) as by RowPhaser::convert on the scalar twins; a REF of N
// is no missing allele.
TEST(RowLoop, EveryTargetSeesAnInvariantRowsMissingAllele) {
  std::vector<kernels::KernelSet> sets;
  for (const std::string& target : kernels::availableTargets()) {
    sets.push_back(*kernels::kernelSet(target));
  }
  const auto table = makeRowWriter({FormatKind::kTable}, {{"s", "s", 3, 4}});
  const auto vcf = makeRowWriter({FormatKind::kVcf}, {{"s", "s", 3, 4}});
  std::vector<std::uint64_t> masks(kernels::maskWords(kRowLoopSpan));
  for (std::size_t count = 2; count <= 140; ++count) {
    const std::size_t columns = kFirstHaplotype + count;
    for (const char ref : {'A', 'N'}) {
      for (std::size_t missing = 0; missing <= count; ++missing) {
        std::string line = "1 5 ";
        line.push_back(ref);
        for (std::size_t i = 0; i < count; ++i) {
          line.append(i == missing ? " N" : std::string(" ") + ref);
        }
        SCOPED_TRACE("count " + std::to_string(count) + ", N at " +
                     std::to_string(missing) + ", REF " + ref);
        RowPhaser twin(*table, columns, Delimiter::kSpace,
                       kernels::scalarTwins());
        twin.setTracksMissing(true);
        ByteBuffer out;
        ASSERT_EQ(twin.convert(line, out), RowOutcome::kInvariant);
        const bool aside = ref != 'N' && missing < count;
        ASSERT_EQ(twin.missingInvariant(), aside);
        for (const kernels::KernelSet& set : sets) {
          for (const bool traces : {false, true}) {
            const RowWriter& writer = traces ? *vcf : *table;
            RowPhaser phaser(writer, columns, Delimiter::kSpace, set);
            phaser.setTracksMissing(true);
            StretchTally tally;
            tally.tracksRows = traces;
            ASSERT_TRUE(rowLoopFor(set, writer,
                                   traces)({phaser, line, set.newlineMasks,
                                            masks.data(), true, tally, out}));
            EXPECT_EQ(phaser.missingInvariant(), aside) << set.target;
            if (traces) {
              EXPECT_EQ(tally.trace.marks(),
                        std::string(1, static_cast<char>(
                                           traceBase(std::string(1, ref)) |
                                           (aside ? kTraceAside : 0))))
                  << set.target;
              EXPECT_EQ(tally.trace.missingLines.size(), aside ? 1u : 0u);
            }
          }
        }
      }
    }
  }
}

// Rows for the trace: runs of positions that follow one another across
// carries (9 -> 10, 99 -> 100 ...), at every POS width up to 17 digits (16
// and 17 take the general path), with leading zeros now and then, broken by
// jumps, repeats and new CHROMs; invariant rows with and without an N,
// variant, lower-case and bad rows among them.
std::string tracedLines(std::mt19937_64& rng, std::size_t count) {
  std::string text;
  std::size_t chrom = 0;
  std::uint64_t pos = 1;
  for (int row = 0; row < 2000; ++row) {
    const auto jump = static_cast<unsigned>(rng() % 100);
    if (jump < 2) chrom = rng() % std::size(kChroms);
    if (jump < 4) {  // just before a carry of some width
      std::uint64_t power = 1;
      for (auto digits = rng() % 17; digits > 0; --digits) power *= 10;
      pos = power - rng() % 3;
      if (pos == 0) pos = 1;
    } else if (jump < 6) {
      pos += rng() % 20;  // a repeat or a hole
    } else {
      ++pos;
    }
    std::string posText;
    if (jump == 99) posText.push_back('0');
    posText.append(std::to_string(pos));
    const auto kind = static_cast<unsigned>(rng() % 100);
    const char ref = kind < 3 ? 'a' : "ACGTN"[rng() % 5];
    text.append(kChroms[chrom]).append(" ").append(posText).append(" ");
    text.push_back(ref);
    for (std::size_t i = 0; i < count + (kind == 3 ? 1 : 0); ++i) {
      const auto pick = static_cast<unsigned>(rng() % 100);
      text.push_back(' ');
      text.push_back(kind < 70 ? (pick < 97 || kind < 30 ? ref : 'N')
                               : "ACGTN-"[pick % 6]);
    }
    text += "\n";
  }
  return text;
}

// The VCF loop of every target traces rows as convertLine does: the same
// marks, starts and rows aside, and the same bytes and tally.
TEST(RowLoop, EveryTargetTracesRowsAsConvertLine) {
  std::vector<kernels::KernelSet> sets = {kernels::scalarTwins()};
  for (const std::string& target : kernels::availableTargets()) {
    sets.push_back(*kernels::kernelSet(target));
  }
  std::mt19937_64 rng(23);
  for (std::size_t count : {2, 7, 31, 33, 100}) {
    std::vector<SamplePair> samples;
    for (std::size_t i = 0; i + 1 < count; i += 2) {
      // Appended: "s" + to_string trips GCC 12's -Wrestrict (a false
      // positive) once the test is inlined.
      std::string name = "s";
      name += std::to_string(i);
      samples.push_back(
          {name, name, kFirstHaplotype + i, kFirstHaplotype + i + 1});
    }
    const std::size_t columns = kFirstHaplotype + count;
    const std::string lines = tracedLines(rng, count);
    const auto writer = makeRowWriter(
        {FormatKind::kVcf, Delimiter::kSpace, MissingAllele::kDot}, samples);
    for (const Tracing tracing : {Tracing::kRows, Tracing::kRowsAndMissing}) {
      const Result want =
          expected(*writer, columns, Delimiter::kSpace, lines, true, tracing);
      ASSERT_GT(want.starts.size(), 20u);
      ASSERT_EQ(want.missingLines.empty(), tracing == Tracing::kRows);
      for (const kernels::KernelSet& set : sets) {
        SCOPED_TRACE("count " + std::to_string(count) + ", target " +
                     set.target);
        const Result got = looped(*writer, columns, Delimiter::kSpace, set,
                                  lines, true, tracing);
        EXPECT_EQ(got.marks, want.marks);
        EXPECT_EQ(got.starts, want.starts);
        EXPECT_EQ(got.missingLines, want.missingLines);
        EXPECT_TRUE(got == want);
      }
    }
  }
}

}  // namespace
}  // namespace hapmat
