#include "hapmat/convert.hpp"

#include "hapmat/error.hpp"
#include "kernels/targets.h"
#include "reference_converter.hpp"
#include "simd_converter.hpp"

namespace hapmat {

namespace {

/** Forces a Highway target for its lifetime. */
class ForcedTarget {
 public:
  explicit ForcedTarget(const std::string& name) : forced_(!name.empty()) {
    if (forced_ && !kernels::forceTarget(name)) {
      std::string known;
      for (const std::string& target : kernels::availableTargets()) {
        known += " " + target;
      }
      throw UsageError(
          "SIMD target '" + name +
          "' is unknown or not supported here; available:" + known);
    }
  }
  ~ForcedTarget() {
    if (forced_) kernels::resetTargets();
  }
  ForcedTarget(const ForcedTarget&) = delete;
  ForcedTarget& operator=(const ForcedTarget&) = delete;

 private:
  bool forced_;
};

}  // namespace

Stats convert(const ConvertOptions& options, ByteSink& out) {
  // A line as long as a block must be allowed: the line limit would depend
  // on the block size otherwise.
  if (options.blockSize == 0 || options.maxLineBytes < options.blockSize) {
    throw UsageError("the line limit (" + std::to_string(options.maxLineBytes) +
                     " bytes) must be at least the block size (" +
                     std::to_string(options.blockSize) + " bytes)");
  }
  ForcedTarget target(options.simdTarget);
  switch (options.engine) {
    case Engine::kReference:
      return convertWithReference(options, out);
    case Engine::kSimd:
      break;
  }
  return convertWithSimd(options, out);
}

std::vector<std::string> simdTargets() { return kernels::availableTargets(); }

}  // namespace hapmat
