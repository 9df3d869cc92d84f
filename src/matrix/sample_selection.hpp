#pragma once
// Which samples a conversion writes (-s/--samples, -S/--samples-file), as
// bcftools view picks them, and the haploid samples of --haploid.

#include <string>
#include <string_view>
#include <vector>

#include "hapmat/schema.hpp"

namespace hapmat {

/** Names to keep in their order, or (exclude) to leave out. */
struct SampleSelection {
  std::vector<std::string> names;
  bool exclude = false;
};

/** -s's LIST: names joined by ',', all after a leading '^' left out. Throws
 * UsageError for an empty name. */
SampleSelection parseSampleList(std::string_view list);

/** -S's [^]FILE: one name a line (the first word; blank lines and `#`
 * lines skipped); a leading '^' on the argument leaves them out. */
SampleSelection readSampleFile(std::string_view argument);

/**
 * The samples of `samples` that `selection` keeps: those named, in the
 * order named, or all but those named, in their order. Throws UsageError for
 * a name given twice, or not a sample (listing the samples whose names are
 * close to it), and when nothing is left.
 */
std::vector<SamplePair> selectSamples(const std::vector<SamplePair>& samples,
                                      const SampleSelection& selection);

/** --haploid: each haplotype column is a sample of its own, named by the
 * column, in column order (first == second). */
std::vector<SamplePair> haploidSamples(const std::vector<std::string>& columns);

/** The haplotype columns in none of `samples`, in column order. */
std::vector<std::string> columnsInNoSample(
    const std::vector<std::string>& columns,
    const std::vector<SamplePair>& samples);

}  // namespace hapmat
