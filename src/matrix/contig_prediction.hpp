#pragma once
// The CHROM values a matrix file holds, in order of first appearance,
// guessed before converting it from a few reads spread over the file.

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "hapmat/schema.hpp"
#include "io/line_source.hpp"

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

/**
 * The CHROMs of the rows of `source` that the conversion keeps (after its
 * first `skipLines` lines, the prologue), in order of first appearance:
 * exact whatever the rows' order. It reads the whole input once: a line's
 * CHROM is compared with the previous line's, and a CHROM not seen yet is
 * looked up, and its line checked by `rows`. Stops at a line the source
 * cannot deliver (a line too long, a damaged stream): the conversion
 * reports it there.
 */
std::vector<std::string> scanChroms(LineSource& source, std::uint64_t skipLines,
                                    Delimiter delimiter, const RowCheck& rows);

}  // namespace hapmat
