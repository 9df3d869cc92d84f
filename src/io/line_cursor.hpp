#pragma once
// Reads a line source one line at a time -- for the few lines before the
// rows (a prologue, the lines a part skips) -- and then hands back what it
// has not read as a chunk, for an engine to go on with.

#include <cstdint>
#include <string_view>

#include "io/line_source.hpp"

namespace hapmat {

class LineCursor {
 public:
  explicit LineCursor(LineSource& source) : source_(source) {}

  /**
   * The next line, without its line end (\n or \r\n); false at the end of
   * the input. A UTF-8 byte-order mark before the input's first line is
   * dropped, also from what rest() hands back. Throws InputError when the
   * input fails before the line. Notes in the source where a chunk's
   * checked text ends (LineSource::noteCheckedEnd).
   */
  bool peek(std::string_view& line);
  /** Moves past the line peek() showed. */
  void next();
  /** Lines moved past. */
  std::uint64_t lines() const { return lines_; }

  /** The chunk holding the lines not read yet, for the caller to take (by
   * moving from it). */
  TextChunk& rest();

 private:
  LineSource& source_;
  TextChunk chunk_;
  bool inBridge_ = false;  // the next line is chunk_.bridge
  std::string_view rest_;  // chunk_.lines not read yet
  std::uint64_t lines_ = 0;
  std::uint64_t chunkStart_ = 0;  // lines_ when chunk_ was read
};

}  // namespace hapmat
