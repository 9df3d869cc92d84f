#pragma once
// The haplotype table: the original script's output, and phase-Extender's
// haplotype reference panel, which holds the same rows under other names.

#include <string>
#include <vector>

#include "formats/letter_plans.hpp"
#include "formats/row_writer.hpp"

namespace hapmat {

class HaplotypeWriter final : public RowWriter {
 public:
  enum class Layout {
    kOriginal,  ///< `contig pos ref alt <label>_PI <label>_PG_al ...`
    kPanel,     ///< `CHROM POS REF ALT <name>:PI <name>:PG_al ...`
  };

  HaplotypeWriter(std::vector<SamplePair> samples, Layout layout,
                  Delimiter delimiter);

  std::unique_ptr<WriterScratch> makeScratch(
      const kernels::KernelSet& kernels) const override;
  void appendHeader(std::string& out,
                    std::span<const Contig> contigs) const override;
  /** Every row is carried: always kWritten. */
  Formatted appendRow(const TextRow& row, WriterScratch& scratch,
                      ByteBuffer& out) const override;
  Formatted appendPacked(const PackedRow& row, WriterScratch& scratch,
                         ByteBuffer& out) const override;

 private:
  std::vector<SamplePair> samples_;
  Layout layout_;
  char delimiter_;
  mutable SharedLetterPlans plans_;  // a cache the threads' scratches share
};

}  // namespace hapmat
