#include "input_source.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

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

std::size_t InputSource::read(char* buffer, std::size_t size) {
  for (;;) {
    ssize_t n = ::read(fd_, buffer, size);
    if (n >= 0) return static_cast<std::size_t>(n);
    if (errno != EINTR) throwIoError("cannot read", name_, errno);
  }
}

}  // namespace hapmat
