#pragma once
// Kernel: where each allele of a packed row first appears (the presence
// mask comes from packAlleles, kernels/pack.h).

#include <cstddef>
#include <cstdint>

namespace hapmat::kernels {

/** Index of the first allele with `code`, or `count` if none (always for a
 * code of 16 or more). */
using FirstIndexOfFunction = std::size_t (*)(const std::uint8_t* packed,
                                             std::size_t count,
                                             std::uint8_t code);

/** The kernel of a Highway target (its bit, e.g. HWY_AVX2). */
FirstIndexOfFunction firstIndexOfFor(std::int64_t target);

/** The portable scalar twin. */
std::size_t firstIndexOfScalar(const std::uint8_t* packed, std::size_t count,
                               std::uint8_t code);

}  // namespace hapmat::kernels
