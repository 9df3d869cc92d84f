#include "hapmat/schema.hpp"

#include <gtest/gtest.h>

#include "hapmat/error.hpp"

namespace hapmat {
namespace {

using Names = std::vector<std::string>;

TEST(DetectDelimiter, TabWhenTheLineHasOneElseSpace) {
  EXPECT_EQ(detectDelimiter("CHROM\tPOS\tREF\t1a"), Delimiter::kTab);
  EXPECT_EQ(detectDelimiter("CHROM POS REF 1a"), Delimiter::kSpace);
  EXPECT_EQ(detectDelimiter("CHROM POS\tREF 1a"), Delimiter::kTab);
  EXPECT_EQ(detectDelimiter(""), Delimiter::kSpace);
}

TEST(SplitNames, SplitsOnSpacesTabsAndLineEnds) {
  EXPECT_EQ(splitNames("CHROM POS\tREF  1a\t\t1b\r\n"),
            (Names{"CHROM", "POS", "REF", "1a", "1b"}));
  EXPECT_EQ(splitNames(" \n"), Names{});
}

TEST(ValidateColumns, NeedsOneHaplotypeAndDistinctNames) {
  EXPECT_NO_THROW(validateColumns({"CHROM", "POS", "REF", "1a"}, "h"));
  EXPECT_THROW(validateColumns({"CHROM", "POS", "REF"}, "h"), UsageError);
  EXPECT_THROW(validateColumns({"CHROM", "POS", "REF", "1a", "1a"}, "h"),
               UsageError);
  EXPECT_THROW(validateColumns({"CHROM", "POS", "REF", ""}, "h"), UsageError);
}

TEST(PairByName, PairsStemAWithStemBInByteOrderOfTheAColumn) {
  Names columns = {"CHROM", "POS", "REF", "3b",  "8a", "10b",
                   "3a",    "10a", "8b",  "MA1", "a",  "b"};
  std::vector<SamplePair> pairs = pairByName(columns);
  std::vector<SamplePair> expected = {
      {"10", "10a10b", 7, 5}, {"3", "3a3b", 6, 3}, {"8", "8a8b", 4, 8}};
  EXPECT_EQ(pairs, expected);
}

TEST(PairByName, TheOriginalHeaderGivesTheOriginalOrder) {
  Names columns = splitNames(
      "CHROM POS REF 13a 14b 16a 17a 23a 24a 25b 26a 34a 35a 37a 38a 3b "
      "MA622 8b 10b 13b 14a 16b 17b 23b 24b 25a 26b 34b 35b 37b 38b 3a 8a "
      "10a");
  std::vector<std::string> labels;
  for (const SamplePair& pair : pairByName(columns)) {
    labels.push_back(pair.label);
    EXPECT_EQ(columns[pair.first], pair.name + "a");
    EXPECT_EQ(columns[pair.second], pair.name + "b");
  }
  EXPECT_EQ(labels, (Names{"10a10b", "13a13b", "14a14b", "16a16b", "17a17b",
                           "23a23b", "24a24b", "25a25b", "26a26b", "34a34b",
                           "35a35b", "37a37b", "38a38b", "3a3b", "8a8b"}));
}

TEST(PairByName, NoPairsIsAUsageError) {
  EXPECT_THROW(pairByName({"CHROM", "POS", "REF", "x", "y", "1a"}), UsageError);
}

const Names kColumns = {"CHROM", "POS", "REF", "h1", "h2", "h3", "h4", "h5"};

TEST(ParsePairs, KeepsFileOrderAndSkipsComments) {
  std::vector<SamplePair> pairs =
      parsePairs("# name first second\n\nsB h4\th1  # trailing\n  sA h2 h3\n",
                 "p.txt", kColumns);
  std::vector<SamplePair> expected = {{"sB", "sB", 6, 3}, {"sA", "sA", 4, 5}};
  EXPECT_EQ(pairs, expected);
}

std::string pairsError(std::string_view text) {
  try {
    parsePairs(text, "p.txt", kColumns);
  } catch (const UsageError& e) {
    return e.what();
  }
  return "no error";
}

TEST(ParsePairs, ErrorsNameTheFileLineAndColumn) {
  EXPECT_EQ(pairsError("s1 h1 h2\ns2 h3 hX\n"),
            "p.txt:2:7: unknown haplotype column 'hX'");
  EXPECT_EQ(pairsError("s1 h1 h2\ns2 h3 h1\n"),
            "p.txt:2:7: column 'h1' is used twice");
  EXPECT_EQ(pairsError("s1 h1 h2\n s1 h3 h4\n"),
            "p.txt:2:2: sample name 's1' appears twice");
  EXPECT_EQ(pairsError("s1 h1\n"),
            "p.txt:1:1: expected NAME COLUMN_A COLUMN_B, found 2 names");
  EXPECT_EQ(pairsError("s1 REF h1\n"),
            "p.txt:1:4: unknown haplotype column 'REF'");
  EXPECT_EQ(pairsError("# nothing\n\n"), "p.txt: no sample pairs");
}

}  // namespace
}  // namespace hapmat
