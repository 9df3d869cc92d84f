#include "io/line_source.hpp"

#include <cstring>

#include "io/block_reader.hpp"
#include "io/input_source.hpp"

namespace hapmat {

namespace {

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

 private:
  std::unique_ptr<InputSource> input_;
  std::unique_ptr<GzipStream> gzip_;
  BlockReader blocks_;
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
    blocks->lineTooLong = false;
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

  bool inflatesInParallel() const override { return true; }

  bool read(TextChunk& chunk) override {
    if (ended_) return false;
    chunk.clear();
    if (!chunk.blocks) chunk.blocks = std::make_unique<TextChunk::Blocks>();
    TextChunk::Blocks& b = *chunk.blocks;
    b.pending = true;
    b.offset = blocks_.compressedBytesRead();
    try {
      b.last = !blocks_.readBlocks(options_.blockSize, b.compressed, b.list);
    } catch (const CorruptStream& e) {
      b.broken = e;
    }
    ended_ = b.last || b.broken.has_value();
    chunk.fileBytes = input_->bytesRead();
    return true;
  }

  // A corrupt block leaves the text before it to convert, as when the
  // stream is read serially.
  void prepare(TextChunk& chunk) const override {
    TextChunk::Blocks& b = *chunk.blocks;
    if (!b.pending) return;
    try {
      b.inflater.inflate(b.compressed, b.list, b.offset, chunk.text);
    } catch (const CorruptStream& e) {
      b.broken = e;
    }
    splitAtNewlines(chunk);
  }

  // The failure of a line ends the chunk there: what follows is dropped.
  void stitch(TextChunk& chunk) override {
    TextChunk::Blocks& b = *chunk.blocks;
    if (!b.pending) return;
    b.pending = false;
    chunk.textBytes = chunk.text.size();
    textBytes_ += chunk.text.size();
    if (!extendCarry(b.head)) {
      chunk.lines = {};
      return fail(chunk, 1, tooLong());
    }
    if (b.hasNewline || (b.last && !carry_.empty())) {
      chunk.bridge.emplace();
      chunk.bridge->swap(carry_);
      carry_.clear();
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
  std::vector<std::string> warnings() const override {
    if (!blocks_.endedWithoutEofBlock()) return {};
    return {name() + ": " + kNoBgzfEofBlock};
  }

 private:
  std::string tooLong() const {
    return LineTooLong(options_.maxLineBytes).what();
  }

  // The line that spans chunks grows; it is held to the line limit here.
  bool extendCarry(std::string_view bytes) {
    carry_.append(bytes);
    return carry_.size() < options_.maxLineBytes;
  }

  void fail(TextChunk& chunk, std::uint64_t column, std::string reason) {
    chunk.failure = LineFailure{column, std::move(reason)};
    ended_ = true;
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
  BgzfBlockReader blocks_;
  LineSourceOptions options_;
  bool ended_ = false;
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
