#include "matrix/matrix_reader.hpp"

#include "hapmat/error.hpp"

namespace hapmat {

namespace {

// What spreadsheet programs put before the first line of a file they save
// as UTF-8: not part of the text.
constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

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

std::string_view withoutLineEnd(std::string_view line) {
  if (line.ends_with('\r')) line.remove_suffix(1);
  return line;
}

}  // namespace

MatrixReader::MatrixReader(LineSource& source, const MatrixOptions& options)
    : source_(source) {
  readPrologue(options);
  keepRest();
}

void MatrixReader::readPrologue(const MatrixOptions& options) {
  if (!options.headerPath.empty()) {
    columns_ = readHeaderFile(options.headerPath);
  }
  std::string_view line;
  bool metadata = false;
  for (;;) {
    if (!peekLine(line)) {
      if (columns_.empty()) {
        throw InputError(name(), metadata ? lineCount_ + 1 : 1, 1,
                         std::string("no header line (CHROM POS REF ...)") +
                             (metadata ? " after the ## metadata lines" : "") +
                             ", and no --header FILE");
      }
      delimiter_ = chooseDelimiter(options.delimiter, "");
      return;
    }
    if (line.empty() || line.starts_with("##")) {
      metadata = metadata || !line.empty();
      consumeLine();
      continue;
    }
    break;
  }
  const std::uint64_t number = lineCount_ + 1;
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
  consumeLine();
}

// The next line without its line end; the chunk's bridge comes first, then
// its lines, then the next chunk's. A byte-order mark before the first line
// goes, also from the text the engine will read.
bool MatrixReader::peekLine(std::string_view& line) {
  while (!inBridge_ && rest_.empty()) {
    if (chunk_.failure) {
      throw InputError(name(), lineCount_ + 1, chunk_.failure->column,
                       chunk_.failure->reason);
    }
    if (!source_.next(chunk_)) return false;
    inBridge_ = chunk_.bridge.has_value();
    rest_ = chunk_.lines;
  }
  if (lineCount_ == 0) {
    if (inBridge_ && chunk_.bridge->starts_with(kUtf8Bom)) {
      chunk_.bridge->erase(0, kUtf8Bom.size());
    } else if (!inBridge_ && rest_.starts_with(kUtf8Bom)) {
      rest_.remove_prefix(kUtf8Bom.size());
    }
  }
  line = inBridge_ ? std::string_view(*chunk_.bridge)
                   : rest_.substr(0, rest_.find('\n'));
  line = withoutLineEnd(line);
  return true;
}

void MatrixReader::consumeLine() {
  ++lineCount_;
  if (inBridge_) {
    inBridge_ = false;
    return;
  }
  std::size_t end = rest_.find('\n');
  rest_.remove_prefix(end == std::string_view::npos ? rest_.size() : end + 1);
}

// What the prologue did not read stays in the chunk for the engine.
void MatrixReader::keepRest() {
  if (!inBridge_) chunk_.bridge.reset();
  chunk_.lines = rest_;
}

}  // namespace hapmat
