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

// Bytes copied at once for a sample's PI field (more when it is longer).
constexpr std::size_t kPiCopyBytes = 32;

std::uint64_t loadWord(const char* p) {
  std::uint64_t word;
  std::memcpy(&word, p, sizeof word);
  return word;
}

// The number of leading decimal digits in p[0, 16) (16 if all are), eight
// bytes at a time: xor maps '0'..'9' to 0..9, and a byte is no digit when it
// or it plus 6 reaches its high nibble. A carry out of a byte can only spoil
// the bytes after the first non-digit, which do not matter. `digitsOr` gets
// the OR of the digits' values, to refuse a POS of all zeros.
std::size_t leadingDigits16(const char* p, std::uint64_t& digitsOr) {
  static_assert(std::endian::native == std::endian::little);
  constexpr std::uint64_t kZeros = 0x3030303030303030;
  constexpr std::uint64_t kSixes = 0x0606060606060606;
  constexpr std::uint64_t kHighNibbles = 0xF0F0F0F0F0F0F0F0;
  std::size_t count = 0;
  digitsOr = 0;
  for (int half = 0; half < 2; ++half) {
    std::uint64_t values = loadWord(p + count) ^ kZeros;
    std::uint64_t nonDigits = (values | (values + kSixes)) & kHighNibbles;
    if (nonDigits == 0) {
      digitsOr |= values;
      count += 8;
      continue;
    }
    std::size_t digits = std::countr_zero(nonDigits) / 8;
    digitsOr |= values & ((std::uint64_t{1} << (8 * digits)) - 1);
    return count + digits;
  }
  return count;
}

std::uint8_t codeAt(const std::uint8_t* packed, std::size_t i) {
  std::uint8_t byte = packed[i / 2];
  return (i % 2 == 0) ? (byte & 0x0F) : (byte >> 4);
}

}  // namespace

RowPhaser::RowPhaser(const RowWriter& writer,
                     const std::vector<SamplePair>& samples,
                     std::size_t columns, Delimiter delimiter)
    : general_(writer, columns, delimiter),
      table_(dynamic_cast<const HaplotypeWriter*>(&writer)),
      samples_(samples),
      columns_(columns),
      delimiter_(static_cast<char>(delimiter)),
      outDelimiter_(table_ != nullptr ? table_->delimiter() : '\t'),
      listsRefFirst_(table_ != nullptr && table_->listsRefFirst()),
      packed_(kernels::packedBytes(columns) + kPackedSlack),
      packAlleles_(kernels::packAllelesForCurrentTarget()) {}

RowOutcome RowPhaser::convert(std::string_view line, std::string& out) {
  // CHROM POS REF are parsed by hand: they are short, and a library call per
  // field costs more than the loop. Any doubt about them sends the row to the
  // general path, which names the problem.
  std::size_t chromEnd = chromLength(line);
  if (chromEnd == 0) return general_.convert(line, out);
  // POS: up to 15 digits here (far below 2^63); longer ones, and rows too
  // short for the word loads, go to the general path.
  std::size_t posStart = chromEnd + 1;
  if (posStart + 16 > line.size()) return general_.convert(line, out);
  std::uint64_t digitsOr = 0;
  std::size_t posLength = leadingDigits16(line.data() + posStart, digitsOr);
  std::size_t posEnd = posStart + posLength;
  if (posLength == 0 || posLength > 15 || digitsOr == 0 ||
      posEnd + 3 > line.size() || line[posEnd] != delimiter_ ||
      line[posEnd + 2] != delimiter_ ||
      !isFieldByte(static_cast<unsigned char>(line[posEnd + 1]))) {
    return general_.convert(line, out);
  }
  char ref = line[posEnd + 1];
  std::string_view alleles = line.substr(posEnd + 3);
  std::size_t count = columns_ - kFirstHaplotype;
  auto kind =
      packAlleles_(reinterpret_cast<const std::uint8_t*>(alleles.data()),
                   alleles.size(), count, static_cast<std::uint8_t>(delimiter_),
                   static_cast<std::uint8_t>(ref), packed_.data());
  if (kind == kernels::AlleleRow::kInvariant) return RowOutcome::kDropped;
  if (kind == kernels::AlleleRow::kGeneral) return general_.convert(line, out);

  std::uint16_t present = kernels::presenceMask(packed_.data(), count);
  unsigned notAlt = 1u << kernels::kCodeN;
  std::uint8_t refCode = kernels::alleleCode(static_cast<std::uint8_t>(ref));
  if (refCode != kernels::kNoCode) notAlt |= 1u << refCode;
  auto altMask = static_cast<std::uint16_t>(present & ~notAlt);
  if (altMask == 0) return RowOutcome::kDropped;
  std::string_view chrom = line.substr(0, chromEnd);
  std::string_view pos = line.substr(chromEnd + 1, posLength);
  if (table_ == nullptr) {
    // Lower-case REF is VCF's too, but has no code: the general path.
    if (refCode == kernels::kNoCode) return general_.convert(line, out);
    return appendPackedVcf(chrom, pos, ref, altMask, out);
  }
  appendPacked(chrom, pos, ref, altMask, out);
  return RowOutcome::kWritten;
}

// The length of a valid CHROM field followed by the delimiter, else 0.
std::size_t RowPhaser::chromLength(std::string_view line) {
  if (chromWordMask_ != 0 && line.size() >= 8) {
    if ((loadWord(line.data()) & chromWordMask_) == chromWord_) {
      return chromField_.size() - 1;
    }
  } else if (!chromField_.empty() && line.starts_with(chromField_)) {
    return chromField_.size() - 1;
  }
  std::size_t end = 0;
  while (end < line.size() && line[end] != delimiter_) {
    if (!isFieldByte(static_cast<unsigned char>(line[end]))) return 0;
    ++end;
  }
  if (end == 0 || end == line.size()) return 0;
  rememberChrom(line.substr(0, end));
  return end;
}

void RowPhaser::rememberChrom(std::string_view chrom) {
  chromField_.assign(chrom);
  chromField_.push_back(delimiter_);
  chromWordMask_ = 0;
  if (chromField_.size() <= 8) {
    char padded[8] = {};
    std::memcpy(padded, chromField_.data(), chromField_.size());
    chromWord_ = loadWord(padded);
    chromWordMask_ = chromField_.size() == 8
                         ? ~std::uint64_t{0}
                         : (std::uint64_t{1} << (8 * chromField_.size())) - 1;
  }
  sampleChrom_.assign(1, outDelimiter_);
  sampleChrom_.append(chrom);
  sampleChrom_.push_back(outDelimiter_);
  sampleChromSize_ = sampleChrom_.size();
  sampleChrom_.resize(std::max(sampleChromSize_, kPiCopyBytes));
}

// Alts in order of first appearance: at most 15 codes, each found by a
// vector search that usually stops in the first few bytes.
std::size_t RowPhaser::orderAlts(std::uint16_t altMask,
                                 std::array<std::uint8_t, 16>& codes) const {
  std::size_t count = columns_ - kFirstHaplotype;
  std::array<std::pair<std::size_t, std::uint8_t>, 16> found;
  std::size_t altCount = 0;
  for (std::uint16_t rest = altMask; rest != 0; rest &= rest - 1) {
    auto code = static_cast<std::uint8_t>(std::countr_zero(rest));
    found[altCount++] = {kernels::firstIndexOf(packed_.data(), count, code),
                         code};
  }
  std::sort(found.begin(), found.begin() + altCount);
  for (std::size_t i = 0; i < altCount; ++i) codes[i] = found[i].second;
  return altCount;
}

// VCF (SPEC §6) from the codes, as VcfWriter writes it. The codes are single
// bytes: REF must be one of A C G T N; ALT keeps A C G T and '-' (as '*'),
// and leaves out the IUPAC codes. At most 5 ALT alleles: one digit each.
RowOutcome RowPhaser::appendPackedVcf(std::string_view chrom,
                                      std::string_view pos, char ref,
                                      std::uint16_t altMask, std::string& out) {
  RowWriterState& counts = general_.formatState();
  std::uint8_t refCode = kernels::alleleCode(static_cast<std::uint8_t>(ref));
  if (refCode > kernels::kCodeN) {  // '-' or an IUPAC code
    ++counts.rowsNotCarried;
    return RowOutcome::kDropped;
  }
  std::array<std::uint8_t, 16> alts;
  std::size_t altCount = orderAlts(altMask, alts);
  std::array<char, 16> genotype;
  genotype.fill('.');
  genotype[refCode] = '0';
  std::array<std::uint8_t, 16> kept;
  std::size_t keptCount = 0;
  for (std::size_t i = 0; i < altCount; ++i) {
    std::uint8_t code = alts[i];
    if (code < kernels::kCodeN || code == kernels::kCodeGap) {
      genotype[code] = static_cast<char>('1' + keptCount);
      kept[keptCount++] = code;
    } else {
      ++counts.allelesNotCarried;
    }
  }
  genotype[kernels::kCodeN] = '.';

  std::array<std::uint32_t, 16> seen{};
  for (const SamplePair& sample : samples_) {
    ++seen[codeAt(packed_.data(), sample.first - kFirstHaplotype)];
    ++seen[codeAt(packed_.data(), sample.second - kFirstHaplotype)];
  }
  std::uint32_t called = 0;
  for (std::size_t code = 0; code < 16; ++code) {
    if (genotype[code] != '.') called += seen[code];
  }

  out.append(chrom).push_back('\t');
  out.append(pos).append("\t.\t");
  out.push_back(ref);
  out.push_back('\t');
  for (std::size_t i = 0; i < keptCount; ++i) {
    if (i > 0) out.push_back(',');
    out.push_back(
        kept[i] == kernels::kCodeGap ? '*' : kernels::kAlleleAlphabet[kept[i]]);
  }
  if (keptCount == 0) out.push_back('.');
  out.append("\t.\t.\t");
  if (keptCount > 0) {
    out.append("AC=");
    for (std::size_t i = 0; i < keptCount; ++i) {
      if (i > 0) out.push_back(',');
      out.append(std::to_string(seen[kept[i]]));
    }
    out.push_back(';');
  }
  out.append("AN=").append(std::to_string(called)).append("\tGT");
  std::size_t used = out.size();
  out.resize(used + 4 * samples_.size() + 1);
  char* w = out.data() + used;
  for (const SamplePair& sample : samples_) {
    w[0] = '\t';
    w[1] = genotype[codeAt(packed_.data(), sample.first - kFirstHaplotype)];
    w[2] = '|';
    w[3] = genotype[codeAt(packed_.data(), sample.second - kFirstHaplotype)];
    w += 4;
  }
  *w = '\n';
  return RowOutcome::kWritten;
}

// Writes through a pointer into space reserved once: the row's length is
// known before it is written.
void RowPhaser::appendPacked(std::string_view chrom, std::string_view pos,
                             char ref, std::uint16_t altMask,
                             std::string& out) {
  std::array<std::uint8_t, 16> alts;
  std::size_t altCount = orderAlts(altMask, alts);
  std::size_t sampleBytes = sampleChromSize_ + 3;  // PI, then "x|y"
  std::size_t rowBytes = chrom.size() + pos.size() + 4 +
                         (listsRefFirst_ ? 2 : 0) + 2 * altCount - 1 +
                         samples_.size() * sampleBytes + 1;
  std::size_t used = out.size();
  // Room for the last fixed-size PI copy to spill over, cut off at the end.
  out.resize(used + rowBytes + sampleChrom_.size());
  char* w = out.data() + used;
  auto put = [&w](std::string_view text) {
    std::memcpy(w, text.data(), text.size());
    w += text.size();
  };
  put(chrom);
  *w++ = outDelimiter_;
  put(pos);
  *w++ = outDelimiter_;
  *w++ = ref;
  *w++ = outDelimiter_;
  if (listsRefFirst_) {
    *w++ = ref;
    *w++ = ',';
  }
  for (std::size_t i = 0; i < altCount; ++i) {
    if (i > 0) *w++ = ',';
    *w++ = kernels::kAlleleAlphabet[alts[i]];
  }
  // N and - read as REF in the genotypes.
  std::array<char, 16> letters;
  std::memcpy(letters.data(), kernels::kAlleleAlphabet, 16);
  letters[kernels::kCodeN] = ref;
  letters[kernels::kCodeGap] = ref;
  for (const SamplePair& sample : samples_) {
    if (sampleChrom_.size() == kPiCopyBytes) {
      std::memcpy(w, sampleChrom_.data(), kPiCopyBytes);
      w += sampleChromSize_;
    } else {
      put(sampleChrom_);
    }
    w[0] = letters[codeAt(packed_.data(), sample.first - kFirstHaplotype)];
    w[1] = '|';
    w[2] = letters[codeAt(packed_.data(), sample.second - kFirstHaplotype)];
    w += 3;
  }
  *w = '\n';
  out.resize(used + rowBytes);
}

}  // namespace hapmat
