#pragma once
/** @file A deterministic generator of realistic genome matrices. */

#include <cstdint>
#include <string>
#include <vector>

#include "hapmat/output.hpp"
#include "hapmat/schema.hpp"

namespace hapmat {

/** What `hapmat simulate` writes; the defaults resemble a real alignment. */
struct SimulateOptions {
  unsigned chroms = 2;
  std::uint64_t length = 1'000'000;  ///< positions (rows) per chromosome
  std::vector<std::string> haplotypes = {};  ///< empty: the original's 31
  double snpRate = 0.02;      ///< fraction of positions that are polymorphic
  double missingRate = 0.03;  ///< fraction of calls inside `N` runs
  double gapRate = 0.01;      ///< fraction of calls inside `-` runs
  /// a run of `-` is 1 to this many positions, drawn evenly (events give
  /// runs to several haplotypes at once, so they overlap)
  std::uint64_t gapLengthMax = 50;
  double multibaseRate =
      0.0;  ///< fraction of polymorphic sites with an indel allele
  double lowercaseRate =
      0.0;  ///< fraction of positions soft-masked (lower case)
  std::uint64_t seed = 1;
  bool headerLine = false;  ///< write `CHROM POS REF ...` as the first line
  Delimiter delimiter = Delimiter::kSpace;
  bool crlf = false;  ///< end lines with CR LF
};

/** The original script's 31 haplotype columns, in its header's order. */
std::vector<std::string> originalHaplotypeNames();

/** `1a 1b 2a 2b ...`; an odd last column is the unpaired outgroup `MA1`. */
std::vector<std::string> numberedHaplotypeNames(std::size_t count);

/** `CHROM POS REF h1 h2 ...` joined by the delimiter, without a line end. */
std::string headerText(const std::vector<std::string>& haplotypes,
                       Delimiter delimiter);

/** Writes the matrix; the same options always give the same bytes. Throws
 * UsageError for a bad option, named as `hapmat simulate` spells it. */
void simulate(const SimulateOptions& options, ByteSink& out);

}  // namespace hapmat
