#include "matrix/row_fields.hpp"

#include <gtest/gtest.h>

namespace hapmat {
namespace {

using Fields = std::vector<std::string_view>;

TEST(IsValidPos, AcceptsPositiveDecimalsBelowTwoToThe63) {
  EXPECT_TRUE(isValidPos("1"));
  EXPECT_TRUE(isValidPos("007"));
  EXPECT_TRUE(isValidPos("9223372036854775807"));
  EXPECT_FALSE(isValidPos("9223372036854775808"));
  EXPECT_FALSE(isValidPos("99999999999999999999999"));
  EXPECT_FALSE(isValidPos("0"));
  EXPECT_FALSE(isValidPos("000"));
  EXPECT_FALSE(isValidPos("+5"));
  EXPECT_FALSE(isValidPos("-5"));
  EXPECT_FALSE(isValidPos("12a"));
  EXPECT_FALSE(isValidPos(""));
}

TEST(SplitRow, SplitsOnTheDelimiter) {
  Fields fields;
  EXPECT_FALSE(splitRow("2 17 A A G N - A", ' ', 8, fields));
  EXPECT_EQ(fields, (Fields{"2", "17", "A", "A", "G", "N", "-", "A"}));
  EXPECT_FALSE(splitRow("chr2\t17\tAT\tat\tN*", '\t', 5, fields));
  EXPECT_EQ(fields, (Fields{"chr2", "17", "AT", "at", "N*"}));
}

// Each case: the line, its delimiter, the expected field count, and the
// column the error must point at (1-based byte where the bad field starts).
struct BadRow {
  std::string line;
  char delimiter;
  std::size_t expected;
  std::size_t column;
  std::string reason;
};

TEST(SplitRow, PointsAtTheBadField) {
  const std::vector<BadRow> cases = {
      {"2 17 A A G", ' ', 4, 10, "expected 4 fields, found more"},
      {"2 17 A A G ", ' ', 5, 12, "expected 5 fields, found more"},
      {"2 17 A A", ' ', 5, 9, "expected 5 fields, found 4"},
      {"2 17 A  G", ' ', 5, 8, "empty field"},
      {" 2 17 A G", ' ', 5, 1, "empty field"},
      {"2 0 A G", ' ', 4, 3, "POS '0' is not a whole number from 1 to 2^63-1"},
      {"2 12a A G", ' ', 4, 3,
       "POS '12a' is not a whole number from 1 to 2^63-1"},
      {std::string("2 17 A G\0T C", 12), ' ', 5, 8,
       "control byte 0x00 inside a field"},
      {"2 17 A GT\x7F C", ' ', 5, 8, "control byte 0x7F inside a field"},
      {"2 17 A G\tT C", ' ', 5, 8, "a tab inside a field"},
      {"2\t17\tA\tG T\tC", '\t', 5, 8, "a space inside a field"},
      {"2 17 A G\rT C", ' ', 5, 8, "a carriage return inside a field"},
      // The leftmost problem wins.
      {"2 x A  G\x01", ' ', 5, 3,
       "POS 'x' is not a whole number from 1 to 2^63-1"},
  };
  Fields fields;
  for (const BadRow& bad : cases) {
    auto problem = splitRow(bad.line, bad.delimiter, bad.expected, fields);
    ASSERT_TRUE(problem) << bad.line;
    EXPECT_EQ(problem->column, bad.column) << bad.line;
    EXPECT_EQ(problem->reason, bad.reason) << bad.line;
  }
}

TEST(SplitRow, HighBytesAreAlleleBytes) {
  Fields fields;
  EXPECT_FALSE(splitRow("2 17 A \xC3\xA9", ' ', 4, fields));
  EXPECT_EQ(fields[3], "\xC3\xA9");
}

}  // namespace
}  // namespace hapmat
