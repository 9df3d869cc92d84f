// Which Highway targets the kernels were compiled for, and forcing one (see
// targets.h).
//
// Every kernel .cc includes hwy/foreach_target.h with the same project-wide
// definitions (HWY_WANT_AVX3_DL), so HWY_TARGETS, and with it the list of
// compiled targets, is the same here as in each kernel's translation unit.

#include "kernels/targets.h"

#include <hwy/highway.h>

#include <cctype>
#include <cstdint>

namespace hapmat::kernels {

namespace {

// The compiled targets this CPU supports, best (lowest bit) first. Computed
// once, before any forceTarget: hwy::SupportedTargets() reports the mock
// while one is set, and the truth is needed to validate the next force.
const std::vector<std::int64_t>& realTargets() {
  static const std::vector<std::int64_t> targets =
      hwy::SupportedAndGeneratedTargets();
  return targets;
}

bool sameName(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::toupper(static_cast<unsigned char>(a[i])) !=
        std::toupper(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

}  // namespace

std::vector<std::string> availableTargets() {
  std::vector<std::string> names;
  for (std::int64_t target : realTargets()) {
    names.emplace_back(hwy::TargetName(target));
  }
  return names;
}

bool forceTarget(std::string_view name) {
  for (std::int64_t target : realTargets()) {
    if (sameName(name, hwy::TargetName(target))) {
      // Mocks SupportedTargets() and de-initialises the chosen target, so
      // the next HWY_DYNAMIC_DISPATCH of every kernel re-reads it and picks
      // this, the only target left.
      hwy::SetSupportedTargetsForTest(target);
      return true;
    }
  }
  return false;
}

void resetTargets() { hwy::SetSupportedTargetsForTest(0); }

}  // namespace hapmat::kernels
