#pragma once
// The haplotype table: the original script's output, and phase-Extender's
// haplotype reference panel, which holds the same rows under other names.

#include <array>
#include <cstring>
#include <string>
#include <vector>

#include "formats/letter_plans.hpp"
#include "formats/row_writer.hpp"

namespace hapmat {

namespace table_detail {

// One thread's state for packed rows: the plan for rows of the current
// CHROM's length (the writer's threads share it), the samples' text for the
// current CHROM, and the kernel's scratch. In the header for the inline
// appendPacked below.
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
                                     std::uint64_t version, std::size_t count);
  // The slots of each sample's x and y, for planning.
  kernels::LetterLayout layoutFor(std::string_view chrom,
                                  std::size_t count) const;

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

}  // namespace table_detail

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
  /** appendPacked with `writeLetters` for the kernel of that name (called
   * as a kernels::WriteLettersFunction): the row loop passes its target's,
   * inline. */
  template <class WriteLetters>
  Formatted appendPackedWith(const PackedRow& row, WriterScratch& scratch,
                             ByteBuffer& out, WriteLetters writeLetters) const;

 private:
  std::vector<SamplePair> samples_;
  Layout layout_;
  char delimiter_;
  mutable SharedLetterPlans plans_;  // a cache the threads' scratches share
};

inline Formatted HaplotypeWriter::appendPacked(const PackedRow& row,
                                               WriterScratch& scratch,
                                               ByteBuffer& out) const {
  return appendPackedWith(
      row, scratch, out,
      static_cast<table_detail::TableScratch&>(scratch).kernels().writeLetters);
}

// Inline, so that the row loop (src/rows/row_loop.cpp) compiles it into its
// own code for the table and the panel. Writes through a pointer into the
// output's room: the row's length is known before it is written. CHROM and POS
// are copied with one fixed-size move each; the samples are the plan's text
// with the letters placed by the kernel, N and - read as REF.
template <class WriteLetters>
[[gnu::always_inline]] inline Formatted HaplotypeWriter::appendPackedWith(
    const PackedRow& row, WriterScratch& scratch, ByteBuffer& out,
    WriteLetters writeLetters) const {
  auto& table = static_cast<table_detail::TableScratch&>(scratch);
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
  writeLetters(plan, table.text(), row.codes, letterOf.data(), table.letters(),
               reinterpret_cast<std::uint8_t*>(w));
  w[plan.size] = '\n';
  out.added(rowBytes);
  return Formatted::kWritten;
}

}  // namespace hapmat
