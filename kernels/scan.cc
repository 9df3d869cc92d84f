// Kernel: newline bitmasks of a block (see scan.h).

#include "kernels/scan.h"

#include <cstring>

#include "kernels/dispatch.h"

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "kernels/scan.cc"
#include <hwy/foreach_target.h>  // IWYU pragma: keep
#include <hwy/highway.h>

HWY_BEFORE_NAMESPACE();
namespace hapmat::kernels::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

#if HWY_TARGET == HWY_SCALAR

// One u8 lane per "vector" and no multi-lane mask bits: the plain loop is the
// better portable code.
void NewlineMasksImpl(const std::uint8_t* data, std::size_t size,
                      std::uint64_t* masks) {
  newlineMasksScalar(data, size, masks);
}

#else

// Writes the 64 newline bits of data[0, 64) to *word: one compare per vector,
// and StoreMaskBits stores its Lanes/8 bytes straight into the word (little
// endian, so byte k of the word holds bits 8k..8k+7). Storing to the
// destination avoids reloading the word, which would stall on store
// forwarding when the word is assembled from 2 or 4 narrower stores.
template <class D>
HWY_INLINE void NewlineWord(D d, hn::Vec<D> newline, const std::uint8_t* data,
                            std::uint64_t* word) {
  constexpr std::size_t kN = hn::MaxLanes(D());
  static_assert(kN >= 8 && 64 % kN == 0, "lanes must tile 64 bytes");
  auto* bytes = reinterpret_cast<std::uint8_t*>(word);
  for (std::size_t k = 0; k < 64; k += kN) {
    hn::StoreMaskBits(d, hn::Eq(hn::LoadU(d, data + k), newline),
                      bytes + k / 8);
  }
}

void NewlineMasksImpl(const std::uint8_t* HWY_RESTRICT data, std::size_t size,
                      std::uint64_t* HWY_RESTRICT masks) {
  const hn::ScalableTag<std::uint8_t> d;
  const auto newline = hn::Set(d, std::uint8_t{'\n'});
  const std::size_t words = size / 64;
  // Body: 4 words (256 bytes) an iteration keeps several loads in flight.
  std::size_t w = 0;
  for (; w + 4 <= words; w += 4) {
    NewlineWord(d, newline, data + 64 * w, masks + w);
    NewlineWord(d, newline, data + 64 * w + 64, masks + w + 1);
    NewlineWord(d, newline, data + 64 * w + 128, masks + w + 2);
    NewlineWord(d, newline, data + 64 * w + 192, masks + w + 3);
  }
  for (; w < words; ++w) NewlineWord(d, newline, data + 64 * w, masks + w);
  // Tail: < 64 bytes, copied into a zeroed word-sized buffer so that no byte
  // past data + size is read; zeros are not newlines, so the bits past size
  // come out zero. Costs one small memcpy per block.
  const std::size_t rest = size - 64 * words;
  if (rest != 0) {
    HWY_ALIGN std::uint8_t buffer[64] = {};
    std::memcpy(buffer, data + 64 * words, rest);
    NewlineWord(d, newline, buffer, masks + words);
  }
}

#endif  // HWY_TARGET == HWY_SCALAR

}  // namespace hapmat::kernels::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace hapmat::kernels {

HWY_EXPORT(NewlineMasksImpl);

NewlineMasksFunction newlineMasksFor(std::int64_t target) {
  return HWY_DISPATCH_TABLE(NewlineMasksImpl)[dispatchIndex(target)];
}

void newlineMasksScalar(const std::uint8_t* data, std::size_t size,
                        std::uint64_t* masks) {
  for (std::size_t w = 0; w < maskWords(size); ++w) masks[w] = 0;
  for (std::size_t i = 0; i < size; ++i) {
    if (data[i] == '\n') masks[i / 64] |= std::uint64_t{1} << (i % 64);
  }
}

}  // namespace hapmat::kernels
#endif  // HWY_ONCE
