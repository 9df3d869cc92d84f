// `hapmat concat`: joins the outputs of `hapmat convert --part K/N` into the
// whole run's output, and indexes it; the checks are the library's
// (hapmat/parts.hpp).

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "cli/cli_util.hpp"
#include "cli/commands.hpp"
#include "hapmat/error.hpp"
#include "hapmat/parts.hpp"

namespace hapmat::cli {

namespace {

struct ConcatArgs {
  std::vector<std::string> parts;
  std::string output;
  std::string index;  // empty: none
  int level = kDefaultBgzfLevel;
  bool quiet = false;
};

// The output is compressed by its name, as convert's: BGZF parts into a
// BGZF file are copied block by block, anything else goes through as text.
// BCF parts (--format bcf) join into BGZF whatever the name, as they were
// written: their blocks are copied.
void runConcat(const ConcatArgs& args) {
  std::vector<InputFile> inputs;
  for (const std::string& part : args.parts) inputs.push_back({"a part", part});
  refuseOutputOverInput(args.output, inputs);
  PartSet parts(args.parts);
  const bool bcf = parts.format() == OutputFormat::kBcf && parts.bgzf();
  const bool bgzfOutput = bcf || Output::compresses(args.output);
  if (!args.index.empty() && !bgzfOutput) {
    throw UsageError(
        "--index needs an output file ending in .gz or .bgz, or BCF parts");
  }
  if (!args.index.empty() && parts.format() != OutputFormat::kVcf && !bcf) {
    throw UsageError(
        "--index needs VCF or BCF parts; these are not (--format vcf or bcf)");
  }
  if (bcf && args.index == "tbi") {
    throw UsageError(
        "--index=tbi: a BCF's index is CSI (--index or "
        "--index=csi)");
  }
  if (bcf && !args.index.empty() &&
      (args.output.empty() || args.output == "-")) {
    throw UsageError("--index needs an output file");
  }
  const bool rawBlocks = bgzfOutput && parts.bgzf();
  Output out(args.output,
             {1, !args.index.empty(), !rawBlocks, false, args.level, bcf});
  JoinStats stats = parts.join(out.sink(), rawBlocks);
  out.commit(args.index == "tbi"   ? VcfIndexFormat::kTbi
             : args.index == "csi" ? VcfIndexFormat::kCsi
                                   : VcfIndexFormat::kTbiIfItFits);
  if (!args.quiet) {
    std::fprintf(stderr, "hapmat: joined %zu part%s, %llu rows, %s read\n",
                 stats.parts, stats.parts == 1 ? "" : "s",
                 static_cast<unsigned long long>(stats.rows),
                 humanBytes(stats.bytesRead).c_str());
  }
}

}  // namespace

void addConcatCommand(CLI::App& app) {
  auto args = std::make_shared<ConcatArgs>();
  CLI::App* cmd = app.add_subcommand(
      "concat",
      "Join the outputs of hapmat convert --part 1/N ... N/N into the whole "
      "run's output, in part order whatever the order given, after checking "
      "each part against its record (PART.hapmat-part) and the others");
  cmd->add_option("PART", args->parts,
                  "The parts' output files, all N of one run, in any order")
      ->required();
  cmd->add_option("-o,--output", args->output,
                  "Output file (default: standard output); written under a "
                  "temporary name and renamed when every part was joined; a "
                  "name ending in .gz or .bgz is BGZF, any other plain text");
  cmd->add_flag("--index{auto}", args->index,
                "VCF parts into a .gz/.bgz output: index the joined file: "
                "PATH.tbi when every row fits a tabix index, else PATH.csi; "
                "--index=tbi or --index=csi forces one; BCF parts: PATH.csi")
      ->transform(oneOf({"auto", "tbi", "csi"}));
  cmd->add_option("-l,--compression-level", args->level,
                  "BGZF compression level (0-9) of a .gz/.bgz output made "
                  "from plain parts; BGZF parts are copied block by block, "
                  "as compressed")
      ->check(CLI::Range(0, 9))
      ->capture_default_str();
  cmd->add_flag("-q,--quiet", args->quiet, "No summary on standard error");
  cmd->callback([args] { runConcat(*args); });
}

}  // namespace hapmat::cli
