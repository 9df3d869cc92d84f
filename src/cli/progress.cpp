#include "cli/progress.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>

#include "cli/cli_util.hpp"

namespace hapmat::cli {

namespace {

constexpr auto kRedrawInterval = std::chrono::milliseconds(100);

std::string clockTime(double seconds) {
  auto total = static_cast<unsigned long long>(seconds + 0.5);
  char text[32];
  if (total >= 3600) {
    std::snprintf(text, sizeof text, "%llu:%02llu:%02llu", total / 3600,
                  total / 60 % 60, total % 60);
  } else {
    std::snprintf(text, sizeof text, "%llu:%02llu", total / 60, total % 60);
  }
  return text;
}

}  // namespace

std::string describeProgress(const Progress& progress,
                             std::uint64_t totalFileBytes, double seconds) {
  std::string text;
  double done = 0;
  if (totalFileBytes > 0) {
    done = static_cast<double>(progress.fileBytes) /
           static_cast<double>(totalFileBytes);
    char percent[16];
    std::snprintf(percent, sizeof percent, "%.0f%%", 100 * done);
    text = std::string(percent) + " of " + humanBytes(totalFileBytes) + ", ";
  }
  text += humanBytes(progress.textBytes) + " converted";
  if (seconds > 0) {
    char speed[32];
    std::snprintf(speed, sizeof speed, ", %.2f GB/s",
                  static_cast<double>(progress.textBytes) / seconds / 1e9);
    text += speed;
  }
  if (done > 0 && done < 1) {
    text += ", " + clockTime(seconds * (1 - done) / done) + " left";
  }
  return text;
}

namespace {

// Whether `rows` (standard output's stat, or the -o file's) is the
// terminal standard error is on.
bool isStderrTerminal(const struct stat& rows) {
  struct stat err {};
  return S_ISCHR(rows.st_mode) && ::fstat(STDERR_FILENO, &err) == 0 &&
         rows.st_rdev == err.st_rdev;
}

}  // namespace

ProgressMode chooseProgressMode(bool asked, bool quiet,
                                const std::string& output) {
  if (quiet) return ProgressMode::kOff;
  if (::isatty(STDERR_FILENO) != 1) {
    return asked ? ProgressMode::kLines : ProgressMode::kOff;
  }
  struct stat rows {};
  const bool toStdout = output.empty() || output == "-";
  if (toStdout ? ::fstat(STDOUT_FILENO, &rows) != 0
               : ::stat(output.c_str(), &rows) != 0) {
    return ProgressMode::kBar;  // a new file
  }
  if (isStderrTerminal(rows)) return ProgressMode::kOff;
  if (S_ISFIFO(rows.st_mode) && !asked) return ProgressMode::kOff;
  return ProgressMode::kBar;
}

ProgressLine::ProgressLine(std::uint64_t totalFileBytes, ProgressMode mode)
    : totalFileBytes_(totalFileBytes),
      mode_(mode),
      interval_(mode == ProgressMode::kLines
                    ? std::chrono::steady_clock::duration(kLineInterval)
                    : std::chrono::steady_clock::duration(kRedrawInterval)),
      start_(std::chrono::steady_clock::now()),
      lastDrawn_(start_ - interval_) {}  // the first report draws

ProgressLine::~ProgressLine() { clear(); }

void ProgressLine::update(const Progress& progress) {
  if (mode_ == ProgressMode::kOff) return;
  auto now = std::chrono::steady_clock::now();
  if (now - lastDrawn_ < interval_) return;
  lastDrawn_ = now;
  std::chrono::duration<double> seconds = now - start_;
  std::string text =
      "hapmat: " + describeProgress(progress, totalFileBytes_, seconds.count());
  std::string line =
      mode_ == ProgressMode::kBar ? "\r" + text + "\033[K" : text + "\n";
  (void)!::write(STDERR_FILENO, line.data(), line.size());
  shown_ = mode_ == ProgressMode::kBar;
}

void ProgressLine::clear() {
  if (!shown_) return;
  static constexpr char kErase[] = "\r\033[K";
  (void)!::write(STDERR_FILENO, kErase, sizeof kErase - 1);
  shown_ = false;
}

std::uint64_t regularFileSize(const std::string& path) {
  struct stat info {};
  if (path == "-" || ::stat(path.c_str(), &info) != 0 ||
      !S_ISREG(info.st_mode)) {
    return 0;
  }
  return static_cast<std::uint64_t>(info.st_size);
}

}  // namespace hapmat::cli
