#pragma once
// Reads an input in blocks that end at a line end (the grep-searcher way):
// fill, find the last newline, hand out the whole lines, and roll the partial
// last line to the front of the buffer for the next block.

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string_view>
#include <vector>

#include "input_source.hpp"

namespace hapmat {

/** Thrown when one line does not fit in maxLineBytes. */
class LineTooLong : public std::runtime_error {
 public:
  explicit LineTooLong(std::size_t limit);
};

class BlockReader {
 public:
  BlockReader(InputSource& input, std::size_t blockSize,
              std::size_t maxLineBytes);

  /**
   * The next block of whole lines; the input's last line may lack its '\n'.
   * Empty only at the end of the input. Valid until the next call.
   */
  std::string_view next();

  std::uint64_t bytesRead() const { return bytesRead_; }

 private:
  void fill();

  InputSource& input_;
  std::size_t maxLineBytes_;
  std::vector<char> buffer_;
  std::size_t begin_ = 0;  // start of bytes not yet handed out
  std::size_t end_ = 0;    // end of bytes read
  bool eof_ = false;
  std::uint64_t bytesRead_ = 0;
};

}  // namespace hapmat
