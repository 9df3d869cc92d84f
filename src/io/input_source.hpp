#pragma once
// The bytes of the input file or standard input, compressed or not.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "io/byte_stream.hpp"

namespace hapmat {

class InputSource : public ByteStream {
 public:
  /** Opens a path, or standard input for "-". Throws IoError. */
  static std::unique_ptr<InputSource> open(const std::string& path);

  ~InputSource() override;
  InputSource(const InputSource&) = delete;
  InputSource& operator=(const InputSource&) = delete;

  /** Reads up to `size` bytes; returns 0 only at the end. Throws IoError. */
  std::size_t read(char* buffer, std::size_t size) override;

  /** The first `size` bytes (fewer if the input is shorter), which read()
   * still returns: for recognising a compressed input by its magic. */
  std::string_view peek(std::size_t size);

  /** Bytes read from the file so far (peeked ones included). */
  std::uint64_t bytesRead() const { return bytesRead_; }

  /** The size of a regular file; nothing for standard input, a pipe or a
   * device, which cannot be read at random. */
  std::optional<std::uint64_t> regularSize() const;
  /** regularSize(), for reading a part of the file at random. Throws
   * UsageError for standard input, a pipe or a device. */
  std::uint64_t sizeForParts() const;
  /** Reads on from byte `offset` of a regular file. Throws IoError. */
  void seekTo(std::uint64_t offset);
  /** For reads at random places of a regular file (pread). */
  int fd() const { return fd_; }
  /** Up to `size` bytes of a regular file from byte `offset`, fewer only at
   * its end; safe from several threads at once (pread), and bytesRead()
   * does not count them. Throws IoError. */
  std::size_t readAt(std::uint64_t offset, char* buffer,
                     std::size_t size) const;

  /** The name errors use: the path as given, or "<stdin>". */
  const std::string& name() const { return name_; }

 private:
  InputSource(int fd, bool owned, std::string name);

  std::size_t readFile(char* buffer, std::size_t size);

  int fd_;
  bool owned_;
  std::string name_;
  std::string peeked_;  // bytes peek() read that read() has not returned
  std::uint64_t bytesRead_ = 0;
};

}  // namespace hapmat
