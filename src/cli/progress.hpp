#pragma once
// Progress on standard error: a line redrawn in place on a terminal, or
// plain lines now and then into a file or pipe.

#include <chrono>
#include <cstdint>
#include <string>

#include "hapmat/convert.hpp"

namespace hapmat::cli {

/**
 * "52% of 2.36 GB, 1.23 GB converted, 4.10 GB/s, 0:03 left". totalFileBytes
 * 0 means unknown (a pipe): bytes and speed only. For a compressed input the
 * percent and time left follow the file's bytes, the rest the text's.
 */
std::string describeProgress(const Progress& progress,
                             std::uint64_t totalFileBytes, double seconds);

enum class ProgressMode {
  kOff,
  /// Redrawn in place (carriage return, erase to the end of the line), at
  /// most 10 times a second: standard error is a terminal.
  kBar,
  /// Whole lines, no control bytes, at most one every kLineInterval: for a
  /// log file or a pipe.
  kLines,
};

/**
 * What standard error gets, the rows going to `output` (-o; empty or "-":
 * standard output). On a terminal, a bar, but nothing when the rows go to
 * that same terminal (the bar would land among them), and into a pipe or
 * FIFO only when `asked` (--progress): its reader may be a pager drawing
 * on the terminal (| less). Not on a terminal, plain lines when `asked`.
 */
ProgressMode chooseProgressMode(bool asked, bool quiet,
                                const std::string& output);

class ProgressLine {
 public:
  static constexpr std::chrono::seconds kLineInterval{5};

  ProgressLine(std::uint64_t totalFileBytes, ProgressMode mode);
  ~ProgressLine();
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;

  void update(const Progress& progress);
  /** Erases the bar, for what is printed next. */
  void clear();

 private:
  std::uint64_t totalFileBytes_;
  ProgressMode mode_;
  std::chrono::steady_clock::duration interval_;
  bool shown_ = false;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point lastDrawn_;
};

/** The size of a regular file at `path`, else 0 (standard input, a pipe). */
std::uint64_t regularFileSize(const std::string& path);

}  // namespace hapmat::cli
