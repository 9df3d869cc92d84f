#include "io/line_cursor.hpp"

#include "hapmat/error.hpp"

namespace hapmat {

namespace {

// What spreadsheet programs put before the first line of a file they save
// as UTF-8: not part of the text.
constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

}  // namespace

bool LineCursor::peek(std::string_view& line) {
  while (!inBridge_ && rest_.empty()) {
    if (chunk_.failure) {
      throw InputError(source_.name(), lines_ + 1, chunk_.failure->column,
                       chunk_.failure->reason);
    }
    if (!source_.next(chunk_)) return false;
    inBridge_ = chunk_.bridge.has_value();
    rest_ = chunk_.lines;
    chunkStart_ = lines_;
    if (const std::optional<CheckedEnd>& checked = chunk_.checked) {
      source_.noteCheckedEnd(
          {checked->textOffset, lines_ + checked->lines + 1, checked->column});
    }
  }
  if (lines_ == 0 && (!source_.range() || source_.range()->begin == 0)) {
    if (inBridge_ && chunk_.bridge->starts_with(kUtf8Bom)) {
      chunk_.bridge->erase(0, kUtf8Bom.size());
    } else if (!inBridge_ && rest_.starts_with(kUtf8Bom)) {
      rest_.remove_prefix(kUtf8Bom.size());
    }
  }
  line = inBridge_ ? std::string_view(*chunk_.bridge)
                   : rest_.substr(0, rest_.find('\n'));
  if (line.ends_with('\r')) line.remove_suffix(1);
  return true;
}

void LineCursor::next() {
  ++lines_;
  if (inBridge_) {
    inBridge_ = false;
    return;
  }
  std::size_t end = rest_.find('\n');
  rest_.remove_prefix(end == std::string_view::npos ? rest_.size() : end + 1);
}

// The chunk's checked end counts lines from what is left of it; one in the
// lines read already was noted in the source.
TextChunk& LineCursor::rest() {
  if (!inBridge_) chunk_.bridge.reset();
  chunk_.lines = rest_;
  const std::uint64_t read = lines_ - chunkStart_;
  if (chunk_.checked && chunk_.checked->lines >= read) {
    chunk_.checked->lines -= read;
  } else {
    chunk_.checked.reset();
  }
  return chunk_;
}

}  // namespace hapmat
