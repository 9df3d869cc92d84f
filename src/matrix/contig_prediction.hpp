#pragma once
// The CHROM values a matrix file holds, in order of first appearance,
// guessed before converting it from a few reads spread over the file.

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "hapmat/schema.hpp"

namespace hapmat {

/**
 * Which data lines are rows the conversion keeps: a row it skips as bad
 * names no contig. `keeps` sees a whole line (without its line end), of at
 * most `maxLineBytes`; a longer one is no row.
 */
struct RowCheck {
  std::function<bool(std::string_view line)> keeps;
  std::size_t maxLineBytes = 0;
};

/**
 * The CHROMs of the data rows of the file at `path`, assuming each CHROM's
 * rows are together: a bisection over the file's bytes reads a line here and
 * there and narrows each change of CHROM down to its line. With `rows`,
 * only rows it keeps count (each line that could start a new CHROM is
 * checked). Empty when the input cannot be read at random (standard input,
 * gzip) or holds too many CHROMs to find cheaply. A guess: the rows are
 * checked against it; it is exact when each CHROM's kept rows are together.
 */
std::vector<std::string> predictChroms(const std::string& path,
                                       Delimiter delimiter,
                                       const RowCheck* rows = nullptr);

}  // namespace hapmat
