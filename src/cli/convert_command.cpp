// `hapmat convert`: the production run.

#include <sys/resource.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <string_view>
#include <thread>

#include "cli/cli_util.hpp"
#include "cli/commands.hpp"
#include "cli/progress.hpp"
#include "hapmat/convert.hpp"
#include "hapmat/error.hpp"
#include "hapmat/parts.hpp"
#include "hapmat/vcz.hpp"

namespace hapmat::cli {

namespace {

struct ConvertArgs {
  ConvertOptions options;
  std::string output;
  std::string format = "haplotype";
  std::string delimiter = "auto";
  std::string outDelimiter = "space";
  std::string blockSize = "1M";
  std::string maxLineBytes = "256M";
  std::string engine = "simd";
  std::string missing = "dot";
  std::string gaps = "deletions";
  std::string index;      // empty: none
  std::string part;       // K/N; empty: the whole input
  std::string statsPath;  // --stats: empty, none
  VczOptions vcz;
  int level = kDefaultBgzfLevel;
  bool progress = false;
  bool quiet = false;
};

double peakRssMiB() {
  struct rusage usage {};
  ::getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;
}

// "1 row", "2 rows".
std::string plural(std::uint64_t n, const char* noun) {
  return std::to_string(n) + " " + noun + (n == 1 ? "" : "s");
}

// --stats: the run's counts and each pipeline stage's busy time, as JSON
// (docs/FORMAT.md, "Stage statistics").
std::string stageStatsJson(const Stats& stats, const PipelineStats& pipeline,
                           double seconds) {
  auto number = [](double value) {
    char text[32];
    std::snprintf(text, sizeof text, "%.9f", value);
    return std::string(text);
  };
  std::string json =
      "{\"wall_s\": " + number(seconds) +
      ", \"threads\": " + std::to_string(pipeline.threads) +
      ", \"bytes_in\": " + std::to_string(stats.bytesRead) +
      ", \"bytes_out\": " + std::to_string(stats.bytesWritten) +
      ", \"rows_read\": " + std::to_string(stats.rowsRead) +
      ", \"rows_written\": " + std::to_string(stats.rowsWritten) +
      ", \"stages\": [";
  for (std::size_t i = 0; i < pipeline.stages.size(); ++i) {
    const StageStats& stage = pipeline.stages[i];
    json += (i > 0 ? ", " : "");
    json += "{\"name\": \"" + stage.name +
            "\", \"serial\": " + (stage.serial ? "true" : "false") +
            ", \"busy_s\": " + number(stage.busySeconds) +
            ", \"items\": " + std::to_string(stage.items) + "}";
  }
  return json + "]}\n";
}

void writeStageStats(const std::string& path, const std::string& json) {
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  file << json;
  file.close();
  if (!file) throwIoError("cannot write", path, errno);
}

// The original script's unpaired column left the output silently: it is
// named, with what it still does.
void printColumnsInNoSample(const std::vector<std::string>& columns) {
  if (columns.empty()) return;
  constexpr std::size_t kNamed = 10;
  std::cerr << "hapmat: " << plural(columns.size(), "haplotype column")
            << " in no sample (not written; their alleles still count for "
               "ALT): ";
  for (std::size_t i = 0; i < std::min(columns.size(), kNamed); ++i) {
    std::cerr << (i > 0 ? ", " : "") << columns[i];
  }
  if (columns.size() > kNamed) std::cerr << ", ...";
  std::cerr << '\n';
}

void printSummary(const Stats& stats, double seconds,
                  const ConvertOptions& options) {
  for (const std::string& row : stats.firstSkipped) {
    std::cerr << "hapmat: skipped " << row << '\n';
  }
  std::cerr << "hapmat: " << plural(stats.rowsRead, "row") << " read, "
            << stats.rowsWritten << " written, " << stats.rowsSkipped
            << " skipped as bad; ";
  const bool vcfRecords = hasVcfRecords(options.format);
  const bool deletions = vcfRecords && options.gaps == VcfGaps::kDeletions;
  if ((!options.regions.empty() || !options.regionsFile.empty()) && deletions) {
    std::cerr << "regions: " << plural(stats.rowsWritten, "record")
              << " overlapping them, " << stats.vcfRecordsOutsideRegions
              << " outside them left out, "
              << humanBytes(stats.bytesSkippedByRegions)
              << " of input skipped by bisection; ";
  } else if (!options.regions.empty() || !options.regionsFile.empty()) {
    std::cerr << "regions: "
              << stats.rowsRead - stats.rowsSkipped - stats.rowsOutsideRegions
              << " selected, " << stats.rowsOutsideRegions
              << " read outside them, "
              << humanBytes(stats.bytesSkippedByRegions)
              << " of input skipped by bisection; ";
  }
  if (vcfRecords) {
    std::cerr << "VCF: " << plural(stats.vcfRowsDropped, "row")
              << " not written (REF not in ACGTN), "
              << plural(stats.vcfAllelesDropped, "allele")
              << " left out of ALT; ";
  }
  if (deletions) {
    std::cerr << plural(stats.vcfDeletions, "deletion") << " written, "
              << stats.vcfDeletionsMissing
              << " longer than --max-deletion written as missing; ";
  }
  char text[128];
  std::cerr << humanBytes(stats.bytesRead) << " in, "
            << humanBytes(stats.bytesWritten) << " out; ";
  double gbPerSecond =
      seconds > 0 ? static_cast<double>(stats.bytesRead) / seconds / 1e9 : 0;
  std::snprintf(text, sizeof text, "%.2f s, %.3f GB/s; peak RSS %.1f MiB\n",
                seconds, gbPerSecond, peakRssMiB());
  std::cerr << text;
  printColumnsInNoSample(stats.columnsInNoSample);
  if (stats.contigsScanned) {
    std::cerr << "hapmat: note: the rows' CHROMs were not those predicted "
                 "(each CHROM's rows together): the BCF was written again "
                 "after reading every row's CHROM (--fai spares that)\n";
  }
}

// Parts are numbered in 9 digits: more parts than that would be mostly
// empty ones.
constexpr unsigned kMostParts = 999'999'999;

Part parsePart(const std::string& text) {
  const std::size_t slash = text.find('/');
  auto number = [&](std::string_view digits) -> std::uint64_t {
    if (digits.empty() || slash == std::string::npos ||
        digits.find_first_not_of("0123456789") != std::string_view::npos) {
      throw UsageError(
          "--part takes K/N (the K-th of N parts, 1 <= K <= N), got '" + text +
          "'");
    }
    digits.remove_prefix(
        std::min(digits.find_first_not_of('0'), digits.size() - 1));
    return digits.size() > 10 ? UINT64_MAX : std::stoull(std::string(digits));
  };
  const std::uint64_t index = number(std::string_view(text).substr(0, slash));
  const std::uint64_t count = number(std::string_view(text).substr(slash + 1));
  if (count > kMostParts) {
    throw UsageError("--part K/N: N is at most " + std::to_string(kMostParts) +
                     ", got '" + text + "'");
  }
  if (index < 1 || index > count) {
    throw UsageError("--part K/N needs 1 <= K <= N, got '" + text + "'");
  }
  return Part{static_cast<unsigned>(index), static_cast<unsigned>(count)};
}

// A store is a folder of chunk files: it has no stream to write to, and
// parts of it are not joined (docs/CLUSTER.md).
void refuseWithVcz(const ConvertArgs& args) {
  if (args.output.empty() || args.output == "-") {
    throw UsageError(
        "--format vcz writes a folder (a Zarr store): give -o OUT.vcz");
  }
  if (!args.part.empty()) {
    throw UsageError(
        "--part does not take --format vcz: convert the whole input into one "
        "store, or convert parts to VCF and join them with hapmat concat "
        "(docs/CLUSTER.md, \"VCF Zarr\")");
  }
  if (args.vcz.samplesChunk < 1) {
    throw UsageError("--vcz-samples-chunk must be at least 1");
  }
}

void applyNamedOptions(ConvertArgs& args) {
  ConvertOptions& options = args.options;
  options.delimiter = args.delimiter == "space" ? DelimiterChoice::kSpace
                      : args.delimiter == "tab" ? DelimiterChoice::kTab
                                                : DelimiterChoice::kAuto;
  options.outDelimiter =
      args.outDelimiter == "tab" ? Delimiter::kTab : Delimiter::kSpace;
  // A VCF Zarr store holds the VCF's records: the conversion writes VCF,
  // and the store's sink takes its text.
  options.format =
      args.format == "phase-extender" ? OutputFormat::kPhaseExtender
      : args.format == "vcf" || args.format == "vcz" ? OutputFormat::kVcf
      : args.format == "bcf" || args.format == "ubcf"
          ? OutputFormat::kBcf
          : OutputFormat::kHaplotype;
  if (!options.faiPath.empty() && !hasVcfRecords(options.format)) {
    throw UsageError("--fai applies to --format vcf, bcf, ubcf and vcz only");
  }
  if (args.format == "vcz") {
    refuseWithVcz(args);
  } else if (args.vcz.variantsChunk != 0 ||
             args.vcz.samplesChunk != VczOptions{}.samplesChunk) {
    throw UsageError(
        "--vcz-variants-chunk and --vcz-samples-chunk apply to --format vcz "
        "only");
  }
  options.engine =
      args.engine == "reference" ? Engine::kReference : Engine::kSimd;
  if (options.engine == Engine::kReference && !options.simdTarget.empty()) {
    throw UsageError(
        "--simd applies to --engine simd only: the reference engine uses no "
        "SIMD");
  }
  options.blockSize = parseByteSize(args.blockSize);
  options.maxLineBytes = parseByteSize(args.maxLineBytes);
  if (options.blockSize < 4096 || options.blockSize > (std::size_t{1} << 30)) {
    throw UsageError("--block-size must be between 4K and 1G");
  }
  if (options.maxLineBytes < options.blockSize) {
    throw UsageError("--max-line-bytes must be at least --block-size");
  }
  options.missing =
      args.missing == "ref" ? MissingGenotype::kRef : MissingGenotype::kDot;
  options.gaps = args.gaps == "star" ? VcfGaps::kStar : VcfGaps::kDeletions;
  if (options.maxDeletion < 1 || options.maxDeletion > 10'000'000) {
    throw UsageError("--max-deletion must be between 1 and 10000000, got " +
                     std::to_string(options.maxDeletion));
  }
  options.index = args.index == "tbi"    ? VcfIndex::kTbi
                  : args.index == "csi"  ? VcfIndex::kCsi
                  : args.index == "auto" ? VcfIndex::kAuto
                                         : VcfIndex::kNone;
  if (args.format == "bcf" && options.index != VcfIndex::kNone) {
    if (options.index == VcfIndex::kTbi) {
      throw UsageError(
          "--index=tbi: a BCF's index is CSI (--index or "
          "--index=csi)");
    }
    if (args.output.empty() || args.output == "-") {
      throw UsageError("--index needs an output file");
    }
    options.index = VcfIndex::kCsi;
  } else if (options.index != VcfIndex::kNone &&
             (args.format != "vcf" || !Output::compresses(args.output))) {
    throw UsageError(
        "--index needs --format vcf and an output file ending in .gz or "
        ".bgz, or --format bcf");
  }
  if (!args.part.empty()) options.part = parsePart(args.part);
  const std::string samplesPath = options.samplesFile.starts_with('^')
                                      ? options.samplesFile.substr(1)
                                      : options.samplesFile;
  refuseOutputOverInput(args.output,
                        {{"the input", options.inputPath},
                         {"the --header file", options.headerPath},
                         {"the --pairs file", options.pairsPath},
                         {"the --fai file", options.faiPath},
                         {"the --regions-file", options.regionsFile},
                         {"the --samples-file", samplesPath}});
}

// The part's record goes beside it once the part is in place, and the
// record of an earlier run of that name before: a part file whose record is
// missing or another's is refused by concat. Standard output, a device or a
// FIFO gets no record.
Stats convertAndRecordPart(const ConvertOptions& options,
                           const std::string& path, Output& out) {
  PartRecord record;
  Stats stats = convertPart(options, out.sink(), record);
  out.finish();
  if (out.file() < 0) {
    out.commit();
    return stats;
  }
  recordOutput(record, out.file(), path, out.bgzf());
  removePartRecord(path);
  out.commit();
  writePartRecord(record, path);
  return stats;
}

Stats convertToStore(ConvertArgs& args, unsigned threads) {
  VczOptions vcz = args.vcz;
  vcz.ploidy = args.options.haploid ? 1 : 2;
  vcz.threads = threads;
  VczSink store(args.output, vcz);
  WatchedTempFolder watched(store.tempPath());
  Stats stats = convert(args.options, store);
  stats.bytesWritten = store.commit();  // the store's, not the VCF text's
  return stats;
}

// A part's rows are checked for an index, but the index is the joined
// file's: `hapmat concat --index` writes it.
void runConvert(ConvertArgs& args) {
  applyNamedOptions(args);
  auto start = std::chrono::steady_clock::now();
  unsigned threads = args.options.threads != 0
                         ? args.options.threads
                         : std::max(1u, std::thread::hardware_concurrency());
  const std::optional<Part>& part = args.options.part;
  std::uint64_t inputBytes = regularFileSize(args.options.inputPath);
  if (part) inputBytes /= part->count;
  ProgressLine progress(
      inputBytes, chooseProgressMode(args.progress, args.quiet, args.output));
  args.options.onProgress = [&progress](const Progress& done) {
    progress.update(done);
  };
  PipelineStats pipeline;
  if (!args.statsPath.empty()) args.options.pipelineStats = &pipeline;
  Stats stats;
  if (args.format == "vcz") {
    stats = convertToStore(args, threads);
  } else {
    const bool bcf = args.format == "bcf";
    Output out(args.output,
               {threads, args.options.index != VcfIndex::kNone && !part,
                args.format != "ubcf", bcf, args.level, bcf});
    if (part) {
      stats = convertAndRecordPart(args.options, args.output, out);
    } else {
      stats = convert(args.options, out.sink());
      out.commit(stats.index == VcfIndex::kCsi ? VcfIndexFormat::kCsi
                                               : VcfIndexFormat::kTbi);
    }
  }
  progress.clear();
  // Not silenced by --quiet: the run succeeded, and a warning is then the
  // only sign that rows may be missing.
  for (const std::string& warning : stats.warnings) {
    std::cerr << "hapmat: warning: " << warning << '\n';
  }
  std::chrono::duration<double> seconds =
      std::chrono::steady_clock::now() - start;
  if (!args.statsPath.empty()) {
    writeStageStats(args.statsPath,
                    stageStatsJson(stats, pipeline, seconds.count()));
  }
  if (!args.quiet) {
    printSummary(stats, seconds.count(), args.options);
  }
}

}  // namespace

std::vector<std::string> joinIndexValues(int argc, char** argv) {
  std::vector<std::string> args(argv, argv + argc);
  for (std::size_t i = 0; i + 1 < args.size(); ++i) {
    std::string value = args[i + 1];
    for (char& c : value) c = static_cast<char>(std::tolower(c));
    if (args[i] == "--index" &&
        (value == "auto" || value == "tbi" || value == "csi")) {
      args[i] += "=" + value;
      args.erase(args.begin() + static_cast<std::ptrdiff_t>(i) + 1);
    }
  }
  return args;
}

void addConvertCommand(CLI::App& app) {
  auto args = std::make_shared<ConvertArgs>();
  CLI::App* cmd = app.add_subcommand(
      "convert", "Convert a genome matrix into a haplotype table or VCF");
  ConvertOptions& options = args->options;
  cmd->add_option("INPUT", options.inputPath,
                  "Genome matrix file (plain, gzip or BGZF), or - for standard "
                  "input")
      ->required();
  cmd->add_option("-o,--output", args->output,
                  "Output file (default: standard output); written under a "
                  "temporary name and renamed on success; a name ending in "
                  ".gz or .bgz is compressed as BGZF");
  cmd->add_option("--header", options.headerPath,
                  "File with the column names (CHROM POS REF H1 ...), when "
                  "the matrix has no header line")
      ->check(CLI::ExistingFile);
  cmd->add_option("--pairs", options.pairsPath,
                  "File of samples, one 'NAME COLUMN_A COLUMN_B' a line "
                  "(default: pair <stem>a with <stem>b)")
      ->check(CLI::ExistingFile);
  cmd->add_option("-r,--regions", options.regions,
                  "Only the rows in these regions, as bcftools view -r: "
                  "CHROM, CHROM:POS, CHROM:FROM- or CHROM:FROM-TO (1-based), "
                  "joined by commas, e.g. -r 2:1000001-2000000,X. A plain or "
                  "BGZF file is bisected (each CHROM's rows together, sorted "
                  "by POS), other input filtered as it streams");
  cmd->add_option("-R,--regions-file", options.regionsFile,
                  "Regions from a file, as bcftools view -R: BED (0-based) "
                  "when named .bed or .bed.gz, else CHROM POS or CHROM FROM "
                  "TO (1-based) a line")
      ->check(CLI::ExistingFile);
  cmd->add_option("-s,--samples", options.samples,
                  "Only these samples, in this order, as bcftools view -s "
                  "(AC and AN counted over them; every row kept): names "
                  "joined by commas, e.g. -s 10,3; ^ first writes every "
                  "sample but those, e.g. -s ^MA");
  cmd->add_option("-S,--samples-file", options.samplesFile,
                  "Samples from a file, one name a line, as -s; ^FILE "
                  "excludes them");
  cmd->add_flag("--all-sites", options.allSites,
                "Write every row, invariant ones too, with ALT '.' (VCF: GT "
                "0|0), as diversity tools (pixy) need");
  cmd->add_flag("--haploid", options.haploid,
                "VCF: each haplotype column is a haploid sample named by the "
                "column, GT 0, 1 or . (no --pairs)");
  cmd->add_option("--format", args->format,
                  "haplotype: the original script's haplotype table; "
                  "phase-extender: the haplotype reference panel (--refHap "
                  "file) of the phasing tool phase-Extender, tab-separated; "
                  "vcf: VCFv4.2 with phased genotypes; bcf: the same records "
                  "as BCF, BGZF-compressed whatever the output's name, "
                  "standard output too (bcftools -Ob); ubcf: uncompressed "
                  "BCF, for a pipe into bcftools (bcftools -Ou); vcz: the "
                  "VCF's records as a VCF Zarr store (a folder, -o OUT.vcz) "
                  "that Python's zarr, sgkit and vcztools read")
      ->transform(
          oneOf({"haplotype", "phase-extender", "vcf", "bcf", "ubcf", "vcz"}))
      ->capture_default_str();
  cmd->add_option("--vcz-variants-chunk", args->vcz.variantsChunk,
                  "VCF Zarr: variants a chunk (default: 10000, fewer when "
                  "a chunk's genotypes would pass 8 MiB)");
  cmd->add_option("--vcz-samples-chunk", args->vcz.samplesChunk,
                  "VCF Zarr: samples a chunk")
      ->capture_default_str();
  cmd->add_option("--fai", options.faiPath,
                  "VCF: FASTA index (samtools faidx) whose sequences are the "
                  "##contig lines, with their lengths; a CHROM not in it, or "
                  "a written row past its length, is an error. Without it the "
                  "##contig lines are the matrix's "
                  "CHROMs; to standard output or a FIFO they are read from "
                  "the input file first, and from standard input the rows "
                  "are held in a temporary file ($TMPDIR) until it ends")
      ->check(CLI::ExistingFile);
  cmd->add_option("--missing", args->missing,
                  "VCF: a missing allele (N) is written dot ('.') or ref "
                  "(REF's 0, for reference panels: Beagle, SHAPEIT4)")
      ->transform(oneOf({"dot", "ref"}))
      ->capture_default_str();
  cmd->add_option("--gaps", args->gaps,
                  "VCF, BCF, VCF Zarr: each run of gaps (-) in a haplotype "
                  "an anchored, left-aligned deletion (deletions), or each "
                  "gap its own '*' allele per position (star, as hapmat "
                  "0.1 wrote them)")
      ->transform(oneOf({"deletions", "star"}))
      ->capture_default_str();
  cmd->add_option("--max-deletion", options.maxDeletion,
                  "VCF deletions: the longest stretch of overlapping "
                  "deletions written as one record, in bases (longer ones "
                  "are written as missing alleles); bounds their memory")
      ->capture_default_str();
  cmd->add_option("--delimiter", args->delimiter, "Input field delimiter")
      ->transform(oneOf({"auto", "space", "tab"}))
      ->capture_default_str();
  cmd->add_option("--out-delimiter", args->outDelimiter,
                  "Output field delimiter (haplotype format; "
                  "phase-extender and vcf are always tab-separated)")
      ->transform(oneOf({"space", "tab"}))
      ->capture_default_str();
  cmd->add_option(
         "-t,--threads", options.threads,
         "Worker threads, also compressing a .gz or .bgz output or a BCF "
         "(0: every core)")
      ->check(CLI::Range(0, 4096))
      ->capture_default_str();
  cmd->add_option("-l,--compression-level", args->level,
                  "BGZF compression level of a .gz/.bgz output or a BCF: 0 "
                  "stores (no compression, BGZF blocks still), 1 fastest, 9 "
                  "smallest; the decompressed bytes are the same at every "
                  "level")
      ->check(CLI::Range(0, 9))
      ->capture_default_str();
  cmd->add_option("--block-size", args->blockSize,
                  "Bytes read at a time, e.g. 64K, 8M (4K to 1G)")
      ->capture_default_str();
  cmd->add_option("--max-line-bytes", args->maxLineBytes,
                  "Longest line accepted, in bytes without its newline "
                  "(a CR before it counts), e.g. 4K accepts 4096 bytes")
      ->capture_default_str();
  cmd->add_option("--engine", args->engine,
                  "simd: SIMD kernels in a parallel pipeline; reference: the "
                  "plain scalar converter (same output, slower)")
      ->transform(oneOf({"simd", "reference"}))
      ->capture_default_str();
  cmd->add_option("--simd", options.simdTarget,
                  "Force one SIMD target, e.g. AVX2 or SSE4, for --engine simd "
                  "(default: the best; hapmat --version lists them)");
  cmd->add_option("--part", args->part,
                  "Convert only part K of N (K/N, 1 <= K <= N <= 999999999) "
                  "of a plain or BGZF file: the rows that start in its K-th "
                  "Nth of bytes; part 1 writes the header. Beside -o PART "
                  "goes its record, PART.hapmat-part (input, options, "
                  "checksum), by which `hapmat concat` checks the parts and "
                  "joins them into the whole run's output (docs/CLUSTER.md)");
  cmd->add_flag("--index{auto}", args->index,
                "VCF: index the .gz/.bgz output: --index writes PATH.tbi when "
                "every row fits a tabix index, else PATH.csi; --index=tbi or "
                "--index=csi forces one. Rows out of order for an index stop "
                "the run at their line (with --part, the index is written by "
                "hapmat concat --index). Without --index, an index of the "
                "output's name left by an earlier run is removed")
      ->transform(oneOf({"auto", "tbi", "csi"}));
  cmd->add_option("--stats", args->statsPath,
                  "Write the run's counts and each pipeline stage's busy "
                  "time to FILE as JSON, to see how much of the run is "
                  "serial (docs/FORMAT.md)")
      ->type_name("FILE");
  cmd->add_flag("--skip-bad-rows", options.skipBadRows,
                "Skip malformed rows and report them, instead of stopping");
  cmd->add_flag("-q,--quiet", args->quiet,
                "No progress and no summary on standard error (warnings "
                "still show)");
  cmd->add_flag("--progress", args->progress,
                "Also show progress when standard error is a file or pipe "
                "(a plain line every few seconds), or on a terminal when the "
                "rows go into a pipe (a pager there would be drawn over)");
  cmd->callback([args] { runConvert(*args); });
}

}  // namespace hapmat::cli
