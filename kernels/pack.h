#pragma once
// Kernel: a row's single-byte alleles -> 4-bit codes.

#include <cstddef>
#include <cstdint>

namespace hapmat::kernels {

/**
 * The 16 single-byte alleles with a 4-bit code, code = index in this string:
 * A=0 C=1 G=2 T=3 N=4 -=5 R=6 Y=7 S=8 W=9 K=10 M=11 B=12 D=13 H=14 V=15.
 */
inline constexpr char kAlleleAlphabet[] = "ACGTN-RYSWKMBDHV";
inline constexpr std::uint8_t kCodeN = 4;
inline constexpr std::uint8_t kCodeGap = 5;
/** Not a code: the byte is outside the alphabet. */
inline constexpr std::uint8_t kNoCode = 16;

/** The code of one byte, or kNoCode. */
std::uint8_t alleleCode(std::uint8_t byte);

/** Bytes of packed codes for `count` alleles: two codes a byte. */
inline std::size_t packedBytes(std::size_t count) { return (count + 1) / 2; }

enum class AlleleRow : std::uint8_t {
  kInvariant,  ///< every allele is the single byte `ref` or `N`
  kPacked,     ///< every allele is one byte of the alphabet; codes written
  kGeneral,    ///< anything else: multi-byte, lower case, empty, bad bytes
};

/**
 * Examines the haplotype part of a row: `text[0, size)` should hold `count`
 * (>= 1) alleles separated by `delimiter`, that is size == 2 * count - 1 with
 * every odd byte the delimiter. Returns kInvariant when that layout holds and
 * every allele is `ref` or 'N' (nothing written); else kPacked when the
 * layout holds and every allele is in kAlleleAlphabet: the code of allele i
 * goes to the low nibble of packed[i / 2] for even i, the high nibble for
 * odd i, and an odd count leaves the last high nibble zero; else kGeneral
 * (packed is then unspecified). `ref` is a byte above space other than 0x7F.
 * `packed` has room for packedBytes(count) bytes plus 64 of slack.
 */
AlleleRow packAlleles(const std::uint8_t* text, std::size_t size,
                      std::size_t count, std::uint8_t delimiter,
                      std::uint8_t ref, std::uint8_t* packed);

/** The signature of packAlleles. */
using PackAllelesFunction = AlleleRow (*)(const std::uint8_t* text,
                                          std::size_t size, std::size_t count,
                                          std::uint8_t delimiter,
                                          std::uint8_t ref,
                                          std::uint8_t* packed);

/**
 * The packAlleles of the target dispatch picks now. A per-row caller fetches
 * it once, instead of paying the dispatch (~35 instructions) on every row;
 * it goes stale when forceTarget or resetTargets changes the target.
 */
PackAllelesFunction packAllelesForCurrentTarget();

/** The portable scalar twin of packAlleles. */
AlleleRow packAllelesScalar(const std::uint8_t* text, std::size_t size,
                            std::size_t count, std::uint8_t delimiter,
                            std::uint8_t ref, std::uint8_t* packed);

}  // namespace hapmat::kernels
