#pragma once
// A VCF record hapmat wrote, parsed back into its values: what binary
// formats (BCF, VCF Zarr) encode, so that their records are exactly the VCF
// records, after every option (the deletion joiner's output is VCF text).

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace hapmat {

/** The `##contig` IDs of a VCF header, numbered from 0 in their order (the
 * BCF contig dictionary). */
class VcfContigIndex {
 public:
  /** Reads the `##contig=<ID=NAME...>` lines of `header`. */
  explicit VcfContigIndex(std::string_view header);

  const std::vector<std::string>& names() const { return names_; }
  /** The index of `name`; throws std::invalid_argument when the header does
   * not list it. Threads may look up at once. */
  std::uint32_t find(std::string_view name) const;

 private:
  std::vector<std::string> names_;
  std::unordered_map<std::string_view, std::uint32_t> index_;
};

/** The number of samples of a VCF header: the columns after FORMAT. */
std::size_t vcfSampleCount(std::string_view header);

/** One data line of a VCF hapmat wrote (CHROM POS . REF ALT . . INFO GT
 * genotypes). Views point into the parsed line. */
struct VcfRecord {
  std::uint32_t contig = 0;  ///< index in the header's ##contig lines
  std::uint64_t pos = 0;     ///< 1-based, as written
  std::string_view ref;
  std::vector<std::string_view> alts;  ///< empty for ALT `.`
  /// Per sample `ploidy` allele numbers (0 REF, k the k-th ALT, -1 missing),
  /// sample after sample
  std::vector<std::int32_t> alleles;
  std::uint32_t ploidy = 2;       ///< 2 (`x|y`), or 1 with --haploid (`x`)
  bool phased = true;             ///< the alleles are joined by `|`
  std::vector<std::uint32_t> ac;  ///< INFO AC, one per ALT
  std::uint32_t an = 0;           ///< INFO AN
  /// The CHROM `contig` was found for: most records repeat the previous one
  std::string chrom;
};

/**
 * Parses `line` (without its '\n') into `record`, reusing its buffers. The
 * line is trusted, written by hapmat's VCF writer: it is checked only as
 * far as reading it needs, and anything else throws std::invalid_argument
 * (a bug, not bad input). A record is scratch for lines under one header:
 * it keeps the last CHROM's index.
 */
void parseVcfRecord(std::string_view line, const VcfContigIndex& contigs,
                    VcfRecord& record);

/** parseVcfRecord's first half: every field up to FORMAT. Returns the
 * genotypes' text, for parseVcfGenotypes() or an encoder of its own. */
std::string_view parseVcfSite(std::string_view line,
                              const VcfContigIndex& contigs, VcfRecord& record);

/** parseVcfRecord's second half: the genotypes' text `genotypes` of `line`
 * into record.alleles, ploidy and phased. */
void parseVcfGenotypes(std::string_view genotypes, std::string_view line,
                       VcfRecord& record);

}  // namespace hapmat
