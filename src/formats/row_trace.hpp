#pragma once
// The reference sequence of a stretch of rows, and which rows were written:
// what VCF deletions need besides the written records, since a deletion is
// anchored on (and left-aligned through) rows that are not written.

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <memory>
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

// Eight bytes of text as a number, the first byte lowest.
inline std::uint64_t loadWord(const char* bytes) {
  std::uint64_t word;
  std::memcpy(&word, bytes, sizeof word);
  return word;
}

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
  std::string_view marks() const {
    return {marks_.get(), static_cast<std::size_t>(end_ - marks_.get())};
  }

  /** Records a row; `chromVersion` changes whenever `chrom` may have. */
  void add(std::uint64_t chromVersion, std::string_view chrom,
           std::string_view pos, std::string_view ref, char mark) {
    reserve(1);
    *end_++ = static_cast<char>(traceBase(ref) | mark);
    std::uint64_t value = 0;
    std::from_chars(pos.data(), pos.data() + pos.size(), value);
    note(chromVersion, chrom, value);
  }

  /** Makes room for `count` rows more to be added by addReserved. */
  void reserve(std::size_t count) {
    if (static_cast<std::size_t>(limit_ - end_) < count) grow(count);
  }

  /** add() of a row whose REF is the one byte `ref` and whose POS is 1 to
   * 15 digits with 16 readable bytes from its first: the row loop's, for
   * every row it packed, into room reserve() made. No capacity check, and
   * POS read as a number from two words. */
  [[gnu::always_inline]] void addReserved(std::uint64_t chromVersion,
                                          std::string_view chrom,
                                          std::string_view pos, char ref,
                                          char mark) {
    *end_++ = static_cast<char>(
        trace_detail::kBases[static_cast<unsigned char>(ref)] | mark);
    note(chromVersion, chrom, digitsValue(pos.data(), pos.size()));
  }

  void clear() {
    end_ = marks_.get();
    starts.clear();
    missingLines.clear();
    chromVersion_ = ~std::uint64_t{0};
  }

 private:
  // The number of the 8 digits of `word` (the first its lowest byte), '0'
  // taken from each: three multiplies, no loop (pairs, then fours, then
  // the eight).
  static std::uint64_t eightDigits(std::uint64_t word) {
    constexpr std::uint64_t kLowOfEachFour = 0x000000FF000000FF;
    word = word * 10 + (word >> 8);
    return ((word & kLowOfEachFour) * (100 + (std::uint64_t{1000000} << 32)) +
            ((word >> 16) & kLowOfEachFour) *
                (1 + (std::uint64_t{10000} << 32))) >>
           32;
  }
  // The value of `length` (1 to 15) digits with 16 readable bytes from
  // `digits`. The bytes after them are shifted out: a borrow of the
  // subtraction only runs up into them.
  static std::uint64_t digitsValue(const char* digits, std::size_t length) {
    constexpr std::uint64_t kZeros = 0x3030303030303030;
    if (length <= 8) {
      return eightDigits((trace_detail::loadWord(digits) - kZeros)
                         << (8 * (8 - length)));
    }
    const std::uint64_t high = eightDigits(
        (trace_detail::loadWord(digits) - kZeros) << (8 * (16 - length)));
    return high * 100000000 +
           eightDigits(trace_detail::loadWord(digits + length - 8) - kZeros);
  }

  // Most rows follow the last one (the same CHROM, POS one more): a
  // compare; the others may start a stretch.
  [[gnu::always_inline]] void note(std::uint64_t chromVersion,
                                   std::string_view chrom, std::uint64_t pos) {
    if (pos == nextPos_ && chromVersion == chromVersion_) {
      nextPos_ = pos + 1;
      return;
    }
    addOther(chromVersion, chrom, pos);
  }

  // The rest of note(), out of line.
  [[gnu::noinline]] void addOther(std::uint64_t chromVersion,
                                  std::string_view chrom, std::uint64_t pos) {
    const bool sameChrom = chromVersion == chromVersion_;
    chromVersion_ = chromVersion;
    nextPos_ = pos + 1;
    const std::size_t row = rows() - 1;
    if (row == 0 || pos != starts.back().pos + (row - starts.back().row) ||
        (!sameChrom && chrom != starts.back().chrom)) {
      starts.push_back({row, std::string(chrom), pos});
    }
  }

  std::size_t rows() const {
    return static_cast<std::size_t>(end_ - marks_.get());
  }

  // Not zero-filled: every byte is written before marks() shows it.
  [[gnu::noinline]] void grow(std::size_t count) {
    const std::size_t used = rows();
    const std::size_t capacity = std::max(
        {std::size_t{4096}, 2 * static_cast<std::size_t>(limit_ - marks_.get()),
         used + count});
    auto grown = std::make_unique_for_overwrite<char[]>(capacity);
    if (used != 0) std::memcpy(grown.get(), marks_.get(), used);
    marks_ = std::move(grown);
    end_ = marks_.get() + used;
    limit_ = marks_.get() + capacity;
  }

  // One byte a row from the first to end_, room to limit_.
  std::unique_ptr<char[]> marks_;
  char* end_ = nullptr;
  char* limit_ = nullptr;
  std::uint64_t chromVersion_ = ~std::uint64_t{0};
  // The POS a row of chromVersion_ follows the last with.
  std::uint64_t nextPos_ = 0;
};

}  // namespace hapmat
