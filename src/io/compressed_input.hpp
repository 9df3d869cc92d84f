#pragma once
// Compressed input: gzip (any number of members) and BGZF, recognised by
// their magic bytes. Plain gzip can only be inflated serially; BGZF blocks
// are independent, so BgzfBlockReader + BgzfInflater let a pipeline inflate
// many blocks at once while one thread reads them.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "io/byte_stream.hpp"

struct libdeflate_decompressor;

namespace hapmat {

enum class Compression { kNone, kGzip, kBgzf };

/** A BGZF block holds at most this many bytes, compressed or not. */
constexpr std::size_t kBgzfMaxBlock = 65536;

/** The largest number of bytes detectCompression() looks at. */
constexpr std::size_t kCompressionMagicBytes = 18;

/** Classifies a stream by its first bytes (all of them if it is shorter
 * than kCompressionMagicBytes). BGZF is gzip whose first member carries the
 * "BC" extra subfield. */
Compression detectCompression(std::string_view head);

/** A truncated or corrupt compressed stream. */
class CorruptStream : public std::runtime_error {
 public:
  /** `offset`: the compressed byte at which the stream went wrong. */
  CorruptStream(const std::string& reason, std::uint64_t offset);
  std::uint64_t offset() const { return offset_; }

 private:
  std::uint64_t offset_;
};

/** Inflates gzip serially: one member after another, so BGZF too. */
class GzipStream : public ByteStream {
 public:
  explicit GzipStream(ByteStream& raw);
  ~GzipStream() override;
  GzipStream(const GzipStream&) = delete;
  GzipStream& operator=(const GzipStream&) = delete;

  /** Throws CorruptStream for a bad or truncated member. */
  std::size_t read(char* buffer, std::size_t size) override;
  /** The text of the members whose CRC-32 and length checked. */
  std::optional<std::uint64_t> checkedBytes() const override;
  std::uint64_t compressedBytesRead() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

/** Where one whole BGZF block (header to ISIZE) sits in a raw buffer. */
struct BgzfBlock {
  std::size_t offset = 0;
  std::size_t size = 0;
  std::uint32_t inflatedSize = 0;
};

/** Reads whole BGZF blocks, without inflating them. */
class BgzfBlockReader {
 public:
  /** `raw` starts at byte `start` of the stream (offsets count from 0). */
  explicit BgzfBlockReader(ByteStream& raw, std::uint64_t start = 0);

  /** Reads no block that starts at or after `offset`: as if the stream
   * ended there (no end-of-file block is expected there). */
  void stopAt(std::uint64_t offset) { stop_ = offset; }

  /** A gzip member without the BC field (a plain one, after BGZF blocks:
   * `cat x.bgz y.gz`) ends the blocks instead of being an error:
   * readBlocks() stops before it, and plainMember() says where it starts
   * and holds the bytes of it read already. */
  void stopAtPlainMembers() { stopAtPlain_ = true; }
  struct PlainMember {
    std::uint64_t offset = 0;
    std::string head;  ///< its first bytes, read already
  };
  const std::optional<PlainMember>& plainMember() const { return plain_; }

  /**
   * Appends whole blocks to `raw` and their places to `blocks` until their
   * inflated sizes add up to at least `inflatedBytes` or the stream ends.
   * Returns false when the stream had ended (nothing appended). Throws
   * CorruptStream for a truncated block or a header that is not BGZF's.
   */
  bool readBlocks(std::size_t inflatedBytes, std::vector<char>& raw,
                  std::vector<BgzfBlock>& blocks);

  /** The stream offset of the next block. */
  std::uint64_t compressedBytesRead() const { return offset_; }
  /** Whether the stream has ended, after a whole block, and that block was
   * not the empty end-of-file block BGZF writers end a file with: the file
   * may have been cut at a block boundary. */
  bool endedWithoutEofBlock() const { return ended_ && !lastBlockEmpty_; }

 private:
  ByteStream& raw_;
  std::uint64_t offset_;  // of the next byte of raw_ in the stream
  std::uint64_t stop_ = UINT64_MAX;
  bool ended_ = false;
  bool lastBlockEmpty_ = false;
  bool stopAtPlain_ = false;
  std::optional<PlainMember> plain_;
};

/**
 * The offset of the first BGZF block that starts at or after `offset` in
 * the regular file `fd` of `size` bytes, or `size` when there is none: the
 * magic bytes and the BC field, and a block size that leads to the next
 * block or to the end of the file. Throws IoError naming `name`.
 */
std::uint64_t findBgzfBlock(int fd, std::uint64_t offset, std::uint64_t size,
                            const std::string& name);

/**
 * Whether the regular file `fd` of `size` bytes ends with BGZF blocks: the
 * blocks from one found in its last 64 KiB lead to its end, or past it (a
 * block cut short); not so when plain gzip members follow the blocks.
 * Throws IoError naming `name`.
 */
bool endsWithBgzfBlocks(int fd, std::uint64_t size, const std::string& name);

/** Inflates BGZF blocks with libdeflate; one per thread. */
class BgzfInflater {
 public:
  BgzfInflater();
  ~BgzfInflater();
  BgzfInflater(const BgzfInflater&) = delete;
  BgzfInflater& operator=(const BgzfInflater&) = delete;

  /**
   * Inflates `blocks` of `raw` into `out` (resized to their total), checking
   * each block's CRC-32 and size. `rawOffset` is raw[0]'s offset in the
   * stream, for errors. Throws CorruptStream, leaving in `out` the blocks
   * before the bad one.
   */
  void inflate(std::span<const char> raw, std::span<const BgzfBlock> blocks,
               std::uint64_t rawOffset, std::vector<char>& out);

 private:
  libdeflate_decompressor* decompressor_;
};

}  // namespace hapmat
