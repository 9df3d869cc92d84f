#include "formats/row_writer.hpp"

#include "formats/haplotype_writer.hpp"
#include "formats/vcf_writer.hpp"

namespace hapmat {

std::unique_ptr<WriterScratch> RowWriter::makeScratch(
    const kernels::KernelSet& /*kernels*/) const {
  return std::make_unique<WriterScratch>();
}

std::unique_ptr<RowWriter> makeRowWriter(const FormatOptions& options,
                                         std::vector<SamplePair> samples) {
  switch (options.kind) {
    case FormatKind::kTable:
      return std::make_unique<HaplotypeWriter>(
          std::move(samples), HaplotypeWriter::Layout::kOriginal,
          options.tableDelimiter);
    case FormatKind::kPanel:
      return std::make_unique<HaplotypeWriter>(
          std::move(samples), HaplotypeWriter::Layout::kPanel, Delimiter::kTab);
    case FormatKind::kVcf:
      break;
  }
  return std::make_unique<VcfWriter>(std::move(samples), options.missing,
                                     options.haploid, options.bcf);
}

}  // namespace hapmat
