#include "matrix/contigs.hpp"

#include <charconv>
#include <unordered_map>

#include "hapmat/error.hpp"
#include "io/text_file.hpp"

namespace hapmat {

namespace {

[[noreturn]] void faiError(const std::string& source, std::size_t line,
                           std::size_t column, const std::string& reason) {
  throw UsageError(source + ":" + std::to_string(line) + ":" +
                   std::to_string(column) + ": " + reason);
}

// A ##contig line is `<ID=NAME,length=N>`: a name holding a comma, an angle
// bracket, `=` or a blank would be read back as something else.
bool isContigName(std::string_view name) {
  for (unsigned char byte : name) {
    if (byte <= ' ' || byte == 0x7F || byte == ',' || byte == '<' ||
        byte == '>' || byte == '=') {
      return false;
    }
  }
  return !name.empty();
}

Contig parseFaiLine(std::string_view line, const std::string& source,
                    std::size_t number) {
  std::size_t nameEnd = line.find('\t');
  if (nameEnd == 0) faiError(source, number, 1, "empty sequence name");
  if (nameEnd == std::string_view::npos) {
    faiError(source, number, line.size() + 1,
             "expected NAME<TAB>LENGTH (a samtools faidx index)");
  }
  std::string_view name = line.substr(0, nameEnd);
  if (!isContigName(name)) {
    faiError(source, number, 1,
             "sequence name '" + std::string(name) +
                 "' cannot be a VCF contig ID (it holds a blank, a control "
                 "byte or one of , < > =)");
  }
  std::string_view length = line.substr(nameEnd + 1);
  length = length.substr(0, length.find('\t'));
  Contig contig{std::string(name), 0};
  auto [end, error] = std::from_chars(
      length.data(), length.data() + length.size(), contig.length);
  if (length.empty() || error != std::errc() ||
      end != length.data() + length.size() || contig.length == 0) {
    faiError(source, number, nameEnd + 2,
             "sequence length '" + std::string(length) +
                 "' is not a positive integer");
  }
  return contig;
}

}  // namespace

std::vector<Contig> parseFai(std::string_view text, const std::string& source) {
  std::vector<Contig> contigs;
  std::unordered_map<std::string, std::size_t> lineOf;
  for (std::size_t number = 1; !text.empty(); ++number) {
    std::size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    if (line.ends_with('\r')) line.remove_suffix(1);
    if (line.empty()) continue;
    Contig contig = parseFaiLine(line, source, number);
    auto [seen, fresh] = lineOf.emplace(contig.name, number);
    if (!fresh) {
      faiError(source, number, 1,
               "sequence name '" + contig.name + "' appears twice (lines " +
                   std::to_string(seen->second) + " and " +
                   std::to_string(number) + ")");
    }
    contigs.push_back(std::move(contig));
  }
  return contigs;
}

std::vector<Contig> readFai(const std::string& path) {
  return parseFai(readTextFile(path), path);
}

}  // namespace hapmat
