// `hapmat concat`: joins the outputs of `hapmat convert --part K/N`, in
// order, into the whole run's output, and indexes it.

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <memory>
#include <string>
#include <vector>

#include "cli/cli_util.hpp"
#include "cli/commands.hpp"
#include "hapmat/error.hpp"
#include "io/compressed_input.hpp"
#include "io/input_source.hpp"

namespace hapmat::cli {

namespace {

// BGZF writers end a file with this empty block.
constexpr unsigned char kEofBlock[] = {
    0x1f, 0x8b, 8,    4, 0, 0, 0, 0, 0, 0xff, 6, 0, 'B', 'C',
    2,    0,    0x1b, 0, 3, 0, 0, 0, 0, 0,    0, 0, 0,   0};

constexpr std::size_t kCopyBytes = std::size_t{1} << 20;

struct ConcatArgs {
  std::vector<std::string> parts;
  std::string output;
  std::string index;  // empty: none
  bool quiet = false;
};

Compression kindOf(InputSource& part) {
  return detectCompression(part.peek(kCompressionMagicBytes));
}

// A plain part is copied as it is; one that does not end with a line end
// was cut short (a part's rows always end with one).
std::uint64_t copyPlain(InputSource& part, ByteSink& out) {
  std::vector<char> buffer(kCopyBytes);
  std::uint64_t bytes = 0;
  char last = '\n';
  for (std::size_t n; (n = part.read(buffer.data(), buffer.size())) > 0;) {
    out.write({buffer.data(), n});
    bytes += n;
    last = buffer[n - 1];
  }
  if (last != '\n') {
    throw UsageError(part.name() +
                     ": does not end with a line end: a part cut short?");
  }
  return bytes;
}

// A BGZF part is copied block by block, checked as it goes, without its
// end-of-file block, which only the whole file ends with; a part without
// one did not finish.
std::uint64_t copyBgzf(InputSource& part, ByteSink& out) {
  BgzfBlockReader blocks(part);
  std::vector<char> raw;
  std::vector<BgzfBlock> list;
  std::string held;  // the last block read: the end-of-file block, or not
  std::uint64_t bytes = 0;
  try {
    while (blocks.readBlocks(kCopyBytes, raw, list)) {
      out.write(held);
      bytes += held.size();
      const BgzfBlock& last = list.back();
      out.write({raw.data(), last.offset});
      bytes += last.offset;
      held.assign(raw.data() + last.offset, last.size);
      raw.clear();
      list.clear();
    }
  } catch (const CorruptStream& e) {
    throw UsageError(part.name() + ": " + e.what() + " (compressed byte " +
                     std::to_string(e.offset()) + "): a part cut short?");
  }
  if (held != std::string_view(reinterpret_cast<const char*>(kEofBlock),
                               sizeof kEofBlock)) {
    throw UsageError(part.name() +
                     ": no BGZF end-of-file block: a part cut short, or not "
                     "written by hapmat convert --part");
  }
  return bytes;
}

void runConcat(const ConcatArgs& args) {
  std::vector<InputFile> inputs;
  for (const std::string& part : args.parts) inputs.push_back({"a part", part});
  refuseOutputOverInput(args.output, inputs);
  std::vector<std::unique_ptr<InputSource>> parts;
  for (const std::string& path : args.parts) {
    parts.push_back(InputSource::open(path));
  }
  const bool bgzf = kindOf(*parts.front()) == Compression::kBgzf;
  for (auto& part : parts) {
    Compression kind = kindOf(*part);
    if ((kind == Compression::kBgzf) != bgzf || kind == Compression::kGzip) {
      throw UsageError(part->name() + ": " +
                       (kind == Compression::kGzip
                            ? "gzip, not BGZF: not a part hapmat wrote"
                            : "parts must all be BGZF or all plain text"));
    }
  }
  if (!args.index.empty() && !bgzf) {
    throw UsageError("--index needs parts in BGZF (.gz or .bgz outputs)");
  }
  Output out(args.output, {1, !args.index.empty(), false});
  std::uint64_t bytes = 0;
  for (auto& part : parts) {
    bytes += bgzf ? copyBgzf(*part, out.sink()) : copyPlain(*part, out.sink());
  }
  if (bgzf) {
    out.sink().write(
        {reinterpret_cast<const char*>(kEofBlock), sizeof kEofBlock});
    bytes += sizeof kEofBlock;
  }
  out.commit(args.index == "tbi"   ? VcfIndexFormat::kTbi
             : args.index == "csi" ? VcfIndexFormat::kCsi
                                   : VcfIndexFormat::kTbiIfItFits);
  if (!args.quiet) {
    std::fprintf(stderr, "hapmat: joined %zu part%s, %s\n", parts.size(),
                 parts.size() == 1 ? "" : "s", humanBytes(bytes).c_str());
  }
}

}  // namespace

void addConcatCommand(CLI::App& app) {
  auto args = std::make_shared<ConcatArgs>();
  CLI::App* cmd = app.add_subcommand(
      "concat",
      "Join the outputs of hapmat convert --part 1/N ... N/N, in that order, "
      "into the whole run's output (BGZF parts into one BGZF file)");
  cmd->add_option("PART", args->parts,
                  "The parts' output files, in order (part 1 first)")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("-o,--output", args->output,
                  "Output file (default: standard output); written under a "
                  "temporary name and renamed when every part was joined");
  cmd->add_flag("--index{auto}", args->index,
                "VCF in BGZF: index the joined file: PATH.tbi when every row "
                "fits a tabix index, else PATH.csi; --index=tbi or "
                "--index=csi forces one")
      ->transform(oneOf({"auto", "tbi", "csi"}));
  cmd->add_flag("-q,--quiet", args->quiet, "No summary on standard error");
  cmd->callback([args] { runConcat(*args); });
}

}  // namespace hapmat::cli
