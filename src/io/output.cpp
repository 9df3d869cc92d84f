#include "hapmat/output.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <utility>

#include "hapmat/error.hpp"
#include "io/file_edit.hpp"

namespace hapmat {

void ByteSink::writeBlocks(std::string_view, std::uint64_t) {
  throw std::logic_error("this output takes no BGZF blocks");
}

void ByteSink::replaceHeader(std::string_view /*header*/) {
  throw std::logic_error("this output cannot replace its header");
}

void ByteSink::restart() {
  throw std::logic_error("this output cannot start again");
}

FdSink::FdSink(int fd, std::string name, std::size_t bufferBytes)
    : fd_(fd),
      name_(std::move(name)),
      buffer_(std::make_unique_for_overwrite<char[]>(bufferBytes)),
      capacity_(bufferBytes) {
  struct stat info {};
  off_t at = ::lseek(fd_, 0, SEEK_CUR);
  int flags = ::fcntl(fd_, F_GETFL);
  seekable_ = ::fstat(fd_, &info) == 0 && S_ISREG(info.st_mode) && at >= 0 &&
              flags >= 0 && (flags & O_ACCMODE) == O_RDWR &&
              (flags & O_APPEND) == 0;
  if (seekable_) start_ = static_cast<std::uint64_t>(at);
}

// Buffered bytes are only written by flush(): a destructor cannot report a
// failed write, and a run that failed must not finish its output anyway.
FdSink::~FdSink() = default;

void FdSink::write(std::string_view bytes) {
  written_ += bytes.size();
  if (used_ + bytes.size() > capacity_) {
    flush();
    if (bytes.size() >= capacity_) {
      writeAll(bytes.data(), bytes.size());
      return;
    }
  }
  std::memcpy(buffer_.get() + used_, bytes.data(), bytes.size());
  used_ += bytes.size();
}

void FdSink::flush() {
  std::size_t pending = used_;
  used_ = 0;
  writeAll(buffer_.get(), pending);
}

void FdSink::writeAll(const char* data, std::size_t size) {
  while (size > 0) {
    ssize_t n = ::write(fd_, data, size);
    if (n < 0) {
      if (errno == EINTR) continue;
      throwIoError("cannot write", name_, errno);
    }
    data += n;
    size -= static_cast<std::size_t>(n);
  }
}

void FdSink::endHeader() { headerEnd_ = written_; }

void FdSink::replaceHeader(std::string_view header) {
  if (!seekable_) ByteSink::replaceHeader(header);
  flush();
  const std::uint64_t end = start_ + written_;
  moveFileTail(fd_, start_ + headerEnd_, start_ + header.size(), end, name_);
  writeAt(fd_, start_, header, name_);
  written_ = written_ - headerEnd_ + header.size();
  headerEnd_ = header.size();
  if (::lseek(fd_, static_cast<off_t>(start_ + written_), SEEK_SET) < 0) {
    throwIoError("cannot write", name_, errno);
  }
}

void FdSink::restart() {
  if (!seekable_) ByteSink::restart();
  used_ = 0;
  written_ = 0;
  headerEnd_ = 0;
  if (::ftruncate(fd_, static_cast<off_t>(start_)) != 0 ||
      ::lseek(fd_, static_cast<off_t>(start_), SEEK_SET) < 0) {
    throwIoError("cannot write", name_, errno);
  }
}

namespace {

namespace fs = std::filesystem;

// The mode the file gets: an existing file's permissions are kept (a
// read-only file stays read-only); a new one gets the usual
// 0666 & ~umask, as if the shell had created it (mkstemp makes 0600).
mode_t fileMode(const std::string& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) == 0 && S_ISREG(info.st_mode)) {
    return info.st_mode & 07777;
  }
  mode_t mask = ::umask(0);
  ::umask(mask);
  return 0666 & ~mask;
}

// The file `path` names once symbolic links are followed (also a link to a
// file that does not exist yet), so that renaming over it replaces that
// file and keeps the link, as the shell's `>` would write through it.
std::string followLinks(const std::string& path) {
  constexpr int kMaxLinks = 40;  // Linux's own limit (ELOOP)
  fs::path at(path);
  for (int links = 0; links < kMaxLinks; ++links) {
    std::error_code error;
    if (!fs::is_symlink(fs::symlink_status(at, error))) return at.string();
    fs::path target = fs::read_symlink(at, error);
    if (error) throwIoError("cannot read link", at.string(), error.value());
    at = target.is_absolute() ? target : at.parent_path() / target;
  }
  throwIoError("cannot create output", path, ELOOP);
}

std::string folderOf(const fs::path& path) {
  return path.parent_path().empty() ? "." : path.parent_path().string();
}

// An unnamed file in `folder`, when the file system can make one (O_TMPFILE)
// and /proc can name it for linkat and for htslib; -1 otherwise.
int openUnnamed(const std::string& folder, mode_t mode) {
  int fd = ::open(folder.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, mode);
  if (fd < 0) return -1;
  if (::access(("/proc/self/fd/" + std::to_string(fd)).c_str(), F_OK) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

// `.NAME.hapmat-SUFFIX` beside `path`: a temporary file's name.
std::string tempNameBeside(const fs::path& path, const std::string& suffix) {
  std::string dir = path.parent_path().empty()
                        ? std::string()
                        : path.parent_path().string() + "/";
  return dir + "." + path.filename().string() + ".hapmat-" + suffix;
}

}  // namespace

AtomicOutputFile::AtomicOutputFile(std::string target)
    : target_(std::move(target)), path_(followLinks(target_)) {
  fs::path path(path_);
  const mode_t mode = fileMode(path_);
  fd_ = openUnnamed(folderOf(path), mode);
  if (fd_ >= 0) {
    openPath_ = "/proc/self/fd/" + std::to_string(fd_);
  } else {
    std::string pattern = tempNameBeside(path, "XXXXXX");
    fd_ = ::mkostemp(pattern.data(), O_CLOEXEC);
    if (fd_ < 0) throwIoError("cannot create output", target_, errno);
    tempPath_ = openPath_ = pattern;
  }
  ::fchmod(fd_, mode);
  sink_ = std::make_unique<FdSink>(fd_, target_);
}

AtomicOutputFile::~AtomicOutputFile() {
  if (committed_) return;
  if (fd_ >= 0) ::close(fd_);
  if (!tempPath_.empty()) ::unlink(tempPath_.c_str());
}

void AtomicOutputFile::commitAs(const std::string& target) {
  target_ = target;
  path_ = followLinks(target);
  commit();
}

// An unnamed file is linked under the target's name directly when there is
// none yet; otherwise under a fresh name, renamed over the target at once
// (rename is what replaces a file atomically; linkat cannot).
void AtomicOutputFile::placeUnnamed() {
  for (int attempt = 0;; ++attempt) {
    const bool direct = attempt == 0;
    std::string name =
        direct ? path_
               : tempNameBeside(path_, std::to_string(::getpid()) + "-" +
                                           std::to_string(attempt));
    if (::linkat(AT_FDCWD, openPath_.c_str(), AT_FDCWD, name.c_str(),
                 AT_SYMLINK_FOLLOW) == 0) {
      if (direct) return;
      tempPath_ = name;
      return;
    }
    if (errno != EEXIST || attempt == 100) {
      throwIoError("cannot create output", target_, errno);
    }
  }
}

void AtomicOutputFile::commit() {
  sink_->flush();
  const bool unnamed = tempPath_.empty();
  if (unnamed) placeUnnamed();
  int fd = std::exchange(fd_, -1);
  if (::close(fd) != 0) {
    const int error = errno;
    if (unnamed) ::unlink((tempPath_.empty() ? path_ : tempPath_).c_str());
    throwIoError("cannot write", target_, error);
  }
  if (!tempPath_.empty() && ::rename(tempPath_.c_str(), path_.c_str()) != 0) {
    throwIoError("cannot rename output to", target_, errno);
  }
  committed_ = true;
}

}  // namespace hapmat
