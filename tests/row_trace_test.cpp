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

// A stretch goes on through carries (9 -> 10, 99 -> 100) and POS of every
// width the comparison takes in one or two loads.
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

}  // namespace
}  // namespace hapmat
