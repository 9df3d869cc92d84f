#pragma once
// The slot of a target in a kernel's HWY_EXPORT table, found without
// Highway's process-wide chosen target: a local one, set to that target,
// says where dynamic dispatch would go. Inline, so that each kernel's
// translation unit uses its own list of compiled targets.

#include <hwy/targets.h>

#include <cstddef>
#include <cstdint>

namespace hapmat::kernels {

inline std::size_t dispatchIndex(std::int64_t target) {
  hwy::ChosenTarget chosen;
  chosen.Update(target);
  return chosen.GetIndex();
}

}  // namespace hapmat::kernels
