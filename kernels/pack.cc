// Kernel: a row's single-byte alleles -> 4-bit codes (see pack.h).

#include "kernels/pack.h"

#include <array>
#include <cstring>

#include "kernels/dispatch.h"

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "kernels/pack.cc"
#include <hwy/foreach_target.h>  // IWYU pragma: keep
#include <hwy/highway.h>

#include "kernels/vector_loads-inl.h"

HWY_BEFORE_NAMESPACE();
namespace hapmat::kernels::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

#if HWY_TARGET == HWY_SCALAR

// One u8 lane per "vector", and no u32 view of it for the nibble packing: the
// plain loop is the better portable code.
AlleleRow PackAllelesImpl(const std::uint8_t* text, std::size_t size,
                          std::size_t count, std::uint8_t delimiter,
                          std::uint8_t ref, std::uint8_t* packed) {
  return packAllelesScalar(text, size, count, delimiter, ref, packed);
}

#else

// The vector whose even lanes are `even` and odd lanes `odd`: one u16
// broadcast, so no lane-index vector (Iota & 1) has to be built.
template <class D>
HWY_INLINE hn::Vec<D> PairPattern(D d, std::uint8_t even, std::uint8_t odd) {
  const hn::Repartition<std::uint16_t, D> d16;
  return hn::BitCast(d,
                     hn::Set(d16, static_cast<std::uint16_t>(
                                      even | static_cast<unsigned>(odd) << 8)));
}

// True when every even byte of text[0, size) is `ref` or 'N' and every odd
// byte is the delimiter. A lane passes when it equals one of two patterns;
// v ^ pattern is zero on a match, so Min of the two xors is zero exactly when
// the lane passes: 2 xor + min + compare a vector, no shuffles.
template <class D>
HWY_INLINE bool AllRefOrN(D d, const std::uint8_t* HWY_RESTRICT text,
                          std::size_t size, std::uint8_t ref,
                          std::uint8_t delimiter) {
  HWY_DASSERT(size >= 1);
  using V = hn::Vec<D>;
  const std::size_t N = hn::Lanes(d);
  if constexpr (kHalveBelow<D>) {
    if (size < N) return AllRefOrN(hn::Half<D>(), text, size, ref, delimiter);
  }
  const V zero = hn::Zero(d);
  const V ref0 = PairPattern(d, ref, delimiter);
  const V n0 = PairPattern(d, 'N', delimiter);
  if (size < N) {  // E.g. the row of < 32 haplotypes on AVX-512.
    const V v = LoadHead(d, text, size);
    const auto pass = hn::Eq(hn::Min(hn::Xor(v, ref0), hn::Xor(v, n0)), zero);
    return hn::AllFalse(d, hn::AndNot(pass, hn::FirstN(d, size)));
  }
  std::size_t i = 0;
  for (; i + N <= size; i += N) {  // i is even: lane parity = byte parity.
    const V v = hn::LoadU(d, text + i);
    if (!hn::AllTrue(d,
                     hn::Eq(hn::Min(hn::Xor(v, ref0), hn::Xor(v, n0)), zero))) {
      return false;
    }
  }
  if (i == size) return true;
  // Tail: the last N bytes, overlapping bytes already checked (checking twice
  // is harmless). They start at size - N, which is odd when size is: then
  // lane parity is the opposite of byte parity and the patterns swap.
  const std::size_t start = size - N;
  const bool odd = (start & 1) != 0;
  const V refT = odd ? PairPattern(d, delimiter, ref) : ref0;
  const V nT = odd ? PairPattern(d, delimiter, 'N') : n0;
  const V v = hn::LoadU(d, text + start);
  return hn::AllTrue(d,
                     hn::Eq(hn::Min(hn::Xor(v, refT), hn::Xor(v, nT)), zero));
}

// 16 entries: code + 1 of the alphabet byte base + k, or 0 for a byte outside
// the alphabet.
struct CodeRow {
  alignas(16) std::uint8_t bytes[16];
};
constexpr CodeRow MakeCodeRow(unsigned base) {
  CodeRow row{};
  for (unsigned code = 0; code < 16; ++code) {
    const auto byte = static_cast<unsigned char>(kAlleleAlphabet[code]);
    if (byte >= base && byte < base + 16) {
      row.bytes[byte - base] = static_cast<std::uint8_t>(code + 1);
    }
  }
  return row;
}

// Code + 1 of each byte of v, 0 for a byte outside the alphabet. The letters
// live in 0x40..0x5F: two 16-entry tables, one a row of the ASCII chart, are
// indexed by the low nibble. v - base, then + 0x70 with saturation, maps the
// row's 16 bytes to 0x70..0x7F and every other byte to 0x80 or more, which
// TableLookupBytesOr0 turns into 0; so no range compares. '-' (0x2D) is the
// only other alphabet byte: one compare. Costs 2 sub, 2 saturated add, 2
// shuffles, 1 or, 1 compare + blend.
template <class D>
HWY_INLINE hn::Vec<D> CodePlusOne(D d, hn::Vec<D> v) {
  static constexpr CodeRow kRow4 = MakeCodeRow(0x40);
  static constexpr CodeRow kRow5 = MakeCodeRow(0x50);
  const auto k70 = hn::Set(d, std::uint8_t{0x70});
  const auto index4 = hn::SaturatedAdd(hn::Sub(v, hn::Set(d, 0x40)), k70);
  const auto index5 = hn::SaturatedAdd(hn::Sub(v, hn::Set(d, 0x50)), k70);
  const auto letters =
      hn::Or(hn::TableLookupBytesOr0(Table16(d, kRow4.bytes), index4),
             hn::TableLookupBytesOr0(Table16(d, kRow5.bytes), index5));
  return hn::IfThenElse(hn::Eq(v, hn::Set(d, '-')),
                        hn::Set(d, std::uint8_t{kCodeGap + 1}), letters);
}

// Validates row bytes v = text[i, i + N) (i a multiple of 4; lanes outside
// `valid` are ignored) and stores their N / 4 packed bytes at `out`. Returns
// false when a valid even lane is outside the alphabet or a valid odd lane is
// not the delimiter. Packing: with the codes of even lanes and zeros in odd
// ones, u32 lane k holds [c0, 0, c1, 0] of alleles 2k and 2k + 1, and the low
// byte of x | x >> 12 is c0 | c1 << 4; U8FromU32 keeps that byte. (Not
// TruncateTo: in Highway 1.0.3 its u32 -> u8 on AVX3_DL permutes dwords with
// byte indexes and scrambles the result.)
template <class D>
HWY_INLINE bool PackVector(D d, hn::Vec<D> v, hn::Mask<D> valid,
                           std::uint8_t delimiter,
                           std::uint8_t* HWY_RESTRICT out) {
  const auto even = hn::MaskFromVec(PairPattern(d, 0xFF, 0));
  const auto code1 = CodePlusOne(d, v);
  // Nonzero in a good lane: code + 1 for an allele, all ones for a delimiter.
  const auto good = hn::IfThenElse(
      even, code1, hn::VecFromMask(d, hn::Eq(v, hn::Set(d, delimiter))));
  if (!hn::AllFalse(d, hn::And(hn::Eq(good, hn::Zero(d)), valid))) {
    return false;
  }
  const auto codes =
      hn::IfThenElseZero(hn::And(even, valid), hn::Sub(code1, hn::Set(d, 1)));
  const hn::Repartition<std::uint32_t, D> d32;
  const hn::Rebind<std::uint8_t, decltype(d32)> d8;
  const auto x = hn::BitCast(d32, codes);
  const auto lowByte = hn::And(hn::Or(x, hn::ShiftRight<12>(x)),
                               hn::Set(d32, 0xFFu));  // U8FromU32's contract
  hn::StoreU(hn::U8FromU32(lowByte), d8, out);
  return true;
}

// Validates and packs a row of the right (odd) size that is not invariant.
// The 4-byte groups text[4k, 4k + 4) hold alleles 2k and 2k + 1, packed byte
// k; they are covered by whole vectors, the last one overlapping the one
// before (storing and checking twice is harmless) and 4-aligned, so no lane
// shifts. The row ends with a partial group of 1 or 3 bytes: one packed byte,
// done in scalar code. A row shorter than a vector is one zero-padded vector
// whose padding is masked out; an odd count then leaves the last high nibble
// zero, and the store of N / 4 bytes passes packedBytes(count) by < 16: the
// slack.
template <class D>
HWY_INLINE bool PackRow(D d, const std::uint8_t* HWY_RESTRICT text,
                        std::size_t size, std::uint8_t delimiter,
                        std::uint8_t* HWY_RESTRICT packed) {
  HWY_DASSERT(size >= 1);
  const std::size_t N = hn::Lanes(d);
  if constexpr (kHalveBelow<D>) {
    if (size < N) return PackRow(hn::Half<D>(), text, size, delimiter, packed);
  }
  if (size < N) {
    return PackVector(d, LoadHead(d, text, size), hn::FirstN(d, size),
                      delimiter, packed);
  }
  const auto all = hn::FirstN(d, N);
  const std::size_t groups = size & ~std::size_t{3};  // >= N, as N % 4 == 0
  std::size_t i = 0;
  for (; i + N <= groups; i += N) {
    if (!PackVector(d, hn::LoadU(d, text + i), all, delimiter,
                    packed + i / 4)) {
      return false;
    }
  }
  if (i != groups && !PackVector(d, hn::LoadU(d, text + groups - N), all,
                                 delimiter, packed + (groups - N) / 4)) {
    return false;
  }
  const std::uint8_t* last = text + groups;
  const std::uint8_t first = alleleCode(last[0]);
  if (first == kNoCode) return false;
  unsigned byte = first;
  if (size - groups == 3) {
    const std::uint8_t second = alleleCode(last[2]);
    if (last[1] != delimiter || second == kNoCode) return false;
    byte |= unsigned{second} << 4;
  }
  packed[groups / 4] = static_cast<std::uint8_t>(byte);
  return true;
}

AlleleRow PackAllelesImpl(const std::uint8_t* HWY_RESTRICT text,
                          std::size_t size, std::size_t count,
                          std::uint8_t delimiter, std::uint8_t ref,
                          std::uint8_t* HWY_RESTRICT packed) {
  HWY_DASSERT(ref > ' ' && ref != 0x7F);
  // size == 2 * count - 1, written so that no huge count can wrap around.
  if (size % 2 == 0 || count != size / 2 + 1) return AlleleRow::kGeneral;
  const hn::ScalableTag<std::uint8_t> d;
  // The hot question first: most rows of an alignment are invariant, and
  // such a row needs nothing written.
  if (AllRefOrN(d, text, size, ref, delimiter)) return AlleleRow::kInvariant;
  return PackRow(d, text, size, delimiter, packed) ? AlleleRow::kPacked
                                                   : AlleleRow::kGeneral;
}

#endif  // HWY_TARGET == HWY_SCALAR

}  // namespace hapmat::kernels::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace hapmat::kernels {

HWY_EXPORT(PackAllelesImpl);

PackAllelesFunction packAllelesFor(std::int64_t target) {
  return HWY_DISPATCH_TABLE(PackAllelesImpl)[dispatchIndex(target)];
}

AlleleRow packAllelesScalar(const std::uint8_t* text, std::size_t size,
                            std::size_t count, std::uint8_t delimiter,
                            std::uint8_t ref, std::uint8_t* packed) {
  if (count == 0 || size % 2 == 0 || size / 2 + 1 != count) {
    return AlleleRow::kGeneral;
  }
  for (std::size_t i = 1; i < size; i += 2) {
    if (text[i] != delimiter) return AlleleRow::kGeneral;
  }
  bool invariant = true;
  for (std::size_t i = 0; i < size; i += 2) {
    if (text[i] != ref && text[i] != 'N') invariant = false;
  }
  if (invariant) return AlleleRow::kInvariant;
  for (std::size_t i = 0; i < count; ++i) {
    if (alleleCode(text[2 * i]) == kNoCode) return AlleleRow::kGeneral;
  }
  for (std::size_t i = 0; i < count; ++i) {
    const std::uint8_t code = alleleCode(text[2 * i]);
    if (i % 2 == 0) {
      packed[i / 2] = code;
    } else {
      packed[i / 2] = static_cast<std::uint8_t>(packed[i / 2] | code << 4);
    }
  }
  return AlleleRow::kPacked;
}

}  // namespace hapmat::kernels
#endif  // HWY_ONCE
