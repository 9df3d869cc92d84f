// Kernel: allele-presence masks and first indexes of packed rows (see
// phase.h).

#include "kernels/phase.h"

#include <cstring>

#include "kernels/dispatch.h"
#include "kernels/pack.h"

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "kernels/phase.cc"
#include <hwy/foreach_target.h>  // IWYU pragma: keep
#include <hwy/highway.h>

#include "kernels/vector_loads-inl.h"

HWY_BEFORE_NAMESPACE();
namespace hapmat::kernels::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

#if HWY_TARGET == HWY_SCALAR

// One u8 lane per "vector": the plain loops are the better portable code.
std::uint16_t PresenceMaskImpl(const std::uint8_t* packed, std::size_t count) {
  return presenceMaskScalar(packed, count);
}

std::size_t FirstIndexOfImpl(const std::uint8_t* packed, std::size_t count,
                             std::uint8_t code) {
  return firstIndexOfScalar(packed, count, code);
}

#else

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

// The presence mask of the low (codes 0-7) and high (codes 8-15) bit
// vectors: halves ORed down to 128 bits or less, then the two interleaved
// into u16 lanes (low byte | high byte << 8) and those ORed: one fold for
// both.
template <class D>
HWY_INLINE unsigned PresenceOfBits(D d, hn::Vec<D> low, hn::Vec<D> high) {
  if constexpr (hn::MaxLanes(D()) > 16) {
    const hn::Half<D> dh;
    return PresenceOfBits(
        dh, hn::Or(hn::LowerHalf(dh, low), hn::UpperHalf(dh, low)),
        hn::Or(hn::LowerHalf(dh, high), hn::UpperHalf(dh, high)));
  } else {
    const auto pairs = hn::Or(hn::InterleaveLower(d, low, high),
                              hn::InterleaveUpper(d, low, high));
    std::uint64_t x = OrOfU64(d, pairs);
    x |= x >> 32;
    x |= x >> 16;
    return static_cast<unsigned>(x & 0xFFFF);
  }
}

// Presence bits of the 2 codes of each byte of v, ORed into *low (codes 0-7)
// and *high (codes 8-15), for the lanes in `valid`. 1 << code does not fit a
// byte, so two 16-entry tables give its low and high byte: 4 shuffles per
// vector, and no variable shifts.
template <class D>
HWY_INLINE void AddPresence(D d, hn::Vec<D> v, hn::Mask<D> valid,
                            hn::Vec<D>* low, hn::Vec<D>* high) {
  alignas(16) static constexpr std::uint8_t kLowBit[16] = {
      1, 2, 4, 8, 16, 32, 64, 128, 0, 0, 0, 0, 0, 0, 0, 0};
  alignas(16) static constexpr std::uint8_t kHighBit[16] = {
      0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 4, 8, 16, 32, 64, 128};
  const auto lowTable = Table16(d, kLowBit);
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

std::uint16_t PresenceMaskImpl(const std::uint8_t* HWY_RESTRICT packed,
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

// Bytes of v where either nibble is `code`: 2 compares.
template <class D>
HWY_INLINE hn::Mask<D> HasCode(D d, hn::Vec<D> v, hn::Vec<D> code) {
  return hn::Or(hn::Eq(hn::And(v, hn::Set(d, 0x0F)), code),
                hn::Eq(hn::ShiftRight<4>(v), code));
}

// Index of the first byte of p[0, n), n >= 1, holding `code` in a nibble, or
// n. The last vector overlaps bytes known to hold none, so its first match is
// the first of the row.
template <class D>
HWY_INLINE std::size_t FirstByteWith(D d, const std::uint8_t* HWY_RESTRICT p,
                                     std::size_t n, std::uint8_t code) {
  HWY_DASSERT(n >= 1);
  const std::size_t N = hn::Lanes(d);
  if constexpr (kHalveBelow<D>) {
    if (n < N) return FirstByteWith(hn::Half<D>(), p, n, code);
  }
  const auto target = hn::Set(d, code);
  if (n < N) {
    const intptr_t pos = hn::FindFirstTrue(
        d, hn::And(HasCode(d, LoadHead(d, p, n), target), hn::FirstN(d, n)));
    return pos < 0 ? n : static_cast<std::size_t>(pos);
  }
  std::size_t i = 0;
  for (; i + N <= n; i += N) {
    const intptr_t pos =
        hn::FindFirstTrue(d, HasCode(d, hn::LoadU(d, p + i), target));
    if (pos >= 0) return i + static_cast<std::size_t>(pos);
  }
  if (i != n) {
    const intptr_t pos =
        hn::FindFirstTrue(d, HasCode(d, hn::LoadU(d, p + n - N), target));
    if (pos >= 0) return n - N + static_cast<std::size_t>(pos);
  }
  return n;
}

std::size_t FirstIndexOfImpl(const std::uint8_t* HWY_RESTRICT packed,
                             std::size_t count, std::uint8_t code) {
  const std::size_t bytes = (count + 1) / 2;
  if (code >= 16 || bytes == 0) return count;
  const std::size_t byte =
      FirstByteWith(hn::ScalableTag<std::uint8_t>(), packed, bytes, code);
  if (byte == bytes) return count;
  // The low nibble is the even allele and comes first. A match only in the
  // unused high nibble of an odd count gives 2 * (count / 2) + 1 == count: no
  // allele, as it should.
  return 2 * byte + ((packed[byte] & 0x0F) == code ? 0 : 1);
}

#endif  // HWY_TARGET == HWY_SCALAR

}  // namespace hapmat::kernels::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace hapmat::kernels {

HWY_EXPORT(PresenceMaskImpl);
HWY_EXPORT(FirstIndexOfImpl);

PresenceMaskFunction presenceMaskFor(std::int64_t target) {
  return HWY_DISPATCH_TABLE(PresenceMaskImpl)[dispatchIndex(target)];
}

FirstIndexOfFunction firstIndexOfFor(std::int64_t target) {
  return HWY_DISPATCH_TABLE(FirstIndexOfImpl)[dispatchIndex(target)];
}

std::uint16_t presenceMaskScalar(const std::uint8_t* packed,
                                 std::size_t count) {
  unsigned bits = 0;
  for (std::size_t i = 0; i < count; ++i) bits |= 1u << codeAt(packed, i);
  return static_cast<std::uint16_t>(bits);
}

std::size_t firstIndexOfScalar(const std::uint8_t* packed, std::size_t count,
                               std::uint8_t code) {
  for (std::size_t i = 0; i < count; ++i) {
    if (codeAt(packed, i) == code) return i;
  }
  return count;
}

}  // namespace hapmat::kernels
#endif  // HWY_ONCE
