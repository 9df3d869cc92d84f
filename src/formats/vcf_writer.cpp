#include "formats/vcf_writer.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstring>
#include <iterator>
#include <limits>
#include <unordered_map>

#include "hapmat/version.hpp"
#include "kernels/pack.h"

namespace hapmat {

namespace {

constexpr std::uint32_t kMissing = std::numeric_limits<std::uint32_t>::max();

// Past this many alleles a linear search per genotype would make wide rows
// of distinct alleles quadratic.
constexpr std::size_t kLinearSearchLimit = 16;

// VCF's allele for a base deleted upstream; the matrix writes it '-'.
constexpr std::string_view kDeletedBase = "*";

bool isDeletedBase(std::string_view allele) {
  return allele == "-" || allele == kDeletedBase;
}

using vcf_detail::upper;

void assignUpper(std::string& out, std::string_view text) {
  out.resize(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) out[i] = upper(text[i]);
}

// `text` equals `upperText` once upper-cased.
bool equalsUpper(std::string_view text, std::string_view upperText) {
  if (text.size() != upperText.size()) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (upper(text[i]) != upperText[i]) return false;
  }
  return true;
}

// N in either case: VCF's unknown base, a missing allele.
bool isMissingBase(std::string_view allele) {
  return allele.size() == 1 && upper(allele[0]) == 'N';
}

template <class Out>  // std::string, ByteBuffer
void appendNumber(Out& out, std::uint64_t value) {
  char digits[24];
  auto end = std::to_chars(digits, digits + sizeof digits, value).ptr;
  out.append(std::string_view(digits, static_cast<std::size_t>(end - digits)));
}

// Distinct upper-case allele texts, numbered from 1 in order of insertion.
// Kept across rows, so that their buffers are allocated once.
class AlleleList {
 public:
  void clear() {
    size_ = 0;
    index_.clear();
  }
  std::size_t size() const { return size_; }
  std::string_view operator[](std::size_t i) const { return texts_[i]; }

  /** The number of the allele equal to `text` once upper-cased, or 0. */
  std::uint32_t find(std::string_view text, std::string& key) const {
    if (size_ <= kLinearSearchLimit) {
      for (std::size_t i = 0; i < size_; ++i) {
        if (equalsUpper(text, texts_[i])) {
          return static_cast<std::uint32_t>(i + 1);
        }
      }
      return 0;
    }
    assignUpper(key, text);
    auto found = index_.find(key);
    return found == index_.end() ? 0 : found->second;
  }

  /** Adds `upperText` unless present. */
  void add(std::string_view upperText, std::string& key) {
    if (find(upperText, key) != 0) return;
    if (size_ == texts_.size()) texts_.emplace_back();
    // clear() + append(): g++ 12 warns wrongly (-Wrestrict) on assign().
    texts_[size_].clear();
    texts_[size_].append(upperText);
    ++size_;
    if (size_ == kLinearSearchLimit + 1) {
      for (std::size_t i = 0; i < size_; ++i) {
        index_.emplace(texts_[i], static_cast<std::uint32_t>(i + 1));
      }
    } else if (size_ > kLinearSearchLimit + 1) {
      index_.emplace(texts_[size_ - 1], static_cast<std::uint32_t>(size_));
    }
  }

 private:
  std::vector<std::string> texts_;  // [0, size_) in use; stable storage
  std::size_t size_ = 0;
  std::unordered_map<std::string_view, std::uint32_t> index_;
};

// Each sample's `\tx|y`, x and y the slots of its haplotypes; haploid
// samples' `\tx`.
kernels::LetterLayout genotypeLayout(std::span<const SamplePair> samples,
                                     std::size_t ploidy, std::size_t count) {
  kernels::LetterLayout layout;
  layout.count = count;
  for (const SamplePair& sample : samples) {
    const auto at = static_cast<std::uint32_t>(layout.text.size());
    layout.text.insert(layout.text.end(), {'\t', 0});
    layout.slots.push_back(at + 1);
    layout.haplotypes.push_back(
        static_cast<std::uint32_t>(sample.first - kFirstHaplotype));
    if (ploidy == 1) continue;
    layout.text.insert(layout.text.end(), {'|', 0});
    layout.slots.push_back(at + 3);
    layout.haplotypes.push_back(
        static_cast<std::uint32_t>(sample.second - kFirstHaplotype));
  }
  return layout;
}

// A thread's state: the packed rows' (vcf_detail::PackedScratch), and the
// text rows'.
class VcfScratch : public vcf_detail::PackedScratch {
 public:
  using PackedScratch::PackedScratch;

  std::string ref;  // upper case
  AlleleList alts;
  AlleleList leftOut;
  std::string key;
  std::string altUpper;
  std::vector<std::uint32_t> genotypes;
  std::vector<std::uint32_t> alleleCounts;
};

// ALT: the alts upper-cased, '-' written as '*', without those equal to REF
// or to an earlier one once upper-cased, without 'n' (missing, as 'N'), and
// with what VCF cannot carry left out (counted).
void collectAlts(std::span<const std::string_view> alts, VcfScratch& vcf) {
  vcf.alts.clear();
  vcf.leftOut.clear();
  for (std::string_view alt : alts) {
    if (isDeletedBase(alt)) {
      vcf.alts.add(kDeletedBase, vcf.key);
      continue;
    }
    if (isMissingBase(alt)) continue;
    assignUpper(vcf.altUpper, alt);
    if (vcf.altUpper == vcf.ref) continue;
    if (isVcfBases(vcf.altUpper)) {
      vcf.alts.add(vcf.altUpper, vcf.key);
    } else {
      vcf.leftOut.add(vcf.altUpper, vcf.key);
    }
  }
  vcf.allelesLeftOut = static_cast<std::uint32_t>(vcf.leftOut.size());
}

// 0 for REF, i for the i-th ALT, `missing` for N, kMissing for an allele
// left out of ALT.
std::uint32_t alleleNumber(std::string_view allele, VcfScratch& vcf,
                           std::uint32_t missing) {
  if (isMissingBase(allele)) return missing;
  if (equalsUpper(allele, vcf.ref)) return 0;
  std::uint32_t number =
      vcf.alts.find(isDeletedBase(allele) ? kDeletedBase : allele, vcf.key);
  return number != 0 ? number : kMissing;
}

void appendInfo(ByteBuffer& out, std::span<const std::uint32_t> altCounts,
                std::uint64_t called) {
  if (!altCounts.empty()) {
    out.append("AC=");
    for (std::size_t i = 0; i < altCounts.size(); ++i) {
      if (i > 0) out.push_back(',');
      appendNumber(out, altCounts[i]);
    }
    out.push_back(';');
  }
  out.append("AN=");
  appendNumber(out, called);
}

bool fitsPos(std::string_view pos, std::uint64_t most) {
  std::uint64_t value = 0;
  auto [end, error] =
      std::from_chars(pos.data(), pos.data() + pos.size(), value);
  return error == std::errc() && end == pos.data() + pos.size() &&
         value <= most;
}

}  // namespace

namespace vcf_detail {

char* writeLongNumber(char* w, char* end, std::uint32_t value) {
  return std::to_chars(w, end, value).ptr;
}

void PackedScratch::switchCount(std::span<const SamplePair> samples,
                                std::size_t ploidy, std::size_t count) {
  const kernels::LetterLayout layout = genotypeLayout(samples, ploidy, count);
  plan_ = plans_.get(kernelSet, count, 0, [&] { return layout; });
  kernels::letterText(layout, *plan_, text);
  // The layout's text is tabs and bars: none of the counted values.
  countsFromCodes = kernels::countedLanes(layout, countedLanes);
  letters.resize(plan_->lettersBytes);
  genotypeText.resize(plan_->size + kernels::kLetterSlack);
  count_ = count;
}

}  // namespace vcf_detail

bool isVcfBases(std::string_view allele) {
  return !allele.empty() &&
         allele.find_first_not_of("ACGTNacgtn") == std::string_view::npos;
}

VcfWriter::VcfWriter(std::vector<SamplePair> samples, MissingAllele missing,
                     bool haploid, bool bcf)
    : samples_(std::move(samples)),
      missing_(missing),
      ploidy_(haploid ? 1 : 2),
      maxPos_(bcf ? kBcfMaxPos : kVcfMaxPos),
      maxPosDigits_(std::to_string(maxPos_).size()),
      genotypeCount_(static_cast<std::uint32_t>(ploidy_ * samples_.size())) {
  for (std::size_t refCode = 0; refCode <= kernels::kCodeN; ++refCode) {
    std::array<std::uint8_t, 16>& table = genotypeTables_[refCode];
    table.fill('.');
    table[refCode] = '0';
    table[kernels::kCodeN] = missing_ == MissingAllele::kRef ? '0' : '.';
  }
}

std::unique_ptr<WriterScratch> VcfWriter::makeScratch(
    const kernels::KernelSet& kernels) const {
  return std::make_unique<VcfScratch>(kernels, plans_);
}

// Descriptions hold no comma: vcftools splits header values on commas.
void VcfWriter::appendHeader(std::string& out,
                             std::span<const Contig> contigs) const {
  out.append("##fileformat=VCFv4.2\n##source=hapmat ")
      .append(kVersion)
      .append("\n");
  for (const Contig& contig : contigs) {
    out.append("##contig=<ID=").append(contig.name);
    if (contig.length != 0) {
      out.append(",length=");
      appendNumber(out, contig.length);
    }
    out.append(">\n");
  }
  out.append(
      "##INFO=<ID=AC,Number=A,Type=Integer,Description=\"Allele count in "
      "genotypes for each ALT allele\">\n"
      "##INFO=<ID=AN,Number=1,Type=Integer,Description=\"Total number of "
      "alleles in called genotypes\">\n"
      "##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Phased "
      "genotype\">\n"
      "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT");
  for (const SamplePair& sample : samples_) {
    out.push_back('\t');
    out.append(sample.name);
  }
  out.push_back('\n');
}

Formatted VcfWriter::appendRow(const TextRow& row, WriterScratch& scratch,
                               ByteBuffer& out) const {
  auto& vcf = static_cast<VcfScratch&>(scratch);
  vcf.allelesLeftOut = 0;
  std::string_view chrom = row.fields[kChromColumn];
  std::string_view pos = row.fields[kPosColumn];
  std::string_view ref = row.fields[kRefColumn];
  if (!fitsPos(pos, maxPos_)) {
    vcf.problem = {chrom.size() + 2,
                   "POS " + std::string(pos) +
                       (maxPos_ == kVcfMaxPos
                            ? " is larger than VCF readers accept (htslib "
                              "reads up to "
                            : " is larger than BCF holds (htslib writes up "
                              "to ") +
                       std::to_string(maxPos_) + ")"};
    return Formatted::kBad;
  }
  if (!isVcfBases(ref)) return Formatted::kNotCarried;
  assignUpper(vcf.ref, ref);
  collectAlts(row.alts, vcf);
  const std::uint32_t missing = missing_ == MissingAllele::kRef ? 0 : kMissing;
  vcf.genotypes.clear();
  vcf.alleleCounts.assign(vcf.alts.size() + 1, 0);
  std::uint64_t called = 0;
  for (const SamplePair& sample : samples_) {
    const std::size_t columns[] = {sample.first, sample.second};
    for (std::size_t k = 0; k < ploidy_; ++k) {
      std::uint32_t number = alleleNumber(row.fields[columns[k]], vcf, missing);
      vcf.genotypes.push_back(number);
      if (number != kMissing) {
        ++called;
        ++vcf.alleleCounts[number];
      }
    }
  }

  out.append(chrom).push_back('\t');
  out.append(pos).append("\t.\t");
  out.append(vcf.ref).push_back('\t');
  if (vcf.alts.size() == 0) out.push_back('.');
  for (std::size_t i = 0; i < vcf.alts.size(); ++i) {
    if (i > 0) out.push_back(',');
    out.append(vcf.alts[i]);
  }
  out.append("\t.\t.\t");
  appendInfo(out, std::span(vcf.alleleCounts).subspan(1), called);
  out.append("\tGT");
  for (std::size_t i = 0; i < vcf.genotypes.size(); i += ploidy_) {
    out.push_back('\t');
    for (std::size_t j = i; j < i + ploidy_; ++j) {
      if (j != i) out.push_back('|');
      if (vcf.genotypes[j] == kMissing) {
        out.push_back('.');
      } else {
        appendNumber(out, vcf.genotypes[j]);
      }
    }
  }
  out.push_back('\n');
  return Formatted::kWritten;
}

}  // namespace hapmat
