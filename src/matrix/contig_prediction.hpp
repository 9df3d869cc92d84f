#pragma once
// The CHROM values a matrix file holds, in order of first appearance,
// guessed before converting it from a few reads spread over the file.

#include <string>
#include <vector>

#include "hapmat/schema.hpp"

namespace hapmat {

/**
 * The CHROMs of the data rows of the file at `path`, assuming each CHROM's
 * rows are together: a bisection over the file's bytes reads a line here and
 * there and narrows each change of CHROM down to its line. Empty when the
 * input cannot be read at random (standard input, gzip) or holds too many
 * CHROMs to find cheaply. A guess: the rows are checked against it.
 */
std::vector<std::string> predictChroms(const std::string& path,
                                       Delimiter delimiter);

}  // namespace hapmat
