// Kernel: counts of byte values (see count.h).

#include "kernels/count.h"

#include <algorithm>
#include <cstring>
#include <utility>

#include "kernels/dispatch.h"

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "kernels/count.cc"
#include <hwy/foreach_target.h>  // IWYU pragma: keep
#include <hwy/highway.h>

#include "kernels/count-inl.h"

HWY_BEFORE_NAMESPACE();
namespace hapmat::kernels::HWY_NAMESPACE {

void CountBytesImpl(const std::uint8_t* HWY_RESTRICT text, std::size_t size,
                    const std::uint8_t* HWY_RESTRICT values, std::size_t k,
                    std::uint32_t* HWY_RESTRICT counts) {
  CountBytes(text, size, values, k, counts);
}

}  // namespace hapmat::kernels::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace hapmat::kernels {

HWY_EXPORT(CountBytesImpl);

CountBytesFunction countBytesFor(std::int64_t target) {
  return HWY_DISPATCH_TABLE(CountBytesImpl)[dispatchIndex(target)];
}

void countBytesScalar(const std::uint8_t* text, std::size_t size,
                      const std::uint8_t* values, std::size_t k,
                      std::uint32_t* counts) {
  for (std::size_t j = 0; j < k; ++j) {
    counts[j] =
        static_cast<std::uint32_t>(std::count(text, text + size, values[j]));
  }
}

}  // namespace hapmat::kernels
#endif  // HWY_ONCE
