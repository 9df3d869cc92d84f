#include "io/mapped_line_source.hpp"

#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "hapmat/error.hpp"
#include "io/block_reader.hpp"

namespace hapmat {

namespace {

class MappedLineSource final : public LineSource {
 public:
  MappedLineSource(std::unique_ptr<InputSource> input, std::uint64_t size,
                   const LineSourceOptions& options,
                   std::optional<ByteRange> part)
      : input_(std::move(input)), size_(size), options_(options), part_(part) {
    if (size_ > 0) {
      void* map =
          ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, input_->fd(), 0);
      if (map == MAP_FAILED) throwIoError("cannot map", input_->name(), errno);
      base_ = static_cast<const char*>(map);
      ::madvise(map, size_, MADV_SEQUENTIAL);
    }
    begin_ = part_ ? lineStartAtOrAfter(part_->begin) : 0;
    end_ = part_ ? lineStartAtOrAfter(part_->end) : size_;
    end_ = std::max(begin_, end_);
    at_ = released_ = begin_;
  }

  ~MappedLineSource() override {
    if (base_ != nullptr) ::munmap(const_cast<char*>(base_), size_);
  }

  // Whole lines up to about a block; a line longer than a block is one
  // chunk, up to the line limit.
  bool read(TextChunk& chunk) override {
    if (at_ >= end_ || failed_) return false;
    chunk.clear();
    std::uint64_t stop = end_;
    if (end_ - at_ > options_.blockSize) {
      const void* last = ::memrchr(base_ + at_, '\n', options_.blockSize);
      if (last != nullptr) {
        stop = static_cast<const char*>(last) - base_ + 1;
      } else {
        const void* next = std::memchr(base_ + at_ + options_.blockSize, '\n',
                                       end_ - at_ - options_.blockSize);
        if (next != nullptr) stop = static_cast<const char*>(next) - base_ + 1;
      }
    }
    std::uint64_t lineEnd = stop;
    if (stop > at_ && base_[stop - 1] == '\n') --lineEnd;
    if (stop - at_ > options_.blockSize &&
        lineEnd - at_ >= options_.maxLineBytes) {
      // One line that long: the chunk holds it alone.
      chunk.failure = LineFailure{1, LineTooLong(options_.maxLineBytes).what()};
      failed_ = true;
    } else {
      chunk.lines = {base_ + at_, static_cast<std::size_t>(stop - at_)};
    }
    chunk.textBytes = stop - at_;
    at_ = stop;
    chunk.fileBytes = at_ - begin_;
    return true;
  }

  // Pages wholly before the chunk's end go (the write stage calls this in
  // order); the file stays in the page cache.
  void release(const TextChunk& chunk) override {
    if (chunk.lines.empty() || chunk.lines.data() < base_ ||
        chunk.lines.data() >= base_ + size_) {
      return;
    }
    static const std::uint64_t kPage =
        static_cast<std::uint64_t>(::sysconf(_SC_PAGESIZE));
    std::uint64_t end = chunk.lines.data() + chunk.lines.size() - base_;
    std::uint64_t from = released_ / kPage * kPage;
    std::uint64_t to = end / kPage * kPage;
    if (to > from) {
      ::madvise(const_cast<char*>(base_) + from, to - from, MADV_DONTNEED);
      released_ = to;
    }
  }

  std::optional<ByteRange> range() const override { return part_; }

  // The '\n's before the part's first line; the pages read to count them
  // go again.
  std::uint64_t linesBefore() override {
    std::uint64_t lines = 0;
    for (const char* p = base_; p < base_ + begin_;) {
      const void* next = std::memchr(p, '\n', base_ + begin_ - p);
      if (next == nullptr) break;
      ++lines;
      p = static_cast<const char*>(next) + 1;
    }
    if (begin_ > 0) ::madvise(const_cast<char*>(base_), begin_, MADV_DONTNEED);
    return lines;
  }

  const std::string& name() const override { return input_->name(); }
  Compression compression() const override { return Compression::kNone; }
  std::uint64_t fileBytesRead() const override { return at_ - begin_; }
  std::uint64_t textBytesRead() const override { return at_ - begin_; }

 private:
  // 0, or the byte after the first '\n' at or after x - 1 (the file's end
  // if none).
  std::uint64_t lineStartAtOrAfter(std::uint64_t x) const {
    if (x == 0) return 0;
    if (x > size_) return size_;
    const void* newline = std::memchr(base_ + x - 1, '\n', size_ - (x - 1));
    return newline == nullptr
               ? size_
               : static_cast<std::uint64_t>(static_cast<const char*>(newline) -
                                            base_ + 1);
  }

  std::unique_ptr<InputSource> input_;
  std::uint64_t size_;
  LineSourceOptions options_;
  std::optional<ByteRange> part_;
  const char* base_ = nullptr;
  std::uint64_t begin_ = 0;  // the first line handed out
  std::uint64_t end_ = 0;    // after the last
  std::uint64_t at_ = 0;     // the next chunk's start
  std::uint64_t released_ = 0;
  bool failed_ = false;
};

}  // namespace

std::unique_ptr<LineSource> openMapped(std::unique_ptr<InputSource> input,
                                       std::uint64_t size,
                                       const LineSourceOptions& options,
                                       std::optional<ByteRange> part) {
  return std::make_unique<MappedLineSource>(std::move(input), size, options,
                                            part);
}

}  // namespace hapmat
