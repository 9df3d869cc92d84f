#include "block_reader.hpp"

#include <cstring>
#include <string>

namespace hapmat {

LineTooLong::LineTooLong(std::size_t limit)
    : std::runtime_error("line longer than " + std::to_string(limit) +
                         " bytes (raise --max-line-bytes)") {}

BlockReader::BlockReader(InputSource& input, std::size_t blockSize,
                         std::size_t maxLineBytes)
    : input_(input), maxLineBytes_(maxLineBytes), buffer_(blockSize) {}

std::string_view BlockReader::next() {
  // Roll the partial line handed out last time to the front.
  std::size_t carried = end_ - begin_;
  std::memmove(buffer_.data(), buffer_.data() + begin_, carried);
  begin_ = 0;
  end_ = carried;
  for (;;) {
    fill();
    if (eof_) {
      begin_ = end_;
      return {buffer_.data(), end_};
    }
    const void* last = ::memrchr(buffer_.data(), '\n', end_);
    if (last != nullptr) {
      begin_ = static_cast<const char*>(last) - buffer_.data() + 1;
      return {buffer_.data(), begin_};
    }
    // One line fills the whole buffer: grow it, up to the line limit.
    if (buffer_.size() >= maxLineBytes_) throw LineTooLong(maxLineBytes_);
    buffer_.resize(std::min(buffer_.size() * 2, maxLineBytes_));
  }
}

void BlockReader::fill() {
  while (!eof_ && end_ < buffer_.size()) {
    std::size_t n = input_.read(buffer_.data() + end_, buffer_.size() - end_);
    if (n == 0) {
      eof_ = true;
      return;
    }
    end_ += n;
    bytesRead_ += n;
  }
}

}  // namespace hapmat
