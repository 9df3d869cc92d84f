#pragma once
// Reads an input in blocks that end at a line end (the grep-searcher way):
// fill, find the last newline, hand out the whole lines, and keep the partial
// last line to start the next block. The caller owns the block buffers, so a
// pipeline can keep several blocks in flight.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "io/byte_stream.hpp"
#include "io/compressed_input.hpp"

namespace hapmat {

/** Thrown for a line of more than maxLineBytes, its '\n' not counted. */
class LineTooLong : public std::runtime_error {
 public:
  explicit LineTooLong(std::size_t limit);
};

/**
 * The input broke off (a truncated or corrupt compressed stream) inside a
 * line after partialLineBytes() of it; every whole line before was handed
 * out.
 */
class InputEndedEarly : public std::runtime_error {
 public:
  InputEndedEarly(const CorruptStream& cause, std::size_t partialLineBytes);
  std::size_t partialLineBytes() const { return partialLineBytes_; }

 private:
  std::size_t partialLineBytes_;
};

/** Where the text a check vouched for ends inside a block: after `lines`
 * of the block's lines, at `column` (from 1) of the next one; it is byte
 * `textOffset` of the whole text. */
struct CheckedEnd {
  std::uint64_t textOffset = 0;
  std::uint64_t lines = 0;
  std::uint64_t column = 1;
};

class BlockReader {
 public:
  BlockReader(ByteStream& input, std::size_t blockSize,
              std::size_t maxLineBytes);

  /**
   * Fills `buffer` with the next block of whole lines and returns it; the
   * input's last line may lack its '\n'. Empty only at the end of the input.
   * The buffer is resized to blockSize, or more for a line that needs it.
   * Throws LineTooLong, and InputEndedEarly once the whole lines before a
   * broken stream have been handed out.
   */
  std::string_view next(std::vector<char>& buffer);

  /**
   * Reads the rest of the input and throws it away: for checking a
   * compressed stream to its end. Returns why the input broke off, if it
   * did (now or before).
   */
  std::optional<CorruptStream> readToEnd();

  std::uint64_t bytesRead() const { return bytesRead_; }

  /** The end of the checked text (ByteStream::checkedBytes), when it moved
   * into the block next() handed out last, or into the partial line it
   * threw InputEndedEarly for. */
  const std::optional<CheckedEnd>& checkedEnd() const { return checkedEnd_; }

 private:
  std::size_t fill(std::vector<char>& buffer, std::size_t used);
  void findCheckedEnd(const std::vector<char>& buffer, std::uint64_t start,
                      std::size_t size);

  ByteStream& input_;
  std::size_t blockSize_;
  std::size_t maxLineBytes_;
  std::string carry_;  // the partial line after the last block handed out
  bool eof_ = false;
  std::optional<CorruptStream> broken_;  // why the input ended early
  std::uint64_t bytesRead_ = 0;
  std::uint64_t checkedSeen_ = 0;  // the checked bytes found in a block
  std::optional<CheckedEnd> checkedEnd_;
};

}  // namespace hapmat
