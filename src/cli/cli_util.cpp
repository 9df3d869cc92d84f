#include "cli/cli_util.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <csignal>
#include <cstdio>
#include <cstring>

#include "hapmat/error.hpp"
#include "io/zarr_store.hpp"

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

CLI::Validator oneOf(const std::vector<std::string>& names) {
  std::string list;
  for (const std::string& name : names)
    list += (list.empty() ? "" : "|") + name;
  auto canonicalize = [names, list](std::string& value) -> std::string {
    for (const std::string& name : names) {
      if (std::equal(value.begin(), value.end(), name.begin(), name.end(),
                     [](char a, char b) {
                       return std::tolower(static_cast<unsigned char>(a)) ==
                              std::tolower(static_cast<unsigned char>(b));
                     })) {
        value = name;
        return "";
      }
    }
    return "'" + value + "' is not one of " + list;
  };
  return CLI::Validator(canonicalize, "{" + list + "}");
}

std::vector<std::string> choicesOf(const CLI::Option& option) {
  std::string type = option.get_type_name();
  std::size_t open = type.find('{');
  std::size_t close = type.find('}', open);
  if (open == std::string::npos || close == std::string::npos) return {};
  std::vector<std::string> names;
  std::string list = type.substr(open + 1, close - open - 1);
  for (std::size_t start = 0, bar; start <= list.size(); start = bar + 1) {
    bar = std::min(list.find('|', start), list.size());
    names.push_back(list.substr(start, bar - start));
  }
  return names;
}

std::vector<std::string> optionNames(const CLI::Option& option) {
  std::vector<std::string> names;
  for (const std::string& name : option.get_snames()) {
    names.push_back("-" + name);
  }
  for (const std::string& name : option.get_lnames()) {
    names.push_back("--" + name);
  }
  return names;
}

bool takesValue(const CLI::Option& option) {
  return option.get_expected_max() != 0;
}

std::vector<const CLI::App*> subcommandsOf(const CLI::App& app) {
  return app.get_subcommands([](const CLI::App*) { return true; });
}

namespace {

// The temporary files a signal must remove, where the file system gave
// them a name (see AtomicOutputFile): the output, and the index built
// beside it (Output::commitIndex). Fixed buffers, because a signal handler
// may only touch memory that is always valid.
// A VCF Zarr store is a folder (kFolderSlot), removed with its files.
enum TempSlot { kOutputSlot, kIndexSlot, kFolderSlot, kSlots };
char gTempPaths[kSlots][4096];
std::atomic<bool> gHaveTempPath[kSlots];

extern "C" void removeTempAndExit(int signal) {
  for (int slot = 0; slot < kSlots; ++slot) {
    if (!gHaveTempPath[slot].load()) continue;
    if (slot == kFolderSlot) {
      removeTreeForSignal(gTempPaths[slot]);
    } else {
      ::unlink(gTempPaths[slot]);
    }
  }
  ::_exit(128 + signal);
}

// Also for a file without a name: the signals still end the run with
// 128 + signal.
void watchTempFile(TempSlot slot, const std::string& path) {
  if (!path.empty() && path.size() < sizeof gTempPaths[slot]) {
    std::memcpy(gTempPaths[slot], path.c_str(), path.size() + 1);
    gHaveTempPath[slot].store(true);
  }
  struct sigaction action {};
  action.sa_handler = removeTempAndExit;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
  sigaction(SIGHUP, &action, nullptr);
}

void forgetTempFile(TempSlot slot) { gHaveTempPath[slot].store(false); }

}  // namespace

WatchedTempFolder::WatchedTempFolder(const std::string& path) {
  watchTempFile(kFolderSlot, path);
}

WatchedTempFolder::~WatchedTempFolder() { forgetTempFile(kFolderSlot); }

namespace {

// Renaming a temporary file over a device or a FIFO would replace it with a
// regular file (imagine /dev/null): those are written in place.
bool isExistingNonRegularFile(const std::string& path) {
  struct stat info {};
  return ::stat(path.c_str(), &info) == 0 && !S_ISREG(info.st_mode);
}

}  // namespace

void refuseOutputOverInput(const std::string& output,
                           const std::vector<InputFile>& inputs) {
  struct stat out {};
  if (output.empty() || output == "-" || ::stat(output.c_str(), &out) != 0 ||
      !S_ISREG(out.st_mode)) {
    return;
  }
  for (const InputFile& input : inputs) {
    struct stat in {};
    if (input.path.empty() || input.path == "-" ||
        ::stat(input.path.c_str(), &in) != 0) {
      continue;
    }
    if (in.st_dev == out.st_dev && in.st_ino == out.st_ino) {
      throw UsageError("-o '" + output + "' is " + input.role + " '" +
                       input.path +
                       "' itself, which the output would replace; choose "
                       "another output file");
    }
  }
}

std::string humanBytes(std::uint64_t bytes) {
  char text[32];
  double value = static_cast<double>(bytes);
  if (value >= 1e9) {
    std::snprintf(text, sizeof text, "%.2f GB", value / 1e9);
  } else if (value >= 1e6) {
    std::snprintf(text, sizeof text, "%.1f MB", value / 1e6);
  } else if (value >= 1e3) {
    std::snprintf(text, sizeof text, "%.1f kB", value / 1e3);
  } else {
    std::snprintf(text, sizeof text, "%llu B",
                  static_cast<unsigned long long>(bytes));
  }
  return text;
}

bool Output::compresses(const std::string& path) {
  std::string lower = path;
  std::transform(lower.begin(), lower.end(), lower.begin(), [](char c) {
    return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  });
  return lower.ends_with(".gz") || lower.ends_with(".bgz");
}

Output::Output(const std::string& path, OutputOptions options)
    : path_(path), options_(options) {
  if (path.empty() || path == "-") {
    stream_ = std::make_unique<FdSink>(STDOUT_FILENO, "standard output");
    if (options_.alwaysBgzf) {
      bgzf_ = std::make_unique<BgzfSink>(STDOUT_FILENO, "standard output",
                                         options_.threads, options_.level);
    }
    return;
  }
  // A reader of a FIFO output that goes away is a write error to report;
  // only standard output ends quietly on a closed pipe (| head).
  std::signal(SIGPIPE, SIG_IGN);
  int fd = -1;
  if (isExistingNonRegularFile(path)) {
    streamFd_ = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
    if (streamFd_ < 0) throwIoError("cannot open output", path, errno);
    stream_ = std::make_unique<FdSink>(streamFd_, path);
    fd = streamFd_;
  } else {
    file_ = std::make_unique<AtomicOutputFile>(path);
    watchTempFile(kOutputSlot, file_->tempPath());
    fd = file_->fd();
  }
  if ((compresses(path) && options_.compress) || options_.alwaysBgzf) {
    bgzf_ =
        std::make_unique<BgzfSink>(fd, path, options_.threads, options_.level);
  }
}

// The file goes first, so that no signal finds a temporary path that has
// already been removed, nor misses one that still exists.
Output::~Output() {
  bgzf_.reset();
  file_.reset();
  forgetTempFile(kOutputSlot);
  if (streamFd_ >= 0) ::close(streamFd_);
}

ByteSink& Output::sink() {
  if (bgzf_) return *bgzf_;
  return file_ ? file_->sink() : static_cast<ByteSink&>(*stream_);
}

void Output::finish() {
  if (bgzf_) bgzf_->flush();
  if (file_) file_->sink().flush();
}

void Output::commit(VcfIndexFormat index) {
  if (bgzf_) bgzf_->flush();
  if (file_) {
    if (options_.vcfIndex) {
      commitIndex(index);
    } else {
      file_->commit();
      removeOldIndexes();
    }
    forgetTempFile(kOutputSlot);
  } else {
    stream_->flush();
  }
}

// The index is built from the temporary file into one of its own, so that
// neither file appears under its name unless both were written. An index
// of the other kind left from an earlier run would describe the old file:
// it goes.
void Output::commitIndex(VcfIndexFormat format) {
  file_->sink().flush();  // what htslib reads back
  AtomicOutputFile index(path_ + ".tbi");
  watchTempFile(kIndexSlot, index.tempPath());
  struct Forget {
    ~Forget() { forgetTempFile(kIndexSlot); }
  } forget;
  bool csi = true;
  if (options_.bcfIndex) {
    writeBcfIndex(file_->openPath(), index.openPath(), path_);
  } else {
    csi = writeVcfIndex(file_->openPath(), index.openPath(), format, path_);
  }
  file_->commit();
  index.commitAs(path_ + (csi ? ".csi" : ".tbi"));
  ::unlink((path_ + (csi ? ".tbi" : ".csi")).c_str());
}

// An index left beside the file by an earlier run describes the old file:
// `bcftools view -r` would read the new rows through it and miss some.
void Output::removeOldIndexes() {
  for (const char* suffix : {".tbi", ".csi"}) {
    ::unlink((path_ + suffix).c_str());
  }
}

}  // namespace hapmat::cli
