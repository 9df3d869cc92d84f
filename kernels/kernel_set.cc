// Every kernel .cc includes hwy/foreach_target.h with the same project-wide
// definitions (HWY_WANT_AVX3_DL), so the targets compiled for them are the
// ones listed here.

#include "kernels/kernel_set.h"

#include <hwy/highway.h>

#include <cctype>
#include <cstdint>

namespace hapmat::kernels {

namespace {

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

KernelSet setFor(std::int64_t target) {
  return {
      hwy::TargetName(target), newlineMasksFor(target), packAllelesFor(target),
      firstIndexOfFor(target), planLettersFor(target),  writeLettersFor(target),
      countBytesFor(target),   countLettersFor(target), target};
}

}  // namespace

const KernelSet& scalarTwins() {
  static const KernelSet twins = {
      "scalar twin",      newlineMasksScalar, packAllelesScalar,
      firstIndexOfScalar, planLettersScalar,  writeLettersScalar,
      countBytesScalar,   countLettersScalar, 0};
  return twins;
}

std::vector<std::string> availableTargets() {
  std::vector<std::string> names;
  for (std::int64_t target : hwy::SupportedAndGeneratedTargets()) {
    names.emplace_back(hwy::TargetName(target));
  }
  return names;
}

std::optional<KernelSet> kernelSet(std::string_view name) {
  for (std::int64_t target : hwy::SupportedAndGeneratedTargets()) {
    if (name.empty() || sameName(name, hwy::TargetName(target))) {
      return setFor(target);
    }
  }
  return std::nullopt;
}

}  // namespace hapmat::kernels
