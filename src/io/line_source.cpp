#include "io/line_source.hpp"

#include <algorithm>
#include <atomic>
#include <cstring>

#include "hapmat/error.hpp"
#include "io/block_reader.hpp"
#include "io/input_source.hpp"

namespace hapmat {

namespace {

// The bytes of a part of a plain file: from the first line start at or
// after range.begin to the '\n' that ends the line holding byte end - 1.
// The bytes skipped to find the first line start are never kept.
class RangeStream final : public ByteStream {
 public:
  RangeStream(InputSource& input, ByteRange range)
      : input_(input), range_(range), done_(range.end <= range.begin) {
    if (range.begin > 0) {
      input.seekTo(range.begin - 1);
      at_ = range.begin - 1;
      skipping_ = true;
    }
  }

  std::size_t read(char* buffer, std::size_t size) override {
    while (!done_) {
      std::size_t n = input_.read(buffer, size);
      if (n == 0) break;
      const std::uint64_t at = at_;
      at_ += n;
      std::size_t from = 0;
      if (skipping_) {
        const void* newline = std::memchr(buffer, '\n', n);
        if (newline == nullptr) continue;
        from = static_cast<const char*>(newline) - buffer + 1;
        skipping_ = false;
        if (at + from >= range_.end) break;  // no line starts in the part
      }
      std::size_t count = n - from;
      const std::uint64_t last = range_.end - 1;  // ends the part's last line
      if (at + n > last) {
        std::size_t scan =
            std::max<std::size_t>(from, last > at ? last - at : 0);
        const void* newline = std::memchr(buffer + scan, '\n', n - scan);
        if (newline != nullptr) {
          count = static_cast<const char*>(newline) - buffer + 1 - from;
          done_ = true;
        }
      }
      if (from > 0) std::memmove(buffer, buffer + from, count);
      if (count > 0) return count;
    }
    done_ = true;
    return 0;
  }

 private:
  InputSource& input_;
  ByteRange range_;
  bool done_;
  bool skipping_ = false;
  std::uint64_t at_ = 0;  // file offset of the next byte read
};

std::uint64_t countNewlines(const char* data, std::size_t size) {
  return static_cast<std::uint64_t>(std::count(data, data + size, '\n'));
}

// The '\n's of a plain file before byte `offset`.
std::uint64_t linesBeforeOffset(const std::string& path, std::uint64_t offset) {
  std::unique_ptr<InputSource> input = InputSource::open(path);
  std::vector<char> buffer(std::size_t{1} << 20);
  std::uint64_t lines = 0;
  for (std::uint64_t left = offset; left > 0;) {
    std::size_t n = input->read(buffer.data(),
                                std::min<std::uint64_t>(buffer.size(), left));
    if (n == 0) break;
    lines += countNewlines(buffer.data(), n);
    left -= n;
  }
  return lines;
}

// Plain text and gzip: BlockReader fills blocks of whole lines and holds
// the line cut by a block's end for the next block.
class BlockLineSource final : public LineSource {
 public:
  BlockLineSource(std::unique_ptr<InputSource> input,
                  std::unique_ptr<GzipStream> gzip,
                  const LineSourceOptions& options)
      : input_(std::move(input)),
        gzip_(std::move(gzip)),
        blocks_(gzip_ ? static_cast<ByteStream&>(*gzip_) : *input_,
                options.blockSize, options.maxLineBytes) {}

  // A part of a plain file.
  BlockLineSource(std::unique_ptr<InputSource> input, ByteRange range,
                  const LineSourceOptions& options)
      : input_(std::move(input)),
        part_(range),
        range_(std::make_unique<RangeStream>(*input_, range)),
        blocks_(*range_, options.blockSize, options.maxLineBytes) {}

  std::optional<ByteRange> range() const override { return part_; }

  bool read(TextChunk& chunk) override {
    if (failed_) return false;
    chunk.clear();
    try {
      chunk.lines = blocks_.next(chunk.text);
    } catch (const LineTooLong& e) {
      chunk.failure = LineFailure{1, e.what()};
    } catch (const InputEndedEarly& e) {
      chunk.failure = LineFailure{e.partialLineBytes() + 1, e.what()};
    }
    failed_ = chunk.failure.has_value();
    chunk.fileBytes = input_->bytesRead();
    chunk.textBytes = chunk.lines.size();
    return failed_ || !chunk.lines.empty();
  }

  const std::string& name() const override { return input_->name(); }
  Compression compression() const override {
    return gzip_ ? Compression::kGzip : Compression::kNone;
  }
  std::uint64_t fileBytesRead() const override { return input_->bytesRead(); }
  std::uint64_t textBytesRead() const override { return blocks_.bytesRead(); }
  std::optional<CorruptStream> damage() override {
    if (!gzip_) return std::nullopt;
    return blocks_.readToEnd();
  }
  // The '\n's before byte begin - 1, and the one at or after it that ends
  // the part before's last line.
  std::uint64_t linesBefore() override {
    if (!part_ || part_->begin == 0) return 0;
    if (!linesBefore_) {
      linesBefore_ = linesBeforeOffset(input_->name(), part_->begin - 1) + 1;
    }
    return *linesBefore_;
  }

 private:
  std::unique_ptr<InputSource> input_;
  std::unique_ptr<GzipStream> gzip_;
  std::optional<ByteRange> part_;
  std::unique_ptr<RangeStream> range_;
  BlockReader blocks_;
  std::optional<std::uint64_t> linesBefore_;
  bool failed_ = false;
};

}  // namespace

// BGZF blocks of a chunk, and what inflating them found.
struct TextChunk::Blocks {
  bool pending = false;  // read, not stitched yet
  bool last = false;     // after the stream's last block
  std::vector<char> compressed;
  std::vector<BgzfBlock> list;
  std::uint64_t offset = 0;  // of compressed[0] in the stream
  BgzfInflater inflater;
  std::optional<CorruptStream> broken;  // the stream breaks after `text`
  std::string_view head;  // before the first '\n' (all of text, if none)
  std::string_view tail;  // after the last '\n'
  bool hasNewline = false;
  bool lineTooLong = false;  // a line inside `text` reaches the limit
  bool inflated = false;     // `text` was inflated by read() already
};

TextChunk::TextChunk() = default;
TextChunk::~TextChunk() = default;
TextChunk::TextChunk(TextChunk&&) noexcept = default;
TextChunk& TextChunk::operator=(TextChunk&&) noexcept = default;

void TextChunk::clear() {
  bridge.reset();
  lines = {};
  failure.reset();
  fileBytes = textBytes = 0;
  text.clear();
  if (blocks) {
    blocks->pending = blocks->last = blocks->hasNewline = false;
    blocks->lineTooLong = blocks->inflated = false;
    blocks->compressed.clear();
    blocks->list.clear();
    blocks->broken.reset();
    blocks->head = blocks->tail = {};
  }
}

namespace {

// BGZF: read() takes whole blocks (about a block size of text) without
// inflating them, prepare() inflates them and finds the chunk's first and
// last line ends, stitch() joins the previous chunk's tail to this one's
// head: the bridge line.
class BgzfLineSource final : public LineSource {
 public:
  BgzfLineSource(std::unique_ptr<InputSource> input,
                 const LineSourceOptions& options)
      : input_(std::move(input)), blocks_(*input_), options_(options) {}

  // A part: from the first block at or after range.begin, dropping the
  // text before its first '\n' (the part before's last line), to the first
  // block at or after range.end, and then on to the first '\n' from there.
  BgzfLineSource(std::unique_ptr<InputSource> input, ByteRange range,
                 std::uint64_t size, const LineSourceOptions& options)
      : input_(std::move(input)),
        start_(range.begin == 0 ? 0 : blockAtOrAfter(range.begin, size)),
        blocks_(*input_, start_),
        options_(options),
        stop_(range.end >= size ? size : blockAtOrAfter(range.end, size)),
        skipping_(range.begin > 0),
        counts_(range.begin > 0),
        endsInside_(stop_ < size),
        part_(range) {
    if (range.begin > 0) input_->seekTo(start_);
    blocks_.stopAt(stop_);
  }

  bool inflatesInParallel() const override { return true; }

  bool read(TextChunk& chunk) override {
    if (readEnded_ || failed_.load(std::memory_order_relaxed)) return false;
    chunk.clear();
    if (!chunk.blocks) chunk.blocks = std::make_unique<TextChunk::Blocks>();
    TextChunk::Blocks& b = *chunk.blocks;
    b.pending = true;
    b.offset = blocks_.compressedBytesRead();
    try {
      b.last = !blocks_.readBlocks(options_.blockSize, b.compressed, b.list);
      if (b.last && endsInside_) {
        endsInside_ = false;
        readPartEnd(chunk);
      }
    } catch (const CorruptStream& e) {
      b.broken = e;
    }
    readEnded_ = b.last || b.broken.has_value();
    chunk.fileBytes = input_->bytesRead();
    return true;
  }

  // A part ends with the line that holds its end: the blocks from the part
  // after's first block up to the first '\n', inflated here (usually one).
  void readPartEnd(TextChunk& chunk) {
    TextChunk::Blocks& b = *chunk.blocks;
    b.inflated = true;
    blocks_.stopAt(UINT64_MAX);
    std::vector<char> text;
    for (;;) {
      b.compressed.clear();
      b.list.clear();
      std::uint64_t at = blocks_.compressedBytesRead();
      if (!blocks_.readBlocks(1, b.compressed, b.list)) return;
      b.inflater.inflate(b.compressed, b.list, at, text);
      if (text.empty()) continue;  // an empty block: memchr needs a buffer
      const char* newline =
          static_cast<const char*>(std::memchr(text.data(), '\n', text.size()));
      std::size_t keep = newline ? newline - text.data() + 1 : text.size();
      chunk.text.insert(chunk.text.end(), text.begin(), text.begin() + keep);
      if (newline != nullptr) return;
    }
  }

  // A corrupt block leaves the text before it to convert, as when the
  // stream is read serially.
  void prepare(TextChunk& chunk) const override {
    if (!chunk.blocks || !chunk.blocks->pending) return;  // read elsewhere
    TextChunk::Blocks& b = *chunk.blocks;
    try {
      if (!b.inflated) {
        b.inflater.inflate(b.compressed, b.list, b.offset, chunk.text);
      }
    } catch (const CorruptStream& e) {
      b.broken = e;
    }
    splitAtNewlines(chunk);
  }

  // The failure of a line ends the chunk there: what follows is dropped.
  void stitch(TextChunk& chunk) override {
    if (!chunk.blocks || !chunk.blocks->pending) return;  // read elsewhere
    TextChunk::Blocks& b = *chunk.blocks;
    b.pending = false;
    chunk.textBytes = chunk.text.size();
    textBytes_ += chunk.text.size();
    if (skipping_) {
      // The part before's last line, however long: dropped, not kept.
      skipping_ = !b.hasNewline;
      if (skipping_) {
        chunk.lines = {};
        if (b.broken) fail(chunk, 1, InputEndedEarly(*b.broken, 0).what());
        return;
      }
    } else {
      if (!extendCarry(b.head)) {
        chunk.lines = {};
        return fail(chunk, 1, tooLong());
      }
      if (b.hasNewline || (b.last && !carry_.empty())) {
        chunk.bridge.emplace();
        chunk.bridge->swap(carry_);
        carry_.clear();
      }
    }
    if (b.lineTooLong) return fail(chunk, 1, tooLong());
    if (!extendCarry(b.tail)) return fail(chunk, 1, tooLong());
    if (b.broken) {
      fail(chunk, carry_.size() + 1, InputEndedEarly(*b.broken, 0).what());
    }
  }

  const std::string& name() const override { return input_->name(); }
  Compression compression() const override { return Compression::kBgzf; }
  std::uint64_t fileBytesRead() const override { return input_->bytesRead(); }
  std::uint64_t textBytesRead() const override { return textBytes_; }
  std::optional<ByteRange> range() const override { return part_; }
  std::uint64_t linesBefore() override {
    if (!counts_) return 0;
    if (!linesBefore_) linesBefore_ = countLinesBefore();
    return *linesBefore_;
  }
  std::vector<std::string> warnings() const override {
    if (!blocks_.endedWithoutEofBlock()) return {};
    return {name() + ": " + kNoBgzfEofBlock};
  }

 private:
  std::string tooLong() const {
    return LineTooLong(options_.maxLineBytes).what();
  }

  std::uint64_t blockAtOrAfter(std::uint64_t offset, std::uint64_t size) {
    return findBgzfBlock(input_->fd(), offset, size, input_->name());
  }

  // The '\n's of the text before the part's first block, and the one in
  // it that ends the part before's last line. A damaged block before the
  // part ends the count (the part that holds it fails there): the blocks
  // are read one at a time, so that every line before it is counted.
  std::uint64_t countLinesBefore() {
    std::unique_ptr<InputSource> input = InputSource::open(input_->name());
    BgzfBlockReader blocks(*input);
    blocks.stopAt(start_);
    BgzfInflater inflater;
    std::vector<char> compressed;
    std::vector<BgzfBlock> list;
    std::vector<char> text;
    std::uint64_t lines = 1;
    try {
      for (std::uint64_t at = 0; blocks.readBlocks(1, compressed, list);
           at = blocks.compressedBytesRead()) {
        inflater.inflate(compressed, list, at, text);
        lines += countNewlines(text.data(), text.size());
        compressed.clear();
        list.clear();
      }
    } catch (const CorruptStream&) {
      // counted up to the damaged block
    }
    return lines;
  }

  // The line that spans chunks grows; it is held to the line limit here.
  bool extendCarry(std::string_view bytes) {
    carry_.append(bytes);
    return carry_.size() < options_.maxLineBytes;
  }

  void fail(TextChunk& chunk, std::uint64_t column, std::string reason) {
    chunk.failure = LineFailure{column, std::move(reason)};
    failed_.store(true, std::memory_order_relaxed);
  }

  // head | lines | tail around the first and last '\n'; a line inside the
  // text is checked against the limit only when the text could hold one.
  void splitAtNewlines(TextChunk& chunk) const {
    TextChunk::Blocks& b = *chunk.blocks;
    const char* text = chunk.text.data();
    std::size_t size = chunk.text.size();
    const void* first = size == 0 ? nullptr : std::memchr(text, '\n', size);
    b.hasNewline = first != nullptr;
    if (!b.hasNewline) {
      b.head = {text, size};
      return;
    }
    std::size_t headEnd = static_cast<const char*>(first) - text;
    std::size_t end =
        static_cast<const char*>(::memrchr(text, '\n', size)) - text + 1;
    b.head = {text, headEnd};
    chunk.lines = {text + headEnd + 1, end - headEnd - 1};
    b.tail = {text + end, size - end};
    if (chunk.lines.size() >= options_.maxLineBytes) cutAtLongLine(chunk);
  }

  void cutAtLongLine(TextChunk& chunk) const {
    std::string_view lines = chunk.lines;
    for (std::size_t start = 0; start < lines.size();) {
      std::size_t end = lines.find('\n', start);
      if (end - start >= options_.maxLineBytes) {
        chunk.lines = lines.substr(0, start);
        chunk.blocks->lineTooLong = true;
        chunk.blocks->tail = {};
        return;
      }
      start = end + 1;
    }
  }

  std::unique_ptr<InputSource> input_;
  std::uint64_t start_ = 0;  // the first block read
  BgzfBlockReader blocks_;
  LineSourceOptions options_;
  std::uint64_t stop_ = UINT64_MAX;  // the first block of the part after
  bool skipping_ = false;    // until the first '\n': the part before's line
  bool counts_ = false;      // whether lines come before the part
  bool endsInside_ = false;  // before the file's end: the last line to read
  std::optional<ByteRange> part_;
  std::optional<std::uint64_t> linesBefore_;
  // read() and stitch() are different pipeline stages and run at once: the
  // read stage's own end, and a failure stitch found, which it reads only
  // to stop reading early (the chunks read meanwhile are never written).
  bool readEnded_ = false;
  std::atomic<bool> failed_ = false;
  std::string carry_;  // the line cut by the last stitched chunk's end
  std::uint64_t textBytes_ = 0;
};

}  // namespace

bool LineSource::next(TextChunk& chunk) {
  if (!read(chunk)) return false;
  prepare(chunk);
  stitch(chunk);
  return true;
}

namespace {

// A regular file's input and size, for reading a byte range of it.
std::unique_ptr<InputSource> openRegular(const std::string& path,
                                         std::uint64_t& size) {
  std::unique_ptr<InputSource> input = InputSource::open(path);
  std::optional<std::uint64_t> regular = input->regularSize();
  if (!regular) {
    throw UsageError(input->name() +
                     ": a part is a byte range of a file, and this input "
                     "cannot be read at random (standard input, a pipe?)");
  }
  size = *regular;
  return input;
}

}  // namespace

std::unique_ptr<LineSource> LineSource::openPart(
    const std::string& path, const LineSourceOptions& options, unsigned index,
    unsigned count) {
  std::uint64_t size = 0;
  openRegular(path, size);
  // k * size / count without overflow: both remainders are below 2^32.
  auto at = [&, whole = size / count, rest = size % count](unsigned k) {
    return whole * k + rest * k / count;
  };
  return openRange(path, options, {at(index - 1), at(index)});
}

std::unique_ptr<LineSource> LineSource::openRange(
    const std::string& path, const LineSourceOptions& options,
    ByteRange range) {
  std::uint64_t size = 0;
  std::unique_ptr<InputSource> input = openRegular(path, size);
  range.end = std::min(range.end, size);
  range.begin = std::min(range.begin, range.end);
  switch (detectCompression(input->peek(kCompressionMagicBytes))) {
    case Compression::kNone:
      return std::make_unique<BlockLineSource>(std::move(input), range,
                                               options);
    case Compression::kBgzf:
      return std::make_unique<BgzfLineSource>(std::move(input), range, size,
                                              options);
    case Compression::kGzip:
      break;
  }
  throw UsageError(input->name() +
                   ": gzip that is not BGZF cannot be split into parts: "
                   "recompress it with bgzip (zcat " +
                   input->name() + " | bgzip -@ 8 > " + input->name() +
                   ".bgz)");
}

std::unique_ptr<LineSource> LineSource::open(const std::string& path,
                                             const LineSourceOptions& options) {
  std::unique_ptr<InputSource> input = InputSource::open(path);
  switch (detectCompression(input->peek(kCompressionMagicBytes))) {
    case Compression::kNone:
      break;
    case Compression::kGzip: {
      auto gzip = std::make_unique<GzipStream>(*input);
      return std::make_unique<BlockLineSource>(std::move(input),
                                               std::move(gzip), options);
    }
    case Compression::kBgzf:
      return std::make_unique<BgzfLineSource>(std::move(input), options);
  }
  return std::make_unique<BlockLineSource>(std::move(input), nullptr, options);
}

}  // namespace hapmat
