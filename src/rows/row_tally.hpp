#pragma once
// What the rows of one stretch of input (a pipeline chunk, or a block of
// the reference engine) came to, recorded as they are converted: counts,
// the first bad rows, the runs of CHROM values, and the order of the
// written rows when an index will be built. Lines are counted from the
// stretch's first line; the engine merges stretches in input order.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "formats/row_trace.hpp"
#include "matrix/row_fields.hpp"
#include "rows/text_row_converter.hpp"

namespace hapmat {

/** Bad rows whose problem is kept for the summary. */
inline constexpr std::size_t kKeptBadRows = 10;

/** The index a VCF output gets, and so the order its rows must keep. */
enum class IndexKind : std::uint8_t {
  kNone,
  kAuto,  ///< tabix (.tbi) when every row fits it, else CSI
  kTbi,
  kCsi,
};

/** A row problem at a line (counted from the stretch's or input's start). */
struct LineProblem {
  std::uint64_t line = 0;
  RowProblem problem;
  /// A second line the reason names: rendered "reason (line N)detail".
  std::optional<std::uint64_t> otherLine;
  std::string detail;
};

/** Where one run of rows with the same CHROM starts. */
struct ChromRun {
  std::string chrom;
  std::uint64_t line = 0;
};

/**
 * Checks that written rows can be indexed: each CHROM's rows together, POS
 * not going back within a CHROM, and every row inside what the index can
 * hold. Fed a row at a time within a stretch, or the stretches' runs in
 * order for the whole input.
 */
class WrittenOrder {
 public:
  /** A run of written rows of one CHROM. */
  struct Run {
    std::string chrom;
    std::uint64_t firstPos = 0;
    std::uint64_t lastPos = 0;
    std::uint64_t firstLine = 0;
    std::uint64_t lastLine = 0;
  };

  /** `csiCapacity`: the largest row end a CSI index holds. */
  WrittenOrder(IndexKind kind, std::uint64_t csiCapacity);

  /** Records a written row; false, with problem(), when it cannot be
   * indexed after what came before. */
  bool addRow(std::string_view chrom, std::string_view pos,
              std::size_t refLength, std::uint64_t line);
  /** Continues with a stretch's rows, whose lines start after lineBase;
   * false, with problem(), at the first that cannot be indexed. */
  bool append(const WrittenOrder& stretch, std::uint64_t lineBase);

  const std::vector<Run>& runs() const { return runs_; }
  const std::optional<LineProblem>& problem() const { return problem_; }
  /** The largest POS - 1 + length(REF) seen: what the index must hold. */
  std::uint64_t maxEnd() const { return maxEnd_; }
  void clear();

 private:
  bool fits(std::string_view chrom, std::uint64_t pos, std::uint64_t end,
            std::uint64_t line);
  void fail(std::uint64_t line, std::size_t column, std::string reason,
            std::string detail);
  bool add(std::string_view chrom, std::uint64_t firstPos,
           std::uint64_t lastPos, std::uint64_t firstLine,
           std::uint64_t lastLine);

  IndexKind kind_;
  std::uint64_t csiCapacity_;
  std::vector<Run> runs_;
  std::unordered_set<std::string> done_;  // CHROMs whose rows have ended
  std::optional<LineProblem> problem_;
  std::uint64_t maxEnd_ = 0;
};

/** The largest row end (POS - 1 + length(REF)) a tabix index holds. */
inline constexpr std::uint64_t kTbiCapacity = std::uint64_t{1} << 29;

/**
 * The largest row end a CSI index of a VCF holds, as htslib's tabix indexer
 * sizes it: 2^32, or more when the longest contig length needs it.
 */
std::uint64_t csiCapacity(std::uint64_t longestContig);

struct StretchTally {
  explicit StretchTally(IndexKind index = IndexKind::kNone,
                        std::uint64_t csiCapacityBytes = 0)
      : order(index, csiCapacityBytes) {}

  void clear();

  std::uint64_t lines = 0;  ///< every line, blank ones included
  std::uint64_t rowsRead = 0;
  std::uint64_t rowsWritten = 0;
  std::uint64_t rowsNotCarried = 0;
  std::uint64_t rowsOutside = 0;  ///< of the regions
  std::uint64_t allelesLeftOut = 0;
  std::uint64_t badRows = 0;
  std::vector<LineProblem> firstBad;  ///< at most kKeptBadRows
  bool tracksChroms = false;          ///< whether `chroms` is kept
  std::vector<ChromRun> chroms;
  std::uint64_t chromVersion = ~std::uint64_t{0};  // of the last noted row
  bool tracksOrder = false;  ///< whether written rows go to `order`
  WrittenOrder order;
  /// --fai's sequence lengths: a written row past its CHROM's end stops
  /// the stretch (null: not checked)
  const std::unordered_map<std::string, std::uint64_t>* lengths = nullptr;
  std::uint64_t chromLength = 0;  ///< of the last noted CHROM; 0: unknown
  std::optional<LineProblem> pastEnd;
  /// VCF deletions: whether every row goes to `trace` (the converter must
  /// track missing alleles)
  bool tracksRows = false;
  RowTrace trace;
};

/**
 * Converts one line (without its '\n') with `rows` (TextRowConverter or
 * RowPhaser), appending a written row to `out`, and records it in `tally`
 * as line number `tally.lines`. Returns false when the stretch must stop: a
 * bad row without `skipBadRows`, or a row out of order for the index.
 */
template <class Rows>
bool convertLine(Rows& rows, std::string_view line, bool skipBadRows,
                 StretchTally& tally, ByteBuffer& out);

/** convertLine's steps around the row's conversion, for a loop that
 * converts rows its own way (row_loop.cpp). beginLine counts line `number`
 * and strips a '\r'; false: the line is empty, nothing more to do. endLine
 * records the row's outcome, as convertLine returns, but for the trace:
 * with `tracksRows` the loop adds a row that is not bad to it first
 * (tally_detail::noteRow, or its own way). */
inline bool beginLine(StretchTally& tally, std::string_view& line,
                      std::uint64_t& number);
template <class Rows>
bool endLine(const Rows& rows, RowOutcome outcome, std::uint64_t number,
             bool skipBadRows, StretchTally& tally);

namespace tally_detail {
/** A row's trace mark but its base (kTraceWritten, kTraceAside or 0),
 * keeping the line of a row aside in `tally.trace.missingLines`. */
template <class Rows>
char markRow(StretchTally& tally, const Rows& rows, std::string_view line,
             RowOutcome outcome);
/** Adds a row that is not bad to `tally.trace`, from what `rows` kept of
 * it. */
template <class Rows>
void noteRow(StretchTally& tally, const Rows& rows, std::string_view line,
             RowOutcome outcome);
}  // namespace tally_detail

}  // namespace hapmat

#include "rows/row_tally-inl.hpp"
