#include "hapmat/schema.hpp"

#include <algorithm>
#include <sstream>
#include <unordered_map>
#include <unordered_set>

#include "hapmat/error.hpp"
#include "io/text_file.hpp"

namespace hapmat {

Delimiter detectDelimiter(std::string_view line) {
  return line.find('\t') != std::string_view::npos ? Delimiter::kTab
                                                   : Delimiter::kSpace;
}

namespace {

bool isNameSeparator(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

// A name and the 1-based byte where it starts, for error positions.
struct Word {
  std::string_view text;
  std::size_t column;
};

std::vector<Word> splitWords(std::string_view line) {
  std::vector<Word> words;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && isNameSeparator(line[i])) ++i;
    std::size_t start = i;
    while (i < line.size() && !isNameSeparator(line[i])) ++i;
    if (i > start) words.push_back({line.substr(start, i - start), start + 1});
  }
  return words;
}

}  // namespace

std::vector<std::string> splitNames(std::string_view text) {
  std::vector<std::string> names;
  for (const Word& word : splitWords(text)) names.emplace_back(word.text);
  return names;
}

std::vector<std::string> readHeaderFile(const std::string& path) {
  const std::string file = readTextFile(path);
  std::string_view text = file;
  std::vector<std::string> names;
  for (std::size_t lineNumber = 1; !text.empty(); ++lineNumber) {
    std::size_t end = text.find('\n');
    std::vector<Word> words = splitWords(text.substr(0, end));
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    if (words.empty()) continue;
    // Names on two lines would be joined, and the matrix's fields then
    // reported against the wrong columns.
    if (!names.empty()) {
      throw UsageError(path + ":" + std::to_string(lineNumber) + ":" +
                       std::to_string(words[0].column) +
                       ": a second line of names; a --header file is one "
                       "line (CHROM POS REF H1 ...)");
    }
    for (const Word& word : words) names.emplace_back(word.text);
  }
  validateColumns(names, path);
  return names;
}

void validateColumns(const std::vector<std::string>& columns,
                     const std::string& source) {
  if (columns.size() <= kFirstHaplotype) {
    throw UsageError(source + ": expected CHROM POS REF and at least one " +
                     "haplotype column, found " +
                     std::to_string(columns.size()) + " names");
  }
  std::unordered_map<std::string_view, std::size_t> seen;
  for (std::size_t i = 0; i < columns.size(); ++i) {
    if (columns[i].empty()) {
      throw UsageError(source + ": column " + std::to_string(i + 1) +
                       " has an empty name");
    }
    auto [it, fresh] = seen.emplace(columns[i], i);
    if (!fresh) {
      throw UsageError(source + ": column name '" + columns[i] +
                       "' appears twice (columns " +
                       std::to_string(it->second + 1) + " and " +
                       std::to_string(i + 1) + ")");
    }
  }
}

std::vector<SamplePair> pairByName(const std::vector<std::string>& columns) {
  std::unordered_map<std::string_view, std::size_t> index;
  for (std::size_t i = kFirstHaplotype; i < columns.size(); ++i) {
    index.emplace(columns[i], i);
  }
  std::vector<SamplePair> pairs;
  for (std::size_t i = kFirstHaplotype; i < columns.size(); ++i) {
    const std::string& a = columns[i];
    if (a.size() < 2 || a.back() != 'a') continue;
    std::string stem = a.substr(0, a.size() - 1);
    auto b = index.find(stem + "b");
    if (b == index.end()) continue;
    pairs.push_back({stem, a + columns[b->second], i, b->second});
  }
  if (pairs.empty()) {
    throw UsageError(
        "no sample pairs: no columns named <stem>a and <stem>b; "
        "give --pairs FILE");
  }
  std::sort(pairs.begin(), pairs.end(),
            [&](const SamplePair& x, const SamplePair& y) {
              return columns[x.first] < columns[y.first];
            });
  return pairs;
}

namespace {

class PairsParser {
 public:
  PairsParser(const std::string& source,
              const std::vector<std::string>& columns)
      : source_(source) {
    for (std::size_t i = kFirstHaplotype; i < columns.size(); ++i) {
      haplotypes_.emplace(columns[i], i);
    }
  }

  void parseLine(std::string_view line, std::size_t lineNumber) {
    line = line.substr(0, line.find('#'));
    std::vector<Word> words = splitWords(line);
    if (words.empty()) return;
    line_ = lineNumber;
    if (words.size() != 3) {
      fail(1, "expected NAME COLUMN_A COLUMN_B, found " +
                  std::to_string(words.size()) + " names");
    }
    if (!names_.emplace(words[0].text).second) {
      fail(words[0].column,
           "sample name '" + std::string(words[0].text) + "' appears twice");
    }
    pairs_.push_back({std::string(words[0].text), std::string(words[0].text),
                      column(words[1]), column(words[2])});
  }

  std::vector<SamplePair> finish() {
    if (pairs_.empty()) throw UsageError(source_ + ": no sample pairs");
    return std::move(pairs_);
  }

 private:
  std::size_t column(const Word& word) {
    auto it = haplotypes_.find(word.text);
    if (it == haplotypes_.end()) {
      fail(word.column,
           "unknown haplotype column '" + std::string(word.text) + "'");
    }
    if (!used_.insert(it->second).second) {
      fail(word.column,
           "column '" + std::string(word.text) + "' is used twice");
    }
    return it->second;
  }

  [[noreturn]] void fail(std::size_t column, const std::string& what) const {
    throw UsageError(source_ + ":" + std::to_string(line_) + ":" +
                     std::to_string(column) + ": " + what);
  }

  const std::string& source_;
  std::unordered_map<std::string_view, std::size_t> haplotypes_;
  std::unordered_set<std::size_t> used_;
  std::unordered_set<std::string_view> names_;
  std::vector<SamplePair> pairs_;
  std::size_t line_ = 0;
};

}  // namespace

std::vector<SamplePair> parsePairs(std::string_view text,
                                   const std::string& source,
                                   const std::vector<std::string>& columns) {
  PairsParser parser(source, columns);
  std::size_t lineNumber = 0;
  while (!text.empty()) {
    std::size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    parser.parseLine(line, ++lineNumber);
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
  }
  return parser.finish();
}

std::vector<SamplePair> readPairsFile(const std::string& path,
                                      const std::vector<std::string>& columns) {
  return parsePairs(readTextFile(path), path, columns);
}

std::vector<SamplePair> samplePairs(const std::string& pairsPath,
                                    const std::vector<std::string>& columns) {
  return pairsPath.empty() ? pairByName(columns)
                           : readPairsFile(pairsPath, columns);
}

}  // namespace hapmat
