// End-to-end tests of the hapmat binary: the golden cases of tests/data/golden
// (inputs and hand-derived outputs) and the CLI's promises about exit codes,
// messages and output files.

#include <fcntl.h>
#include <gtest/gtest.h>
#include <malloc.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <thread>

#include "cli/build_source.hpp"
#include "compression_util.hpp"
#include "hapmat/convert.hpp"
#include "hapmat/version.hpp"
#include "test_util.hpp"

namespace hapmat {
namespace {

namespace fs = std::filesystem;
using test::readFile;
using test::runHapmat;
using test::RunResult;
using test::TempDir;

const fs::path kGoldenDir = fs::path(HAPMAT_TEST_DATA) / "golden";

// Golden files write the version as @VERSION@, so a release changes none.
std::string withVersion(std::string text) {
  static constexpr std::string_view kMark = "@VERSION@";
  for (std::size_t at = text.find(kMark); at != std::string::npos;
       at = text.find(kMark, at)) {
    text.replace(at, kMark.size(), kVersion);
  }
  return text;
}

std::vector<std::string> splitArgs(const std::string& line) {
  std::vector<std::string> args;
  std::istringstream words(line);
  for (std::string word; words >> word;) args.push_back(word);
  return args;
}

std::vector<std::string> goldenCases() {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(kGoldenDir)) {
    if (fs::exists(entry.path() / "args")) {
      names.push_back(entry.path().filename().string());
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

class GoldenCase : public ::testing::TestWithParam<std::string> {};

// Each case runs with its own arguments and again with a tiny block size:
// the output must not depend on how the input is cut into blocks.
TEST_P(GoldenCase, MatchesTheHandDerivedResult) {
  fs::path dir = kGoldenDir / GetParam();
  std::vector<std::string> caseArgs = splitArgs(readFile(dir / "args"));
  bool setsBlockSize = std::find(caseArgs.begin(), caseArgs.end(),
                                 "--block-size") != caseArgs.end();
  for (const char* blockSize : {"", "4K"}) {
    if (*blockSize && setsBlockSize) continue;
    TempDir out;
    std::vector<std::string> args = {"convert"};
    args.insert(args.end(), caseArgs.begin(), caseArgs.end());
    if (*blockSize) args.insert(args.end(), {"--block-size", blockSize});
    args.insert(args.end(), {"-q", "-o", out.file("out.txt")});
    RunResult result = runHapmat(args, dir);
    if (fs::exists(dir / "expected.txt")) {
      ASSERT_EQ(result.exitCode, 0) << result.err;
      EXPECT_EQ(result.err, "");
      EXPECT_EQ(readFile(out.file("out.txt")),
                withVersion(readFile(dir / "expected.txt")));
      EXPECT_EQ(test::listDir(out.path()), std::vector<std::string>{"out.txt"});
    } else {
      std::istringstream expected(readFile(dir / "expected_error"));
      int code = 0;
      std::string prefix;
      expected >> code;
      std::getline(expected >> std::ws, prefix);
      EXPECT_EQ(result.exitCode, code) << result.err;
      EXPECT_TRUE(result.err.starts_with(prefix))
          << "expected a message starting '" << prefix << "', got "
          << result.err;
      EXPECT_EQ(std::count(result.err.begin(), result.err.end(), '\n'), 1);
      EXPECT_TRUE(test::listDir(out.path()).empty())
          << "a failed run left a file behind";
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Golden, GoldenCase, ::testing::ValuesIn(goldenCases()),
                         [](const auto& testCase) { return testCase.param; });

const char kMatrix[] =
    "CHROM POS REF 1a 1b 2a 2b MA1\n"
    "2 17 A A G N - A\n"
    "2 18 C C C C C C\n";
const char kConverted[] =
    "contig pos ref alt 1a1b_PI 1a1b_PG_al 2a2b_PI 2a2b_PG_al\n"
    "2 17 A G,- 2 A|G 2 A|A\n";

TEST(Cli, ReadsStdinAndWritesStdout) {
  TempDir dir;
  test::writeFile(dir.file("m.txt"), kMatrix);
  RunResult result =
      runHapmat({"convert", "-q", "-"}, dir.path(), dir.file("m.txt"));
  EXPECT_EQ(result.exitCode, 0) << result.err;
  EXPECT_EQ(result.out, kConverted);
}

TEST(Cli, PrintsASummaryUnlessQuiet) {
  TempDir dir;
  test::writeFile(dir.file("m.txt"), kMatrix);
  RunResult result =
      runHapmat({"convert", "m.txt", "-o", "out.txt"}, dir.path());
  EXPECT_EQ(result.exitCode, 0) << result.err;
  EXPECT_TRUE(result.err.starts_with(
      "hapmat: 2 rows read, 1 written, 0 skipped as bad; 64 B in, 80 B out; "))
      << result.err;
  EXPECT_NE(result.err.find(" GB/s; peak RSS "), std::string::npos);
  EXPECT_EQ(readFile(dir.file("out.txt")), kConverted);
}

// The summary's region line, and the column the original layout leaves
// unpaired, named where it used to leave silently.
TEST(Cli, SummaryOfRegionsAndColumnsInNoSample) {
  TempDir dir;
  test::writeFile(dir.file("m.txt"), kMatrix);
  RunResult result = runHapmat(
      {"convert", "m.txt", "-r", "2:18", "--all-sites", "-o", "out.txt"},
      dir.path());
  EXPECT_EQ(result.exitCode, 0) << result.err;
  EXPECT_TRUE(result.err.starts_with(
      "hapmat: 2 rows read, 1 written, 0 skipped as bad; regions: 1 "
      "selected, 1 read outside them, 0 B of input skipped by bisection; "))
      << result.err;
  EXPECT_TRUE(result.err.ends_with(
      " MiB\nhapmat: 1 haplotype column in no sample (not written; their "
      "alleles still count for ALT): MA1\n"))
      << result.err;
  EXPECT_EQ(readFile(dir.file("out.txt")),
            "contig pos ref alt 1a1b_PI 1a1b_PG_al 2a2b_PI 2a2b_PG_al\n"
            "2 18 C . 2 C|C 2 C|C\n");
}

// Unknown samples and options that cannot go together are usage errors
// (exit 2) that write nothing.
TEST(Cli, SelectionUsageErrors) {
  TempDir dir;
  test::writeFile(dir.file("m.txt"), kMatrix);
  struct Case {
    std::vector<std::string> args;
    std::string error;
  };
  for (const Case& c : std::vector<Case>{
           {{"-s", "3"},
            "hapmat: --samples: no sample is named '3' (close matches: 1, "
            "2)\n"},
           {{"--haploid"},
            "hapmat: --haploid applies to --format vcf only: a haplotype "
            "table and a phase-Extender panel are made of pairs of "
            "haplotypes\n"},
           {{"-r", "2:5-1"},
            "hapmat: --regions: '2:5-1' ends before it starts (give CHROM, "
            "CHROM:POS, CHROM:FROM- or CHROM:FROM-TO)\n"},
       }) {
    std::vector<std::string> args = {"convert", "-q", "m.txt", "-o", "o.txt"};
    args.insert(args.end(), c.args.begin(), c.args.end());
    RunResult result = runHapmat(args, dir.path());
    EXPECT_EQ(result.exitCode, 2) << result.err;
    EXPECT_EQ(result.err, c.error);
    EXPECT_FALSE(std::filesystem::exists(dir.file("o.txt")));
  }
}

TEST(Cli, SkippedRowsAreReported) {
  TempDir dir;
  test::writeFile(dir.file("m.txt"),
                  std::string(kMatrix) + "2 x A A G N - A\n");
  RunResult result = runHapmat(
      {"convert", "--skip-bad-rows", "m.txt", "-o", "out.txt"}, dir.path());
  EXPECT_EQ(result.exitCode, 0) << result.err;
  EXPECT_TRUE(result.err.starts_with(
      "hapmat: skipped m.txt:4:3: POS 'x' is not a whole number"))
      << result.err;
  EXPECT_NE(result.err.find("1 skipped as bad"), std::string::npos);
}

TEST(Cli, UsageErrorsExitWithTwo) {
  TempDir dir;
  test::writeFile(dir.file("m.txt"), kMatrix);
  for (std::vector<std::string> args : std::vector<std::vector<std::string>>{
           {"convert"},
           {"convert", "m.txt", "--format", "csv"},
           {"convert", "m.txt", "--block-size", "12Q"},
           {"convert", "m.txt", "--block-size", "1K"},
           {"convert", "m.txt", "--pairs", "missing.txt"},
           {"convert", "m.txt", "--simd", "NEON"},
           {"convert", "m.txt", "--engine", "fast"},
           {"convert", "m.txt", "--engine", "reference", "--simd", "SSE4"},
           {"nonsense"},
           {}}) {
    RunResult result = runHapmat(args, dir.path());
    EXPECT_EQ(result.exitCode, 2) << result.err;
    EXPECT_FALSE(result.err.empty());
  }
  EXPECT_EQ(test::listDir(dir.path()), std::vector<std::string>{"m.txt"});
}

// A --part that cannot be is refused saying why: the form, the order, or
// the most parts there may be.
TEST(Cli, APartOutOfRangeSaysTheRange) {
  TempDir dir;
  test::writeFile(dir.file("m.txt"), kMatrix);
  const std::pair<std::string, std::string> cases[] = {
      {"1/1000000000",
       "--part K/N: N is at most 999999999, got '1/1000000000'"},
      {"1/99999999999999999999999",
       "--part K/N: N is at most 999999999, got '1/99999999999999999999999'"},
      {"4/3", "--part K/N needs 1 <= K <= N, got '4/3'"},
      {"0/3", "--part K/N needs 1 <= K <= N, got '0/3'"},
      {"3", "--part takes K/N (the K-th of N parts, 1 <= K <= N), got '3'"},
      {"1/x", "--part takes K/N (the K-th of N parts, 1 <= K <= N), got '1/x'"},
  };
  for (const auto& [part, error] : cases) {
    RunResult result = runHapmat(
        {"convert", "m.txt", "--part", part, "-o", "out.txt"}, dir.path());
    EXPECT_EQ(result.exitCode, 2) << part;
    EXPECT_EQ(result.err, "hapmat: " + error + "\n");
  }
  RunResult most = runHapmat({"convert", "-q", "m.txt", "--part",
                              "0999999999/999999999", "-o", "out.txt"},
                             dir.path());
  EXPECT_EQ(most.exitCode, 0) << most.err;
  EXPECT_EQ(readFile(dir.file("out.txt")), "");
}

TEST(Cli, AMissingInputIsAnIoError) {
  TempDir dir;
  RunResult result =
      runHapmat({"convert", "nope.txt", "-o", "out.txt"}, dir.path());
  EXPECT_EQ(result.exitCode, 1);
  EXPECT_EQ(result.err,
            "hapmat: cannot open 'nope.txt': No such file or directory\n");
  EXPECT_TRUE(test::listDir(dir.path()).empty());
}

TEST(Cli, ABrokenGzipHeaderIsAnInputError) {
  TempDir dir;
  test::writeFile(dir.file("m.gz"), std::string("\x1f\x8b\x08\x00", 4));
  RunResult result =
      runHapmat({"convert", "m.gz", "-o", "out.txt"}, dir.path());
  EXPECT_EQ(result.exitCode, 1);
  EXPECT_TRUE(result.err.starts_with("hapmat: m.gz:1:1: truncated gzip"))
      << result.err;
  EXPECT_EQ(test::listDir(dir.path()), std::vector<std::string>{"m.gz"});
}

// Target names are matched without regard to case; every one the CPU runs
// gives the same bytes.
TEST(Cli, EveryEngineAndTargetWritesTheSameBytes) {
  TempDir dir;
  test::writeFile(dir.file("m.txt"), kMatrix);
  std::vector<std::vector<std::string>> variants = {
      {"--engine", "reference"}, {"--engine", "simd"}, {"--simd", "sse4"}};
  for (const std::string& target : simdTargets()) {
    variants.push_back({"--simd", target, "-t", "3"});
  }
  for (const std::vector<std::string>& variant : variants) {
    std::vector<std::string> args = {"convert", "-q", "m.txt"};
    args.insert(args.end(), variant.begin(), variant.end());
    RunResult result = runHapmat(args, dir.path());
    EXPECT_EQ(result.exitCode, 0) << variant[1] << ": " << result.err;
    EXPECT_EQ(result.out, kConverted) << variant[1];
  }
}

// Writes m.txt: one chromosome of `length` rows, a header line.
void simulateMatrix(const TempDir& dir, const std::string& length,
                    const std::string& snpRate) {
  RunResult made =
      runHapmat({"simulate", "--chroms", "1", "--length", length, "--snp-rate",
                 snpRate, "--header-line", "-o", "m.txt"},
                dir.path());
  ASSERT_EQ(made.exitCode, 0) << made.err;
}

// A reader that goes away early (| head) ends the run without a word.
// Also from compressed input, whose decoders run on other threads.
TEST(Cli, AClosedPipeEndsQuietly) {
  TempDir dir;
  simulateMatrix(dir, "100000", "1");
  std::string text = readFile(dir.file("m.txt"));
  test::writeFile(dir.file("m.txt.gz"), test::gzipMember(text));
  test::writeFile(dir.file("m.txt.bgz"), test::bgzf(text));
  for (const char* input : {"m.txt", "m.txt.gz", "m.txt.bgz"}) {
    std::string command = "cd '" + dir.path().string() + "' && '" + HAPMAT_EXE +
                          "' convert " + input +
                          " 2> err.txt | head -c 20 > head.txt";
    ASSERT_EQ(std::system(("bash -c \"" + command + "\"").c_str()), 0);
    EXPECT_EQ(readFile(dir.file("head.txt")), "contig pos ref alt 1");
    EXPECT_EQ(readFile(dir.file("err.txt")), "") << input;
  }
}

// Named values are matched in any case and mean the same in every case.
TEST(Cli, ChoicesIgnoreCase) {
  TempDir dir;
  test::writeFile(dir.file("m.txt"), kMatrix);
  RunResult lower = runHapmat(
      {"convert", "-q", "m.txt", "--format", "phase-extender"}, dir.path());
  RunResult mixed =
      runHapmat({"convert", "-q", "m.txt", "--format", "Phase-Extender",
                 "--engine", "REFERENCE", "--delimiter", "Space"},
                dir.path());
  EXPECT_EQ(mixed.exitCode, 0) << mixed.err;
  EXPECT_TRUE(lower.out.starts_with("CHROM\tPOS\tREF\tALT\t"));
  EXPECT_EQ(mixed.out, lower.out);
  RunResult tabs = runHapmat(
      {"convert", "-q", "m.txt", "--out-delimiter", "TAB"}, dir.path());
  EXPECT_TRUE(tabs.out.starts_with("contig\tpos\t")) << tabs.out;
}

TEST(Cli, VersionNamesTheVersion) {
  RunResult result = runHapmat({"--version"});
  EXPECT_EQ(result.exitCode, 0);
  std::string targets;
  for (const std::string& target : simdTargets()) targets += " " + target;
  EXPECT_EQ(result.out, "hapmat 0.2.0 (" + std::string(cli::kBuildSource) +
                            ")\nsimd targets:" + targets + "\n");
  EXPECT_NE(targets.find(" SSE4"), std::string::npos);
}

TEST(Cli, OutputFileGetsTheUsualPermissions) {
  TempDir dir;
  test::writeFile(dir.file("m.txt"), kMatrix);
  ASSERT_EQ(runHapmat({"convert", "-q", "m.txt", "-o", "out.txt"}, dir.path())
                .exitCode,
            0);
  fs::perms perms = fs::status(dir.file("out.txt")).permissions();
  mode_t mask = ::umask(0);
  ::umask(mask);
  EXPECT_EQ(static_cast<mode_t>(perms), 0666 & ~mask);
}

// A device or FIFO given as output (think /dev/null) is written in place,
// never replaced by a renamed regular file. A FIFO stands in for the device
// so that a regression cannot damage the machine.
TEST(Cli, AnExistingFifoOutputIsWrittenInPlace) {
  TempDir dir;
  test::writeFile(dir.file("m.txt"), kMatrix);
  std::string fifo = dir.file("out.fifo");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  // Opened for reading and writing, a FIFO never blocks; the output is far
  // smaller than the pipe buffer, so it waits there until read below.
  int fd = ::open(fifo.c_str(), O_RDWR | O_NONBLOCK);
  ASSERT_GE(fd, 0);
  RunResult result =
      runHapmat({"convert", "-q", "m.txt", "-o", "out.fifo"}, dir.path());
  char buffer[4096];
  ssize_t received = ::read(fd, buffer, sizeof buffer);
  ::close(fd);
  EXPECT_EQ(result.exitCode, 0) << result.err;
  ASSERT_GT(received, 0);
  EXPECT_EQ(std::string(buffer, static_cast<std::size_t>(received)),
            kConverted);
  EXPECT_TRUE(fs::is_fifo(fifo));
  EXPECT_EQ(test::listDir(dir.path()),
            (std::vector<std::string>{"m.txt", "out.fifo"}));
}

// Whether process `pid` holds a file open in `folder` (its temporary
// output, which may have no name: "/folder/#123 (deleted)").
bool holdsFileIn(pid_t pid, const fs::path& folder) {
  std::error_code error;
  for (const auto& fd :
       fs::directory_iterator("/proc/" + std::to_string(pid) + "/fd", error)) {
    std::string target = fs::read_symlink(fd.path(), error).string();
    if (target.starts_with(folder.string() + "/") &&
        !target.ends_with("in.fifo")) {
      return true;
    }
  }
  return false;
}

// SIGTERM, SIGINT or SIGKILL (the OOM killer, Slurm past its grace period)
// while the input is still arriving: the folder holds nothing new, and
// the exit code is 128 + the signal, also while htslib's threads compress
// a .gz output.
TEST(Cli, SignalsLeaveNothingBehind) {
  for (int signal : {SIGTERM, SIGINT, SIGKILL}) {
    for (const char* output : {"out.txt", "out.vcf.gz"}) {
      TempDir dir;
      std::string fifo = dir.file("in.fifo");
      ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
      pid_t pid = ::fork();
      ASSERT_GE(pid, 0);
      if (pid == 0) {
        if (::chdir(dir.path().c_str()) != 0) ::_exit(127);
        ::execl(HAPMAT_EXE, HAPMAT_EXE, "convert", "-q", "in.fifo", "-o",
                output, "-t", "2", static_cast<char*>(nullptr));
        ::_exit(127);
      }
      std::ofstream writer(fifo);  // opens once hapmat has opened its end
      writer << kMatrix << std::flush;
      // hapmat creates its temporary file before it reads; wait for it.
      bool started = false;
      for (int i = 0; i < 500 && !(started = holdsFileIn(pid, dir.path()));
           ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
      }
      ASSERT_TRUE(started);
      ::kill(pid, signal);
      int status = 0;
      ::waitpid(pid, &status, 0);
      const int code =
          WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      EXPECT_EQ(code, 128 + signal) << output;
      EXPECT_EQ(test::listDir(dir.path()), std::vector<std::string>{"in.fifo"})
          << output << " after signal " << signal;
    }
  }
}

// A full disk: exit 1 with a message, from either engine or to stdout.
TEST(Cli, AWriteErrorIsAnIoError) {
  TempDir dir;
  simulateMatrix(dir, "200000", "0.5");
  for (std::vector<std::string> args :
       {std::vector<std::string>{"convert", "-q", "m.txt", "-o", "/dev/full"},
        {"convert", "-q", "m.txt", "--engine", "reference", "-o",
         "/dev/full"}}) {
    RunResult result = runHapmat(args, dir.path());
    EXPECT_EQ(result.exitCode, 1);
    EXPECT_EQ(result.err,
              "hapmat: cannot write '/dev/full': No space left on device\n");
  }
  RunResult toStdout = runHapmat({"convert", "-q", "m.txt"}, dir.path(),
                                 "/dev/null", "/dev/full");
  EXPECT_EQ(toStdout.exitCode, 1);
  EXPECT_EQ(toStdout.err,
            "hapmat: cannot write 'standard output': No space left on "
            "device\n");
}

// A FIFO output whose reader goes away is a write error, not a silent end:
// only standard output may end quietly on a closed pipe (| head).
TEST(Cli, AClosedFifoOutputIsAnIoError) {
  TempDir dir;
  simulateMatrix(dir, "200000", "0.5");
  std::string fifo = dir.file("out.fifo");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  std::thread reader([&fifo] {
    int fd = ::open(fifo.c_str(), O_RDONLY);
    char buffer[100];
    (void)!::read(fd, buffer, sizeof buffer);
    ::close(fd);
  });
  RunResult result =
      runHapmat({"convert", "-q", "m.txt", "-o", "out.fifo"}, dir.path());
  reader.join();
  EXPECT_EQ(result.exitCode, 1);
  EXPECT_EQ(result.err, "hapmat: cannot write 'out.fifo': Broken pipe\n");
}

// An output ending in .gz is BGZF (gzip-compatible) in every format; the
// index is VCF's and needs a .gz file.
TEST(Cli, CompressedOutputAndItsIndex) {
  TempDir dir;
  test::writeFile(dir.file("m.txt"), kMatrix);
  RunResult table =
      runHapmat({"convert", "-q", "m.txt", "-o", "out.txt.gz"}, dir.path());
  ASSERT_EQ(table.exitCode, 0) << table.err;
  EXPECT_TRUE(readFile(dir.file("out.txt.gz")).starts_with("\x1f\x8b\x08\x04"));
  RunResult unpacked =
      runHapmat({"convert", "-q", "out.txt.gz"}, dir.path());  // not a matrix
  EXPECT_EQ(unpacked.exitCode, 1);
  EXPECT_TRUE(
      unpacked.err.starts_with("hapmat: out.txt.gz:1:1: expected a "
                               "header line"))
      << unpacked.err;
  for (const char* name : {"out.vcf.bgz", "OUT.TXT.GZ", "out.Bgz"}) {
    RunResult other =
        runHapmat({"convert", "-q", "m.txt", "-o", name}, dir.path());
    ASSERT_EQ(other.exitCode, 0) << other.err;
    EXPECT_EQ(readFile(dir.file(name)), readFile(dir.file("out.txt.gz")))
        << name;
    fs::remove(dir.file(name));
  }
  RunResult vcf = runHapmat({"convert", "-q", "--format", "vcf", "m.txt", "-o",
                             "out.vcf.gz", "--index"},
                            dir.path());
  ASSERT_EQ(vcf.exitCode, 0) << vcf.err;
  EXPECT_TRUE(fs::file_size(dir.file("out.vcf.gz.tbi")) > 0);
  RunResult bgz = runHapmat({"convert", "-q", "--format", "vcf", "m.txt", "-o",
                             "out.vcf.bgz", "--index"},
                            dir.path());
  ASSERT_EQ(bgz.exitCode, 0) << bgz.err;
  EXPECT_EQ(readFile(dir.file("out.vcf.bgz")),
            readFile(dir.file("out.vcf.gz")));
  EXPECT_EQ(readFile(dir.file("out.vcf.bgz.tbi")).empty(), false);
  for (std::vector<std::string> args :
       {std::vector<std::string>{"convert", "m.txt", "-o", "x.txt.gz",
                                 "--index"},
        {"convert", "--format", "vcf", "m.txt", "-o", "x.vcf", "--index"},
        {"convert", "--format", "vcf", "m.txt", "--index"}}) {
    RunResult misuse = runHapmat(args, dir.path());
    EXPECT_EQ(misuse.exitCode, 2);
    EXPECT_NE(misuse.err.find("--index needs --format vcf and an output file "
                              "ending in .gz or .bgz"),
              std::string::npos)
        << misuse.err;
  }
  EXPECT_EQ(test::listDir(dir.path()),
            (std::vector<std::string>{"m.txt", "out.txt.gz", "out.vcf.bgz",
                                      "out.vcf.bgz.tbi", "out.vcf.gz",
                                      "out.vcf.gz.tbi"}));
}

// --index picks tabix while every row fits it, CSI past 2^29, as asked
// otherwise; an index of the other kind left from before goes; a row the
// index cannot take stops the run at its line and leaves nothing behind.
TEST(Cli, VcfIndexKindsAndOrder) {
  TempDir dir;
  const std::string header = "CHROM POS REF 1a 1b\n";
  test::writeFile(dir.file("small.txt"), header + "1 5 A A C\n2 7 G T G\n");
  test::writeFile(dir.file("big.txt"),
                  header + "1 5 A A C\n1 536870913 G T G\n");
  test::writeFile(dir.file("unsorted.txt"),
                  header + "1 5 A A C\n1 9 A A C\n1 7 G T G\n");
  auto convert = [&](const std::string& input, std::vector<std::string> extra) {
    std::vector<std::string> args = {"convert", "-q", "--format",  "vcf",
                                     input,     "-o", "out.vcf.gz"};
    args.insert(args.end(), extra.begin(), extra.end());
    return runHapmat(args, dir.path());
  };
  auto files = [&] { return test::listDir(dir.path()); };
  const std::vector<std::string> inputs = {"big.txt", "small.txt",
                                           "unsorted.txt"};
  auto plus = [&](std::vector<std::string> more) {
    std::vector<std::string> all = inputs;
    all.insert(all.end(), more.begin(), more.end());
    std::sort(all.begin(), all.end());
    return all;
  };

  ASSERT_EQ(convert("small.txt", {"--index"}).exitCode, 0);
  EXPECT_EQ(files(), plus({"out.vcf.gz", "out.vcf.gz.tbi"}));
  ASSERT_EQ(convert("big.txt", {"--index"}).exitCode, 0);
  EXPECT_EQ(files(), plus({"out.vcf.gz", "out.vcf.gz.csi"}));
  ASSERT_EQ(convert("small.txt", {"--index", "CSI"}).exitCode, 0);
  EXPECT_EQ(files(), plus({"out.vcf.gz", "out.vcf.gz.csi"}));
  ASSERT_EQ(convert("small.txt", {"--index=tbi"}).exitCode, 0);
  EXPECT_EQ(files(), plus({"out.vcf.gz", "out.vcf.gz.tbi"}));
  fs::remove(dir.file("out.vcf.gz"));
  fs::remove(dir.file("out.vcf.gz.tbi"));

  RunResult tbi = convert("big.txt", {"--index", "tbi"});
  EXPECT_EQ(tbi.exitCode, 1);
  EXPECT_EQ(tbi.err,
            "hapmat: big.txt:3:3: the row at 1:536870913 ends at 536870913, "
            "past what a tabix index holds (2^29): use --index csi\n");
  RunResult unsorted = convert("unsorted.txt", {"--index"});
  EXPECT_EQ(unsorted.exitCode, 1);
  EXPECT_EQ(unsorted.err,
            "hapmat: unsorted.txt:4:3: POS 7 comes after 1:9 (line 3): an "
            "index needs each CHROM's rows sorted by POS (sort the matrix, or "
            "leave out --index)\n");
  EXPECT_EQ(files(), inputs);
  // Without an index the order is the input's business.
  EXPECT_EQ(convert("unsorted.txt", {}).exitCode, 0);
}

// An index left beside a file that a run without --index rewrites would
// answer `bcftools view -r` with the old file's offsets: it goes, for
// convert and concat alike. A failed run leaves both as they were.
TEST(Cli, ARewrittenOutputLosesItsOldIndex) {
  TempDir dir;
  test::writeFile(dir.file("m.txt"), "CHROM POS REF 1a 1b\n1 5 A A C\n");
  test::writeFile(dir.file("bad.txt"), "CHROM POS REF 1a 1b\n1 x A A C\n");
  auto convert = [&](const std::string& input, std::vector<std::string> extra) {
    std::vector<std::string> args = {"convert", "-q", "--format",  "vcf",
                                     input,     "-o", "out.vcf.gz"};
    args.insert(args.end(), extra.begin(), extra.end());
    return runHapmat(args, dir.path());
  };
  const std::vector<std::string> inputs = {"bad.txt", "m.txt"};
  for (const char* index : {"--index=tbi", "--index=csi"}) {
    ASSERT_EQ(convert("m.txt", {index}).exitCode, 0);
    const std::string indexName =
        std::string("out.vcf.gz.") + (index + std::strlen("--index="));
    const std::string indexBytes = readFile(dir.file(indexName));
    EXPECT_EQ(convert("bad.txt", {}).exitCode, 1);
    EXPECT_EQ(readFile(dir.file(indexName)), indexBytes);
    ASSERT_EQ(convert("m.txt", {}).exitCode, 0);
    EXPECT_EQ(test::listDir(dir.path()),
              (std::vector<std::string>{"bad.txt", "m.txt", "out.vcf.gz"}));
  }
  ASSERT_EQ(convert("m.txt", {"--part", "1/1"}).exitCode, 0);
  RunResult joined = runHapmat(
      {"concat", "-q", "out.vcf.gz", "-o", "j.vcf.gz", "--index"}, dir.path());
  ASSERT_EQ(joined.exitCode, 0) << joined.err;
  ASSERT_TRUE(fs::exists(dir.file("j.vcf.gz.tbi")));
  joined =
      runHapmat({"concat", "-q", "out.vcf.gz", "-o", "j.vcf.gz"}, dir.path());
  ASSERT_EQ(joined.exitCode, 0) << joined.err;
  EXPECT_EQ(test::listDir(dir.path()),
            (std::vector<std::string>{"bad.txt", "j.vcf.gz", "m.txt",
                                      "out.vcf.gz", "out.vcf.gz.hapmat-part"}));
}

// When htslib cannot write an index, the message says why: a row past
// what tabix holds, or a full disk (a tmpfs with one page left: the VCF
// fits, its index does not), never "are its rows sorted?".
TEST(Cli, IndexFailuresSayWhy) {
  TempDir dir;
  test::writeFile(dir.file("big.txt"),
                  "CHROM POS REF 1a 1b\n1 5 A A C\n1 536870913 G T G\n");
  ASSERT_EQ(runHapmat({"convert", "-q", "--format", "vcf", "big.txt", "-o",
                       "big.vcf.gz", "--part", "1/1"},
                      dir.path())
                .exitCode,
            0);
  RunResult tbi =
      runHapmat({"concat", "-q", "big.vcf.gz", "--index=tbi", "-o", "j.vcf.gz"},
                dir.path());
  EXPECT_EQ(tbi.exitCode, 1);
  EXPECT_EQ(tbi.err,
            "hapmat: cannot index (tabix) 'j.vcf.gz': a row ends past what a "
            "tabix index holds (2^29): use --index csi\n");

  const std::string disk = dir.file("disk");
  fs::create_directory(disk);
  if (::mount("tmpfs", disk.c_str(), "tmpfs", 0, "size=64k") != 0) {
    GTEST_SKIP() << "cannot mount a tmpfs (not root?): " << strerror(errno);
  }
  struct Unmount {
    std::string path;
    ~Unmount() { ::umount(path.c_str()); }
  } unmount{disk};
  int fill = ::open((disk + "/fill").c_str(), O_CREAT | O_WRONLY, 0600);
  ASSERT_EQ(::posix_fallocate(fill, 0, 60 << 10), 0);
  ::close(fill);
  const std::string leaks =
      "LSAN_OPTIONS=suppressions=" +
      (fs::path(HAPMAT_TEST_DATA) / "lsan_htslib.supp").string() +
      ":print_suppressions=0";
  RunResult full = runHapmat({"convert", "-q", "--format", "vcf", "big.txt",
                              "-o", "disk/x.vcf.gz", "--index"},
                             dir.path(), "/dev/null", "", {leaks});
  EXPECT_EQ(full.exitCode, 1);
  EXPECT_EQ(full.err,
            "hapmat: cannot write the index (CSI) of 'disk/x.vcf.gz': No "
            "space left on device\n");
  EXPECT_EQ(test::listDir(disk), std::vector<std::string>{"fill"});
}

// A VCF's ##contig lines come first but are the rows' CHROMs: read from a
// pipe and written to one, the rows wait in a spool until the input ends.
TEST(Cli, VcfBetweenPipesListsEveryContig) {
  TempDir dir;
  test::writeFile(dir.file("m.txt"),
                  "CHROM POS REF 1a 1b\n2 5 A A C\n1 7 G G G\n3 1 A A A\n");
  RunResult piped = runHapmat({"convert", "-q", "--format", "vcf", "-"},
                              dir.path(), dir.file("m.txt"));
  ASSERT_EQ(piped.exitCode, 0) << piped.err;
  EXPECT_NE(piped.out.find("##contig=<ID=2>\n##contig=<ID=1>\n"
                           "##contig=<ID=3>\n##INFO"),
            std::string::npos)
      << piped.out;
  RunResult toFile =
      runHapmat({"convert", "-q", "--format", "vcf", "m.txt", "-o", "out.vcf"},
                dir.path());
  ASSERT_EQ(toFile.exitCode, 0) << toFile.err;
  EXPECT_EQ(piped.out, readFile(dir.file("out.vcf")));
}

// A VCF from a file to standard output or a FIFO, without --fai: the
// contigs are read from the input first, so nothing is spooled: with
// TMPDIR naming a missing folder it still writes exactly what a run into
// a regular file writes, for plain, gzip and BGZF input, CHROMs coming back
// and a CHROM that only a skipped row holds. Only a piped input spools.
TEST(Cli, VcfFromAFileToAStreamWritesNoTemporaryFile) {
  TempDir dir;
  const std::string text =
      "CHROM POS REF 1a 1b\n2 5 A A C\n1 7 G G G\n\nbad 1 A\n3 1 A A A\n"
      "2 9 A C C\n4 3 A C A\n";
  test::writeFile(dir.file("m.txt"), text);
  test::writeFile(dir.file("m.gz"), test::gzipMember(text));
  test::writeFile(dir.file("m.bgz"), test::bgzf(text, 20));
  const std::vector<std::string> vcf = {"convert", "-q", "--format", "vcf",
                                        "--skip-bad-rows"};
  auto args = [&](std::vector<std::string> more) {
    std::vector<std::string> all = vcf;
    all.insert(all.end(), more.begin(), more.end());
    return all;
  };
  ASSERT_EQ(runHapmat(args({"m.txt", "-o", "file.vcf"}), dir.path()).exitCode,
            0);
  const std::string expected = readFile(dir.file("file.vcf"));
  ASSERT_NE(expected.find("##contig=<ID=2>\n##contig=<ID=1>\n"
                          "##contig=<ID=3>\n##contig=<ID=4>\n##INFO"),
            std::string::npos)
      << expected;

  const std::string missing = dir.file("no-such-folder");
  const std::vector<std::string> env = {"TMPDIR=" + missing};
  const std::string fifo = dir.file("out.fifo");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  for (const char* input : {"m.txt", "m.gz", "m.bgz"}) {
    RunResult toStdout =
        runHapmat(args({input}), dir.path(), "/dev/null", "", env);
    EXPECT_EQ(toStdout.exitCode, 0) << input << ": " << toStdout.err;
    EXPECT_EQ(toStdout.out, expected) << input;
    std::string received;
    std::thread reader([&] { received = readFile(fifo); });
    RunResult toFifo = runHapmat(args({input, "-o", "out.fifo"}), dir.path(),
                                 "/dev/null", "", env);
    reader.join();
    EXPECT_EQ(toFifo.exitCode, 0) << input << ": " << toFifo.err;
    EXPECT_EQ(received, expected) << input;
  }
  EXPECT_FALSE(fs::exists(missing));
  RunResult piped =
      runHapmat(args({"-"}), dir.path(), dir.file("m.txt"), "", env);
  EXPECT_EQ(piped.exitCode, 1);
  EXPECT_EQ(piped.err, "hapmat: cannot create a spool file in '" + missing +
                           "': No such file or directory\n");
}

// Progress lines of a log: "hapmat: ..." progress lines, those of stderr
// that say how much is converted.
std::vector<std::string> progressLines(const std::string& err) {
  std::vector<std::string> lines;
  std::istringstream in(err);
  for (std::string line; std::getline(in, line);) {
    if (line.find(" converted") != std::string::npos) lines.push_back(line);
  }
  return lines;
}

// Into a file or pipe, --progress writes plain lines (no carriage return,
// no escape sequence), the first at once and then at most one every 5
// seconds: a run of a thousand blocks gets one line a second or less. Without
// --progress, or with -q, none.
TEST(Cli, ProgressIntoAFileIsPlainLinesNowAndThen) {
  TempDir dir;
  simulateMatrix(dir, "40000", "0.5");
  for (const char* engine : {"simd", "reference"}) {
    auto start = std::chrono::steady_clock::now();
    RunResult asked =
        runHapmat({"convert", "--progress", "--engine", engine, "--block-size",
                   "4K", "m.txt", "-o", "out.txt"},
                  dir.path());
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
            .count();
    EXPECT_EQ(asked.exitCode, 0) << asked.err;
    EXPECT_EQ(asked.err.find('\r'), std::string::npos) << asked.err;
    EXPECT_EQ(asked.err.find('\033'), std::string::npos) << asked.err;
    std::vector<std::string> lines = progressLines(asked.err);
    ASSERT_GE(lines.size(), 1u) << asked.err;
    EXPECT_LE(lines.size(), 1 + static_cast<std::size_t>(seconds / 5))
        << asked.err;
    EXPECT_TRUE(lines[0].starts_with("hapmat: ")) << lines[0];
    EXPECT_NE(lines[0].find("% of "), std::string::npos) << lines[0];
    EXPECT_NE(asked.err.find("\nhapmat: 40000 rows read, "), std::string::npos)
        << asked.err;
  }
  RunResult plain =
      runHapmat({"convert", "m.txt", "-o", "out.txt"}, dir.path());
  EXPECT_TRUE(plain.err.starts_with("hapmat: 40000 rows read, ")) << plain.err;
  RunResult quiet = runHapmat(
      {"convert", "--progress", "-q", "m.txt", "-o", "out.txt"}, dir.path());
  EXPECT_EQ(quiet.err, "");
}

// A run of kMatrix that drew the bar, redrawn in place, and erased it
// before the summary.
void expectBarThenSummary(const RunResult& run) {
  EXPECT_EQ(run.exitCode, 0) << run.err;
  EXPECT_TRUE(run.err.starts_with("\rhapmat: 100% of 64 B, ")) << run.err;
  EXPECT_NE(run.err.find("\033[K\r\033[Khapmat: 2 rows read, "),
            std::string::npos)
      << run.err;
}

// On a terminal that standard output does not write to, a bar is redrawn
// in place and erased before the summary; with -q, nothing.
TEST(Cli, ProgressBarOnATerminal) {
  TempDir dir;
  test::writeFile(dir.file("m.txt"), kMatrix);
  expectBarThenSummary(
      test::runHapmatOnTerminal({"convert", "m.txt"}, dir.path(),
                                test::StdoutTo::kFile, dir.file("out.txt")));
  EXPECT_EQ(readFile(dir.file("out.txt")), kConverted);
  RunResult quiet =
      test::runHapmatOnTerminal({"convert", "-q", "m.txt"}, dir.path(),
                                test::StdoutTo::kFile, dir.file("out.txt"));
  EXPECT_EQ(quiet.exitCode, 0);
  EXPECT_EQ(quiet.err, "");
}

// When the rows go to the same terminal, progress would land among them:
// none is shown, even with --progress; the rows and the summary are.
TEST(Cli, NoProgressOnTheTerminalThatShowsTheRows) {
  TempDir dir;
  test::writeFile(dir.file("m.txt"), kMatrix);
  for (bool asked : {false, true}) {
    std::vector<std::string> args = {"convert", "m.txt"};
    if (asked) args.push_back("--progress");
    RunResult shared = test::runHapmatOnTerminal(args, dir.path(),
                                                 test::StdoutTo::kTheTerminal);
    EXPECT_EQ(shared.exitCode, 0) << shared.err;
    // The terminal ends lines with CR LF.
    EXPECT_TRUE(shared.err.starts_with(
        "contig pos ref alt 1a1b_PI 1a1b_PG_al 2a2b_PI 2a2b_PG_al\r\n"
        "2 17 A G,- 2 A|G 2 A|A\r\nhapmat: 2 rows read, "))
        << shared.err;
    EXPECT_EQ(shared.err.find('\033'), std::string::npos) << shared.err;
    EXPECT_EQ(shared.err.find(" converted"), std::string::npos) << shared.err;
  }
  // -o naming that terminal (here as /dev/stderr) is the same.
  RunResult named =
      test::runHapmatOnTerminal({"convert", "m.txt", "-o", "/dev/stderr"},
                                dir.path(), test::StdoutTo::kFile);
  EXPECT_EQ(named.exitCode, 0) << named.err;
  EXPECT_TRUE(named.err.starts_with("contig pos ref alt ")) << named.err;
  EXPECT_EQ(named.err.find('\033'), std::string::npos) << named.err;
}

// Standard output on the terminal does not matter when the rows go to a
// file (-o): the bar shows there.
TEST(Cli, ProgressBarOnTheTerminalWhenTheRowsGoToAFile) {
  TempDir dir;
  test::writeFile(dir.file("m.txt"), kMatrix);
  expectBarThenSummary(
      test::runHapmatOnTerminal({"convert", "m.txt", "-o", "out.txt"},
                                dir.path(), test::StdoutTo::kTheTerminal));
  EXPECT_EQ(readFile(dir.file("out.txt")), kConverted);
}

// Rows into a pipe may be shown on the same terminal by a pager (| less),
// which a bar would be drawn over: none unless --progress asks for it.
TEST(Cli, NoProgressBarIntoAPipeUnlessAsked) {
  TempDir dir;
  test::writeFile(dir.file("m.txt"), kMatrix);
  RunResult piped = test::runHapmatOnTerminal({"convert", "m.txt"}, dir.path(),
                                              test::StdoutTo::kPipe);
  EXPECT_EQ(piped.exitCode, 0) << piped.err;
  EXPECT_EQ(piped.out, kConverted);
  EXPECT_TRUE(piped.err.starts_with("hapmat: 2 rows read, ")) << piped.err;
  EXPECT_EQ(piped.err.find('\033'), std::string::npos) << piped.err;
  RunResult asked = test::runHapmatOnTerminal(
      {"convert", "--progress", "m.txt"}, dir.path(), test::StdoutTo::kPipe);
  expectBarThenSummary(asked);
  EXPECT_EQ(asked.out, kConverted);
}

// Limits: 100,000 haplotype columns convert; a line of --max-line-bytes
// converts and one a byte longer is an error; POS beyond 2^63 is an
// error. Memory stays bounded by blocks and the line limit, not the input
// (unchecked under AddressSanitizer, whose quarantine keeps freed memory).
TEST(Cli, WideRowsLongLinesAndHugePositionsStayBounded) {
  TempDir dir;
  auto wideRun = [&dir](const char* rows) {
    RunResult made = runHapmat(
        {"simulate", "--chroms", "1", "--length", rows, "--haplotypes",
         "100000", "--snp-rate", "0.5", "--header-line", "-o", "wide.txt"},
        dir.path());
    EXPECT_EQ(made.exitCode, 0) << made.err;
    return runHapmat({"convert", "-q", "-t", "2", "wide.txt", "-o", "simd.txt"},
                     dir.path());
  };
  RunResult simd = wideRun("300");
  RunResult reference = runHapmat({"convert", "-q", "--engine", "reference",
                                   "wide.txt", "-o", "reference.txt"},
                                  dir.path());
  ASSERT_EQ(simd.exitCode, 0) << simd.err;
  ASSERT_EQ(reference.exitCode, 0) << reference.err;
  {
    std::string converted = readFile(dir.file("simd.txt"));
    EXPECT_EQ(converted, readFile(dir.file("reference.txt")));
    EXPECT_NE(converted.find(" 9a9b_PG_al\n"), std::string::npos);
  }
#if !defined(__SANITIZE_ADDRESS__)
  // A forked child's peak RSS starts at this process's RSS: these outputs,
  // read above, must not count as the runs' memory below.
  ::malloc_trim(0);
  // Three times the rows (~180 MB) in a third of that memory: blocks of a
  // few rows, never the input.
  RunResult longer = wideRun("900");
  ASSERT_EQ(longer.exitCode, 0) << longer.err;
  EXPECT_LT(longer.peakRssKiB, 64 * 1024);
#endif

  std::string longLine = "CHROM POS REF 1a 1b\n1 1 A " +
                         std::string(3u << 20, 'C') + " G\n2 2 A C G\n";
  test::writeFile(dir.file("long.txt"), longLine);
  for (const char* limit : {"4M", "3M"}) {
    RunResult result = runHapmat({"convert", "-q", "-t", "2", "long.txt",
                                  "--max-line-bytes", limit, "-o", "l.txt"},
                                 dir.path());
    if (std::string(limit) == "4M") {
      EXPECT_EQ(result.exitCode, 0) << result.err;
#if !defined(__SANITIZE_ADDRESS__)
      // Up to 2 x threads buffers of the line, and their output.
      EXPECT_LT(result.peakRssKiB, 64 * 1024);
#endif
    } else {
      EXPECT_EQ(result.exitCode, 1);
      EXPECT_EQ(result.err,
                "hapmat: long.txt:2:1: line longer than 3145728 bytes (raise "
                "--max-line-bytes)\n");
    }
  }

  // The limit is inclusive: 4K takes a line of 4096 bytes and its newline.
  for (std::size_t length : {4096, 4097}) {
    test::writeFile(dir.file("edge.txt"), "CHROM POS REF 1a 1b\n1 1 A " +
                                              std::string(length - 8, 'C') +
                                              " G\n2 2 A C G\n");
    RunResult edge =
        runHapmat({"convert", "-q", "--block-size", "4K", "--max-line-bytes",
                   "4K", "edge.txt", "-o", "edge.out"},
                  dir.path());
    if (length == 4096) {
      EXPECT_EQ(edge.exitCode, 0) << edge.err;
    } else {
      EXPECT_EQ(edge.exitCode, 1);
      EXPECT_EQ(edge.err,
                "hapmat: edge.txt:2:1: line longer than 4096 bytes (raise "
                "--max-line-bytes)\n");
    }
  }

  test::writeFile(dir.file("pos.txt"),
                  "CHROM POS REF 1a 1b\n1 9223372036854775807 A C G\n"
                  "1 9223372036854775808 A C G\n");
  RunResult pos = runHapmat({"convert", "-q", "pos.txt"}, dir.path());
  EXPECT_EQ(pos.exitCode, 1);
  EXPECT_TRUE(pos.err.starts_with("hapmat: pos.txt:3:3: ")) << pos.err;
}

// Every option of the simulator yields a matrix the converter accepts.
TEST(Cli, SimulatedMatricesConvert) {
  test::TempDir dir;
  RunResult made = runHapmat(
      {"simulate", "--chroms", "2", "--length", "3000", "--header-line",
       "--crlf", "--delimiter", "tab", "--multibase-rate", "0.2",
       "--lowercase-rate", "0.3", "--haplotypes", "9", "-o", "m.txt"},
      dir.path());
  ASSERT_EQ(made.exitCode, 0) << made.err;
  RunResult converted =
      runHapmat({"convert", "m.txt", "-o", "out.txt"}, dir.path());
  ASSERT_EQ(converted.exitCode, 0) << converted.err;
  EXPECT_TRUE(converted.err.starts_with("hapmat: 6000 rows read, "))
      << converted.err;
  std::string out = readFile(dir.file("out.txt"));
  EXPECT_TRUE(out.starts_with("contig pos ref alt 1a1b_PI 1a1b_PG_al "));
  EXPECT_GT(std::count(out.begin(), out.end(), '\n'), 100);
}

// -o naming the input, however it is spelled (another path, a hard or a
// symbolic link), or a side file the run reads, is refused before anything
// is written: the file is untouched and nothing is left behind.
TEST(Cli, AnOutputThatIsAnInputIsAUsageError) {
  TempDir dir;
  test::writeFile(dir.file("m.txt"), kMatrix);
  const std::string header = "CHROM POS REF 1a 1b 2a 2b MA1\n";
  test::writeFile(dir.file("h.txt"), header);
  fs::create_hard_link(dir.file("m.txt"), dir.file("hard.txt"));
  fs::create_symlink("m.txt", dir.file("link.txt"));
  for (const std::string& output :
       {std::string("m.txt"), std::string("./m.txt"), dir.file("m.txt"),
        std::string("hard.txt"), std::string("link.txt")}) {
    RunResult result =
        runHapmat({"convert", "m.txt", "-o", output}, dir.path());
    EXPECT_EQ(result.exitCode, 2) << output;
    EXPECT_EQ(result.err, "hapmat: -o '" + output +
                              "' is the input 'm.txt' itself, which the "
                              "output would replace; choose another output "
                              "file\n");
  }
  RunResult side = runHapmat(
      {"convert", "--header", "h.txt", "m.txt", "-o", "h.txt"}, dir.path());
  EXPECT_EQ(side.exitCode, 2);
  EXPECT_TRUE(side.err.starts_with(
      "hapmat: -o 'h.txt' is the --header file 'h.txt' itself"))
      << side.err;
  // -R's and -S's files too, ^ or not.
  test::writeFile(dir.file("r.txt"), "2\t17\n");
  test::writeFile(dir.file("s.txt"), "1\n");
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"-R", "r.txt", "-o", "r.txt"},
        std::vector<std::string>{"-S", "^s.txt", "-o", "s.txt"}}) {
    std::vector<std::string> all = {"convert", "m.txt"};
    all.insert(all.end(), args.begin(), args.end());
    RunResult selection = runHapmat(all, dir.path());
    EXPECT_EQ(selection.exitCode, 2);
    EXPECT_TRUE(
        selection.err.starts_with("hapmat: -o '" + args[3] + "' is the --"))
        << selection.err;
  }
  EXPECT_EQ(readFile(dir.file("r.txt")), "2\t17\n");
  EXPECT_EQ(readFile(dir.file("s.txt")), "1\n");
  fs::remove(dir.file("r.txt"));
  fs::remove(dir.file("s.txt"));
  EXPECT_EQ(readFile(dir.file("m.txt")), kMatrix);
  EXPECT_EQ(readFile(dir.file("h.txt")), header);
  EXPECT_TRUE(fs::is_symlink(dir.file("link.txt")));
  EXPECT_EQ(
      test::listDir(dir.path()),
      (std::vector<std::string>{"h.txt", "hard.txt", "link.txt", "m.txt"}));
}

// -o naming a symbolic link writes the file it points to (relative to the
// link's folder, through a chain of links, or not there yet) and keeps the
// link.
TEST(Cli, AnOutputLinkIsFollowedAndKept) {
  TempDir dir;
  test::writeFile(dir.file("m.txt"), kMatrix);
  fs::create_directory(dir.file("sub"));
  fs::create_symlink("sub/target.txt", dir.file("link.txt"));
  fs::create_symlink("link.txt", dir.file("chain.txt"));
  fs::create_symlink("new.txt", dir.file("sub/dangling.txt"));
  for (const char* output : {"link.txt", "chain.txt"}) {
    test::writeFile(dir.file("sub/target.txt"), "old\n");
    RunResult result =
        runHapmat({"convert", "-q", "m.txt", "-o", output}, dir.path());
    EXPECT_EQ(result.exitCode, 0) << result.err;
    EXPECT_EQ(readFile(dir.file("sub/target.txt")), kConverted) << output;
  }
  RunResult dangling = runHapmat(
      {"convert", "-q", "m.txt", "-o", "sub/dangling.txt"}, dir.path());
  EXPECT_EQ(dangling.exitCode, 0) << dangling.err;
  EXPECT_EQ(readFile(dir.file("sub/new.txt")), kConverted);
  EXPECT_EQ(fs::read_symlink(dir.file("link.txt")), "sub/target.txt");
  EXPECT_EQ(fs::read_symlink(dir.file("chain.txt")), "link.txt");
  EXPECT_EQ(fs::read_symlink(dir.file("sub/dangling.txt")), "new.txt");
  EXPECT_EQ(
      test::listDir(dir.path()),
      (std::vector<std::string>{"chain.txt", "link.txt", "m.txt", "sub"}));
  EXPECT_EQ(
      test::listDir(dir.file("sub")),
      (std::vector<std::string>{"dangling.txt", "new.txt", "target.txt"}));
}

// An output file that exists keeps its permissions when it is replaced.
TEST(Cli, ReplacingAFileKeepsItsPermissions) {
  TempDir dir;
  test::writeFile(dir.file("m.txt"), kMatrix);
  for (fs::perms mode : {fs::perms(0444), fs::perms(0640), fs::perms(0755)}) {
    for (const char* output : {"out.txt", "out.txt.gz"}) {
      fs::remove(dir.file(output));
      test::writeFile(dir.file(output), "old\n");
      fs::permissions(dir.file(output), mode);
      RunResult result =
          runHapmat({"convert", "-q", "m.txt", "-o", output}, dir.path());
      EXPECT_EQ(result.exitCode, 0) << result.err;
      EXPECT_NE(readFile(dir.file(output)), "old\n");
      EXPECT_EQ(fs::status(dir.file(output)).permissions(), mode)
          << output << " " << static_cast<int>(mode);
    }
  }
}

// A BGZF input without its end-of-file block converts with a warning that
// names it, after the summary's rows, and even with -q; with the block,
// there is no warning.
TEST(Cli, BgzfWithoutItsEndOfFileBlockWarns) {
  TempDir dir;
  std::string blocks = test::bgzf(kMatrix, 20);
  test::writeFile(dir.file("whole.bgz"), blocks);
  blocks.resize(blocks.size() - test::kBgzfEof.size());
  test::writeFile(dir.file("cut.bgz"), blocks);
  const std::string warning =
      "hapmat: warning: cut.bgz: no BGZF end-of-file block: the input may "
      "be truncated\n";
  for (const char* engine : {"simd", "reference"}) {
    RunResult quiet = runHapmat(
        {"convert", "-q", "--engine", engine, "cut.bgz", "-o", "out.txt"},
        dir.path());
    EXPECT_EQ(quiet.exitCode, 0) << quiet.err;
    EXPECT_EQ(quiet.err, warning);
    EXPECT_EQ(readFile(dir.file("out.txt")), kConverted);
    RunResult loud =
        runHapmat({"convert", "--engine", engine, "cut.bgz", "-o", "out.txt"},
                  dir.path());
    EXPECT_TRUE(loud.err.starts_with(warning + "hapmat: 2 rows read, "))
        << loud.err;
    RunResult whole = runHapmat(
        {"convert", "-q", "--engine", engine, "whole.bgz"}, dir.path());
    EXPECT_EQ(whole.err, "");
    EXPECT_EQ(whole.out, kConverted);
  }
}

// A damaged gzip or BGZF file is named at the first line its checks do
// not vouch for, whatever the block size: a gzip member's text is checked
// at the member's end (CRC-32 and length), a BGZF block's before its text
// is used. Real flipped bits: in a gzip trailer (every line intact), in the
// middle of a gzip member (a bad row, or text that only looks right), in
// the middle of a BGZF file.
TEST(Cli, ADamagedStreamIsNamedAtTheSameLineForEveryBlockSize) {
  TempDir dir;
  simulateMatrix(dir, "9000", "0.5");
  const std::string text = readFile(dir.file("m.txt"));
  // Members end at line 4000, column 7, and after the last line.
  std::size_t cut = 0;
  for (int line = 1; line < 4000; ++line) cut = text.find('\n', cut) + 1;
  cut += 6;
  const std::string first = test::gzipMember(text.substr(0, cut));
  // A stored member's bytes are its text's: a flip changes the text.
  std::string trailer = test::gzipMember(text.substr(cut));
  std::string middle = test::storedGzipMember(text.substr(cut));
  trailer[trailer.size() - 6] ^= 0x01;  // the CRC-32
  middle[middle.size() / 2] ^= 0x10;
  std::string single = test::storedGzipMember(text);
  single[single.size() / 2] ^= 0x10;
  // BGZF blocks of 4000 bytes of text; the CRC-32 of the middle one flipped.
  std::string bgzf;
  const std::size_t blocks = (text.size() + 3999) / 4000;
  std::size_t blockAt = 0;
  for (std::size_t i = 0; i < blocks; ++i) {
    std::string block = test::bgzfBlock(text.substr(i * 4000, 4000));
    if (i == blocks / 2) {
      blockAt = bgzf.size();
      block[block.size() - 8] ^= 0x04;
    }
    bgzf += block;
  }
  bgzf += test::kBgzfEof;
  test::writeFile(dir.file("trailer.gz"), first + trailer);
  test::writeFile(dir.file("middle.gz"), first + middle);
  test::writeFile(dir.file("single.gz"), single);
  test::writeFile(dir.file("m.bgz"), bgzf);
  auto secondMember = [&](const std::string& member) {
    return ":4000:7: gzip CRC-32 mismatch (compressed byte " +
           std::to_string(first.size() + member.size() - 8) + ")\n";
  };
  // The damaged block's text starts in the line that holds its first byte.
  const std::string before = text.substr(0, blocks / 2 * 4000);
  const std::size_t lineStart = before.rfind('\n') + 1;
  const std::pair<std::string, std::string> cases[] = {
      {"trailer.gz", "hapmat: trailer.gz" + secondMember(trailer)},
      {"middle.gz", "hapmat: middle.gz" + secondMember(middle)},
      {"single.gz",
       "hapmat: single.gz:1:1: gzip CRC-32 mismatch (compressed "
       "byte " +
           std::to_string(single.size() - 8) + ")\n"},
      {"m.bgz",
       "hapmat: m.bgz:" +
           std::to_string(std::count(before.begin(), before.end(), '\n') + 1) +
           ":" + std::to_string(before.size() - lineStart + 1) +
           ": BGZF block CRC-32 mismatch (compressed byte " +
           std::to_string(blockAt) + ")\n"},
  };
  for (const auto& [input, error] : cases) {
    for (const char* engine : {"simd", "reference"}) {
      for (const char* blockSize : {"4K", "16K", "64K", "1M"}) {
        RunResult result =
            runHapmat({"convert", "--engine", engine, "--block-size", blockSize,
                       input, "-o", "out.txt"},
                      dir.path());
        EXPECT_EQ(result.exitCode, 1);
        EXPECT_EQ(result.err, error)
            << input << " " << engine << " " << blockSize;
      }
    }
  }
  EXPECT_FALSE(std::filesystem::exists(dir.file("out.txt")));
}

// Counts agree with their nouns.
TEST(Cli, TheSummarySaysOneRow) {
  TempDir dir;
  test::writeFile(dir.file("m.txt"),
                  "CHROM POS REF 1a 1b\n1 1 A C R\n1 2 R A C\n");
  RunResult table =
      runHapmat({"convert", "m.txt", "-o", "out.txt"}, dir.path());
  EXPECT_TRUE(table.err.starts_with(
      "hapmat: 2 rows read, 2 written, 0 skipped as bad; "))
      << table.err;
  test::writeFile(dir.file("one.txt"), "CHROM POS REF 1a 1b\n1 1 A C R\n");
  RunResult one =
      runHapmat({"convert", "one.txt", "-o", "out.txt"}, dir.path());
  EXPECT_TRUE(
      one.err.starts_with("hapmat: 1 row read, 1 written, 0 skipped as bad; "))
      << one.err;
  RunResult vcf = runHapmat(
      {"convert", "--format", "vcf", "m.txt", "-o", "out.vcf"}, dir.path());
  EXPECT_TRUE(vcf.err.starts_with(
      "hapmat: 2 rows read, 1 written, 0 skipped as bad; VCF: 1 row not "
      "written (REF not in ACGTN), 1 allele left out of ALT; "))
      << vcf.err;
  // Runs of gaps: 1a's 2-3 and 1b's 3 overlap (one record, two deletions);
  // with --max-deletion 2 the bubble 1-3 is too long for them.
  test::writeFile(dir.file("gaps.txt"),
                  "CHROM POS REF 1a 1b\n1 1 A A A\n1 2 C - C\n1 3 G - -\n"
                  "1 4 T T T\n");
  RunResult gaps = runHapmat({"convert", "--format", "vcf", "--gaps",
                              "deletions", "gaps.txt", "-o", "out.vcf"},
                             dir.path());
  EXPECT_TRUE(gaps.err.starts_with(
      "hapmat: 4 rows read, 1 written, 0 skipped as bad; VCF: 0 rows not "
      "written (REF not in ACGTN), 0 alleles left out of ALT; 2 deletions "
      "written, 0 longer than --max-deletion written as missing; "))
      << gaps.err;
  EXPECT_EQ(test::readFile(dir.file("out.vcf"))
                .substr(test::readFile(dir.file("out.vcf")).rfind("\n1\t")),
            "\n1\t1\t.\tACG\tA,AC\t.\t.\tAC=1,1;AN=2\tGT\t1|2\n");
  RunResult tooLong =
      runHapmat({"convert", "--format", "vcf", "--gaps", "deletions",
                 "--max-deletion", "2", "gaps.txt", "-o", "out.vcf"},
                dir.path());
  EXPECT_TRUE(tooLong.err.starts_with(
      "hapmat: 4 rows read, 0 written, 0 skipped as bad; VCF: 0 rows not "
      "written (REF not in ACGTN), 0 alleles left out of ALT; 0 deletions "
      "written, 2 longer than --max-deletion written as missing; "))
      << tooLong.err;
}

// The simulator's messages name its options as typed, values as given.
TEST(Cli, SimulatorMessagesNameTheOptions) {
  for (auto [args, message] :
       std::vector<std::pair<std::vector<std::string>, std::string>>{
           {{"--chroms", "0"}, "--chroms must be at least 1"},
           {{"--length", "0"},
            "--length must be between 1 and 2^63 - 1, got 0"},
           {{"--snp-rate", "2"}, "--snp-rate must be between 0 and 1, got 2"},
           {{"--lowercase-rate", "-0.25"},
            "--lowercase-rate must be between 0 and 1, got -0.25"},
           {{"--missing-rate", "0.75", "--gap-rate", "0.5"},
            "--missing-rate + --gap-rate must be at most 1, got 0.75 + 0.5"}}) {
    args.insert(args.begin(), "simulate");
    RunResult result = runHapmat(args);
    EXPECT_EQ(result.exitCode, 2);
    EXPECT_EQ(result.err, "hapmat: " + message + "\n");
  }
}

// The help says what hapmat makes, and what each format is for.
TEST(Cli, HelpNamesEveryOutput) {
  RunResult main = runHapmat({"--help"});
  EXPECT_EQ(main.exitCode, 0);
  EXPECT_NE(main.out.find("into haplotype tables, phase-Extender reference "
                          "panels or VCF"),
            std::string::npos)
      << main.out;
  RunResult convert = runHapmat({"convert", "--help"});
  EXPECT_EQ(convert.exitCode, 0);
  EXPECT_NE(convert.out.find("phase-extender: the haplotype reference panel"),
            std::string::npos)
      << convert.out;
}

// The reference engine uses no SIMD: forcing a target on it is refused.
TEST(Cli, SimdWithTheReferenceEngineIsRefused) {
  TempDir dir;
  test::writeFile(dir.file("m.txt"), kMatrix);
  RunResult result =
      runHapmat({"convert", "m.txt", "--engine", "reference", "--simd", "SSE4"},
                dir.path());
  EXPECT_EQ(result.exitCode, 2);
  EXPECT_EQ(result.err,
            "hapmat: --simd applies to --engine simd only: the reference "
            "engine uses no SIMD\n");
}

}  // namespace
}  // namespace hapmat
