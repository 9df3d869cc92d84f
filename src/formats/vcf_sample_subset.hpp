#pragma once
// -s/-S with VCF deletions: the joiner builds each record from every
// sample's haplotypes (a deletion's bubble spells them all), and the
// written samples are picked from its records afterwards, as `bcftools view
// -s` picks them from the whole run's VCF: their genotype columns in the
// order asked for, AC and AN counted again over them, ALT unchanged (an AC
// may be 0).

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace hapmat {

class VcfSampleSubset {
 public:
  /** `kept`: each written sample's column among the records' samples (0:
   * the first after FORMAT), in the order they are written. */
  explicit VcfSampleSubset(std::vector<std::size_t> kept);

  /** Appends `records`, whole VCF lines as hapmat writes them (INFO `AC=`
   * and `AN=` only), to `out` with the kept samples only. */
  void apply(std::string_view records, std::string& out);

 private:
  void applyLine(std::string_view line, std::string& out);

  std::vector<std::size_t> kept_;
  std::vector<std::string_view> genotypes_;  // of the line, per sample
  std::vector<std::uint64_t> counts_;        // per allele number
};

}  // namespace hapmat
