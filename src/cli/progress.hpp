#pragma once
// The progress line on standard error: bytes done, percent of the input
// file, speed and time left, redrawn at most 10 times a second.

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

class ProgressLine {
 public:
  ProgressLine(std::uint64_t totalFileBytes, bool enabled);
  ~ProgressLine();
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;

  void update(const Progress& progress);
  /** Erases the line, for what is printed next. */
  void clear();

 private:
  std::uint64_t totalFileBytes_;
  bool enabled_;
  bool shown_ = false;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point lastDrawn_;
};

/** The size of a regular file at `path`, else 0 (standard input, a pipe). */
std::uint64_t regularFileSize(const std::string& path);

}  // namespace hapmat::cli
