#pragma once
// Kernel: how many bytes of a text equal each of a few values (VCF's AC and
// AN, counted from the genotype characters of a row).

#include <cstddef>
#include <cstdint>

namespace hapmat::kernels {

/** The most values countBytes takes at once. */
inline constexpr std::size_t kMaxCountedValues = 8;

/**
 * counts[j] = the number of bytes of text[0, size) equal to values[j], for
 * j < k (k <= kMaxCountedValues). Reads text[0, size) only.
 */
using CountBytesFunction = void (*)(const std::uint8_t* text, std::size_t size,
                                    const std::uint8_t* values, std::size_t k,
                                    std::uint32_t* counts);

/** The count kernel of a Highway target (its bit, e.g. HWY_AVX2). */
CountBytesFunction countBytesFor(std::int64_t target);

/** The portable scalar twin of countBytes. */
void countBytesScalar(const std::uint8_t* text, std::size_t size,
                      const std::uint8_t* values, std::size_t k,
                      std::uint32_t* counts);

}  // namespace hapmat::kernels
