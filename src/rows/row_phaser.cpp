#include "rows/row_phaser.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cstring>

namespace hapmat {

namespace {

using phaser_detail::loadWord;

// The value of a POS of at most 15 digits.
std::uint64_t parseDigits(std::string_view digits) {
  std::uint64_t value = 0;
  for (char digit : digits)
    value = value * 10 + static_cast<unsigned>(digit - '0');
  return value;
}

// A POS of 1 to 15 digits at `digits`, 16 bytes readable, as a key that
// orders as the positions do: the digits' values right-aligned in 16 bytes,
// read as one big-endian number (leading zeros add nothing). Cheaper than
// parsing, which multiplies per digit.
auto posKey(const char* digits, std::size_t length) {
  constexpr std::uint64_t kZeros = 0x3030303030303030;
  __extension__ typedef unsigned __int128 Key;
  const Key bigEndian =
      (Key{__builtin_bswap64(loadWord(digits) ^ kZeros)} << 64) |
      __builtin_bswap64(loadWord(digits + 8) ^ kZeros);
  return bigEndian >> (8 * (16 - length));
}

// The key of a position: above every POS key from 10^16 on (17 digits).
auto posKeyOf(std::uint64_t value) {
  __extension__ typedef unsigned __int128 Key;
  if (value >= 10'000'000'000'000'000u) return ~Key{0};
  Key key = 0;
  for (unsigned shift = 0; value != 0; value /= 10, shift += 8) {
    key |= Key{value % 10} << shift;
  }
  return key;
}

// A POS of 1 to 8 digits (8 bytes readable: convert checks 16) as a key
// that orders as the positions do: the digits' values right-aligned in 8
// bytes, read as one big-endian number (leading zeros add nothing).
std::uint64_t shortPosKey(const char* digits, std::size_t length) {
  constexpr std::uint64_t kZeros = 0x3030303030303030;
  return __builtin_bswap64(loadWord(digits) ^ kZeros) >> (64 - 8 * length);
}

// The short key of a position below 10^8; ~0 from there on, above every
// short key.
std::uint64_t shortPosKeyOf(std::uint64_t value) {
  if (value >= 100'000'000) return ~std::uint64_t{0};
  return static_cast<std::uint64_t>(posKeyOf(value));
}

}  // namespace

RowPhaser::RowPhaser(const RowWriter& writer, std::size_t columns,
                     Delimiter delimiter, const kernels::KernelSet& kernels,
                     const RowSelection& selection)
    : writer_(writer),
      general_(writer, columns, delimiter, selection),
      scratch_(writer.makeScratch(kernels)),
      columns_(columns),
      allelesSize_(2 * (columns - kFirstHaplotype) - 1),
      delimiter_(static_cast<char>(delimiter)),
      packed_(kernels::packedBytes(columns) + kernels::kPackedSlack),
      kernels_(kernels),
      allSites_(selection.allSites),
      selects_(selection.regions != nullptr || selection.allSites) {
  if (selection.regions) regions_.emplace(*selection.regions);
}

// Out of the hot path of rows without regions (inline, it would cost their
// every row a few instructions). Most rows: a POS of at most 8 digits, its
// key compared with the run the last row was in; longer ones, two compares
// of 128-bit keys. A row out of the run (or of another CHROM) looks its own
// run up.
bool RowPhaser::outsideRegions() {
  const std::string_view pos = packedFacts().pos;
  if (run_.chromVersion == chromVersion_) [[likely]] {
    if (pos.size() <= 8) [[likely]] {
      const std::uint64_t key = shortPosKey(pos.data(), pos.size());
      if (key >= run_.shortFrom && key <= run_.shortTo) return !run_.inside;
    } else {
      const PosKey key = posKey(pos.data(), pos.size());
      if (key >= run_.from && key <= run_.to) return !run_.inside;
    }
  }
  return outsideNewRun();  // a tail call: the common path saves no register
}

bool RowPhaser::outsideNewRun() {
  const RowFacts facts = packedFacts();
  const RegionRun run = regions_->runAt(facts.chrom, parseDigits(facts.pos));
  run_ = {chromVersion_,      shortPosKeyOf(run.from), shortPosKeyOf(run.to),
          posKeyOf(run.from), posKeyOf(run.to),        run.inside};
  return !run.inside;
}

RowOutcome RowPhaser::convert(std::string_view line, ByteBuffer& out) {
  Fixed fixed;
  if (!parseFixed(line, fixed)) return convertGeneral(line, out);
  const PackInput in = packInput(line, fixed);
  return convertPacked(line, fixed,
                       kernels_.packAlleles(in.text, in.size, in.count,
                                            in.delimiter, in.ref, in.packed),
                       out, writer_, phaser_detail::hasAllele);
}

// --all-sites: the codes of an invariant row, whose alleles are REF or N,
// which packAlleles does not write. Packed against `N` as REF, the row is
// one of codes (kPacked) unless REF has none (lower case: kGeneral). A row
// of only N is all the N code.
kernels::PackedAlleles RowPhaser::packInvariant(std::string_view alleles,
                                                char ref) {
  if (kernels::alleleCode(static_cast<std::uint8_t>(ref)) == kernels::kNoCode) {
    return {};
  }
  std::size_t count = columns_ - kFirstHaplotype;
  kernels::PackedAlleles packed = kernels_.packAlleles(
      reinterpret_cast<const std::uint8_t*>(alleles.data()), alleles.size(),
      count, static_cast<std::uint8_t>(delimiter_), 'N', packed_.data());
  if (packed.kind == kernels::AlleleRow::kInvariant) {
    const std::size_t bytes = kernels::packedBytes(count);
    std::fill_n(packed_.begin(), bytes,
                static_cast<std::uint8_t>(kernels::kCodeN * 0x11));
    if (count % 2 != 0) packed_[bytes - 1] = kernels::kCodeN;
    packed = {kernels::AlleleRow::kPacked, 1u << kernels::kCodeN};
  }
  return packed;
}

// A CHROM other than the last one's: checked, then remembered.
std::size_t RowPhaser::newChromLength(std::string_view line) {
  std::size_t end = 0;
  while (end < line.size() && line[end] != delimiter_) {
    if (!phaser_detail::isFieldByte(static_cast<unsigned char>(line[end]))) {
      return 0;
    }
    ++end;
  }
  if (end == 0 || end == line.size()) return 0;
  rememberChrom(line.substr(0, end));
  return end;
}

void RowPhaser::rememberChrom(std::string_view chrom) {
  ++chromVersion_;
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
}

// Two or more alts in order of first appearance: at most 15 codes, each
// found by a vector search that usually stops in the first few bytes.
std::size_t RowPhaser::orderAlts(std::uint16_t altMask,
                                 std::array<std::uint8_t, 16>& codes) const {
  std::size_t count = columns_ - kFirstHaplotype;
  std::array<std::size_t, 16> firsts;
  std::size_t altCount = 0;
  // Insertion by first index: few alts, so fewer steps than a sort.
  for (std::uint16_t rest = altMask; rest != 0; rest &= rest - 1) {
    auto code = static_cast<std::uint8_t>(std::countr_zero(rest));
    std::size_t first = kernels_.firstIndexOf(packed_.data(), count, code);
    std::size_t at = altCount++;
    for (; at > 0 && firsts[at - 1] > first; --at) {
      firsts[at] = firsts[at - 1];
      codes[at] = codes[at - 1];
    }
    firsts[at] = first;
    codes[at] = code;
  }
  return altCount;
}

}  // namespace hapmat
