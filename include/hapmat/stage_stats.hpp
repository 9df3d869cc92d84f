#pragma once
/** @file Where a conversion's time went: the busy time of each stage of
 * the SIMD engine's pipeline, to tell how much of a run is serial. */

#include <cstdint>
#include <string>
#include <vector>

namespace hapmat {

/** One pipeline stage, as it ran. */
struct StageStats {
  /// "read", "inflate" (BGZF) or "pread" (a plain file), "stitch" (BGZF),
  /// "convert", "write" (hands the output to the kernel)
  std::string name;
  bool serial = false;      ///< one call at a time, in input order
  double busySeconds = 0;   ///< inside its calls, summed over threads
  std::uint64_t items = 0;  ///< chunks it handled

  bool operator==(const StageStats&) const = default;
};

/** The SIMD engine's pipeline of one run. */
struct PipelineStats {
  unsigned threads = 0;            ///< the worker threads it ran on
  std::vector<StageStats> stages;  ///< in pipeline order
  /// VCF deletions: the chunks whose records were joined on the workers,
  /// their border joined serially (the others were joined serially whole)
  std::uint64_t deletionChunksJoined = 0;

  bool operator==(const PipelineStats&) const = default;
};

}  // namespace hapmat
