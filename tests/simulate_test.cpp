#include "hapmat/simulate.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "hapmat/error.hpp"

namespace hapmat {
namespace {

using Names = std::vector<std::string>;
using Fields = std::vector<std::string_view>;

std::string simulateText(const SimulateOptions& options) {
  StringSink sink;
  simulate(options, sink);
  return sink.text();
}

SimulateOptions smallOptions(std::uint64_t length, std::size_t haplotypes) {
  SimulateOptions options;
  options.chroms = 2;
  options.length = length;
  options.haplotypes = numberedHaplotypeNames(haplotypes);
  return options;
}

/** Calls `visit` with the fields of each line; lines must end with `eol`. */
void forEachRow(std::string_view text, char delimiter, std::string_view eol,
                const std::function<void(const Fields&)>& visit) {
  Fields fields;
  while (!text.empty()) {
    std::size_t end = text.find(eol);
    ASSERT_NE(end, std::string_view::npos) << "last line has no line end";
    std::string_view line = text.substr(0, end);
    text.remove_prefix(end + eol.size());
    fields.clear();
    for (std::size_t start = 0;;) {
      std::size_t stop = line.find(delimiter, start);
      fields.push_back(line.substr(start, stop - start));
      if (stop == std::string_view::npos) break;
      start = stop + 1;
    }
    visit(fields);
  }
}

/** 0..3 for A C G T in either case. */
std::size_t baseIndex(char base) {
  return std::string_view("ACGTacgt").find(base) % 4;
}

bool isUpperBase(std::string_view call) {
  return call.size() == 1 &&
         std::string_view("ACGT").find(call[0]) != std::string_view::npos;
}

/** Counts over the calls (haplotype fields) and rows of a matrix. */
struct Census {
  std::size_t rows = 0;
  std::size_t calls = 0;
  std::size_t missingCalls = 0;
  std::size_t gapCalls = 0;
  std::size_t polymorphicRows = 0;  // some call is a base other than REF
  std::size_t twoAltRows = 0;
  std::size_t multibaseRows = 0;
  std::size_t lowercaseRows = 0;
  std::size_t refCounts[4] = {};
  std::vector<std::size_t> carrierCounts;  // rows by number of alt calls
};

Census takeCensus(const std::string& text, std::size_t haplotypes) {
  Census census;
  census.carrierCounts.resize(haplotypes + 1);
  forEachRow(text, ' ', "\n", [&](const Fields& fields) {
    ++census.rows;
    std::string_view ref = fields[2];
    ++census.refCounts[baseIndex(ref[0])];
    census.lowercaseRows += ref[0] >= 'a';
    std::set<std::string_view> alts;
    std::size_t carriers = 0;
    for (std::size_t i = 3; i < fields.size(); ++i) {
      std::string_view call = fields[i];
      ++census.calls;
      census.missingCalls += call == "N";
      census.gapCalls += call == "-";
      if (call == "N" || call == "-" || call == ref) continue;
      alts.insert(call);
      ++carriers;
    }
    census.polymorphicRows += !alts.empty();
    census.twoAltRows += alts.size() == 2;
    census.multibaseRows += std::any_of(
        alts.begin(), alts.end(), [](auto alt) { return alt.size() > 1; });
    ++census.carrierCounts[carriers];
  });
  return census;
}

double share(std::size_t part, std::size_t whole) {
  return static_cast<double>(part) / static_cast<double>(whole);
}

TEST(HaplotypeNames, OriginalColumnsInTheOriginalOrder) {
  Names expected = {"13a", "14b", "16a", "17a", "23a", "24a",   "25b", "26a",
                    "34a", "35a", "37a", "38a", "3b",  "MA622", "8b",  "10b",
                    "13b", "14a", "16b", "17b", "23b", "24b",   "25a", "26b",
                    "34b", "35b", "37b", "38b", "3a",  "8a",    "10a"};
  EXPECT_EQ(originalHaplotypeNames(), expected);
}

TEST(HaplotypeNames, NumberedPairsThenAnOutgroupWhenOdd) {
  EXPECT_EQ(numberedHaplotypeNames(5), (Names{"1a", "1b", "2a", "2b", "MA1"}));
  EXPECT_EQ(numberedHaplotypeNames(4), (Names{"1a", "1b", "2a", "2b"}));
  EXPECT_EQ(numberedHaplotypeNames(1), (Names{"MA1"}));
  EXPECT_EQ(numberedHaplotypeNames(0), Names{});
}

TEST(HeaderText, JoinsTheColumnsWithTheDelimiter) {
  EXPECT_EQ(headerText({"1a", "1b"}, Delimiter::kSpace), "CHROM POS REF 1a 1b");
  EXPECT_EQ(headerText({"x"}, Delimiter::kTab), "CHROM\tPOS\tREF\tx");
}

TEST(Simulate, SameSeedSameBytesOtherSeedOtherBytes) {
  SimulateOptions options = smallOptions(20000, 9);
  options.multibaseRate = 0.1;
  options.lowercaseRate = 0.2;
  std::string first = simulateText(options);
  EXPECT_EQ(simulateText(options), first);
  options.seed = 2;
  EXPECT_NE(simulateText(options), first);
}

TEST(Simulate, OneRowPerPositionWithEveryColumn) {
  SimulateOptions options = smallOptions(1234, 5);
  options.chroms = 3;
  std::string text = simulateText(options);
  std::size_t row = 0;
  forEachRow(text, ' ', "\n", [&](const Fields& fields) {
    ASSERT_EQ(fields.size(), 3u + 5u) << "row " << row;
    EXPECT_EQ(fields[0], std::to_string(row / 1234 + 1));
    EXPECT_EQ(fields[1], std::to_string(row % 1234 + 1));
    for (std::string_view field : fields) EXPECT_FALSE(field.empty());
    ++row;
  });
  EXPECT_EQ(row, 3u * 1234u);
}

TEST(Simulate, HeaderLineTabsAndCrlf) {
  SimulateOptions options = smallOptions(100, 3);
  options.headerLine = true;
  options.delimiter = Delimiter::kTab;
  options.crlf = true;
  std::string text = simulateText(options);
  std::string header = "CHROM\tPOS\tREF\t1a\t1b\tMA1\r\n";
  ASSERT_EQ(text.substr(0, header.size()), header);
  std::size_t rows = 0;
  forEachRow(std::string_view(text).substr(header.size()), '\t', "\r\n",
             [&](const Fields& fields) {
               EXPECT_EQ(fields.size(), 6u);
               ++rows;
             });
  EXPECT_EQ(rows, 200u);
  EXPECT_EQ(text.find(' '), std::string::npos);
}

TEST(Simulate, DefaultColumnsAreTheOriginals) {
  SimulateOptions options;
  options.chroms = 1;
  options.length = 10;
  options.headerLine = true;
  std::string text = simulateText(options);
  EXPECT_EQ(text.substr(0, text.find('\n')),
            headerText(originalHaplotypeNames(), Delimiter::kSpace));
}

TEST(Simulate, LongNamesMakeAHeaderLongerThanARow) {
  Names names;
  for (char c = 'a'; c <= 'e'; ++c) names.push_back(std::string(5000, c));
  SimulateOptions options;
  options.chroms = 1;
  options.length = 3;
  options.haplotypes = names;
  options.headerLine = true;
  std::string text = simulateText(options);
  std::string header = headerText(names, Delimiter::kSpace) + "\n";
  EXPECT_EQ(text.substr(0, header.size()), header);
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 4);
}

TEST(Simulate, RatesAreNearTheOptions) {
  SimulateOptions options;  // the original's 31 columns
  options.length = 200000;
  Census census = takeCensus(simulateText(options), 31);
  ASSERT_EQ(census.rows, 400000u);
  EXPECT_NEAR(share(census.polymorphicRows, census.rows), 0.02, 0.002);
  EXPECT_NEAR(share(census.missingCalls, census.calls), 0.03, 0.0045);
  EXPECT_NEAR(share(census.gapCalls, census.calls), 0.01, 0.002);
  EXPECT_NEAR(share(census.twoAltRows, census.polymorphicRows), 0.05, 0.015);
  EXPECT_NEAR(share(census.refCounts[0], census.rows), 0.295, 0.01);
  EXPECT_NEAR(share(census.refCounts[1], census.rows), 0.205, 0.01);
  EXPECT_NEAR(share(census.refCounts[2], census.rows), 0.205, 0.01);
  EXPECT_NEAR(share(census.refCounts[3], census.rows), 0.295, 0.01);
}

TEST(Simulate, HighRatesAreNearTheOptionsToo) {
  SimulateOptions options = smallOptions(100000, 10);
  options.snpRate = 0.3;
  options.missingRate = 0.2;
  options.gapRate = 0.1;
  Census census = takeCensus(simulateText(options), 10);
  EXPECT_NEAR(share(census.missingCalls, census.calls), 0.2, 0.02);
  EXPECT_NEAR(share(census.gapCalls, census.calls), 0.1, 0.015);
  // A site whose every haplotype is N or - has no one to carry its alt.
  EXPECT_NEAR(share(census.polymorphicRows, census.rows), 0.3, 0.01);
}

TEST(Simulate, AltCarrierCountsFollowOneOverK) {
  SimulateOptions options = smallOptions(100000, 31);
  options.snpRate = 0.2;
  options.missingRate = 0.0;
  options.gapRate = 0.0;
  Census census = takeCensus(simulateText(options), 31);
  const std::vector<std::size_t>& rows = census.carrierCounts;
  // Expected ratios 2 and 3; second alts add a little to every count.
  EXPECT_NEAR(share(rows[1], rows[2]), 2.0, 0.25);
  EXPECT_NEAR(share(rows[1], rows[3]), 3.0, 0.4);
}

TEST(Simulate, EveryRowVariesWhenTheSnpRateIsOne) {
  SimulateOptions options = smallOptions(20000, 31);
  options.snpRate = 1.0;
  std::size_t rows = 0;
  forEachRow(simulateText(options), ' ', "\n", [&](const Fields& fields) {
    bool varies = false;
    for (std::size_t i = 3; i < fields.size(); ++i) {
      varies |= fields[i] != "N" && fields[i] != fields[2];
    }
    EXPECT_TRUE(varies) << "row " << rows;
    ++rows;
  });
  EXPECT_EQ(rows, 40000u);
}

TEST(Simulate, ZeroRatesGiveOnlyUpperCaseRefCalls) {
  SimulateOptions options = smallOptions(5000, 4);
  options.snpRate = 0.0;
  options.missingRate = 0.0;
  options.gapRate = 0.0;
  forEachRow(simulateText(options), ' ', "\n", [](const Fields& fields) {
    ASSERT_TRUE(isUpperBase(fields[2]));
    for (std::size_t i = 3; i < fields.size(); ++i) {
      ASSERT_EQ(fields[i], fields[2]);
    }
  });
}

TEST(Simulate, RatesOfOneFillEveryCall) {
  SimulateOptions options = smallOptions(3000, 5);
  options.missingRate = 1.0;
  options.gapRate = 0.0;
  std::string allMissing = simulateText(options);
  options.missingRate = 0.0;
  options.gapRate = 1.0;
  std::string allGaps = simulateText(options);
  for (auto [text, call] : {std::pair{&allMissing, "N"}, {&allGaps, "-"}}) {
    forEachRow(*text, ' ', "\n", [&](const Fields& fields) {
      for (std::size_t i = 3; i < fields.size(); ++i) {
        ASSERT_EQ(fields[i], call);
      }
    });
  }
}

TEST(Simulate, LowerCaseOnlyWhenAskedAndOnlyInMaskedRows) {
  // Masked stretches average hundreds of rows: a million rows per
  // chromosome keep their share within a few hundredths.
  SimulateOptions options = smallOptions(1000000, 3);
  options.snpRate = 0.1;
  options.multibaseRate = 0.2;
  std::string plain = simulateText(options);
  EXPECT_EQ(plain.find_first_of("acgt"), std::string::npos);

  options.lowercaseRate = 0.3;
  std::size_t lowerRows = 0;
  forEachRow(simulateText(options), ' ', "\n", [&](const Fields& fields) {
    bool lower = fields[2][0] >= 'a';
    lowerRows += lower;
    for (std::size_t i = 2; i < fields.size(); ++i) {
      if (fields[i] == "N" || fields[i] == "-") continue;
      for (char c : fields[i]) ASSERT_EQ(c >= 'a', lower) << fields[i];
    }
  });
  EXPECT_NEAR(share(lowerRows, 2000000), 0.3, 0.04);
}

TEST(Simulate, MultibaseAllelesOnlyWhenAsked) {
  SimulateOptions options = smallOptions(100000, 7);
  options.snpRate = 0.1;
  EXPECT_EQ(takeCensus(simulateText(options), 7).multibaseRows, 0u);

  options.multibaseRate = 0.5;
  std::string text = simulateText(options);
  forEachRow(text, ' ', "\n", [](const Fields& fields) {
    for (std::size_t i = 3; i < fields.size(); ++i) {
      if (fields[i].size() == 1) continue;
      ASSERT_LE(fields[i].size(), 4u);
      ASSERT_EQ(fields[i][0], fields[2][0]) << "an insertion starts at REF";
    }
  });
  Census census = takeCensus(text, 7);
  EXPECT_NEAR(share(census.multibaseRows, census.polymorphicRows), 0.5, 0.03);
}

TEST(Simulate, EachRateKeepsItsOwnRandomStream) {
  SimulateOptions options = smallOptions(20000, 6);
  std::string before = simulateText(options);
  options.gapRate = 0.2;
  std::string after = simulateText(options);
  std::vector<std::string> refsBefore;
  forEachRow(before, ' ', "\n",
             [&](const Fields& fields) { refsBefore.emplace_back(fields[2]); });
  std::size_t row = 0;
  forEachRow(after, ' ', "\n", [&](const Fields& fields) {
    ASSERT_EQ(fields[2], refsBefore[row++]);
  });
}

TEST(Simulate, OneHaplotypeWorks) {
  SimulateOptions options = smallOptions(1000, 1);
  options.snpRate = 1.0;
  options.missingRate = 0.0;
  options.gapRate = 0.0;
  forEachRow(simulateText(options), ' ', "\n", [](const Fields& fields) {
    ASSERT_EQ(fields.size(), 4u);
    ASSERT_NE(fields[3], fields[2]);
  });
}

TEST(Simulate, BadOptionsThrowUsageError) {
  auto fails = [](auto change) {
    SimulateOptions options = smallOptions(10, 3);
    change(options);
    StringSink sink;
    EXPECT_THROW(simulate(options, sink), UsageError);
    EXPECT_EQ(sink.text(), "");
  };
  double nan = std::numeric_limits<double>::quiet_NaN();
  fails([](SimulateOptions& o) { o.chroms = 0; });
  fails([](SimulateOptions& o) { o.length = 0; });
  fails([](SimulateOptions& o) { o.length = std::uint64_t{1} << 63; });
  fails([](SimulateOptions& o) { o.snpRate = 1.5; });
  fails([](SimulateOptions& o) { o.missingRate = -0.1; });
  fails([nan](SimulateOptions& o) { o.gapRate = nan; });
  fails([](SimulateOptions& o) { o.multibaseRate = 2.0; });
  fails([](SimulateOptions& o) { o.lowercaseRate = -1.0; });
  fails([](SimulateOptions& o) {
    o.missingRate = 0.6;
    o.gapRate = 0.6;
  });
  fails([](SimulateOptions& o) { o.haplotypes = {"1a", "1a"}; });
  fails([](SimulateOptions& o) { o.haplotypes = {"1a", ""}; });
  fails([](SimulateOptions& o) { o.haplotypes = {"1 a"}; });
  fails([](SimulateOptions& o) { o.haplotypes = {"REF"}; });
}

}  // namespace
}  // namespace hapmat
