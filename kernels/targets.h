#pragma once
// Which Highway targets the kernels were compiled for, and forcing one.

#include <string>
#include <string_view>
#include <vector>

namespace hapmat::kernels {

/** Compiled targets this CPU supports, best first, named as hwy::TargetName
 * prints them (AVX3_DL, AVX3, AVX2, SSE4, ..., SCALAR or EMU128). */
std::vector<std::string> availableTargets();

/** Makes every kernel dispatch to the named target (case-insensitive).
 * Returns false, changing nothing, if it is unknown or unsupported here. */
bool forceTarget(std::string_view name);

/** Undoes forceTarget: dispatch picks the best target again. */
void resetTargets();

}  // namespace hapmat::kernels
