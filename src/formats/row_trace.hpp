#pragma once
// The reference sequence of a stretch of rows, and which rows were written:
// what VCF deletions need besides the written records, since a deletion is
// anchored on (and left-aligned through) rows that are not written.

#include <algorithm>
#include <array>
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

namespace trace_detail {

// traceBase() of a one-base REF, by its byte: a table, since every row
// looks it up.
inline constexpr auto kBases = [] {
  std::array<char, 256> bases{};
  for (const char base : {'A', 'C', 'G', 'T', 'N'}) {
    bases[static_cast<unsigned char>(base)] = base;
    bases[static_cast<unsigned char>(base + 32)] = base;
  }
  return bases;
}();

}  // namespace trace_detail

/** A row's REF as a trace base: upper-cased when it is one base of ACGTN,
 * else 0 (no base a deletion can be anchored on). */
inline char traceBase(std::string_view ref) {
  return ref.size() == 1
             ? trace_detail::kBases[static_cast<unsigned char>(ref[0])]
             : 0;
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

  std::vector<Start> starts;
  /// The lines of the kTraceAside rows, in order (pushed by the caller with
  /// each); they live as long as the stretch's text.
  std::vector<std::string_view> missingLines;

  /// One byte a row: its traceBase(), or-ed with kTraceWritten or
  /// kTraceAside.
  std::string_view marks() const { return {marks_.data(), rows_}; }

  /** Records a row; `chromVersion` changes whenever `chrom` may have. */
  [[gnu::always_inline]] void add(std::uint64_t chromVersion,
                                  std::string_view chrom, std::string_view pos,
                                  std::string_view ref, char mark) {
    // A byte stored into room made ahead: std::string::push_back checks
    // its capacity through the short-string case and stores a terminator.
    if (rows_ == marks_.size()) grow();
    marks_[rows_++] = static_cast<char>(traceBase(ref) | mark);
    const bool sameChrom = chromVersion == chromVersion_;
    chromVersion_ = chromVersion;
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

  void clear() {
    rows_ = 0;
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
    const std::size_t row = rows_ - 1;
    if (row == 0 || value != starts.back().pos + (row - starts.back().row) ||
        (!sameChrom && chrom != starts.back().chrom)) {
      starts.push_back({row, std::string(chrom), value});
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

  [[gnu::noinline]] void grow() {
    marks_.resize(std::max<std::size_t>(4096, 2 * marks_.size()));
  }

  std::string marks_;     // the first rows_ bytes are the rows'
  std::size_t rows_ = 0;  // rows recorded
  std::uint64_t chromVersion_ = ~std::uint64_t{0};
  std::string nextPosText_;
};

}  // namespace hapmat
