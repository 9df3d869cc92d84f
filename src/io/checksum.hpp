#pragma once
// CRC-32 (the gzip and zlib one, as python3's zlib.crc32 computes it), of
// bytes and of whole files, with libdeflate's folding implementation.

#include <cstdint>
#include <string>
#include <string_view>

namespace hapmat {

/** Continues `crc` (0 to start) over `bytes`. */
std::uint32_t crc32(std::uint32_t crc, std::string_view bytes);

/** A file's size and the CRC-32 of its bytes. */
struct FileDigest {
  std::uint64_t bytes = 0;
  std::uint32_t crc32 = 0;

  bool operator==(const FileDigest&) const = default;
};

/** Digests bytes [offset, offset + size) of the file open as `fd` (fewer
 * at its end), continuing `crc`, with pread: the file offset stays. Throws
 * IoError naming `name`. */
FileDigest digestRange(int fd, std::uint64_t offset, std::uint64_t size,
                       const std::string& name, std::uint32_t crc = 0);

/** Digests the whole file open as `fd`. Throws IoError naming `name`. */
FileDigest digestFile(int fd, const std::string& name);

/** Digests the file at `path`. Throws IoError. */
FileDigest digestFile(const std::string& path);

}  // namespace hapmat
