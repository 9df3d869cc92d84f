#pragma once
/** @file Columns of a genome matrix, its delimiter, and the sample pairs. */

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace hapmat {

/** The one byte that separates fields. */
enum class Delimiter : char { kSpace = ' ', kTab = '\t' };

/** What the user asked for; kAuto detects from the first non-`##` line. */
enum class DelimiterChoice { kAuto, kSpace, kTab };

/** Tab if the line contains a tab, else space. */
Delimiter detectDelimiter(std::string_view line);

/** Splits a header file's text on runs of spaces, tabs and line ends. */
std::vector<std::string> splitNames(std::string_view text);

/** Column index of CHROM, POS, REF; haplotypes start at kFirstHaplotype. */
inline constexpr std::size_t kChromColumn = 0;
inline constexpr std::size_t kPosColumn = 1;
inline constexpr std::size_t kRefColumn = 2;
inline constexpr std::size_t kFirstHaplotype = 3;

/**
 * One output sample: two haplotype columns (indexes into the matrix's
 * columns), its name (VCF / phase-Extender) and its haplotype-table label.
 */
struct SamplePair {
  std::string name;
  std::string label;
  std::size_t first = 0;
  std::size_t second = 0;

  bool operator==(const SamplePair&) const = default;
};

/**
 * Pairs `<stem>a` with `<stem>b` (stem non-empty), ordered by the `a` column's
 * name in byte order; label is the two names concatenated in sorted order.
 * Throws UsageError when no pair is found.
 */
std::vector<SamplePair> pairByName(const std::vector<std::string>& columns);

/**
 * Parses a pairs file's text: `NAME COLUMN_A COLUMN_B` a line, `#` starts a
 * comment. Throws UsageError naming the file, line and column for an unknown
 * column, a column used twice, a repeated sample name or no pairs at all.
 */
std::vector<SamplePair> parsePairs(std::string_view text,
                                   const std::string& source,
                                   const std::vector<std::string>& columns);

/** Reads and parses a pairs file (see parsePairs). */
std::vector<SamplePair> readPairsFile(const std::string& path,
                                      const std::vector<std::string>& columns);

/** The pairs of a pairs file, or pairByName() when pairsPath is empty. */
std::vector<SamplePair> samplePairs(const std::string& pairsPath,
                                    const std::vector<std::string>& columns);

/**
 * Reads a one-line header file (names split on spaces and tabs; blank lines
 * ignored). Throws UsageError at FILE:LINE:COLUMN for a second line of
 * names, and as validateColumns() does.
 */
std::vector<std::string> readHeaderFile(const std::string& path);

/**
 * Checks a column list: at least CHROM POS REF and one haplotype, no empty
 * or repeated name. Throws UsageError naming `source`.
 */
void validateColumns(const std::vector<std::string>& columns,
                     const std::string& source);

}  // namespace hapmat
