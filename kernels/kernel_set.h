#pragma once
// The kernels of one Highway target, resolved once: a conversion holds its
// set, so conversions on different targets may run at the same time, and
// no call pays Highway's dynamic dispatch (~35 instructions).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kernels/count.h"
#include "kernels/letters.h"
#include "kernels/pack.h"
#include "kernels/phase.h"
#include "kernels/scan.h"

namespace hapmat::kernels {

struct KernelSet {
  std::string target;  ///< as hwy::TargetName() names it
  NewlineMasksFunction newlineMasks;
  PackAllelesFunction packAlleles;
  FirstIndexOfFunction firstIndexOf;
  PlanLettersFunction planLetters;
  WriteLettersFunction writeLetters;
  CountBytesFunction countBytes;
  CountLettersFunction countLetters;
  /// Highway's bit of the target (HWY_AVX2, ...); 0 for the scalar twins
  std::int64_t bit = 0;
};

/** The portable scalar twins as a set (target "scalar twin"): the
 * formatting kernels of converters that have no target, and a baseline. */
const KernelSet& scalarTwins();

/** Compiled targets this CPU supports, best first, named as hwy::TargetName
 * prints them (AVX3_DL, AVX3, AVX2, SSE4, ..., SCALAR or EMU128). */
std::vector<std::string> availableTargets();

/** The kernels of the named target (any case), or of the best one when
 * `name` is empty; nothing when it is unknown or unsupported here. */
std::optional<KernelSet> kernelSet(std::string_view name = {});

}  // namespace hapmat::kernels
