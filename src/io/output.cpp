#include "hapmat/output.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <stdexcept>

#include "hapmat/error.hpp"
#include "io/file_edit.hpp"

namespace hapmat {

void ByteSink::replaceHeader(std::string_view /*header*/) {
  throw std::logic_error("this output cannot replace its header");
}

FdSink::FdSink(int fd, std::string name, std::size_t bufferBytes)
    : fd_(fd), name_(std::move(name)), buffer_(bufferBytes) {
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
  if (used_ + bytes.size() > buffer_.size()) {
    flush();
    if (bytes.size() >= buffer_.size()) {
      writeAll(bytes.data(), bytes.size());
      return;
    }
  }
  std::memcpy(buffer_.data() + used_, bytes.data(), bytes.size());
  used_ += bytes.size();
}

void FdSink::flush() {
  std::size_t pending = used_;
  used_ = 0;
  writeAll(buffer_.data(), pending);
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

}  // namespace

AtomicOutputFile::AtomicOutputFile(std::string target)
    : target_(std::move(target)), path_(followLinks(target_)) {
  fs::path path(path_);
  std::string name = path.filename().string();
  fs::path dir = path.parent_path();
  std::string pattern = (dir.empty() ? std::string() : dir.string() + "/") +
                        "." + name + ".hapmat-XXXXXX";
  std::vector<char> buffer(pattern.begin(), pattern.end());
  buffer.push_back('\0');
  fd_ = ::mkstemp(buffer.data());
  if (fd_ < 0) throwIoError("cannot create output", target_, errno);
  tempPath_ = buffer.data();
  ::fchmod(fd_, fileMode(path_));
  sink_ = std::make_unique<FdSink>(fd_, target_);
}

AtomicOutputFile::~AtomicOutputFile() {
  if (committed_) return;
  if (fd_ >= 0) ::close(fd_);
  ::unlink(tempPath_.c_str());
}

void AtomicOutputFile::commit() {
  sink_->flush();
  int fd = fd_;
  fd_ = -1;
  if (::close(fd) != 0) throwIoError("cannot write", target_, errno);
  if (::rename(tempPath_.c_str(), path_.c_str()) != 0) {
    throwIoError("cannot rename output to", target_, errno);
  }
  committed_ = true;
}

}  // namespace hapmat
