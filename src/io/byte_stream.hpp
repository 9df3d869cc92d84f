#pragma once
// What readers read from: a file, or a decompressor over one.

#include <cstddef>

namespace hapmat {

class ByteStream {
 public:
  virtual ~ByteStream() = default;

  /** Reads up to `size` bytes; returns 0 only at the end. Throws. */
  virtual std::size_t read(char* buffer, std::size_t size) = 0;
};

}  // namespace hapmat
