#include "io/file_edit.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <vector>

#include "hapmat/error.hpp"

namespace hapmat {

namespace {

constexpr std::size_t kMoveBytes = std::size_t{1} << 20;

void readAt(int fd, std::uint64_t offset, char* data, std::size_t size,
            const std::string& name) {
  while (size > 0) {
    ssize_t n = ::pread(fd, data, size, static_cast<off_t>(offset));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) throwIoError("cannot read back", name, n < 0 ? errno : EIO);
    data += n;
    offset += static_cast<std::uint64_t>(n);
    size -= static_cast<std::size_t>(n);
  }
}

}  // namespace

void writeAt(int fd, std::uint64_t offset, std::string_view bytes,
             const std::string& name) {
  while (!bytes.empty()) {
    ssize_t n =
        ::pwrite(fd, bytes.data(), bytes.size(), static_cast<off_t>(offset));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throwIoError("cannot write", name, errno);
    offset += static_cast<std::uint64_t>(n);
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
}

// Moving towards the end copies from the back, towards the start from the
// front, so that no byte is overwritten before it has moved.
void moveFileTail(int fd, std::uint64_t from, std::uint64_t to,
                  std::uint64_t end, const std::string& name) {
  std::vector<char> buffer(kMoveBytes);
  const std::uint64_t size = end - from;
  for (std::uint64_t done = 0; done < size && from != to;) {
    std::size_t n = static_cast<std::size_t>(
        std::min<std::uint64_t>(kMoveBytes, size - done));
    std::uint64_t at = to > from ? size - done - n : done;
    readAt(fd, from + at, buffer.data(), n, name);
    writeAt(fd, to + at, {buffer.data(), n}, name);
    done += n;
  }
  if (::ftruncate(fd, static_cast<off_t>(to + size)) != 0) {
    throwIoError("cannot write", name, errno);
  }
}

}  // namespace hapmat
