#include "vcf_writer.hpp"

#include <algorithm>
#include <charconv>
#include <limits>

#include "hapmat/error.hpp"
#include "hapmat/version.hpp"

namespace hapmat {

namespace {

constexpr std::uint32_t kMissing = std::numeric_limits<std::uint32_t>::max();

// Past this many ALT alleles a linear search per genotype would make wide
// rows of distinct alleles quadratic.
constexpr std::size_t kLinearSearchLimit = 16;

// VCF's allele for a base deleted upstream; the matrix writes it '-'.
constexpr std::string_view kDeletedBase = "*";

bool isDeletedBase(std::string_view allele) {
  return allele == "-" || allele == kDeletedBase;
}

void appendNumber(std::string& out, std::uint64_t value) {
  char digits[24];
  auto end = std::to_chars(digits, digits + sizeof digits, value).ptr;
  out.append(digits, end);
}

void appendGenotype(std::string& out, std::uint32_t number) {
  if (number == kMissing) {
    out.push_back('.');
  } else {
    appendNumber(out, number);
  }
}

[[noreturn]] void faiError(const std::string& source, std::size_t line,
                           std::size_t column, const std::string& reason) {
  throw UsageError(source + ":" + std::to_string(line) + ":" +
                   std::to_string(column) + ": " + reason);
}

Contig parseFaiLine(std::string_view line, const std::string& source,
                    std::size_t number) {
  std::size_t nameEnd = line.find('\t');
  if (nameEnd == 0) faiError(source, number, 1, "empty sequence name");
  if (nameEnd == std::string_view::npos) {
    faiError(source, number, line.size() + 1,
             "expected NAME<TAB>LENGTH (a samtools faidx index)");
  }
  std::string_view length = line.substr(nameEnd + 1);
  length = length.substr(0, length.find('\t'));
  Contig contig{std::string(line.substr(0, nameEnd)), 0};
  auto [end, error] = std::from_chars(
      length.data(), length.data() + length.size(), contig.length);
  if (length.empty() || error != std::errc() ||
      end != length.data() + length.size() || contig.length == 0) {
    faiError(source, number, nameEnd + 2,
             "sequence length '" + std::string(length) +
                 "' is not a positive integer");
  }
  return contig;
}

}  // namespace

std::vector<Contig> parseFai(std::string_view text, const std::string& source) {
  std::vector<Contig> contigs;
  for (std::size_t number = 1; !text.empty(); ++number) {
    std::size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    if (line.ends_with('\r')) line.remove_suffix(1);
    if (!line.empty()) contigs.push_back(parseFaiLine(line, source, number));
  }
  return contigs;
}

bool isVcfBases(std::string_view allele) {
  return !allele.empty() &&
         allele.find_first_not_of("ACGTNacgtn") == std::string_view::npos;
}

VcfWriter::VcfWriter(std::vector<SamplePair> samples,
                     std::vector<Contig> contigs)
    : samples_(std::move(samples)), contigs_(std::move(contigs)) {}

void VcfWriter::appendHeader(std::string& out) const {
  out.append("##fileformat=VCFv4.2\n##source=hapmat ")
      .append(kVersion)
      .append("\n");
  for (const Contig& contig : contigs_) {
    out.append("##contig=<ID=").append(contig.name).append(",length=");
    appendNumber(out, contig.length);
    out.append(">\n");
  }
  out.append(
      "##INFO=<ID=AC,Number=A,Type=Integer,Description=\"Allele count in "
      "genotypes, for each ALT allele\">\n"
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

bool VcfWriter::appendRow(std::string& out,
                          std::span<const std::string_view> fields,
                          std::span<const std::string_view> alts,
                          RowWriterState& state) const {
  std::string_view ref = fields[kRefColumn];
  if (!isVcfBases(ref)) {
    ++state.rowsNotCarried;
    return false;
  }
  collectAlts(alts, state);
  state.genotypes.clear();
  state.alleleCounts.assign(state.alleles.size() + 1, 0);
  std::uint64_t called = 0;
  for (const SamplePair& sample : samples_) {
    for (std::size_t column : {sample.first, sample.second}) {
      std::uint32_t number = alleleNumber(fields[column], ref, state);
      state.genotypes.push_back(number);
      if (number != kMissing) {
        ++called;
        ++state.alleleCounts[number];
      }
    }
  }

  out.append(fields[kChromColumn]).push_back('\t');
  out.append(fields[kPosColumn]).append("\t.\t");
  out.append(ref).push_back('\t');
  if (state.alleles.empty()) out.push_back('.');
  for (std::size_t i = 0; i < state.alleles.size(); ++i) {
    if (i > 0) out.push_back(',');
    out.append(state.alleles[i]);
  }
  out.append("\t.\t.\t");
  if (!state.alleles.empty()) {
    out.append("AC=");
    for (std::size_t i = 1; i < state.alleleCounts.size(); ++i) {
      if (i > 1) out.push_back(',');
      appendNumber(out, state.alleleCounts[i]);
    }
    out.push_back(';');
  }
  out.append("AN=");
  appendNumber(out, called);
  out.append("\tGT");
  for (std::size_t i = 0; i < state.genotypes.size(); i += 2) {
    out.push_back('\t');
    appendGenotype(out, state.genotypes[i]);
    out.push_back('|');
    appendGenotype(out, state.genotypes[i + 1]);
  }
  out.push_back('\n');
  return true;
}

// ALT: the alts in order, '-' written as '*' (one allele with '*'), and
// what VCF cannot carry left out.
void VcfWriter::collectAlts(std::span<const std::string_view> alts,
                            RowWriterState& state) {
  state.alleles.clear();
  bool hasDeletedBase = false;
  for (std::string_view alt : alts) {
    if (isDeletedBase(alt)) {
      if (!hasDeletedBase) state.alleles.push_back(kDeletedBase);
      hasDeletedBase = true;
    } else if (isVcfBases(alt)) {
      state.alleles.push_back(alt);
    } else {
      ++state.allelesNotCarried;
    }
  }
  if (state.alleles.size() > kLinearSearchLimit) {
    state.alleleIndex.clear();
    for (std::size_t i = 0; i < state.alleles.size(); ++i) {
      state.alleleIndex.emplace(state.alleles[i],
                                static_cast<std::uint32_t>(i + 1));
    }
  }
}

// 0 for REF, i for the i-th ALT, kMissing for N and uncarried alleles.
std::uint32_t VcfWriter::alleleNumber(std::string_view allele,
                                      std::string_view ref,
                                      const RowWriterState& state) {
  if (allele == "N") return kMissing;
  if (allele == ref) return 0;
  if (isDeletedBase(allele)) allele = kDeletedBase;
  const auto& alleles = state.alleles;
  if (alleles.size() > kLinearSearchLimit) {
    auto found = state.alleleIndex.find(allele);
    return found == state.alleleIndex.end() ? kMissing : found->second;
  }
  auto found = std::find(alleles.begin(), alleles.end(), allele);
  return found == alleles.end()
             ? kMissing
             : static_cast<std::uint32_t>(found - alleles.begin() + 1);
}

}  // namespace hapmat
