#include "formats/haplotype_writer.hpp"

#include <array>
#include <cstring>

#include "formats/haplotype_row.hpp"
#include "kernels/pack.h"

namespace hapmat {

namespace {

// Plans kept per thread: rows of a few CHROM lengths, in any order, reuse
// theirs.
constexpr std::size_t kPlans = 4;

// One thread's sample-part plans, one per CHROM length, and the CHROM each
// holds in its text (rewritten when another CHROM of that length comes).
class TableScratch : public WriterScratch {
 public:
  TableScratch(const kernels::KernelSet& kernels,
               std::span<const SamplePair> samples, char delimiter)
      : kernels_(kernels), samples_(samples), delimiter_(delimiter) {}

  /** The plan for rows of `chrom` with `count` haplotypes. */
  kernels::LetterPlan& planFor(std::string_view chrom, std::size_t count) {
    Entry& last = entries_[last_];
    if (last.chrom == chrom && last.count == count) return last.plan;
    for (std::size_t i = 0; i < kPlans; ++i) {
      Entry& entry = entries_[i];
      if (entry.count != count || entry.chrom.size() != chrom.size()) continue;
      last_ = i;
      if (entry.chrom != chrom) {
        layoutFor(chrom, count);
        entry.plan.setText(layout_.text.data());
        entry.chrom.assign(chrom);
      }
      return entry.plan;
    }
    last_ = next_;
    next_ = (next_ + 1) % kPlans;
    Entry& entry = entries_[last_];
    layoutFor(chrom, count);
    kernels_.planLetters(layout_, entry.plan);
    entry.count = count;
    entry.chrom.assign(chrom);
    return entry.plan;
  }

  const kernels::KernelSet& kernels() const { return kernels_; }

 private:
  struct Entry {
    std::size_t count = 0;  // 0: no plan yet
    std::string chrom;
    kernels::LetterPlan plan;
  };

  // Each sample's `<d>CHROM<d>x|y`, x and y the slots of its haplotypes.
  void layoutFor(std::string_view chrom, std::size_t count) {
    const std::size_t field = chrom.size() + 5;
    layout_.count = count;
    layout_.text.resize(samples_.size() * field);
    layout_.slots.clear();
    layout_.haplotypes.clear();
    std::uint8_t* w = layout_.text.data();
    for (const SamplePair& sample : samples_) {
      const auto at = static_cast<std::uint32_t>(w - layout_.text.data());
      w[0] = static_cast<std::uint8_t>(delimiter_);
      std::memcpy(w + 1, chrom.data(), chrom.size());
      w += chrom.size() + 1;
      w[0] = static_cast<std::uint8_t>(delimiter_);
      w[2] = '|';
      layout_.slots.push_back(at + static_cast<std::uint32_t>(field) - 3);
      layout_.slots.push_back(at + static_cast<std::uint32_t>(field) - 1);
      layout_.haplotypes.push_back(
          static_cast<std::uint32_t>(sample.first - kFirstHaplotype));
      layout_.haplotypes.push_back(
          static_cast<std::uint32_t>(sample.second - kFirstHaplotype));
      w += 4;
    }
  }

  const kernels::KernelSet& kernels_;
  std::span<const SamplePair> samples_;
  char delimiter_;
  std::array<Entry, kPlans> entries_;
  std::size_t last_ = 0;
  std::size_t next_ = 0;
  kernels::LetterLayout layout_;
};

}  // namespace

HaplotypeWriter::HaplotypeWriter(std::vector<SamplePair> samples, Layout layout,
                                 Delimiter delimiter)
    : samples_(std::move(samples)),
      layout_(layout),
      delimiter_(static_cast<char>(delimiter)) {}

std::unique_ptr<WriterScratch> HaplotypeWriter::makeScratch(
    const kernels::KernelSet& kernels) const {
  return std::make_unique<TableScratch>(kernels, samples_, delimiter_);
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
                                     std::string& out) const {
  scratch.allelesLeftOut = 0;
  std::string_view chrom = row.fields[kChromColumn];
  std::string_view ref = row.fields[kRefColumn];
  out.append(chrom);
  out.push_back(delimiter_);
  out.append(row.fields[kPosColumn]);
  out.push_back(delimiter_);
  out.append(ref);
  out.push_back(delimiter_);
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

// Writes through a pointer into space reserved once: the row's length is
// known before it is written. CHROM and POS are copied with one fixed-size
// move each; the samples are the plan's text with the letters placed by the
// kernel, N and - read as REF.
Formatted HaplotypeWriter::appendPacked(const PackedRow& row,
                                        WriterScratch& scratch,
                                        std::string& out) const {
  auto& table = static_cast<TableScratch&>(scratch);
  table.allelesLeftOut = 0;
  kernels::LetterPlan& plan = table.planFor(row.chrom, row.count);
  const std::size_t altBytes = 2 * row.alts.size() - 1;
  // CHROM<d>POS<d>REF<d>ALT, the samples, the line end.
  const std::size_t rowBytes =
      row.chrom.size() + 1 + row.pos.size() + 3 + altBytes + plan.size + 1;
  const std::size_t used = out.size();
  // The slack covers the fixed-size moves and the kernel's last vector.
  static_assert(kernels::kLetterSlack >= kPosReadableBytes);
  out.resize(used + rowBytes + kernels::kLetterSlack);
  char* w = out.data() + used;
  if (row.chrom.size() <= kPosReadableBytes) {
    std::memcpy(w, row.chrom.data(), kPosReadableBytes);
  } else {
    std::memcpy(w, row.chrom.data(), row.chrom.size());
  }
  w += row.chrom.size();
  *w++ = delimiter_;
  std::memcpy(w, row.pos.data(), kPosReadableBytes);
  w += row.pos.size();
  w[0] = delimiter_;
  w[1] = row.ref;
  w[2] = delimiter_;
  w[3] = kernels::kAlleleAlphabet[row.alts[0]];
  for (std::size_t i = 1; i < row.alts.size(); ++i) {
    w[2 * i + 2] = ',';
    w[2 * i + 3] = kernels::kAlleleAlphabet[row.alts[i]];
  }
  w += 3 + altBytes;
  std::array<std::uint8_t, 16> letters;
  std::memcpy(letters.data(), kernels::kAlleleAlphabet, 16);
  letters[kernels::kCodeN] = static_cast<std::uint8_t>(row.ref);
  letters[kernels::kCodeGap] = static_cast<std::uint8_t>(row.ref);
  table.kernels().writeLetters(plan, row.codes, letters.data(),
                               reinterpret_cast<std::uint8_t*>(w));
  w[plan.size] = '\n';
  out.resize(used + rowBytes);
  return Formatted::kWritten;
}

}  // namespace hapmat
