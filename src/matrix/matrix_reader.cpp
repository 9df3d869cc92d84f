#include "matrix/matrix_reader.hpp"

#include "hapmat/error.hpp"

namespace hapmat {

namespace {

Delimiter chooseDelimiter(DelimiterChoice choice, std::string_view line) {
  switch (choice) {
    case DelimiterChoice::kSpace:
      return Delimiter::kSpace;
    case DelimiterChoice::kTab:
      return Delimiter::kTab;
    case DelimiterChoice::kAuto:
      break;
  }
  return detectDelimiter(line);
}

bool isHeaderLine(std::string_view line, Delimiter delimiter) {
  std::string_view first =
      line.substr(0, line.find(static_cast<char>(delimiter)));
  return first == "CHROM" || first == "#CHROM";
}

// A header line in the other delimiter, without a single one of the
// delimiter asked for: --delimiter names the wrong one.
bool hasWrongDelimiter(std::string_view line, DelimiterChoice choice) {
  if (choice == DelimiterChoice::kAuto) return false;
  Delimiter asked = chooseDelimiter(choice, line);
  Delimiter other =
      asked == Delimiter::kTab ? Delimiter::kSpace : Delimiter::kTab;
  return line.find(static_cast<char>(asked)) == std::string_view::npos &&
         isHeaderLine(line, other);
}

std::string delimiterName(Delimiter delimiter) {
  return delimiter == Delimiter::kTab ? "tab" : "space";
}

std::vector<std::string> splitOn(std::string_view line, char delimiter) {
  std::vector<std::string> names;
  for (;;) {
    std::size_t end = line.find(delimiter);
    names.emplace_back(line.substr(0, end));
    if (end == std::string_view::npos) return names;
    line.remove_prefix(end + 1);
  }
}

}  // namespace

MatrixReader::MatrixReader(LineSource& source, const MatrixOptions& options)
    : source_(source), lines_(source) {
  readPrologue(options);
}

void MatrixReader::readPrologue(const MatrixOptions& options) {
  if (!options.headerPath.empty()) {
    columns_ = readHeaderFile(options.headerPath);
  }
  std::string_view line;
  bool metadata = false;
  for (;;) {
    if (!lines_.peek(line)) {
      if (columns_.empty()) {
        throw InputError(name(), metadata ? lines_.lines() + 1 : 1, 1,
                         std::string("no header line (CHROM POS REF ...)") +
                             (metadata ? " after the ## metadata lines" : "") +
                             ", and no --header FILE");
      }
      delimiter_ = chooseDelimiter(options.delimiter, "");
      return;
    }
    if (line.empty() || line.starts_with("##")) {
      metadata = metadata || !line.empty();
      lines_.next();
      continue;
    }
    break;
  }
  const std::uint64_t number = lines_.lines() + 1;
  delimiter_ = chooseDelimiter(options.delimiter, line);
  if (hasWrongDelimiter(line, options.delimiter)) {
    std::string asked = delimiterName(delimiter_);
    throw InputError(
        name(), number, 1,
        "--delimiter " + asked + ", but the header line has no " + asked);
  }
  if (!isHeaderLine(line, delimiter_)) {
    if (columns_.empty()) {
      throw InputError(name(), number, 1,
                       "expected a header line starting with CHROM or #CHROM "
                       "(or give --header FILE)");
    }
    return;  // a data line: it stays for the engine
  }
  // With --header, the file's names win and the matrix's header is skipped.
  if (columns_.empty()) {
    columns_ = splitOn(line, static_cast<char>(delimiter_));
    validateColumns(columns_, name() + ":" + std::to_string(number));
  }
  lines_.next();
}

}  // namespace hapmat
