#pragma once
// Kernel: which alleles a packed row holds, and where each first appears.

#include <cstddef>
#include <cstdint>

namespace hapmat::kernels {

/** Bit c is set when some allele of the packed row has code c. */
std::uint16_t presenceMask(const std::uint8_t* packed, std::size_t count);

/** Index of the first allele with `code` (< 16), or `count` if none. */
std::size_t firstIndexOf(const std::uint8_t* packed, std::size_t count,
                         std::uint8_t code);

/** The portable scalar twins. */
std::uint16_t presenceMaskScalar(const std::uint8_t* packed, std::size_t count);
std::size_t firstIndexOfScalar(const std::uint8_t* packed, std::size_t count,
                               std::uint8_t code);

}  // namespace hapmat::kernels
