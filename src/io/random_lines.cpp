#include "io/random_lines.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

#include "hapmat/error.hpp"
#include "io/byte_stream.hpp"
#include "io/compressed_input.hpp"

namespace hapmat {

namespace {

using Visitor =
    std::function<bool(std::uint64_t position, std::string_view head)>;

// Plain text is read in windows that start small and double: most visits
// (the bisections' probes) want a line or two, and a large first read would
// be most of their cost.
constexpr std::size_t kFirstWindow = std::size_t{16} << 10;
constexpr std::size_t kWindow = std::size_t{256} << 10;

// An open file read with pread; counts what it reads.
class File {
 public:
  File(int fd, std::string path, std::uint64_t size)
      : fd_(fd), path_(std::move(path)), size_(size) {}
  ~File() { ::close(fd_); }
  File(const File&) = delete;
  File& operator=(const File&) = delete;

  std::uint64_t size() const { return size_; }
  std::uint64_t bytesRead() const { return bytesRead_; }
  int fd() const { return fd_; }
  const std::string& path() const { return path_; }

  std::size_t readAt(std::uint64_t offset, char* data, std::size_t size) {
    std::size_t got = 0;
    while (got < size) {
      ssize_t n = ::pread(fd_, data + got, size - got,
                          static_cast<off_t>(offset + got));
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) throwIoError("cannot read", path_, errno);
      if (n == 0) break;
      got += static_cast<std::size_t>(n);
    }
    bytesRead_ += got;
    return got;
  }

 private:
  int fd_;
  std::string path_;
  std::uint64_t size_;
  std::uint64_t bytesRead_ = 0;
};

// Cuts text that arrives in pieces into lines, keeping each line's head.
class LineCutter {
 public:
  LineCutter(bool skipFirst, const Visitor& see, std::size_t headBytes)
      : skipping_(skipFirst), see_(see), headBytes_(headBytes) {}

  /** Feeds a piece whose byte i sits at position base + i. Returns false
   * once the visitor wants no more lines. */
  bool feed(std::string_view text, std::uint64_t base) {
    std::size_t i = 0;
    if (skipping_) {
      std::size_t newline = text.find('\n');
      if (newline == std::string_view::npos) return true;
      skipping_ = false;
      i = newline + 1;
    }
    while (i < text.size()) {
      if (!started_) {
        started_ = true;
        start_ = base + i;
        head_.clear();
      }
      std::size_t newline = text.find('\n', i);
      std::size_t end =
          newline == std::string_view::npos ? text.size() : newline;
      if (head_.size() < headBytes_) {
        head_.append(
            text.substr(i, std::min(end - i, headBytes_ - head_.size())));
      }
      if (newline == std::string_view::npos) return true;
      started_ = false;
      if (!see_(start_, head_)) return false;
      i = newline + 1;
    }
    return true;
  }

  /** The last line, when the file does not end with '\n'. */
  void finish() {
    if (started_) see_(start_, head_);
  }

 private:
  bool skipping_;
  const Visitor& see_;
  std::size_t headBytes_;
  bool started_ = false;
  std::uint64_t start_ = 0;
  std::string head_;
};

class PlainLines final : public RandomLines {
 public:
  explicit PlainLines(std::unique_ptr<File> file) : file_(std::move(file)) {}

  std::uint64_t size() const override { return file_->size(); }
  std::uint64_t scanBytes() const override { return std::uint64_t{64} << 10; }
  std::uint64_t bytesRead() const override { return file_->bytesRead(); }

  // From the byte before `offset`: a line starts at `offset` exactly when
  // that byte is '\n'.
  void visit(std::uint64_t offset, const Visitor& see,
             std::size_t headBytes) override {
    LineCutter lines(offset > 0, see, headBytes);
    std::size_t window = kFirstWindow;
    for (std::uint64_t at = offset > 0 ? offset - 1 : 0; at < size();) {
      std::size_t got = file_->readAt(at, buffer_.get(), window);
      if (got == 0) break;
      if (!lines.feed({buffer_.get(), got}, at)) return;
      at += got;
      window = std::min(window * 2, kWindow);
    }
    lines.finish();
  }

 private:
  std::unique_ptr<File> file_;
  std::unique_ptr<char[]> buffer_ =
      std::make_unique_for_overwrite<char[]>(kWindow);
};

// Reads a file from an offset on, as a stream.
class FileStream final : public ByteStream {
 public:
  FileStream(File& file, std::uint64_t offset) : file_(file), at_(offset) {}
  std::size_t read(char* buffer, std::size_t size) override {
    std::size_t got = file_.readAt(at_, buffer, size);
    at_ += got;
    return got;
  }

 private:
  File& file_;
  std::uint64_t at_;
};

class BgzfLines final : public RandomLines {
 public:
  explicit BgzfLines(std::unique_ptr<File> file) : file_(std::move(file)) {}

  std::uint64_t size() const override { return file_->size(); }
  std::uint64_t scanBytes() const override { return std::uint64_t{4} << 10; }
  std::uint64_t bytesRead() const override { return file_->bytesRead(); }

  void visit(std::uint64_t offset, const Visitor& see,
             std::size_t headBytes) override {
    std::uint64_t start = offset == 0 ? 0 : findBgzfBlock(offset);
    LineCutter lines(offset > 0, see, headBytes);
    FileStream stream(*file_, start);
    BgzfBlockReader blocks(stream);
    for (std::uint64_t at = start; at < size();) {
      raw_.clear();
      block_.clear();
      if (!blocks.readBlocks(0, raw_, block_)) break;
      inflater_.inflate(raw_, block_, at, text_);
      if (!lines.feed({text_.data(), text_.size()}, at << 16)) return;
      at += raw_.size();
    }
    lines.finish();
  }

 private:
  std::uint64_t findBgzfBlock(std::uint64_t offset) {
    return hapmat::findBgzfBlock(file_->fd(), offset, size(), file_->path());
  }

  std::unique_ptr<File> file_;
  BgzfInflater inflater_;
  // Kept from visit to visit: growing a vector zeroes what it adds.
  std::vector<char> raw_;
  std::vector<BgzfBlock> block_;
  std::vector<char> text_;
};

}  // namespace

std::unique_ptr<RandomLines> RandomLines::open(const std::string& path) {
  if (path == "-") return nullptr;
  // Opening a FIFO again waits for a writer, who may have gone: only a
  // regular file is opened.
  struct stat before {};
  if (::stat(path.c_str(), &before) == 0 && !S_ISREG(before.st_mode)) {
    return nullptr;
  }
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throwIoError("cannot open", path, errno);
  struct stat info {};
  if (::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
    ::close(fd);
    return nullptr;
  }
  auto file = std::make_unique<File>(fd, path,
                                     static_cast<std::uint64_t>(info.st_size));
  char head[kCompressionMagicBytes];
  std::size_t got = file->readAt(0, head, sizeof head);
  switch (detectCompression({head, got})) {
    case Compression::kNone:
      return std::make_unique<PlainLines>(std::move(file));
    case Compression::kBgzf:
      return std::make_unique<BgzfLines>(std::move(file));
    case Compression::kGzip:
      break;
  }
  return nullptr;
}

}  // namespace hapmat
