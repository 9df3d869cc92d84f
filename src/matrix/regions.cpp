#include "matrix/regions.hpp"

#include <algorithm>
#include <charconv>
#include <iterator>

#include "hapmat/error.hpp"
#include "io/line_source.hpp"

namespace hapmat {

namespace {

// A position: decimal digits, 1 or more.
bool parsePosition(std::string_view text, std::uint64_t& value) {
  auto [end, error] =
      std::from_chars(text.data(), text.data() + text.size(), value);
  return !text.empty() && error == std::errc() &&
         end == text.data() + text.size() &&
         text.find_first_not_of("0123456789") == std::string_view::npos;
}

Region parseRegion(std::string_view text) {
  auto bad = [&](const std::string& why) -> Region {
    throw UsageError("--regions: '" + std::string(text) + "' " + why +
                     " (give CHROM, CHROM:POS, CHROM:FROM- or CHROM:FROM-TO)");
  };
  for (unsigned char byte : text) {
    if (byte <= ' ' || byte == 0x7F)
      return bad("holds a blank or a control byte");
  }
  // A CHROM may hold ':' itself; the last one starts the positions when
  // what follows is positions.
  std::size_t colon = text.rfind(':');
  Region region{std::string(text), 1, kRegionEnd};
  if (colon == std::string_view::npos) {
    if (text.empty()) return bad("is empty");
    return region;
  }
  std::string_view chrom = text.substr(0, colon);
  std::string_view positions = text.substr(colon + 1);
  std::size_t dash = positions.find('-');
  std::string_view from = positions.substr(0, dash);
  if (chrom.empty()) return bad("has no CHROM");
  region.chrom = std::string(chrom);
  if (!parsePosition(from, region.from) || region.from == 0) {
    return bad("does not start at a position from 1");
  }
  if (dash == std::string_view::npos) {
    region.to = region.from;
  } else if (dash + 1 < positions.size()) {
    if (!parsePosition(positions.substr(dash + 1), region.to)) {
      return bad("does not end at a position");
    }
    if (region.to < region.from) return bad("ends before it starts");
  }
  return region;
}

[[noreturn]] void fileError(const std::string& source, std::size_t line,
                            std::size_t column, const std::string& reason) {
  throw UsageError(source + ":" + std::to_string(line) + ":" +
                   std::to_string(column) + ": " + reason);
}

struct Word {
  std::string_view text;
  std::size_t column = 0;  // 1-based
};

std::vector<Word> splitWords(std::string_view line) {
  std::vector<Word> words;
  std::size_t at = 0;
  while (at < line.size()) {
    std::size_t start = line.find_first_not_of(" \t", at);
    if (start == std::string_view::npos) break;
    std::size_t end = line.find_first_of(" \t", start);
    if (end == std::string_view::npos) end = line.size();
    words.push_back({line.substr(start, end - start), start + 1});
    at = end;
  }
  return words;
}

Region parseFileLine(const std::vector<Word>& words, const std::string& source,
                     std::size_t number, bool bed) {
  const char* layout =
      bed ? "CHROM START END (BED)" : "CHROM POS or CHROM FROM TO";
  if (words.size() < (bed ? 3u : 2u)) {
    fileError(source, number, 1, std::string("expected ") + layout);
  }
  Region region{std::string(words[0].text), 0, 0};
  auto number_at = [&](std::size_t i, std::uint64_t& value) {
    if (!parsePosition(words[i].text, value)) {
      fileError(source, number, words[i].column,
                "'" + std::string(words[i].text) + "' is not a position");
    }
  };
  number_at(1, region.from);
  region.to = region.from;
  if (words.size() >= 3) number_at(2, region.to);
  if (bed) {
    if (region.to <= region.from) {
      fileError(source, number, words[2].column,
                "END must be larger than START (BED is 0-based, half-open)");
    }
    ++region.from;  // [START, END) 0-based is [START + 1, END] 1-based
  } else if (region.from == 0 || region.to < region.from) {
    fileError(source, number, words[1].column,
              "positions are 1-based, FROM <= TO (a .bed name is read as "
              "0-based BED)");
  }
  return region;
}

bool endsWith(std::string_view text, std::string_view suffix) {
  if (text.size() < suffix.size()) return false;
  return std::equal(
      suffix.begin(), suffix.end(),
      text.end() - static_cast<std::ptrdiff_t>(suffix.size()),
      [](char a, char b) { return a == (b >= 'A' && b <= 'Z' ? b + 32 : b); });
}

}  // namespace

std::vector<Region> parseRegions(std::string_view list) {
  std::vector<Region> regions;
  while (true) {
    std::size_t comma = list.find(',');
    regions.push_back(parseRegion(list.substr(0, comma)));
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return regions;
}

std::vector<Region> parseRegionsFile(std::string_view text,
                                     const std::string& source, bool bed) {
  std::vector<Region> regions;
  std::size_t number = 0;
  while (!text.empty()) {
    ++number;
    std::size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    if (line.ends_with('\r')) line.remove_suffix(1);
    std::vector<Word> words = splitWords(line);
    if (words.empty() || line.starts_with('#') || line.starts_with("track ") ||
        line.starts_with("browser ")) {
      continue;
    }
    regions.push_back(parseFileLine(words, source, number, bed));
  }
  return regions;
}

std::vector<Region> readRegionsFile(const std::string& path) {
  std::unique_ptr<LineSource> source = LineSource::open(path, {});
  std::string text;
  TextChunk chunk;
  while (source->next(chunk)) {
    if (chunk.bridge) text.append(*chunk.bridge).push_back('\n');
    text.append(chunk.lines);
    if (chunk.failure) {
      throw UsageError(path + ": " + chunk.failure->reason);
    }
  }
  const bool bed = endsWith(path, ".bed") || endsWith(path, ".bed.gz");
  return parseRegionsFile(text, path, bed);
}

RegionSet::RegionSet(const std::vector<Region>& regions) {
  for (const Region& region : regions) {
    byChrom_[region.chrom].emplace_back(region.from, region.to);
  }
  for (auto& [chrom, intervals] : byChrom_) {
    std::sort(intervals.begin(), intervals.end());
    std::size_t kept = 0;
    for (const auto& interval : intervals) {
      if (kept > 0 && (intervals[kept - 1].second == kRegionEnd ||
                       interval.first <= intervals[kept - 1].second + 1)) {
        intervals[kept - 1].second =
            std::max(intervals[kept - 1].second, interval.second);
      } else {
        intervals[kept++] = interval;
      }
    }
    intervals.resize(kept);
  }
}

RegionSet::Span RegionSet::of(std::string_view chrom) const {
  auto found = byChrom_.find(chrom);
  return found == byChrom_.end() ? Span() : Span(found->second);
}

std::vector<std::string> RegionSet::chroms() const {
  std::vector<std::string> names;
  for (const auto& entry : byChrom_) names.push_back(entry.first);
  return names;
}

namespace {

// The first of the sorted, disjoint intervals that ends at or after pos.
RegionSet::Span::iterator firstEndingFrom(RegionSet::Span intervals,
                                          std::uint64_t pos) {
  return std::lower_bound(intervals.begin(), intervals.end(), pos,
                          [](const auto& interval, std::uint64_t p) {
                            return interval.second < p;
                          });
}

}  // namespace

bool RegionSet::holds(Span intervals, std::uint64_t pos) {
  return overlaps(intervals, pos, pos);
}

bool RegionSet::overlaps(Span intervals, std::uint64_t from, std::uint64_t to) {
  auto at = firstEndingFrom(intervals, from);
  return at != intervals.end() && at->first <= to;
}

RegionRun RegionCursor::runAt(std::string_view chrom, std::uint64_t pos) {
  const RegionSet::Span intervals = intervalsOf(chrom);
  auto at = firstEndingFrom(intervals, pos);
  if (at != intervals.end() && at->first <= pos) {
    return {at->first, at->second, true};
  }
  // Between the interval before (ending below pos) and the one at `at`.
  RegionRun gap;
  if (at != intervals.begin()) gap.from = std::prev(at)->second + 1;
  if (at != intervals.end()) gap.to = at->first - 1;
  return gap;
}

}  // namespace hapmat
