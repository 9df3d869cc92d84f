#include "haplotype_writer.hpp"

#include <array>

#include "haplotype_row.hpp"

namespace hapmat {

HaplotypeWriter::HaplotypeWriter(std::vector<SamplePair> samples,
                                 OutputFormat format, Delimiter outDelimiter)
    : samples_(std::move(samples)),
      listsRefFirst_(format == OutputFormat::kPhaseExtender),
      delimiter_(listsRefFirst_ ? '\t' : static_cast<char>(outDelimiter)) {}

void HaplotypeWriter::appendHeader(std::string& out) const {
  static constexpr std::array<const char*, 4> kOriginalNames = {"contig", "pos",
                                                                "ref", "alt"};
  static constexpr std::array<const char*, 4> kPhaseExtenderNames = {
      "CHROM", "POS", "REF", "all-alleles"};
  const auto& fixed = listsRefFirst_ ? kPhaseExtenderNames : kOriginalNames;
  for (std::size_t i = 0; i < fixed.size(); ++i) {
    if (i > 0) out.push_back(delimiter_);
    out.append(fixed[i]);
  }
  for (const SamplePair& sample : samples_) {
    const std::string& name = listsRefFirst_ ? sample.name : sample.label;
    const char* separator = listsRefFirst_ ? ":" : "_";
    out.push_back(delimiter_);
    out.append(name).append(separator).append("PI");
    out.push_back(delimiter_);
    out.append(name).append(separator).append("PG_al");
  }
  out.push_back('\n');
}

bool HaplotypeWriter::appendRow(std::string& out,
                                std::span<const std::string_view> fields,
                                std::span<const std::string_view> alts,
                                RowWriterState& /*state*/) const {
  std::string_view chrom = fields[kChromColumn];
  std::string_view ref = fields[kRefColumn];
  out.append(chrom);
  out.push_back(delimiter_);
  out.append(fields[kPosColumn]);
  out.push_back(delimiter_);
  out.append(ref);
  out.push_back(delimiter_);
  if (listsRefFirst_) {
    out.append(ref);
    out.push_back(',');
  }
  for (std::size_t i = 0; i < alts.size(); ++i) {
    if (i > 0) out.push_back(',');
    out.append(alts[i]);
  }
  for (const SamplePair& sample : samples_) {
    out.push_back(delimiter_);
    out.append(chrom);
    out.push_back(delimiter_);
    appendFilledAllele(out, fields[sample.first], ref);
    out.push_back('|');
    appendFilledAllele(out, fields[sample.second], ref);
  }
  out.push_back('\n');
  return true;
}

}  // namespace hapmat
