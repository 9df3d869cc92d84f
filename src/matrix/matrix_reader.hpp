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
#include "io/line_cursor.hpp"

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
  TextChunk& firstChunk() { return lines_.rest(); }
  /** Lines before the first data line. */
  std::uint64_t prologueLines() const { return lines_.lines(); }

 private:
  void readPrologue(const MatrixOptions& options);

  LineSource& source_;
  LineCursor lines_;
  std::vector<std::string> columns_;
  Delimiter delimiter_ = Delimiter::kSpace;
};

}  // namespace hapmat
