#pragma once
// Regions of the genome a conversion keeps (-r/--regions, -R/--regions-file),
// as bcftools reads them, and the lookup of a row's CHROM and POS in them.

#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace hapmat {

/** The last position a region can reach: "to the CHROM's end". */
inline constexpr std::uint64_t kRegionEnd =
    std::numeric_limits<std::uint64_t>::max();

/** Positions [from, to] of one CHROM, 1-based and inclusive. */
struct Region {
  std::string chrom;
  std::uint64_t from = 1;
  std::uint64_t to = kRegionEnd;

  bool operator==(const Region&) const = default;
};

/**
 * Parses -r's list: REG[,REG...], each `CHROM` (all of it), `CHROM:POS` (one
 * position), `CHROM:FROM-` (to its end) or `CHROM:FROM-TO`, as bcftools
 * reads them. Throws UsageError naming the bad region.
 */
std::vector<Region> parseRegions(std::string_view list);

/**
 * Parses a regions file's text: `CHROM POS` or `CHROM FROM TO` a line
 * (1-based, inclusive; more columns are ignored), or with `bed` `CHROM START
 * END` (0-based, half-open). Fields are separated by tabs or spaces; lines
 * starting with `#`, `track ` or `browser ` and blank lines are skipped.
 * Throws UsageError "source:line:column: reason".
 */
std::vector<Region> parseRegionsFile(std::string_view text,
                                     const std::string& source, bool bed);

/** Reads -R's file (plain or gzip): BED when its name ends in `.bed` or
 * `.bed.gz`, as bcftools decides. Throws UsageError, IoError. */
std::vector<Region> readRegionsFile(const std::string& path);

/** Regions merged per CHROM, asked whether a row is in one of them. */
class RegionSet {
 public:
  explicit RegionSet(const std::vector<Region>& regions);

  /** The merged, sorted [from, to] of `chrom`'s regions (none: empty). */
  using Span = std::span<const std::pair<std::uint64_t, std::uint64_t>>;
  Span of(std::string_view chrom) const;
  /** The CHROMs that have regions. */
  std::vector<std::string> chroms() const;

  /** Whether `pos` is in one of `intervals`. */
  static bool holds(Span intervals, std::uint64_t pos);
  /** Whether [from, to] meets one of `intervals` (a record spanning them,
   * as `bcftools view -r` keeps it). */
  static bool overlaps(Span intervals, std::uint64_t from, std::uint64_t to);

 private:
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const {
      return std::hash<std::string_view>{}(text);
    }
  };
  std::unordered_map<std::string,
                     std::vector<std::pair<std::uint64_t, std::uint64_t>>, Hash,
                     std::equal_to<>>
      byChrom_;
};

/** Positions [from, to] of a CHROM that are all inside the regions, or all
 * outside. */
struct RegionRun {
  std::uint64_t from = 0;
  std::uint64_t to = kRegionEnd;
  bool inside = false;
};

/** One converter's view of a RegionSet: remembers the last CHROM's
 * regions, since most rows repeat it. */
class RegionCursor {
 public:
  explicit RegionCursor(const RegionSet& regions) : regions_(regions) {}

  bool contains(std::string_view chrom, std::uint64_t pos) {
    return RegionSet::holds(intervalsOf(chrom), pos);
  }

  /** The longest run of positions around `pos` that are all inside the
   * regions or all outside: rows mostly come in POS order, so the next
   * ones can be decided against it without a lookup. */
  RegionRun runAt(std::string_view chrom, std::uint64_t pos);

 private:
  RegionSet::Span intervalsOf(std::string_view chrom) {
    if (chrom != chrom_) {
      chrom_.assign(chrom);
      intervals_ = regions_.of(chrom);
    }
    return intervals_;
  }

  const RegionSet& regions_;
  std::string chrom_ = std::string(1, '\0');  // no CHROM is one NUL byte
  RegionSet::Span intervals_;
};

}  // namespace hapmat
