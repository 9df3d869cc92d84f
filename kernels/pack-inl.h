// Kernel: a row's single-byte alleles -> 4-bit codes (see pack.h), per
// target, inline: pack.cc exports it as the kernel, and the row loop
// (src/rows/row_loop.cpp) compiles it into its own per-target code, so that
// a row pays no call for it. Included once per target (Highway's -inl.h
// convention), after hwy/highway.h.

#if defined(HAPMAT_KERNELS_PACK_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef HAPMAT_KERNELS_PACK_INL_H_
#undef HAPMAT_KERNELS_PACK_INL_H_
#else
#define HAPMAT_KERNELS_PACK_INL_H_
#endif

#include <hwy/highway.h>

#include <cstddef>
#include <cstdint>
#include <cstring>

#include "kernels/pack.h"
#include "kernels/vector_loads-inl.h"

HWY_BEFORE_NAMESPACE();
namespace hapmat::kernels::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

#if HWY_TARGET == HWY_SCALAR

// One u8 lane per "vector", and no u32 view of it for the nibble packing: the
// plain loop is the better portable code.
HWY_INLINE PackedAlleles PackAlleles(const std::uint8_t* text, std::size_t size,
                                     std::size_t count, std::uint8_t delimiter,
                                     std::uint8_t ref, std::uint8_t* packed) {
  return packAllelesScalar(text, size, count, delimiter, ref, packed);
}

HWY_INLINE bool HasByte(const std::uint8_t* text, std::size_t size,
                        std::uint8_t byte) {
  return size != 0 && std::memchr(text, byte, size) != nullptr;
}

template <bool kSeesN = false>
HWY_INLINE PackedAlleles PackAllelesOfRowSize(
    const std::uint8_t* text, std::size_t size, std::size_t count,
    std::uint8_t delimiter, std::uint8_t ref, std::uint8_t* packed) {
  PackedAlleles alleles =
      packAllelesScalar(text, size, count, delimiter, ref, packed);
  if (kSeesN && alleles.kind == AlleleRow::kInvariant &&
      HasByte(text, size, 'N')) {
    alleles.present = kPresentN;
  }
  return alleles;
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
// the lane passes: 2 xor + min + compare a vector, no shuffles. kSeesN: then
// `sawN` tells whether an allele is N, REF not N: a passing lane whose xor
// with REF's pattern is not zero (an or a vector, one test at the end).
template <bool kSeesN = false, class D>
HWY_INLINE bool AllRefOrN(D d, const std::uint8_t* HWY_RESTRICT text,
                          std::size_t size, std::uint8_t ref,
                          std::uint8_t delimiter, bool& sawN) {
  HWY_DASSERT(size >= 1);
  using V = hn::Vec<D>;
  const std::size_t N = hn::Lanes(d);
  if constexpr (kHalveBelow<D>) {
    if (size < N) {
      return AllRefOrN<kSeesN>(hn::Half<D>(), text, size, ref, delimiter, sawN);
    }
  }
  const V zero = hn::Zero(d);
  const V ref0 = PairPattern(d, ref, delimiter);
  const V n0 = PairPattern(d, 'N', delimiter);
  if (size < N) {  // E.g. the row of < 32 haplotypes on AVX-512.
    const V v = LoadHead(d, text, size);
    const V offRef = hn::Xor(v, ref0);
    const auto head = hn::FirstN(d, size);
    const auto pass = hn::Eq(hn::Min(offRef, hn::Xor(v, n0)), zero);
    if (!hn::AllFalse(d, hn::AndNot(pass, head))) return false;
    if constexpr (kSeesN) {
      sawN = !hn::AllFalse(d, hn::AndNot(hn::Eq(offRef, zero), head));
    }
    return true;
  }
  V offRefs = zero;
  std::size_t i = 0;
  for (; i + N <= size; i += N) {  // i is even: lane parity = byte parity.
    const V v = hn::LoadU(d, text + i);
    const V offRef = hn::Xor(v, ref0);
    if (!hn::AllTrue(d, hn::Eq(hn::Min(offRef, hn::Xor(v, n0)), zero))) {
      return false;
    }
    if constexpr (kSeesN) offRefs = hn::Or(offRefs, offRef);
  }
  if (i != size) {
    // Tail: the last N bytes, overlapping bytes already checked (checking
    // twice is harmless). They start at size - N, which is odd when size
    // is: then lane parity is the opposite of byte parity and the patterns
    // swap.
    const std::size_t start = size - N;
    const bool odd = (start & 1) != 0;
    const V refT = odd ? PairPattern(d, delimiter, ref) : ref0;
    const V nT = odd ? PairPattern(d, delimiter, 'N') : n0;
    const V v = hn::LoadU(d, text + start);
    const V offRef = hn::Xor(v, refT);
    if (!hn::AllTrue(d, hn::Eq(hn::Min(offRef, hn::Xor(v, nT)), zero))) {
      return false;
    }
    if constexpr (kSeesN) offRefs = hn::Or(offRefs, offRef);
  }
  if constexpr (kSeesN) sawN = !hn::AllTrue(d, hn::Eq(offRefs, zero));
  return true;
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

// The patterns of CodePlusOne.
struct AlphabetConstants {
  Repeated16 row4 = Repeat16(MakeCodeRow(0x40).bytes);
  Repeated16 row5 = Repeat16(MakeCodeRow(0x50).bytes);
  Repeated16 base4 = RepeatByte(0x40);
  Repeated16 base5 = RepeatByte(0x50);
  Repeated16 high = RepeatByte(0x70);
  Repeated16 dash = RepeatByte('-');
  Repeated16 gap = RepeatByte(kCodeGap + 1);
};

// Selects a vector's even lanes, where PackVector's codes are.
constexpr std::uint8_t kEvenLanes[16] = {0xFF, 0, 0xFF, 0, 0xFF, 0, 0xFF, 0,
                                         0xFF, 0, 0xFF, 0, 0xFF, 0, 0xFF, 0};
alignas(16) constexpr std::uint8_t kLowBit[16] = {1, 2, 4, 8, 16, 32, 64, 128,
                                                  0, 0, 0, 0, 0,  0,  0,  0};
alignas(16) constexpr std::uint8_t kHighBit[16] = {0, 0, 0, 0, 0,  0,  0,  0,
                                                   1, 2, 4, 8, 16, 32, 64, 128};
struct PackConstants {
  AlphabetConstants alphabet;
  Repeated16 evenLanes = Repeat16(kEvenLanes);
  Repeated16 one = RepeatByte(1);
  Repeated16 lowBit = Repeat16(kLowBit);    // 1 << code for codes 0-7
  Repeated16 highBit = Repeat16(kHighBit);  // 1 << (code - 8) for 8-15
};
inline constexpr PackConstants kPack;

template <class D>
struct Alphabet {
  // `c`: Hidden, so the patterns load at offsets from one register.
  Alphabet(D d, const AlphabetConstants& c)
      : row4(PatternTable(d, c.row4)),
        row5(PatternTable(d, c.row5)),
        base4(LoadPattern(d, c.base4)),
        base5(LoadPattern(d, c.base5)),
        high(LoadPattern(d, c.high)),
        dash(LoadPattern(d, c.dash)),
        gap(LoadPattern(d, c.gap)) {}
  decltype(PatternTable(D(), Repeated16())) row4, row5;
  hn::Vec<D> base4, base5, high, dash, gap;
};

// Code + 1 of each byte of v, 0 for a byte outside the alphabet. The letters
// live in 0x40..0x5F: two 16-entry tables, one a row of the ASCII chart, are
// indexed by the low nibble. v - base, then + 0x70 with saturation, maps the
// row's 16 bytes to 0x70..0x7F and every other byte to 0x80 or more, which
// TableLookupBytesOr0 turns into 0; so no range compares. '-' (0x2D) is the
// only other alphabet byte: one compare. Costs 2 sub, 2 saturated add, 2
// shuffles, 1 or, 1 compare + blend, with the constants loaded once per row
// (Alphabet).
template <class D>
HWY_INLINE hn::Vec<D> CodePlusOne(const Alphabet<D>& a, hn::Vec<D> v) {
  const auto index4 = hn::SaturatedAdd(hn::Sub(v, a.base4), a.high);
  const auto index5 = hn::SaturatedAdd(hn::Sub(v, a.base5), a.high);
  const auto letters = hn::Or(hn::TableLookupBytesOr0(a.row4, index4),
                              hn::TableLookupBytesOr0(a.row5, index5));
  return hn::IfThenElse(hn::Eq(v, a.dash), a.gap, letters);
}

// The 4 packed codes of each u32 lane of `codes` (codes in even lanes, 0 in
// odd ones), stored at out: N / 4 bytes (see PackVector).
template <class D>
HWY_INLINE void StorePacked(D /*d*/, hn::Vec<D> codes,
                            std::uint8_t* HWY_RESTRICT out) {
  const hn::Repartition<std::uint32_t, D> d32;
  const hn::Rebind<std::uint8_t, decltype(d32)> d8;
  const auto x = hn::BitCast(d32, codes);
  const auto lowByte = hn::And(hn::Or(x, hn::ShiftRight<12>(x)),
                               hn::Set(d32, 0xFFu));  // U8FromU32's contract
  hn::StoreU(hn::U8FromU32(lowByte), d8, out);
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
HWY_INLINE bool PackVector(D d, const Alphabet<D>& alphabet, hn::Vec<D> v,
                           hn::Mask<D> valid, std::uint8_t delimiter,
                           std::uint8_t* HWY_RESTRICT out) {
  const auto even = hn::MaskFromVec(PairPattern(d, 0xFF, 0));
  const auto code1 = CodePlusOne(alphabet, v);
  // Nonzero in a good lane: code + 1 for an allele, all ones for a delimiter.
  const auto good = hn::IfThenElse(
      even, code1, hn::VecFromMask(d, hn::Eq(v, hn::Set(d, delimiter))));
  if (!hn::AllFalse(d, hn::And(hn::Eq(good, hn::Zero(d)), valid))) {
    return false;
  }
  const auto codes =
      hn::IfThenElseZero(hn::And(even, valid), hn::Sub(code1, hn::Set(d, 1)));
  StorePacked(d, codes, out);
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
    return PackVector(d, Alphabet(d, Hidden(kPack).alphabet),
                      LoadHead(d, text, size), hn::FirstN(d, size), delimiter,
                      packed);
  }
  const auto all = hn::FirstN(d, N);
  const Alphabet alphabet(d, Hidden(kPack).alphabet);
  const std::size_t groups = size & ~std::size_t{3};  // >= N, as N % 4 == 0
  std::size_t i = 0;
  for (; i + N <= groups; i += N) {
    if (!PackVector(d, alphabet, hn::LoadU(d, text + i), all, delimiter,
                    packed + i / 4)) {
      return false;
    }
  }
  if (i != groups && !PackVector(d, alphabet, hn::LoadU(d, text + groups - N),
                                 all, delimiter, packed + (groups - N) / 4)) {
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

// The u64 lanes of a vector of at most 128 bits, ORed.
template <class D>
HWY_INLINE std::uint64_t OrOfU64(D /*d*/, hn::Vec<D> v) {
  const hn::Repartition<std::uint64_t, D> d64;
  const auto v64 = hn::BitCast(d64, v);
  if constexpr (hn::MaxLanes(d64) == 1) {
    return hn::GetLane(v64);
  } else {
    return hn::GetLane(v64) |
           hn::GetLane(hn::UpperHalf(hn::Half<decltype(d64)>(), v64));
  }
}

// The OR of the u16 lanes of `pairs`, halves ORed down to 128 bits or
// less first.
template <class D>
HWY_INLINE unsigned PresenceOfPairs(D d, hn::Vec<D> pairs) {
  if constexpr (hn::MaxLanes(D()) > 16) {
    const hn::Half<D> dh;
    return PresenceOfPairs(
        dh, hn::Or(hn::LowerHalf(dh, pairs), hn::UpperHalf(dh, pairs)));
  } else {
    std::uint64_t x = OrOfU64(d, pairs);
    x |= x >> 32;
    x |= x >> 16;
    return static_cast<unsigned>(x & 0xFFFF);
  }
}

// The presence mask of the low (codes 0-7) and high (codes 8-15) bit
// vectors: the two interleaved first, into u16 lanes (low byte | high byte
// << 8) ORed, then one fold of halves down to 128 bits or less for both.
template <class D>
HWY_INLINE unsigned PresenceOfBits(D d, hn::Vec<D> low, hn::Vec<D> high) {
  return PresenceOfPairs(d, hn::Or(hn::InterleaveLower(d, low, high),
                                   hn::InterleaveUpper(d, low, high)));
}

// Presence bits of the 2 codes of each byte of v, ORed into *low (codes 0-7)
// and *high (codes 8-15), for the lanes in `valid`. 1 << code does not fit a
// byte, so two 16-entry tables give its low and high byte: 4 shuffles per
// vector, and no variable shifts.
template <class D>
HWY_INLINE void AddPresence(D d, hn::Vec<D> v, hn::Mask<D> valid,
                            hn::Vec<D>* low, hn::Vec<D>* high) {
  const auto lowTable = Table16(d, kLowBit);  // hoisted out of the loops
  const auto highTable = Table16(d, kHighBit);
  const auto first = hn::And(v, hn::Set(d, 0x0F));
  const auto second = hn::ShiftRight<4>(v);
  *low =
      hn::Or(*low, hn::IfThenElseZero(
                       valid, hn::Or(hn::TableLookupBytes(lowTable, first),
                                     hn::TableLookupBytes(lowTable, second))));
  *high = hn::Or(*high,
                 hn::IfThenElseZero(
                     valid, hn::Or(hn::TableLookupBytes(highTable, first),
                                   hn::TableLookupBytes(highTable, second))));
}

// Presence bits of the codes in p[0, n), n >= 1, both nibbles of each byte:
// whole vectors, the last one overlapping the one before (OR is idempotent).
// A row shorter than the vector but at least half as long is one vector of
// two overlapping half loads (15 bytes, 31 haplotypes: one 16-byte vector of
// two 8-byte loads), not two half vectors each reduced on its own.
template <class D>
HWY_INLINE unsigned PresenceBits(D d, const std::uint8_t* HWY_RESTRICT p,
                                 std::size_t n) {
  HWY_DASSERT(n >= 1);
  const std::size_t N = hn::Lanes(d);
  auto low = hn::Zero(d);
  auto high = hn::Zero(d);
  if constexpr (kHalveBelow<D>) {
    if (n < N) {
      const hn::Half<D> dh;
      if (n < N / 2) return PresenceBits(dh, p, n);
      const auto both =
          hn::Combine(d, hn::LoadU(dh, p + n - N / 2), hn::LoadU(dh, p));
      AddPresence(d, both, hn::FirstN(d, N), &low, &high);
      return PresenceOfBits(d, low, high);
    }
  }
  if (n < N) {
    AddPresence(d, LoadHead(d, p, n), hn::FirstN(d, n), &low, &high);
  } else {
    const auto all = hn::FirstN(d, N);
    std::size_t i = 0;
    for (; i + N <= n; i += N) {
      AddPresence(d, hn::LoadU(d, p + i), all, &low, &high);
    }
    if (i != n) AddPresence(d, hn::LoadU(d, p + n - N), all, &low, &high);
  }
  return PresenceOfBits(d, low, high);
}

// The presence mask of a packed row, read back while it is in L1.
HWY_INLINE std::uint16_t PresenceMask(const std::uint8_t* HWY_RESTRICT packed,
                                      std::size_t count) {
  // Bytes whose two nibbles are both codes; an odd count adds the low nibble
  // of one more byte, whose high nibble must not count.
  const std::size_t full = count / 2;
  unsigned bits =
      full == 0 ? 0
                : PresenceBits(hn::ScalableTag<std::uint8_t>(), packed, full);
  if (count % 2 != 0) bits |= 1u << (packed[full] & 0x0F);
  return static_cast<std::uint16_t>(bits);
}

// AVX2's 32 lanes: the packed bytes of both vectors of PackTwoVectors from
// `codes`, whose u16 lanes hold the first vector's code in the low byte and
// the second's in the high byte. x | x >> 12 leaves, in each u32 lane, the
// first vector's packed byte in byte 0 and the second's in byte 1; one
// shuffle gathers them per 128-bit block and one OR of the halves puts the
// first's 8 bytes before the second's: 7 instructions for both stores, where
// StorePacked takes 7 for each.
alignas(32) constexpr std::uint8_t kGatherPairs[32] = {
    0,  4,    8,    12,   0x80, 0x80, 0x80, 0x80, 1,    5, 9,
    13, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0, 4,
    8,  12,   0x80, 0x80, 0x80, 0x80, 1,    5,    9,    13};

template <class D>
HWY_INLINE void StorePackedPair(D d, hn::Vec<D> codes,
                                std::uint8_t* HWY_RESTRICT first,
                                std::uint8_t* HWY_RESTRICT second) {
  static_assert(hn::MaxLanes(D()) == 32);
  const hn::Repartition<std::uint32_t, D> d32;
  const hn::Half<D> d128;
  const hn::Half<decltype(d128)> d64;
  const auto x = hn::BitCast(d32, codes);
  const auto gathered =
      hn::TableLookupBytesOr0(hn::BitCast(d, hn::Or(x, hn::ShiftRight<12>(x))),
                              hn::Load(d, kGatherPairs));
  const auto both =
      hn::Or(hn::LowerHalf(d128, gathered), hn::UpperHalf(d128, gathered));
  hn::StoreU(hn::LowerHalf(d64, both), d64, first);
  hn::StoreU(hn::UpperHalf(d64, both), d64, second);
}

// A row of N to 2N bytes in 4-byte groups, then 1 or 3 bytes (16 to 33
// haplotypes on AVX2: the 31 of the original matrix): its two vectors, at 0
// and at the last group's end - N (overlapping), are loaded once and hold
// the whole row but its tail. Every step works on those registers: the
// invariant test; then, for a row that is not invariant, the layout check,
// the packing and the presence mask together. The presence mask comes from
// one vector of both vectors' codes (the second's moved into the odd lanes,
// which hold no code): two shuffles in all. The tail's one or two alleles
// are looked up one by one. kSeesN: an invariant row tells its N (see
// PackAllelesOfRowSize), from the same registers.
template <bool kSeesN, class D>
HWY_INLINE PackedAlleles PackTwoVectors(D d,
                                        const std::uint8_t* HWY_RESTRICT text,
                                        std::size_t size,
                                        std::uint8_t delimiter,
                                        std::uint8_t ref,
                                        std::uint8_t* HWY_RESTRICT packed) {
  using V = hn::Vec<D>;
  const std::size_t N = hn::Lanes(d);
  const std::size_t groups = size & ~std::size_t{3};
  const V v0 = hn::LoadU(d, text);
  const V v1 = hn::LoadU(d, text + groups - N);
  const std::uint8_t* tail = text + groups;
  const bool threeBytes = size - groups == 3;
  const std::uint8_t first = tail[0];
  const std::uint8_t second = threeBytes ? tail[2] : first;
  const bool tailDelimiter = !threeBytes || tail[1] == delimiter;
  {
    const V ref0 = PairPattern(d, ref, delimiter);
    const V n0 = PairPattern(d, 'N', delimiter);
    const V off = hn::Or(hn::Min(hn::Xor(v0, ref0), hn::Xor(v0, n0)),
                         hn::Min(hn::Xor(v1, ref0), hn::Xor(v1, n0)));
    if (hn::AllTrue(d, hn::Eq(off, hn::Zero(d))) && tailDelimiter &&
        (first == ref || first == 'N') && (second == ref || second == 'N')) {
      if constexpr (kSeesN) {
        // An invariant row's alleles that are not REF are N (the xors are
        // the test's own).
        const V notRef = hn::Or(hn::Xor(v0, ref0), hn::Xor(v1, ref0));
        const bool n = !hn::AllTrue(d, hn::Eq(notRef, hn::Zero(d))) ||
                       first == 'N' || second == 'N';
        return {AlleleRow::kInvariant, n ? kPresentN : std::uint16_t{0}};
      }
      return {AlleleRow::kInvariant, 0};
    }
  }
  const std::uint8_t firstCode = alleleCode(first);
  const std::uint8_t secondCode = alleleCode(second);
  if (!tailDelimiter || firstCode == kNoCode || secondCode == kNoCode) {
    return {};
  }
  // The constants, from one register (see Hidden).
  const PackConstants& k = Hidden(kPack);
  const V evenLanes = LoadPattern(d, k.evenLanes);
  const auto even = hn::MaskFromVec(evenLanes);
  const V delimiters = hn::Set(d, delimiter);
  const Alphabet alphabet(d, k.alphabet);
  const V code0 = CodePlusOne(alphabet, v0);
  const V code1 = CodePlusOne(alphabet, v1);
  // Zero in a bad lane: an allele outside the alphabet, an odd lane that is
  // not the delimiter.
  const V good0 =
      hn::IfThenElse(even, code0, hn::VecFromMask(d, hn::Eq(v0, delimiters)));
  const V good1 =
      hn::IfThenElse(even, code1, hn::VecFromMask(d, hn::Eq(v1, delimiters)));
  if (!hn::AllFalse(d, hn::Eq(hn::Min(good0, good1), hn::Zero(d)))) return {};
  const V one = LoadPattern(d, k.one);
  const V codes0 = hn::And(hn::Sub(code0, one), evenLanes);
  const V codes1 = hn::And(hn::Sub(code1, one), evenLanes);
  const hn::Repartition<std::uint16_t, D> d16;
  const V codes = hn::Or(
      codes0, hn::BitCast(d, hn::ShiftLeft<8>(hn::BitCast(d16, codes1))));
  if constexpr (hn::MaxLanes(D()) == 32) {
    StorePackedPair(d, codes, packed, packed + (groups - N) / 4);
  } else {
    StorePacked(d, codes0, packed);
    StorePacked(d, codes1, packed + (groups - N) / 4);
  }
  packed[groups / 4] = static_cast<std::uint8_t>(
      threeBytes ? firstCode | secondCode << 4 : firstCode);
  const V lowTable = PatternTable(d, k.lowBit);
  const V highTable = PatternTable(d, k.highBit);
  const unsigned present =
      PresenceOfBits(d, hn::TableLookupBytes(lowTable, codes),
                     hn::TableLookupBytes(highTable, codes)) |
      1u << firstCode | 1u << secondCode;
  return {AlleleRow::kPacked, static_cast<std::uint16_t>(present)};
}

// Rows of any size: the invariant test over the row, then the packing,
// then the presence mask from the packed bytes while they are in L1 (for a
// wide row, 4 times fewer bytes than its text).
template <bool kSeesN>
HWY_NOINLINE PackedAlleles PackAnySize(const std::uint8_t* HWY_RESTRICT text,
                                       std::size_t size, std::size_t count,
                                       std::uint8_t delimiter, std::uint8_t ref,
                                       std::uint8_t* HWY_RESTRICT packed) {
  const hn::ScalableTag<std::uint8_t> d;
  // The hot question first: most rows of an alignment are invariant, and
  // such a row needs nothing written.
  bool sawN = false;
  if (AllRefOrN<kSeesN>(d, text, size, ref, delimiter, sawN)) {
    return {AlleleRow::kInvariant, sawN ? kPresentN : std::uint16_t{0}};
  }
  if (!PackRow(d, text, size, delimiter, packed)) return {};
  return {AlleleRow::kPacked, PresenceMask(packed, count)};
}

// PackAlleles of a row whose size the caller found to be 2 * count - 1 (a
// loop over rows of one count compares it with a number it keeps). Rows of
// two vectors take their own path, without the stack frame the other sizes
// need. kSeesN: an invariant row whose REF is not N has `present`
// kPresentN when an allele is N (the row loop of VCF deletions asks it of
// every invariant row).
template <bool kSeesN = false>
HWY_INLINE PackedAlleles
PackAllelesOfRowSize(const std::uint8_t* HWY_RESTRICT text, std::size_t size,
                     std::size_t count, std::uint8_t delimiter,
                     std::uint8_t ref, std::uint8_t* HWY_RESTRICT packed) {
  HWY_DASSERT(ref > ' ' && ref != 0x7F);
  HWY_DASSERT(size % 2 == 1 && count == size / 2 + 1);
  const hn::ScalableTag<std::uint8_t> d;
  const std::size_t N = hn::Lanes(d);
  if (size >= N && size < 2 * N + 4) {
    return PackTwoVectors<kSeesN>(d, text, size, delimiter, ref, packed);
  }
  return PackAnySize<kSeesN>(text, size, count, delimiter, ref, packed);
}

// packAlleles of this target (pack.h).
HWY_INLINE PackedAlleles PackAlleles(const std::uint8_t* HWY_RESTRICT text,
                                     std::size_t size, std::size_t count,
                                     std::uint8_t delimiter, std::uint8_t ref,
                                     std::uint8_t* HWY_RESTRICT packed) {
  // size == 2 * count - 1, written so that no huge count can wrap around.
  if (size % 2 == 0 || count != size / 2 + 1) return {};
  return PackAllelesOfRowSize(text, size, count, delimiter, ref, packed);
}

#endif  // HWY_TARGET == HWY_SCALAR

}  // namespace hapmat::kernels::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#endif  // include guard
