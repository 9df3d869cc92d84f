// Per-target helpers the kernels share: partial loads that never touch a
// byte past the input, and 16-byte lookup tables. Included by each kernel
// after hwy/highway.h, once per target (Highway's -inl.h convention).

#if defined(HAPMAT_KERNELS_VECTOR_LOADS_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef HAPMAT_KERNELS_VECTOR_LOADS_INL_H_
#undef HAPMAT_KERNELS_VECTOR_LOADS_INL_H_
#else
#define HAPMAT_KERNELS_VECTOR_LOADS_INL_H_
#endif

#include <hwy/highway.h>

#include <cstddef>
#include <cstdint>
#include <cstring>

HWY_BEFORE_NAMESPACE();
namespace hapmat::kernels::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

#if HWY_TARGET != HWY_SCALAR

// Loads p[0, n), n < Lanes(d), with zeros in the other lanes, touching no
// byte past p + n. AVX-512 masked loads do not fault on masked-off lanes;
// elsewhere the bytes go through a zeroed stack buffer: a small memcpy, used
// only below 8 bytes (see kHalveBelow).
template <class D>
HWY_INLINE hn::Vec<D> LoadHead(D d, const std::uint8_t* p, std::size_t n) {
#if HWY_MEM_OPS_MIGHT_FAULT
  HWY_ALIGN std::uint8_t buffer[hn::MaxLanes(D())] = {};
  std::memcpy(buffer, p, n);
  return hn::Load(d, buffer);
#else
  return hn::MaskedLoad(hn::FirstN(d, n), d, p);
#endif
}

// Whether a row shorter than the vector goes to half vectors (SSE/AVX2, down
// to 8 lanes: whole loads, overlapping at the end) rather than to LoadHead
// (AVX-512: one masked load).
template <class D>
constexpr bool kHalveBelow =
    (HWY_MEM_OPS_MIGHT_FAULT != 0) && hn::MaxLanes(D()) > 8;

// A 16-byte table for TableLookupBytes: repeated per 128-bit block, or whole
// for vectors of 8 lanes (whose own load would hold only half of it).
template <class D>
HWY_INLINE auto Table16(D d, const std::uint8_t* table) {
  if constexpr (hn::MaxLanes(D()) >= 16) {
    return hn::LoadDup128(d, table);
  } else {
    return hn::LoadU(hn::Full128<std::uint8_t>(), table);
  }
}

// A 16-byte pattern repeated over 64 bytes, the widest vector: a vector of
// it is one aligned load, often folded into the instruction that uses it,
// where Set() of a constant or Table16's broadcast take two or three
// instructions on every call (g++ 12 turns even a load of a known constant
// back into an immediate broadcast, unless the address is hidden from it).
struct alignas(64) Repeated16 {
  std::uint8_t bytes[64];
};

constexpr Repeated16 Repeat16(const std::uint8_t (&pattern)[16]) {
  Repeated16 repeated{};
  for (std::size_t i = 0; i < 64; ++i) repeated.bytes[i] = pattern[i % 16];
  return repeated;
}

constexpr Repeated16 RepeatByte(std::uint8_t byte) {
  Repeated16 repeated{};
  for (std::uint8_t& b : repeated.bytes) b = byte;
  return repeated;
}

/** `constants` (a pattern, or a struct of them) at an address the compiler
 * cannot see through, so that loads from it stay loads (see Repeated16). A
 * struct of patterns hidden once costs one register for all of them, where
 * each pattern hidden on its own costs one each. */
template <class T>
HWY_INLINE const T& Hidden(const T& constants) {
  const T* address = &constants;
  asm volatile("" : "+r"(address));  // the loads stay loads, here
  return *address;
}

/** The vector of a pattern of a Hidden struct. */
template <class D>
HWY_INLINE hn::Vec<D> LoadPattern(D d, const Repeated16& repeated) {
  static_assert(hn::MaxLanes(D()) <= sizeof(repeated.bytes));
  return hn::Load(d, repeated.bytes);
}

/** A pattern of a Hidden struct as a table for TableLookupBytes (see
 * Table16). */
template <class D>
HWY_INLINE auto PatternTable(D d, const Repeated16& repeated) {
  if constexpr (hn::MaxLanes(D()) >= 16) {
    return LoadPattern(d, repeated);
  } else {
    return Table16(d, repeated.bytes);
  }
}

/** The vector of a repeated pattern, as a constant of v's type. */
template <class D>
HWY_INLINE hn::Vec<D> LoadRepeated(D d, const Repeated16& repeated) {
  return LoadPattern(d, Hidden(repeated));
}

/** A repeated pattern as a table for TableLookupBytes (see Table16). */
template <class D>
HWY_INLINE auto LoadTable(D d, const Repeated16& repeated) {
  return PatternTable(d, Hidden(repeated));
}

#endif  // HWY_TARGET != HWY_SCALAR

}  // namespace hapmat::kernels::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#endif  // include guard
