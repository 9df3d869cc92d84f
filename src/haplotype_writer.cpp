#include "haplotype_writer.hpp"

#include "haplotype_row.hpp"

namespace hapmat {

HaplotypeWriter::HaplotypeWriter(std::vector<SamplePair> samples,
                                 Delimiter outDelimiter)
    : samples_(std::move(samples)),
      delimiter_(static_cast<char>(outDelimiter)) {}

void HaplotypeWriter::appendHeader(std::string& out) const {
  for (const char* name : {"contig", "pos", "ref"}) {
    out.append(name);
    out.push_back(delimiter_);
  }
  out.append("alt");
  for (const SamplePair& sample : samples_) {
    out.push_back(delimiter_);
    out.append(sample.label);
    out.append("_PI");
    out.push_back(delimiter_);
    out.append(sample.label);
    out.append("_PG_al");
  }
  out.push_back('\n');
}

void HaplotypeWriter::appendRow(std::string& out,
                                std::span<const std::string_view> fields,
                                std::span<const std::string_view> alts) const {
  std::string_view chrom = fields[kChromColumn];
  std::string_view ref = fields[kRefColumn];
  out.append(chrom);
  out.push_back(delimiter_);
  out.append(fields[kPosColumn]);
  out.push_back(delimiter_);
  out.append(ref);
  out.push_back(delimiter_);
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
}

}  // namespace hapmat
