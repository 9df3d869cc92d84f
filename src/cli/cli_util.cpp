#include "cli/cli_util.hpp"

#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstring>

#include "hapmat/error.hpp"

namespace hapmat::cli {

std::size_t parseByteSize(const std::string& text) {
  std::size_t digits = 0;
  while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') {
    ++digits;
  }
  std::string suffix = text.substr(digits);
  if (suffix.size() == 2 && (suffix[1] == 'B' || suffix[1] == 'b') &&
      suffix[0] != 'B' && suffix[0] != 'b') {
    suffix.pop_back();  // "8MB" means what "8M" means
  }
  int shift = -1;
  if (suffix.empty() || suffix == "B" || suffix == "b") shift = 0;
  if (suffix == "K" || suffix == "k") shift = 10;
  if (suffix == "M" || suffix == "m") shift = 20;
  if (suffix == "G" || suffix == "g") shift = 30;
  if (digits == 0 || digits > 12 || shift < 0) {
    throw UsageError("bad size '" + text + "' (use e.g. 4096, 64K, 8M, 1G)");
  }
  return std::stoull(text.substr(0, digits)) << shift;
}

CLI::Transformer delimiterNames() {
  return CLI::Transformer(
      std::map<std::string, std::string>{{"space", "space"}, {"tab", "tab"}},
      CLI::ignore_case);
}

namespace {

// The temporary file a signal must remove. A fixed buffer, because a signal
// handler may only touch memory that is always valid.
char gTempPath[4096];
std::atomic<bool> gHaveTempPath{false};

extern "C" void removeTempAndExit(int signal) {
  if (gHaveTempPath.load()) ::unlink(gTempPath);
  ::_exit(128 + signal);
}

void watchTempFile(const std::string& path) {
  if (path.size() >= sizeof gTempPath) return;
  std::memcpy(gTempPath, path.c_str(), path.size() + 1);
  gHaveTempPath.store(true);
  struct sigaction action {};
  action.sa_handler = removeTempAndExit;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
  sigaction(SIGHUP, &action, nullptr);
}

void forgetTempFile() { gHaveTempPath.store(false); }

}  // namespace

Output::Output(const std::string& path) {
  if (path.empty() || path == "-") {
    stdout_ = std::make_unique<FdSink>(STDOUT_FILENO, "standard output");
    return;
  }
  file_ = std::make_unique<AtomicOutputFile>(path);
  watchTempFile(file_->tempPath());
}

// The file goes first, so that no signal finds a temporary path that has
// already been removed, nor misses one that still exists.
Output::~Output() {
  file_.reset();
  forgetTempFile();
}

ByteSink& Output::sink() {
  return file_ ? file_->sink() : static_cast<ByteSink&>(*stdout_);
}

void Output::commit() {
  if (file_) {
    file_->commit();
    forgetTempFile();
  } else {
    stdout_->flush();
  }
}

}  // namespace hapmat::cli
