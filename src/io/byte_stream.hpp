#pragma once
// What readers read from: a file, or a decompressor over one.

#include <cstddef>
#include <cstdint>
#include <optional>

namespace hapmat {

class ByteStream {
 public:
  virtual ~ByteStream() = default;

  /** Reads up to `size` bytes; returns 0 only at the end. Throws. */
  virtual std::size_t read(char* buffer, std::size_t size) = 0;

  /** How many of the bytes read so far a check vouched for (a gzip member's
   * CRC-32 and length, at the member's end); nothing for a stream without
   * checks. */
  virtual std::optional<std::uint64_t> checkedBytes() const {
    return std::nullopt;
  }
};

}  // namespace hapmat
