#pragma once
// VCFv4.2 with phased genotypes: the rows of the haplotype table, bases in
// upper case, with the alleles VCF cannot carry left out.

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "formats/letter_plans.hpp"
#include "formats/row_writer.hpp"

namespace hapmat {

/** The largest POS htslib (bcftools, pysam) reads; it drops larger ones. */
inline constexpr std::uint64_t kVcfMaxPos = 0x7FFFFFFF7FFFFFFF;
/** The largest POS a BCF record holds: htslib refuses to write more. */
inline constexpr std::uint64_t kBcfMaxPos = 0x7FFFFFFF;

/** Whether VCF can carry `allele` as REF or ALT: a string of ACGTN in
 * either case. */
bool isVcfBases(std::string_view allele);

namespace vcf_detail {

inline char upper(char c) {
  return c >= 'a' && c <= 'z' ? static_cast<char>(c - 32) : c;
}

[[gnu::noinline]] char* writeLongNumber(char* w, char* end,
                                        std::uint32_t value);

// Writes `value` in decimal at w (room up to `end`); counts of a few samples
// take one or two digits, written inline (a row writes 2 or more numbers).
[[gnu::always_inline]] inline char* writeNumber(char* w, char* end,
                                                std::uint32_t value) {
  if (value < 10) {
    *w = static_cast<char>('0' + value);
    return w + 1;
  }
  if (value < 100) {
    w[0] = static_cast<char>('0' + value / 10);
    w[1] = static_cast<char>('0' + value % 10);
    return w + 2;
  }
  return writeLongNumber(w, end, value);
}

// One thread's state for packed rows: the genotype part's plan and
// buffers. In the header for the inline appendPackedWith below; the text
// rows' state adds to it (vcf_writer.cpp).
class PackedScratch : public WriterScratch {
 public:
  PackedScratch(const kernels::KernelSet& kernels, SharedLetterPlans& plans)
      : kernelSet(kernels), plans_(plans) {}

  /** Readies plan() and the buffers for rows of `count` haplotypes: the
   * genotype part's plan (the writer's threads share it) is fetched for the
   * first packed row, and again if a row has another count. The samples
   * by reference: a span made each row would divide for its size. */
  void useCount(const std::vector<SamplePair>& samples, std::size_t ploidy,
                std::size_t count) {
    if (count != count_) switchCount(samples, ploidy, count);
  }
  const kernels::LetterPlan& plan() const { return *plan_; }

  const kernels::KernelSet& kernelSet;
  std::vector<std::uint8_t> text;          // the plan's text
  std::vector<std::uint8_t> letters;       // the kernel's scratch
  std::vector<std::uint8_t> genotypeText;  // a row's genotype part
  // Whether AC and AN are counted from the codes (each haplotype in at most
  // one sample, at most kCountedHaplotypes), and of which haplotypes: then
  // the genotypes are written in their place, after INFO.
  bool countsFromCodes = false;
  kernels::CountedLanes countedLanes;

 private:
  // Out of line: once per run, in practice; inline, it would make every
  // row's appendPacked save and spill more registers.
  [[gnu::noinline]] void switchCount(std::span<const SamplePair> samples,
                                     std::size_t ploidy, std::size_t count);

  SharedLetterPlans& plans_;
  SharedLetterPlans::Plan plan_;
  std::size_t count_ = 0;  // 0: no packed row yet
};

}  // namespace vcf_detail

class VcfWriter final : public RowWriter {
 public:
  /** `haploid`: each sample is the one haplotype `first`, GT `x`; else a
   * pair, GT `x|y`. `bcf`: the records go on to BCF, and a POS past
   * kBcfMaxPos is bad. */
  VcfWriter(std::vector<SamplePair> samples, MissingAllele missing,
            bool haploid = false, bool bcf = false);

  std::unique_ptr<WriterScratch> makeScratch(
      const kernels::KernelSet& kernels) const override;
  /** One ##contig line per contig, with its length when known. */
  void appendHeader(std::string& out,
                    std::span<const Contig> contigs) const override;
  Formatted appendRow(const TextRow& row, WriterScratch& scratch,
                      ByteBuffer& out) const override;
  Formatted appendPacked(const PackedRow& row, WriterScratch& scratch,
                         ByteBuffer& out) const override;
  /** appendPacked with `writeLetters`, `countBytes` and `countLetters`
   * for the kernels of those names (called as their function types): the
   * row loop passes its target's, inline. */
  template <class WriteLetters, class CountBytes, class CountLetters>
  Formatted appendPackedWith(const PackedRow& row, WriterScratch& scratch,
                             ByteBuffer& out, WriteLetters writeLetters,
                             CountBytes countBytes,
                             CountLetters countLetters) const;

 private:
  std::vector<SamplePair> samples_;
  MissingAllele missing_;
  std::size_t ploidy_;
  std::uint64_t maxPos_;
  std::size_t maxPosDigits_;     // a POS with fewer digits fits
  std::uint32_t genotypeCount_;  // ploidy x samples: AN with none missing
  // Per REF code (A C G T N), a packed row's genotype table before its
  // ALTs: REF `0`, N the missing allele, the rest `.`.
  std::array<std::array<std::uint8_t, 16>, kernels::kCodeN + 1> genotypeTables_;
  mutable SharedLetterPlans plans_;  // a cache the threads' scratches share
};

inline Formatted VcfWriter::appendPacked(const PackedRow& row,
                                         WriterScratch& scratch,
                                         ByteBuffer& out) const {
  const kernels::KernelSet& kernels =
      static_cast<vcf_detail::PackedScratch&>(scratch).kernelSet;
  return appendPackedWith(row, scratch, out, kernels.writeLetters,
                          kernels.countBytes, kernels.countLetters);
}

// From the codes: each code maps to one genotype character, so a row is a
// 16-entry table, and its genotype part is the plan's text with the letters
// placed by the kernel; AC and AN are counts of those characters. The codes
// are upper-case single bytes, and at most five of them (A C G T -) are ALT
// alleles: one digit each. POS has at most 15 digits here (the row layer's
// fast path), far below kVcfMaxPos; one as long as kBcfMaxPos goes to the
// general path, which checks it for BCF. INFO precedes the genotypes but
// needs their counts: where each haplotype is in at most one sample (the
// common case) they are counted from the codes, and the genotypes written
// in their place; else the genotypes are written aside first, counted, and
// copied after INFO. The row is written through a pointer into the output's
// room.
template <class WriteLetters, class CountBytes, class CountLetters>
[[gnu::always_inline]] inline Formatted VcfWriter::appendPackedWith(
    const PackedRow& row, WriterScratch& scratch, ByteBuffer& out,
    WriteLetters writeLetters, CountBytes countBytes,
    CountLetters countLetters) const {
  auto& vcf = static_cast<vcf_detail::PackedScratch&>(scratch);
  vcf.allelesLeftOut = 0;
  if (row.pos.size() >= maxPosDigits_) return Formatted::kBad;
  const char ref = vcf_detail::upper(row.ref);
  const std::uint8_t refCode =
      kernels::alleleCode(static_cast<std::uint8_t>(ref));
  if (refCode > kernels::kCodeN) return Formatted::kNotCarried;
  std::array<std::uint8_t, 16> genotype = genotypeTables_[refCode];
  std::array<char, 16> kept;
  std::size_t keptCount = 0;
  for (std::uint8_t code : row.alts) {
    if (kernels::kAlleleAlphabet[code] == ref) continue;  // 'a' with REF 'A'
    if (code < kernels::kCodeN || code == kernels::kCodeGap) {
      genotype[code] = static_cast<std::uint8_t>('1' + keptCount);
      kept[keptCount++] =
          code == kernels::kCodeGap ? '*' : kernels::kAlleleAlphabet[code];
    } else {
      ++vcf.allelesLeftOut;
    }
  }

  vcf.useCount(samples_, ploidy_, row.count);
  const kernels::LetterPlan& plan = vcf.plan();
  // counts[0]: missing; counts[i]: ALT i. Zeroed: g++ 12 sees a false
  // maybe-uninitialized in the SSE4 loop otherwise.
  constexpr std::uint8_t kCounted[] = {'.', '1', '2', '3', '4', '5'};
  static_assert(std::size(kCounted) <= kernels::kMaxCountedValues);
  std::array<std::uint32_t, std::size(kCounted)> counts{};
  const bool inPlace = vcf.countsFromCodes;
  if (inPlace) {
    countLetters(row.codes, genotype.data(), vcf.countedLanes, kCounted,
                 keptCount + 1, counts.data());
  } else {
    writeLetters(plan, vcf.text.data(), row.codes, genotype.data(),
                 vcf.letters.data(), vcf.genotypeText.data());
    countBytes(vcf.genotypeText.data(), plan.size, kCounted, keptCount + 1,
               counts.data());
  }
  const std::uint32_t called = genotypeCount_ - counts[0];

  // The row up to `\tGT` is written in place, then the genotypes (written
  // or moved) and the line end after it. At most: CHROM (moved as 16 bytes when
  // shorter) and a tab, POS (moved as 16 bytes), `\t.\tREF\t`, ALT (up to 5
  // one-byte alleles and commas),
  // `\t.\t.\t`, INFO (`AC=` and up to 10 digits and a separator per ALT,
  // `AN=` and up to 10 digits), `\tGT`.
  const std::size_t most = std::max(row.chrom.size(), kPosReadableBytes) + 1 +
                           kPosReadableBytes + 5 + 9 + 5 +
                           (3 + 11 * keptCount + 3 + 10) + 3;
  // Kept: the kernels' stores could change the plan, as far as g++ knows.
  const std::size_t genotypeBytes = plan.size;
  char* const start = out.room(most + genotypeBytes + kernels::kLetterSlack);
  char* const end = start + most;
  char* w = placeChromAndPos(start, row.chrom, row.pos, '\t');
  std::memcpy(w, "\t.\t", 3);
  w[3] = ref;
  w[4] = '\t';
  w += 5;
  if (keptCount == 0) *w++ = '.';
  for (std::size_t i = 0; i < keptCount; ++i) {
    if (i > 0) *w++ = ',';
    *w++ = kept[i];
  }
  std::memcpy(w, "\t.\t.\t", 5);
  w += 5;
  if (keptCount != 0) {
    std::memcpy(w, "AC=", 3);
    w += 3;
    for (std::size_t i = 0; i < keptCount; ++i) {
      if (i > 0) *w++ = ',';
      w = vcf_detail::writeNumber(w, end, counts[i + 1]);
    }
    *w++ = ';';
  }
  std::memcpy(w, "AN=", 3);
  w = vcf_detail::writeNumber(w + 3, end, called);
  std::memcpy(w, "\tGT", 3);
  w += 3;
  if (inPlace) {
    writeLetters(plan, vcf.text.data(), row.codes, genotype.data(),
                 vcf.letters.data(), reinterpret_cast<std::uint8_t*>(w));
  } else {
    std::memcpy(w, vcf.genotypeText.data(), genotypeBytes);
  }
  w[genotypeBytes] = '\n';
  out.added(static_cast<std::size_t>(w + genotypeBytes + 1 - start));
  return Formatted::kWritten;
}

}  // namespace hapmat
