#include "formats/haplotype_row.hpp"

#include <algorithm>

namespace hapmat {

void AltFinder::find(std::string_view ref,
                     std::span<const std::string_view> haplotypes,
                     std::vector<std::string_view>& alts) {
  alts.clear();
  seen_.clear();
  for (std::string_view allele : haplotypes) {
    if (allele == "N" || allele == ref) continue;
    if (alts.size() < kLinearSearchLimit) {
      if (std::find(alts.begin(), alts.end(), allele) != alts.end()) continue;
      alts.push_back(allele);
      if (alts.size() == kLinearSearchLimit)
        seen_.insert(alts.begin(), alts.end());
    } else if (seen_.insert(allele).second) {
      alts.push_back(allele);
    }
  }
}

void appendFilledAllele(ByteBuffer& out, std::string_view allele,
                        std::string_view ref) {
  for (char c : allele) {
    if (c == 'N' || c == '-') {
      out.append(ref);
    } else {
      out.push_back(c);
    }
  }
}

}  // namespace hapmat
