#include "rows/text_row_converter.hpp"

#include <algorithm>
#include <charconv>
#include <span>

namespace hapmat {

namespace {

bool isN(std::string_view allele) { return allele == "N" || allele == "n"; }

// A missing allele in a row whose REF is a base other than N.
bool hasMissing(std::span<const std::string_view> haplotypes,
                std::string_view ref) {
  return !isN(ref) && std::any_of(haplotypes.begin(), haplotypes.end(), isN);
}

}  // namespace

TextRowConverter::TextRowConverter(const RowWriter& writer, std::size_t columns,
                                   Delimiter delimiter,
                                   const RowSelection& selection)
    : writer_(writer),
      scratch_(writer.makeScratch(kernels::scalarTwins())),
      columns_(columns),
      delimiter_(static_cast<char>(delimiter)),
      allSites_(selection.allSites) {
  if (selection.regions) regions_.emplace(*selection.regions);
}

RowOutcome TextRowConverter::convert(std::string_view line, ByteBuffer& out) {
  missingInvariant_ = false;
  if (auto problem = splitRow(line, delimiter_, columns_, fields_)) {
    problem_ = std::move(*problem);
    return RowOutcome::kBad;
  }
  facts_ = {fields_[kChromColumn], fields_[kPosColumn],
            fields_[kRefColumn].size(), fields_[kRefColumn]};
  ++rows_;
  if (regions_) {
    std::uint64_t pos = 0;  // splitRow checked it: below 2^63
    std::from_chars(facts_.pos.data(), facts_.pos.data() + facts_.pos.size(),
                    pos);
    if (!regions_->contains(facts_.chrom, pos)) return RowOutcome::kOutside;
  }
  std::span<const std::string_view> haplotypes(
      fields_.begin() + kFirstHaplotype, fields_.end());
  altFinder_.find(fields_[kRefColumn], haplotypes, alts_);
  if (alts_.empty() && !allSites_) {
    missingInvariant_ =
        tracksMissing_ && hasMissing(haplotypes, fields_[kRefColumn]);
    return RowOutcome::kInvariant;
  }
  RowOutcome outcome =
      outcomeOf(writer_.appendRow({fields_, alts_}, *scratch_, out));
  if (outcome == RowOutcome::kBad) problem_ = scratch_->problem;
  return outcome;
}

}  // namespace hapmat
