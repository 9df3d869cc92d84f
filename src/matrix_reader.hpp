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
#include "hapmat/convert.hpp"
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
  std::uint64_t bytesRead() const { return blocks_.bytesRead(); }

  /** The next non-blank line; false at the end. Valid until the next call. */
  bool nextDataLine(NumberedLine& line);

  /**
   * For an engine that reads blocks itself: puts the lines not yet handed
   * out back into blocks() and returns the number of the first of them.
   */
  std::uint64_t handOver();
  BlockReader& blocks() { return blocks_; }

 private:
  bool nextLine(NumberedLine& line);
  void readPrologue(const ConvertOptions& options);
  void checkNotCompressed();

  std::unique_ptr<InputSource> input_;
  BlockReader blocks_;
  std::vector<char> buffer_;
  std::string_view block_;
  std::uint64_t lineCount_ = 0;
  bool started_ = false;
  std::optional<NumberedLine> pending_;
  std::vector<std::string> columns_;
  Delimiter delimiter_ = Delimiter::kSpace;
};

}  // namespace hapmat
