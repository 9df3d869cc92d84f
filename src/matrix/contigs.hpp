#pragma once
// The reference sequences a VCF header lists: from a samtools faidx index
// (--fai), or as the matrix's CHROM values.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "matrix/row_fields.hpp"

namespace hapmat {

/** A sequence of the reference, for a ##contig line. */
struct Contig {
  std::string name;
  std::uint64_t length = 0;  ///< 0: unknown (not written)

  bool operator==(const Contig&) const = default;
};

/**
 * Why `name` cannot be a VCF contig, or nothing when it can: the VCF
 * specification's contig ID rule, `[0-9A-Za-z!#$%&+./:;?@^_|~-]` then
 * `[0-9A-Za-z!#$%&*+./:;=?@^_|~-]*` (htslib warns "Invalid contig name"
 * and bcftools refuses the file otherwise), and no `#` first, which
 * would make its rows comment lines. `column` is the 1-based byte at fault.
 */
std::optional<RowProblem> contigNameProblem(std::string_view name);

/**
 * Parses a samtools faidx index (`NAME<TAB>LENGTH[<TAB>...]` a line). Throws
 * UsageError "source:line:column: reason" for a line without a length, a
 * length that is not a positive integer, an empty name, a name VCF cannot
 * carry (contigNameProblem), or a name given twice.
 */
std::vector<Contig> parseFai(std::string_view text, const std::string& source);

/** Reads and parses a .fai file (see parseFai). */
std::vector<Contig> readFai(const std::string& path);

}  // namespace hapmat
