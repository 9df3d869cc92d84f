#pragma once
// Kernel: where the line ends of a block are, as bitmasks.

#include <cstddef>
#include <cstdint>

namespace hapmat::kernels {

/** Words of bitmask newlineMasks writes for `size` bytes. */
inline std::size_t maskWords(std::size_t size) { return (size + 63) / 64; }

/**
 * Sets bit (i % 64) of masks[i / 64] exactly when data[i] == '\n', for every
 * i < size; the bits past `size` in the last word are zero. `masks` has
 * maskWords(size) words.
 */
using NewlineMasksFunction = void (*)(const std::uint8_t* data,
                                      std::size_t size, std::uint64_t* masks);

/** The newline-mask kernel of a Highway target (its bit, e.g. HWY_AVX2). */
NewlineMasksFunction newlineMasksFor(std::int64_t target);

/** The portable scalar twin of newlineMasks. */
void newlineMasksScalar(const std::uint8_t* data, std::size_t size,
                        std::uint64_t* masks);

}  // namespace hapmat::kernels
