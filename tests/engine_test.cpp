// Differential tests: the SIMD engine against the reference engine, over
// simulated matrices of every shape, each thread count, block size and
// compiled SIMD target. Output, statistics and errors must be identical.

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <random>
#include <thread>

#include "compression_util.hpp"
#include "hapmat/convert.hpp"
#include "hapmat/error.hpp"
#include "hapmat/simulate.hpp"
#include "hapmat/vcz.hpp"
#include "hapmat/version.hpp"
#include "store_files.hpp"
#include "test_util.hpp"

namespace hapmat {
namespace {

struct Outcome {
  std::string output;
  Stats stats;
  std::string error;  // InputError::what(), when the run failed

  bool operator==(const Outcome&) const = default;
};

Outcome runEngine(const ConvertOptions& options) {
  Outcome outcome;
  StringSink sink;
  try {
    outcome.stats = convert(options, sink);
  } catch (const InputError& e) {
    outcome.error = e.what();
  }
  outcome.output = sink.text();
  if (!outcome.error.empty()) outcome.output.clear();  // partial, discarded
  return outcome;
}

// A run into a VCF Zarr store of small chunks (200 variants x 8 samples:
// many chunks, widened and renumbered at the end); its output is the
// store's files.
std::function<Outcome(const ConvertOptions&)> vczRun(std::string store) {
  return [store](const ConvertOptions& options) {
    std::filesystem::remove_all(store);
    VczOptions vcz;
    vcz.variantsChunk = 200;
    vcz.samplesChunk = 8;
    vcz.ploidy = options.haploid ? 1 : 2;
    vcz.threads = std::max(1u, options.threads);
    Outcome outcome;
    try {
      VczSink sink(store, vcz);
      outcome.stats = convert(options, sink);
      sink.commit();
      outcome.output = test::storeFiles(store);
    } catch (const InputError& e) {
      outcome.error = e.what();
    }
    return outcome;
  };
}

// An output that cannot go back: a pipe's.
struct PipeSink final : ByteSink {
  void write(std::string_view bytes) override { text.append(bytes); }
  std::string text;
};

// Runs the reference once and the SIMD engine in every configuration, and
// demands the same outcome. Returns the reference's.
Outcome expectSameEverywhere(
    ConvertOptions options,
    std::vector<std::size_t> blockSizes = {4096, 65536, std::size_t{8} << 20},
    const std::function<Outcome(const ConvertOptions&)>& run = runEngine) {
  options.engine = Engine::kReference;
  Outcome expected = run(options);
  options.engine = Engine::kSimd;
  // Under ThreadSanitizer only the threads matter (scripts/test.sh).
  std::vector<std::string> targets;
  if (std::getenv("HAPMAT_TEST_DEFAULT_TARGET_ONLY") == nullptr) {
    targets = simdTargets();
  }
  targets.push_back("");  // the default choice
  for (const std::string& target : targets) {
    for (unsigned threads : {1u, 2u, 3u}) {
      for (std::size_t blockSize : blockSizes) {
        options.simdTarget = target;
        options.threads = threads;
        options.blockSize = blockSize;
        Outcome got = run(options);
        EXPECT_TRUE(got == expected)
            << "target '" << target << "', " << threads << " threads, block "
            << blockSize << ": error '" << got.error << "' vs '"
            << expected.error << "', " << got.stats.rowsWritten << " vs "
            << expected.stats.rowsWritten << " rows written";
        if (!(got == expected)) return expected;  // one report is enough
      }
    }
  }
  return expected;
}

// The N parts of a conversion, each held to every engine configuration,
// joined in order; a part that fails is reported and ends the join.
std::string joinParts(ConvertOptions options, unsigned count,
                      std::vector<std::size_t> blockSizes) {
  std::string joined;
  for (unsigned index = 1; index <= count; ++index) {
    options.part = Part{index, count};
    Outcome part = expectSameEverywhere(options, blockSizes);
    if (!part.error.empty()) {
      ADD_FAILURE() << "part " << index << "/" << count << ": " << part.error;
      break;
    }
    joined += part.output;
  }
  return joined;
}

// Every split of a conversion into 1 to `most` parts joins to `whole`.
void expectPartsJoin(const ConvertOptions& options, const std::string& whole,
                     unsigned most) {
  for (unsigned count = 1; count <= most; ++count) {
    EXPECT_EQ(joinParts(options, count, {4096}), whole) << count << " parts";
  }
}

std::string sprinkleOddAlleles(std::string text, std::uint32_t seed,
                               unsigned per);

class EngineTest : public ::testing::Test {
 protected:
  ConvertOptions write(const SimulateOptions& simulate) {
    StringSink matrix;
    hapmat::simulate(simulate, matrix);
    return writeMatrix(matrix.text(), simulate.headerLine);
  }

  ConvertOptions writeMatrix(const std::string& text, bool headerLine) {
    test::writeFile(dir_.file("m.txt"), text);
    ConvertOptions options;
    options.inputPath = dir_.file("m.txt");
    if (!headerLine) {
      test::writeFile(dir_.file("h.txt"),
                      headerText(originalHaplotypeNames(), Delimiter::kSpace));
      options.headerPath = dir_.file("h.txt");
    }
    return options;
  }

  // VCF of the matrix `simulate` makes, with one odd allele in about
  // `oddEvery` alleles (seeded by `seed`).
  ConvertOptions oddVcf(const SimulateOptions& simulate, std::uint32_t seed,
                        unsigned oddEvery) {
    StringSink matrix;
    hapmat::simulate(simulate, matrix);
    ConvertOptions options =
        writeMatrix(sprinkleOddAlleles(matrix.text(), seed, oddEvery), true);
    options.format = OutputFormat::kVcf;
    return options;
  }

  // VCF deletions of a simulated matrix of `chroms` x `length` rows: runs
  // of gaps in many haplotypes, N, insertion alleles, and odd alleles.
  ConvertOptions gappyVcf(unsigned chroms, std::uint64_t length,
                          std::uint32_t seed, unsigned oddEvery) {
    SimulateOptions simulate;
    simulate.chroms = chroms;
    simulate.length = length;
    simulate.gapRate = 0.08;
    simulate.missingRate = 0.05;
    simulate.multibaseRate = 0.1;
    simulate.headerLine = true;
    ConvertOptions options = oddVcf(simulate, seed, oddEvery);
    options.gaps = VcfGaps::kDeletions;
    return options;
  }

  // A matrix of CHROMs 1, 2, 3 (4000 rows each, a header line), to shuffle.
  static std::string threeChroms() {
    SimulateOptions simulate;
    simulate.chroms = 3;
    simulate.length = 4000;
    simulate.snpRate = 0.3;
    simulate.headerLine = true;
    StringSink matrix;
    hapmat::simulate(simulate, matrix);
    return matrix.text();
  }

  test::TempDir dir_;
};

TEST_F(EngineTest, DefaultRates) {
  SimulateOptions simulate;
  simulate.length = 20000;
  Outcome result = expectSameEverywhere(write(simulate));
  EXPECT_EQ(result.stats.rowsRead, 40000u);
  EXPECT_GT(result.stats.rowsWritten, 1000u);
}

TEST_F(EngineTest, PhaseExtenderFormat) {
  SimulateOptions simulate;
  simulate.length = 5000;
  simulate.snpRate = 0.3;
  simulate.multibaseRate = 0.1;
  ConvertOptions options = write(simulate);
  options.format = OutputFormat::kPhaseExtender;
  Outcome result = expectSameEverywhere(options);
  EXPECT_TRUE(result.output.starts_with("CHROM\tPOS\tREF\tALT\t10:PI"));
}

// Turns about one single-byte allele (REF included) in `per` into a byte VCF
// cannot carry or writes differently: IUPAC codes, '*', '-'.
std::string sprinkleOddAlleles(std::string text, std::uint32_t seed,
                               unsigned per) {
  std::mt19937 rng(seed);
  static constexpr char kOdd[] = {'R', 'Y', 'K', '*', '-', 'N', 'n'};
  auto isDelimiter = [](char c) { return c == ' ' || c == '\t'; };
  for (std::size_t i = 1; i + 1 < text.size(); ++i) {
    if (isDelimiter(text[i - 1]) && !isDelimiter(text[i]) &&
        isDelimiter(text[i + 1]) && rng() % per == 0) {
      text[i] = kOdd[rng() % sizeof kOdd];
    }
  }
  return text;
}

TEST_F(EngineTest, VcfFormat) {
  SimulateOptions simulate;
  simulate.length = 5000;
  simulate.snpRate = 0.3;
  simulate.multibaseRate = 0.1;
  simulate.lowercaseRate = 0.1;
  simulate.headerLine = true;
  ConvertOptions options = oddVcf(simulate, 7, 200);
  Outcome result = expectSameEverywhere(options);
  EXPECT_TRUE(result.output.starts_with("##fileformat=VCFv4.2\n"));
  EXPECT_GT(result.stats.vcfRowsDropped, 0u);
  EXPECT_GT(result.stats.vcfAllelesDropped, 0u);
}

// VCF Zarr: the same store files from every engine, target, thread count
// and block size; with several CHROMs, multi-allelic rows, insertions, N
// and gaps, deletions, regions (the header's contigs before the records'),
// samples and haploid calls.
TEST_F(EngineTest, VczStores) {
  SimulateOptions simulate;
  simulate.chroms = 3;
  simulate.length = 1500;
  simulate.snpRate = 0.4;
  simulate.multibaseRate = 0.1;
  simulate.missingRate = 0.1;
  simulate.gapRate = 0.1;
  simulate.headerLine = true;
  ConvertOptions options = write(simulate);
  options.format = OutputFormat::kVcf;
  options.gaps = VcfGaps::kStar;
  const auto run = vczRun(dir_.file("out.vcz"));
  const std::vector<std::size_t> blocks = {4096, 65536};
  Outcome whole = expectSameEverywhere(options, blocks, run);
  EXPECT_NE(whole.output.find("call_genotype/8/1/0\n"), std::string::npos);
  options.gaps = VcfGaps::kDeletions;
  EXPECT_GT(expectSameEverywhere(options, blocks, run).stats.vcfDeletions, 0u);
  options.gaps = VcfGaps::kStar;
  options.regions = "3,2:100-900";
  options.samples = "^10,38";
  expectSameEverywhere(options, blocks, run);
  options.samples = "";
  options.haploid = true;
  options.allSites = true;
  expectSameEverywhere(options, blocks, run);
}

// VCF deletions: runs of gaps in many haplotypes, insertion alleles, N,
// cut by 4K blocks; the same records from every engine, target, thread
// count, and from parts joined, also with bubbles longer than
// --max-deletion written as missing. --gaps star keeps one record a row.
TEST_F(EngineTest, VcfDeletions) {
  ConvertOptions options = gappyVcf(3, 3000, 11, 300);
  for (std::size_t maxDeletion : {10000u, 8u}) {
    options.maxDeletion = maxDeletion;
    const Outcome whole = expectSameEverywhere(options, {4096, 65536});
    ASSERT_EQ(whole.error, "");
    EXPECT_GT(whole.stats.vcfDeletions, 100u);
    EXPECT_EQ(whole.stats.vcfDeletionsMissing > 0, maxDeletion == 8u);
    EXPECT_EQ(whole.output.find("\t*\t"), std::string::npos);
    for (unsigned count : {3u, 11u}) {
      EXPECT_TRUE(joinParts(options, count, {4096}) == whole.output)
          << count << " parts, --max-deletion " << maxDeletion;
    }
  }
  options.gaps = VcfGaps::kStar;
  const Outcome star = expectSameEverywhere(options, {4096});
  EXPECT_NE(star.output.find("\t*\t"), std::string::npos);
  EXPECT_EQ(star.stats.vcfDeletions, 0u);
}

// VCF deletions with --all-sites: the same records from every engine,
// target, thread count and from parts joined; the output without
// --all-sites, record for record, with records of ALT `.` between.
TEST_F(EngineTest, VcfDeletionsWithAllSites) {
  ConvertOptions options = gappyVcf(3, 3000, 11, 300);
  for (std::size_t maxDeletion : {10000u, 8u}) {
    options.maxDeletion = maxDeletion;
    options.allSites = false;
    const Outcome variant = runEngine(options);
    ASSERT_EQ(variant.error, "");
    options.allSites = true;
    const Outcome all = expectSameEverywhere(options, {4096, 65536});
    ASSERT_EQ(all.error, "");
    EXPECT_TRUE(joinParts(options, 3, {4096}) == all.output) << maxDeletion;
    // The records without --all-sites, in order, and between them only
    // records of ALT `.`.
    std::size_t next = 0;  // in variant.output
    std::size_t invariant = 0;
    for (std::size_t at = 0; at < all.output.size();) {
      const std::size_t end = all.output.find('\n', at) + 1;
      const std::string_view line(all.output.data() + at, end - at);
      if (variant.output.compare(next, line.size(), line) == 0) {
        next += line.size();
      } else {
        EXPECT_NE(line.find("\t.\t.\t.\tAN="), std::string_view::npos) << line;
        ++invariant;
      }
      at = end;
    }
    EXPECT_EQ(next, variant.output.size()) << maxDeletion;
    EXPECT_GT(invariant, 3000u);
  }
}

// VCF deletions joined on the SIMD engine's workers, chunk by chunk, with
// only each chunk's border joined serially: the reference engine's bytes
// and counts, and most chunks of 16K blocks (~230 rows) do join on the
// workers (a --max-deletion of 8 lets a chunk's first records settle
// within it).
TEST_F(EngineTest, VcfDeletionsJoinedOnWorkers) {
  ConvertOptions options = gappyVcf(2, 6000, 7, 500);
  options.maxDeletion = 8;
  options.engine = Engine::kReference;
  const Outcome expected = runEngine(options);
  ASSERT_EQ(expected.error, "");
  options.engine = Engine::kSimd;
  options.blockSize = 16384;
  PipelineStats pipeline;
  options.pipelineStats = &pipeline;
  // From 3 threads on (more threads than cores are allowed); with fewer,
  // the write stage joins every chunk.
  for (unsigned threads : {1u, 2u, 3u, 4u}) {
    options.threads = threads;
    EXPECT_TRUE(runEngine(options) == expected) << threads << " threads";
    const std::uint64_t chunks = pipeline.stages.front().items;
    if (threads >= 3) {
      EXPECT_GT(pipeline.deletionChunksJoined, chunks / 2) << chunks;
    } else {
      EXPECT_EQ(pipeline.deletionChunksJoined, 0u) << threads << " threads";
    }
  }
  // Star records are not joined.
  options.gaps = VcfGaps::kStar;
  runEngine(options);
  EXPECT_EQ(pipeline.deletionChunksJoined, 0u);
}

// BCF: the same bytes from every engine, target, thread count and block
// size, and from parts joined (header in part 1 only), with deletions too;
// as many records as the VCF's (bcf_bcftools_test.sh compares them).
TEST_F(EngineTest, Bcf) {
  SimulateOptions simulate;
  simulate.chroms = 3;
  simulate.length = 3000;
  simulate.gapRate = 0.08;
  simulate.multibaseRate = 0.1;
  simulate.headerLine = true;
  ConvertOptions options = write(simulate);
  options.format = OutputFormat::kVcf;
  options.gaps = VcfGaps::kStar;
  const Outcome vcf = runEngine(options);
  options.format = OutputFormat::kBcf;
  for (VcfGaps gaps : {VcfGaps::kStar, VcfGaps::kDeletions}) {
    options.gaps = gaps;
    const Outcome whole = expectSameEverywhere(options, {4096, 65536});
    ASSERT_EQ(whole.error, "");
    EXPECT_TRUE(whole.output.starts_with("BCF\2\2"));
    EXPECT_TRUE(joinParts(options, 4, {4096}) == whole.output);
    EXPECT_FALSE(whole.stats.contigsScanned);  // each CHROM's rows together
    if (gaps == VcfGaps::kStar) {
      EXPECT_EQ(whole.stats.rowsWritten, vcf.stats.rowsWritten);
    }
  }
}

// Reference panels: N as REF's 0, and the rows checked for a CSI index.
TEST_F(EngineTest, VcfMissingRefAndIndexOrder) {
  SimulateOptions simulate;
  simulate.chroms = 3;
  simulate.length = 3000;
  simulate.snpRate = 0.3;
  simulate.missingRate = 0.2;
  simulate.lowercaseRate = 0.1;
  simulate.headerLine = true;
  ConvertOptions options = write(simulate);
  options.format = OutputFormat::kVcf;
  options.missing = MissingGenotype::kRef;
  options.index = VcfIndex::kAuto;
  Outcome result = expectSameEverywhere(options);
  EXPECT_EQ(result.error, "");
  EXPECT_EQ(result.stats.index, VcfIndex::kTbi);
  EXPECT_EQ(result.output.find("|."), std::string::npos);
  EXPECT_EQ(result.output.find(".|"), std::string::npos);
}

// Rows by CHROM 2, 1, 2, 3: the ##contig lines list the CHROMs in order of
// first appearance whatever was guessed from the file, and an index refuses
// the CHROM that comes back, at the same line everywhere.
TEST_F(EngineTest, VcfContigsOfAnUngroupedMatrix) {
  const std::string text = threeChroms();
  std::size_t one = text.find("\n1 ") + 1;
  std::size_t two = text.find("\n2 ") + 1;
  std::size_t three = text.find("\n3 ") + 1;
  std::size_t half = text.find('\n', two + (three - two) / 2) + 1;
  std::string shuffled = text.substr(0, one) + text.substr(two, half - two) +
                         text.substr(one, two - one) +
                         text.substr(half, three - half) + text.substr(three);
  ConvertOptions options = writeMatrix(shuffled, true);
  options.format = OutputFormat::kVcf;
  Outcome result = expectSameEverywhere(options);
  EXPECT_NE(result.output.find("##source=hapmat " + std::string(kVersion) +
                               "\n##contig=<ID=2>\n##contig=<ID=1>\n"
                               "##contig=<ID=3>\n##INFO"),
            std::string::npos);
  options.index = VcfIndex::kAuto;
  Outcome indexed = expectSameEverywhere(options);
  EXPECT_NE(indexed.error.find("CHROM '2' comes back after 1:"),
            std::string::npos)
      << indexed.error;
}

// Rows by CHROM 1, 2, 3, 1: predicted from the file's ends as 1 alone. A
// BCF to a file starts on that, and is written again on every row's CHROM:
// the bytes of a BCF to a pipe, which reads them first. Sorted rows take
// no second read (EngineTest.Bcf).
TEST_F(EngineTest, BcfOfAnUngroupedMatrixIsWrittenAgain) {
  const std::string text = threeChroms();
  std::size_t one = text.find("\n1 ") + 1;
  std::size_t two = text.find("\n2 ") + 1;
  std::size_t half = text.find('\n', one + (two - one) / 2) + 1;
  std::string shuffled =
      text.substr(0, half) + text.substr(two) + text.substr(half, two - half);
  ConvertOptions options = writeMatrix(shuffled, true);
  options.format = OutputFormat::kBcf;
  const Outcome bcf = expectSameEverywhere(options);
  EXPECT_EQ(bcf.error, "");
  EXPECT_TRUE(bcf.stats.contigsScanned);
  PipeSink pipe;
  const Stats piped = convert(options, pipe);
  EXPECT_FALSE(piped.contigsScanned);
  EXPECT_TRUE(pipe.text == bcf.output);
  options.skipBadRows = true;
  EXPECT_TRUE(expectSameEverywhere(options) == bcf);
}

// Each conversion holds its own kernel set: two conversions on different
// SIMD targets run at once in one process and both write the reference's
// bytes.
TEST_F(EngineTest, ConversionsOnDifferentTargetsRunAtOnce) {
  SimulateOptions simulate;
  simulate.length = 20000;
  simulate.snpRate = 0.3;
  simulate.headerLine = true;
  ConvertOptions options = write(simulate);
  options.engine = Engine::kReference;
  const Outcome expected = runEngine(options);
  options.engine = Engine::kSimd;
  const std::vector<std::string> targets = simdTargets();
  ASSERT_GE(targets.size(), 2u);
  std::vector<Outcome> got(2);
  std::vector<std::thread> runs;
  for (std::size_t i = 0; i < 2; ++i) {
    runs.emplace_back([&, i] {
      ConvertOptions mine = options;
      mine.simdTarget = i == 0 ? targets.front() : targets.back();
      for (int round = 0; round < 5; ++round) got[i] = runEngine(mine);
    });
  }
  for (std::thread& run : runs) run.join();
  EXPECT_TRUE(got[0] == expected);
  EXPECT_TRUE(got[1] == expected);
}

// Parts 1..N of a matrix, concatenated, are the whole run: every format,
// plain and BGZF input, in every configuration; a bad row in a later part
// is reported at its line in the whole file.
TEST_F(EngineTest, PartsJoinToTheWholeRun) {
  SimulateOptions simulate;
  simulate.chroms = 3;
  simulate.length = 2500;
  simulate.snpRate = 0.3;
  simulate.multibaseRate = 0.1;
  simulate.headerLine = true;
  StringSink matrix;
  hapmat::simulate(simulate, matrix);
  for (const std::string& input :
       {matrix.text(), test::bgzf(matrix.text(), 3000)}) {
    for (OutputFormat format :
         {OutputFormat::kHaplotype, OutputFormat::kPhaseExtender,
          OutputFormat::kVcf}) {
      ConvertOptions options = writeMatrix(input, true);
      options.format = format;
      const Outcome whole = runEngine(options);
      ASSERT_EQ(whole.error, "");
      for (unsigned count : {2u, 5u, 13u}) {
        const std::string joined = joinParts(options, count, {4096, 65536});
        EXPECT_TRUE(joined == whole.output) << count << " parts";
      }
    }
  }
  // Line 5000 of the plain matrix (header first) gets a bad POS.
  std::string text = matrix.text();
  std::size_t at = 0;
  for (int line = 1; line < 5000; ++line) at = text.find('\n', at) + 1;
  text[text.find(' ', at) + 1] = 'x';
  ConvertOptions options = writeMatrix(text, true);
  options.part = Part{4, 5};
  Outcome bad = expectSameEverywhere(options, {4096});
  EXPECT_NE(bad.error.find("m.txt:5000:"), std::string::npos) << bad.error;
}

// Tiny BGZF files in parts, where a part's last line runs into the blocks
// after its range up to the end-of-file block (or there is no row at all):
// the parts join to the whole run.
TEST_F(EngineTest, PartsOfTinyBgzfFiles) {
  for (const std::string text :
       {"CHROM\tPOS\tREF\t1a\t1b\n",
        "CHROM POS REF 1a 1b\n1 1 A C G\n1 2 A A T",
        "CHROM POS REF 1a 1b\n1 1 A C G\n2 2 A A T\n"}) {
    SCOPED_TRACE(text);
    ConvertOptions options = writeMatrix(test::bgzf(text, 7), true);
    const Outcome whole = runEngine(options);
    ASSERT_EQ(whole.error, "");
    expectPartsJoin(options, whole.output, 6);
  }
}

// With --skip-bad-rows a VCF's contigs are those of the kept rows: a CHROM
// only bad rows hold (before the first good row, between two CHROMs, after
// the last) is in no part's header, and a sorted matrix's parts follow the
// guess; 1 to 6 parts join to the whole run, plain and BGZF.
TEST_F(EngineTest, PartsWithBadRowsSkippedJoinToTheWholeRun) {
  std::string text = "CHROM POS REF 1a 1b\nchr0 1 A\n G\n";  // CHROM ''
  for (int pos = 1; pos <= 400; ++pos) {
    text += "chrA " + std::to_string(pos) + " A A C\n";
  }
  text += "chrX 5 A A C C\nchrY 6 A\n";  // too many fields, too few
  for (int pos = 1; pos <= 400; ++pos) {
    text += "chrB " + std::to_string(pos) + " G T G\n";
  }
  text += "chrZ 0 A A C\n";  // POS 0
  for (const std::string& input : {text, test::bgzf(text, 500)}) {
    ConvertOptions options = writeMatrix(input, true);
    options.format = OutputFormat::kVcf;
    options.skipBadRows = true;
    const Outcome whole = runEngine(options);
    ASSERT_EQ(whole.error, "");
    EXPECT_NE(whole.output.find("##contig=<ID=chrA>\n##contig=<ID=chrB>\n"
                                "##INFO"),
              std::string::npos)
        << whole.output.substr(0, 300);
    expectPartsJoin(options, whole.output, 6);
  }
}

// A matrix whose ~700-byte lines span BGZF blocks of every size tried.
std::string compressibleMatrix() {
  SimulateOptions simulate;
  simulate.length = 1500;
  simulate.snpRate = 0.2;
  simulate.haplotypes = numberedHaplotypeNames(341);
  simulate.headerLine = true;
  StringSink matrix;
  hapmat::simulate(simulate, matrix);
  return matrix.text();
}

TEST_F(EngineTest, CompressedInputsGiveThePlainOutput) {
  std::string text = compressibleMatrix();
  Outcome plain = expectSameEverywhere(writeMatrix(text, true));
  std::size_t half = text.size() / 2;
  for (const std::string& compressed :
       {test::gzipMember(text),
        test::gzipMember(text.substr(0, half)) +
            test::gzipMember(text.substr(half)),
        test::bgzf(text), test::bgzf(text, 1000), test::bgzf(text, 200),
        test::bgzf(text, 200) + test::bgzf("")}) {
    Outcome got = expectSameEverywhere(writeMatrix(compressed, true));
    EXPECT_TRUE(got == plain) << got.error;
  }
}

// Cut or damaged anywhere, a compressed input fails at the same line and
// column in every engine and configuration, after the same good rows.
TEST_F(EngineTest, BrokenCompressedInputsFailAlike) {
  std::string text = compressibleMatrix();
  std::string blocks = test::bgzf(text, 1000);
  std::string member = test::gzipMember(text);
  std::mt19937 rng(5);
  for (int round = 0; round < 3; ++round) {
    std::size_t cut = 20 + rng() % (blocks.size() - 60);
    std::string damaged = blocks;
    damaged[cut] = static_cast<char>(damaged[cut] ^ 0x40);
    for (const std::string& broken :
         {blocks.substr(0, cut), damaged,
          member.substr(0, 20 + rng() % (member.size() - 20))}) {
      for (bool skip : {false, true}) {
        ConvertOptions options = writeMatrix(broken, true);
        options.skipBadRows = skip;
        Outcome outcome = expectSameEverywhere(options);
        EXPECT_NE(outcome.error.find("(compressed byte "), std::string::npos)
            << outcome.error;
      }
    }
  }
}

// A BGZF file cut at a block boundary lacks the end-of-file block: it
// converts with a warning naming it, or, when the cut left part of a line,
// fails at that line saying so, in every engine and configuration.
TEST_F(EngineTest, BgzfWithoutItsEndOfFileBlock) {
  std::string text = compressibleMatrix();
  std::string blocks = test::bgzf(text, 1000);
  ASSERT_TRUE(blocks.ends_with(test::kBgzfEof));
  blocks.resize(blocks.size() - test::kBgzfEof.size());
  Outcome whole =
      expectSameEverywhere(writeMatrix(blocks + test::kBgzfEof, true));
  EXPECT_EQ(whole.stats.warnings, std::vector<std::string>{});
  Outcome cut = expectSameEverywhere(writeMatrix(blocks, true));
  const std::string warning =
      dir_.file("m.txt") +
      ": no BGZF end-of-file block: the input may be truncated";
  EXPECT_EQ(cut.stats.warnings, std::vector<std::string>{warning});
  EXPECT_EQ(cut.output, whole.output);

  // Cut where a block ends with a line, as writers that flush by record
  // make it: the rows before convert, without a word but the warning.
  std::size_t lastLine = text.rfind('\n', text.size() - 2) + 1;
  std::string fewerLines = test::bgzf(text.substr(0, lastLine));
  fewerLines.resize(fewerLines.size() - test::kBgzfEof.size());
  Outcome fewer = expectSameEverywhere(writeMatrix(fewerLines, true));
  EXPECT_EQ(fewer.error, "");
  EXPECT_EQ(fewer.stats.warnings, std::vector<std::string>{warning});
  EXPECT_EQ(fewer.stats.rowsRead, whole.stats.rowsRead - 1);

  // Cut inside a line: the partial line is the error, and why.
  std::size_t lines =
      static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
  std::string partial = test::bgzf(text.substr(0, text.size() - 10));
  partial.resize(partial.size() - test::kBgzfEof.size());
  Outcome failed = expectSameEverywhere(writeMatrix(partial, true));
  EXPECT_TRUE(failed.error.starts_with(dir_.file("m.txt") + ":" +
                                       std::to_string(lines) + ":"))
      << failed.error;
  EXPECT_TRUE(failed.error.ends_with(
      " (no BGZF end-of-file block: the input may be truncated)"))
      << failed.error;
}

// A gzip member's text is checked only at its end: a damaged byte changes
// the text before the CRC-32 can tell. The damage is reported where the
// checked text ends, whatever the text after it turned into and however
// far it was read; a bad row in checked text keeps its own error.
TEST_F(EngineTest, ADamagedGzipStreamIsReportedWhereTheCheckedTextEnds) {
  std::string text = compressibleMatrix();
  std::string stored = test::storedGzipMember(text);
  std::size_t pos = stored.find("\n1 2 ");  // line 3's POS, stored as is
  ASSERT_NE(pos, std::string::npos);
  stored[pos + 3] = 'G';
  Outcome damaged = expectSameEverywhere(writeMatrix(stored, true));
  EXPECT_EQ(damaged.error, dir_.file("m.txt") +
                               ":1:1: gzip CRC-32 mismatch (compressed byte " +
                               std::to_string(stored.size() - 8) + ")");

  // Members end at line 3, column 5 and at line 700, column 1; the third
  // is damaged the same way.
  const std::size_t line3 = text.find("\n1 2 ") + 1;
  std::size_t line700 = 0;
  for (int line = 1; line < 700; ++line) line700 = text.find('\n', line700) + 1;
  std::string third = test::storedGzipMember(text.substr(line700));
  third[third.find("\n1 7") + 3] = 'G';
  std::string members =
      test::gzipMember(text.substr(0, line3 + 4)) +
      test::gzipMember(text.substr(line3 + 4, line700 - line3 - 4));
  Outcome inThird = expectSameEverywhere(writeMatrix(members + third, true));
  EXPECT_EQ(inThird.error,
            dir_.file("m.txt") +
                ":700:1: gzip CRC-32 mismatch (compressed byte " +
                std::to_string(members.size() + third.size() - 8) + ")");
  std::string cut = test::gzipMember(text.substr(0, line3 + 4)) +
                    test::gzipMember(text.substr(line3 + 4));
  cut.resize(cut.size() - 3);
  Outcome truncated = expectSameEverywhere(writeMatrix(cut, true));
  EXPECT_EQ(truncated.error,
            dir_.file("m.txt") +
                ":3:5: truncated gzip stream (compressed byte " +
                std::to_string(cut.size()) + ")");

  std::string badRow = text;
  badRow[badRow.find("\n1 2 ") + 3] = 'G';
  Outcome sound =
      expectSameEverywhere(writeMatrix(test::gzipMember(badRow), true));
  EXPECT_TRUE(sound.error.ends_with(
      ":3:3: POS 'G' is not a whole number from 1 to 2^63-1"))
      << sound.error;
  // The bad row's member checks; a later one does not.
  Outcome checkedBadRow = expectSameEverywhere(
      writeMatrix(test::gzipMember(badRow.substr(0, line700)) + third, true));
  EXPECT_TRUE(checkedBadRow.error.ends_with(
      ":3:3: POS 'G' is not a whole number from 1 to 2^63-1"))
      << checkedBadRow.error;
}

// Plain gzip after BGZF blocks is read on (`cat x.bgz y.gz`), the same
// everywhere; its damage is named where the checked text ends: the BGZF
// text is checked, the gzip member's only at its end.
TEST_F(EngineTest, PlainGzipAfterBgzfBlocks) {
  const std::string text = compressibleMatrix();
  const Outcome plain = expectSameEverywhere(writeMatrix(text, true));
  ASSERT_EQ(plain.error, "");
  const std::size_t cut = text.size() / 2 + 5;
  const std::string line =
      std::to_string(std::count(text.begin(), text.begin() + cut, '\n') + 1);
  const std::string column = std::to_string(cut - text.rfind('\n', cut - 1));
  const std::string blocks = test::bgzf(text.substr(0, cut), 20000);
  Outcome mixed = expectSameEverywhere(
      writeMatrix(blocks + test::gzipMember(text.substr(cut)), true));
  EXPECT_EQ(mixed.output, plain.output);
  EXPECT_EQ(mixed.error, "");

  std::string damaged = test::storedGzipMember(text.substr(cut));
  damaged[damaged.size() / 2] ^= 0x10;
  Outcome broken = expectSameEverywhere(writeMatrix(blocks + damaged, true));
  EXPECT_EQ(broken.error,
            dir_.file("m.txt") + ":" + line + ":" + column +
                ": gzip CRC-32 mismatch (compressed byte " +
                std::to_string(blocks.size() + damaged.size() - 8) + ")");

  // A sound member, then a damaged one starting at every few hundred bytes
  // of a line: the checked end falls in each part of a chunk (the line
  // that bridges chunks, whole lines, the cut last line).
  for (std::size_t cut2 = cut + 1000; cut2 < cut + 200000; cut2 += 37987) {
    const std::string first = test::gzipMember(text.substr(cut, cut2 - cut));
    std::string second = test::storedGzipMember(text.substr(cut2));
    second[second.size() - 6] ^= 0x01;
    Outcome atSecond = expectSameEverywhere(
        writeMatrix(blocks + first + second, true), {4096, 65536});
    EXPECT_EQ(
        atSecond.error,
        dir_.file("m.txt") + ":" +
            std::to_string(std::count(text.begin(), text.begin() + cut2, '\n') +
                           1) +
            ":" + std::to_string(cut2 - text.rfind('\n', cut2 - 1)) +
            ": gzip CRC-32 mismatch (compressed byte " +
            std::to_string(blocks.size() + first.size() + second.size() - 8) +
            ")");
  }
}

// A VCF in parts checks that each part's CHROMs join the next part's first
// line; when that line is in a damaged BGZF block (a file cut short), the
// part leaves the damage to the part that holds it, which fails as the whole
// run does. (--fai: without it the contigs guessed from a damaged file are
// none, and every part stops at its first row.)
TEST_F(EngineTest, PartsOfACutBgzfVcf) {
  std::string text = "CHROM POS REF 1a 1b\n";
  for (int pos = 1; pos <= 30; ++pos) {
    text += (pos <= 15 ? "1 " : "2 ") + std::to_string(pos) + " A C G\n";
  }
  std::string cut = test::bgzf(text, 40);
  cut.resize(cut.size() - test::kBgzfEof.size() - 10);
  ConvertOptions options = writeMatrix(cut, true);
  options.format = OutputFormat::kVcf;
  test::writeFile(dir_.file("ref.fai"), "1\t100\n2\t100\n");
  options.faiPath = dir_.file("ref.fai");
  const Outcome whole = runEngine(options);
  ASSERT_NE(whole.error, "");
  for (unsigned count = 2; count <= 8; ++count) {
    std::string firstError;
    for (unsigned index = 1; index <= count; ++index) {
      options.part = Part{index, count};
      Outcome part = expectSameEverywhere(options, {4096});
      if (firstError.empty()) firstError = part.error;
    }
    EXPECT_EQ(firstError, whole.error) << count << " parts";
  }
}

// A byte order mark before the column names is not a CHROM of the rows: a
// VCF's parts list the rows' contigs, as the whole run does.
TEST_F(EngineTest, PartsOfAVcfWithAByteOrderMark) {
  const std::string text =
      "\xEF\xBB\xBF"
      "CHROM POS REF 1a 1b\n7 1 A C A\n7 2 A A G\n";
  for (const std::string& input : {text, test::bgzf(text, 7)}) {
    ConvertOptions options = writeMatrix(input, true);
    options.format = OutputFormat::kVcf;
    const Outcome whole = runEngine(options);
    ASSERT_EQ(whole.error, "");
    EXPECT_NE(whole.output.find("\n##contig=<ID=7>\n##INFO"),
              std::string::npos);
    expectPartsJoin(options, whole.output, 4);
  }
}

// With --header the file's first line is a row, and a byte order mark
// before it is not part of its CHROM, in part 1 as in the whole run.
TEST_F(EngineTest, PartsOfAMatrixWithAByteOrderMarkAndAHeaderFile) {
  const std::string text =
      "\xEF\xBB\xBF"
      "chr1 1 A C G\nchr1 2 A T A\n";
  for (const std::string& input : {text, test::bgzf(text, 7)}) {
    ConvertOptions options = writeMatrix(input, true);
    test::writeFile(dir_.file("h.txt"), "CHROM POS REF 1a 1b\n");
    options.headerPath = dir_.file("h.txt");
    const Outcome whole = runEngine(options);
    ASSERT_EQ(whole.error, "");
    EXPECT_EQ(whole.output,
              "contig pos ref alt 1a1b_PI 1a1b_PG_al\n"
              "chr1 1 A C,G chr1 C|G\nchr1 2 A T chr1 T|A\n");
    expectPartsJoin(options, whole.output, 3);
  }
}

// An error in the column names, read before the rows, gets what the
// compressed stream says as well: the damage of a gzip stream, the missing
// end-of-file block of a BGZF one.
TEST_F(EngineTest, AnErrorInTheColumnNamesGetsWhatTheStreamSays) {
  // Long enough that the prologue is read long before the CRC-32.
  std::string stored = test::storedGzipMember(compressibleMatrix());
  stored[stored.find("CHROM") + 3] = 'X';
  Outcome damaged = expectSameEverywhere(writeMatrix(stored, true));
  EXPECT_EQ(damaged.error, dir_.file("m.txt") +
                               ":1:1: gzip CRC-32 mismatch (compressed byte " +
                               std::to_string(stored.size() - 8) + ")");

  std::string cut = test::bgzf("1 1 A C G\n");
  cut.resize(cut.size() - test::kBgzfEof.size());
  Outcome noEof = expectSameEverywhere(writeMatrix(cut, true));
  EXPECT_TRUE(noEof.error.starts_with(dir_.file("m.txt") + ":1:1: "))
      << noEof.error;
  EXPECT_TRUE(noEof.error.ends_with(
      " (no BGZF end-of-file block: the input may be truncated)"))
      << noEof.error;
}

// The input cut short while it is converted (after its first chunk is
// written): chunks read after that are mapped past the file's end, or read
// short; either engine stops with the file named, no crash, nothing kept.
TEST_F(EngineTest, AnInputCutShortWhileConvertedFailsTheRun) {
  SimulateOptions simulate;
  simulate.length = 30000;  // 2 MB
  simulate.headerLine = true;
  for (Engine engine : {Engine::kSimd, Engine::kReference}) {
    ConvertOptions options = write(simulate);
    options.engine = engine;
    options.threads = 2;
    options.blockSize = 64 << 10;
    const std::string path = options.inputPath;
    options.onProgress = [&](const Progress&) {
      if (std::filesystem::file_size(path) > (256u << 10)) {
        std::filesystem::resize_file(path, 256 << 10);
      }
    };
    StringSink out;
    try {
      convert(options, out);
      ADD_FAILURE() << "a run whose input was cut short succeeded";
    } catch (const MismatchError& e) {
      EXPECT_EQ(std::string(e.what()),
                path +
                    ": changed while it was read: it was cut short (convert "
                    "it again once it is whole)");
    }
  }
}

// A line over --max-line-bytes (its '\n' not counted) stops the run at that
// line, wherever it lies in the text or in the BGZF blocks; a line of the
// limit converts, also as the last line without its '\n'.
TEST_F(EngineTest, TheLineLimitHoldsInEveryInput) {
  std::string head = "CHROM POS REF 1a 1b\n";
  for (int i = 1; i < 450; ++i) head += "1 " + std::to_string(i) + " A C A\n";
  const std::size_t limit = 8192;
  for (std::size_t length : {limit - 1, limit, limit + 1, limit + 3000}) {
    // "1 450 A " + alleles + " A": `length` bytes without the newline.
    std::string line = "1 450 A " + std::string(length - 10, 'C') + " A";
    std::string text = head + line + "\n" + "1 451 A C A\n";
    for (const std::string& input :
         {text, test::bgzf(text), test::bgzf(text, 1000),
          test::gzipMember(text)}) {
      ConvertOptions options = writeMatrix(input, true);
      options.maxLineBytes = limit;
      options.blockSize = 4096;
      Outcome outcome = expectSameEverywhere(options, {4096, limit});
      if (length <= limit) {
        EXPECT_EQ(outcome.error, "") << length;
        EXPECT_EQ(outcome.stats.rowsWritten, 451u);
      } else {
        EXPECT_NE(outcome.error.find(":451:1: line longer than 8192 bytes"),
                  std::string::npos)
            << outcome.error;
      }
    }
  }
}

TEST_F(EngineTest, ALastLineOfTheLimitWithoutItsNewline) {
  const std::size_t limit = 4096;
  for (std::size_t length : {limit, limit + 1}) {
    std::string text = "CHROM POS REF 1a 1b\n1 1 A C A\n1 2 A " +
                       std::string(length - 8, 'C') + " A";
    for (const std::string& input : {text, test::bgzf(text, 1000)}) {
      ConvertOptions options = writeMatrix(input, true);
      options.maxLineBytes = limit;
      options.blockSize = limit;
      Outcome outcome = expectSameEverywhere(options, {4096});
      EXPECT_EQ(outcome.error,
                length == limit
                    ? ""
                    : dir_.file("m.txt") +
                          ":3:1: line longer than 4096 bytes (raise "
                          "--max-line-bytes)");
    }
  }
}

// The rows of a table (after its header line) whose CHROM and POS `keep`.
template <class Keep>
std::string tableRows(const std::string& table, Keep keep) {
  std::string rows;
  std::size_t at = table.find('\n') + 1;
  while (at < table.size()) {
    std::size_t end = table.find('\n', at) + 1;
    std::string_view row(table.data() + at, end - at);
    std::size_t chromEnd = row.find(' ');
    std::string_view chrom = row.substr(0, chromEnd);
    std::uint64_t pos = std::stoull(std::string(row.substr(chromEnd + 1)));
    if (keep(chrom, pos)) rows += row;
    at = end;
  }
  return rows;
}

// Regions, samples, all sites and haploid samples: both engines agree in
// every configuration, on plain text and BGZF (bisected) and gzip (filtered
// as it streams), and a region's rows are those of the whole run there.
TEST_F(EngineTest, RegionsSamplesAllSitesAndHaploid) {
  SimulateOptions simulate;
  simulate.chroms = 3;
  simulate.length = 4000;
  simulate.snpRate = 0.2;
  simulate.multibaseRate = 0.05;
  simulate.lowercaseRate = 0.05;
  simulate.headerLine = true;
  StringSink matrix;
  hapmat::simulate(simulate, matrix);
  ConvertOptions plain = writeMatrix(matrix.text(), true);
  const std::string whole = runEngine(plain).output;
  const std::string regions = "2:1000-1999,1:3990-,2:1500-2500,3:7";
  auto inRegions = [](std::string_view chrom, std::uint64_t pos) {
    return (chrom == "1" && pos >= 3990) ||
           (chrom == "2" && pos >= 1000 && pos <= 2500) ||
           (chrom == "3" && pos == 7);
  };
  plain.regions = regions;
  Outcome selected = expectSameEverywhere(plain, {4096, 65536});
  EXPECT_EQ(selected.output.substr(selected.output.find('\n') + 1),
            tableRows(whole, inRegions));
  EXPECT_GT(selected.stats.bytesSkippedByRegions, 0u);

  for (const std::string& input :
       {test::bgzf(matrix.text(), 3000), test::gzipMember(matrix.text())}) {
    ConvertOptions options = writeMatrix(input, true);
    options.regions = regions;
    Outcome compressed = expectSameEverywhere(options, {4096, 65536});
    EXPECT_EQ(compressed.output, selected.output);
    EXPECT_EQ(compressed.stats.rowsWritten, selected.stats.rowsWritten);
  }

  struct Case {
    OutputFormat format;
    const char* regions;
    const char* samples;
    bool allSites;
    bool haploid;
  };
  for (const Case& c : {
           Case{OutputFormat::kHaplotype, "", "^23", true, false},
           Case{OutputFormat::kPhaseExtender, "1:100-300", "3,8", true, false},
           Case{OutputFormat::kVcf, "2,3:50-3000", "^10,38", false, false},
           Case{OutputFormat::kVcf, "1:1-900", "8", true, false},
           Case{OutputFormat::kVcf, "3", "", true, true},
           Case{OutputFormat::kVcf, "", "MA622,3b,10a", false, true},
       }) {
    ConvertOptions options = writeMatrix(matrix.text(), true);
    options.format = c.format;
    options.regions = c.regions;
    options.samples = c.samples;
    options.allSites = c.allSites;
    options.haploid = c.haploid;
    Outcome result = expectSameEverywhere(options, {4096, 65536});
    EXPECT_EQ(result.error, "");
    EXPECT_GT(result.stats.rowsWritten, 0u) << c.regions << " " << c.samples;
    EXPECT_EQ(joinParts(options, 3, {4096}), result.output)
        << c.regions << " " << c.samples;
  }
}

// Rows from a stream are filtered in any order: each is decided on its POS
// text against the run of positions the last lookup found (RowPhaser), so
// rows that jump in and out of a run, change CHROM and back, change their
// number of digits, or carry leading zeros are all decided anew.
TEST_F(EngineTest, RegionsOfUnsortedRowsFromAStream) {
  std::string matrix = "CHROM POS REF 1a 1b 2a 2b\n";
  for (const char* row :
       {"1 9", "1 10", "1 0099", "1 100", "2 100", "1 999999999",
        "1 1000000000", "1 5", "2 99", "2 0100", "2 101", "1 98",
        "1 123456789012345", "1 000000000000001", "3 100", "1 999999999999999",
        "1 99999999", "2 100"}) {
    matrix += std::string(row) + " A A C A A\n";
  }
  ConvertOptions options = writeMatrix(test::gzipMember(matrix), true);
  options.regions = "1:10-99,1:1000000000-,2:100-100";
  const Outcome selected = expectSameEverywhere(options, {4096});
  std::string expected =
      "contig pos ref alt 1a1b_PI 1a1b_PG_al 2a2b_PI 2a2b_PG_al\n";
  for (const char* row :
       {"1 10", "1 0099", "2 100", "1 1000000000", "2 0100", "1 98",
        "1 123456789012345", "1 999999999999999", "2 100"}) {
    const char chrom = row[0];
    expected += std::string(row) + " A C " + chrom + " A|C " + chrom + " A|A\n";
  }
  EXPECT_EQ(selected.output, expected);
  EXPECT_EQ(selected.stats.rowsOutsideRegions, 9u);
}

TEST_F(EngineTest, AllVariantRows) {
  SimulateOptions simulate;
  simulate.length = 5000;
  simulate.snpRate = 1.0;
  simulate.headerLine = true;
  Outcome result = expectSameEverywhere(write(simulate));
  EXPECT_GT(result.stats.rowsWritten, 9000u);
}

TEST_F(EngineTest, MultiBaseLowerCaseCrlfTab) {
  SimulateOptions simulate;
  simulate.length = 6000;
  simulate.snpRate = 0.2;
  simulate.multibaseRate = 0.2;
  simulate.lowercaseRate = 0.3;
  simulate.crlf = true;
  simulate.delimiter = Delimiter::kTab;
  simulate.headerLine = true;
  expectSameEverywhere(write(simulate));
}

TEST_F(EngineTest, ManyMissingAndGaps) {
  SimulateOptions simulate;
  simulate.length = 6000;
  simulate.missingRate = 0.4;
  simulate.gapRate = 0.3;
  simulate.snpRate = 0.1;
  expectSameEverywhere(write(simulate));
}

TEST_F(EngineTest, WideRowsLongerThanABlock) {
  SimulateOptions simulate;
  simulate.chroms = 1;
  simulate.length = 300;
  simulate.haplotypes = numberedHaplotypeNames(3001);
  simulate.snpRate = 0.3;
  simulate.headerLine = true;
  expectSameEverywhere(write(simulate));
}

// The text of `bytes` read as a pipe's, serially: a writer thread feeds a
// pipe that convert() opens by its /proc name.
Outcome runThroughPipe(ConvertOptions options, const std::string& bytes) {
  int ends[2];
  EXPECT_EQ(::pipe(ends), 0);
  std::thread writer([&] {
    for (std::size_t at = 0; at < bytes.size();) {
      ssize_t n = ::write(ends[1], bytes.data() + at, bytes.size() - at);
      if (n <= 0) break;
      at += static_cast<std::size_t>(n);
    }
    ::close(ends[1]);
  });
  options.inputPath = "/proc/self/fd/" + std::to_string(ends[0]);
  Outcome outcome = runEngine(options);
  writer.join();
  ::close(ends[0]);
  return outcome;
}

// A plain file is read by the workers in ranges of a block's size: ranges
// much shorter than a line cut every line in every place, and lines span
// many ranges; the bytes are those of a serial read through a pipe.
TEST_F(EngineTest, ParallelReadingCutsLinesEverywhere) {
  SimulateOptions simulate;
  simulate.chroms = 2;
  simulate.length = 600;
  simulate.snpRate = 0.4;
  simulate.headerLine = true;
  StringSink matrix;
  hapmat::simulate(simulate, matrix);
  for (OutputFormat format : {OutputFormat::kHaplotype, OutputFormat::kVcf}) {
    ConvertOptions options = writeMatrix(matrix.text(), true);
    options.format = format;
    options.gaps = VcfGaps::kDeletions;
    Outcome piped = runThroughPipe(options, matrix.text());
    ASSERT_EQ(piped.error, "");
    Outcome got = expectSameEverywhere(options, {7, 61, 97, 1000});
    EXPECT_EQ(got.output, piped.output);
    EXPECT_EQ(got.stats.bytesRead, matrix.text().size());
  }
  // A bad row deep in the file: its line is counted over every range
  // before it, as the pipe's serial read counts it.
  std::string text = matrix.text();
  const std::size_t at = text.find("\n2 99 ");
  ASSERT_NE(at, std::string::npos);
  text.insert(at + 1, "2 98 A C\n");
  ConvertOptions options = writeMatrix(text, true);
  Outcome got = expectSameEverywhere(options, {7, 61, 97, 1000});
  EXPECT_EQ(got.error,
            options.inputPath + ":700:9: expected 34 fields, found 4");
  Outcome piped = runThroughPipe(options, text);
  EXPECT_EQ(piped.error.substr(piped.error.find(':')),
            got.error.substr(options.inputPath.size()));
}

// Samples of any two columns in any order (a pairs file), some columns in
// none, and CHROMs of two lengths: the writers' per-layout plans.
TEST_F(EngineTest, PairsOfAnyColumnsAndManyChroms) {
  SimulateOptions simulate;
  simulate.chroms = 12;
  simulate.length = 300;
  simulate.snpRate = 0.6;
  simulate.gapRate = 0.05;
  simulate.haplotypes = numberedHaplotypeNames(200);
  simulate.headerLine = true;
  ConvertOptions options = write(simulate);
  std::mt19937 rng(5);
  std::vector<std::string> columns = simulate.haplotypes;
  std::shuffle(columns.begin(), columns.end(), rng);
  std::string pairs;
  for (std::size_t i = 0; i + 1 < columns.size(); i += 2) {
    if (i % 6 == 4) continue;
    pairs.append("s").append(std::to_string(i)).append(" ");
    pairs.append(columns[i]).append(" ").append(columns[i + 1]).append("\n");
  }
  test::writeFile(dir_.file("pairs.txt"), pairs);
  options.pairsPath = dir_.file("pairs.txt");
  EXPECT_GT(expectSameEverywhere(options).stats.rowsWritten, 2000u);
  options.format = OutputFormat::kVcf;
  expectSameEverywhere(options);
}

TEST_F(EngineTest, FewHaplotypes) {
  for (std::size_t count : {1, 2, 3, 5}) {
    SimulateOptions simulate;
    simulate.length = 3000;
    simulate.snpRate = 0.3;
    simulate.haplotypes = numberedHaplotypeNames(count);
    simulate.headerLine = true;
    if (count == 1) simulate.haplotypes = {"1a", "1b"};
    expectSameEverywhere(write(simulate));
  }
}

// text with `removed` bytes at `at` replaced by `insertion`. (Built by
// appending: g++ 12 sees a false -Wrestrict in std::string::replace here.)
std::string splice(const std::string& text, std::size_t at, std::size_t removed,
                   const std::string& insertion) {
  std::string result(text, 0, at);
  result.append(insertion);
  result.append(text, at + removed);
  return result;
}

// Corrupts random rows of a simulated matrix in ways docs/FORMAT.md calls bad
// (and some it does not: a soft-masked allele, an IUPAC code, a '*'). The first
// edit always plants a control byte, so every result is a bad input.
std::string corrupt(std::string text, std::uint32_t seed, int edits) {
  std::mt19937 rng(seed);
  auto position = [&] {
    return std::uniform_int_distribution<std::size_t>(text.size() / 4,
                                                      text.size() - 2)(rng);
  };
  text = splice(text, position(), 0, "\x01");
  const std::vector<std::string> insertions = {std::string(1, '\0'),
                                               "\x01",
                                               "\x7F",
                                               " ",
                                               "  ",
                                               "\t",
                                               "\r",
                                               "a",
                                               "R",
                                               "*",
                                               "AT",
                                               "x",
                                               "0"};
  for (int i = 0; i < edits; ++i) {
    const std::string& insertion =
        insertions[std::uniform_int_distribution<std::size_t>(
            0, insertions.size() - 1)(rng)];
    text = splice(text, position(), rng() % 2, insertion);
  }
  return text;
}

TEST_F(EngineTest, BadRowsGiveTheSameErrorOrTheSameSkips) {
  SimulateOptions simulate;
  simulate.length = 4000;
  simulate.headerLine = true;
  StringSink matrix;
  hapmat::simulate(simulate, matrix);
  for (std::uint32_t seed = 1; seed <= 6; ++seed) {
    ConvertOptions options =
        writeMatrix(corrupt(matrix.text(), seed, 1 + 4 * (seed % 3)), true);
    Outcome stopped = expectSameEverywhere(options);
    EXPECT_FALSE(stopped.error.empty()) << seed;
    options.skipBadRows = true;
    Outcome skipped = expectSameEverywhere(options);
    EXPECT_TRUE(skipped.error.empty()) << skipped.error;
  }
}

}  // namespace
}  // namespace hapmat
