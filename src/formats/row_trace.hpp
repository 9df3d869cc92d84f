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
    // The key of POS and the separator the next POS is kept with.
    const KeyWords key = keyOf(pos, separator_);
    if (!follows(chromVersion, key) && !followsCarried(chromVersion, key)) {
      addOther(chromVersion, chrom, pos, separator_);
    }
  }

  /** Makes room for `count` rows more to be added by addReserved. */
  void reserve(std::size_t count) {
    if (static_cast<std::size_t>(limit_ - end_) < count) grow(count);
  }

  /** add() of a row whose REF is the one byte `ref` and whose POS of 1 to
   * 15 digits has 16 readable bytes from its first, the field's separator
   * after it: the row loop's, for every row it packed, into room reserve()
   * made. No capacity check and no copy of POS: most rows only compare 16
   * bytes of it with the key kept. */
  [[gnu::always_inline]] void addReserved(std::uint64_t chromVersion,
                                          std::string_view chrom,
                                          std::string_view pos, char ref,
                                          char mark) {
    *end_++ = static_cast<char>(
        trace_detail::kBases[static_cast<unsigned char>(ref)] | mark);
    KeyWords key;
    std::memcpy(&key, pos.data(), sizeof key);
    if (!follows(chromVersion, key) && !followsCarried(chromVersion, key)) {
      addOther(chromVersion, chrom, pos, pos.data()[pos.size()]);
    }
  }

  void clear() {
    end_ = marks_.get();
    starts.clear();
    missingLines.clear();
    chromVersion_ = ~std::uint64_t{0};
    followNone();
  }

 private:
  // Text as bytes in a number, the first byte lowest.
  __extension__ typedef unsigned __int128 PosKey;
  // A key as two words in a vector register: a row's key is one load, the
  // compare and the step vector operations on the kept ones (no step
  // carries between words: a digit steps only below 9).
  typedef std::uint64_t KeyWords __attribute__((vector_size(sizeof(PosKey))));
  static KeyWords words(PosKey key) {
    KeyWords kept;
    std::memcpy(&kept, &key, sizeof kept);
    return kept;
  }
  static PosKey number(KeyWords kept) {
    PosKey key;
    std::memcpy(&key, &kept, sizeof key);
    return key;
  }
  // The key of a POS text and its separator (0 when too long: it follows
  // nothing).
  static KeyWords keyOf(std::string_view pos, char separator) {
    PosKey key = 0;
    if (pos.size() < sizeof key) {
      std::memcpy(&key, pos.data(), pos.size());
      key |= PosKey{static_cast<unsigned char>(separator)} << (8 * pos.size());
    }
    return words(key);
  }
  bool matches(KeyWords key) const {
    const KeyWords differ = (key & nextMask_) ^ next_;
    return (differ[0] | differ[1]) == 0;
  }

  // Whether a row of `chromVersion` whose POS text and the separator after
  // it start `key` (the rest any bytes) follows the last row, and if so
  // steps the next POS kept: most rows. The next POS is kept as the key of
  // its text and separator (a non-digit: so the lengths match too), so a row
  // costs a masked compare and a step of its last digit. A 9 steps to ':',
  // which no row matches: followsCarried carries it for the next row (every
  // tenth), so the common path counts nothing.
  [[gnu::always_inline]] bool follows(std::uint64_t chromVersion,
                                      KeyWords key) {
    if (chromVersion != chromVersion_ || !matches(key)) return false;
    next_ += lastDigit_;
    return true;
  }

  // follows() of a row after the last digit stepped past 9: the carry,
  // and the compare again. Out of line, as every row that does not follow.
  [[gnu::noinline]] bool followsCarried(std::uint64_t chromVersion,
                                        KeyWords key) {
    if (chromVersion != chromVersion_ || !carried() || !matches(key)) {
      return false;
    }
    next_ += lastDigit_;
    return true;
  }

  // The rest of add(), out of line: a POS that may start a stretch.
  [[gnu::noinline]] void addOther(std::uint64_t chromVersion,
                                  std::string_view chrom, std::string_view pos,
                                  char separator) {
    const bool sameChrom = chromVersion == chromVersion_;
    chromVersion_ = chromVersion;
    std::uint64_t value = 0;
    std::from_chars(pos.data(), pos.data() + pos.size(), value);
    const std::size_t row = rows() - 1;
    if (row == 0 || value != starts.back().pos + (row - starts.back().row) ||
        (!sameChrom && chrom != starts.back().chrom)) {
      starts.push_back({row, std::string(chrom), value});
    }
    if (pos.size() >= sizeof(PosKey) ||
        (separator >= '0' && separator <= '9')) {
      followNone();
      return;
    }
    separator_ = separator;
    nextLength_ = pos.size();
    PosKey next = 0;
    std::memcpy(&next, pos.data(), pos.size());
    next |= PosKey{static_cast<unsigned char>(separator)} << (8 * pos.size());
    next_ = words(next);
    nextMask_ = words(~PosKey{0} >> (8 * (sizeof(PosKey) - pos.size() - 1)));
    lastDigit_ = words(PosKey{1} << (8 * (pos.size() - 1)));
    carry();
  }

  // Whether the last digit of the next POS stepped past 9; if so, the
  // carry made.
  bool carried() {
    char digits[sizeof(PosKey)];
    std::memcpy(digits, &next_, sizeof digits);
    if (nextLength_ == 0 || digits[nextLength_ - 1] != '9' + 1) return false;
    digits[nextLength_ - 1] = '9';
    std::memcpy(&next_, digits, sizeof digits);
    carry();
    return true;
  }

  // next_ += 1 in decimal, its last digit a '9' (or, from addOther, any):
  // the trailing 9s become 0s, and a POS of all 9s grows a digit.
  void carry() {
    char digits[sizeof(PosKey)];
    std::memcpy(digits, &next_, sizeof digits);
    std::size_t i = nextLength_;
    while (i > 0 && digits[i - 1] == '9') digits[--i] = '0';
    if (i > 0) {
      ++digits[i - 1];
    } else if (nextLength_ + 1 == sizeof digits) {
      followNone();  // 16 digits
      return;
    } else {
      std::memmove(digits + 1, digits, nextLength_ + 1);  // and the separator
      digits[0] = '1';
      ++nextLength_;
      nextMask_ = words(number(nextMask_) << 8 | 0xFF);
      lastDigit_ = words(number(lastDigit_) << 8);
    }
    std::memcpy(&next_, digits, sizeof digits);
  }

  // No row follows the fast way (addOther decides each).
  void followNone() {
    next_ = words(1);
    nextMask_ = words(0);
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
  // The next POS a row of chromVersion_ would follow with: the key of its
  // nextLength_ digits and the separator after them, the mask of those
  // bytes (followNone: none), and its last digit's unit (that digit ':'
  // when it stepped past 9, until followsCarried carries it); the separator
  // add() assumes.
  KeyWords next_ = {1, 0};
  KeyWords nextMask_ = {0, 0};
  KeyWords lastDigit_ = {0, 0};
  std::size_t nextLength_ = 0;
  char separator_ = '\t';
};

}  // namespace hapmat
