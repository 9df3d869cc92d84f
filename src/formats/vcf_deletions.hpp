#pragma once
// VCF deletions (docs/FORMAT.md §5, "Deletions"): the rows' gap alleles
// joined into anchored, left-aligned deletion records. It works on the VCF
// records as the writer wrote them, one position at a time in input order,
// with the stretch's RowTrace for the rows that were not written: so both
// engines, whatever their chunks, feed it the same records and get the same
// bytes, and a deletion may cross any chunk border.
//
// Overlapping deletions, and any record they meet (a SNP, an insertion, the
// anchor), become one record: a "bubble" whose alleles spell each
// haplotype across it, so no two records overlap and each haplotype's bases
// are spelled exactly once. Every record with an allele longer than a base
// is then normalised as `bcftools norm -f` would: trimmed to one anchor
// base and left-aligned through repeats, taking in the records it moves
// over.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "formats/row_trace.hpp"
#include "matrix/regions.hpp"

namespace hapmat {

/** What the joiner did, for the summary. */
struct DeletionCounts {
  std::uint64_t recordsOut = 0;      ///< records it wrote
  std::uint64_t deletions = 0;       ///< gap runs written as deletion alleles
  std::uint64_t longDeletions = 0;   ///< gap runs written as missing (too long)
  std::uint64_t outsideRegions = 0;  ///< records not written: outside -r/-R
};

class DeletionJoiner {
 public:
  /** `haplotypeColumns`: the matrix columns of a record's genotypes, in
   * order (2 per sample, or 1 when `haploid`), for rows of `columns`
   * fields split on `delimiter`. A bubble (and the look-back of
   * left-alignment) spans at most `maxDeletion` bases. */
  DeletionJoiner(std::vector<std::size_t> haplotypeColumns, char delimiter,
                 std::size_t columns, std::size_t maxDeletion,
                 bool haploid = false);
  ~DeletionJoiner();
  DeletionJoiner(DeletionJoiner&&);
  DeletionJoiner& operator=(DeletionJoiner&&);
  /** A joiner of the same matrix and bound, new (for a chunk's joinAlone). */
  std::unique_ptr<DeletionJoiner> sameKind() const;

  /**
   * Takes a stretch's rows: `trace`, with `records`, the VCF lines written
   * for its written rows, in order. Appends the records that are final to
   * `out`. With `textKept`, the caller keeps the stretch's text (its lines
   * and records) and trace until the next call that takes rows (add,
   * joinBorder) or finish() has returned, and the joiner copies only what
   * it still needs of them then; else it copies that before it returns.
   */
  void add(const RowTrace& trace, std::string_view records, std::string& out,
           bool textKept = false);
  /** The input ended: appends the rest. */
  void finish(std::string& out);

  /**
   * Chunks joined in parallel: joins a chunk's rows as add() would, but
   * from a new start, knowing nothing of the rows before them (on a
   * worker); appends the records it wrote to `out`. It notes a few points
   * of the chunk where it may agree with a joiner that did know them: no
   * deletion open, and the items in reach of the records to come made
   * alike (joinBorder checks that they are).
   */
  void joinAlone(const RowTrace& trace, std::string_view records,
                 std::string& out);
  /**
   * The serial side: takes the chunk's rows as add() would up to the first
   * point where this joiner's state is `alone`'s there, appends what it
   * wrote and `alone`'s records after that point (`aloneOut`, from
   * joinAlone), and goes on from `alone`'s state at the chunk's end (the
   * two joiners swap). With no such point it takes every row itself. So
   * the bytes are add()'s whatever the chunks. True when a point was found.
   */
  bool joinBorder(DeletionJoiner& alone, std::string_view aloneOut,
                  const RowTrace& trace, std::string_view records,
                  std::string& out);
  /** Chunks whose border joinBorder found (the rest it took whole). */
  std::uint64_t bordersJoined() const { return bordersJoined_; }

  /**
   * Parts: whether the rows given from now on are the part's own (true at
   * first). Only records that start at an own row are written. Rows given
   * before the first own ones are a warm-up, read before the part's range:
   * the joiner starts there knowing nothing, so a record of its own rows
   * that reaches back to that start cannot be known and is refused
   * (UsageError) rather than written wrong.
   */
  void setOwn(bool own);
  /** After the own rows: whether no row after them can change a record
   * that starts at one (the rows after a part, read on until then). */
  bool settled() const;
  /** The first rows given do not start their CHROM, as a warm-up's (rows
   * read from the middle of a file, all own): a record that reaches back
   * to them cannot be known and is refused when it is to be written. */
  void startAtHorizon();
  /** -r/-R: only the records that overlap `regions` are written (as
   * `bcftools view -r` keeps them), the others counted; null: every one. */
  void selectRegions(const RegionSet* regions) { regions_ = regions; }
  /** --all-sites: every position a row gives is in one written record;
   * those no record with an ALT spans (a normalised record's trimmed
   * bases, a record without an ALT) get one of ALT `.` each. */
  void writeAllSites(bool allSites) { allSites_ = allSites; }

  const DeletionCounts& counts() const { return counts_; }

  struct Item;
  struct Group;
  struct RecordKind;

 private:
  struct Sync;
  /** A stretch's rows being taken, from `row` on. */
  struct Rows {
    const RowTrace& trace;
    std::string_view records;
    std::size_t row = 0;
    std::size_t nextStart = 0;
    std::size_t nextMissing = 0;
  };
  void take(Rows& rows, std::size_t until, std::string& out);
  void keepText(bool textKept);
  void noteSync(std::size_t row);
  void touch(std::uint64_t seq);
  void endSyncs(std::size_t outSize);
  bool matches(const Sync& sync, std::size_t& first);
  void serialise(std::size_t first, std::string& to);
  void restart();
  void beginSegment(const RowTrace::Start& start, std::string& out);
  void endSegment(std::string& out);
  void step(char base, std::string_view line, bool aside, std::string& out);
  std::size_t stepRepeatedGap(char base, std::string_view records);
  void noteRepeatableGap(std::string_view line, const RecordKind& kind);
  void endRepeatable();
  void splitRepeatedGaps();
  std::size_t pushBases(std::string_view marks, std::size_t firstLine,
                        std::string& out);
  void storeBases(std::uint64_t from, std::string_view marks);
  void growBases(std::uint64_t oldest, std::uint64_t from, std::uint64_t end);
  char lastBaseOf(const Item& item) const;
  std::string_view basesOf(const Item& item, std::string& to) const;
  void openBubble(std::uint64_t pos);
  void closeBubble(std::string& out);
  void abandonBubble(std::string& out);
  void normalise(Item& item);
  void pushNormalised(Item& item);
  void pushVacated(std::uint64_t from, std::uint64_t to, bool own,
                   bool tainted);
  bool hasAlt(const Group& group) const;
  void emitSites(const Item& item, std::string& out);
  void refuseTainted() const;
  void align(Item& item, std::uint64_t limit);
  bool extendLeft(Item& item, std::uint64_t limit);
  void exposeAside();
  Item& pushAside(std::uint64_t pos, char base, bool own, bool tainted);
  void evict(std::string& out);
  void emit(Item& item, std::string& out);
  bool inRegions(const Item& item) const;
  Group& parsed(Item& item);
  void parseMissingRow(std::string_view line, char base, Group& group);
  void parseRecord(std::string_view line, const RecordKind& kind, Group& group);
  void parseGenotypes(std::string_view genotypes, std::uint32_t* of) const;
  bool noteGaps(Group* group, bool& afterBase);
  void markLongRunsMissing(std::size_t w, std::uint64_t deletedHere,
                           std::uint32_t* of);
  void append(Group& front, const Group& back);
  void extendSpellings(Group& front, const Group& back);
  void sortSpellings(const Group& front, const Group& back);
  void flushSpellings(Group& front);
  bool format(const Group& group, std::uint64_t pos, std::string& out);
  std::uint32_t altNumber(std::string_view allele);

  /** The window's items, oldest first, in a ring whose items (and their
   * buffers) are reused: no allocation per position or record once warm. */
  class Window {
   public:
    Window();
    ~Window();
    Window(Window&&);
    Window& operator=(Window&&);
    std::size_t size() const { return size_; }
    bool empty() const { return size_ == 0; }
    Item& operator[](std::size_t index);
    Item& front() { return (*this)[0]; }
    Item& back() { return (*this)[size_ - 1]; }
    Item& push();  // a cleared item at the back
    /** Swaps `item` into a new item at the back, which keeps its number. */
    Item& pushSwapped(Item& item);
    void popFront();
    void popBack() {
      release(back());
      --size_;
    }
    void shrink(std::size_t size);
    void clear() { shrink(0); }
    /** `item`'s group, a spare one if it has none. */
    Group& groupOf(Item& item);
    /** Gives `item`'s group back to the spares. */
    void release(Item& item);

   private:
    std::vector<Item> slots_;  // a power of two of them
    // slots_.size() - 1, kept: from the vector's size it is a division by
    // the item's size at each lookup.
    std::size_t mask_;
    // Groups of items gone, to reuse: few and recently used, so in cache.
    std::vector<std::unique_ptr<Group>> spareGroups_;
    std::size_t head_ = 0;
    std::size_t size_ = 0;
    std::uint64_t nextSeq_ = 1;  // Item::seq, in window order
  };

  std::vector<std::size_t> haplotypeColumns_;
  // What a genotype's second haplotype follows: `|`, or with haploid
  // samples a tab (each haplotype a sample).
  char pairSeparator_;
  char delimiter_;
  std::size_t columns_;
  std::vector<std::string_view> fields_;  // of a row written aside
  // The missingLines of the stretch being taken (Item::linesFrom), and of
  // the stretch before while its text is kept (Item::keptFrom).
  const std::string_view* lines_ = nullptr;
  const std::string_view* keptLines_ = nullptr;
  std::size_t haplotypes_;
  std::size_t maxDeletion_;
  DeletionCounts counts_;
  bool own_ = true;
  const RegionSet* regions_ = nullptr;
  bool started_ = false;    // a row was given
  bool atHorizon_ = false;  // the segment began at a warm-up's first row
  bool ownInSegment_ = false;
  std::uint64_t lastOwnPos_ = 0;
  bool bubbleTainted_ = false;  // the open bubble reached the horizon
  // The current stretch of consecutive positions.
  bool inSegment_ = false;
  std::string chrom_;
  std::uint64_t nextPos_ = 0;
  Window window_;  // the last positions
  // The bases of the window's positions, a byte each at its position modulo
  // the size (a power of two; storeBases); an item's copied out for a
  // group or serialise.
  std::string positionBases_;
  std::string basesText_;
  // The open bubble: the last bubbleItems_ items of the window.
  std::size_t bubbleItems_ = 0;
  std::uint64_t bubbleStart_ = 0;
  bool bubbleOpen_ = false;
  bool anchorAfter_ = false;  // the bubble has no base before it
  // A bit per haplotype, 64 a word: in a gap run; whose run has no base
  // before it; in a run written as missing (never also in a gap run).
  std::vector<std::uint64_t> inRun_, runAfter_, longRun_;
  std::vector<std::uint64_t> gaps_;  // of the current record, not written
                                     // as missing
  // The gaps of the gap record noteGaps saw last (its `*` number
  // gapsDeleted_), while they still tell the gaps of a record with the same
  // genotypes (gapsKnown_: no other genotypes parsed, no run cleared since);
  // whether the current record's were those.
  std::vector<std::uint64_t> gapsHere_;
  std::uint32_t gapsDeleted_ = 0;
  bool gapsKnown_ = false;
  bool gapsRepeated_ = false;
  // The genotypes parseRecord read last, as text and as numbers.
  std::string genotypesText_;
  std::vector<std::uint32_t> genotypesOf_;
  std::size_t openRuns_ = 0;
  // The item of the open bubble a `*` record repeating it may lengthen
  // (stepRepeatedGap), the window's back: its number (0: none); its
  // record's text from ALT on, which such a record repeats; where the last
  // such record's REF was; the REF bases taken, not yet in its group.
  // abandonBubble's items set aside.
  std::uint64_t repeatableSeq_ = 0;
  std::string repeatableTail_;
  std::size_t repeatableRefAt_ = 0;
  std::string repeatedRefs_;
  std::vector<Item> heldItems_;
  std::uint64_t runsInBubble_ = 0;
  std::size_t longRuns_ = 0;
  // Items being built outside the window (a record before it is pushed, a
  // bubble or a record being normalised), swapped in when done.
  std::unique_ptr<Item> pending_, merged_;
  std::unique_ptr<Group> joined_;  // two groups being appended
  // Of two groups being appended: a number per pair of their spellings; the
  // number whose spelling took a front spelling's buffer, and its length.
  std::vector<std::uint32_t> pairNumbers_, takenBy_;
  std::vector<std::size_t> takenLengths_;
  // closeBubble: the numbers of the group taken in last, when they are no
  // longer its item's; per spelling of the bubble, its first haplotype
  // (stale when ofChanged_).
  std::vector<std::uint32_t> lastOf_, firstOf_;
  bool ofChanged_ = true;
  // normalise: the reference across every position the record covered
  // while it moved (taken in on the left, trimmed on either side), from
  // spanStart_ on; empty when a REF of more bases than positions (a row's
  // REF of two bases) makes positions and bases disagree.
  std::string spanRef_;
  std::uint64_t spanStart_ = 0;
  // pushNormalised: per haplotype, missing in the record (its positions
  // left keep that).
  std::vector<std::uint8_t> vacatedMissing_;
  bool allSites_ = false;
  // extendSpellings' run: the spellings whose first haplotype spells REF
  // there, is missing, or spells another allele; where in the bubble's REF
  // the run's REF not yet given to the first two classes starts.
  std::vector<std::uint32_t> refSpellings_, missingSpellings_, otherSpellings_;
  std::size_t refFrom_ = 0;
  // Of a record being formatted.
  std::vector<std::string_view> alts_;
  std::unordered_map<std::string_view, std::uint32_t> altIndex_;  // altNumber
  std::vector<std::uint32_t> alleleNumbers_, alleleCounts_, spellingNumbers_;
  // joinAlone: the points noted (those still possible), and from which
  // row the next may be; the segments begun.
  bool alone_ = false;
  std::vector<Sync> syncs_;
  std::size_t nextSyncRow_ = 0;
  std::size_t syncsEmitted_ = 0;  // syncs_ whose first item was emitted
  std::uint64_t segments_ = 0;
  std::string serialised_;  // joinBorder's, of its own items
  std::uint64_t bordersJoined_ = 0;
};

}  // namespace hapmat
