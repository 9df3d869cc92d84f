#pragma once
// Kernel: a row's single-byte alleles -> 4-bit codes.

#include <array>
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

namespace detail {
constexpr std::array<std::uint8_t, 256> makeCodeTable() {
  std::array<std::uint8_t, 256> table{};
  for (auto& code : table) code = kNoCode;
  for (std::uint8_t code = 0; code < 16; ++code) {
    table[static_cast<unsigned char>(kAlleleAlphabet[code])] = code;
  }
  return table;
}
inline constexpr std::array<std::uint8_t, 256> kCodeTable = makeCodeTable();
}  // namespace detail

/** The code of one byte, or kNoCode. Inline: the rows ask it per row. */
inline std::uint8_t alleleCode(std::uint8_t byte) {
  return detail::kCodeTable[byte];
}

/** Bytes of packed codes for `count` alleles: two codes a byte. */
inline std::size_t packedBytes(std::size_t count) { return (count + 1) / 2; }

/** Slack the pack kernels may store past packedBytes(count). */
inline constexpr std::size_t kPackedSlack = 64;

/** The code of allele i of a packed row: the low nibble of byte i / 2 for
 * even i, the high nibble for odd i. */
inline std::uint8_t codeAt(const std::uint8_t* packed, std::size_t i) {
  const std::uint8_t byte = packed[i / 2];
  return static_cast<std::uint8_t>(i % 2 == 0 ? byte & 0x0F : byte >> 4);
}

enum class AlleleRow : std::uint8_t {
  kInvariant,  ///< every allele is the single byte `ref` or `N`
  kPacked,     ///< every allele is one byte of the alphabet; codes written
  kGeneral,    ///< anything else: multi-byte, lower case, empty, bad bytes
};

/** What packAlleles made of a row; two bytes, returned in a register. */
struct PackedAlleles {
  AlleleRow kind = AlleleRow::kGeneral;
  /// kPacked: bit c is set when some allele of the row has code c; kInvariant
  /// from a kernel that sees N (pack-inl.h's, asked to): kPresentN when an
  /// allele is N, REF not N (a missing allele; with REF N, either); else 0.
  std::uint16_t present = 0;
};

/** PackedAlleles::present of an invariant row with a missing allele. */
inline constexpr std::uint16_t kPresentN = 1u << kCodeN;

/**
 * packAlleles: examines the haplotype part of a row: `text[0, size)` should
 * hold `count` alleles separated by `delimiter`, that is size == 2 * count - 1
 * with every odd byte the delimiter. Returns kInvariant when that layout holds
 * and every allele is `ref` or 'N' (nothing written); else kPacked when the
 * layout holds and every allele is in kAlleleAlphabet: the code of allele i
 * goes to the low nibble of packed[i / 2] for even i, the high nibble for
 * odd i, and an odd count leaves the last high nibble zero; the alleles'
 * presence mask comes with it; else kGeneral (packed is then unspecified).
 * `ref` is a byte above space other than 0x7F. `packed` has room for
 * packedBytes(count) bytes plus kPackedSlack.
 */
using PackAllelesFunction = PackedAlleles (*)(
    const std::uint8_t* text, std::size_t size, std::size_t count,
    std::uint8_t delimiter, std::uint8_t ref, std::uint8_t* packed);

/** The pack kernel of a Highway target (its bit, e.g. HWY_AVX2). */
PackAllelesFunction packAllelesFor(std::int64_t target);

/** The same kernel seeing N (PackedAlleles::present of an invariant row),
 * as the row loop of VCF deletions packs. */
PackAllelesFunction packAllelesSeeingNFor(std::int64_t target);

/** The portable scalar twin of packAlleles. */
PackedAlleles packAllelesScalar(const std::uint8_t* text, std::size_t size,
                                std::size_t count, std::uint8_t delimiter,
                                std::uint8_t ref, std::uint8_t* packed);

}  // namespace hapmat::kernels
