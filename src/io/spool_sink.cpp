#include "io/spool_sink.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <vector>

#include "hapmat/error.hpp"

namespace hapmat {

namespace {

constexpr std::size_t kCopyBytes = std::size_t{1} << 20;

std::string tempFolder() {
  const char* dir = std::getenv("TMPDIR");
  return dir != nullptr && *dir != '\0' ? dir : "/tmp";
}

}  // namespace

// O_TMPFILE leaves no name to clean up; where the file system lacks it, a
// named file is unlinked at once.
SpoolSink::SpoolSink() : name_(tempFolder()) {
  fd_ = ::open(name_.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
  if (fd_ < 0) {
    std::string pattern = name_ + "/hapmat-spool-XXXXXX";
    fd_ = ::mkostemp(pattern.data(), O_CLOEXEC);
    if (fd_ < 0) throwIoError("cannot create a spool file in", name_, errno);
    ::unlink(pattern.c_str());
  }
  name_ = "the spool file in " + name_;
  file_ = std::make_unique<FdSink>(fd_, name_);
}

SpoolSink::~SpoolSink() {
  file_.reset();
  ::close(fd_);
}

void SpoolSink::copyTo(ByteSink& out) {
  file_->flush();
  std::vector<char> buffer(kCopyBytes);
  for (off_t at = 0;;) {
    ssize_t n = ::pread(fd_, buffer.data(), buffer.size(), at);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throwIoError("cannot read", name_, errno);
    if (n == 0) return;
    out.write({buffer.data(), static_cast<std::size_t>(n)});
    at += n;
  }
}

}  // namespace hapmat
