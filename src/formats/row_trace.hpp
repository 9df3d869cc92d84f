#pragma once
// The reference sequence of a stretch of rows, and which rows were written:
// what VCF deletions need besides the written records, since a deletion is
// anchored on (and left-aligned through) rows that are not written.

#include <charconv>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace hapmat {

/** Marks a row in RowTrace::rows that was written as a record. */
inline constexpr char kTraceWritten = static_cast<char>(0x80);
/** Marks a row in RowTrace::rows that is not written but has missing
 * alleles (RowTrace::missingLines has its line), for a deletion that takes
 * it in to spell them N. */
inline constexpr char kTraceAside = 0x20;

/** A row's REF as a trace base: upper-cased when it is one base of ACGTN,
 * else 0 (no base a deletion can be anchored on). */
inline char traceBase(std::string_view ref) {
  if (ref.size() != 1) return 0;
  switch (ref[0]) {
    case 'A':
    case 'C':
    case 'G':
    case 'T':
    case 'N':
      return ref[0];
    case 'a':
    case 'c':
    case 'g':
    case 't':
    case 'n':
      return static_cast<char>(ref[0] - 32);
    default:
      return 0;
  }
}

/** The rows of a stretch, in order (bad rows left out). */
struct RowTrace {
  /** Where positions stop following one another: a new CHROM, or a POS
   * that is not the previous one's + 1. The first row always starts one. */
  struct Start {
    std::size_t row = 0;
    std::string chrom;
    std::uint64_t pos = 0;
  };

  /// One byte a row: its traceBase(), or-ed with kTraceWritten or
  /// kTraceAside.
  std::string rows;
  std::vector<Start> starts;
  /// The lines of the kTraceAside rows, in order; they live as long as the
  /// stretch's text.
  std::vector<std::string_view> missingLines;

  /** Records a row; `chromVersion` changes whenever `chrom` may have. */
  [[gnu::always_inline]] void add(std::uint64_t chromVersion,
                                  std::string_view chrom, std::string_view pos,
                                  std::string_view ref, char mark) {
    rows.push_back(static_cast<char>(traceBase(ref) | mark));
    const bool sameChrom = chromVersion == chromVersion_;
    chromVersion_ = chromVersion;
    ++nextPos_;
    // Most rows: the same CHROM, POS spelled as the previous one's + 1.
    if (sameChrom && pos.size() == nextPosText_.size() &&
        sameDigits(pos.data(), nextPosText_.data(), pos.size())) {
      if (nextPosText_.back() != '9') {
        ++nextPosText_.back();
      } else {
        increment(nextPosText_);  // every tenth row: a carry
      }
      return;
    }
    addOther(sameChrom, chrom, pos);
  }

  /** Records an invariant row with a missing allele, and its line. */
  void addMissing(std::uint64_t chromVersion, std::string_view chrom,
                  std::string_view pos, std::string_view ref,
                  std::string_view line) {
    add(chromVersion, chrom, pos, ref, kTraceAside);
    missingLines.push_back(line);
  }

  void clear() {
    rows.clear();
    starts.clear();
    missingLines.clear();
    chromVersion_ = ~std::uint64_t{0};
  }

 private:
  // The rest of add(), out of line: a POS that may start a stretch.
  [[gnu::noinline]] void addOther(bool sameChrom, std::string_view chrom,
                                  std::string_view pos) {
    std::uint64_t value = 0;
    std::from_chars(pos.data(), pos.data() + pos.size(), value);
    if (rows.size() == 1 || value + 1 != nextPos_ ||
        (!sameChrom && chrom != starts.back().chrom)) {
      starts.push_back({rows.size() - 1, std::string(chrom), value});
      nextPos_ = value + 1;
    }
    nextPosText_.assign(pos);
    increment(nextPosText_);
  }

  // a == b for n bytes, in two overlapping loads when n is 4 to 16: POS is
  // compared on every row.
  static bool sameDigits(const char* a, const char* b, std::size_t n) {
    if (n >= 8 && n <= 16) {
      return load<std::uint64_t>(a) == load<std::uint64_t>(b) &&
             load<std::uint64_t>(a + n - 8) == load<std::uint64_t>(b + n - 8);
    }
    if (n >= 4 && n < 8) {
      return load<std::uint32_t>(a) == load<std::uint32_t>(b) &&
             load<std::uint32_t>(a + n - 4) == load<std::uint32_t>(b + n - 4);
    }
    return std::memcmp(a, b, n) == 0;
  }

  template <class Word>
  static Word load(const char* bytes) {
    Word word;
    std::memcpy(&word, bytes, sizeof word);
    return word;
  }

  static void increment(std::string& digits) {
    for (std::size_t i = digits.size(); i-- > 0;) {
      if (digits[i] != '9') {
        ++digits[i];
        return;
      }
      digits[i] = '0';
    }
    digits.insert(digits.begin(), '1');
  }

  std::uint64_t chromVersion_ = ~std::uint64_t{0};
  std::uint64_t nextPos_ = 0;
  std::string nextPosText_;
};

}  // namespace hapmat
