#include "formats/haplotype_writer.hpp"

#include <algorithm>
#include <array>
#include <cstring>

#include "formats/haplotype_row.hpp"
#include "kernels/pack.h"

namespace hapmat {

namespace {

// Bytes copied at once for a sample's PI field (more when it is longer).
constexpr std::size_t kPiCopyBytes = 32;

// A sample's PI field (the row's CHROM) with the delimiters around it,
// padded so that a row can copy it with one fixed-size move. Rebuilt when
// CHROM changes, which most rows do not.
class TableScratch : public WriterScratch {
 public:
  void useChrom(std::string_view chrom, char delimiter) {
    if (chrom == chrom_) return;
    chrom_.assign(chrom);
    field_.assign(1, delimiter);
    field_.append(chrom);
    field_.push_back(delimiter);
    fieldSize_ = field_.size();
    field_.resize(std::max(fieldSize_, kPiCopyBytes));
  }
  const std::string& paddedField() const { return field_; }
  std::size_t fieldSize() const { return fieldSize_; }

 private:
  std::string chrom_;
  std::string field_;
  std::size_t fieldSize_ = 0;
};

}  // namespace

HaplotypeWriter::HaplotypeWriter(std::vector<SamplePair> samples, Layout layout,
                                 Delimiter delimiter)
    : samples_(std::move(samples)),
      layout_(layout),
      delimiter_(static_cast<char>(delimiter)) {}

std::unique_ptr<WriterScratch> HaplotypeWriter::makeScratch() const {
  return std::make_unique<TableScratch>();
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
// known before it is written.
Formatted HaplotypeWriter::appendPacked(const PackedRow& row,
                                        WriterScratch& scratch,
                                        std::string& out) const {
  auto& table = static_cast<TableScratch&>(scratch);
  table.allelesLeftOut = 0;
  table.useChrom(row.chrom, delimiter_);
  const std::string& piField = table.paddedField();
  std::size_t sampleBytes = table.fieldSize() + 3;  // PI, then "x|y"
  std::size_t rowBytes = row.chrom.size() + row.pos.size() + 4 +
                         2 * row.alts.size() - 1 +
                         samples_.size() * sampleBytes + 1;
  std::size_t used = out.size();
  // Room for the last fixed-size PI copy to spill over, cut off at the end.
  out.resize(used + rowBytes + piField.size());
  char* w = out.data() + used;
  auto put = [&w](std::string_view text) {
    std::memcpy(w, text.data(), text.size());
    w += text.size();
  };
  put(row.chrom);
  *w++ = delimiter_;
  put(row.pos);
  *w++ = delimiter_;
  *w++ = row.ref;
  *w++ = delimiter_;
  for (std::size_t i = 0; i < row.alts.size(); ++i) {
    if (i > 0) *w++ = ',';
    *w++ = kernels::kAlleleAlphabet[row.alts[i]];
  }
  // N and - read as REF in the genotypes.
  std::array<char, 16> letters;
  std::memcpy(letters.data(), kernels::kAlleleAlphabet, 16);
  letters[kernels::kCodeN] = row.ref;
  letters[kernels::kCodeGap] = row.ref;
  for (const SamplePair& sample : samples_) {
    if (piField.size() == kPiCopyBytes) {
      std::memcpy(w, piField.data(), kPiCopyBytes);
      w += table.fieldSize();
    } else {
      put(piField);
    }
    w[0] = letters[row.codeAt(sample.first - kFirstHaplotype)];
    w[1] = '|';
    w[2] = letters[row.codeAt(sample.second - kFirstHaplotype)];
    w += 3;
  }
  *w = '\n';
  out.resize(used + rowBytes);
  return Formatted::kWritten;
}

}  // namespace hapmat
