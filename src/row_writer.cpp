#include "row_writer.hpp"

#include "haplotype_writer.hpp"
#include "text_file.hpp"
#include "vcf_writer.hpp"

namespace hapmat {

std::unique_ptr<RowWriter> makeRowWriter(const ConvertOptions& options,
                                         std::vector<SamplePair> samples) {
  if (options.format != OutputFormat::kVcf) {
    return std::make_unique<HaplotypeWriter>(std::move(samples), options.format,
                                             options.outDelimiter);
  }
  std::vector<Contig> contigs;
  if (!options.faiPath.empty()) {
    contigs = parseFai(readTextFile(options.faiPath), options.faiPath);
  }
  return std::make_unique<VcfWriter>(std::move(samples), std::move(contigs));
}

}  // namespace hapmat
