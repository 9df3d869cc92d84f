// Regions (-r/-R), samples (-s/-S), --all-sites and --haploid: their parsing
// and errors, and hand-derived outputs of small matrices.

#include <gtest/gtest.h>

#include <tuple>

#include "compression_util.hpp"
#include "hapmat/convert.hpp"
#include "hapmat/error.hpp"
#include "hapmat/simulate.hpp"
#include "matrix/regions.hpp"
#include "matrix/sample_selection.hpp"
#include "test_util.hpp"

namespace hapmat {
namespace {

std::string usageError(const std::function<void()>& run) {
  try {
    run();
  } catch (const UsageError& e) {
    return e.what();
  }
  return "no UsageError";
}

TEST(Regions, ParseAsBcftools) {
  EXPECT_EQ(parseRegions("2"), (std::vector<Region>{{"2", 1, kRegionEnd}}));
  EXPECT_EQ(parseRegions("chr1:5,chr1:5-,chr1:5-10,HLA:A:7-9"),
            (std::vector<Region>{{"chr1", 5, 5},
                                 {"chr1", 5, kRegionEnd},
                                 {"chr1", 5, 10},
                                 {"HLA:A", 7, 9}}));
}

TEST(Regions, BadRegionsAreUsageErrors) {
  const std::string hint =
      " (give CHROM, CHROM:POS, CHROM:FROM- or CHROM:FROM-TO)";
  EXPECT_EQ(usageError([] { parseRegions("1,"); }),
            "--regions: '' is empty" + hint);
  EXPECT_EQ(usageError([] { parseRegions("1:0-5"); }),
            "--regions: '1:0-5' does not start at a position from 1" + hint);
  EXPECT_EQ(usageError([] { parseRegions("1:x"); }),
            "--regions: '1:x' does not start at a position from 1" + hint);
  EXPECT_EQ(usageError([] { parseRegions("1:10-5"); }),
            "--regions: '1:10-5' ends before it starts" + hint);
  EXPECT_EQ(usageError([] { parseRegions("1:5-6x"); }),
            "--regions: '1:5-6x' does not end at a position" + hint);
  EXPECT_EQ(usageError([] { parseRegions(":5"); }),
            "--regions: ':5' has no CHROM" + hint);
  EXPECT_EQ(usageError([] { parseRegions("1 :5"); }),
            "--regions: '1 :5' holds a blank or a control byte" + hint);
}

TEST(Regions, FilesOneBasedAndBed) {
  EXPECT_EQ(
      parseRegionsFile("# comment\n1\t5\n\n2\t7\t9\textra\r\n", "r.txt", false),
      (std::vector<Region>{{"1", 5, 5}, {"2", 7, 9}}));
  EXPECT_EQ(parseRegionsFile("track name=x\n1\t0\t10\n2 4 5\n", "r.bed", true),
            (std::vector<Region>{{"1", 1, 10}, {"2", 5, 5}}));
  EXPECT_EQ(usageError([] { parseRegionsFile("1\t5\n2\n", "r.txt", false); }),
            "r.txt:2:1: expected CHROM POS or CHROM FROM TO");
  EXPECT_EQ(usageError([] { parseRegionsFile("1\t5\t1e3\n", "r.txt", false); }),
            "r.txt:1:5: '1e3' is not a position");
  EXPECT_EQ(usageError([] { parseRegionsFile("1\t0\t3\n", "r.txt", false); }),
            "r.txt:1:3: positions are 1-based, FROM <= TO (a .bed name is "
            "read as 0-based BED)");
  EXPECT_EQ(usageError([] { parseRegionsFile("1\t5\n", "r.bed", true); }),
            "r.bed:1:1: expected CHROM START END (BED)");
  EXPECT_EQ(usageError([] { parseRegionsFile("1 5 5\n", "r.bed", true); }),
            "r.bed:1:5: END must be larger than START (BED is 0-based, "
            "half-open)");
}

TEST(Regions, ReadByNameBedOrNot) {
  test::TempDir dir;
  test::writeFile(dir.file("r.BED"), "1\t9\t10\n");
  test::writeFile(dir.file("r.tsv"), "1\t9\t10\n");
  EXPECT_EQ(readRegionsFile(dir.file("r.BED")),
            (std::vector<Region>{{"1", 10, 10}}));
  EXPECT_EQ(readRegionsFile(dir.file("r.tsv")),
            (std::vector<Region>{{"1", 9, 10}}));
}

TEST(Regions, SetMergesAndFinds) {
  RegionSet set(parseRegions("1:10-20,2,1:21-30,1:5-12,1:40-"));
  EXPECT_EQ(set.of("1").size(), 2u);  // [5, 30] and [40, end]
  for (std::uint64_t pos : {5u, 12u, 30u, 40u, 4000000000u}) {
    EXPECT_TRUE(RegionSet::holds(set.of("1"), pos)) << pos;
  }
  for (std::uint64_t pos : {1u, 4u, 31u, 39u}) {
    EXPECT_FALSE(RegionSet::holds(set.of("1"), pos)) << pos;
  }
  EXPECT_TRUE(RegionSet::holds(set.of("2"), 1));
  EXPECT_TRUE(set.of("3").empty());
  RegionCursor cursor(set);
  EXPECT_TRUE(cursor.contains("1", 7));
  EXPECT_FALSE(cursor.contains("3", 7));
  EXPECT_TRUE(cursor.contains("2", 7));
}

// A record of positions [from, to] is kept when any of them is inside, as
// `bcftools view -r` keeps a deletion that starts before a region.
TEST(Regions, SpansOverlapFromEitherSide) {
  RegionSet set(parseRegions("1:10-20,1:40-50"));
  const RegionSet::Span of1 = set.of("1");
  EXPECT_TRUE(RegionSet::overlaps(of1, 5, 10));
  EXPECT_TRUE(RegionSet::overlaps(of1, 20, 25));
  EXPECT_TRUE(RegionSet::overlaps(of1, 12, 13));
  EXPECT_TRUE(RegionSet::overlaps(of1, 1, 100));
  EXPECT_TRUE(RegionSet::overlaps(of1, 21, 40));
  EXPECT_FALSE(RegionSet::overlaps(of1, 1, 9));
  EXPECT_FALSE(RegionSet::overlaps(of1, 21, 39));
  EXPECT_FALSE(RegionSet::overlaps(of1, 51, 51));
  EXPECT_FALSE(RegionSet::overlaps(set.of("2"), 1, 100));
}

// The runs of positions all inside or all outside, around a position.
TEST(Regions, RunsAroundAPosition) {
  RegionSet set(parseRegions("1:10-20,1:40-50,2:5-"));
  RegionCursor cursor(set);
  auto run = [&](std::string_view chrom, std::uint64_t pos) {
    const RegionRun got = cursor.runAt(chrom, pos);
    return std::tuple(got.from, got.to, got.inside);
  };
  EXPECT_EQ(run("1", 3), std::tuple(0u, 9u, false));
  EXPECT_EQ(run("1", 10), std::tuple(10u, 20u, true));
  EXPECT_EQ(run("1", 21), std::tuple(21u, 39u, false));
  EXPECT_EQ(run("1", 50), std::tuple(40u, 50u, true));
  EXPECT_EQ(run("1", 51), std::tuple(51u, kRegionEnd, false));
  EXPECT_EQ(run("2", 4), std::tuple(0u, 4u, false));
  EXPECT_EQ(run("2", 5), std::tuple(5u, kRegionEnd, true));
  EXPECT_EQ(run("3", 5), std::tuple(0u, kRegionEnd, false));
}

std::vector<SamplePair> threeSamples() {
  return {{"10", "10a10b", 3, 4}, {"3", "3a3b", 5, 6}, {"MA", "MAaMAb", 7, 8}};
}

std::vector<std::string> names(const std::vector<SamplePair>& samples) {
  std::vector<std::string> result;
  for (const SamplePair& sample : samples) result.push_back(sample.name);
  return result;
}

TEST(Samples, KeptInTheOrderListedOrExcluded) {
  EXPECT_EQ(names(selectSamples(threeSamples(), parseSampleList("MA,10"))),
            (std::vector<std::string>{"MA", "10"}));
  SampleSelection excluded = parseSampleList("^3");
  EXPECT_TRUE(excluded.exclude);
  EXPECT_EQ(names(selectSamples(threeSamples(), excluded)),
            (std::vector<std::string>{"10", "MA"}));
}

TEST(Samples, UnknownRepeatedEmptyOrNoneLeft) {
  EXPECT_EQ(
      usageError([] { selectSamples(threeSamples(), parseSampleList("1O")); }),
      "--samples: no sample is named '1O' (close matches: 10)");
  EXPECT_EQ(usageError([] {
              selectSamples(threeSamples(), parseSampleList("^sample_7"));
            }),
            "--samples: no sample is named 'sample_7' (no sample has a close "
            "name)");
  EXPECT_EQ(usageError([] {
              selectSamples(threeSamples(), parseSampleList("3,10,3"));
            }),
            "--samples: sample '3' is named twice");
  EXPECT_EQ(usageError([] { parseSampleList("3,,10"); }),
            "--samples: an empty sample name in the list");
  EXPECT_EQ(usageError([] {
              selectSamples(threeSamples(), parseSampleList("^3,10,MA"));
            }),
            "--samples: no sample is left to write");
}

TEST(Samples, FileOfNamesAndExcludedFile) {
  test::TempDir dir;
  test::writeFile(dir.file("s.txt"), "# kept\nMA extra\n\n  3\r\n");
  SampleSelection kept = readSampleFile(dir.file("s.txt"));
  EXPECT_FALSE(kept.exclude);
  EXPECT_EQ(kept.names, (std::vector<std::string>{"MA", "3"}));
  SampleSelection excluded = readSampleFile("^" + dir.file("s.txt"));
  EXPECT_TRUE(excluded.exclude);
  EXPECT_EQ(names(selectSamples(threeSamples(), excluded)),
            (std::vector<std::string>{"10"}));
}

TEST(Samples, HaploidColumnsAndColumnsInNoSample) {
  std::vector<std::string> columns = {"CHROM", "POS", "REF", "1a", "1b", "MA1"};
  std::vector<SamplePair> haploid = haploidSamples(columns);
  EXPECT_EQ(haploid,
            (std::vector<SamplePair>{
                {"1a", "1a", 3, 3}, {"1b", "1b", 4, 4}, {"MA1", "MA1", 5, 5}}));
  EXPECT_EQ(columnsInNoSample(columns, {{"1", "1a1b", 3, 4}}),
            (std::vector<std::string>{"MA1"}));
  EXPECT_TRUE(columnsInNoSample(columns, haploid).empty());
}

// Conversions of a small matrix whose outputs are derived by hand.
class SelectionConvertTest : public ::testing::Test {
 protected:
  std::string run(ConvertOptions options, const std::string& matrix = kMatrix) {
    test::writeFile(dir_.file("m.txt"), matrix);
    options.inputPath = dir_.file("m.txt");
    StringSink out;
    stats_ = convert(options, out);
    return out.text();
  }

  // A simulated matrix with its header line.
  static std::string simulated(unsigned chroms, std::uint64_t length) {
    SimulateOptions simulate;
    simulate.chroms = chroms;
    simulate.length = length;
    simulate.headerLine = true;
    StringSink matrix;
    hapmat::simulate(simulate, matrix);
    return matrix.text();
  }

  // VCF rows: the output without its ## lines.
  std::string vcf(ConvertOptions options) {
    options.format = OutputFormat::kVcf;
    std::string text = run(options);
    return text.substr(text.find("#CHROM"));
  }

  static constexpr const char* kMatrix =
      "CHROM POS REF 1a 1b 2a 2b MA1\n"
      "2 16 C C C N C C\n"
      "2 17 A A G N - A\n"
      "2 18 G G G G G T\n"
      "3 5 T T N T T T\n"
      "3 6 A A C A A A\n";
  static constexpr const char* kVcfColumns =
      "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT";

  test::TempDir dir_;
  Stats stats_;
};

TEST_F(SelectionConvertTest, AllSitesInTheTableAndThePanel) {
  ConvertOptions options;
  options.allSites = true;
  EXPECT_EQ(run(options),
            "contig pos ref alt 1a1b_PI 1a1b_PG_al 2a2b_PI 2a2b_PG_al\n"
            "2 16 C . 2 C|C 2 C|C\n"
            "2 17 A G,- 2 A|G 2 A|A\n"
            "2 18 G T 2 G|G 2 G|G\n"
            "3 5 T . 3 T|T 3 T|T\n"
            "3 6 A C 3 A|C 3 A|A\n");
  EXPECT_EQ(stats_.rowsWritten, 5u);
  EXPECT_EQ(stats_.columnsInNoSample, (std::vector<std::string>{"MA1"}));
  options.format = OutputFormat::kPhaseExtender;
  options.regions = "3";
  EXPECT_EQ(run(options),
            "CHROM\tPOS\tREF\tALT\t1:PI\t1:PG_al\t2:PI\t2:PG_al\n"
            "3\t5\tT\t.\t3\tT|T\t3\tT|T\n"
            "3\t6\tA\tC\t3\tA|C\t3\tA|A\n");
}

// By default 2b's gap at 2:17 is a deletion anchored at 16, whose record
// spans the row of 17 (and with --all-sites takes the place of 16's);
// with --gaps star each row is a record of its own, the gap a '*'.
TEST_F(SelectionConvertTest, AllSitesInVcf) {
  struct Case {
    VcfGaps gaps;
    MissingGenotype missing;
    const char* rows;
  };
  for (const Case& c : {
           Case{VcfGaps::kDeletions, MissingGenotype::kDot,
                "2\t16\t.\tCA\tCG,C\t.\t.\tAC=1,1;AN=3\tGT\t0|1\t.|2\n"
                "3\t5\t.\tT\t.\t.\t.\tAN=3\tGT\t0|.\t0|0\n"},
           Case{VcfGaps::kDeletions, MissingGenotype::kRef,
                "2\t16\t.\tCA\tCG,C\t.\t.\tAC=1,1;AN=4\tGT\t0|1\t0|2\n"
                "3\t5\t.\tT\t.\t.\t.\tAN=4\tGT\t0|0\t0|0\n"},
           Case{VcfGaps::kStar, MissingGenotype::kDot,
                "2\t16\t.\tC\t.\t.\t.\tAN=3\tGT\t0|0\t.|0\n"
                "3\t5\t.\tT\t.\t.\t.\tAN=3\tGT\t0|.\t0|0\n"},
           Case{VcfGaps::kStar, MissingGenotype::kRef,
                "2\t16\t.\tC\t.\t.\t.\tAN=4\tGT\t0|0\t0|0\n"
                "3\t5\t.\tT\t.\t.\t.\tAN=4\tGT\t0|0\t0|0\n"},
       }) {
    ConvertOptions options;
    options.allSites = true;
    options.regions = "2:16,3:5";
    options.gaps = c.gaps;
    options.missing = c.missing;
    EXPECT_EQ(vcf(options), std::string(kVcfColumns) + "\t1\t2\n" + c.rows)
        << "star: " << (c.gaps == VcfGaps::kStar)
        << ", missing ref: " << (c.missing == MissingGenotype::kRef);
  }
}

// The deletion record of 2:16-17 overlaps the region 2:17-18, so it is in.
TEST_F(SelectionConvertTest, HaploidSamplesAreColumns) {
  ConvertOptions options;
  options.haploid = true;
  options.regions = "2:17-18";
  EXPECT_EQ(vcf(options),
            std::string(kVcfColumns) +
                "\t1a\t1b\t2a\t2b\tMA1\n"
                "2\t16\t.\tCA\tCG,C\t.\t.\tAC=1,1;AN=4\tGT\t0\t1\t.\t2\t0\n"
                "2\t18\t.\tG\tT\t.\t.\tAC=1;AN=5\tGT\t0\t0\t0\t0\t1\n");
  EXPECT_TRUE(stats_.columnsInNoSample.empty());
  options.samples = "MA1,1b";
  EXPECT_EQ(vcf(options),
            std::string(kVcfColumns) +
                "\tMA1\t1b\n"
                "2\t16\t.\tCA\tCG,C\t.\t.\tAC=1,0;AN=2\tGT\t0\t1\n"
                "2\t18\t.\tG\tT\t.\t.\tAC=1;AN=2\tGT\t1\t0\n");
  options.gaps = VcfGaps::kStar;
  options.samples.clear();
  EXPECT_EQ(vcf(options),
            std::string(kVcfColumns) +
                "\t1a\t1b\t2a\t2b\tMA1\n"
                "2\t17\t.\tA\tG,*\t.\t.\tAC=1,1;AN=4\tGT\t0\t1\t.\t2\t0\n"
                "2\t18\t.\tG\tT\t.\t.\tAC=1;AN=5\tGT\t0\t0\t0\t0\t1\n");
  options.samples = "MA1,1b";
  EXPECT_EQ(vcf(options), std::string(kVcfColumns) +
                              "\tMA1\t1b\n"
                              "2\t17\t.\tA\tG,*\t.\t.\tAC=1,0;AN=2\tGT\t0\t1\n"
                              "2\t18\t.\tG\tT\t.\t.\tAC=1;AN=2\tGT\t1\t0\n");
}

// As bcftools view -s: the row stays where only an unwritten sample holds
// its ALT, AC and AN count the written samples.
TEST_F(SelectionConvertTest, SamplesKeepEveryRowAndCountTheirAlleles) {
  ConvertOptions options;
  options.samples = "^1";
  EXPECT_EQ(vcf(options), std::string(kVcfColumns) +
                              "\t2\n"
                              "2\t16\t.\tCA\tCG,C\t.\t.\tAC=0,1;AN=1\tGT\t.|2\n"
                              "2\t18\t.\tG\tT\t.\t.\tAC=0;AN=2\tGT\t0|0\n"
                              "3\t6\t.\tA\tC\t.\t.\tAC=0;AN=2\tGT\t0|0\n");
  EXPECT_EQ(stats_.columnsInNoSample,
            (std::vector<std::string>{"1a", "1b", "MA1"}));
  options.gaps = VcfGaps::kStar;
  EXPECT_EQ(vcf(options), std::string(kVcfColumns) +
                              "\t2\n"
                              "2\t17\t.\tA\tG,*\t.\t.\tAC=0,1;AN=1\tGT\t.|2\n"
                              "2\t18\t.\tG\tT\t.\t.\tAC=0;AN=2\tGT\t0|0\n"
                              "3\t6\t.\tA\tC\t.\t.\tAC=0;AN=2\tGT\t0|0\n");
}

TEST_F(SelectionConvertTest, RegionsCountRowsOutside) {
  ConvertOptions options;
  options.regions = "3:6,2:17-17";
  EXPECT_EQ(run(options),
            "contig pos ref alt 1a1b_PI 1a1b_PG_al 2a2b_PI 2a2b_PG_al\n"
            "2 17 A G,- 2 A|G 2 A|A\n"
            "3 6 A C 3 A|C 3 A|A\n");
  EXPECT_EQ(stats_.rowsRead, 5u);
  EXPECT_EQ(stats_.rowsOutsideRegions, 3u);
  EXPECT_TRUE(stats_.warnings.empty());
  options.regions = "chr2";  // the matrix's CHROMs are 2 and 3
  EXPECT_EQ(run(options),
            "contig pos ref alt 1a1b_PI 1a1b_PG_al 2a2b_PI 2a2b_PG_al\n");
  EXPECT_EQ(stats_.warnings,
            (std::vector<std::string>{
                dir_.file("m.txt") +
                ": no row is in the regions given (-r/-R); their CHROMs are "
                "compared as written"}));
}

// Bisection needs each CHROM's rows together and sorted: where the rows it
// reads say otherwise, it names the line, and converts nothing.
// Rows are decided against the run of positions the last row was in, with
// 64-bit keys for a POS of up to 8 digits and 128-bit keys above: regions
// whose ends lie on either side of 10^8, and rows on both sides.
TEST_F(SelectionConvertTest, RegionsAcrossEightAndNineDigitPositions) {
  const std::string matrix =
      "CHROM POS REF 1a 1b 2a 2b MA1\n"
      "2 99999998 C C T C C C\n"
      "2 99999999 A A G A A A\n"
      "2 100000000 G G T G G G\n"
      "2 100000001 T T C T T T\n"
      "2 100000002 A A C A A A\n";
  const std::string rows[] = {
      "2 99999998 C T 2 C|T 2 C|C\n", "2 99999999 A G 2 A|G 2 A|A\n",
      "2 100000000 G T 2 G|T 2 G|G\n", "2 100000001 T C 2 T|C 2 T|T\n",
      "2 100000002 A C 2 A|C 2 A|A\n"};
  auto expected = [&](std::initializer_list<int> kept) {
    std::string text =
        "contig pos ref alt 1a1b_PI 1a1b_PG_al 2a2b_PI 2a2b_PG_al\n";
    for (int row : kept) text += rows[row];
    return text;
  };
  ConvertOptions options;
  options.regions = "2:99999999-100000001";
  EXPECT_EQ(run(options, matrix), expected({1, 2, 3}));
  options.regions = "2:99999998-99999999,2:100000002";
  EXPECT_EQ(run(options, matrix), expected({0, 1, 4}));
  options.regions = "2:100000001";
  EXPECT_EQ(run(options, matrix), expected({3}));
  options.regions = "2:99999999";
  EXPECT_EQ(run(options, matrix), expected({1}));
  options.regions = "2:100000000-";
  EXPECT_EQ(run(options, matrix), expected({2, 3, 4}));
  options.regions = "2:1-99999998,2:100000000-100000000";
  EXPECT_EQ(run(options, matrix), expected({0, 2}));
  EXPECT_EQ(stats_.rowsOutsideRegions, 3u);
}

TEST_F(SelectionConvertTest, AnUnsortedMatrixIsRefusedAtItsLine) {
  const std::string text = simulated(2, 20000);
  // Chromosome 1's second half before its first: POS goes back.
  const std::size_t half = text.find("\n1 10001 ") + 1;
  const std::size_t second = text.find("\n2 1 ") + 1;
  const std::size_t rows = text.find('\n') + 1;
  const std::string swapped =
      text.substr(0, rows) + text.substr(half, second - half) +
      text.substr(rows, half - rows) + text.substr(second);
  ConvertOptions options;
  options.regions = "1:15000-15010";
  try {
    run(options, swapped);
    ADD_FAILURE() << "no InputError";
  } catch (const InputError& e) {
    EXPECT_EQ(e.file(), dir_.file("m.txt"));
    EXPECT_NE(e.reason().find(" comes after 1:"), std::string::npos)
        << e.what();
    EXPECT_NE(e.reason().find("sort the matrix, or drop -r/-R"),
              std::string::npos);
    EXPECT_EQ(e.column(), 3u);  // POS
    std::size_t lineStart = 0;
    for (std::uint64_t line = 1; line < e.line(); ++line) {
      lineStart = swapped.find('\n', lineStart) + 1;
    }
    EXPECT_TRUE(swapped.compare(lineStart, 2, "1 ") == 0) << e.what();
  }
  // The same rows sorted: the region's rows.
  options.regions = "1:15000-15010";
  run(options, text);
  EXPECT_EQ(stats_.rowsRead - stats_.rowsOutsideRegions, 11u);
  EXPECT_GT(stats_.bytesSkippedByRegions, text.size() / 2);
}

// In BGZF the bisection's offsets count compressed bytes: it narrows them to
// 4 KiB, so the rows read around a region's are those of a few blocks,
// not of the 64 KiB of compressed bytes that plain text's rows take.
TEST_F(SelectionConvertTest, ABgzfRegionReadsFewRowsAroundIt) {
  const std::string text = simulated(1, 100000);
  constexpr std::size_t kBlockText = 2000;  // about 30 rows a block
  const std::string bgzf = test::bgzf(text, kBlockText);
  ConvertOptions options;
  options.regions = "1:50001-50010";
  run(options, bgzf);
  EXPECT_EQ(stats_.rowsRead - stats_.rowsOutsideRegions, 10u);
  // The bisection's ends: 4 KiB of blocks, and a block either side.
  const std::size_t blocks = bgzf.size() / (text.size() / kBlockText);
  const std::uint64_t rowsABlock = kBlockText / (text.size() / 100000);
  EXPECT_LE(stats_.rowsOutsideRegions, (4096 / blocks + 4) * rowsABlock)
      << blocks << " compressed bytes a block";
}

TEST_F(SelectionConvertTest, OptionsThatCannotGoTogether) {
  ConvertOptions options;
  options.haploid = true;
  EXPECT_EQ(usageError([&] { run(options); }),
            "--haploid applies to --format vcf only: a haplotype table and a "
            "phase-Extender panel are made of pairs of haplotypes");
  options.format = OutputFormat::kVcf;
  test::writeFile(dir_.file("p.txt"), "x 1a 1b\n");
  options.pairsPath = dir_.file("p.txt");
  EXPECT_EQ(usageError([&] { run(options); }),
            "--haploid makes each haplotype column a sample of its own: it "
            "takes no --pairs");
  ConvertOptions both;
  both.regions = "1";
  both.regionsFile = dir_.file("p.txt");
  EXPECT_EQ(usageError([&] { run(both); }),
            "give --regions or --regions-file, not both");
  ConvertOptions samples;
  samples.samples = "1";
  samples.samplesFile = dir_.file("p.txt");
  EXPECT_EQ(usageError([&] { run(samples); }),
            "give --samples or --samples-file, not both");
}

}  // namespace
}  // namespace hapmat
