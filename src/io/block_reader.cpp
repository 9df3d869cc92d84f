#include "io/block_reader.hpp"

#include <algorithm>
#include <cstring>
#include <utility>

namespace hapmat {

LineTooLong::LineTooLong(std::size_t limit)
    : std::runtime_error("line longer than " + std::to_string(limit) +
                         " bytes (raise --max-line-bytes)") {}

InputEndedEarly::InputEndedEarly(const CorruptStream& cause,
                                 std::size_t partialLineBytes)
    : std::runtime_error(std::string(cause.what()) + " (compressed byte " +
                         std::to_string(cause.offset()) + ")"),
      partialLineBytes_(partialLineBytes) {}

BlockReader::BlockReader(ByteStream& input, std::size_t blockSize,
                         std::size_t maxLineBytes)
    : input_(input), blockSize_(blockSize), maxLineBytes_(maxLineBytes) {}

std::string_view BlockReader::next(std::vector<char>& buffer) {
  // A buffer reused at its size is not zeroed again (TextChunk::clear).
  buffer.resize(std::max(blockSize_, carry_.size()));
  std::memcpy(buffer.data(), carry_.data(), carry_.size());
  std::size_t used = carry_.size();
  const std::uint64_t start = bytesRead_ - used;  // in the whole text
  carry_.clear();
  checkedEnd_.reset();
  for (;;) {
    used = fill(buffer, used);
    if (eof_ && !broken_) {
      findCheckedEnd(buffer, start, used);
      return {buffer.data(), used};
    }
    const void* last = ::memrchr(buffer.data(), '\n', used);
    if (last == nullptr && broken_) {
      findCheckedEnd(buffer, start, used);
      throw InputEndedEarly(*broken_, used);
    }
    if (last != nullptr) {
      std::size_t end = static_cast<const char*>(last) - buffer.data() + 1;
      carry_.assign(buffer.data() + end, used - end);
      findCheckedEnd(buffer, start, end);
      return {buffer.data(), end};
    }
    // One line fills the whole buffer: grow it, up to the line limit and
    // the line's '\n'.
    if (buffer.size() > maxLineBytes_) throw LineTooLong(maxLineBytes_);
    buffer.resize(std::min(buffer.size() * 2, maxLineBytes_ + 1));
  }
}

// The lines before the checked end are counted only when it moves into
// the block handed out (a gzip member ended in it): rarely.
void BlockReader::findCheckedEnd(const std::vector<char>& buffer,
                                 std::uint64_t start, std::size_t size) {
  std::optional<std::uint64_t> checked = input_.checkedBytes();
  if (!checked || *checked <= checkedSeen_ || *checked > start + size) return;
  checkedSeen_ = *checked;
  const std::size_t at = static_cast<std::size_t>(*checked - start);
  const char* text = buffer.data();
  const void* newline = at == 0 ? nullptr : ::memrchr(text, '\n', at);
  const std::size_t lineStart =
      newline ? static_cast<const char*>(newline) - text + 1 : 0;
  checkedEnd_ = CheckedEnd{
      *checked, static_cast<std::uint64_t>(std::count(text, text + at, '\n')),
      at - lineStart + 1};
}

std::optional<CorruptStream> BlockReader::readToEnd() {
  std::vector<char> scratch(std::size_t{64} << 10);
  while (!eof_) fill(scratch, 0);
  return broken_;
}

std::size_t BlockReader::fill(std::vector<char>& buffer, std::size_t used) {
  try {
    while (!eof_ && used < buffer.size()) {
      std::size_t n = input_.read(buffer.data() + used, buffer.size() - used);
      if (n == 0) eof_ = true;
      used += n;
      bytesRead_ += n;
    }
  } catch (const CorruptStream& e) {
    eof_ = true;
    broken_ = e;
  }
  return used;
}

}  // namespace hapmat
