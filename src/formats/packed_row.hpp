#pragma once
// A data row of single-byte alleles as the row layer hands it to a writer:
// the haplotypes as 4-bit codes (kernels/pack.h), the alternative alleles
// already found and ordered.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string_view>

#include "kernels/pack.h"

namespace hapmat {

/** Bytes readable from PackedRow::pos.data(), and so from chrom.data(),
 * which comes before it in the same line; POS has fewer digits. */
inline constexpr std::size_t kPosReadableBytes = 16;

struct PackedRow {
  std::string_view chrom;
  /// As written in the input; kPosReadableBytes are readable from
  /// pos.data(), so that it can be copied with one fixed-size move.
  std::string_view pos;
  char ref = 0;  ///< one byte; may be outside the code alphabet
  /// Two codes a byte, haplotype i in the low nibble of byte i / 2 for even
  /// i, the high nibble for odd i; readable 64 bytes past the last code.
  const std::uint8_t* codes = nullptr;
  std::size_t count = 0;  ///< haplotype columns
  /// The codes of the alternative alleles (neither REF nor N), in order of
  /// first appearance; never empty.
  std::span<const std::uint8_t> alts;
  /// Changes whenever chrom may have (the row layer's CHROM count), so that
  /// a writer can tell the CHROM of its last row without comparing text;
  /// 0: not known, the writer compares.
  std::uint64_t chromVersion = 0;

  /** The code of haplotype column i (0 = the first haplotype). */
  std::uint8_t codeAt(std::size_t i) const { return kernels::codeAt(codes, i); }
};

/** Writes `CHROM<delimiter>POS` (a PackedRow's) at w with fixed-size moves
 * (a short CHROM and POS each as kPosReadableBytes, the excess overwritten
 * by what follows): w needs kPosReadableBytes of room past the end of each.
 * Returns the end of POS. The views come by value: the stores through w
 * could change a row read by reference, as far as the compiler knows, so it
 * would load its sizes again after each. */
inline char* placeChromAndPos(char* w, std::string_view chrom,
                              std::string_view pos, char delimiter) {
  if (chrom.size() <= kPosReadableBytes) {
    std::memcpy(w, chrom.data(), kPosReadableBytes);
  } else {
    std::memcpy(w, chrom.data(), chrom.size());
  }
  w += chrom.size();
  *w++ = delimiter;
  std::memcpy(w, pos.data(), kPosReadableBytes);
  return w + pos.size();
}

}  // namespace hapmat
