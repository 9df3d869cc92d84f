#pragma once
// The lines of a genome matrix, numbered, after its prologue: `##` metadata
// lines are skipped and the columns come from the header line or file.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "block_reader.hpp"
#include "compressed_input.hpp"
#include "hapmat/convert.hpp"
#include "hapmat/error.hpp"
#include "input_source.hpp"

namespace hapmat {

/** A data line without its line end, and its 1-based number in the input. */
struct NumberedLine {
  std::string_view text;
  std::uint64_t number = 0;
};

class MatrixReader {
 public:
  /** Opens the input and reads up to its first data line. Throws. */
  explicit MatrixReader(const ConvertOptions& options);

  const std::vector<std::string>& columns() const { return columns_; }
  Delimiter delimiter() const { return delimiter_; }
  const std::string& name() const { return input_->name(); }
  /** Bytes of text read, after decompression. */
  std::uint64_t bytesRead() const { return blocks_.bytesRead(); }
  Compression compression() const { return compression_; }
  /** The input's own bytes read so far (compressed ones, if it is). */
  std::uint64_t fileBytesRead() const { return input_->bytesRead(); }

  /** The next non-blank line; false at the end. Valid until the next call. */
  bool nextDataLine(NumberedLine& line);

  /**
   * For an engine that reads blocks itself: puts the lines not yet handed
   * out back into blocks() and returns the number of the first of them.
   */
  std::uint64_t handOver();
  BlockReader& blocks() { return blocks_; }
  /** The BGZF decoder, for an engine that inflates blocks itself; null
   * when the input is not BGZF. */
  BgzfStream* bgzf() { return bgzf_; }

  /** Once the whole input has been read: what Stats::warnings should say
   * about it (a BGZF file without its end-of-file block). */
  std::vector<std::string> warnings() const;

  /**
   * For an engine that found `error` in the text: throws it with what the
   * compressed stream says about it, if anything. A gzip stream is read to
   * its end, and if it is damaged that is thrown instead, at error's place,
   * since the text there is unchecked (BGZF blocks are checked before
   * their text is converted). A BGZF stream that ended without its
   * end-of-file block adds that it may be truncated. Returns when the
   * error stands as it is.
   */
  void checkStreamAfter(const InputError& error);

 private:
  bool nextLine(NumberedLine& line);
  bool endedWithoutEofBlock() const;
  void readPrologue(const ConvertOptions& options);
  ByteStream& openText();

  std::unique_ptr<InputSource> input_;
  Compression compression_ = Compression::kNone;
  std::unique_ptr<ByteStream> decoder_;  // null for plain text
  BgzfStream* bgzf_ = nullptr;           // decoder_, when it is BGZF's
  BlockReader blocks_;
  std::vector<char> buffer_;
  std::string_view block_;
  std::uint64_t lineCount_ = 0;
  std::optional<NumberedLine> pending_;
  std::vector<std::string> columns_;
  Delimiter delimiter_ = Delimiter::kSpace;
};

/**
 * Runs an engine's `convert()`: adds the reader's warnings to the Stats it
 * returns, and when it fails in the text, adds what the compressed stream
 * says about it (MatrixReader::checkStreamAfter).
 */
template <typename Convert>
Stats convertChecked(MatrixReader& reader, Convert convert) {
  try {
    Stats stats = convert();
    stats.warnings = reader.warnings();
    return stats;
  } catch (const InputError& error) {
    reader.checkStreamAfter(error);
    throw;
  }
}

}  // namespace hapmat
