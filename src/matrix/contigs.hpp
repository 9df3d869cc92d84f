#pragma once
// The reference sequences a VCF header lists: from a samtools faidx index
// (--fai), or as the matrix's CHROM values.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace hapmat {

/** A sequence of the reference, for a ##contig line. */
struct Contig {
  std::string name;
  std::uint64_t length = 0;  ///< 0: unknown (not written)

  bool operator==(const Contig&) const = default;
};

/**
 * Parses a samtools faidx index (`NAME<TAB>LENGTH[<TAB>...]` a line). Throws
 * UsageError "source:line:column: reason" for a line without a length, a
 * length that is not a positive integer, an empty name, a name VCF cannot
 * carry in a ##contig line, or a name given twice.
 */
std::vector<Contig> parseFai(std::string_view text, const std::string& source);

/** Reads and parses a .fai file (see parseFai). */
std::vector<Contig> readFai(const std::string& path);

}  // namespace hapmat
