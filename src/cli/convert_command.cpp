// `hapmat convert`: the production run.

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <memory>
#include <thread>

#include "cli/cli_util.hpp"
#include "cli/commands.hpp"
#include "cli/progress.hpp"
#include "hapmat/convert.hpp"
#include "hapmat/error.hpp"

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
  std::string index;  // empty: none
  bool progress = false;
  bool quiet = false;
};

double peakRssMiB() {
  struct rusage usage {};
  ::getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;
}

void printSummary(const Stats& stats, double seconds, bool vcf) {
  for (const std::string& row : stats.firstSkipped) {
    std::cerr << "hapmat: skipped " << row << '\n';
  }
  char text[512];
  std::snprintf(text, sizeof text,
                "hapmat: %llu rows read, %llu written, %llu skipped as bad; ",
                static_cast<unsigned long long>(stats.rowsRead),
                static_cast<unsigned long long>(stats.rowsWritten),
                static_cast<unsigned long long>(stats.rowsSkipped));
  if (vcf) {
    std::snprintf(text + std::strlen(text), sizeof text - std::strlen(text),
                  "VCF: %llu rows not written (REF not in ACGTN), %llu "
                  "alleles left out of ALT; ",
                  static_cast<unsigned long long>(stats.vcfRowsDropped),
                  static_cast<unsigned long long>(stats.vcfAllelesDropped));
  }
  std::cerr << text << humanBytes(stats.bytesRead) << " in, "
            << humanBytes(stats.bytesWritten) << " out; ";
  double gbPerSecond =
      seconds > 0 ? static_cast<double>(stats.bytesRead) / seconds / 1e9 : 0;
  std::snprintf(text, sizeof text, "%.2f s, %.3f GB/s; peak RSS %.1f MiB\n",
                seconds, gbPerSecond, peakRssMiB());
  std::cerr << text;
}

void applyNamedOptions(ConvertArgs& args) {
  ConvertOptions& options = args.options;
  options.delimiter = args.delimiter == "space" ? DelimiterChoice::kSpace
                      : args.delimiter == "tab" ? DelimiterChoice::kTab
                                                : DelimiterChoice::kAuto;
  options.outDelimiter =
      args.outDelimiter == "tab" ? Delimiter::kTab : Delimiter::kSpace;
  options.format = args.format == "phase-extender"
                       ? OutputFormat::kPhaseExtender
                   : args.format == "vcf" ? OutputFormat::kVcf
                                          : OutputFormat::kHaplotype;
  if (!options.faiPath.empty() && options.format != OutputFormat::kVcf) {
    throw UsageError("--fai applies to --format vcf only");
  }
  options.engine =
      args.engine == "reference" ? Engine::kReference : Engine::kSimd;
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
  options.index = args.index == "tbi"    ? VcfIndex::kTbi
                  : args.index == "csi"  ? VcfIndex::kCsi
                  : args.index == "auto" ? VcfIndex::kAuto
                                         : VcfIndex::kNone;
  if (options.index != VcfIndex::kNone &&
      (options.format != OutputFormat::kVcf ||
       !Output::compresses(args.output))) {
    throw UsageError(
        "--index needs --format vcf and an output file ending in .gz or .bgz");
  }
}

void runConvert(ConvertArgs& args) {
  applyNamedOptions(args);
  auto start = std::chrono::steady_clock::now();
  unsigned threads = args.options.threads != 0
                         ? args.options.threads
                         : std::max(1u, std::thread::hardware_concurrency());
  Output out(args.output, {threads, args.options.index != VcfIndex::kNone});
  ProgressLine progress(
      regularFileSize(args.options.inputPath),
      !args.quiet && (args.progress || ::isatty(STDERR_FILENO) == 1));
  args.options.onProgress = [&progress](const Progress& done) {
    progress.update(done);
  };
  Stats stats = convert(args.options, out.sink());
  out.commit(stats.index == VcfIndex::kCsi);
  progress.clear();
  std::chrono::duration<double> seconds =
      std::chrono::steady_clock::now() - start;
  if (!args.quiet) {
    printSummary(stats, seconds.count(),
                 args.options.format == OutputFormat::kVcf);
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
                  ".gz is compressed as BGZF");
  cmd->add_option("--header", options.headerPath,
                  "File with the column names (CHROM POS REF H1 ...), when "
                  "the matrix has no header line")
      ->check(CLI::ExistingFile);
  cmd->add_option("--pairs", options.pairsPath,
                  "File of samples, one 'NAME COLUMN_A COLUMN_B' a line "
                  "(default: pair <stem>a with <stem>b)")
      ->check(CLI::ExistingFile);
  cmd->add_option("--format", args->format,
                  "haplotype: the original script's haplotype table; "
                  "phase-extender: phase-Extender's haplotype reference panel "
                  "(its --refHap file); vcf: VCFv4.2 with phased genotypes")
      ->transform(oneOf({"haplotype", "phase-extender", "vcf"}))
      ->capture_default_str();
  cmd->add_option("--fai", options.faiPath,
                  "VCF: FASTA index (samtools faidx) whose sequences are the "
                  "##contig lines, with their lengths; a CHROM not in it is an "
                  "error. Without it the ##contig lines are the matrix's "
                  "CHROMs; to standard output the rows are then held in a "
                  "temporary file ($TMPDIR) until the input ends")
      ->check(CLI::ExistingFile);
  cmd->add_option("--missing", args->missing,
                  "VCF: a missing allele (N) is written dot ('.') or ref "
                  "(REF's 0, for reference panels: Beagle, SHAPEIT4)")
      ->transform(oneOf({"dot", "ref"}))
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
         "Worker threads, also compressing a .gz output (0: every core)")
      ->check(CLI::Range(0, 4096))
      ->capture_default_str();
  cmd->add_option("--block-size", args->blockSize,
                  "Bytes read at a time, e.g. 64K, 8M (4K to 1G)")
      ->capture_default_str();
  cmd->add_option("--max-line-bytes", args->maxLineBytes,
                  "Longest line accepted")
      ->capture_default_str();
  cmd->add_option("--engine", args->engine,
                  "simd: SIMD kernels in a parallel pipeline; reference: the "
                  "plain scalar converter (same output, slower)")
      ->transform(oneOf({"simd", "reference"}))
      ->capture_default_str();
  cmd->add_option("--simd", options.simdTarget,
                  "Force one SIMD target, e.g. AVX2 or SSE4 (default: the "
                  "best; hapmat --version lists them)");
  cmd->add_flag("--index{auto}", args->index,
                "VCF: index the .gz/.bgz output: --index writes PATH.tbi when "
                "every row fits a tabix index, else PATH.csi; --index=tbi or "
                "--index=csi forces one. Rows out of order for an index stop "
                "the run at their line")
      ->transform(oneOf({"auto", "tbi", "csi"}));
  cmd->add_flag("--skip-bad-rows", options.skipBadRows,
                "Skip malformed rows and report them, instead of stopping");
  cmd->add_flag("-q,--quiet", args->quiet,
                "No progress and no summary on standard error");
  cmd->add_flag("--progress", args->progress,
                "Show progress even when standard error is not a terminal");
  cmd->callback([args] { runConvert(*args); });
}

}  // namespace hapmat::cli
