#pragma once
// A row's alternative alleles and the PG_al filling of the haplotype table
// (docs/FORMAT.md), over text fields, for any allele strings.

#include <span>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "io/byte_buffer.hpp"

namespace hapmat {

/**
 * Finds a row's alternative alleles: the distinct haplotype alleles other
 * than "N" and REF, in order of first appearance. Reused across rows so that
 * its buffers are allocated once.
 */
class AltFinder {
 public:
  /** Fills `alts` (views into the haplotype fields). */
  void find(std::string_view ref, std::span<const std::string_view> haplotypes,
            std::vector<std::string_view>& alts);

 private:
  // Past this many alts a linear search per allele would make wide rows of
  // distinct alleles quadratic.
  static constexpr std::size_t kLinearSearchLimit = 16;
  std::unordered_set<std::string_view> seen_;
};

/** Appends `allele` with every 'N' and '-' replaced by `ref`. */
void appendFilledAllele(ByteBuffer& out, std::string_view allele,
                        std::string_view ref);

}  // namespace hapmat
