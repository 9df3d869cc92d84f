// The pieces behind a VCF's header and index: the CHROMs guessed from a
// file, a header replaced in place (plain, BGZF, spooled), the order an
// index needs, and the FASTA index.

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>
#include <zlib.h>

#include "compression_util.hpp"
#include "hapmat/convert.hpp"
#include "hapmat/error.hpp"
#include "hapmat/output.hpp"
#include "io/bgzf_compressor.hpp"
#include "io/spool_sink.hpp"
#include "matrix/contig_prediction.hpp"
#include "matrix/contigs.hpp"
#include "rows/row_tally.hpp"
#include "test_util.hpp"

namespace hapmat {
namespace {

std::string rows(const std::string& chrom, int from, int count) {
  std::string text;
  for (int pos = from; pos < from + count; ++pos) {
    text += chrom + " " + std::to_string(pos) + " A A C\n";
  }
  return text;
}

class PredictionTest : public ::testing::Test {
 protected:
  std::vector<std::string> predict(const std::string& bytes) {
    std::string path = dir_.file("m");
    test::writeFile(path, bytes);
    return predictChroms(path, Delimiter::kSpace);
  }

  test::TempDir dir_;
};

const std::string kHeader = "##meta\nCHROM POS REF 1a 1b\n";

TEST_F(PredictionTest, FindsEveryRunOfAGroupedMatrix) {
  // Runs of very different lengths, one of a single row between long ones.
  std::string text = kHeader + rows("chr1", 1, 30000) + rows("chrX", 1, 1) +
                     rows("chr2", 1, 7) + rows("scaffold_9", 5, 20000) +
                     rows("chrM", 1, 3);
  std::vector<std::string> expected = {"chr1", "chrX", "chr2", "scaffold_9",
                                       "chrM"};
  EXPECT_EQ(predict(text), expected);
  EXPECT_EQ(predict(test::bgzf(text)), expected);
  EXPECT_EQ(predict(test::bgzf(text, 777)), expected);
}

TEST_F(PredictionTest, OneChromAndEmptyMatrices) {
  EXPECT_EQ(predict(kHeader + rows("7", 1, 50000)),
            std::vector<std::string>{"7"});
  EXPECT_EQ(predict(kHeader), std::vector<std::string>{});
  EXPECT_EQ(predict(kHeader + "\n\n7 1 A A C"), std::vector<std::string>{"7"});
}

// A guess, not a promise: a CHROM that comes back between two reads of
// another is missed; the conversion checks the guess.
TEST_F(PredictionTest, AnUngroupedMatrixMayBeMisjudged) {
  std::string text =
      kHeader + rows("a", 1, 40000) + rows("b", 1, 2) + rows("a", 3, 40000);
  EXPECT_EQ(predict(text), std::vector<std::string>{"a"});
}

TEST_F(PredictionTest, NothingFromGzipOrAPipe) {
  EXPECT_EQ(predict(test::gzipMember(kHeader + rows("1", 1, 10))),
            std::vector<std::string>{});
}

// Header replacement in a regular file: longer and shorter headers, the
// rest moved intact.
TEST(FdSink, ReplacesItsHeaderInPlace) {
  test::TempDir dir;
  std::string body(3 << 20, 'x');
  for (std::size_t i = 0; i < body.size(); i += 97) body[i] = '\n';
  for (std::string header : {std::string("HEADER-LONGER-THAN-BEFORE\n"),
                             std::string("H\n"), std::string(5 << 20, 'h')}) {
    std::string path = dir.file("out");
    int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_TRUNC, 0644);
    ASSERT_GE(fd, 0);
    {
      FdSink sink(fd, path);
      ASSERT_TRUE(sink.canReplaceHeader());
      sink.write("old header\n");
      sink.endHeader();
      sink.write(body);
      sink.replaceHeader(header);
      sink.flush();
    }
    ::close(fd);
    EXPECT_TRUE(test::readFile(path) == header + body);
  }
}

// A pipe, or a file it could not read back (`> out` opens it write-only).
TEST(FdSink, CannotReplaceAPipesHeaderNorAWriteOnlyFiles) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  EXPECT_FALSE(FdSink(fds[1], "pipe").canReplaceHeader());
  ::close(fds[0]);
  ::close(fds[1]);
  test::TempDir dir;
  int fd = ::open(dir.file("out").c_str(), O_WRONLY | O_CREAT, 0644);
  EXPECT_FALSE(FdSink(fd, "out").canReplaceHeader());
  ::close(fd);
}

std::string gunzip(const std::string& bytes) {
  z_stream stream{};
  inflateInit2(&stream, 15 + 32);
  std::string out;
  char buffer[65536];
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
  stream.avail_in = static_cast<uInt>(bytes.size());
  for (int status = Z_OK; status != Z_STREAM_END || stream.avail_in > 0;) {
    if (status == Z_STREAM_END) inflateReset(&stream);
    stream.next_out = reinterpret_cast<Bytef*>(buffer);
    stream.avail_out = sizeof buffer;
    status = inflate(&stream, Z_NO_FLUSH);
    if (status != Z_OK && status != Z_STREAM_END) break;
    out.append(buffer, sizeof buffer - stream.avail_out);
  }
  inflateEnd(&stream);
  return out;
}

TEST(BgzfSink, ReplacesItsHeaderInPlace) {
  test::TempDir dir;
  std::string body;
  for (int i = 0; i < 40000; ++i) body += "row " + std::to_string(i) + "\n";
  for (unsigned threads : {1u, 2u}) {
    for (std::string header :
         {std::string("##a much longer header than before\n"),
          std::string("#\n")}) {
      std::string path = dir.file("out.gz");
      int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_TRUNC, 0644);
      ASSERT_GE(fd, 0);
      {
        BgzfSink sink(fd, path, threads);
        ASSERT_TRUE(sink.canReplaceHeader());
        sink.write("##old header\n");
        sink.endHeader();
        sink.write(body);
        sink.replaceHeader(header);
        sink.flush();
      }
      ::close(fd);
      std::string file = test::readFile(path);
      EXPECT_TRUE(gunzip(file) == header + body);
      EXPECT_TRUE(file.ends_with(test::kBgzfEof));
    }
  }
}

// Every level (1 is ISA-L's, the others libdeflate's) gives BGZF blocks of
// at most 0xff00 bytes of text and 64 KiB in all, also for bytes that do not
// compress, and the same text back.
TEST(BgzfCompressor, EveryLevelGivesTheTextBackInBgzfBlocks) {
  std::string text;
  std::uint32_t state = 12345;
  for (int i = 0; i < 150000; ++i) {
    state = state * 1103515245u + 12345u;
    text.push_back(static_cast<char>(state >> 24));
  }
  for (int i = 0; i < 20000; ++i) text += "1\t" + std::to_string(i) + "\tA\n";
  for (int level = 0; level <= 9; ++level) {
    std::string blocks;
    BgzfCompressor(level).append(text, blocks);
    EXPECT_TRUE(gunzip(blocks) == text) << "level " << level;
    std::size_t blockCount = 0;
    for (std::size_t at = 0; at + 18 <= blocks.size(); ++blockCount) {
      const std::size_t size =
          1 +
          (static_cast<unsigned char>(blocks[at + 16]) |
           static_cast<std::size_t>(static_cast<unsigned char>(blocks[at + 17]))
               << 8);
      const std::size_t textSize =
          static_cast<unsigned char>(blocks[at + size - 4]) |
          static_cast<std::size_t>(
              static_cast<unsigned char>(blocks[at + size - 3]))
              << 8 |
          static_cast<std::size_t>(
              static_cast<unsigned char>(blocks[at + size - 2]))
              << 16;
      EXPECT_EQ(textSize, std::min<std::size_t>(
                              0xff00, text.size() - blockCount * 0xff00))
          << "level " << level << ", block " << blockCount;
      at += size;
    }
    EXPECT_EQ(blockCount, (text.size() + 0xff00 - 1) / 0xff00)
        << "level " << level;
  }
}

// Blocks compressed by the pipeline's workers go between htslib's own
// writes, in order, also under a replaced header, at every level; level 0
// stores the text.
TEST(BgzfSink, TakesBlocksCompressedElsewhere) {
  test::TempDir dir;
  std::string rows;
  for (int i = 0; i < 30000; ++i) rows += "row " + std::to_string(i) + "\n";
  for (int level : {0, 1, 6, 9}) {
    for (unsigned threads : {1u, 2u}) {
      std::string path = dir.file("out.gz");
      int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_TRUNC, 0644);
      ASSERT_GE(fd, 0);
      {
        BgzfSink sink(fd, path, threads, level);
        EXPECT_EQ(sink.blockLevel(), level);
        sink.write("##old\n");
        sink.endHeader();
        std::string blocks;
        BgzfCompressor(level).append(rows, blocks);
        sink.writeBlocks(blocks, rows.size());
        sink.write("text\n");
        sink.writeBlocks("", 0);
        sink.writeBlocks(blocks, rows.size());
        sink.replaceHeader("##new header\n");
        sink.flush();
      }
      ::close(fd);
      std::string file = test::readFile(path);
      EXPECT_TRUE(gunzip(file) == "##new header\n" + rows + "text\n" + rows)
          << "level " << level << ", " << threads << " threads";
      EXPECT_TRUE(file.ends_with(test::kBgzfEof));
      EXPECT_EQ(file.size() > 2 * rows.size(), level == 0);
    }
  }
  StringSink plain;
  EXPECT_EQ(plain.blockLevel(), -1);
  EXPECT_THROW(plain.writeBlocks("", 0), std::logic_error);
}

TEST(SpoolSink, HoldsEverythingUntilCopied) {
  SpoolSink spool;
  spool.write("old\n");
  spool.endHeader();
  spool.write("rows\n");
  spool.replaceHeader("new header\n");
  StringSink out;
  spool.copyTo(out);
  EXPECT_EQ(out.text(), "new header\nrows\n");
}

std::string problemOf(const WrittenOrder& order) {
  return order.problem() ? order.problem()->problem.reason : "";
}

TEST(WrittenOrder, RowsSortedWithinTogetherChroms) {
  WrittenOrder order(IndexKind::kAuto, csiCapacity(0));
  EXPECT_TRUE(order.addRow("1", "5", 1, 0));
  EXPECT_TRUE(order.addRow("1", "5", 1, 1));  // the same POS again is fine
  EXPECT_TRUE(order.addRow("2", "3", 1, 2));
  EXPECT_FALSE(order.addRow("2", "2", 1, 3));
  EXPECT_EQ(problemOf(order), "POS 2 comes after 2:3");
  EXPECT_EQ(order.problem()->otherLine, 2u);

  WrittenOrder back(IndexKind::kAuto, csiCapacity(0));
  EXPECT_TRUE(back.addRow("1", "5", 1, 0));
  EXPECT_TRUE(back.addRow("2", "3", 1, 1));
  EXPECT_FALSE(back.addRow("1", "9", 1, 2));
  EXPECT_EQ(problemOf(back), "CHROM '1' comes back after 2:3");
}

// The stretches of the engine join: the check spans them.
TEST(WrittenOrder, AppendsStretchesInOrder) {
  WrittenOrder whole(IndexKind::kAuto, csiCapacity(0));
  WrittenOrder first(IndexKind::kAuto, csiCapacity(0));
  WrittenOrder second(IndexKind::kAuto, csiCapacity(0));
  ASSERT_TRUE(first.addRow("1", "10", 1, 0));
  ASSERT_TRUE(second.addRow("1", "9", 1, 4));
  EXPECT_TRUE(whole.append(first, 1));
  EXPECT_FALSE(whole.append(second, 11));
  EXPECT_EQ(whole.problem()->line, 15u);
  EXPECT_EQ(whole.problem()->otherLine, 1u);
}

TEST(WrittenOrder, WhatEachIndexHolds) {
  WrittenOrder tbi(IndexKind::kTbi, csiCapacity(0));
  EXPECT_TRUE(tbi.addRow("1", "536870912", 1, 0));  // ends at 2^29
  EXPECT_FALSE(tbi.addRow("1", "536870912", 2, 1));
  WrittenOrder csi(IndexKind::kAuto, csiCapacity(0));
  EXPECT_TRUE(csi.addRow("1", "4294967296", 1, 0));  // ends at 2^32
  EXPECT_EQ(csi.maxEnd(), 4294967296u);
  EXPECT_FALSE(csi.addRow("1", "4294967297", 1, 1));
  EXPECT_EQ(csiCapacity(9'000'000'000), std::uint64_t{1} << 35);
}

// A CSI index of a contig longer than 2^47 - 256 returns no row in htslib
// 1.16 (bcftools view -r): refused before the run, unless tabix is asked
// for, which ignores the lengths.
TEST(Fai, AnIndexRefusesContigsItCannotDescribe) {
  test::TempDir dir;
  test::writeFile(dir.file("m.txt"), "CHROM POS REF 1a 1b\nhuge 5 C T C\n");
  ConvertOptions options;
  options.inputPath = dir.file("m.txt");
  options.faiPath = dir.file("ref.fai");
  options.format = OutputFormat::kVcf;
  auto refusal = [&](const std::string& length, VcfIndex index) {
    test::writeFile(options.faiPath, "huge\t" + length + "\n");
    options.index = index;
    StringSink out;
    try {
      convert(options, out);
    } catch (const UsageError& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  const std::string longest = "140737488355072";  // 2^47 - 256
  const std::string tooLong = "140737488355073";
  for (VcfIndex index :
       {VcfIndex::kNone, VcfIndex::kAuto, VcfIndex::kCsi, VcfIndex::kTbi}) {
    EXPECT_EQ(refusal(longest, index), "");
  }
  EXPECT_EQ(refusal(tooLong, VcfIndex::kNone), "");
  EXPECT_EQ(refusal("4611686018427387904", VcfIndex::kTbi), "");
  for (VcfIndex index : {VcfIndex::kAuto, VcfIndex::kCsi}) {
    EXPECT_EQ(refusal(tooLong, index),
              "--index: sequence 'huge' is 140737488355073 long; a CSI index "
              "that htslib can read describes sequences up to "
              "140737488355072 (2^47 - 256): give --index tbi if every row "
              "ends by 2^29");
  }
}

TEST(Fai, ParsesAndRefuses) {
  EXPECT_EQ(parseFai("chr1\t248956422\t112\t70\t71\nchrM\t16569\n", "x.fai"),
            (std::vector<Contig>{{"chr1", 248956422}, {"chrM", 16569}}));
  auto error = [](const std::string& text) {
    try {
      parseFai(text, "x.fai");
    } catch (const UsageError& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  EXPECT_EQ(error("a\t5\nb\t6\na\t7\n"),
            "x.fai:3:1: sequence name 'a' appears twice (lines 1 and 3)");
  EXPECT_EQ(error("a,b\t5\n"),
            "x.fai:1:2: sequence name 'a,b' cannot be a VCF contig name: ',' "
            "may not be in it (VCF allows letters, digits and "
            "!#$%&*+./:;=?@^_|~-, not * = # first)");
  EXPECT_TRUE(error("*a\t5\n").starts_with("x.fai:1:1: sequence name '*a'"));
  EXPECT_EQ(error("a=b\t5\nc*\t6\n"), "");
  EXPECT_TRUE(error("a\t0\n").starts_with("x.fai:1:3: sequence length '0'"));
  EXPECT_TRUE(error("a\n").starts_with("x.fai:1:2: expected NAME<TAB>LENGTH"));
}

// The VCF specification's contig ID rule, as htslib 1.16 checks it (a
// warning "Invalid contig name", or bcftools refusing the whole file),
// and no '#' first (a comment line). Tried byte by byte with bcftools.
TEST(ContigNames, FollowTheVcfRule) {
  for (std::string good : {"1", "chr1", "HLA-A*01:01", "a=b", "x#y",
                           "!#$%&+./:;?@^_|~-", "chrUn_KI270302v1"}) {
    EXPECT_EQ(contigNameProblem(good), std::nullopt) << good;
  }
  for (char byte : std::string("\"'(),<>[\\]`{}")) {
    std::string name = std::string("a") + byte + "b";
    std::optional<RowProblem> problem = contigNameProblem(name);
    ASSERT_TRUE(problem) << name;
    EXPECT_EQ(problem->column, 2u) << name;
  }
  for (std::string bad : {"*a", "=a", "#a", " a", "\x7F", "\xE9t"}) {
    std::optional<RowProblem> problem = contigNameProblem(bad);
    ASSERT_TRUE(problem) << bad;
    EXPECT_EQ(problem->column, 1u) << bad;
  }
}

// A CHROM VCF cannot carry stops the run at its byte, with either engine,
// also with --skip-bad-rows (it is not a malformed row: the rows of that
// CHROM cannot be written); the other formats take any CHROM.
TEST(ContigNames, AreRefusedAtTheirRow) {
  test::TempDir dir;
  test::writeFile(dir.file("m.txt"),
                  "CHROM POS REF 1a 1b\n1 5 A A C\nHLA,A 7 G T G\n");
  test::writeFile(dir.file("hash.txt"), "CHROM POS REF 1a 1b\n#1 5 A A C\n");
  ConvertOptions options;
  options.format = OutputFormat::kVcf;
  auto error = [&](const std::string& input) {
    options.inputPath = dir.file(input);
    StringSink out;
    try {
      convert(options, out);
    } catch (const InputError& e) {
      return std::string(e.what()).substr(dir.path().string().size() + 1);
    }
    return std::string();
  };
  for (Engine engine : {Engine::kSimd, Engine::kReference}) {
    options.engine = engine;
    for (bool skip : {false, true}) {
      options.skipBadRows = skip;
      EXPECT_EQ(error("m.txt"),
                "m.txt:3:4: CHROM 'HLA,A' cannot be a VCF contig name: ',' "
                "may not be in it (VCF allows letters, digits and "
                "!#$%&*+./:;=?@^_|~-, not * = # first)");
      EXPECT_TRUE(error("hash.txt")
                      .starts_with("hash.txt:2:1: CHROM '#1' cannot be a VCF "
                                   "contig name: '#' may "
                                   "not start it"));
    }
  }
  options.format = OutputFormat::kHaplotype;
  EXPECT_EQ(error("m.txt"), "");
}

// A written row whose POS is past its sequence's --fai length stops the
// run at its POS, with either engine, --skip-bad-rows or not; rows that are
// not written (invariant) are not checked.
TEST(Fai, APositionPastTheSequenceIsAnError) {
  test::TempDir dir;
  test::writeFile(dir.file("ref.fai"), "1\t100\nchr2\t50\n");
  test::writeFile(dir.file("m.txt"),
                  "CHROM POS REF 1a 1b\n1 100 A A C\n1 300 A A A\n"
                  "chr2 50 G T G\nchr2 51 G T G\n");
  ConvertOptions options;
  options.format = OutputFormat::kVcf;
  options.inputPath = dir.file("m.txt");
  options.faiPath = dir.file("ref.fai");
  for (Engine engine : {Engine::kSimd, Engine::kReference}) {
    for (bool skip : {false, true}) {
      options.engine = engine;
      options.skipBadRows = skip;
      StringSink out;
      try {
        convert(options, out);
        ADD_FAILURE() << "no InputError";
      } catch (const InputError& e) {
        EXPECT_EQ(e.line(), 5u);
        EXPECT_EQ(e.column(), 6u);
        EXPECT_EQ(e.reason(),
                  "POS 51 is past the end of 'chr2' (its --fai length is 50)");
      }
    }
  }
  test::writeFile(dir.file("m.txt"),
                  "CHROM POS REF 1a 1b\n1 100 A A C\n1 300 A A A\n");
  StringSink out;
  EXPECT_NO_THROW(convert(options, out));
}

// An output that cannot be rewritten gets the CHROMs read from the input
// before the rows. An input that changes after that read (here as the
// header is written: a later row's CHROM becomes another) fails the run
// instead of giving a header that does not list every CHROM.
TEST(ContigScan, AnInputChangedAfterItsScanFailsTheRun) {
  test::TempDir dir;
  std::string text = "CHROM POS REF 1a 1b\n";
  for (int pos = 1; pos <= 2000; ++pos) {
    text += "chrA " + std::to_string(pos) + " A A C\n";
  }
  const std::string path = dir.file("m.txt");
  test::writeFile(path, text);
  class TamperingSink final : public ByteSink {
   public:
    explicit TamperingSink(std::string path, std::size_t at)
        : path_(std::move(path)), at_(at) {}
    void write(std::string_view bytes) override {
      if (text_.empty()) {
        int fd = ::open(path_.c_str(), O_WRONLY);
        EXPECT_EQ(::pwrite(fd, "chrB", 4, static_cast<off_t>(at_)), 4);
        ::close(fd);
      }
      text_.append(bytes);
    }
    std::string text_;

   private:
    std::string path_;
    std::size_t at_;
  };
  ConvertOptions options;
  options.inputPath = path;
  options.format = OutputFormat::kVcf;
  options.blockSize = 4096;
  for (Engine engine : {Engine::kSimd, Engine::kReference}) {
    options.engine = engine;
    test::writeFile(path, text);
    StringSink expected;
    convert(options, expected);
    TamperingSink unchanged(path, 0);
    unchanged.text_ = "x";  // tampers with nothing
    convert(options, unchanged);
    EXPECT_EQ(unchanged.text_, "x" + expected.text());
    TamperingSink out(path, text.rfind("chrA"));  // the last row
    try {
      convert(options, out);
      ADD_FAILURE() << "no IoError";
    } catch (const IoError& e) {
      EXPECT_EQ(std::string(e.what()),
                path +
                    ": the file changed while it was converted: its rows' "
                    "CHROMs are not those read before them");
    }
  }
}

}  // namespace
}  // namespace hapmat
