#pragma once
// Pieces every subcommand shares: sizes, output files, signal cleanup.

#include <CLI/CLI.hpp>
#include <cstddef>
#include <memory>
#include <string>

#include "hapmat/output.hpp"
#include "hapmat/schema.hpp"

namespace hapmat::cli {

/** Parses `4096`, `4K`, `8M`, `1G` (powers of 1024). Throws UsageError. */
std::size_t parseByteSize(const std::string& text);

/**
 * For ->transform(): accepts one of `names` in any case and stores it as
 * written here, so that code comparing the value sees the canonical name
 * (CLI11's IsMember with ignore_case accepts "TAB" but keeps it as typed).
 */
CLI::Validator oneOf(const std::vector<std::string>& names);

/**
 * The output of a subcommand: standard output when path is empty or "-";
 * a device or FIFO that exists (such as /dev/null), written directly;
 * otherwise an AtomicOutputFile whose temporary file SIGINT/SIGTERM remove.
 */
class Output {
 public:
  explicit Output(const std::string& path);
  ~Output();
  ByteSink& sink();
  /** Flushes, and renames a file into place. */
  void commit();

 private:
  std::unique_ptr<AtomicOutputFile> file_;
  std::unique_ptr<FdSink> stream_;
  int streamFd_ = -1;  // owned when it is not standard output
};

}  // namespace hapmat::cli
