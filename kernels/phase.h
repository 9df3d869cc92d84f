#pragma once
// Kernel: which alleles a packed row holds, and where each first appears.

#include <cstddef>
#include <cstdint>

namespace hapmat::kernels {

/** Bit c is set when some allele of the packed row has code c. Reads
 * packedBytes(count) bytes. */
using PresenceMaskFunction = std::uint16_t (*)(const std::uint8_t* packed,
                                               std::size_t count);

/** Index of the first allele with `code`, or `count` if none (always for a
 * code of 16 or more). */
using FirstIndexOfFunction = std::size_t (*)(const std::uint8_t* packed,
                                             std::size_t count,
                                             std::uint8_t code);

/** The kernels of a Highway target (its bit, e.g. HWY_AVX2). */
PresenceMaskFunction presenceMaskFor(std::int64_t target);
FirstIndexOfFunction firstIndexOfFor(std::int64_t target);

/** The portable scalar twins. */
std::uint16_t presenceMaskScalar(const std::uint8_t* packed, std::size_t count);
std::size_t firstIndexOfScalar(const std::uint8_t* packed, std::size_t count,
                               std::uint8_t code);

}  // namespace hapmat::kernels
