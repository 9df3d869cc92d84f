#pragma once
// The lines of a plain-text or BGZF file, read from any place in it: for a
// guess at what a matrix holds without reading all of it, and for splitting
// it into parts.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace hapmat {

class RandomLines {
 public:
  /** How much of each line visit() shows. */
  static constexpr std::size_t kHeadBytes = 4096;

  /** Opens `path`; null when it cannot be read at random: not a regular
   * file, or gzip that is not BGZF. Throws IoError. */
  static std::unique_ptr<RandomLines> open(const std::string& path);

  virtual ~RandomLines() = default;

  /** The file's size in bytes. */
  virtual std::uint64_t size() const = 0;

  /** Offsets this close hold few enough lines to read them all rather than
   * bisect further: 64 KiB of plain text; in BGZF, where offsets count
   * compressed bytes (a 64 KiB window there can hold 1.4 MB of a matrix's
   * text), 4 KiB. */
  virtual std::uint64_t scanBytes() const = 0;

  /**
   * Shows the lines that start at or after file byte `offset` (all of them
   * from 0), in order, to `see(position, head)` until it returns false or
   * the file ends. `head` is the line's first `headBytes` at most, without
   * its '\n' (the whole line when it is shorter); `position` grows with the
   * line's place in the file (a byte offset in plain text; for BGZF, the
   * block's offset << 16 plus the line's offset in the block's text). In BGZF
   * the lines that start at or after `offset` begin after the first '\n' of the
   * first block at or after it. Throws IoError, and CorruptStream for a bad
   * BGZF block.
   */
  virtual void visit(std::uint64_t offset,
                     const std::function<bool(std::uint64_t position,
                                              std::string_view head)>& see,
                     std::size_t headBytes = kHeadBytes) = 0;

  /** File bytes read so far. */
  virtual std::uint64_t bytesRead() const = 0;
};

}  // namespace hapmat
