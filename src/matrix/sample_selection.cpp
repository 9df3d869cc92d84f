#include "matrix/sample_selection.hpp"

#include <algorithm>
#include <unordered_map>

#include "hapmat/error.hpp"
#include "io/text_file.hpp"

namespace hapmat {

namespace {

// Edits (insert, delete, replace) that turn `a` into `b`.
std::size_t editDistance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1,
                         diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

// Names a typing slip away from `name`: within a third of its length in
// edits (at least 1), or starting with it.
std::string closeMatches(std::string_view name,
                         const std::vector<SamplePair>& samples) {
  std::string matches;
  const std::size_t most = std::max<std::size_t>(1, name.size() / 3);
  for (const SamplePair& sample : samples) {
    if (editDistance(name, sample.name) <= most ||
        std::string_view(sample.name).starts_with(name)) {
      matches += (matches.empty() ? "" : ", ") + sample.name;
    }
  }
  return matches.empty() ? "no sample has a close name"
                         : "close matches: " + matches;
}

}  // namespace

SampleSelection parseSampleList(std::string_view list) {
  SampleSelection selection;
  if (list.starts_with('^')) {
    selection.exclude = true;
    list.remove_prefix(1);
  }
  while (true) {
    std::size_t comma = list.find(',');
    std::string_view name = list.substr(0, comma);
    if (name.empty()) {
      throw UsageError("--samples: an empty sample name in the list");
    }
    selection.names.emplace_back(name);
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return selection;
}

SampleSelection readSampleFile(std::string_view argument) {
  SampleSelection selection;
  if (argument.starts_with('^')) {
    selection.exclude = true;
    argument.remove_prefix(1);
  }
  const std::string path(argument);
  const std::string text = readTextFile(path);
  std::string_view rest = text;
  while (!rest.empty()) {
    std::size_t end = rest.find('\n');
    std::string_view line = rest.substr(0, end);
    rest.remove_prefix(end == std::string_view::npos ? rest.size() : end + 1);
    std::size_t start = line.find_first_not_of(" \t\r");
    if (start == std::string_view::npos || line[start] == '#') continue;
    line.remove_prefix(start);
    selection.names.emplace_back(line.substr(0, line.find_first_of(" \t\r")));
  }
  if (selection.names.empty()) {
    throw UsageError("--samples-file: " + path + " names no sample");
  }
  return selection;
}

std::vector<SamplePair> selectSamples(const std::vector<SamplePair>& samples,
                                      const SampleSelection& selection) {
  std::unordered_map<std::string_view, std::size_t> index;
  for (std::size_t i = 0; i < samples.size(); ++i) {
    index.emplace(samples[i].name, i);
  }
  std::vector<bool> named(samples.size(), false);
  std::vector<SamplePair> kept;
  for (const std::string& name : selection.names) {
    auto found = index.find(name);
    if (found == index.end()) {
      throw UsageError("--samples: no sample is named '" + name + "' (" +
                       closeMatches(name, samples) + ")");
    }
    if (named[found->second]) {
      throw UsageError("--samples: sample '" + name + "' is named twice");
    }
    named[found->second] = true;
    if (!selection.exclude) kept.push_back(samples[found->second]);
  }
  if (selection.exclude) {
    for (std::size_t i = 0; i < samples.size(); ++i) {
      if (!named[i]) kept.push_back(samples[i]);
    }
  }
  if (kept.empty()) {
    throw UsageError("--samples: no sample is left to write");
  }
  return kept;
}

std::vector<SamplePair> haploidSamples(
    const std::vector<std::string>& columns) {
  std::vector<SamplePair> samples;
  for (std::size_t i = kFirstHaplotype; i < columns.size(); ++i) {
    samples.push_back({columns[i], columns[i], i, i});
  }
  return samples;
}

std::vector<std::string> columnsInNoSample(
    const std::vector<std::string>& columns,
    const std::vector<SamplePair>& samples) {
  std::vector<bool> used(columns.size(), false);
  for (const SamplePair& sample : samples) {
    used[sample.first] = used[sample.second] = true;
  }
  std::vector<std::string> unused;
  for (std::size_t i = kFirstHaplotype; i < columns.size(); ++i) {
    if (!used[i]) unused.push_back(columns[i]);
  }
  return unused;
}

}  // namespace hapmat
