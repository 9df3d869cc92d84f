#include "hapmat/convert.hpp"

#include "engine/reference_converter.hpp"
#include "engine/simd_converter.hpp"
#include "hapmat/error.hpp"
#include "kernels/kernel_set.h"

namespace hapmat {

namespace {

kernels::KernelSet kernelsFor(const std::string& target) {
  std::optional<kernels::KernelSet> set = kernels::kernelSet(target);
  if (set) return *set;
  std::string known;
  for (const std::string& name : kernels::availableTargets()) {
    known += " " + name;
  }
  throw UsageError("SIMD target '" + target +
                   "' is unknown or not supported here; available:" + known);
}

Stats runEngine(const ConvertOptions& options, ByteSink& out,
                ContigSource contigs) {
  kernels::KernelSet kernels = kernelsFor(options.simdTarget);
  switch (options.engine) {
    case Engine::kReference: {
      Stats stats = convertWithReference(options, out, contigs);
      // One loop on the calling thread: no stages to tell apart.
      if (options.pipelineStats) *options.pipelineStats = {1, {}};
      return stats;
    }
    case Engine::kSimd:
      break;
  }
  return convertWithSimd(options, kernels, out, contigs);
}

}  // namespace

Stats convert(const ConvertOptions& options, ByteSink& out) {
  // A line as long as a block must be allowed: the line limit would depend
  // on the block size otherwise.
  if (options.blockSize == 0 || options.maxLineBytes < options.blockSize) {
    throw UsageError("the line limit (" + std::to_string(options.maxLineBytes) +
                     " bytes) must be at least the block size (" +
                     std::to_string(options.blockSize) + " bytes)");
  }
  // A BCF to a file starts on its predicted contigs, and is redone, once,
  // on those read from every row when the rows hold others.
  try {
    return runEngine(options, out, ContigSource::kPredicted);
  } catch (const ContigsMispredicted&) {
    out.restart();
  }
  Stats stats = runEngine(options, out, ContigSource::kScanned);
  stats.contigsScanned = true;
  return stats;
}

std::vector<std::string> simdTargets() { return kernels::availableTargets(); }

}  // namespace hapmat
