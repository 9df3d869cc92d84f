#include "matrix/contig_prediction.hpp"

#include <algorithm>
#include <optional>
#include <unordered_set>

#include "hapmat/error.hpp"
#include "io/compressed_input.hpp"
#include "io/random_lines.hpp"

namespace hapmat {

namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

// Reading more than this (or 1/16 of the file, if more) gives up: a matrix
// of very many CHROMs is better checked as it is converted.
constexpr std::uint64_t kBudgetBytes = std::uint64_t{64} << 20;

struct Probe {
  std::uint64_t position = 0;
  std::string chrom;
};

class Bisection {
 public:
  Bisection(RandomLines& lines, char delimiter, const RowCheck* rows)
      : lines_(lines),
        delimiter_(delimiter),
        rows_(rows),
        headBytes_(rows ? rows->maxLineBytes + 1 : RandomLines::kHeadBytes),
        budget_(std::max(kBudgetBytes, lines.size() / 16)) {}

  // The CHROM runs between the first and the last data line, in order.
  std::optional<std::vector<std::string>> run() {
    std::optional<Probe> first = probe(0);
    std::optional<Probe> last = lastLine();
    if (!first || !last) return std::vector<std::string>{};
    runs_.push_back(first->chrom);
    if (!explore(*first, 0, *last, lines_.size())) return std::nullopt;
    if (runs_.back() != last->chrom) runs_.push_back(last->chrom);
    return std::move(runs_);
  }

 private:
  // Header, `##` and blank lines are not data, nor, with rows_, a row the
  // conversion would skip as bad; that is asked only of a line whose CHROM
  // is not `known` (the CHROM of a kept row next to it). The file's first
  // line may start with a UTF-8 byte order mark, which the prologue skips.
  std::optional<std::string> chromOf(std::uint64_t position,
                                     std::string_view head,
                                     const std::string* known = nullptr) const {
    if (position == 0 && head.starts_with(kUtf8Bom)) {
      head.remove_prefix(kUtf8Bom.size());
    }
    if (head.ends_with('\r')) head.remove_suffix(1);
    if (head.empty() || head.starts_with('#')) return std::nullopt;
    std::string_view chrom = head.substr(0, head.find(delimiter_));
    if (chrom == "CHROM") return std::nullopt;
    if (rows_ && (known == nullptr || chrom != *known) &&
        (head.size() > rows_->maxLineBytes || !rows_->keeps(head))) {
      return std::nullopt;
    }
    return std::string(chrom);
  }

  void visit(std::uint64_t offset,
             const std::function<bool(std::uint64_t, std::string_view)>& see) {
    lines_.visit(offset, see, headBytes_);
  }

  std::optional<Probe> probe(std::uint64_t offset) {
    std::optional<Probe> found;
    visit(offset, [&](std::uint64_t position, std::string_view head) {
      if (auto chrom = chromOf(position, head))
        found = Probe{position, std::move(*chrom)};
      return !found;
    });
    return found;
  }

  std::optional<Probe> lastLine() {
    for (std::uint64_t back = lines_.scanBytes();; back *= 4) {
      std::uint64_t from = lines_.size() > back ? lines_.size() - back : 0;
      std::optional<Probe> last;
      visit(from, [&](std::uint64_t position, std::string_view head) {
        if (auto chrom = chromOf(position, head, last ? &last->chrom : nullptr))
          last = Probe{position, std::move(*chrom)};
        return true;
      });
      if (last || from == 0) return last;
    }
  }

  void append(const std::string& chrom) {
    if (runs_.back() != chrom) runs_.push_back(chrom);
  }

  // The runs after `lo` up to `hi`, whose lines start in [loOffset,
  // hiOffset). The same CHROM at both ends is taken as one run: that is the
  // guess the conversion checks.
  bool explore(const Probe& lo, std::uint64_t loOffset, const Probe& hi,
               std::uint64_t hiOffset) {
    if (lines_.bytesRead() > budget_) return false;
    if (lo.chrom == hi.chrom) return true;
    // Between close reads of different CHROMs, every line is read.
    if (hiOffset - loOffset <= lines_.scanBytes()) {
      visit(loOffset, [&](std::uint64_t position, std::string_view head) {
        if (position >= hi.position) return false;
        if (auto chrom = chromOf(position, head, &runs_.back())) append(*chrom);
        return true;
      });
      return true;
    }
    std::uint64_t midOffset = loOffset + (hiOffset - loOffset) / 2;
    std::optional<Probe> mid = probe(midOffset);
    if (!mid || mid->position >= hi.position) {
      return explore(lo, loOffset, hi, midOffset);  // no line starts after mid
    }
    return explore(lo, loOffset, *mid, midOffset) &&
           (append(mid->chrom), explore(*mid, midOffset, hi, hiOffset));
  }

  RandomLines& lines_;
  char delimiter_;
  const RowCheck* rows_;
  std::size_t headBytes_;
  std::uint64_t budget_;
  std::vector<std::string> runs_;
};

}  // namespace

std::vector<std::string> predictChroms(const std::string& path,
                                       Delimiter delimiter,
                                       const RowCheck* rows) {
  try {
    std::unique_ptr<RandomLines> lines = RandomLines::open(path);
    if (!lines) return {};
    std::optional<std::vector<std::string>> runs =
        Bisection(*lines, static_cast<char>(delimiter), rows).run();
    if (!runs) return {};
    std::vector<std::string> chroms;
    std::unordered_set<std::string> seen;
    for (std::string& chrom : *runs) {
      if (seen.insert(chrom).second) chroms.push_back(std::move(chrom));
    }
    return chroms;
  } catch (const CorruptStream&) {
    return {};  // the conversion reports it where it is
  }
}

namespace {

// The first appearances of the kept rows' CHROMs, a line at a time.
class ChromScan {
 public:
  ChromScan(std::uint64_t skipLines, char delimiter, const RowCheck& rows)
      : skipLines_(skipLines), delimiter_(delimiter), rows_(rows) {}

  void see(std::string_view line) {
    if (lines_++ < skipLines_) return;
    if (lines_ == 1 && line.starts_with(kUtf8Bom)) {
      line.remove_prefix(kUtf8Bom.size());
    }
    if (line.ends_with('\r')) line.remove_suffix(1);
    if (line.empty()) return;
    std::string_view chrom = line.substr(0, line.find(delimiter_));
    if (previous_ && chrom == *previous_) return;  // most lines
    if (seen_.contains(std::string(chrom))) {
      previous_ = chrom;
      return;
    }
    // A CHROM's lines are checked until one is a row the conversion keeps.
    if (!rows_.keeps(line)) return;
    seen_.emplace(chrom);
    chroms_.emplace_back(chrom);
    previous_ = chrom;
  }

  std::vector<std::string> take() { return std::move(chroms_); }

 private:
  std::uint64_t skipLines_;
  char delimiter_;
  const RowCheck& rows_;
  std::uint64_t lines_ = 0;
  std::optional<std::string> previous_;  // a listed CHROM, the last line's
  std::unordered_set<std::string> seen_;
  std::vector<std::string> chroms_;
};

}  // namespace

std::vector<std::string> scanChroms(LineSource& source, std::uint64_t skipLines,
                                    Delimiter delimiter, const RowCheck& rows) {
  ChromScan scan(skipLines, static_cast<char>(delimiter), rows);
  TextChunk chunk;
  try {
    while (source.next(chunk)) {
      if (chunk.bridge) scan.see(*chunk.bridge);
      for (std::string_view text = chunk.lines; !text.empty();) {
        const std::size_t end = text.find('\n');
        scan.see(text.substr(0, end));
        text.remove_prefix(end == std::string_view::npos ? text.size()
                                                         : end + 1);
      }
      if (chunk.failure) break;
    }
  } catch (const std::runtime_error&) {
    // The conversion meets the same failure at its line, and reports it.
  }
  return scan.take();
}

}  // namespace hapmat
