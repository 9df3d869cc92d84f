// `hapmat simulate`: writes a realistic genome matrix, the benchmarks' input.

#include <cerrno>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "cli/cli_util.hpp"
#include "cli/commands.hpp"
#include "hapmat/error.hpp"
#include "hapmat/simulate.hpp"

namespace hapmat::cli {

namespace {

struct SimulateArgs {
  SimulateOptions options;
  std::string output;
  std::size_t haplotypeCount = 0;
  CLI::Option* haplotypeCountOption = nullptr;
  std::string namesPath;
  std::string headerOut;
  std::string delimiter = "space";
};

std::string readWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throwIoError("cannot open", path, errno);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

bool isChromName(const std::string& name) {
  return name == "CHROM" || name == "#CHROM";
}

// A names file may be a whole matrix header: its CHROM POS REF are dropped.
std::vector<std::string> readNamesFile(const std::string& path) {
  std::vector<std::string> names = splitNames(readWholeFile(path));
  if (names.size() >= kFirstHaplotype && isChromName(names[kChromColumn]) &&
      names[kPosColumn] == "POS" && names[kRefColumn] == "REF") {
    names.erase(names.begin(), names.begin() + kFirstHaplotype);
  }
  if (names.empty()) throw UsageError(path + ": no haplotype names");
  std::vector<std::string> columns = {"CHROM", "POS", "REF"};
  columns.insert(columns.end(), names.begin(), names.end());
  validateColumns(columns, path);
  return names;
}

void applyNamedOptions(SimulateArgs& args) {
  SimulateOptions& options = args.options;
  if (!args.namesPath.empty()) {
    options.haplotypes = readNamesFile(args.namesPath);
  } else if (args.haplotypeCountOption->count() > 0) {
    if (args.haplotypeCount == 0) {
      throw UsageError("--haplotypes must be at least 1");
    }
    options.haplotypes = numberedHaplotypeNames(args.haplotypeCount);
  }
  options.delimiter =
      args.delimiter == "tab" ? Delimiter::kTab : Delimiter::kSpace;
}

void writeHeaderFile(const std::string& path, const SimulateOptions& options) {
  const std::vector<std::string>& names = options.haplotypes.empty()
                                              ? originalHaplotypeNames()
                                              : options.haplotypes;
  AtomicOutputFile file(path);
  file.sink().write(headerText(names, options.delimiter) + "\n");
  file.commit();
}

// The header file is committed while the matrix is still a temporary file,
// so that a failure anywhere leaves neither behind.
void runSimulate(SimulateArgs& args) {
  applyNamedOptions(args);
  refuseOutputOverInput(args.output, {{"the --names file", args.namesPath}});
  Output out(args.output);
  simulate(args.options, out.sink());
  if (!args.headerOut.empty()) writeHeaderFile(args.headerOut, args.options);
  out.commit();
}

void addShapeOptions(CLI::App* cmd, SimulateArgs& args) {
  SimulateOptions& options = args.options;
  cmd->add_option("--chroms", options.chroms,
                  "Number of chromosomes, named 1, 2, ...")
      ->capture_default_str();
  cmd->add_option("--length", options.length, "Positions (rows) per chromosome")
      ->capture_default_str();
  args.haplotypeCountOption = cmd->add_option(
      "--haplotypes", args.haplotypeCount,
      "Number of haplotype columns, named 1a 1b 2a 2b ... (an odd last one "
      "MA1); default: the original's 31 columns");
  cmd->add_option("--names", args.namesPath,
                  "File of haplotype column names, split on whitespace; a "
                  "leading CHROM POS REF is dropped")
      ->check(CLI::ExistingFile)
      ->excludes(args.haplotypeCountOption);
}

void addRateOptions(CLI::App* cmd, SimulateOptions& options) {
  cmd->add_option("--snp-rate", options.snpRate,
                  "Fraction of positions that are polymorphic")
      ->capture_default_str();
  cmd->add_option("--missing-rate", options.missingRate,
                  "Fraction of calls inside runs of N (missing assembly)")
      ->capture_default_str();
  cmd->add_option("--gap-rate", options.gapRate,
                  "Fraction of calls inside runs of - (deletions)")
      ->capture_default_str();
  cmd->add_option("--gap-length-max", options.gapLengthMax,
                  "Longest run of - (1 to this many positions; a run longer "
                  "than a block or a part tests VCF deletions' streaming)")
      ->capture_default_str();
  cmd->add_option("--multibase-rate", options.multibaseRate,
                  "Fraction of polymorphic sites whose alt is a 2-4 base "
                  "insertion allele")
      ->capture_default_str();
  cmd->add_option("--lowercase-rate", options.lowercaseRate,
                  "Fraction of positions soft-masked (written in lower case)")
      ->capture_default_str();
  cmd->add_option("--seed", options.seed,
                  "Random seed; the same seed and options give the same bytes")
      ->capture_default_str();
}

void addFormatOptions(CLI::App* cmd, SimulateArgs& args) {
  cmd->add_option("-o,--output", args.output,
                  "Output file (default: standard output); written under a "
                  "temporary name and renamed on success");
  cmd->add_flag("--header-line", args.options.headerLine,
                "Write a CHROM POS REF ... header line first");
  cmd->add_option("--header-out", args.headerOut,
                  "Also write the header line to this file (the original's "
                  "genome_matrix_header.txt)");
  cmd->add_option("--delimiter", args.delimiter, "Field delimiter")
      ->transform(oneOf({"space", "tab"}))
      ->capture_default_str();
  cmd->add_flag("--crlf", args.options.crlf, "End lines with CR LF");
}

}  // namespace

void addSimulateCommand(CLI::App& app) {
  auto args = std::make_shared<SimulateArgs>();
  CLI::App* cmd = app.add_subcommand(
      "simulate",
      "Write a realistic, deterministic genome matrix (for tests and "
      "benchmarks)");
  addShapeOptions(cmd, *args);
  addRateOptions(cmd, args->options);
  addFormatOptions(cmd, *args);
  cmd->callback([args] { runSimulate(*args); });
}

}  // namespace hapmat::cli
