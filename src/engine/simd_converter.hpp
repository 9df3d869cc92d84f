#pragma once
// The SIMD + TBB engine: an ordered tbb::parallel_pipeline that reads blocks
// serially, converts them in parallel (Highway kernels, RowPhaser), and
// writes them serially in input order.

#include "engine/run_tally.hpp"
#include "hapmat/convert.hpp"
#include "kernels/kernel_set.h"

namespace hapmat {

Stats convertWithSimd(const ConvertOptions& options,
                      const kernels::KernelSet& kernels, ByteSink& out,
                      ContigSource contigs = ContigSource::kPredicted);

}  // namespace hapmat
