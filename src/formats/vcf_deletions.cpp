#include "formats/vcf_deletions.hpp"

#include <algorithm>
#include <bit>
#include <charconv>
#include <cstring>
#include <span>

#include "hapmat/error.hpp"
#include "hapmat/schema.hpp"
#include "io/byte_buffer.hpp"
#include "matrix/row_fields.hpp"

namespace hapmat {

namespace {

// Invariant rows are kept as runs of bases up to this long, so that the
// window drops its oldest positions a run at a time.
constexpr std::size_t kBasesRun = 4096;

// joinAlone's points: the first no earlier than this row of the chunk, the
// next this many rows on, this many at most still possible. Each compares
// the items from the last record at least kSyncReach positions back: what
// the records to come mostly reach (a point they reach further back than is
// dropped).
constexpr std::size_t kSyncFirst = 32;
constexpr std::size_t kSyncEvery = 32;
constexpr std::size_t kMaxSyncs = 8;
constexpr std::uint64_t kSyncReach = 16;

// The ring of the window's bases starts this small: storeBases grows it to
// twice what the window holds (32 KiB at --max-deletion 10000, in a few
// steps), and small matrices need little.
constexpr std::size_t kBasesRing = 64;

// An item's copies of rows aside's lines over this many bytes (~56 lines of
// the realistic matrix) are freed when it is reused.
constexpr std::size_t kKeptAsideBytes = 4096;

// A byte of Item::bases: the base without its kTraceAside bit.
char plainBase(char mark) { return static_cast<char>(mark & ~kTraceAside); }

// The allele of a base deleted in that haplotype, as the writer writes it.
constexpr std::string_view kDeleted = "*";

// A trace row that is a base not written (maybe aside).
bool isBase(char mark) {
  return (mark & kTraceWritten) == 0 && (mark & ~kTraceAside) != 0;
}

constexpr std::uint64_t kEachByte = 0x0101010101010101;

using trace_detail::loadWord;

// The rows aside among trace bytes of bases, eight at a time.
static_assert(kTraceAside == 0x20);
std::size_t countAsides(std::string_view bases) {
  std::size_t count = 0;
  std::size_t at = 0;
  for (; at + 8 <= bases.size(); at += 8) {
    // A bit a byte, summed into the top byte by the multiply: std::popcount
    // is a call to libgcc on x86-64 without -mpopcnt.
    const std::uint64_t asides = (loadWord(bases.data() + at) >> 5) & kEachByte;
    count += static_cast<std::size_t>((asides * kEachByte) >> 56);
  }
  for (; at < bases.size(); ++at) count += (bases[at] & kTraceAside) != 0;
  return count;
}

// The first row of `marks` from `at` on (before `limit`) that is not a base
// (isBase): most rows are, so eight are looked at a time. A byte is not a
// base when its kTraceWritten bit is set or it is 0 without its kTraceAside
// bit; the zero test may flag a byte above a zero byte, never one below.
std::size_t basesEnd(std::string_view marks, std::size_t at,
                     std::size_t limit) {
  static_assert(kTraceWritten == static_cast<char>(0x80) &&
                kTraceAside == 0x20);
  for (; at + 8 <= limit; at += 8) {
    const std::uint64_t word = loadWord(marks.data() + at);
    const std::uint64_t base = word & ~(0x20 * kEachByte);
    const std::uint64_t notBase =
        (word | ((base - kEachByte) & ~base)) & (0x80 * kEachByte);
    if (notBase != 0) {
      return at + static_cast<std::size_t>(std::countr_zero(notBase)) / 8;
    }
  }
  while (at < limit && isBase(marks[at])) ++at;
  return at;
}

// Appends `lines` to `to`, each ending in a newline. Rows aside mostly
// come next to one another in the input, so lines that follow one another
// there (one byte apart: their newline) are copied as one span, newlines
// and all: a memcpy a span, not a call and a newline a line. Spans are
// copied in pieces under glibc's rep movsb threshold (4 KiB with AVX2):
// its vector loop is as fast on cached bytes, and callgrind counts it at
// 128 bytes an iteration, rep movsb at a few bytes an instruction.
constexpr std::size_t kCopyPiece = 4064;

void copyLines(std::span<const std::string_view> lines, ByteBuffer& to) {
  const std::string_view* line = lines.data();
  const std::string_view* const last = line + lines.size();
  while (line != last) {
    const char* from = line->data();
    const char* end = from + line->size();
    while (++line != last && line->data() == end + 1 && *end == '\n') {
      end = line->data() + line->size();
    }
    const auto size = static_cast<std::size_t>(end - from);
    char* at = to.room(size + 1);
    at[size] = '\n';
    to.added(size + 1);
    while (from != end) {
      const std::size_t piece =
          std::min(static_cast<std::size_t>(end - from), kCopyPiece);
      std::memcpy(at, from, piece);
      at += piece;
      from += piece;
    }
  }
}

// Most are a genotype's one digit: push_back is inlined, append (an
// iterator range's: a replace) is not.
void appendNumber(std::string& out, std::uint64_t value) {
  if (value < 10) {
    out.push_back(static_cast<char>('0' + value));
    return;
  }
  char digits[24];
  auto end = std::to_chars(digits, digits + sizeof digits, value).ptr;
  out.append(digits, static_cast<std::size_t>(end - digits));
}

// Most alleles are one base or none: push_back is inlined, append is not.
void appendAllele(std::string& to, std::string_view allele) {
  if (allele.size() == 1) {
    to.push_back(allele[0]);
  } else if (!allele.empty()) {
    to.append(allele);
  }
}

// `to` = `allele`. Most are one base, into a buffer that held one base
// before (a spare group's, reused): stored in place, since push_back and
// assign are calls here (~26 instructions).
void setAllele(std::string& to, std::string_view allele) {
  if (allele.size() == 1 && to.size() == 1) {
    to[0] = allele[0];
  } else if (allele.size() == 1) {
    to.clear();
    to.push_back(allele[0]);
  } else {
    to.assign(allele);
  }
}

// a == b, as a memcmp: GCC may leave string_view's compare a call of its
// own (~90 instructions here) when the code around it grows.
bool sameText(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size()) == 0;
}

// The end of the field of `line` that starts at `at`: its tab, or the
// line's end. Fields are short: a loop, not a call to memchr for each.
std::size_t fieldEnd(std::string_view line, std::size_t at) {
  while (at < line.size() && line[at] != '\t') ++at;
  return at;
}

}  // namespace

// Whether a record needs the joiner: a deletion allele, or an allele other
// than one base (it may need trimming or moving left); and where its REF
// and ALT are, for parseRecord.
struct DeletionJoiner::RecordKind {
  bool deleted = false;
  bool multiBase = false;
  bool oneAlt = true;
  std::size_t refStart = 0;
  std::size_t altStart = 0;  // after REF's tab
  std::size_t altEnd = 0;
};

namespace {

// A bit per byte of `bytes` that is a tab (bit k: byte k). Exact: no
// borrow runs from byte to byte; the multiply gathers the bytes' high bits.
std::uint32_t tabBits(const char* bytes) {
  constexpr std::uint64_t kLow7 = 0x7F * kEachByte;
  const std::uint64_t x = loadWord(bytes) ^ ('\t' * kEachByte);
  const std::uint64_t high = ~(((x & kLow7) + kLow7) | x | kLow7);
  return static_cast<std::uint32_t>((high * 0x0002040810204081) >> 56);
}

// Where REF starts and ALT starts and ends: after the tabs that end a
// record's first five fields (CHROM, POS, ID, REF, ALT). Most records have
// them in their first 24 bytes: found there from a bit per byte, into
// registers (a field a byte at a time cost ~5 instructions a byte; the
// tabs stored into an array and read back as a pair stalled on the stores).
struct FieldStarts {
  std::size_t ref = 0;
  std::size_t alt = 0;
  std::size_t altEnd = 0;
};

FieldStarts fieldStarts(std::string_view line) {
  if (line.size() >= 24) {
    std::uint32_t bits = tabBits(line.data()) | tabBits(line.data() + 8) << 8 |
                         tabBits(line.data() + 16) << 16;
    bits &= bits - 1;  // CHROM's tab
    bits &= bits - 1;  // POS's
    const std::uint32_t afterRef = bits & (bits - 1);
    const std::uint32_t afterAlt = afterRef & (afterRef - 1);
    if (afterAlt != 0) {  // all five tabs among the 24 bytes
      return {static_cast<std::size_t>(std::countr_zero(bits)) + 1,
              static_cast<std::size_t>(std::countr_zero(afterRef)) + 1,
              static_cast<std::size_t>(std::countr_zero(afterAlt))};
    }
  }
  std::size_t tab = fieldEnd(line, 0);
  tab = fieldEnd(line, tab + 1);
  const std::size_t ref = fieldEnd(line, tab + 1) + 1;
  const std::size_t alt = fieldEnd(line, ref) + 1;
  return {ref, alt, fieldEnd(line, alt)};
}

DeletionJoiner::RecordKind kindOf(std::string_view line) {
  const auto [refStart, altStart, altEnd] = fieldStarts(line);
  DeletionJoiner::RecordKind kind;
  kind.refStart = refStart;
  kind.altStart = altStart;
  kind.altEnd = altEnd;
  kind.multiBase = altStart - refStart != 2;
  if (altEnd - altStart == 1) {  // most: one ALT of one base
    kind.deleted = line[altStart] == '*';
    return kind;
  }
  std::size_t alleleStart = altStart;
  for (std::size_t i = altStart; i <= altEnd; ++i) {
    if (i == altEnd || line[i] == ',') {
      kind.oneAlt = kind.oneAlt && i == altEnd;
      if (i - alleleStart != 1) kind.multiBase = true;
      if (line[alleleStart] == '*') kind.deleted = true;
      alleleStart = i + 1;
    }
  }
  return kind;
}

}  // namespace

/** Each haplotype's bases across some positions, as a number in a table of
 * spellings: a record's or a bubble's haplotypes spell few distinct
 * sequences, so it builds a string for each of those, not for each
 * haplotype. */
struct DeletionJoiner::Group {
  static constexpr std::uint32_t kMissing = UINT32_MAX;

  std::string ref;
  // The first `count` are in use (the rest are buffers kept for reuse); a
  // spelling may be used by no haplotype, or spelled twice. N for a missing
  // base.
  std::vector<std::string> spellings;
  std::size_t count = 0;
  // Per haplotype: its spelling, or kMissing (every base of it missing).
  std::vector<std::uint32_t> of;
  // A parsed record's `*` allele (parseRecord), or kNoNumber.
  static constexpr std::uint32_t kNoNumber = kMissing - 1;
  std::uint32_t deletedNumber = kNoNumber;
  std::vector<std::uint8_t> used;  // per spelling, while visiting them

  bool missing(std::size_t h) const { return of[h] == kMissing; }
  const std::string& allele(std::size_t h) const { return spellings[of[h]]; }
  /** A gap allele: the haplotype spells no base here. */
  bool deleted(std::size_t h) const { return !missing(h) && allele(h).empty(); }

  /** No spellings, `haplotypes` haplotypes of none yet. */
  void clear(std::size_t haplotypes) {
    count = 0;
    deletedNumber = kNoNumber;
    of.resize(haplotypes);
  }
  /** A new spelling, empty: its number is count - 1. */
  std::string& addSpelling() {
    std::string& spelling = addSpellingAsWas();
    spelling.clear();
    return spelling;
  }
  /** A new spelling holding what its buffer last held, for the caller to
   * set (setAllele, which then mostly stores a byte in place). */
  std::string& addSpellingAsWas() {
    if (count == spellings.size()) spellings.emplace_back();
    return spellings[count++];
  }
};

/** One position or more of the window: reference bases not written, or a
 * record (as written, or rebuilt as a group). */
struct DeletionJoiner::Item {
  std::uint64_t seq = 0;  // numbered as pushed: increasing along the window
  std::uint64_t start = 0;
  std::uint64_t length = 0;  // positions covered; not a record, their
                             // bases are the joiner's (basesOf)
  char lastBase = 0;         // of the last position; 0: no anchor
  bool record = false;
  bool aside = false;           // written aside: a row of missing alleles, kept
                                // only when merged into a record
  bool changed = false;         // `group` is the record; the text is stale
  bool own = true;              // starts at a row of the part's own
  bool tainted = false;         // reached a warm-up's first row: unknowable
  std::uint64_t deletions = 0;  // gap runs it writes as deletions
  std::string_view view;        // the text, while its stretch lasts
  bool viewKept = false;        // `view` is of the stretch before (kept)
  std::string owned;            // the text, after
  std::unique_ptr<Group> group;  // parsed, from the window's spares
  // Not a record: the lines of its rows aside (the bases so marked), in
  // order: those of stretches gone copied into asideText, each ending in a
  // newline; then those of the stretch before when its text was kept
  // (add's textKept), consecutive in its missingLines from keptFrom on;
  // then those of the current stretch, consecutive in its missingLines
  // from linesFrom on. A row aside becomes an item of its own only when a
  // deletion reaches it (exposeAside): so a row aside costs a bit while
  // none does.
  ByteBuffer asideText;
  std::size_t keptFrom = 0;
  std::size_t linesKept = 0;
  std::size_t linesFrom = 0;
  std::size_t linesInStretch = 0;

  std::string_view text() const { return view.empty() ? owned : view; }

  /** Member by member: std::swap's three moves of a whole item cost ~400
   * instructions, and an item is swapped in for each record that is not
   * quiet. */
  void swap(Item& other) noexcept {
    using std::swap;
    // std::string::swap is a call of ~70 instructions; most of an item's
    // texts are empty on both sides.
    auto swapText = [](std::string& a, std::string& b) {
      if (!a.empty() || !b.empty()) a.swap(b);
    };
    swap(seq, other.seq);
    swap(start, other.start);
    swap(length, other.length);
    swap(lastBase, other.lastBase);
    swap(record, other.record);
    swap(aside, other.aside);
    swap(changed, other.changed);
    swap(own, other.own);
    swap(tainted, other.tainted);
    swap(deletions, other.deletions);
    swap(view, other.view);
    swap(viewKept, other.viewKept);
    swapText(owned, other.owned);
    group.swap(other.group);
    swap(asideText, other.asideText);
    swap(keptFrom, other.keptFrom);
    swap(linesKept, other.linesKept);
    swap(linesFrom, other.linesFrom);
    swap(linesInStretch, other.linesInStretch);
  }

  /** As a new item, keeping the buffers (its group released before). */
  void reset() {
    start = length = deletions = 0;
    lastBase = 0;
    record = aside = changed = tainted = false;
    own = true;
    view = {};
    viewKept = false;
    // Cleared only when not empty: most are, and a clear writes the
    // terminator into the buffer, a line of its own, cold a window later.
    if (!owned.empty()) owned.clear();
    keptFrom = linesKept = linesFrom = linesInStretch = 0;
    asideText.clear();
    // Each slot of the ring keeps its buffers, and over a run most slots
    // once held a run of bases with many rows aside: kept, the largest of
    // each slot came to ~16 MiB a joiner on the realistic matrix at
    // --max-deletion 10000, and the SIMD engine has one a chunk in flight
    // (peak RSS with 2 threads 103 MiB, 48 MiB with these freed).
    if (asideText.capacity() > kKeptAsideBytes) asideText = ByteBuffer();
  }
};

/** A point of joinAlone's chunk where a joiner that knew the rows before
 * may be in the same state. */
struct DeletionJoiner::Sync {
  std::size_t row = 0;         // the trace row it is before
  std::uint64_t from = 0;      // the position of the first item compared
  std::uint64_t fromSeq = 0;   // and its number
  std::string items;           // serialise()d from there
  std::uint64_t segments = 0;  // segments_ there
  DeletionCounts countsAt;     // there
  // When the first item compared was emitted (or the chunk ended): out's
  // size and the counts.
  std::size_t outAt = 0;
  DeletionCounts countsEmitted;
};

DeletionJoiner::Window::Window() : slots_(64), mask_(63) {}

DeletionJoiner::Window::~Window() = default;
DeletionJoiner::Window::Window(Window&&) = default;
DeletionJoiner::Window& DeletionJoiner::Window::operator=(Window&&) = default;

DeletionJoiner::Item& DeletionJoiner::Window::operator[](std::size_t index) {
  return slots_[(head_ + index) & mask_];
}

DeletionJoiner::Item& DeletionJoiner::Window::push() {
  if (size_ > mask_) {
    std::vector<Item> grown(2 * slots_.size());
    for (std::size_t i = 0; i < size_; ++i) grown[i] = std::move((*this)[i]);
    slots_.swap(grown);
    mask_ = slots_.size() - 1;
    head_ = 0;
  }
  Item& item = (*this)[size_++];
  release(item);
  item.reset();
  item.seq = nextSeq_++;
  return item;
}

DeletionJoiner::Item& DeletionJoiner::Window::pushSwapped(Item& item) {
  Item& slot = push();
  slot.swap(item);
  std::swap(slot.seq, item.seq);
  return slot;
}

void DeletionJoiner::Window::popFront() {
  release(front());
  head_ = (head_ + 1) & mask_;
  --size_;
}

void DeletionJoiner::Window::shrink(std::size_t size) {
  while (size_ > size) popBack();
}

DeletionJoiner::Group& DeletionJoiner::Window::groupOf(Item& item) {
  if (!item.group) {
    if (spareGroups_.empty()) {
      item.group = std::make_unique<Group>();
    } else {
      item.group = std::move(spareGroups_.back());
      spareGroups_.pop_back();
    }
  }
  return *item.group;
}

void DeletionJoiner::Window::release(Item& item) {
  if (item.group) spareGroups_.push_back(std::move(item.group));
}

namespace {

using Group = DeletionJoiner::Group;

}  // namespace

void DeletionJoiner::parseRecord(std::string_view line, const RecordKind& kind,
                                 Group& group) {
  // The line as the writer wrote it: the genotypes `a|b` per sample from
  // field 9 on; REF and ALT where kindOf found them.
  group.clear(haplotypes_);
  setAllele(group.ref,
            line.substr(kind.refStart, kind.altStart - 1 - kind.refStart));
  // The spellings are the record's alleles, REF first: a genotype's number
  // is its spelling's.
  setAllele(group.addSpellingAsWas(), group.ref);
  std::string_view alt =
      line.substr(kind.altStart, kind.altEnd - kind.altStart);
  if (alt != ".") {
    while (true) {
      const std::size_t comma =
          kind.oneAlt ? std::string_view::npos : alt.find(',');
      std::string_view allele = alt.substr(0, comma);
      std::string& spelling = group.addSpellingAsWas();
      if (allele != kDeleted) {
        setAllele(spelling, allele);
      } else {
        spelling.clear();
        group.deletedNumber = static_cast<std::uint32_t>(group.count - 1);
      }
      if (comma == std::string_view::npos) break;
      alt.remove_prefix(comma + 1);
    }
  }
  std::size_t at = std::min(kind.altEnd + 1, line.size());
  auto nextField = [&] {
    const std::size_t begin = at;
    const std::size_t end = fieldEnd(line, at);
    at = end < line.size() ? end + 1 : end;
    return line.substr(begin, end - begin);
  };
  // Most records' genotypes are one character each: then they are the
  // line's last 2 x haplotypes - 1 bytes, after FORMAT (a genotype has no
  // G), and QUAL, FILTER and INFO need not be walked.
  const std::size_t oneCharGenotypes = 2 * haplotypes_ - 1;
  std::string_view genotypes;
  // (Views made here, not by substr: GCC may leave that a call.)
  const char* const end = line.data() + line.size();
  if (haplotypes_ != 0 && line.size() >= at + oneCharGenotypes + 3 &&
      sameText(std::string_view(end - oneCharGenotypes - 4, 4), "\tGT\t")) {
    genotypes = std::string_view(end - oneCharGenotypes, oneCharGenotypes);
  } else {
    for (int skipped = 0; skipped < 4; ++skipped) nextField();
    genotypes = line.substr(at);
  }
  // Most records of a bubble repeat the genotypes of the record before.
  if (sameText(genotypes, genotypesText_)) {
    std::copy(genotypesOf_.begin(), genotypesOf_.end(), group.of.begin());
    return;
  }
  parseGenotypes(genotypes, group.of.data());
  genotypesText_.assign(genotypes);
  genotypesOf_.assign(group.of.begin(), group.of.end());
  gapsKnown_ = false;
}

// `a|b` per sample, tab-separated: a number per haplotype, or kMissing.
void DeletionJoiner::parseGenotypes(std::string_view genotypes,
                                    std::uint32_t* of) const {
  const char* next = genotypes.data();
  const char* const end = next + genotypes.size();
  if (genotypes.size() + 1 == 2 * haplotypes_) {
    // Every genotype one character, as in most records: at a fixed stride.
    for (std::size_t h = 0; h < haplotypes_; ++h) {
      const char allele = next[2 * h];
      of[h] = allele == '.' ? Group::kMissing
                            : static_cast<std::uint32_t>(allele - '0');
    }
    return;
  }
  for (std::size_t h = 0; h < haplotypes_; ++h) {
    // Each genotype number is followed by one separator, `|` or a tab.
    if (*next == '.') {
      of[h] = Group::kMissing;
      next += 2;
      continue;
    }
    std::uint32_t index = static_cast<std::uint32_t>(*next++ - '0');
    // A genotype not missing starts with a digit; most are one.
    while (next != end && *next >= '0' && *next <= '9') {
      index = 10 * index + static_cast<std::uint32_t>(*next++ - '0');
    }
    ++next;
    of[h] = index;
  }
}

namespace {

void basesGroup(std::string_view bases, std::size_t haplotypes, Group& group) {
  group.clear(haplotypes);
  group.ref = bases;
  for (char& base : group.ref) base = plainBase(base);
  group.addSpelling().assign(group.ref);
  std::fill(group.of.begin(), group.of.end(), 0);
}

// Notes the spellings of haplotypes not missing (Group::used), for
// forEachAllele until the haplotypes' numbers change.
void markUsed(Group& group) {
  group.used.assign(group.count, 0);
  for (const std::uint32_t spelling : group.of) {
    if (spelling != Group::kMissing) group.used[spelling] = 1;
  }
}

// Visits REF and each spelling markUsed noted, once.
template <class Visit>
void forEachAllele(Group& group, Visit visit) {
  visit(group.ref);
  for (std::size_t i = 0; i < group.count; ++i) {
    if (group.used[i]) visit(group.spellings[i]);
  }
}

// The record line of `group` at `pos`: its ALTs the distinct alleles other
// than REF in order of first appearance, AC and AN counted from them. A
// record without an ALT (a deletion only in haplotypes that are not written,
// or written missing) is not written: false.
}  // namespace

// `front` followed by `back`: a haplotype missing in one part and not the
// other spells that part N. A spelling for each distinct pair of spellings,
// the first of a front spelling's pairs built on that spelling's buffer (a
// bubble's spellings grow in place, as it takes in record after record).
void DeletionJoiner::append(Group& front, const Group& back) {
  Group& joined = *joined_;
  joined.clear(haplotypes_);
  // Numbered by pair, missing as the last number of each group.
  const std::size_t seconds = back.count + 1;
  pairNumbers_.assign((front.count + 1) * seconds, Group::kMissing);
  takenBy_.assign(front.count, Group::kMissing);
  takenLengths_.resize(front.count);
  for (std::size_t h = 0; h < haplotypes_; ++h) {
    if (front.missing(h) && back.missing(h)) {
      joined.of[h] = Group::kMissing;
      continue;
    }
    const std::size_t first = front.missing(h) ? front.count : front.of[h];
    const std::size_t second = back.missing(h) ? back.count : back.of[h];
    std::uint32_t& number = pairNumbers_[first * seconds + second];
    if (number == Group::kMissing) {
      number = static_cast<std::uint32_t>(joined.count);
      std::string& spelling = joined.addSpelling();
      if (first == front.count) {
        spelling.assign(front.ref.size(), 'N');
      } else if (takenBy_[first] == Group::kMissing) {
        takenBy_[first] = number;
        takenLengths_[first] = front.spellings[first].size();
        std::swap(spelling, front.spellings[first]);
      } else {
        spelling.assign(joined.spellings[takenBy_[first]], 0,
                        takenLengths_[first]);
      }
      if (second == back.count) {
        spelling.append(back.ref.size(), 'N');
      } else {
        appendAllele(spelling, back.spellings[second]);
      }
    }
    joined.of[h] = number;
  }
  front.ref.append(back.ref);
  std::swap(front.spellings, joined.spellings);
  std::swap(front.count, joined.count);
  std::swap(front.of, joined.of);
}

// append() where `back`'s haplotypes have the numbers of the group
// appended to `front` last (or that `front` was): each of `front`'s
// spellings then pairs with one spelling of `back`, its first haplotype's,
// and no haplotype changes its number. A spelling no haplotype uses is left
// as it is (append drops it; neither is read).
//
// Over a run of such groups a spelling's haplotype keeps its number, and
// most are 0 or missing. `back` is as parsed (closeBubble), so its spelling
// 0 is its REF: those spellings take the run's REF, or as many N, once,
// when the run ends (flushSpellings), not an allele a group.
void DeletionJoiner::extendSpellings(Group& front, const Group& back) {
  if (ofChanged_) {
    sortSpellings(front, back);
    ofChanged_ = false;
  }
  for (const std::uint32_t i : otherSpellings_) {
    appendAllele(front.spellings[i], back.allele(firstOf_[i]));
  }
  appendAllele(front.ref, back.ref);
}

// extendSpellings' classes of `front`'s spellings, by the number their
// first haplotype has in `back` (and the run's groups after it).
void DeletionJoiner::sortSpellings(const Group& front, const Group& back) {
  firstOf_.assign(front.count, Group::kMissing);
  for (std::size_t h = haplotypes_; h-- > 0;) {
    if (!front.missing(h))
      firstOf_[front.of[h]] = static_cast<std::uint32_t>(h);
  }
  refSpellings_.clear();
  missingSpellings_.clear();
  otherSpellings_.clear();
  for (std::uint32_t i = 0; i < front.count; ++i) {
    const std::uint32_t h = firstOf_[i];
    if (h == Group::kMissing) continue;
    if (back.missing(h)) {
      missingSpellings_.push_back(i);
    } else if (back.of[h] == 0) {
      refSpellings_.push_back(i);
    } else {
      otherSpellings_.push_back(i);
    }
  }
  refFrom_ = front.ref.size();
}

// The REF (or N) that extendSpellings left for the run's end.
void DeletionJoiner::flushSpellings(Group& front) {
  if (ofChanged_) return;  // no run
  const std::string_view run = std::string_view(front.ref).substr(refFrom_);
  for (const std::uint32_t i : refSpellings_) front.spellings[i].append(run);
  for (const std::uint32_t i : missingSpellings_) {
    front.spellings[i].append(run.size(), 'N');
  }
  refFrom_ = front.ref.size();
}

// An ALT's number (from 1), added at the end when new. Found by a scan
// among a few, by a hash past them: bubbles of many haplotypes spell
// hundreds of long alleles, whose scan was a tenth of a run (1000
// haplotypes).
std::uint32_t DeletionJoiner::altNumber(std::string_view allele) {
  constexpr std::size_t kScanned = 8;
  if (alts_.size() < kScanned) {
    auto found = std::find(alts_.begin(), alts_.end(), allele);
    if (found != alts_.end()) {
      return static_cast<std::uint32_t>(found - alts_.begin() + 1);
    }
  } else {
    if (altIndex_.empty()) {
      for (std::size_t i = 0; i < alts_.size(); ++i) {
        altIndex_.emplace(alts_[i], static_cast<std::uint32_t>(i + 1));
      }
    }
    auto [found, added] =
        altIndex_.emplace(allele, static_cast<std::uint32_t>(alts_.size() + 1));
    if (!added) return found->second;
  }
  alts_.push_back(allele);
  alleleCounts_.push_back(0);
  return static_cast<std::uint32_t>(alts_.size());
}

bool DeletionJoiner::format(const Group& group, std::uint64_t pos,
                            std::string& out) {
  std::vector<std::string_view>& alts = alts_;
  std::vector<std::uint32_t>& numbers = alleleNumbers_;
  std::vector<std::uint32_t>& counts = alleleCounts_;
  // A spelling's allele number, found at its first haplotype.
  constexpr std::uint32_t kUnknown = UINT32_MAX;
  std::vector<std::uint32_t>& spellingNumbers = spellingNumbers_;
  alts.clear();
  if (!altIndex_.empty()) altIndex_.clear();  // clear() zeroes the buckets
  numbers.assign(haplotypes_, 0);
  spellingNumbers.assign(group.count, kUnknown);
  counts.clear();
  std::uint64_t called = 0;
  for (std::size_t h = 0; h < haplotypes_; ++h) {
    if (group.missing(h) || group.allele(h).empty()) continue;
    ++called;
    std::uint32_t& number = spellingNumbers[group.of[h]];
    if (number == kUnknown) {
      const std::string& allele = group.allele(h);
      number = allele == group.ref ? 0 : altNumber(allele);
    }
    numbers[h] = number;
    if (number != 0) ++counts[number - 1];
  }
  if (alts.empty()) return false;
  out.append(chrom_).push_back('\t');
  appendNumber(out, pos);
  out.append("\t.\t").append(group.ref).push_back('\t');
  for (std::size_t i = 0; i < alts.size(); ++i) {
    if (i > 0) out.push_back(',');
    out.append(alts[i]);
  }
  out.append("\t.\t.\tAC=");
  for (std::size_t i = 0; i < counts.size(); ++i) {
    if (i > 0) out.push_back(',');
    appendNumber(out, counts[i]);
  }
  out.append(";AN=");
  appendNumber(out, called);
  out.append("\tGT");
  for (std::size_t h = 0; h < haplotypes_; ++h) {
    if (group.missing(h) || group.allele(h).empty()) numbers[h] = kUnknown;
  }
  if (alts.size() < 10) {
    // Each genotype a separator and one character, stored into room made
    // at once: a push_back or an appendNumber a haplotype is a call.
    const std::size_t at = out.size();
    out.resize(at + 2 * haplotypes_ + 1);
    char* to = out.data() + at;
    for (std::size_t h = 0; h < haplotypes_; ++h) {
      to[2 * h] = h % 2 == 0 ? '\t' : pairSeparator_;
      to[2 * h + 1] =
          numbers[h] == kUnknown ? '.' : static_cast<char>('0' + numbers[h]);
    }
    to[2 * haplotypes_] = '\n';
    return true;
  }
  for (std::size_t h = 0; h < haplotypes_; ++h) {
    out.push_back(h % 2 == 0 ? '\t' : pairSeparator_);
    if (numbers[h] == kUnknown) {
      out.push_back('.');
    } else {
      appendNumber(out, numbers[h]);
    }
  }
  out.push_back('\n');
  return true;
}

DeletionJoiner::DeletionJoiner(std::vector<std::size_t> haplotypeColumns,
                               char delimiter, std::size_t columns,
                               std::size_t maxDeletion, bool haploid)
    : haplotypeColumns_(std::move(haplotypeColumns)),
      pairSeparator_(haploid ? '\t' : '|'),
      delimiter_(delimiter),
      columns_(columns),
      haplotypes_(haplotypeColumns_.size()),
      maxDeletion_(std::max<std::size_t>(maxDeletion, 1)),
      inRun_((haplotypes_ + 63) / 64, 0),
      runAfter_(inRun_.size(), 0),
      longRun_(inRun_.size(), 0),
      gaps_(inRun_.size(), 0),
      gapsHere_(inRun_.size(), 0),
      pending_(std::make_unique<Item>()),
      merged_(std::make_unique<Item>()),
      joined_(std::make_unique<Group>()) {}

DeletionJoiner::~DeletionJoiner() = default;
DeletionJoiner::DeletionJoiner(DeletionJoiner&&) = default;
DeletionJoiner& DeletionJoiner::operator=(DeletionJoiner&&) = default;

std::unique_ptr<DeletionJoiner> DeletionJoiner::sameKind() const {
  auto joiner =
      std::make_unique<DeletionJoiner>(haplotypeColumns_, delimiter_, columns_,
                                       maxDeletion_, pairSeparator_ == '\t');
  joiner->selectRegions(regions_);
  joiner->writeAllSites(allSites_);
  return joiner;
}

void DeletionJoiner::add(const RowTrace& trace, std::string_view records,
                         std::string& out, bool textKept) {
  lines_ = trace.missingLines.data();
  Rows rows{trace, records};
  take(rows, trace.marks().size(), out);
  keepText(textKept);
}

// Takes the rows of `rows` before `until`.
void DeletionJoiner::take(Rows& rows, std::size_t until, std::string& out) {
  const RowTrace& trace = rows.trace;
  std::string_view records = rows.records;
  std::size_t nextStart = rows.nextStart;
  std::size_t nextMissing = rows.nextMissing;
  std::size_t row = rows.row;
  for (; row < until; ++row) {
    if (alone_ && row >= nextSyncRow_ && syncs_.size() < kMaxSyncs) {
      noteSync(row);
    }
    if (nextStart < trace.starts.size() && trace.starts[nextStart].row == row) {
      beginSegment(trace.starts[nextStart++], out);
    }
    const char mark = trace.marks()[row];
    const char base = static_cast<char>(mark & ~(kTraceWritten | kTraceAside));
    if (mark & kTraceWritten) {
      std::size_t end = stepRepeatedGap(base, records);
      if (end == 0) {
        end = records.find('\n');
        step(base, records.substr(0, end), false, out);
      }
      records.remove_prefix(end + 1);
    } else if (bubbleOpen_ || openRuns_ + longRuns_ != 0 || base == 0) {
      if (mark & kTraceAside) {
        const std::string_view line = trace.missingLines[nextMissing++];
        step(base, base != 0 ? line : std::string_view(), base != 0, out);
      } else {
        step(base, {}, false, out);
      }
    } else {
      // Most rows: bases (and rows aside) away from any deletion, up to the
      // next record, row of no base or new stretch, taken at once.
      const std::size_t limit = std::min(
          until, nextStart < trace.starts.size() ? trace.starts[nextStart].row
                                                 : trace.marks().size());
      const std::size_t end = basesEnd(trace.marks(), row + 1, limit);
      nextMissing +=
          pushBases(trace.marks().substr(row, end - row), nextMissing, out);
      row = end - 1;
    }
  }
  rows.records = records;
  rows.nextStart = nextStart;
  rows.nextMissing = nextMissing;
  rows.row = row;
}

// The stretch's text goes away, or with `textKept` the text of the stretch
// before it: what the window keeps of that is copied. With `textKept` most
// of the current stretch's lines are gone from the window before the next
// stretch ends (a chunk has more rows than --max-deletion), so they are
// never copied.
void DeletionJoiner::keepText(bool textKept) {
  for (std::size_t i = 0; i < window_.size(); ++i) {
    Item& item = window_[i];
    if (!item.view.empty()) {
      if (textKept && !item.viewKept) {
        item.viewKept = true;
      } else {
        item.owned.assign(item.view);
        item.view = {};
      }
    }
    if (item.linesKept != 0) {
      copyLines({keptLines_ + item.keptFrom, item.linesKept}, item.asideText);
      item.linesKept = 0;
    }
    if (item.linesInStretch == 0) continue;
    if (textKept) {
      item.keptFrom = item.linesFrom;
      item.linesKept = item.linesInStretch;
    } else {
      copyLines({lines_ + item.linesFrom, item.linesInStretch}, item.asideText);
    }
    item.linesInStretch = 0;
  }
  keptLines_ = textKept ? lines_ : nullptr;
}

void DeletionJoiner::finish(std::string& out) { endSegment(out); }

void DeletionJoiner::setOwn(bool own) {
  // Rows before the first own ones are a warm-up: its first row is a
  // horizon, not known to start its CHROM.
  if (own && !own_ && !started_) atHorizon_ = false;
  if (!own && !started_) atHorizon_ = true;
  own_ = own;
}

void DeletionJoiner::startAtHorizon() {
  if (!started_) atHorizon_ = true;
}

bool DeletionJoiner::settled() const {
  return !ownInSegment_ ||
         (!bubbleOpen_ && nextPos_ > lastOwnPos_ + maxDeletion_ + 1);
}

void DeletionJoiner::beginSegment(const RowTrace::Start& start,
                                  std::string& out) {
  if (inSegment_ && start.chrom == chrom_ && start.pos == nextPos_) return;
  const bool horizon = atHorizon_ && !started_;
  endSegment(out);
  atHorizon_ = horizon;
  inSegment_ = true;
  chrom_ = start.chrom;
  nextPos_ = start.pos;
}

void DeletionJoiner::endSegment(std::string& out) {
  gapsKnown_ = false;
  if (bubbleOpen_) closeBubble(out);
  for (std::size_t i = 0; i < window_.size(); ++i) emit(window_[i], out);
  window_.clear();
  std::fill(inRun_.begin(), inRun_.end(), 0);
  std::fill(runAfter_.begin(), runAfter_.end(), 0);
  std::fill(longRun_.begin(), longRun_.end(), 0);
  openRuns_ = longRuns_ = 0;
  inSegment_ = false;
  ownInSegment_ = false;
  atHorizon_ = false;
  ++segments_;
}

DeletionJoiner::Group& DeletionJoiner::parsed(Item& item) {
  if (item.group) return *item.group;
  Group& group = window_.groupOf(item);
  if (item.aside) {
    parseMissingRow(item.text(), item.lastBase, group);
  } else if (item.record) {
    parseRecord(item.text(), kindOf(item.text()), group);
  } else {
    basesGroup(basesOf(item, basesText_), haplotypes_, group);
  }
  return group;
}

// A matrix row of only REF (`base`) and missing alleles.
void DeletionJoiner::parseMissingRow(std::string_view line, char base,
                                     Group& group) {
  group.clear(haplotypes_);
  group.ref.assign(1, base);
  group.addSpelling().assign(group.ref);
  // Most rows aside have one byte a field after POS (REF and N): then the
  // fields lie at a stride of two, found without splitting the row. A row
  // given here has its columns and no empty field, so its length says so.
  const std::size_t chromEnd = line.find(delimiter_);
  const std::size_t posEnd = line.find(delimiter_, chromEnd + 1);
  if (posEnd != std::string_view::npos && columns_ > kRefColumn &&
      line.size() - posEnd == 2 * (columns_ - kRefColumn)) {
    const char* const fromRef = line.data() + posEnd + 1;
    for (std::size_t h = 0; h < haplotypes_; ++h) {
      const char allele = fromRef[2 * (haplotypeColumns_[h] - kRefColumn)];
      group.of[h] = allele == 'N' || allele == 'n' ? Group::kMissing : 0;
    }
    return;
  }
  splitRow(line, delimiter_, columns_, fields_);
  for (std::size_t h = 0; h < haplotypes_; ++h) {
    const std::string_view allele = fields_[haplotypeColumns_[h]];
    group.of[h] = allele == "N" || allele == "n" ? Group::kMissing : 0;
  }
}

// The bases of positions [from, from + marks.size()), as trace marks (a row
// aside's with its kTraceAside bit), into the ring of the window's
// positions: one byte a position, whatever item holds it, so an item of
// bases holds none itself (a string an item cost a cold buffer a window
// later). The ring grows to hold every position from the window's first
// on: at most twice --max-deletion and two runs of bases.
void DeletionJoiner::storeBases(std::uint64_t from, std::string_view marks) {
  const std::uint64_t end = from + marks.size();
  const std::uint64_t oldest =
      window_.empty() ? from : std::min(from, window_.front().start);
  if (end - oldest > positionBases_.size()) growBases(oldest, from, end);
  const std::size_t mask = positionBases_.size() - 1;
  const std::size_t at = static_cast<std::size_t>(from) & mask;
  const std::size_t first = std::min(marks.size(), mask + 1 - at);
  std::memcpy(positionBases_.data() + at, marks.data(), first);
  std::memcpy(positionBases_.data(), marks.data() + first,
              marks.size() - first);
}

// A ring for positions [oldest, end), those before `from` kept.
void DeletionJoiner::growBases(std::uint64_t oldest, std::uint64_t from,
                               std::uint64_t end) {
  std::string grown(
      std::max(kBasesRing, std::bit_ceil(std::size_t{2} * (end - oldest))),
      '\0');
  const std::size_t oldMask = positionBases_.size() - 1;
  const std::size_t newMask = grown.size() - 1;
  for (std::uint64_t pos = oldest; pos < from && !positionBases_.empty();
       ++pos) {
    grown[pos & newMask] = positionBases_[pos & oldMask];
  }
  positionBases_.swap(grown);
}

// The base (trace mark) of an item of bases' last position.
char DeletionJoiner::lastBaseOf(const Item& item) const {
  const std::uint64_t pos = item.start + item.length - 1;
  return positionBases_[pos & (positionBases_.size() - 1)];
}

// An item's bases (none for a record), copied into `to`.
std::string_view DeletionJoiner::basesOf(const Item& item,
                                         std::string& to) const {
  to.clear();
  if (item.record) return to;
  const std::size_t mask = positionBases_.size() - 1;
  for (std::uint64_t pos = item.start; pos < item.start + item.length; ++pos) {
    to.push_back(positionBases_[pos & mask]);
  }
  return to;
}

// Positions with no record, not in a deletion: their bases (trace rows,
// some aside, with their lines from the stretch's missingLines[firstLine]
// on) join the runs of bases at the window's end. Returns how many lines
// aside it took.
std::size_t DeletionJoiner::pushBases(std::string_view bases,
                                      std::size_t firstLine, std::string& out) {
  std::size_t line = firstLine;
  started_ = true;
  if (own_) {
    ownInSegment_ = true;
    lastOwnPos_ = nextPos_ + bases.size() - 1;
  }
  while (!bases.empty()) {
    if (window_.empty() || window_.back().record ||
        window_.back().own != own_ || window_.back().length >= kBasesRun) {
      evict(out);
      Item& item = window_.push();
      item.start = nextPos_;
      item.own = own_;
    }
    Item& back = window_.back();
    const std::string_view taken =
        bases.substr(0, kBasesRun - static_cast<std::size_t>(back.length));
    // The rows aside keep their bit; their lines follow the item's last
    // (none of this stretch was taken in between: a row aside near a
    // deletion is an item of its own).
    if (back.linesInStretch == 0) back.linesFrom = line;
    const std::size_t asides = countAsides(taken);
    back.linesInStretch += asides;
    line += asides;
    storeBases(nextPos_, taken);
    back.length += taken.size();
    back.lastBase = plainBase(taken.back());
    nextPos_ += taken.size();
    bases.remove_prefix(taken.size());
  }
  return line - firstLine;
}

// The gaps of a record (`group`, or none: no gap), and the runs that ended
// at the position before, a word of 64 haplotypes at a time: true when a
// haplotype has a gap here, not in a run written as missing; `afterBase`
// when a run that had no base before it ended.
bool DeletionJoiner::noteGaps(Group* group, bool& afterBase) {
  std::uint32_t* const of = group != nullptr ? group->of.data() : nullptr;
  // A record as written spells no base only in its `*` allele: a gap is
  // that number (parseRecord notes it), not each haplotype's spelling
  // looked at.
  const std::uint32_t deleted =
      group != nullptr ? group->deletedNumber : Group::kNoNumber;
  // The genotypes of the gap record before, and its `*` number: its gaps
  // again. Every haplotype with a gap is then in a run already (it was
  // given one there, or had one), and every run goes on.
  gapsRepeated_ = group != nullptr && gapsKnown_ && deleted == gapsDeleted_;
  if (gapsRepeated_) {
    bool anyGap = false;
    for (std::size_t w = 0; w < inRun_.size(); ++w) {
      markLongRunsMissing(w, gapsHere_[w], of);
      anyGap = anyGap || (gapsHere_[w] & ~longRun_[w]) != 0;
    }
    return anyGap;
  }
  bool anyGap = false;
  for (std::size_t w = 0; w < inRun_.size(); ++w) {
    std::uint64_t deletedHere = 0;
    if (of != nullptr) {
      const std::size_t first = 64 * w;
      const std::size_t last = std::min(haplotypes_, first + 64);
      for (std::size_t h = first; h < last; ++h) {
        deletedHere |= std::uint64_t{of[h] == deleted} << (h - first);
      }
    }
    gapsHere_[w] = deletedHere;
    markLongRunsMissing(w, deletedHere, of);
    gaps_[w] = deletedHere & ~longRun_[w];
    anyGap = anyGap || gaps_[w] != 0;
    const std::uint64_t ended = inRun_[w] & ~deletedHere;
    const std::uint64_t longEnded = longRun_[w] & ~deletedHere;
    if ((ended | longEnded) == 0) continue;
    afterBase = afterBase || (ended & runAfter_[w]) != 0;
    inRun_[w] &= ~ended;
    runAfter_[w] &= ~ended;
    openRuns_ -= static_cast<std::size_t>(std::popcount(ended));
    longRun_[w] &= ~longEnded;
    longRuns_ -= static_cast<std::size_t>(std::popcount(longEnded));
  }
  gapsKnown_ = group != nullptr;
  gapsDeleted_ = deleted;
  return anyGap;
}

// A gap inside a run written as missing (of `deletedHere`, word `w`) is
// missing too.
void DeletionJoiner::markLongRunsMissing(std::size_t w,
                                         std::uint64_t deletedHere,
                                         std::uint32_t* of) {
  for (std::uint64_t inLong = deletedHere & longRun_[w]; inLong != 0;
       inLong &= inLong - 1) {
    of[64 * w + static_cast<std::size_t>(std::countr_zero(inLong))] =
        Group::kMissing;
  }
}

void DeletionJoiner::step(char base, std::string_view line, bool aside,
                          std::string& out) {
  if (base == 0 && line.empty()) {
    // A row VCF cannot carry (its REF is no base): no record spans it, as
    // none spans a hole in the positions.
    endSegment(out);
    inSegment_ = true;
    ++nextPos_;
    started_ = true;
    return;
  }
  const std::uint64_t pos = nextPos_++;
  started_ = true;
  if (own_) {
    ownInSegment_ = true;
    lastOwnPos_ = pos;
  }
  endRepeatable();
  RecordKind kind;
  if (!line.empty() && !aside) {
    kind = kindOf(line);
  }
  // Most records, and rows aside, away from any deletion: into the window
  // as they are, to be written as they came or taken in by a later one.
  const bool quiet = !line.empty() && !kind.deleted && !kind.multiBase &&
                     !bubbleOpen_ && openRuns_ + longRuns_ == 0;
  if (quiet) evict(out);
  Item& item = quiet ? window_.push() : *pending_;
  if (!quiet) {
    // Of the pending item only what is set below, `changed` and its group
    // are read (it goes into the window field by field): not reset whole.
    window_.release(item);
    item.changed = false;
  }
  item.start = pos;
  item.length = 1;
  item.lastBase = base;
  item.own = own_;
  item.record = !line.empty();
  item.aside = aside;
  item.view = line;
  if (quiet) return;
  Group* group = nullptr;
  if (kind.deleted) {
    // As parsed() would, without walking to REF again.
    group = &window_.groupOf(item);
    parseRecord(line, kind, *group);
    item.changed = true;  // `*` is never written as it came
  }
  bool afterBase = false;
  bool anyGap = false;
  if (kind.deleted || openRuns_ + longRuns_ > 0) {
    anyGap = noteGaps(group, afterBase);
  }
  if (bubbleOpen_ && !anyGap && !afterBase) closeBubble(out);
  const bool opens = anyGap && !bubbleOpen_;
  if (opens) openBubble(pos);
  if (anyGap && !gapsRepeated_) {
    for (std::size_t w = 0; w < inRun_.size(); ++w) {
      const std::uint64_t begun = gaps_[w] & ~inRun_[w];
      inRun_[w] |= begun;
      if (opens && anchorAfter_) runAfter_[w] |= begun;
      const auto count = static_cast<std::size_t>(std::popcount(begun));
      openRuns_ += count;
      runsInBubble_ += count;
    }
  }

  const bool needsNormalising = kind.multiBase && !kind.deleted;
  if (item.record || bubbleOpen_ || window_.empty() || window_.back().record ||
      window_.back().own != own_ || window_.back().length >= kBasesRun) {
    // Only what this step set on the pending item (the rest is as reset()
    // leaves it) goes into the new one: a whole item's swap was ~180
    // instructions, paid on every record near a deletion.
    Item& pushed = window_.push();
    pushed.start = item.start;
    pushed.length = item.length;
    pushed.lastBase = item.lastBase;
    pushed.own = item.own;
    pushed.record = item.record;
    pushed.aside = item.aside;
    pushed.changed = item.changed;
    pushed.view = item.view;
    pushed.group.swap(item.group);
    if (!item.record) storeBases(pos, {&base, 1});
    if (bubbleOpen_) ++bubbleItems_;
  } else {
    Item& back = window_.back();
    storeBases(pos, {&base, 1});
    ++back.length;
    back.lastBase = base;
  }
  if (bubbleOpen_ && pos + 1 - bubbleStart_ > maxDeletion_) {
    abandonBubble(out);
  } else if (needsNormalising && !bubbleOpen_) {
    Item& solo = *pending_;
    solo.swap(window_.back());
    window_.popBack();
    normalise(solo);
    pushNormalised(solo);
  }
  // An open bubble holds evict's bound at its start, and the window's
  // front only grows older behind it: what that bound lets go went when
  // the bubble opened (~14,000 positions in bubbles on c20.txt).
  if (!bubbleOpen_ || opens) evict(out);
  if (kind.deleted && kind.oneAlt && !kind.multiBase && bubbleOpen_ &&
      longRuns_ == 0 && base != 0) {
    noteRepeatableGap(line, kind);
  }
}

// A record of ALT `*` alone just pushed into the open bubble (the window's
// back): the records after it that repeat it (the same haplotypes go on
// deleted: 93 % of the realistic matrix's `*` records) may lengthen it.
void DeletionJoiner::noteRepeatableGap(std::string_view line,
                                       const RecordKind& kind) {
  repeatableSeq_ = window_.back().seq;
  repeatableTail_.assign(line.substr(kind.altStart));
  repeatableRefAt_ = kind.refStart;
}

// The REF bases stepRepeatedGap took into the repeatable item, into its
// group; no item is repeatable after.
void DeletionJoiner::endRepeatable() {
  if (repeatableSeq_ == 0) return;
  repeatableSeq_ = 0;
  if (repeatedRefs_.empty()) return;
  Group& group = *window_.back().group;
  group.ref.append(repeatedRefs_);
  group.spellings[0].append(repeatedRefs_);
  repeatedRefs_.clear();
}

// The first of `records` when it repeats the repeatable record from ALT on
// (so its genotypes, ALT `*`) at the next position, its REF one base:
// step() would push it as an item of its own whose gaps go on the runs as
// they are; instead it lengthens that item by its base, as closeBubble
// would join the two. Most records near deletions take this path: a
// compare, not a parse, its REF where the record before had it (or a byte
// on, as POS grows a digit), and its length known without looking for its
// end. Returns that length, or 0 when it does not apply (the record is for
// step()).
std::size_t DeletionJoiner::stepRepeatedGap(char base,
                                            std::string_view records) {
  if (repeatableSeq_ == 0 || window_.empty()) return 0;
  Item& back = window_.back();
  const std::uint64_t pos = nextPos_;
  if (!bubbleOpen_ || back.seq != repeatableSeq_ || base == 0 ||
      back.own != own_ || longRuns_ != 0 || !gapsKnown_ ||
      pos + 1 - bubbleStart_ > maxDeletion_) {
    return 0;
  }
  // REF between the third and fourth tabs: a record's first five fields
  // (CHROM, POS, ID, REF, ALT) are the writer's, so a tab before and after
  // the byte, and the rest of the line repeated after, say where REF is.
  std::size_t ref = repeatableRefAt_;
  const std::size_t size = repeatableTail_.size();
  if (ref + 3 + size > records.size()) return 0;
  if (records[ref - 1] != '\t') {
    ++ref;
    if (ref + 3 + size > records.size() || records[ref - 1] != '\t') return 0;
  }
  const std::size_t end = ref + 2 + size;
  if (records[ref + 1] != '\t' || records[end] != '\n' ||
      !sameText(records.substr(ref + 2, size), repeatableTail_)) {
    return 0;
  }
  repeatableRefAt_ = ref;
  nextPos_ = pos + 1;
  started_ = true;
  if (own_) {
    ownInSegment_ = true;
    lastOwnPos_ = pos;
  }
  ++back.length;
  back.lastBase = base;
  repeatedRefs_.push_back(records[ref]);
  return end;
}

// The bubble starts at the base before `pos` (the item that holds it), or,
// with no base there, at `pos`, its deletions anchored on the base after.
void DeletionJoiner::openBubble(std::uint64_t pos) {
  bubbleOpen_ = true;
  runsInBubble_ = 0;
  bubbleTainted_ = window_.empty() && atHorizon_;
  touch(window_.empty() ? 0 : window_.back().seq);
  exposeAside();
  if (window_.empty() || window_.back().lastBase == 0) {
    bubbleItems_ = 0;
    bubbleStart_ = pos;
    anchorAfter_ = true;
    return;
  }
  bubbleTainted_ = window_.back().tainted;
  Item& back = window_.back();
  if (!back.record && back.length > 1) {
    const char base = plainBase(lastBaseOf(back));
    const bool own = back.own;
    const bool tainted = back.tainted;
    --back.length;
    back.lastBase = plainBase(lastBaseOf(back));
    Item& anchor = window_.push();
    anchor.start = pos - 1;
    anchor.length = 1;
    anchor.lastBase = base;
    anchor.own = own;
    anchor.tainted = tainted;
    storeBases(pos - 1, {&base, 1});
  }
  bubbleItems_ = 1;
  bubbleStart_ = window_.back().start;
  anchorAfter_ = false;
}

void DeletionJoiner::closeBubble(std::string& out) {
  endRepeatable();
  Item& merged = *merged_;
  window_.release(merged);
  merged.reset();
  merged.record = true;
  merged.changed = true;
  const std::size_t first = window_.size() - bubbleItems_;
  merged.start = window_[first].start;
  merged.own = window_[first].own;
  merged.tainted = bubbleTainted_;
  merged.deletions = runsInBubble_;
  // The haplotypes' numbers in the item taken in last: most positions of a
  // bubble repeat them (the same haplotypes in the same runs of gaps), and
  // such a position only lengthens the spellings (extendSpellings). Every
  // item after the first was pushed while the bubble was open (step), so
  // its group is as parsed: its spelling 0 its REF.
  const std::uint32_t* lastOf = nullptr;
  // (Each item looked up once: the ring's index is ~8 instructions.)
  for (std::size_t i = first; i < window_.size(); ++i) {
    Item& item = window_[i];
    merged.tainted = merged.tainted || item.tainted;
    merged.deletions += item.deletions;
    merged.length += item.length;
    merged.lastBase = item.lastBase;
    Group& group = parsed(item);
    if (i == first) {
      lastOf_.assign(group.of.begin(), group.of.end());
      lastOf = lastOf_.data();
      merged.group = std::move(item.group);
      ofChanged_ = true;
    } else if (std::equal(group.of.begin(), group.of.end(), lastOf)) {
      extendSpellings(*merged.group, group);
    } else {
      flushSpellings(*merged.group);
      append(*merged.group, group);
      lastOf = group.of.data();  // the item stays until the loop ends
      ofChanged_ = true;
    }
  }
  flushSpellings(*merged.group);
  ofChanged_ = true;
  window_.shrink(first);
  bubbleItems_ = 0;
  bubbleOpen_ = false;
  normalise(merged);
  pushNormalised(merged);
  evict(out);
}

// The bubble's items that repeated records lengthened (stepRepeatedGap),
// each back to an item a position, as step() pushes them: the records
// written on their own, which a later record may take in one at a time.
void DeletionJoiner::splitRepeatedGaps() {
  const std::size_t first = window_.size() - bubbleItems_;
  bool lengthened = false;
  for (std::size_t i = first; i < window_.size(); ++i) {
    lengthened = lengthened || (window_[i].record && window_[i].length > 1);
  }
  if (!lengthened) return;
  heldItems_.resize(bubbleItems_);
  for (std::size_t i = 0; i < bubbleItems_; ++i) {
    heldItems_[i].swap(window_[first + i]);
  }
  window_.shrink(first);
  bubbleItems_ = 0;
  for (Item& item : heldItems_) {
    if (!item.record || item.length == 1) {
      window_.pushSwapped(item);
      ++bubbleItems_;
      continue;
    }
    const Group& group = *item.group;
    for (std::size_t k = 0; k < item.length; ++k) {
      // Its text stays empty: a changed record's is never read.
      Item& piece = window_.push();
      piece.start = item.start + k;
      piece.length = 1;
      piece.lastBase = traceBase({&group.ref[k], 1});
      piece.own = item.own;
      piece.tainted = item.tainted;
      piece.record = piece.changed = true;
      Group& one = window_.groupOf(piece);
      one.clear(haplotypes_);
      one.ref.assign(1, group.ref[k]);
      one.addSpelling().assign(one.ref);
      one.addSpelling();
      one.deletedNumber = group.deletedNumber;
      std::copy(group.of.begin(), group.of.end(), one.of.begin());
      ++bubbleItems_;
    }
    window_.release(item);
  }
}

// Longer than --max-deletion: the bubble's gap alleles, and the rest of
// its open runs, are written as missing, each record on its own.
void DeletionJoiner::abandonBubble(std::string& out) {
  gapsKnown_ = false;
  endRepeatable();
  splitRepeatedGaps();
  for (std::size_t i = window_.size() - bubbleItems_; i < window_.size(); ++i) {
    Item& item = window_[i];
    item.tainted = item.tainted || bubbleTainted_;
    if (!item.record || !item.group) continue;
    Group& group = *item.group;
    for (std::size_t h = 0; h < haplotypes_; ++h) {
      if (group.deleted(h)) group.of[h] = Group::kMissing;
    }
  }
  // A haplotype is never in both kinds of run: its runs go long at once.
  for (std::size_t w = 0; w < inRun_.size(); ++w) {
    longRun_[w] |= inRun_[w];
    longRuns_ += static_cast<std::size_t>(std::popcount(inRun_[w]));
    inRun_[w] = runAfter_[w] = 0;
  }
  openRuns_ = 0;
  if (own_) counts_.longDeletions += runsInBubble_;
  bubbleItems_ = 0;
  bubbleOpen_ = false;
  evict(out);
}

namespace {

// A haplotype whose allele is REF with missing bases (N) in it is missing:
// spelled, it would be an ALT of no other difference. True when one was.
bool markPartlyMissing(Group& group) {
  bool marked = false;
  for (std::size_t i = 0; i < group.count; ++i) {
    const std::string& allele = group.spellings[i];
    if (allele.size() != group.ref.size() || allele == group.ref) continue;
    bool refElsewhere = true;
    for (std::size_t at = 0; at < allele.size() && refElsewhere; ++at) {
      refElsewhere = allele[at] == group.ref[at] || allele[at] == 'N';
    }
    if (!refElsewhere) continue;
    for (std::uint32_t& spelling : group.of) {
      if (spelling != i) continue;
      spelling = Group::kMissing;
      marked = true;
    }
  }
  return marked;
}

}  // namespace

// As `bcftools norm` leaves a record: while every allele ends in the same
// base, that base goes (an allele about to be empty takes the base before
// it first: left-alignment through repeats); then a first base common to
// alleles of two bases or more goes. A record moved over is taken in.
void DeletionJoiner::align(Item& item, std::uint64_t limit) {
  Group& group = *item.group;
  // The spellings in use change only as a position is taken in (a record's
  // renumbers them, markPartlyMissing drops some): noted then, not at
  // each visit (~13 instructions a haplotype).
  markUsed(group);
  while (true) {
    bool empty = false;
    bool single = false;
    bool same = true;
    const char last = group.ref.empty() ? 0 : group.ref.back();
    forEachAllele(group, [&](const std::string& allele) {
      empty = empty || allele.empty();
      single = single || allele.size() == 1;
      same = same && !allele.empty() && allele.back() == last;
    });
    if (empty || (same && single)) {
      if (!extendLeft(item, limit)) break;
      // A haplotype missing here but not in the row taken in now spells
      // it and N after: missing, before its N can stop the alignment and
      // the trim below undo the step (leaving the record where that row
      // was).
      markPartlyMissing(group);
      markUsed(group);
      continue;
    }
    if (!same) break;
    forEachAllele(group, [](std::string& allele) { allele.pop_back(); });
  }
  while (true) {
    bool trim = true;
    const char first = group.ref[0];
    forEachAllele(group, [&](const std::string& allele) {
      trim = trim && allele.size() >= 2 && allele[0] == first;
    });
    if (!trim) break;
    forEachAllele(group, [](std::string& allele) { allele.erase(0, 1); });
    ++item.start;
  }
}

void DeletionJoiner::normalise(Item& item) {
  Group& group = parsed(item);
  const std::uint64_t start = item.start;
  const std::size_t refSize = group.ref.size();
  spanStart_ = start;
  spanRef_.clear();
  if (refSize == item.length) spanRef_ = group.ref;
  // How far back it may move: the same in every run, whatever the window
  // holds (a part's and the whole run's records agree).
  const std::uint64_t limit = start > maxDeletion_ ? start - maxDeletion_ : 0;
  markPartlyMissing(group);
  do {
    align(item, limit);
  } while (markPartlyMissing(group));
  // A haplotype deleted across a whole stretch of positions: no base to
  // anchor it on.
  for (std::size_t h = 0; h < haplotypes_; ++h) {
    if (group.deleted(h)) group.of[h] = Group::kMissing;
  }
  item.length = group.ref.size();
  item.lastBase = group.ref.back();
  if (item.start != start || group.ref.size() != refSize) item.changed = true;
}

// A normalised record into the window, with the positions it left (its
// trimmed bases, those it moved off) around it: the window keeps every
// position, so a later record that moves back over them spells their
// reference, not the next record's.
void DeletionJoiner::pushNormalised(Item& item) {
  const std::uint64_t spanEnd = spanStart_ + spanRef_.size();
  const std::uint64_t end = item.start + item.length;
  const bool own = item.own;
  const bool tainted = item.tainted;
  const bool left =
      !spanRef_.empty() && (spanStart_ < item.start || end < spanEnd);
  if (left) {  // most records leave no position
    const Group& group = *item.group;
    vacatedMissing_.resize(haplotypes_);
    for (std::size_t h = 0; h < haplotypes_; ++h) {
      vacatedMissing_[h] = group.missing(h);
    }
    pushVacated(spanStart_, item.start, own, tainted);
  }
  window_.pushSwapped(item);
  if (left) pushVacated(end, spanEnd, own, tainted);
}

// Positions [from, to) of the span normalise noted, each as a row aside
// (not written, but with --all-sites) of the record's part and taint: REF
// for every haplotype the record spells, missing for those it writes
// missing.
void DeletionJoiner::pushVacated(std::uint64_t from, std::uint64_t to, bool own,
                                 bool tainted) {
  for (std::uint64_t pos = from; pos < to; ++pos) {
    const char base = spanRef_[pos - spanStart_];
    Group& group = window_.groupOf(pushAside(pos, base, own, tainted));
    group.clear(haplotypes_);
    group.ref.assign(1, base);
    group.addSpelling().assign(group.ref);
    for (std::size_t h = 0; h < haplotypes_; ++h) {
      group.of[h] = vacatedMissing_[h] ? Group::kMissing : 0;
    }
  }
}

// The window's last position, when it is a row aside among bases, as the
// item of its own that a deletion takes in.
void DeletionJoiner::exposeAside() {
  if (window_.empty()) return;
  Item& back = window_.back();
  if (back.record || (lastBaseOf(back) & kTraceAside) == 0) return;
  // Its line: the item's last.
  std::string_view line;
  std::string text;
  bool kept = false;
  if (back.linesInStretch != 0) {
    line = lines_[back.linesFrom + --back.linesInStretch];
  } else if (back.linesKept != 0) {
    line = keptLines_[back.keptFrom + --back.linesKept];
    kept = true;
  } else {
    const std::string_view copies = back.asideText.view();
    const std::size_t last = copies.size() - 1;  // its newline
    const std::size_t start = last == 0 ? 0 : copies.rfind('\n', last - 1) + 1;
    text.assign(copies, start, last - start);
    back.asideText.truncate(start);
  }
  const char base = back.lastBase;
  const std::uint64_t pos = back.start + back.length - 1;
  const bool own = back.own;
  const bool tainted = back.tainted;
  if (--back.length == 0) {
    window_.popBack();
  } else {
    back.lastBase = plainBase(lastBaseOf(back));
  }
  Item& item = pushAside(pos, base, own, tainted);
  item.view = line;
  item.viewKept = kept;
  item.owned = std::move(text);
}

// A row aside at `pos` (REF `base`) at the window's end, for the caller to
// give its alleles (a line, or a group).
DeletionJoiner::Item& DeletionJoiner::pushAside(std::uint64_t pos, char base,
                                                bool own, bool tainted) {
  Item& item = window_.push();
  item.start = pos;
  item.length = 1;
  item.lastBase = base;
  item.own = own;
  item.tainted = tainted;
  item.record = item.aside = true;
  return item;
}

// Takes in the position before `item` (no further back than `limit`): a
// base, or the record there. At a warm-up's first row (the horizon) what
// lies before is unknown: the item is tainted.
bool DeletionJoiner::extendLeft(Item& item, std::uint64_t limit) {
  if (item.start == 0 || item.start - 1 < limit) return false;
  if (window_.size() <= bubbleItems_) {
    touch(0);
    item.tainted = item.tainted || atHorizon_;
    return false;
  }
  touch(window_.back().seq);
  exposeAside();
  Item& before = window_.back();
  if (before.lastBase == 0 || (before.record && before.start < limit)) {
    return false;
  }
  Group& group = *item.group;
  item.own = before.own;
  item.tainted = item.tainted || before.tainted;
  if (!before.record) {
    const char base = plainBase(lastBaseOf(before));
    forEachAllele(group, [&](std::string& allele) {
      allele.insert(allele.begin(), base);
    });
    if (!spanRef_.empty()) spanRef_.insert(spanRef_.begin(), base);
    spanStart_ = item.start - 1;
    --before.length;
    --item.start;
    if (before.length == 0) {
      window_.popBack();
    } else {
      before.lastBase = plainBase(lastBaseOf(before));
    }
    return true;
  }
  Group& front = parsed(before);
  if (front.ref.size() != before.length) {
    spanRef_.clear();
  } else if (!spanRef_.empty()) {
    spanRef_.insert(0, front.ref);
  }
  spanStart_ = before.start;
  append(front, group);
  std::swap(group, front);  // the contents: `group` stays item's
  item.start = before.start;
  item.deletions += before.deletions;
  window_.popBack();
  return true;
}

// Writes the oldest items, out of reach of any record to come: one moves
// back at most maxDeletion_ positions from where it starts.
void DeletionJoiner::evict(std::string& out) {
  const std::uint64_t earliest = bubbleOpen_ ? bubbleStart_ : nextPos_;
  if (earliest <= maxDeletion_) return;
  const std::uint64_t endBefore = earliest - maxDeletion_;
  while (window_.size() > bubbleItems_) {
    Item& front = window_.front();
    if (front.start + front.length >= endBefore) break;
    emit(front, out);
    window_.popFront();
  }
}

void DeletionJoiner::emit(Item& item, std::string& out) {
  while (syncsEmitted_ < syncs_.size() &&
         item.seq >= syncs_[syncsEmitted_].fromSeq) {
    Sync& sync = syncs_[syncsEmitted_++];
    sync.outAt = out.size();
    sync.countsEmitted = counts_;
  }
  if (!item.own || !item.record) return;
  if (item.aside && !item.changed) {
    // A row aside, or a position a record left: with --all-sites its own
    // record (a row aside taken in by none has no group: with --all-sites
    // every row is a record, so there is none).
    if (allSites_ && item.group) emitSites(item, out);
    return;
  }
  if (allSites_ && item.changed && !hasAlt(*item.group)) {
    emitSites(item, out);
    return;
  }
  if (regions_ != nullptr && !inRegions(item)) {
    ++counts_.outsideRegions;
    return;
  }
  if (item.tainted) refuseTainted();
  counts_.deletions += item.deletions;
  if (!item.changed) {
    out.append(item.text()).push_back('\n');
  } else if (!format(*item.group, item.start, out)) {
    return;
  }
  ++counts_.recordsOut;
}

void DeletionJoiner::refuseTainted() const {
  throw UsageError(
      "a deletion near the start of this part, or of the rows read for "
      "-r/-R, reaches back further than the rows read before it (" +
      std::to_string(maxDeletion_) +
      " positions, --max-deletion): split the matrix into fewer parts, "
      "or convert it whole (then bcftools view -r)");
}

// Whether format() would write `group`: a haplotype spells an allele
// other than REF.
bool DeletionJoiner::hasAlt(const Group& group) const {
  for (std::size_t h = 0; h < haplotypes_; ++h) {
    if (group.missing(h)) continue;
    const std::string& allele = group.allele(h);
    if (!allele.empty() && allele != group.ref) return true;
  }
  return false;
}

// --all-sites: a group of no ALT as a record of ALT `.` a position (as
// the writer's invariant rows), GT 0 where a haplotype spells REF, `.`
// where it is missing. A REF of more bases than the item's positions (a
// row's REF of two bases) stays one record.
void DeletionJoiner::emitSites(const Item& item, std::string& out) {
  const Group& group = *item.group;
  const bool perPosition = group.ref.size() == item.length;
  const std::size_t sites = perPosition ? item.length : 1;
  // As format(): a haplotype that spells no base here is not called.
  auto called = [&](std::size_t h) {
    return !group.missing(h) && !group.allele(h).empty();
  };
  std::size_t calls = 0;
  for (std::size_t h = 0; h < haplotypes_; ++h) calls += called(h);
  for (std::size_t k = 0; k < sites; ++k) {
    const std::uint64_t pos = item.start + k;
    const std::string_view ref =
        perPosition ? std::string_view(group.ref).substr(k, 1) : group.ref;
    if (regions_ != nullptr &&
        !RegionSet::overlaps(regions_->of(chrom_), pos, pos + ref.size() - 1)) {
      ++counts_.outsideRegions;
      continue;
    }
    if (item.tainted) refuseTainted();
    out.append(chrom_).push_back('\t');
    appendNumber(out, pos);
    out.append("\t.\t").append(ref).append("\t.\t.\t.\tAN=");
    appendNumber(out, calls);
    out.append("\tGT");
    for (std::size_t h = 0; h < haplotypes_; ++h) {
      out.push_back(h % 2 == 0 ? '\t' : pairSeparator_);
      out.push_back(called(h) ? '0' : '.');
    }
    out.push_back('\n');
    ++counts_.recordsOut;
  }
}

// A record's positions, [POS, POS + length of REF - 1], against the
// regions of its CHROM (the segment's). A record as it came has its REF
// after the third tab.
bool DeletionJoiner::inRegions(const Item& item) const {
  std::uint64_t refLength = 1;
  if (item.changed) {
    refLength = item.group->ref.size();
  } else {
    const std::string_view text = item.text();
    std::size_t at = 0;
    for (int field = 0; field < 3; ++field) at = text.find('\t', at) + 1;
    refLength = text.find('\t', at) - at;
  }
  return RegionSet::overlaps(regions_->of(chrom_), item.start,
                             item.start + refLength - 1);
}

// A fresh start, as a new joiner's (the buffers kept), noting sync points.
void DeletionJoiner::restart() {
  gapsKnown_ = false;
  window_.clear();
  keptLines_ = nullptr;
  std::fill(inRun_.begin(), inRun_.end(), 0);
  std::fill(runAfter_.begin(), runAfter_.end(), 0);
  std::fill(longRun_.begin(), longRun_.end(), 0);
  openRuns_ = longRuns_ = 0;
  runsInBubble_ = 0;
  bubbleItems_ = 0;
  bubbleOpen_ = bubbleTainted_ = anchorAfter_ = false;
  inSegment_ = false;
  chrom_.clear();
  nextPos_ = 0;
  counts_ = {};
  own_ = true;
  started_ = atHorizon_ = ownInSegment_ = false;
  lastOwnPos_ = 0;
  repeatableSeq_ = 0;
  repeatedRefs_.clear();
  alone_ = true;
  syncs_.clear();
  syncsEmitted_ = 0;
  nextSyncRow_ = kSyncFirst;
  segments_ = 0;
}

void DeletionJoiner::joinAlone(const RowTrace& trace, std::string_view records,
                               std::string& out) {
  restart();
  lines_ = trace.missingLines.data();
  Rows rows{trace, records};
  take(rows, trace.marks().size(), out);
  endSyncs(out.size());
  keepText(false);
}

// A sync point before `row`, if no deletion is open here: the items from
// the first after the last record at least kSyncReach positions back (items
// after a record are cut alike in every run), serialised.
void DeletionJoiner::noteSync(std::size_t row) {
  nextSyncRow_ = row + 1;
  if (!inSegment_ || bubbleOpen_ || openRuns_ + longRuns_ != 0) return;
  nextSyncRow_ = row + kSyncEvery;
  const std::uint64_t reach = nextPos_ > kSyncReach ? nextPos_ - kSyncReach : 0;
  std::size_t first = window_.size();
  while (first > 0 &&
         !(window_[first - 1].record &&
           window_[first - 1].start + window_[first - 1].length <= reach)) {
    --first;
  }
  if (first == 0 || first == window_.size()) return;
  Sync& sync = syncs_.emplace_back();
  sync.row = row;
  sync.from = window_[first].start;
  sync.fromSeq = window_[first].seq;
  sync.segments = segments_;
  sync.countsAt = counts_;
  serialise(first, sync.items);
}

// An operation read or changed the item numbered `seq` (0: found the window
// empty): a sync point whose first item compared comes after it is no
// longer one, since a joiner that knew the rows before holds other items
// there.
void DeletionJoiner::touch(std::uint64_t seq) {
  while (!syncs_.empty() && syncs_.back().fromSeq > seq) syncs_.pop_back();
  syncsEmitted_ = std::min(syncsEmitted_, syncs_.size());
}

// The chunk ended: a sync point holds only if every item before its first
// compared has gone (the state handed on has none of them).
void DeletionJoiner::endSyncs(std::size_t outSize) {
  if (!window_.empty()) touch(window_.front().seq);
  for (std::size_t i = syncsEmitted_; i < syncs_.size(); ++i) {
    syncs_[i].outAt = outSize;
    syncs_[i].countsEmitted = counts_;
  }
  syncsEmitted_ = syncs_.size();
}

// Whether this joiner, at `sync`'s row, is in the state joinAlone's was
// there: no deletion open, the same segment, and the same items from
// `sync.from` on (its place in the window: `first`).
bool DeletionJoiner::matches(const Sync& sync, std::size_t& first) {
  if (!inSegment_ || bubbleOpen_ || openRuns_ + longRuns_ != 0) return false;
  first = window_.size();
  while (first > 0 && window_[first - 1].start >= sync.from) --first;
  if (first == window_.size() || window_[first].start != sync.from) {
    return false;
  }
  serialise(first, serialised_);
  return serialised_ == sync.items;
}

// The segment and the items from `first` on, everything a record to come
// may read of them, as bytes.
void DeletionJoiner::serialise(std::size_t first, std::string& to) {
  to.clear();
  auto number = [&](std::uint64_t value) {
    to.append(reinterpret_cast<const char*>(&value), sizeof value);
  };
  auto text = [&](std::string_view bytes) {
    number(bytes.size());
    to.append(bytes);
  };
  text(chrom_);
  number(nextPos_);
  for (std::size_t i = first; i < window_.size(); ++i) {
    const Item& item = window_[i];
    number(item.start);
    number(item.length);
    number(item.deletions);
    to.push_back(item.lastBase);
    to.push_back(static_cast<char>(item.record | item.aside << 1 |
                                   item.changed << 2 | item.own << 3 |
                                   item.tainted << 4));
    text(basesOf(item, basesText_));
    // The rows aside's lines, wherever they are now.
    const std::span<const std::string_view> kept(keptLines_ + item.keptFrom,
                                                 item.linesKept);
    const std::span<const std::string_view> current(lines_ + item.linesFrom,
                                                    item.linesInStretch);
    std::size_t linesSize = item.asideText.size();
    for (const std::string_view line : kept) linesSize += line.size() + 1;
    for (const std::string_view line : current) linesSize += line.size() + 1;
    number(linesSize);
    to.append(item.asideText.view());
    for (const std::string_view line : kept) to.append(line).push_back('\n');
    for (const std::string_view line : current) {
      to.append(line).push_back('\n');
    }
    // A changed record's text is stale (its group is the record).
    if (item.record && !item.changed) text(item.text());
    number(item.group != nullptr);
    if (!item.group) continue;
    const Group& group = *item.group;
    text(group.ref);
    number(group.count);
    for (std::size_t k = 0; k < group.count; ++k) text(group.spellings[k]);
    for (const std::uint32_t spelling : group.of) number(spelling);
  }
}

bool DeletionJoiner::joinBorder(DeletionJoiner& alone,
                                std::string_view aloneOut,
                                const RowTrace& trace, std::string_view records,
                                std::string& out) {
  lines_ = trace.missingLines.data();
  Rows rows{trace, records};
  for (const Sync& sync : alone.syncs_) {
    take(rows, sync.row, out);
    std::size_t first = 0;
    if (!matches(sync, first)) continue;
    // The items before the first compared: beyond the reach of the records
    // to come (none reached them in `alone`), so final now.
    for (std::size_t i = 0; i < first; ++i) {
      emit(window_.front(), out);
      window_.popFront();
    }
    out.append(aloneOut.substr(sync.outAt));
    DeletionCounts counts = counts_;
    const DeletionCounts& end = alone.counts_;
    counts.longDeletions += end.longDeletions - sync.countsAt.longDeletions;
    counts.recordsOut += end.recordsOut - sync.countsEmitted.recordsOut;
    counts.outsideRegions +=
        end.outsideRegions - sync.countsEmitted.outsideRegions;
    counts.deletions += end.deletions - sync.countsEmitted.deletions;
    // A part's horizon, where this joiner's segment began, stays one; a
    // record of `alone` after the point never reached it (it would have
    // found the window empty).
    const bool horizon = atHorizon_ && alone.segments_ == sync.segments;
    const std::uint64_t borders = bordersJoined_ + 1;
    std::swap(*this, alone);
    counts_ = counts;
    atHorizon_ = horizon;
    bordersJoined_ = borders;
    alone_ = false;
    syncs_.clear();
    syncsEmitted_ = 0;
    return true;
  }
  take(rows, trace.marks().size(), out);
  keepText(false);
  return false;
}

}  // namespace hapmat
