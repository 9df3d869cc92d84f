#include "row_phaser.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cstring>

#include "kernels/pack.h"
#include "kernels/phase.h"

namespace hapmat {

namespace {

// Slack after the packed codes, so that kernels may store whole vectors.
constexpr std::size_t kPackedSlack = 64;

bool isFieldByte(unsigned char byte) { return byte > 0x20 && byte != 0x7F; }

std::uint8_t codeAt(const std::uint8_t* packed, std::size_t i) {
  std::uint8_t byte = packed[i / 2];
  return (i % 2 == 0) ? (byte & 0x0F) : (byte >> 4);
}

}  // namespace

RowPhaser::RowPhaser(const HaplotypeWriter& writer,
                     const std::vector<SamplePair>& samples,
                     std::size_t columns, Delimiter delimiter,
                     Delimiter outDelimiter)
    : general_(writer, columns, delimiter),
      samples_(samples),
      columns_(columns),
      delimiter_(static_cast<char>(delimiter)),
      outDelimiter_(static_cast<char>(outDelimiter)),
      packed_(kernels::packedBytes(columns) + kPackedSlack) {}

RowOutcome RowPhaser::convert(std::string_view line, std::string& out) {
  // CHROM POS REF: short fields, found with memchr; any doubt about them
  // sends the row to the general path, which names the problem.
  std::size_t chromEnd = line.find(delimiter_);
  if (chromEnd == std::string_view::npos) return general_.convert(line, out);
  std::size_t posEnd = line.find(delimiter_, chromEnd + 1);
  if (posEnd == std::string_view::npos || posEnd + 2 >= line.size() ||
      line[posEnd + 2] != delimiter_) {
    return general_.convert(line, out);
  }
  std::string_view chrom = line.substr(0, chromEnd);
  std::string_view pos = line.substr(chromEnd + 1, posEnd - chromEnd - 1);
  char ref = line[posEnd + 1];
  if (!isFieldByte(static_cast<unsigned char>(ref)) || !isValidPos(pos) ||
      !isKnownGoodChrom(chrom)) {
    return general_.convert(line, out);
  }
  std::string_view alleles = line.substr(posEnd + 3);
  std::size_t count = columns_ - kFirstHaplotype;
  auto kind = kernels::packAlleles(
      reinterpret_cast<const std::uint8_t*>(alleles.data()), alleles.size(),
      count, static_cast<std::uint8_t>(delimiter_),
      static_cast<std::uint8_t>(ref), packed_.data());
  if (kind == kernels::AlleleRow::kInvariant) return RowOutcome::kDropped;
  if (kind == kernels::AlleleRow::kGeneral) return general_.convert(line, out);

  std::uint16_t present = kernels::presenceMask(packed_.data(), count);
  unsigned notAlt = 1u << kernels::kCodeN;
  std::uint8_t refCode = kernels::alleleCode(static_cast<std::uint8_t>(ref));
  if (refCode != kernels::kNoCode) notAlt |= 1u << refCode;
  auto altMask = static_cast<std::uint16_t>(present & ~notAlt);
  if (altMask == 0) return RowOutcome::kDropped;
  appendPacked(chrom, pos, ref, altMask, out);
  return RowOutcome::kWritten;
}

bool RowPhaser::isKnownGoodChrom(std::string_view chrom) {
  if (chrom == lastChrom_) return true;
  if (chrom.empty() || !std::all_of(chrom.begin(), chrom.end(), [](char c) {
        return isFieldByte(static_cast<unsigned char>(c));
      })) {
    return false;
  }
  lastChrom_.assign(chrom);
  return true;
}

void RowPhaser::appendPacked(std::string_view chrom, std::string_view pos,
                             char ref, std::uint16_t altMask,
                             std::string& out) {
  std::size_t count = columns_ - kFirstHaplotype;
  // Alts in order of first appearance: at most 15 codes, each found by a
  // vector search that usually stops in the first few bytes.
  std::array<std::pair<std::size_t, std::uint8_t>, 16> alts;
  std::size_t altCount = 0;
  for (std::uint16_t rest = altMask; rest != 0; rest &= rest - 1) {
    auto code = static_cast<std::uint8_t>(std::countr_zero(rest));
    alts[altCount++] = {kernels::firstIndexOf(packed_.data(), count, code),
                        code};
  }
  std::sort(alts.begin(), alts.begin() + altCount);

  out.append(chrom);
  out.push_back(outDelimiter_);
  out.append(pos);
  out.push_back(outDelimiter_);
  out.push_back(ref);
  out.push_back(outDelimiter_);
  for (std::size_t i = 0; i < altCount; ++i) {
    if (i > 0) out.push_back(',');
    out.push_back(kernels::kAlleleAlphabet[alts[i].second]);
  }
  // N and - read as REF in the genotypes.
  std::array<char, 16> letters;
  std::memcpy(letters.data(), kernels::kAlleleAlphabet, 16);
  letters[kernels::kCodeN] = ref;
  letters[kernels::kCodeGap] = ref;
  for (const SamplePair& sample : samples_) {
    out.push_back(outDelimiter_);
    out.append(chrom);
    out.push_back(outDelimiter_);
    out.push_back(
        letters[codeAt(packed_.data(), sample.first - kFirstHaplotype)]);
    out.push_back('|');
    out.push_back(
        letters[codeAt(packed_.data(), sample.second - kFirstHaplotype)]);
  }
  out.push_back('\n');
}

}  // namespace hapmat
