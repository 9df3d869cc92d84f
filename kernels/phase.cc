// Kernel: first indexes of codes in packed rows (see phase.h).

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

// One u8 lane per "vector": the plain loop is the better portable code.
std::size_t FirstIndexOfImpl(const std::uint8_t* packed, std::size_t count,
                             std::uint8_t code) {
  return firstIndexOfScalar(packed, count, code);
}

#else

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

HWY_EXPORT(FirstIndexOfImpl);

FirstIndexOfFunction firstIndexOfFor(std::int64_t target) {
  return HWY_DISPATCH_TABLE(FirstIndexOfImpl)[dispatchIndex(target)];
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
