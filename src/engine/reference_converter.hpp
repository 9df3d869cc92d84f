#pragma once
// The scalar streaming converter: plain loops over the row semantics. It is
// kept for good as the oracle of the differential tests and the baseline of
// the benchmarks, so it favours obviousness over speed.

#include "engine/run_tally.hpp"
#include "hapmat/convert.hpp"

namespace hapmat {

Stats convertWithReference(const ConvertOptions& options, ByteSink& out,
                           ContigSource contigs = ContigSource::kPredicted);

}  // namespace hapmat
