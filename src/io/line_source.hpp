#pragma once
// The text of an input as chunks of whole lines, in order, whatever the
// input is (a file, standard input, gzip, BGZF): the only place that knows
// where lines are cut. A plain regular file is handed out as byte ranges
// (read), each read by a worker (prepare) as the lines that start in it;
// standard input, pipes and gzip are read serially into blocks that end at
// a line end (BlockReader); BGZF blocks are read serially, inflated in
// parallel (prepare), and joined in order (stitch), which moves the line
// cut by a chunk's end into the next chunk as its bridge line.
// No line handed out is longer than the line limit, its '\n' not counted.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "io/block_reader.hpp"
#include "io/compressed_input.hpp"

namespace hapmat {

class MappedRange;

/** Why a BGZF file without its end-of-file block is in doubt. */
inline constexpr char kNoBgzfEofBlock[] =
    "no BGZF end-of-file block: the input may be truncated";

/** The input fails at the line after a chunk's lines, at `column`. */
struct LineFailure {
  std::uint64_t column = 1;
  std::string reason;
};

/**
 * Part of a file: the lines that start at or after byte `begin` and before
 * `end`. A line starts at byte x when x is 0 or byte x - 1 is '\n'; in
 * BGZF, where byte offsets are the compressed file's, the lines from x on
 * start after the first '\n' of the first block at or after x. The last
 * line of a part ends past `end`, with its '\n'.
 */
struct ByteRange {
  std::uint64_t begin = 0;
  std::uint64_t end = 0;
};

/** A chunk of text; made once and reused, so its buffers are too. */
struct TextChunk {
  TextChunk();
  ~TextChunk();
  TextChunk(TextChunk&&) noexcept;
  TextChunk& operator=(TextChunk&&) noexcept;

  /** Forgets the last chunk's text, keeping the buffers. */
  void clear();

  /// A line begun in earlier text, whole now: it comes before `lines`.
  std::optional<std::string> bridge;
  /// Whole lines, each ending in '\n' but the input's last one.
  std::string_view lines;
  std::optional<LineFailure> failure;  ///< after bridge and lines
  /// Where the checked text (a gzip member's, once its CRC-32 checks)
  /// ends, when that moved into this chunk; lines count from the first.
  std::optional<CheckedEnd> checked;
  std::uint64_t fileBytes = 0;  ///< of the input read by then (progress)
  std::uint64_t textBytes = 0;  ///< text this chunk accounts for

  std::vector<char> text;  // what `lines` points into; keeps its size
  // A plain file's bytes in place: `lines` points into it instead. Shared
  // by the chunks of one window of the file.
  std::shared_ptr<const MappedRange> mapping;
  // A plain file's bytes to read, between read() and prepare().
  std::optional<ByteRange> pending;
  // BGZF, between read() and stitch().
  struct Blocks;
  std::unique_ptr<Blocks> blocks;
};

/** Where the checked text ends in the input: byte `textOffset` of the
 * text, at `line`:`column` (from 1). */
struct CheckedPosition {
  std::uint64_t textOffset = 0;
  std::uint64_t line = 1;
  std::uint64_t column = 1;
};

/** Why a compressed stream is damaged, and how much of its text had been
 * checked (gzip members that passed their checks) before. */
struct StreamDamage {
  CorruptStream error;
  std::uint64_t checkedBytes = 0;
};

/** Sizes for reading. */
struct LineSourceOptions {
  std::size_t blockSize = std::size_t{1} << 20;
  /// The longest line, its '\n' not counted; >= blockSize.
  std::size_t maxLineBytes = std::size_t{256} << 20;
};

class LineSource {
 public:
  /** Opens a path ("-": standard input); compression by magic bytes.
   * Throws IoError. */
  static std::unique_ptr<LineSource> open(const std::string& path,
                                          const LineSourceOptions& options);
  /**
   * Opens the lines of part `index` (from 1) of `count` of a regular
   * plain-text or BGZF file: those of the bytes [(index - 1) * size / count,
   * index * size / count), and of `within` (the bytes that hold the rows
   * of some regions). Throws UsageError for an input that cannot be read in
   * parts (standard input, a pipe, gzip that is not BGZF), and IoError.
   */
  static std::unique_ptr<LineSource> openPart(
      const std::string& path, const LineSourceOptions& options, unsigned index,
      unsigned count, ByteRange within = {0, ~std::uint64_t{0}});
  /** The lines of `range` of a file, as openPart() reads a part's (the
   * end clamped to the file's size); for the rows next to a part. */
  static std::unique_ptr<LineSource> openRange(const std::string& path,
                                               const LineSourceOptions& options,
                                               ByteRange range);
  virtual ~LineSource() = default;

  /** Serial: fills the next chunk; false after the last one. */
  virtual bool read(TextChunk& chunk) = 0;
  /** Parallel, between read() and stitch(): inflates BGZF blocks, or
   * reads a plain file's range. */
  virtual void prepare(TextChunk& /*chunk*/) const {}
  /** Serial, in input order: cuts the chunk's text into whole lines. */
  virtual void stitch(TextChunk& /*chunk*/) {}
  /** Throws MismatchError when the file changed while the chunk's text was
   * read in place (it was cut short: zeros were read instead of the bytes
   * it lost). After the chunk's lines were used, before what came of them
   * is kept. */
  virtual void verify(const TextChunk& /*chunk*/) const {}
  /** What prepare() does ("inflate", "pread"); null when nothing. */
  virtual const char* prepareStage() const { return nullptr; }
  /** Whether stitch() has work to do. */
  virtual bool stitches() const { return false; }

  /** read(), prepare() and stitch() in one: the serial way. */
  bool next(TextChunk& chunk);

  /** The name errors use: the path as given, or "<stdin>". */
  virtual const std::string& name() const = 0;
  virtual Compression compression() const = 0;
  /** Input bytes (compressed ones, if it is) read so far. */
  virtual std::uint64_t fileBytesRead() const = 0;
  /** Text bytes (after decompression) handed out so far. */
  virtual std::uint64_t textBytesRead() const = 0;
  /** Once the whole input has been read: doubts about it (a BGZF file
   * without its end-of-file block may be truncated). */
  virtual std::vector<std::string> warnings() const { return {}; }
  /** Whether the input is BGZF without its end-of-file block. For a
   * regular file it is known from the file's last bytes, however much of it
   * has been read, so an error's note about it does not depend on the block
   * size; for a stream, once its end has been read. */
  virtual bool lacksBgzfEofBlock() const { return false; }
  /** A part's byte range; nothing for the whole input. */
  virtual std::optional<ByteRange> range() const { return std::nullopt; }
  /** Lines of the file before the first line handed out: 0 but for a part,
   * where they are counted on the first call (reading the file up to the
   * part: for an error's line number). Throws IoError. */
  virtual std::uint64_t linesBefore() { return 0; }
  /** Reads a gzip stream to its end: why it is damaged, if it is. BGZF
   * blocks are checked before their text is handed out; plain text cannot
   * be damaged. */
  virtual std::optional<StreamDamage> damage() { return std::nullopt; }

  /** Where the lines read one at a time (the prologue) found the checked
   * text to end (TextChunk::checked, placed in the input). */
  void noteCheckedEnd(const CheckedPosition& at) { checkedEnd_ = at; }
  const std::optional<CheckedPosition>& checkedEnd() const {
    return checkedEnd_;
  }

 private:
  std::optional<CheckedPosition> checkedEnd_;
};

}  // namespace hapmat
