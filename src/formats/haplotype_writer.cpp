#include "formats/haplotype_writer.hpp"

#include <algorithm>
#include <array>
#include <cstring>

#include "formats/haplotype_row.hpp"
#include "kernels/pack.h"

namespace hapmat {

namespace {

// The sample fields of a table row, `<d>CHROM<d>x|y` each, into `text`
// (zero-filled to `bytes` if that is longer): the slots, x and y, stay 0.
void writeSampleText(std::size_t samples, std::string_view chrom,
                     char delimiter, std::size_t bytes,
                     std::vector<std::uint8_t>& text) {
  const std::size_t field = chrom.size() + 5;
  text.assign(std::max(bytes, samples * field), 0);
  std::uint8_t* w = text.data();
  for (std::size_t sample = 0; sample < samples; ++sample, w += field) {
    w[0] = static_cast<std::uint8_t>(delimiter);
    std::memcpy(w + 1, chrom.data(), chrom.size());
    w[chrom.size() + 1] = static_cast<std::uint8_t>(delimiter);
    w[chrom.size() + 3] = '|';
  }
}

}  // namespace

namespace table_detail {

void TableScratch::switchChrom(std::string_view chrom, std::uint64_t version,
                               std::size_t count) {
  version_ = version;
  if (count == count_ && chrom == chrom_) return;
  if (count != count_ || chrom.size() != chrom_.size()) {
    plan_ = plans_.get(kernels_, count, chrom.size(),
                       [&] { return layoutFor(chrom, count); });
    letters_.resize(plan_->lettersBytes);
  }
  writeSampleText(samples_.size(), chrom, delimiter_, plan_->textBytes, text_);
  chrom_.assign(chrom);
  count_ = count;
}

kernels::LetterLayout TableScratch::layoutFor(std::string_view chrom,
                                              std::size_t count) const {
  kernels::LetterLayout layout;
  layout.count = count;
  writeSampleText(samples_.size(), chrom, delimiter_, 0, layout.text);
  const std::size_t field = chrom.size() + 5;
  for (std::size_t i = 0; i < samples_.size(); ++i) {
    const auto x = static_cast<std::uint32_t>(i * field + field - 3);
    layout.slots.insert(layout.slots.end(), {x, x + 2});
    layout.haplotypes.push_back(
        static_cast<std::uint32_t>(samples_[i].first - kFirstHaplotype));
    layout.haplotypes.push_back(
        static_cast<std::uint32_t>(samples_[i].second - kFirstHaplotype));
  }
  return layout;
}

}  // namespace table_detail

HaplotypeWriter::HaplotypeWriter(std::vector<SamplePair> samples, Layout layout,
                                 Delimiter delimiter)
    : samples_(std::move(samples)),
      layout_(layout),
      delimiter_(static_cast<char>(delimiter)) {}

std::unique_ptr<WriterScratch> HaplotypeWriter::makeScratch(
    const kernels::KernelSet& kernels) const {
  return std::make_unique<table_detail::TableScratch>(kernels, plans_, samples_,
                                                      delimiter_);
}

void HaplotypeWriter::appendHeader(std::string& out,
                                   std::span<const Contig> /*contigs*/) const {
  static constexpr std::array<const char*, 4> kOriginalNames = {"contig", "pos",
                                                                "ref", "alt"};
  static constexpr std::array<const char*, 4> kPanelNames = {"CHROM", "POS",
                                                             "REF", "ALT"};
  const bool panel = layout_ == Layout::kPanel;
  const auto& fixed = panel ? kPanelNames : kOriginalNames;
  for (std::size_t i = 0; i < fixed.size(); ++i) {
    if (i > 0) out.push_back(delimiter_);
    out.append(fixed[i]);
  }
  for (const SamplePair& sample : samples_) {
    const std::string& name = panel ? sample.name : sample.label;
    const char* separator = panel ? ":" : "_";
    out.push_back(delimiter_);
    out.append(name).append(separator).append("PI");
    out.push_back(delimiter_);
    out.append(name).append(separator).append("PG_al");
  }
  out.push_back('\n');
}

Formatted HaplotypeWriter::appendRow(const TextRow& row, WriterScratch& scratch,
                                     ByteBuffer& out) const {
  scratch.allelesLeftOut = 0;
  std::string_view chrom = row.fields[kChromColumn];
  std::string_view ref = row.fields[kRefColumn];
  out.append(chrom);
  out.push_back(delimiter_);
  out.append(row.fields[kPosColumn]);
  out.push_back(delimiter_);
  out.append(ref);
  out.push_back(delimiter_);
  if (row.alts.empty()) out.push_back('.');  // an invariant row: --all-sites
  for (std::size_t i = 0; i < row.alts.size(); ++i) {
    if (i > 0) out.push_back(',');
    out.append(row.alts[i]);
  }
  for (const SamplePair& sample : samples_) {
    out.push_back(delimiter_);
    out.append(chrom);
    out.push_back(delimiter_);
    appendFilledAllele(out, row.fields[sample.first], ref);
    out.push_back('|');
    appendFilledAllele(out, row.fields[sample.second], ref);
  }
  out.push_back('\n');
  return Formatted::kWritten;
}

}  // namespace hapmat
