#include "io/checksum.hpp"

#include <fcntl.h>
#include <libdeflate.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <vector>

#include "hapmat/error.hpp"

namespace hapmat {

namespace {

constexpr std::uint64_t kReadBytes = std::uint64_t{1} << 20;

}  // namespace

std::uint32_t crc32(std::uint32_t crc, std::string_view bytes) {
  return libdeflate_crc32(crc, bytes.data(), bytes.size());
}

FileDigest digestRange(int fd, std::uint64_t offset, std::uint64_t size,
                       const std::string& name, std::uint32_t crc) {
  FileDigest digest{0, crc};
  std::vector<char> buffer(std::min(size, kReadBytes));
  while (digest.bytes < size) {
    ssize_t n =
        ::pread(fd, buffer.data(),
                std::min<std::uint64_t>(size - digest.bytes, buffer.size()),
                static_cast<off_t>(offset + digest.bytes));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throwIoError("cannot read", name, errno);
    if (n == 0) break;
    std::size_t got = static_cast<std::size_t>(n);
    digest.crc32 = crc32(digest.crc32, {buffer.data(), got});
    digest.bytes += got;
  }
  return digest;
}

FileDigest digestFile(int fd, const std::string& name) {
  return digestRange(fd, 0, UINT64_MAX, name);
}

FileDigest digestFile(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throwIoError("cannot open", path, errno);
  try {
    FileDigest digest = digestFile(fd, path);
    ::close(fd);
    return digest;
  } catch (...) {
    ::close(fd);
    throw;
  }
}

}  // namespace hapmat
