#include "hapmat/convert.hpp"

#include <gtest/gtest.h>

#include "hapmat/error.hpp"
#include "test_util.hpp"

namespace hapmat {
namespace {

class ConvertTest : public ::testing::Test {
 protected:
  std::string run(const std::string& matrix, ConvertOptions options = {}) {
    test::writeFile(dir_.file("m.txt"), matrix);
    options.inputPath = dir_.file("m.txt");
    StringSink out;
    stats_ = convert(options, out);
    return out.text();
  }

  InputError error(const std::string& matrix, ConvertOptions options = {}) {
    try {
      run(matrix, options);
    } catch (const InputError& e) {
      return e;
    }
    ADD_FAILURE() << "no InputError";
    return InputError("", 0, 0, "");
  }

  test::TempDir dir_;
  Stats stats_;
};

const char kHeader[] = "CHROM POS REF 1a 1b 2a 2b MA1\n";
const char kOutHeader[] =
    "contig pos ref alt 1a1b_PI 1a1b_PG_al 2a2b_PI 2a2b_PG_al\n";

TEST_F(ConvertTest, TheSpecExample) {
  EXPECT_EQ(run(std::string(kHeader) + "2 17 A A G N - A\n"),
            std::string(kOutHeader) + "2 17 A G,- 2 A|G 2 A|A\n");
  EXPECT_EQ(stats_.rowsRead, 1u);
  EXPECT_EQ(stats_.rowsWritten, 1u);
}

TEST_F(ConvertTest, InvariantRowsAreDroppedAndCounted) {
  std::string out = run(std::string(kHeader) +
                        "2 1 A A A N A A\n"
                        "2 2 C N N N N N\n"
                        "2 3 G G G G G T\n");
  EXPECT_EQ(out, std::string(kOutHeader) + "2 3 G T 2 G|G 2 G|G\n");
  EXPECT_EQ(stats_.rowsRead, 3u);
  EXPECT_EQ(stats_.rowsWritten, 1u);
  EXPECT_EQ(stats_.bytesRead, 30u + 16u * 3u);
  EXPECT_EQ(stats_.bytesWritten, out.size());
}

TEST_F(ConvertTest, HeaderFileAndHashLines) {
  test::writeFile(dir_.file("h.txt"), "CHROM POS\tREF 1a 1b\n");
  ConvertOptions options;
  options.headerPath = dir_.file("h.txt");
  EXPECT_EQ(run("##source=x\n##y\n\n2\t5\tA\tC\tN\n", options),
            "contig pos ref alt 1a1b_PI 1a1b_PG_al\n2 5 A C 2 C|A\n");
}

TEST_F(ConvertTest, EveryBlockSizeGivesTheSameBytes) {
  std::string matrix = kHeader;
  for (int pos = 1; pos <= 300; ++pos) {
    matrix += "chr1 " + std::to_string(pos) + " A A " +
              (pos % 3 == 0 ? "G" : "A") + " N " + (pos % 5 == 0 ? "-" : "A") +
              " " + (pos % 7 == 0 ? "TT" : "A") + (pos % 2 ? "\r\n" : "\n");
  }
  ConvertOptions options;
  options.blockSize = std::size_t{8} << 20;
  std::string expected = run(matrix, options);
  EXPECT_EQ(stats_.rowsWritten, 162u);  // multiples of 3, 5 or 7
  for (std::size_t blockSize : {16, 31, 64, 4096}) {
    options.blockSize = blockSize;
    EXPECT_EQ(run(matrix, options), expected) << blockSize;
  }
}

TEST_F(ConvertTest, ErrorsCarryFileLineAndColumn) {
  InputError e = error(std::string("##meta\n") + kHeader +
                       "\n2 1 A A A A A A\n2 2 A A  A A A\n");
  EXPECT_EQ(e.line(), 5u);
  EXPECT_EQ(e.column(), 9u);
  EXPECT_EQ(e.reason(), "empty field");
  EXPECT_EQ(e.file(), dir_.file("m.txt"));
}

TEST_F(ConvertTest, MissingHeaderIsAnError) {
  InputError e = error("2 1 A A A A A A\n");
  EXPECT_EQ(e.line(), 1u);
  EXPECT_EQ(e.column(), 1u);
}

TEST_F(ConvertTest, SkipBadRowsCountsThem) {
  ConvertOptions options;
  options.skipBadRows = true;
  std::string out = run(std::string(kHeader) +
                            "2 1 A A G A A A\n"
                            "2 0 A A G A A A\n"
                            "2 3 A A G A A\n"
                            "2 4 A A G A A A\n",
                        options);
  EXPECT_EQ(out, std::string(kOutHeader) +
                     "2 1 A G 2 A|G 2 A|A\n2 4 A G 2 A|G 2 A|A\n");
  EXPECT_EQ(stats_.rowsRead, 4u);
  EXPECT_EQ(stats_.rowsSkipped, 2u);
  ASSERT_EQ(stats_.firstSkipped.size(), 2u);
  EXPECT_EQ(stats_.firstSkipped[1],
            dir_.file("m.txt") + ":4:14: expected 8 fields, found 7");
}

TEST_F(ConvertTest, ALineLongerThanTheLimitIsAnInputError) {
  ConvertOptions options;
  options.blockSize = 4096;
  options.maxLineBytes = 8192;
  std::string wide = "2 1 A";
  for (int i = 0; i < 5000; ++i) wide += " A";
  InputError e = error(std::string(kHeader) + wide + "\n", options);
  EXPECT_EQ(e.line(), 2u);
}

}  // namespace
}  // namespace hapmat
