#pragma once
// Converts one data row, the fast way when it can: a row of single-byte
// alleles is checked and packed into 4-bit codes by the SIMD kernels, an
// invariant row is dropped right there, and a variant one is handed to the
// writer as a PackedRow. Any other row (multi-byte alleles, lower case, a
// malformed row) takes the reference engine's path, so both engines agree
// byte for byte.

#include <array>
#include <bit>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kernels/kernel_set.h"
#include "rows/text_row_converter.hpp"

namespace hapmat {

namespace phaser_detail {

inline bool isFieldByte(unsigned char byte) {
  return byte > 0x20 && byte != 0x7F;
}

inline std::uint64_t loadWord(const char* p) {
  std::uint64_t word;
  std::memcpy(&word, p, sizeof word);
  return word;
}

// The number of leading decimal digits in p[0, 16) (16 if all are), eight
// bytes at a time: xor maps '0'..'9' to 0..9, and a byte is no digit when it
// or it plus 6 reaches its high nibble. A carry out of a byte can only spoil
// the bytes after the first non-digit, which do not matter. `digitsOr` gets
// the OR of the digits' values, to refuse a POS of all zeros.
inline std::size_t leadingDigits16(const char* p, std::uint64_t& digitsOr) {
  static_assert(std::endian::native == std::endian::little);
  constexpr std::uint64_t kZeros = 0x3030303030303030;
  constexpr std::uint64_t kSixes = 0x0606060606060606;
  constexpr std::uint64_t kHighNibbles = 0xF0F0F0F0F0F0F0F0;
  std::size_t count = 0;
  digitsOr = 0;
  for (int half = 0; half < 2; ++half) {
    std::uint64_t values = loadWord(p + count) ^ kZeros;
    std::uint64_t nonDigits = (values | (values + kSixes)) & kHighNibbles;
    if (nonDigits == 0) {
      digitsOr |= values;
      count += 8;
      continue;
    }
    std::size_t digits = std::countr_zero(nonDigits) / 8;
    digitsOr |= values & ((std::uint64_t{1} << (8 * digits)) - 1);
    return count + digits;
  }
  return count;
}

// Whether `alleles` holds `allele`: convert's answer to convertPacked's
// question of an invariant row (the row loop's is its target's, inline).
inline bool hasAllele(std::string_view alleles, char allele) {
  return std::memchr(alleles.data(), allele, alleles.size()) != nullptr;
}

}  // namespace phaser_detail

class RowPhaser {
 public:
  RowPhaser(const RowWriter& writer, std::size_t columns, Delimiter delimiter,
            const kernels::KernelSet& kernels,
            const RowSelection& selection = {});

  /** Converts `line` (no line end), appending a written row to `out`. */
  RowOutcome convert(std::string_view line, ByteBuffer& out);

  // convert in three steps, for the row loop (row_loop.cpp), which packs
  // with its target's kernel inline and calls its writer's final class:
  // parseFixed, then (when it holds) the pack kernel on packInput, then
  // convertPacked; when parseFixed fails, convertGeneral.

  /** Where a row's CHROM, POS and REF are, once parseFixed checked them. */
  struct Fixed {
    std::size_t chromEnd;   ///< CHROM is line[0, chromEnd)
    std::size_t posLength;  ///< POS starts at chromEnd + 1
    std::size_t posEnd;     ///< REF is line[posEnd + 1]
    char ref;               ///< line[posEnd + 1], read by the check
  };
  /** The size of the haplotypes' text of a row the pack kernel takes:
   * 2 * count - 1 (~0 without haplotypes). */
  std::size_t allelesSize() const { return allelesSize_; }
  /** The arguments of the pack kernel (kernels/pack.h) for a row. */
  struct PackInput {
    const std::uint8_t* text;
    std::size_t size;
    std::size_t count;
    std::uint8_t delimiter;
    std::uint8_t ref;
    std::uint8_t* packed;
  };

  /** Checks CHROM, POS and REF; false: the row takes convertGeneral, which
   * names its problem. */
  bool parseFixed(std::string_view line, Fixed& fixed);
  PackInput packInput(std::string_view line, const Fixed& fixed) {
    const std::size_t start = fixed.posEnd + 3;
    return {reinterpret_cast<const std::uint8_t*>(line.data()) + start,
            line.size() - start,
            columns_ - kFirstHaplotype,
            static_cast<std::uint8_t>(delimiter_),
            static_cast<std::uint8_t>(line[fixed.posEnd + 1]),
            packed_.data()};
  }
  /** The rest of convert, with the pack kernel's verdict on the row. A
   * row to write goes to `writer` (the one the phaser was made with, as its
   * own class or as a RowWriter): to its appendPacked, or, given
   * `formatKernels`, to its appendPackedWith(..., formatKernels...), which
   * the row loop calls with its target's formatting kernels, inline.
   * `hasAllele(alleles, 'N')` says whether an invariant row has a missing
   * allele, asked only when they are tracked. */
  template <class Writer, class HasAllele, class... FormatKernels>
  RowOutcome convertPacked(std::string_view line, const Fixed& fixed,
                           kernels::PackedAlleles packed, ByteBuffer& out,
                           const Writer& writer, HasAllele hasAllele,
                           FormatKernels... formatKernels);
  RowOutcome convertGeneral(std::string_view line, ByteBuffer& out);

  const RowWriter& writer() const { return writer_; }
  /** Whether the last row took convertGeneral (else parseFixed held). */
  bool usedGeneral() const { return usedGeneral_; }
  const RowProblem& problem() const { return general_.problem(); }
  /** Made when asked from where the last row's fields are: most rows'
   * facts are never asked for, and storing four views a row costs more. */
  RowFacts facts() const {
    return usedGeneral_ ? general_.facts() : packedFacts();
  }
  std::uint32_t allelesLeftOut() const {
    return usedGeneral_ ? general_.allelesLeftOut() : scratch_->allelesLeftOut;
  }
  /** Changes whenever facts().chrom may have: when a row's CHROM differs
   * from the one remembered, which every row's CHROM is checked against
   * first. */
  std::uint64_t chromVersion() const { return chromVersion_; }

  /** As TextRowConverter::setTracksMissing. */
  void setTracksMissing(bool tracks) {
    tracksMissing_ = tracks;
    general_.setTracksMissing(tracks);
  }
  bool missingInvariant() const {
    return usedGeneral_ ? general_.missingInvariant() : missingInvariant_;
  }

 private:
  RowFacts packedFacts() const {
    const char* pos = factsLine_ + factsChromEnd_ + 1;
    return {std::string_view(factsLine_, factsChromEnd_),
            std::string_view(pos, factsPosLength_), 1,
            std::string_view(pos + factsPosLength_ + 1, 1)};
  }
  std::size_t chromLength(std::string_view line);
  [[gnu::noinline]] std::size_t newChromLength(std::string_view line);
  // An N among the single-byte alleles of an invariant row whose REF is
  // not N (lower case takes the general path).
  // Inline, so that the row loop's hasAllele is its target's code.
  template <class HasAllele>
  [[gnu::always_inline]] RowOutcome invariantRow(std::string_view alleles,
                                                 char ref,
                                                 HasAllele hasAllele) {
    missingInvariant_ = tracksMissing_ && ref != 'N' && hasAllele(alleles, 'N');
    return RowOutcome::kInvariant;
  }
  [[gnu::noinline]] bool outsideRegions();
  [[gnu::noinline]] bool outsideNewRun();
  kernels::PackedAlleles packInvariant(std::string_view alleles, char ref);
  void rememberChrom(std::string_view chrom);
  std::size_t orderAlts(std::uint16_t altMask,
                        std::array<std::uint8_t, 16>& codes) const;

  const RowWriter& writer_;
  TextRowConverter general_;
  std::unique_ptr<WriterScratch> scratch_;
  std::size_t columns_;
  std::size_t allelesSize_;
  char delimiter_;
  // Side by side: every row resets both, one 2-byte store.
  bool usedGeneral_ = false;       // whether the last row took the general path
  bool missingInvariant_ = false;  // of the last row, when tracked
  bool tracksMissing_ = false;
  // Where the last packed row's CHROM, POS and REF are (facts()).
  const char* factsLine_ = nullptr;
  std::size_t factsChromEnd_ = 0;
  std::size_t factsPosLength_ = 0;
  // The last valid CHROM and its delimiter: most rows repeat it.
  std::string chromField_;
  std::uint64_t chromWord_ = 0;  // chromField_'s bytes, when it has <= 8
  std::uint64_t chromWordMask_ = 0;
  std::uint64_t chromVersion_ = 0;
  std::vector<std::uint8_t> packed_;
  const kernels::KernelSet& kernels_;
  std::optional<RegionCursor> regions_;
  // The run of positions (RegionCursor::runAt) the last looked-up row was
  // in, of the CHROM of `chromVersion`, as POS keys (row_phaser.cpp): most
  // rows are decided on their POS text against it. A POS of at most 8
  // digits (below 10^8: most rows of most genomes) has a 64-bit key, and
  // the run's bounds one too, ~0 from 10^8 on.
  __extension__ typedef unsigned __int128 PosKey;
  struct PosRun {
    std::uint64_t chromVersion = 0;  // none: no CHROM has version 0
    std::uint64_t shortFrom = ~std::uint64_t{0};
    std::uint64_t shortTo = 0;
    PosKey from = 0;
    PosKey to = 0;
    bool inside = false;
  };
  PosRun run_;
  bool allSites_;
  bool selects_;  // regions or all sites: rows may be more than variant
};

inline RowOutcome RowPhaser::convertGeneral(std::string_view line,
                                            ByteBuffer& out) {
  usedGeneral_ = true;
  return general_.convert(line, out);
}

// The length of a valid CHROM field followed by the delimiter, else 0: most
// rows repeat the last CHROM, compared here as one word.
inline std::size_t RowPhaser::chromLength(std::string_view line) {
  if (chromWordMask_ != 0 && line.size() >= 8) {
    if ((phaser_detail::loadWord(line.data()) & chromWordMask_) == chromWord_) {
      return chromField_.size() - 1;
    }
  } else if (!chromField_.empty() && line.starts_with(chromField_)) {
    return chromField_.size() - 1;
  }
  return newChromLength(line);
}

// CHROM POS REF are parsed by hand: they are short, and a library call per
// field costs more than the loop. Any doubt about them sends the row to the
// general path, which names the problem.
inline bool RowPhaser::parseFixed(std::string_view line, Fixed& fixed) {
  usedGeneral_ = false;
  missingInvariant_ = false;
  const std::size_t chromEnd = chromLength(line);
  if (chromEnd == 0) return false;
  // POS: up to 15 digits here (far below 2^63); longer ones, and rows too
  // short for the word loads, go to the general path.
  const std::size_t posStart = chromEnd + 1;
  if (posStart + kPosReadableBytes > line.size()) return false;
  std::uint64_t digitsOr = 0;
  const std::size_t posLength =
      phaser_detail::leadingDigits16(line.data() + posStart, digitsOr);
  const std::size_t posEnd = posStart + posLength;
  if (posLength == 0 || posLength > 15 || digitsOr == 0 ||
      posEnd + 3 > line.size() || line[posEnd] != delimiter_ ||
      line[posEnd + 2] != delimiter_) {
    return false;
  }
  const char ref = line[posEnd + 1];
  if (!phaser_detail::isFieldByte(static_cast<unsigned char>(ref))) {
    return false;
  }
  fixed = {chromEnd, posLength, posEnd, ref};
  return true;
}

template <class Writer, class HasAllele, class... FormatKernels>
[[gnu::always_inline]] inline RowOutcome RowPhaser::convertPacked(
    std::string_view line, const Fixed& fixed, kernels::PackedAlleles packed,
    ByteBuffer& out, const Writer& writer, HasAllele hasAllele,
    FormatKernels... formatKernels) {
  const kernels::AlleleRow kind = packed.kind;
  if (kind == kernels::AlleleRow::kGeneral) return convertGeneral(line, out);
  // Views made without substr's bounds checks: parseFixed checked every
  // offset.
  const char* text = line.data();
  const char ref = text[fixed.posEnd + 1];
  std::string_view alleles(text + fixed.posEnd + 3,
                           line.size() - (fixed.posEnd + 3));
  std::string_view chrom(text, fixed.chromEnd);
  std::string_view pos(text + fixed.chromEnd + 1, fixed.posLength);
  factsLine_ = text;
  factsChromEnd_ = fixed.chromEnd;
  factsPosLength_ = fixed.posLength;
  // The hot question first: most rows are invariant, and without regions
  // or --all-sites they end here, as they did before either existed.
  if (kind == kernels::AlleleRow::kInvariant && !selects_) {
    return invariantRow(alleles, ref, hasAllele);
  }
  if (selects_) [[unlikely]] {
    if (regions_ && outsideRegions()) return RowOutcome::kOutside;
    if (kind == kernels::AlleleRow::kInvariant) {
      if (!allSites_) return invariantRow(alleles, ref, hasAllele);
      // Written with the codes packAlleles left out.
      packed = packInvariant(alleles, ref);
      if (packed.kind == kernels::AlleleRow::kGeneral) {
        return convertGeneral(line, out);
      }
    }
  }

  const std::uint16_t present = packed.present;
  unsigned notAlt = 1u << kernels::kCodeN;
  std::uint8_t refCode = kernels::alleleCode(static_cast<std::uint8_t>(ref));
  if (refCode != kernels::kNoCode) notAlt |= 1u << refCode;
  auto altMask = static_cast<std::uint16_t>(present & ~notAlt);
  std::array<std::uint8_t, 16> alts;
  std::size_t altCount = 1;
  if ((altMask & (altMask - 1)) == 0) {  // one alt (most variant rows), none
    if (altMask == 0) {
      if (!allSites_) return invariantRow(alleles, ref, hasAllele);
      altCount = 0;
    }
    alts[0] = static_cast<std::uint8_t>(std::countr_zero(altMask));
  } else {
    altCount = orderAlts(altMask, alts);
  }
  const std::size_t count = columns_ - kFirstHaplotype;
  PackedRow row{chrom,          pos,   ref,
                packed_.data(), count, std::span(alts).first(altCount),
                chromVersion_};
  Formatted formatted;
  if constexpr (sizeof...(FormatKernels) == 0) {
    formatted = writer.appendPacked(row, *scratch_, out);
  } else {
    formatted = writer.appendPackedWith(row, *scratch_, out, formatKernels...);
  }
  RowOutcome outcome = outcomeOf(formatted);
  // A format that refuses a packed row names the problem the general path
  // finds for it too.
  return outcome == RowOutcome::kBad ? convertGeneral(line, out) : outcome;
}

}  // namespace hapmat
