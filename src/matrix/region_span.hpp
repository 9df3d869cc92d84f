#pragma once
// The bytes of a matrix file that hold the rows of some regions, found by
// bisection over the file's byte offsets: a 1 Mb region of a large matrix is
// read without reading the rest, and without an index.

#include <optional>
#include <string>
#include <vector>

#include "hapmat/schema.hpp"
#include "io/line_source.hpp"
#include "matrix/regions.hpp"

namespace hapmat {

/**
 * The byte range (in LineSource's sense) of the plain-text or BGZF file at
 * `path` whose lines hold every row of `regions`: from before the first row
 * of the first region to after the last row of the last one, in the file's
 * order. `chroms` are the file's CHROMs in the order their rows come (see
 * predictChroms); each CHROM's rows must be together and sorted by POS.
 * Nothing when the file cannot be read at random, `chroms` is empty, or a
 * region's CHROM is not in `chroms` (the rows are then filtered as they
 * stream). The rows inside the range are
 * still filtered by the regions. Throws InputError "FILE:LINE:COLUMN" at a
 * line the bisection read that breaks that order, telling the user to sort
 * the matrix or drop the regions; IoError.
 */
std::optional<ByteRange> regionSpan(const std::string& path,
                                    Delimiter delimiter,
                                    const RegionSet& regions,
                                    const std::vector<std::string>& chroms);

}  // namespace hapmat
