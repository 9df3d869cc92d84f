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

// One thread's state for packed rows: the plan for rows of the current
// CHROM's length (the writer's threads share it), the samples' text for the
// current CHROM, and the kernel's scratch.
class TableScratch : public WriterScratch {
 public:
  TableScratch(const kernels::KernelSet& kernels, SharedLetterPlans& plans,
               std::span<const SamplePair> samples, char delimiter)
      : kernels_(kernels),
        plans_(plans),
        samples_(samples),
        delimiter_(delimiter) {}

  /** Readies plan(), text() and letters() for rows of `chrom` with `count`
   * haplotypes: nothing to do while CHROM stays, which a row's CHROM version
   * (PackedRow::chromVersion) tells without a comparison. */
  void useChrom(std::string_view chrom, std::uint64_t version,
                std::size_t count) {
    if (count == count_ && version != 0 && version == version_) return;
    switchChrom(chrom, version, count);
  }

  const kernels::KernelSet& kernels() const { return kernels_; }
  const kernels::LetterPlan& plan() const { return *plan_; }
  const std::uint8_t* text() const { return text_.data(); }
  std::uint8_t* letters() { return letters_.data(); }

 private:
  // Out of line: rarely more than once per CHROM, and inline it would make
  // every row's appendPacked save and spill more registers.
  [[gnu::noinline]] void switchChrom(std::string_view chrom,
                                     std::uint64_t version, std::size_t count) {
    version_ = version;
    if (count == count_ && chrom == chrom_) return;
    if (count != count_ || chrom.size() != chrom_.size()) {
      plan_ = plans_.get(kernels_, count, chrom.size(),
                         [&] { return layoutFor(chrom, count); });
      letters_.resize(plan_->lettersBytes);
    }
    writeSampleText(samples_.size(), chrom, delimiter_, plan_->textBytes,
                    text_);
    chrom_.assign(chrom);
    count_ = count;
  }

  // The slots of each sample's x and y, for planning.
  kernels::LetterLayout layoutFor(std::string_view chrom,
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

  const kernels::KernelSet& kernels_;
  SharedLetterPlans& plans_;
  std::span<const SamplePair> samples_;
  char delimiter_;
  std::string chrom_;
  std::uint64_t version_ = 0;  // chrom_'s, when known
  std::size_t count_ = 0;      // 0: no row yet
  SharedLetterPlans::Plan plan_;
  std::vector<std::uint8_t> text_;
  std::vector<std::uint8_t> letters_;
};

}  // namespace

HaplotypeWriter::HaplotypeWriter(std::vector<SamplePair> samples, Layout layout,
                                 Delimiter delimiter)
    : samples_(std::move(samples)),
      layout_(layout),
      delimiter_(static_cast<char>(delimiter)) {}

std::unique_ptr<WriterScratch> HaplotypeWriter::makeScratch(
    const kernels::KernelSet& kernels) const {
  return std::make_unique<TableScratch>(kernels, plans_, samples_, delimiter_);
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

// Writes through a pointer into the output's room: the row's length is
// known before it is written. CHROM and POS are copied with one fixed-size
// move each; the samples are the plan's text with the letters placed by the
// kernel, N and - read as REF.
Formatted HaplotypeWriter::appendPacked(const PackedRow& row,
                                        WriterScratch& scratch,
                                        ByteBuffer& out) const {
  auto& table = static_cast<TableScratch&>(scratch);
  table.allelesLeftOut = 0;
  table.useChrom(row.chrom, row.chromVersion, row.count);
  const kernels::LetterPlan& plan = table.plan();
  // An invariant row (--all-sites) writes ALT `.`.
  const std::size_t altBytes = row.alts.empty() ? 1 : 2 * row.alts.size() - 1;
  // CHROM<d>POS<d>REF<d>ALT, the samples, the line end.
  const std::size_t rowBytes =
      row.chrom.size() + 1 + row.pos.size() + 3 + altBytes + plan.size + 1;
  // The slack covers the fixed-size moves and the kernel's last vector.
  static_assert(kernels::kLetterSlack >= kPosReadableBytes);
  char* w = placeChromAndPos(out.room(rowBytes + kernels::kLetterSlack),
                             row.chrom, row.pos, delimiter_);
  w[0] = delimiter_;
  w[1] = row.ref;
  w[2] = delimiter_;
  w[3] = row.alts.empty() ? '.' : kernels::kAlleleAlphabet[row.alts[0]];
  for (std::size_t i = 1; i < row.alts.size(); ++i) {
    w[2 * i + 2] = ',';
    w[2 * i + 3] = kernels::kAlleleAlphabet[row.alts[i]];
  }
  w += 3 + altBytes;
  std::array<std::uint8_t, 16> letterOf;
  std::memcpy(letterOf.data(), kernels::kAlleleAlphabet, 16);
  letterOf[kernels::kCodeN] = static_cast<std::uint8_t>(row.ref);
  letterOf[kernels::kCodeGap] = static_cast<std::uint8_t>(row.ref);
  table.kernels().writeLetters(plan, table.text(), row.codes, letterOf.data(),
                               table.letters(),
                               reinterpret_cast<std::uint8_t*>(w));
  w[plan.size] = '\n';
  out.added(rowBytes);
  return Formatted::kWritten;
}

}  // namespace hapmat
