#include "matrix/region_span.hpp"

#include <charconv>
#include <map>
#include <unordered_map>

#include "hapmat/error.hpp"
#include "io/compressed_input.hpp"
#include "io/random_lines.hpp"

namespace hapmat {

namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

const char kUnsorted[] =
    ": --regions finds rows by bisection, which needs each CHROM's rows "
    "together and sorted by POS (sort the matrix, or drop -r/-R and filter "
    "the whole output with bcftools view)";

// A row's place in the file's order: its CHROM's rank, then POS.
struct Key {
  std::size_t chrom = 0;
  std::uint64_t pos = 0;

  auto operator<=>(const Key&) const = default;
};

struct Probe {
  std::uint64_t position = 0;  // RandomLines' place of the line
  Key key;
  std::string chrom;
};

class SpanSearch {
 public:
  SpanSearch(RandomLines& lines, char delimiter,
             const std::vector<std::string>& chroms, std::string name)
      : lines_(lines), delimiter_(delimiter), name_(std::move(name)) {
    for (std::size_t i = 0; i < chroms.size(); ++i) rank_.emplace(chroms[i], i);
  }

  std::optional<std::size_t> rank(const std::string& chrom) const {
    auto found = rank_.find(chrom);
    if (found == rank_.end()) return std::nullopt;
    return found->second;
  }

  // The largest offset found whose first row comes before `first`.
  std::uint64_t begin(Key first) {
    std::optional<Probe> head = probe(0);
    if (!head || head->key >= first) return 0;
    std::uint64_t lo = 0;
    std::uint64_t hi = lines_.size();
    // Closer ends leave rows to read and filter, cheaper than more reads.
    while (hi - lo > lines_.scanBytes()) {
      std::uint64_t mid = lo + (hi - lo) / 2;
      std::optional<Probe> found = probe(mid);
      (!found || found->key >= first ? hi : lo) = mid;
    }
    return lo;
  }

  // The smallest offset found from `from` on whose first row (if any)
  // comes after `last`.
  std::uint64_t end(std::uint64_t from, Key last) {
    std::uint64_t lo = from;
    std::uint64_t hi = lines_.size();
    while (hi - lo > lines_.scanBytes()) {
      std::uint64_t mid = lo + (hi - lo) / 2;
      std::optional<Probe> found = probe(mid);
      (!found || found->key > last ? hi : lo) = mid;
    }
    return hi;
  }

 private:
  // The first data row from `offset` on; lines that are not (the prologue,
  // blank lines, a row whose POS is no number) are passed over.
  std::optional<Probe> probe(std::uint64_t offset) {
    std::optional<Probe> found;
    lines_.visit(offset, [&](std::uint64_t position, std::string_view head) {
      found = parse(position, head);
      return !found;
    });
    if (found) check(*found);
    return found;
  }

  std::optional<Probe> parse(std::uint64_t position, std::string_view head) {
    if (position == 0 && head.starts_with(kUtf8Bom)) {
      head.remove_prefix(kUtf8Bom.size());
    }
    if (head.ends_with('\r')) head.remove_suffix(1);
    if (head.empty() || head.starts_with('#')) return std::nullopt;
    std::size_t chromEnd = head.find(delimiter_);
    if (chromEnd == std::string_view::npos) return std::nullopt;
    std::string chrom(head.substr(0, chromEnd));
    std::string_view pos = head.substr(chromEnd + 1);
    pos = pos.substr(0, pos.find(delimiter_));
    Probe probe{position, {}, chrom};
    auto [end, error] =
        std::from_chars(pos.data(), pos.data() + pos.size(), probe.key.pos);
    if (chrom == "CHROM" || pos.empty() || error != std::errc() ||
        end != pos.data() + pos.size()) {
      return std::nullopt;
    }
    std::optional<std::size_t> chromRank = rank(chrom);
    if (!chromRank) {
      fail(probe, 1,
           "CHROM '" + chrom +
               "' is where the bisection expected the CHROMs of its "
               "neighbours" +
               kUnsorted);
    }
    probe.key.chrom = *chromRank;
    return probe;
  }

  // Every row read must come after the rows read before it in the file.
  void check(const Probe& probe) {
    auto [at, added] = seen_.emplace(probe.position, probe);
    if (!added) return;
    if (at != seen_.begin() && std::prev(at)->second.key > probe.key) {
      refuse(probe, std::prev(at)->second);
    }
    if (std::next(at) != seen_.end() && probe.key > std::next(at)->second.key) {
      refuse(std::next(at)->second, probe);
    }
  }

  [[noreturn]] void refuse(const Probe& later, const Probe& earlier) {
    const bool sameChrom = later.chrom == earlier.chrom;
    fail(later, sameChrom ? later.chrom.size() + 2 : 1,
         later.chrom + ":" + std::to_string(later.key.pos) + " comes after " +
             earlier.chrom + ":" + std::to_string(earlier.key.pos) + " (line " +
             std::to_string(lineOf(earlier.position)) + ")" + kUnsorted);
  }

  [[noreturn]] void fail(const Probe& probe, std::size_t column,
                         const std::string& reason) {
    throw InputError(name_, lineOf(probe.position), column, reason);
  }

  // Counted only for an error: the file is read up to the line.
  std::uint64_t lineOf(std::uint64_t position) {
    std::uint64_t line = 1;
    lines_.visit(0, [&](std::uint64_t at, std::string_view) {
      if (at >= position) return false;
      ++line;
      return true;
    });
    return line;
  }

  RandomLines& lines_;
  char delimiter_;
  std::string name_;
  std::unordered_map<std::string, std::size_t> rank_;
  std::map<std::uint64_t, Probe> seen_;  // by place in the file
};

}  // namespace

std::optional<ByteRange> regionSpan(const std::string& path,
                                    Delimiter delimiter,
                                    const RegionSet& regions,
                                    const std::vector<std::string>& chroms) {
  if (chroms.empty()) return std::nullopt;
  std::unique_ptr<RandomLines> lines = RandomLines::open(path);
  if (!lines) return std::nullopt;
  SpanSearch search(*lines, static_cast<char>(delimiter), chroms, path);
  std::optional<Key> first;
  std::optional<Key> last;
  for (const std::string& chrom : regions.chroms()) {
    std::optional<std::size_t> rank = search.rank(chrom);
    // A CHROM the guess lacks may still have rows (a matrix whose CHROMs
    // are not together hides some from the guess): read it all.
    if (!rank) return std::nullopt;
    RegionSet::Span intervals = regions.of(chrom);
    Key from{*rank, intervals.front().first};
    Key to{*rank, intervals.back().second};
    if (!first || from < *first) first = from;
    if (!last || to > *last) last = to;
  }
  const std::uint64_t size = lines->size();
  if (!first) return ByteRange{size, size};
  try {
    std::uint64_t begin = search.begin(*first);
    return ByteRange{begin, search.end(begin, *last)};
  } catch (const CorruptStream&) {
    return std::nullopt;  // the conversion reports it where it is
  }
}

}  // namespace hapmat
