// Kernel: counts of byte values (see count.h), per target, inline:
// count.cc exports it as the countBytes kernel, and the row loop
// (src/rows/row_loop.cpp) compiles it into its VCF code. Included once per
// target (Highway's -inl.h convention), after hwy/highway.h.

#if defined(HAPMAT_KERNELS_COUNT_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef HAPMAT_KERNELS_COUNT_INL_H_
#undef HAPMAT_KERNELS_COUNT_INL_H_
#else
#define HAPMAT_KERNELS_COUNT_INL_H_
#endif

#include <hwy/highway.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "kernels/count.h"
#include "kernels/vector_loads-inl.h"

HWY_BEFORE_NAMESPACE();
namespace hapmat::kernels::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

#if HWY_TARGET == HWY_SCALAR

// One u8 lane per "vector": the plain loop is the better portable code.
HWY_INLINE void CountBytes(const std::uint8_t* text, std::size_t size,
                           const std::uint8_t* values, std::size_t k,
                           std::uint32_t* counts) {
  countBytesScalar(text, size, values, k, counts);
}

#else

// Bytes of text[0, size), size >= N (the vector's lanes), equal to `value`.
// Whole vectors add their matches to u8 lane sums (a compare is 0 or -1:
// subtract it), widened by SumsOf8 before any lane can pass 255; the last
// vector overlaps the one before and adds only its `fresh` lanes. About 3
// instructions a vector, and one reduction.
template <class D>
HWY_INLINE std::size_t CountEqual(D d, const std::uint8_t* HWY_RESTRICT text,
                                  std::size_t size, hn::Mask<D> fresh,
                                  std::uint8_t value) {
  const std::size_t N = hn::Lanes(d);
  const hn::Repartition<std::uint64_t, D> d64;
  const auto target = hn::Set(d, value);
  auto total = hn::Zero(d64);
  auto sums = hn::Zero(d);
  std::size_t i = 0;
  for (std::size_t vectors = 0; i + N <= size; i += N) {
    sums = hn::Sub(sums,
                   hn::VecFromMask(d, hn::Eq(hn::LoadU(d, text + i), target)));
    if (++vectors == 255) {
      total = hn::Add(total, hn::SumsOf8(sums));
      sums = hn::Zero(d);
      vectors = 0;
    }
  }
  if (i != size) {
    const auto last = hn::Eq(hn::LoadU(d, text + size - N), target);
    sums = hn::Sub(sums, hn::VecFromMask(d, hn::And(last, fresh)));
  }
  total = hn::Add(total, hn::SumsOf8(sums));
  return static_cast<std::size_t>(hn::GetLane(hn::SumOfLanes(d64, total)));
}

// Counts for each value; text shorter than a vector goes to half vectors
// (SSE/AVX2) or one masked load (AVX-512).
// Texts of at most this many vectors are counted by CountFew.
constexpr std::size_t kFewVectors = 4;

// A text of a few vectors (a VCF row's genotypes for a few dozen
// haplotypes): each vector is loaded once and compared with each of the K
// values, kept in registers, and the matches counted from the mask (a
// movemask and a popcount): no reduction of sums per value, which costs
// more than the compares for so few bytes. The last vector overlaps the one
// before; `fresh` are its lanes past it.
template <std::size_t K, class D>
HWY_INLINE void CountFew(D d, const std::uint8_t* HWY_RESTRICT text,
                         std::size_t size, hn::Mask<D> fresh,
                         const std::uint8_t* HWY_RESTRICT values,
                         std::uint32_t* HWY_RESTRICT counts) {
  const std::size_t N = hn::Lanes(d);
  hn::Vec<D> targets[K];
  std::size_t sums[K];
  for (std::size_t j = 0; j < K; ++j) {
    targets[j] = hn::Set(d, values[j]);
    sums[j] = 0;
  }
  std::size_t i = 0;
  for (; i + N <= size; i += N) {
    const auto v = hn::LoadU(d, text + i);
    for (std::size_t j = 0; j < K; ++j) {
      sums[j] += hn::CountTrue(d, hn::Eq(v, targets[j]));
    }
  }
  if (i != size) {
    const auto v = hn::LoadU(d, text + size - N);
    for (std::size_t j = 0; j < K; ++j) {
      sums[j] += hn::CountTrue(d, hn::And(hn::Eq(v, targets[j]), fresh));
    }
  }
  for (std::size_t j = 0; j < K; ++j) {
    counts[j] = static_cast<std::uint32_t>(sums[j]);
  }
}

// CountFew for the run-time k (1 to kMaxCountedValues), one instantiation
// per k; k == 0 counts nothing.
template <class D, std::size_t... Ks>
HWY_INLINE void CountFewAnyK(D d, const std::uint8_t* HWY_RESTRICT text,
                             std::size_t size, hn::Mask<D> fresh,
                             const std::uint8_t* HWY_RESTRICT values,
                             std::size_t k, std::uint32_t* HWY_RESTRICT counts,
                             std::index_sequence<Ks...>) {
  ((k == Ks + 1 ? CountFew<Ks + 1>(d, text, size, fresh, values, counts)
                : void()),
   ...);
}

template <class D>
HWY_INLINE void CountValues(D d, const std::uint8_t* HWY_RESTRICT text,
                            std::size_t size,
                            const std::uint8_t* HWY_RESTRICT values,
                            std::size_t k, std::uint32_t* HWY_RESTRICT counts) {
  HWY_DASSERT(size >= 1);
  const std::size_t N = hn::Lanes(d);
  if constexpr (kHalveBelow<D>) {
    if (size < N)
      return CountValues(hn::Half<D>(), text, size, values, k, counts);
  }
  if (size < N) {
    const auto v = LoadHead(d, text, size);
    const auto valid = hn::FirstN(d, size);
    for (std::size_t j = 0; j < k; ++j) {
      counts[j] = static_cast<std::uint32_t>(
          hn::CountTrue(d, hn::And(hn::Eq(v, hn::Set(d, values[j])), valid)));
    }
    return;
  }
  const auto fresh = hn::Not(hn::FirstN(d, N - size % N));
  if (size <= kFewVectors * N) {
    return CountFewAnyK(d, text, size, fresh, values, k, counts,
                        std::make_index_sequence<kMaxCountedValues>());
  }
  for (std::size_t j = 0; j < k; ++j) {
    counts[j] =
        static_cast<std::uint32_t>(CountEqual(d, text, size, fresh, values[j]));
  }
}

// CountBytes but for its common case: out of line, so that CountBytes
// inline is only that.
inline HWY_NOINLINE void CountBytesAny(const std::uint8_t* HWY_RESTRICT text,
                                       std::size_t size,
                                       const std::uint8_t* HWY_RESTRICT values,
                                       std::size_t k,
                                       std::uint32_t* HWY_RESTRICT counts) {
  if (size == 0) {
    std::fill(counts, counts + k, 0u);
    return;
  }
  CountValues(hn::ScalableTag<std::uint8_t>(), text, size, values, k, counts);
}

// countBytes of this target (count.h). Its common case inline: two values
// (a VCF row of one ALT counts `.` and `1`) in one or two vectors of text
// (the genotypes of up to about 32 haplotypes on AVX2).
HWY_INLINE void CountBytes(const std::uint8_t* HWY_RESTRICT text,
                           std::size_t size,
                           const std::uint8_t* HWY_RESTRICT values,
                           std::size_t k, std::uint32_t* HWY_RESTRICT counts) {
  HWY_DASSERT(k <= kMaxCountedValues);
  const hn::ScalableTag<std::uint8_t> d;
  const std::size_t N = hn::Lanes(d);
  if (k == 2 && size >= N && size <= 2 * N) {
    CountFew<2>(d, text, size, hn::Not(hn::FirstN(d, N - size % N)), values,
                counts);
    return;
  }
  CountBytesAny(text, size, values, k, counts);
}

#endif  // HWY_TARGET == HWY_SCALAR

}  // namespace hapmat::kernels::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#endif  // include guard
