// Parts that verify themselves: the record `convert --part K/N` writes
// beside each part, and `hapmat concat`, which joins parts 1..N of one run
// in K order and refuses, with exit 1 and no output, anything else: parts
// of another input or another N, a part missing or given twice, a part
// damaged or cut short, a stale part. Real files, through the binary.

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "hapmat/error.hpp"
#include "hapmat/parts.hpp"
#include "test_util.hpp"

namespace hapmat {
namespace {

namespace fs = std::filesystem;
using test::listDir;
using test::readFile;
using test::runHapmat;
using test::RunResult;
using test::TempDir;
using test::writeFile;

// A matrix of ~3300 rows (~210 KB) of 3 CHROMs; `seed` makes another.
std::string simulate(const TempDir& dir, const std::string& name,
                     int seed = 1) {
  std::string path = dir.file(name);
  RunResult run = runHapmat({"simulate", "--chroms", "3", "--length", "1100",
                             "--snp-rate", "0.3", "--header-line", "--seed",
                             std::to_string(seed), "-o", path});
  EXPECT_EQ(run.exitCode, 0) << run.err;
  return path;
}

std::vector<std::string> convertParts(const TempDir& dir,
                                      const std::string& input, unsigned n,
                                      const std::string& stem,
                                      const std::string& suffix,
                                      std::vector<std::string> options = {}) {
  std::vector<std::string> parts;
  for (unsigned k = 1; k <= n; ++k) {
    std::string part = dir.file(stem + std::to_string(k) + suffix);
    std::vector<std::string> args = {
        "convert", "-q", "--part", std::to_string(k) + "/" + std::to_string(n)};
    args.insert(args.end(), options.begin(), options.end());
    args.insert(args.end(), {input, "-o", part});
    RunResult run = runHapmat(args);
    EXPECT_EQ(run.exitCode, 0) << run.err;
    parts.push_back(part);
  }
  return parts;
}

std::string single(const TempDir& dir, const std::string& input,
                   const std::string& name,
                   std::vector<std::string> options = {}) {
  std::vector<std::string> args = {"convert", "-q"};
  args.insert(args.end(), options.begin(), options.end());
  args.insert(args.end(), {input, "-o", dir.file(name)});
  RunResult run = runHapmat(args);
  EXPECT_EQ(run.exitCode, 0) << run.err;
  return readFile(dir.file(name));
}

RunResult concat(const std::string& output,
                 const std::vector<std::string>& parts,
                 std::vector<std::string> options = {}) {
  std::vector<std::string> args = {"concat", "-q"};
  args.insert(args.end(), options.begin(), options.end());
  args.insert(args.end(), {"-o", output});
  args.insert(args.end(), parts.begin(), parts.end());
  return runHapmat(args);
}

std::string gunzip(const std::string& path) {
  gzFile file = gzopen(path.c_str(), "rb");
  std::string text;
  char buffer[65536];
  for (int n; (n = gzread(file, buffer, sizeof buffer)) > 0;) {
    text.append(buffer, static_cast<std::size_t>(n));
  }
  gzclose(file);
  return text;
}

// A refusal: exit 1, the message on standard error, and no output (nor a
// temporary file) in the folder.
void expectRefused(const TempDir& dir, const RunResult& run,
                   const std::string& message) {
  EXPECT_EQ(run.exitCode, 1) << run.err;
  EXPECT_NE(run.err.find(message), std::string::npos) << run.err;
  for (const std::string& name : listDir(dir.path())) {
    EXPECT_EQ(name.find("joined"), std::string::npos) << name;
  }
}

void flipByte(const std::string& path, std::uint64_t at) {
  std::string bytes = readFile(path);
  bytes[at] = static_cast<char>(bytes[at] ^ 0x20);
  writeFile(path, bytes);
}

TEST(PartsRecord, GlobOrderIsJoinedInPartOrder) {
  TempDir dir;
  std::string input = simulate(dir, "m.txt");
  std::vector<std::string> parts = convertParts(dir, input, 12, "part", ".txt");
  std::vector<std::string> glob = parts;
  std::sort(glob.begin(), glob.end());  // part1 part10 part11 part12 part2 ..
  ASSERT_EQ(fs::path(glob[1]).filename(), "part10.txt");
  std::string expected = single(dir, input, "single.txt");
  RunResult run = concat(dir.file("joined.txt"), glob);
  ASSERT_EQ(run.exitCode, 0) << run.err;
  EXPECT_EQ(readFile(dir.file("joined.txt")), expected);
}

// The record's own fields are what a person checks by hand: the file's size
// and its CRC-32 as zlib computes it.
TEST(PartsRecord, RecordNamesThePartRunAndDigest) {
  TempDir dir;
  std::string input = simulate(dir, "m.txt");
  std::vector<std::string> parts =
      convertParts(dir, input, 3, "part", ".vcf.gz", {"--format", "vcf"});
  std::string bytes = readFile(parts[1]);
  PartRecord record = PartRecord::parse(readFile(parts[1] + ".hapmat-part"),
                                        parts[1] + ".hapmat-part");
  EXPECT_EQ(record.part.index, 2u);
  EXPECT_EQ(record.part.count, 3u);
  EXPECT_EQ(record.inputPath, input);
  EXPECT_EQ(record.bytes, bytes.size());
  EXPECT_EQ(record.crc32,
            ::crc32(0, reinterpret_cast<const Bytef*>(bytes.data()),
                    static_cast<uInt>(bytes.size())));
  std::string text = gunzip(parts[1]);
  EXPECT_EQ(record.rows, static_cast<std::uint64_t>(
                             std::count(text.begin(), text.end(), '\n')));
  EXPECT_EQ(record.runValue("format"), "vcf");
  EXPECT_EQ(record.runValue("compression"), "bgzf");
  EXPECT_EQ(record.runValue("input-size"),
            std::to_string(fs::file_size(input)));
  EXPECT_EQ(PartRecord::parse(record.text(), "x").text(), record.text());
}

TEST(PartsRecord, PartsOfAnotherInputAreRefused) {
  TempDir dir;
  std::vector<std::string> a =
      convertParts(dir, simulate(dir, "a.txt", 1), 3, "a", ".txt");
  std::vector<std::string> b =
      convertParts(dir, simulate(dir, "b.txt", 2), 3, "b", ".txt");
  RunResult run = concat(dir.file("joined.txt"), {a[0], b[1], a[2]});
  expectRefused(
      dir, run,
      "hapmat: " + b[1] + " and " + a[0] + " are not parts of one run: input-");
  EXPECT_NE(run.err.find("another input?"), std::string::npos) << run.err;
}

TEST(PartsRecord, PartOfAnotherSplitIsRefused) {
  TempDir dir;
  std::string input = simulate(dir, "m.txt");
  std::vector<std::string> three = convertParts(dir, input, 3, "three", ".gz");
  std::vector<std::string> four = convertParts(dir, input, 4, "four", ".gz");
  RunResult run = concat(dir.file("joined.gz"), {three[0], four[1], three[2]});
  expectRefused(dir, run,
                "hapmat: " + four[1] + " and " + three[0] +
                    " are not parts of one run: parts is 4 in the first's "
                    "record, 3 in the second's");
}

// Other options are other bytes: --missing, and the gaps as deletions
// (the default) or '*' records, or deletions bounded differently.
TEST(PartsRecord, PartsOfOtherOptionsAreRefused) {
  TempDir dir;
  std::string input = simulate(dir, "m.txt");
  std::vector<std::string> vcf =
      convertParts(dir, input, 2, "vcf", ".txt", {"--format", "vcf"});
  struct Case {
    std::string option, value, field, recorded;
  };
  for (const Case& c :
       {Case{"--missing", "ref", "missing", "dot"},
        Case{"--gaps", "star", "gaps", "deletions"},
        Case{"--max-deletion", "50", "max-deletion", "10000"}}) {
    std::vector<std::string> other = convertParts(
        dir, input, 2, c.field, ".txt", {"--format", "vcf", c.option, c.value});
    expectRefused(dir, concat(dir.file("joined.txt"), {vcf[0], other[1]}),
                  "are not parts of one run: " + c.field + " is " + c.value +
                      " in the first's record, " + c.recorded +
                      " in the second's (parts of runs with different "
                      "options)");
  }
  PartRecord table = PartRecord::parse(
      readFile(convertParts(dir, input, 2, "table", ".txt", {})[0] +
               ".hapmat-part"),
      "table");
  EXPECT_EQ(table.runValue("gaps"), "none");
  EXPECT_EQ(table.runValue("max-deletion"), "none");
}

// Regions and samples change the rows and the columns: parts of runs that
// select differently are not joined.
TEST(PartsRecord, PartsOfOtherSelectionsAreRefused) {
  TempDir dir;
  std::string input = simulate(dir, "m.txt");
  std::vector<std::string> all = convertParts(dir, input, 2, "all", ".txt", {});
  struct Case {
    std::string option, value, field;
  };
  for (const Case& c :
       {Case{"-r", "1", "regions"}, Case{"-s", "^10", "samples"}}) {
    std::vector<std::string> selected =
        convertParts(dir, input, 2, c.field, ".txt", {c.option, c.value});
    expectRefused(dir, concat(dir.file("joined.txt"), {selected[0], all[1]}),
                  "are not parts of one run: " + c.field +
                      " is none in the first's record, list " + c.value +
                      " in the second's (parts of runs with different "
                      "options)");
  }
}

TEST(PartsRecord, MissingOrTwiceGivenPartsAreRefused) {
  TempDir dir;
  std::vector<std::string> parts =
      convertParts(dir, simulate(dir, "m.txt"), 4, "part", ".txt");
  expectRefused(dir, concat(dir.file("joined.txt"), {parts[0], parts[2]}),
                "hapmat: part(s) 2, 4 of 4 missing");
  expectRefused(
      dir,
      concat(dir.file("joined.txt"),
             {parts[0], parts[1], parts[1], parts[2], parts[3]}),
      "hapmat: " + parts[1] + " and " + parts[1] + " are both part 2/4");
}

TEST(PartsRecord, FlippedByteInABgzfPartIsRefused) {
  TempDir dir;
  std::vector<std::string> parts = convertParts(
      dir, simulate(dir, "m.txt"), 3, "part", ".vcf.gz", {"--format", "vcf"});
  flipByte(parts[1], fs::file_size(parts[1]) / 2);
  RunResult run = concat(dir.file("joined.vcf.gz"), parts, {"--index"});
  expectRefused(dir, run, "hapmat: " + parts[1] + ": ");
  EXPECT_NE(run.err.find("damaged, cut short or changed"), std::string::npos)
      << run.err;
  EXPECT_FALSE(fs::exists(dir.file("joined.vcf.gz.tbi")));
}

TEST(PartsRecord, FlippedByteInAPlainPartIsRefused) {
  TempDir dir;
  std::vector<std::string> parts =
      convertParts(dir, simulate(dir, "m.txt"), 3, "part", ".txt");
  std::uint64_t size = fs::file_size(parts[2]);
  flipByte(parts[2], size / 2);
  expectRefused(dir, concat(dir.file("joined.txt"), parts),
                "hapmat: " + parts[2] + ": " + std::to_string(size) +
                    " bytes of CRC-32 ");
}

TEST(PartsRecord, TruncatedPartsAreRefused) {
  TempDir dir;
  std::string input = simulate(dir, "m.txt");
  std::vector<std::string> plain = convertParts(dir, input, 2, "p", ".txt");
  std::vector<std::string> bgzf = convertParts(dir, input, 2, "b", ".gz");
  fs::resize_file(plain[0], fs::file_size(plain[0]) - 10);
  expectRefused(dir, concat(dir.file("joined.txt"), plain),
                "hapmat: " + plain[0] + ": " +
                    std::to_string(fs::file_size(plain[0])) +
                    " bytes where its record says " +
                    std::to_string(fs::file_size(plain[0]) + 10));
  fs::resize_file(bgzf[1], fs::file_size(bgzf[1]) - 28);  // its EOF block
  expectRefused(dir, concat(dir.file("joined.gz"), bgzf),
                "hapmat: " + bgzf[1] + ": ");
  fs::resize_file(bgzf[1], fs::file_size(bgzf[1]) / 2);  // mid-block
  expectRefused(dir, concat(dir.file("joined.gz"), bgzf),
                "hapmat: " + bgzf[1] + ": ");
}

// Compressed by the output's name, as convert is.
TEST(PartsRecord, OutputIsCompressedByItsName) {
  TempDir dir;
  std::string input = simulate(dir, "m.txt");
  std::string expected = single(dir, input, "single.vcf", {"--format", "vcf"});
  std::vector<std::string> plain =
      convertParts(dir, input, 3, "p", ".vcf", {"--format", "vcf"});
  ASSERT_EQ(concat(dir.file("joined.vcf.gz"), plain).exitCode, 0);
  std::string joined = readFile(dir.file("joined.vcf.gz"));
  ASSERT_GT(joined.size(), 18u);
  EXPECT_EQ(joined.substr(12, 2), "BC");  // BGZF's extra subfield
  EXPECT_EQ(gunzip(dir.file("joined.vcf.gz")), expected);
  std::vector<std::string> bgzf =
      convertParts(dir, input, 3, "b", ".vcf.gz", {"--format", "vcf"});
  ASSERT_EQ(concat(dir.file("joined.vcf"), bgzf).exitCode, 0);
  EXPECT_EQ(readFile(dir.file("joined.vcf")), expected);
}

TEST(PartsRecord, IndexOfTablePartsIsAUsageError) {
  TempDir dir;
  std::vector<std::string> parts =
      convertParts(dir, simulate(dir, "m.txt"), 2, "part", ".gz");
  RunResult run = concat(dir.file("joined.gz"), parts, {"--index"});
  EXPECT_EQ(run.exitCode, 2) << run.err;
  EXPECT_EQ(
      run.err,
      "hapmat: --index needs VCF or BCF parts; these are not (--format vcf or "
      "bcf)\n");
  EXPECT_FALSE(fs::exists(dir.file("joined.gz")));
  EXPECT_FALSE(fs::exists(dir.file("joined.gz.tbi")));
}

// A part from an earlier run of an input that has changed since is refused;
// that part converted again joins.
TEST(PartsRecord, StalePartIsRefusedAndItsRerunJoins) {
  TempDir dir;
  std::string input = simulate(dir, "m.txt", 1);
  std::vector<std::string> parts = convertParts(dir, input, 3, "part", ".gz");
  fs::rename(simulate(dir, "m2.txt", 3), input);
  for (unsigned k : {1u, 3u}) {
    ASSERT_EQ(runHapmat({"convert", "-q", "--part", std::to_string(k) + "/3",
                         input, "-o", parts[k - 1]})
                  .exitCode,
              0);
  }
  expectRefused(dir, concat(dir.file("joined.gz"), parts),
                "hapmat: " + parts[1] + " and " + parts[0] +
                    " are not parts of one run: input-");
  ASSERT_EQ(runHapmat({"convert", "-q", "--part", "2/3", input, "-o", parts[1]})
                .exitCode,
            0);
  ASSERT_EQ(concat(dir.file("joined.gz"), parts).exitCode, 0);
  EXPECT_EQ(gunzip(dir.file("joined.gz")), single(dir, input, "single.txt"));
}

TEST(PartsRecord, PartWithoutRecordIsRefused) {
  TempDir dir;
  std::vector<std::string> parts =
      convertParts(dir, simulate(dir, "m.txt"), 2, "part", ".txt");
  fs::remove(parts[1] + ".hapmat-part");
  expectRefused(dir, concat(dir.file("joined.txt"), parts),
                "hapmat: " + parts[1] + ": no part record beside it");
  writeFile(parts[1] + ".hapmat-part", "hapmat-part 1\npart two\n");
  expectRefused(dir, concat(dir.file("joined.txt"), parts),
                "hapmat: " + parts[1] + ".hapmat-part:2:1: bad part 'two'");
}

// `hapmat concat out.part*` names each part's record too.
TEST(PartsRecord, ARecordNamedAsAPartIsRefusedWithTheGlobThatAvoidsIt) {
  TempDir dir;
  std::vector<std::string> parts =
      convertParts(dir, simulate(dir, "m.txt"), 2, "part", ".txt");
  parts.insert(parts.begin() + 1, parts[0] + ".hapmat-part");
  expectRefused(dir, concat(dir.file("joined.txt"), parts),
                "hapmat: " + parts[1] +
                    ": a part record, not a part: name the parts alone (a "
                    "glob such as out.part* takes the records beside them "
                    "too: end it as the parts' names end, e.g. "
                    "out.part*[0-9] or part*.vcf.gz)");
}

// The identity check comes first, but standard input still gets the usage
// error of a part that cannot be read at random, and is not read.
TEST(PartsRecord, PartOfStandardInputIsAUsageError) {
  TempDir dir;
  std::string input = simulate(dir, "m.txt");
  RunResult run =
      runHapmat({"convert", "--part", "1/2", "-"}, dir.path(), input);
  EXPECT_EQ(run.exitCode, 2);
  EXPECT_EQ(run.err,
            "hapmat: <stdin>: a part is a byte range of a file, and this "
            "input cannot be read at random (standard input, a pipe?)\n");
  EXPECT_EQ(run.out, "");
}

// The input grows while part 1 of 2 is read (its rows, before the new
// bytes, are not disturbed): the part fails instead of recording an input
// it did not read whole.
TEST(PartsRecord, InputChangedDuringThePartFailsIt) {
  TempDir dir;
  std::string input = simulate(dir, "m.txt");
  ConvertOptions options;
  options.inputPath = input;
  options.part = Part{1, 2};
  options.blockSize = 4096;
  bool changed = false;
  options.onProgress = [&](const Progress&) {
    if (changed) return;
    std::ofstream(input, std::ios::app) << "1 99999 A A A\n";
    changed = true;
  };
  StringSink out;
  PartRecord record;
  try {
    convertPart(options, out, record);
    FAIL() << "a part whose input changed succeeded";
  } catch (const MismatchError& e) {
    EXPECT_EQ(std::string(e.what()),
              input + ": changed while part 1/2 read it (its size went from " +
                  std::to_string(fs::file_size(input) - 14) + " to " +
                  std::to_string(fs::file_size(input)) +
                  " bytes): the part would mix two versions of the file; run "
                  "it again once the file is final");
  }
  EXPECT_TRUE(changed);
}

// Same size, same time, one byte changed at a border between parts: the
// sampled windows catch it.
TEST(PartsRecord, IdentitySeesAnEditAtAPartBorder) {
  TempDir dir;
  std::string input = simulate(dir, "m.txt");
  InputIdentity before = identifyInput(input, 4);
  struct stat info {};
  ASSERT_EQ(::stat(input.c_str(), &info), 0);
  flipByte(input, fs::file_size(input) / 2 + 100);
  struct timespec times[2] = {info.st_atim, info.st_mtim};
  ASSERT_EQ(::utimensat(AT_FDCWD, input.c_str(), times, 0), 0);
  InputIdentity after = identifyInput(input, 4);
  EXPECT_EQ(after.size, before.size);
  EXPECT_EQ(after.mtimeNs, before.mtimeNs);
  EXPECT_NE(after.samplesCrc32, before.samplesCrc32);
}

}  // namespace
}  // namespace hapmat
