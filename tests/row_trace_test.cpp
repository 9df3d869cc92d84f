#include "formats/row_trace.hpp"

#include <gtest/gtest.h>

namespace hapmat {
namespace {

struct Row {
  std::uint64_t chromVersion;
  std::string_view chrom, pos, ref;
};

RowTrace traceOf(const std::vector<Row>& rows) {
  RowTrace trace;
  for (const Row& row : rows) {
    trace.add(row.chromVersion, row.chrom, row.pos, row.ref, 0);
  }
  return trace;
}

std::vector<std::pair<std::size_t, std::uint64_t>> startsOf(
    const RowTrace& trace) {
  std::vector<std::pair<std::size_t, std::uint64_t>> starts;
  for (const RowTrace::Start& start : trace.starts) {
    starts.emplace_back(start.row, start.pos);
  }
  return starts;
}

using Starts = std::vector<std::pair<std::size_t, std::uint64_t>>;

// A stretch goes on as POS gains a digit (9 -> 10, 99 -> 100), at every
// width.
TEST(RowTrace, PositionsThatFollowContinueAStretch) {
  const RowTrace trace = traceOf({{1, "1", "8", "A"},
                                  {1, "1", "9", "c"},
                                  {1, "1", "10", "G"},
                                  {1, "1", "11", "T"},
                                  {1, "1", "99", "N"},
                                  {1, "1", "100", "n"},
                                  {1, "1", "101", "AT"},
                                  {1, "1", "1234567", "A"},
                                  {1, "1", "1234568", "A"},
                                  {1, "1", "99999999", "A"},
                                  {1, "1", "100000000", "A"},
                                  {1, "1", "123456789012", "A"},
                                  {1, "1", "123456789013", "A"},
                                  {1, "1", "123456789015", "A"}});
  EXPECT_EQ(trace.marks(), std::string("ACGTNN\0AAAAAAA", 14));
  EXPECT_EQ(startsOf(trace), (Starts{{0, 8},
                                     {4, 99},
                                     {7, 1234567},
                                     {9, 99999999},
                                     {11, 123456789012},
                                     {13, 123456789015}}));
}

// A new CHROM starts a stretch; a new chromVersion with the same name does
// not.
TEST(RowTrace, ANewChromStartsAStretch) {
  const RowTrace trace = traceOf({{1, "1", "5", "A"},
                                  {2, "2", "6", "A"},
                                  {3, "2", "7", "A"},
                                  {3, "2", "7", "A"}});
  EXPECT_EQ(startsOf(trace), (Starts{{0, 5}, {1, 6}, {3, 7}}));
  EXPECT_EQ(trace.starts[1].chrom, "2");
}

// addReserved (the row loop's: POS read as a number from two words) keeps
// the trace add() keeps: as POS gains a digit, up to 15 digits (the two
// words' halves), after leading zeros, at repeats, holes and a new CHROM.
TEST(RowTrace, AddReservedTracesAsAdd) {
  std::vector<std::pair<std::uint64_t, std::string>> rows;  // version, POS
  for (std::uint64_t power = 10; power <= 100'000'000'000'000; power *= 10) {
    for (std::uint64_t pos = power - 3; pos < power + 3; ++pos) {
      rows.emplace_back(1, std::to_string(pos));
    }
  }
  for (const char* pos : {"0099", "100", "100", "105"})
    rows.emplace_back(1, pos);
  rows.emplace_back(2, "106");
  rows.emplace_back(2, "107");
  RowTrace added;
  RowTrace reserved;
  reserved.reserve(rows.size());
  for (const auto& [chromVersion, pos] : rows) {
    const std::string chrom = "chr" + std::to_string(chromVersion);
    const char mark = pos.size() % 2 == 0 ? kTraceAside : kTraceWritten;
    added.add(chromVersion, chrom, pos, "c", mark);
    const std::string line = pos + "\tc\t" + std::string(16, 'A');
    reserved.addReserved(chromVersion, chrom, {line.data(), pos.size()}, 'c',
                         mark);
  }
  EXPECT_EQ(reserved.marks(), added.marks());
  EXPECT_EQ(startsOf(reserved), startsOf(added));
  // A start at each power's run, 0099, the repeat, the hole, the CHROM.
  EXPECT_EQ(added.starts.size(), 14u + 4u);
  EXPECT_EQ(added.starts.back().chrom, "chr2");
}

// After a POS ending in 9, the next row may follow, repeat it, skip, or
// change CHROM, by both ways in.
TEST(RowTrace, RowsAfterANineFollowOrStart) {
  const std::vector<Row> rows = {
      {1, "1", "19", "A"},  {1, "1", "20", "A"}, {1, "1", "29", "A"},
      {1, "1", "29", "A"},  {1, "1", "39", "A"}, {1, "1", "41", "A"},
      {1, "1", "49", "A"},  {2, "2", "50", "A"}, {2, "2", "59", "A"},
      {3, "2", "60", "A"},  {3, "2", "99", "A"}, {3, "2", "100", "A"},
      {3, "2", "109", "A"}, {3, "2", "11", "A"}, {3, "2", "199", "A"},
      {3, "2", "1991", "A"}};
  RowTrace added = traceOf(rows);
  RowTrace reserved;
  reserved.reserve(rows.size());
  for (const Row& row : rows) {
    const std::string line =
        std::string(row.pos) + "\tA\t" + std::string(16, 'A');
    reserved.addReserved(row.chromVersion, row.chrom,
                         {line.data(), row.pos.size()}, 'A', 0);
  }
  const Starts starts = {{0, 19},  {2, 29},   {3, 29},   {4, 39},  {5, 41},
                         {6, 49},  {7, 50},   {8, 59},   {10, 99}, {12, 109},
                         {13, 11}, {14, 199}, {15, 1991}};
  EXPECT_EQ(startsOf(added), starts);
  EXPECT_EQ(startsOf(reserved), starts);
  EXPECT_EQ(reserved.marks(), added.marks());
}

// A POS of 15 nines is followed by one of 16 digits (add() reads any
// length; the row loop sends POS of 16 digits to it).
TEST(RowTrace, APosOfSixteenDigitsFollows) {
  const RowTrace trace = traceOf({{1, "1", "999999999999998", "A"},
                                  {1, "1", "999999999999999", "A"},
                                  {1, "1", "1000000000000000", "A"},
                                  {1, "1", "1000000000000001", "A"},
                                  {1, "1", "1000000000000003", "A"}});
  EXPECT_EQ(startsOf(trace),
            (Starts{{0, 999999999999998}, {4, 1000000000000003}}));
}

}  // namespace
}  // namespace hapmat
