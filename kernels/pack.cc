// Kernel: a row's single-byte alleles -> 4-bit codes (see pack.h).

#include "kernels/pack.h"

#include <array>
#include <cstring>

#include "kernels/dispatch.h"

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "kernels/pack.cc"
#include <hwy/foreach_target.h>  // IWYU pragma: keep
#include <hwy/highway.h>

#include "kernels/pack-inl.h"

HWY_BEFORE_NAMESPACE();
namespace hapmat::kernels::HWY_NAMESPACE {

PackedAlleles PackAllelesImpl(const std::uint8_t* HWY_RESTRICT text,
                              std::size_t size, std::size_t count,
                              std::uint8_t delimiter, std::uint8_t ref,
                              std::uint8_t* HWY_RESTRICT packed) {
  return PackAlleles(text, size, count, delimiter, ref, packed);
}

// The row loop's packing of VCF deletions (PackAllelesOfRowSize<true>),
// exported for its test.
PackedAlleles PackAllelesSeeingNImpl(const std::uint8_t* HWY_RESTRICT text,
                                     std::size_t size, std::size_t count,
                                     std::uint8_t delimiter, std::uint8_t ref,
                                     std::uint8_t* HWY_RESTRICT packed) {
  if (size % 2 == 0 || count != size / 2 + 1) return {};
  return PackAllelesOfRowSize<true>(text, size, count, delimiter, ref, packed);
}

}  // namespace hapmat::kernels::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace hapmat::kernels {

HWY_EXPORT(PackAllelesImpl);
HWY_EXPORT(PackAllelesSeeingNImpl);

PackAllelesFunction packAllelesFor(std::int64_t target) {
  return HWY_DISPATCH_TABLE(PackAllelesImpl)[dispatchIndex(target)];
}

PackAllelesFunction packAllelesSeeingNFor(std::int64_t target) {
  return HWY_DISPATCH_TABLE(PackAllelesSeeingNImpl)[dispatchIndex(target)];
}

PackedAlleles packAllelesScalar(const std::uint8_t* text, std::size_t size,
                                std::size_t count, std::uint8_t delimiter,
                                std::uint8_t ref, std::uint8_t* packed) {
  if (count == 0 || size % 2 == 0 || size / 2 + 1 != count) return {};
  for (std::size_t i = 1; i < size; i += 2) {
    if (text[i] != delimiter) return {};
  }
  bool invariant = true;
  for (std::size_t i = 0; i < size; i += 2) {
    if (text[i] != ref && text[i] != 'N') invariant = false;
  }
  if (invariant) return {AlleleRow::kInvariant, 0};
  for (std::size_t i = 0; i < count; ++i) {
    if (alleleCode(text[2 * i]) == kNoCode) return {};
  }
  unsigned present = 0;
  for (std::size_t i = 0; i < count; ++i) {
    const std::uint8_t code = alleleCode(text[2 * i]);
    present |= 1u << code;
    if (i % 2 == 0) {
      packed[i / 2] = code;
    } else {
      packed[i / 2] = static_cast<std::uint8_t>(packed[i / 2] | code << 4);
    }
  }
  return {AlleleRow::kPacked, static_cast<std::uint16_t>(present)};
}

}  // namespace hapmat::kernels
#endif  // HWY_ONCE
