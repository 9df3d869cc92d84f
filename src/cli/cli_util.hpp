#pragma once
// Pieces every subcommand shares: sizes, output files, signal cleanup.

#include <CLI/CLI.hpp>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "hapmat/output.hpp"
#include "hapmat/schema.hpp"

namespace hapmat::cli {

/** "812 B", "1.5 kB", "3.2 MB", "2.36 GB" (powers of 1000). */
std::string humanBytes(std::uint64_t bytes);

/** Parses `4096`, `4K`, `8M`, `1G` (powers of 1024). Throws UsageError. */
std::size_t parseByteSize(const std::string& text);

/**
 * For ->transform(): accepts one of `names` in any case and stores it as
 * written here, so that code comparing the value sees the canonical name
 * (CLI11's IsMember with ignore_case accepts "TAB" but keeps it as typed).
 */
CLI::Validator oneOf(const std::vector<std::string>& names);

/** The names an option takes through oneOf(), in order; none for another
 * option (read from its type name, as --help shows them). */
std::vector<std::string> choicesOf(const CLI::Option& option);

/** "-o", "--output": the option's names as typed, short ones first. */
std::vector<std::string> optionNames(const CLI::Option& option);

/** Whether the option takes a value (a flag takes none, or one after `=`). */
bool takesValue(const CLI::Option& option);

/** Every subcommand of `app`, in the order they were added. */
std::vector<const CLI::App*> subcommandsOf(const CLI::App& app);

/** A file a command reads, and what to call it in messages ("--header"). */
struct InputFile {
  std::string role;
  std::string path;
};

/**
 * Throws UsageError when `output` is one of `inputs` (the same regular file
 * by device and inode, however it is spelled: through a link, another
 * path), which writing the output would replace. "-", devices and FIFOs
 * never match: they are not replaced.
 */
void refuseOutputOverInput(const std::string& output,
                           const std::vector<InputFile>& inputs);

/** While it lives, SIGINT, SIGTERM and SIGHUP remove the folder `path`
 * (a store being written) before ending the run. */
class WatchedTempFolder {
 public:
  explicit WatchedTempFolder(const std::string& path);
  ~WatchedTempFolder();
  WatchedTempFolder(const WatchedTempFolder&) = delete;
  WatchedTempFolder& operator=(const WatchedTempFolder&) = delete;
};

/** How an output file is written. */
struct OutputOptions {
  /// Compression threads for a compressed output (see Output::compresses)
  unsigned threads = 1;
  /// Also write an index beside it (PATH.tbi or PATH.csi): VCF only
  bool vcfIndex = false;
  /// A path ending in .gz or .bgz is compressed as BGZF (else raw bytes)
  bool compress = true;
  /// BGZF whatever the name, standard output too (BCF, as bcftools -Ob)
  bool alwaysBgzf = false;
  /// The BGZF compression level, 0-9
  int level = kDefaultBgzfLevel;
  /// The index is a BCF's (.csi), not a VCF's
  bool bcfIndex = false;
};

/**
 * The output of a subcommand: standard output when path is empty or "-";
 * a device or FIFO that exists (such as /dev/null), written directly;
 * otherwise an AtomicOutputFile whose temporary file SIGINT/SIGTERM remove.
 * A path ending in ".gz" or ".bgz", in any case, is compressed as BGZF.
 */
class Output {
 public:
  explicit Output(const std::string& path, OutputOptions options = {});
  ~Output();
  ByteSink& sink();
  /** The temporary file being written, or -1 for standard output, a device
   * or a FIFO. Whole (compressed and flushed) after finish(). */
  int file() const { return file_ ? file_->fd() : -1; }
  /** Writes out everything buffered, BGZF's end-of-file block included:
   * only commit() may follow. */
  void finish();
  /** Flushes, writes the index (if asked for), and renames the files into
   * place; without an index, an index of the file's name left by an
   * earlier run is removed. */
  void commit(VcfIndexFormat index = VcfIndexFormat::kTbi);

  /** Whether `path` names a file that will be compressed. */
  static bool compresses(const std::string& path);
  /** Whether this output is BGZF. */
  bool bgzf() const { return bgzf_ != nullptr; }

 private:
  void commitIndex(VcfIndexFormat format);
  void removeOldIndexes();

  std::string path_;
  OutputOptions options_;
  std::unique_ptr<AtomicOutputFile> file_;
  std::unique_ptr<FdSink> stream_;
  std::unique_ptr<BgzfSink> bgzf_;
  int streamFd_ = -1;  // owned when it is not standard output
};

}  // namespace hapmat::cli
