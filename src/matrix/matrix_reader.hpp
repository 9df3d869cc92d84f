#pragma once
// The prologue of a genome matrix: `##` metadata lines are skipped, the
// columns come from the header line or the --header file, the delimiter is
// chosen; what follows are the data lines, left in the line source's
// current chunk for the engine.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "hapmat/schema.hpp"
#include "io/line_source.hpp"

namespace hapmat {

/** What reading the prologue takes from the options. */
struct MatrixOptions {
  std::string headerPath;  ///< empty: the matrix has a header line
  DelimiterChoice delimiter = DelimiterChoice::kAuto;
};

class MatrixReader {
 public:
  /** Reads up to the first data line. Throws InputError and UsageError. */
  MatrixReader(LineSource& source, const MatrixOptions& options);

  const std::vector<std::string>& columns() const { return columns_; }
  Delimiter delimiter() const { return delimiter_; }
  const std::string& name() const { return source_.name(); }

  /** The chunk the prologue ended in, holding the first data lines: the
   * caller converts it first (moving from it). */
  TextChunk& firstChunk() { return chunk_; }
  /** Lines before the first data line. */
  std::uint64_t prologueLines() const { return lineCount_; }

 private:
  void readPrologue(const MatrixOptions& options);
  bool peekLine(std::string_view& line);
  void consumeLine();
  void keepRest();

  LineSource& source_;
  TextChunk chunk_;
  bool inBridge_ = false;  // the next line is chunk_.bridge
  std::string_view rest_;  // chunk_.lines not read yet
  std::uint64_t lineCount_ = 0;
  std::vector<std::string> columns_;
  Delimiter delimiter_ = Delimiter::kSpace;
};

}  // namespace hapmat
