#include "matrix_reader.hpp"

#include <cstring>

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
  readPrologue(options);
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
  while ((found = nextDataLine(line)) && line.text.starts_with("##")) {
  }
  if (!found) {
    if (columns_.empty()) {
      throw InputError(
          name(), 1, 1,
          "no header line (CHROM POS REF ...) and no --header FILE");
    }
    delimiter_ = chooseDelimiter(options.delimiter, "");
    return;
  }
  delimiter_ = chooseDelimiter(options.delimiter, line.text);
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

}  // namespace hapmat
