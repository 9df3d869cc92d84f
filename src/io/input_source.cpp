#include "io/input_source.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "hapmat/error.hpp"

namespace hapmat {

std::unique_ptr<InputSource> InputSource::open(const std::string& path) {
  if (path == "-") {
    return std::unique_ptr<InputSource>(
        new InputSource(STDIN_FILENO, false, "<stdin>"));
  }
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throwIoError("cannot open", path, errno);
  // The whole file is read once, front to back.
  ::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
  return std::unique_ptr<InputSource>(new InputSource(fd, true, path));
}

InputSource::InputSource(int fd, bool owned, std::string name)
    : fd_(fd), owned_(owned), name_(std::move(name)) {}

InputSource::~InputSource() {
  if (owned_) ::close(fd_);
}

std::optional<std::uint64_t> InputSource::regularSize() const {
  struct stat info {};
  if (!owned_ || ::fstat(fd_, &info) != 0 || !S_ISREG(info.st_mode)) {
    return std::nullopt;
  }
  return static_cast<std::uint64_t>(info.st_size);
}

std::uint64_t InputSource::sizeForParts() const {
  std::optional<std::uint64_t> size = regularSize();
  if (!size) {
    throw UsageError(name_ +
                     ": a part is a byte range of a file, and this input "
                     "cannot be read at random (standard input, a pipe?)");
  }
  return *size;
}

void InputSource::seekTo(std::uint64_t offset) {
  if (::lseek(fd_, static_cast<off_t>(offset), SEEK_SET) < 0) {
    throwIoError("cannot seek in", name_, errno);
  }
  peeked_.clear();
}

std::size_t InputSource::read(char* buffer, std::size_t size) {
  if (peeked_.empty()) return readFile(buffer, size);
  std::size_t n = std::min(size, peeked_.size());
  std::memcpy(buffer, peeked_.data(), n);
  peeked_.erase(0, n);
  return n;
}

std::string_view InputSource::peek(std::size_t size) {
  std::size_t used = peeked_.size();
  if (used < size) {
    peeked_.resize(size);
    while (used < size) {
      std::size_t n = readFile(peeked_.data() + used, size - used);
      if (n == 0) break;
      used += n;
    }
    peeked_.resize(used);
  }
  return std::string_view(peeked_).substr(0, size);
}

std::size_t InputSource::readAt(std::uint64_t offset, char* buffer,
                                std::size_t size) const {
  std::size_t got = 0;
  while (got < size) {
    ssize_t n = ::pread(fd_, buffer + got, size - got,
                        static_cast<off_t>(offset + got));
    if (n == 0) break;
    if (n > 0) {
      got += static_cast<std::size_t>(n);
    } else if (errno != EINTR) {
      throwIoError("cannot read", name_, errno);
    }
  }
  return got;
}

std::size_t InputSource::readFile(char* buffer, std::size_t size) {
  for (;;) {
    ssize_t n = ::read(fd_, buffer, size);
    if (n >= 0) {
      bytesRead_ += static_cast<std::uint64_t>(n);
      return static_cast<std::size_t>(n);
    }
    if (errno != EINTR) throwIoError("cannot read", name_, errno);
  }
}

}  // namespace hapmat
