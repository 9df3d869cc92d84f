#include "formats/vcf_sample_subset.hpp"

#include <algorithm>
#include <charconv>
#include <stdexcept>

namespace hapmat {

namespace {

// The fields before the genotypes: CHROM to FORMAT.
constexpr int kFixedFields = 9;
constexpr int kInfoField = 7;

void appendNumber(std::string& out, std::uint64_t value) {
  char digits[20];
  out.append(digits, std::to_chars(digits, digits + sizeof digits, value).ptr);
}

[[noreturn]] void notHapmatRecord(std::string_view line) {
  throw std::logic_error("not a VCF record hapmat writes: " +
                         std::string(line.substr(0, 80)));
}

}  // namespace

VcfSampleSubset::VcfSampleSubset(std::vector<std::size_t> kept)
    : kept_(std::move(kept)) {}

void VcfSampleSubset::apply(std::string_view records, std::string& out) {
  while (!records.empty()) {
    const std::size_t end = records.find('\n');
    if (end == std::string_view::npos) notHapmatRecord(records);
    applyLine(records.substr(0, end), out);
    records.remove_prefix(end + 1);
  }
}

void VcfSampleSubset::applyLine(std::string_view line, std::string& out) {
  std::size_t fieldStart[kFixedFields + 1];
  std::size_t at = 0;
  for (int field = 0; field <= kFixedFields; ++field) {
    fieldStart[field] = at;
    if (field == kFixedFields) break;
    at = line.find('\t', at);
    if (at == std::string_view::npos) notHapmatRecord(line);
    ++at;
  }
  const std::string_view alt =
      line.substr(fieldStart[4], fieldStart[5] - 1 - fieldStart[4]);
  const std::size_t alts = alt == "." ? 0
                                      : 1 + static_cast<std::size_t>(std::count(
                                                alt.begin(), alt.end(), ','));
  genotypes_.clear();
  for (std::string_view rest = line.substr(fieldStart[kFixedFields]);;) {
    const std::size_t tab = rest.find('\t');
    genotypes_.push_back(rest.substr(0, tab));
    if (tab == std::string_view::npos) break;
    rest.remove_prefix(tab + 1);
  }
  counts_.assign(alts + 1, 0);
  std::uint64_t called = 0;
  for (std::size_t sample : kept_) {
    if (sample >= genotypes_.size()) notHapmatRecord(line);
    for (std::string_view gt = genotypes_[sample]; !gt.empty();) {
      const std::size_t bar = gt.find('|');
      const std::string_view allele = gt.substr(0, bar);
      if (allele != ".") {
        std::size_t number = 0;
        for (char digit : allele) number = number * 10 + (digit - '0');
        if (number > alts) notHapmatRecord(line);
        ++counts_[number];
        ++called;
      }
      gt.remove_prefix(bar == std::string_view::npos ? gt.size() : bar + 1);
    }
  }
  out.append(line.substr(0, fieldStart[kInfoField]));
  if (alts > 0) {
    out.append("AC=");
    for (std::size_t number = 1; number <= alts; ++number) {
      if (number > 1) out.push_back(',');
      appendNumber(out, counts_[number]);
    }
    out.push_back(';');
  }
  out.append("AN=");
  appendNumber(out, called);
  // FORMAT, with the tab before it.
  out.append(
      line.substr(fieldStart[kInfoField + 1] - 1,
                  fieldStart[kFixedFields] - fieldStart[kInfoField + 1]));
  for (std::size_t sample : kept_) {
    out.push_back('\t');
    out.append(genotypes_[sample]);
  }
  out.push_back('\n');
}

}  // namespace hapmat
