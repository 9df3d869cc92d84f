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

// The bytes of the VCF specification's contig ID rule (VCFv4.3 §1.4.7),
// which are those htslib takes without a warning.
bool isContigByte(unsigned char byte, bool first) {
  if (byte <= ' ' || byte >= 0x7F) return false;
  switch (byte) {
    case '"':
    case '\'':
    case '(':
    case ')':
    case ',':
    case '<':
    case '>':
    case '[':
    case '\\':
    case ']':
    case '`':
    case '{':
    case '}':
      return false;
    case '*':
    case '=':
    case '#':  // a row starting with '#' is a comment line
      return !first;
    default:
      return true;
  }
}

}  // namespace

std::optional<RowProblem> contigNameProblem(std::string_view name) {
  for (std::size_t i = 0; i < name.size(); ++i) {
    const unsigned char byte = static_cast<unsigned char>(name[i]);
    if (isContigByte(byte, i == 0)) continue;
    std::string reason = "'";
    reason.append(name).append("' cannot be a VCF contig name: ");
    if (byte > ' ' && byte < 0x7F) {
      reason.append(1, '\'').append(1, static_cast<char>(byte)).append(1, '\'');
    } else {
      reason.append("byte ").append(std::to_string(byte));
    }
    reason.append(i == 0 ? " may not start it" : " may not be in it")
        .append(
            " (VCF allows letters, digits and !#$%&*+./:;=?@^_|~-, not "
            "* = # first)");
    return RowProblem{i + 1, std::move(reason)};
  }
  return std::nullopt;
}

namespace {

Contig parseFaiLine(std::string_view line, const std::string& source,
                    std::size_t number) {
  std::size_t nameEnd = line.find('\t');
  if (nameEnd == 0) faiError(source, number, 1, "empty sequence name");
  if (nameEnd == std::string_view::npos) {
    faiError(source, number, line.size() + 1,
             "expected NAME<TAB>LENGTH (a samtools faidx index)");
  }
  std::string_view name = line.substr(0, nameEnd);
  if (std::optional<RowProblem> problem = contigNameProblem(name)) {
    faiError(source, number, problem->column,
             "sequence name " + problem->reason);
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
