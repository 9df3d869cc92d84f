#include "matrix_reader.hpp"

#include <cstring>

#include "hapmat/error.hpp"

namespace hapmat {

namespace {

// What spreadsheet programs put before the first line of a file they save
// as UTF-8: not part of the text.
constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

constexpr char kNoEofBlock[] =
    "no BGZF end-of-file block: the input may be truncated";

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

MatrixReader::MatrixReader(const ConvertOptions& options)
    : input_(InputSource::open(options.inputPath)),
      blocks_(openText(), options.blockSize, options.maxLineBytes) {
  try {
    readPrologue(options);
  } catch (const InputError& error) {
    checkStreamAfter(error);
    throw;
  }
}

// Gzip is inflated serially; BGZF block by block, so that an engine can
// take over at a block boundary.
ByteStream& MatrixReader::openText() {
  compression_ = detectCompression(input_->peek(kCompressionMagicBytes));
  switch (compression_) {
    case Compression::kNone:
      return *input_;
    case Compression::kGzip:
      decoder_ = std::make_unique<GzipStream>(*input_);
      break;
    case Compression::kBgzf: {
      auto bgzf = std::make_unique<BgzfStream>(*input_);
      bgzf_ = bgzf.get();
      decoder_ = std::move(bgzf);
      break;
    }
  }
  return *decoder_;
}

void MatrixReader::readPrologue(const ConvertOptions& options) {
  if (!options.headerPath.empty())
    columns_ = readHeaderFile(options.headerPath);
  NumberedLine line;
  bool found = false;
  bool metadata = false;
  while ((found = nextDataLine(line)) && line.text.starts_with("##")) {
    metadata = true;
  }
  if (!found) {
    if (columns_.empty()) {
      throw InputError(name(), metadata ? lineCount_ + 1 : 1, 1,
                       std::string("no header line (CHROM POS REF ...)") +
                           (metadata ? " after the ## metadata lines" : "") +
                           ", and no --header FILE");
    }
    delimiter_ = chooseDelimiter(options.delimiter, "");
    return;
  }
  delimiter_ = chooseDelimiter(options.delimiter, line.text);
  if (hasWrongDelimiter(line.text, options.delimiter)) {
    std::string asked = delimiterName(delimiter_);
    throw InputError(
        name(), line.number, 1,
        "--delimiter " + asked + ", but the header line has no " + asked);
  }
  if (!isHeaderLine(line.text, delimiter_)) {
    if (columns_.empty()) {
      throw InputError(name(), line.number, 1,
                       "expected a header line starting with CHROM or #CHROM "
                       "(or give --header FILE)");
    }
    pending_ = line;
    return;
  }
  // With --header, the file's names win and the matrix's header is skipped.
  if (columns_.empty()) {
    columns_ = splitOn(line.text, static_cast<char>(delimiter_));
    validateColumns(columns_, name() + ":" + std::to_string(line.number));
  }
}

bool MatrixReader::nextDataLine(NumberedLine& line) {
  if (pending_) {
    line = *pending_;
    pending_.reset();
    return true;
  }
  while (nextLine(line)) {
    if (!line.text.empty()) return true;
  }
  return false;
}

bool MatrixReader::nextLine(NumberedLine& line) {
  if (block_.empty()) {
    try {
      block_ = blocks_.next(buffer_);
    } catch (const LineTooLong& e) {
      throw InputError(name(), lineCount_ + 1, 1, e.what());
    } catch (const InputEndedEarly& e) {
      throw InputError(name(), lineCount_ + 1, e.partialLineBytes() + 1,
                       e.what());
    }
    if (block_.empty()) return false;
  }
  std::size_t end = block_.find('\n');
  std::string_view text = block_.substr(0, end);
  block_.remove_prefix(end == std::string_view::npos ? block_.size() : end + 1);
  if (text.ends_with('\r')) text.remove_suffix(1);
  if (lineCount_ == 0 && text.starts_with(kUtf8Bom)) {
    text.remove_prefix(kUtf8Bom.size());
  }
  line = {text, ++lineCount_};
  return true;
}

std::uint64_t MatrixReader::handOver() {
  blocks_.unread(block_);
  block_ = {};
  std::uint64_t first = lineCount_ + 1;
  if (pending_) {
    std::string line(pending_->text);
    line.push_back('\n');
    blocks_.unread(line);
    first = pending_->number;
    pending_.reset();
  }
  // The engine reads into its own buffers: give this one back.
  std::vector<char>().swap(buffer_);
  return first;
}

std::vector<std::string> MatrixReader::warnings() const {
  if (!endedWithoutEofBlock()) return {};
  return {name() + ": " + kNoEofBlock};
}

bool MatrixReader::endedWithoutEofBlock() const {
  return bgzf_ != nullptr && bgzf_->blockReader().endedWithoutEofBlock();
}

void MatrixReader::checkStreamAfter(const InputError& error) {
  if (endedWithoutEofBlock()) {
    throw InputError(error.file(), error.line(), error.column(),
                     error.reason() + " (" + kNoEofBlock + ")");
  }
  if (compression_ != Compression::kGzip) return;
  std::optional<CorruptStream> damage = blocks_.readToEnd();
  if (!damage) return;
  std::string streamError = InputEndedEarly(*damage, 0).what();
  if (error.reason() == streamError) return;  // it is the stream's already
  throw InputError(error.file(), error.line(), error.column(),
                   "damaged compressed stream: " + streamError +
                       "; the text here may not be what was compressed");
}

}  // namespace hapmat
