#include "io/line_source.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstring>

#include "hapmat/error.hpp"
#include "io/block_reader.hpp"
#include "io/input_source.hpp"
#include "io/mapped_range.hpp"

namespace hapmat {

namespace {

// The text of a file's first chunk, at most: the prologue reads its lines
// from it, and a run of a part or of regions reads nothing else from there
// (a whole block was a third of the fixed cost of a 1 Mb region's run).
constexpr std::size_t kFirstChunkBytes = std::size_t{64} << 10;

// The bytes a mapping of a plain file holds for the ranges read from it
// (and the block after the last one): pages each core's TLB must drop when
// it is given back. A block this size or larger has a mapping of its own.
constexpr std::uint64_t kWindowBytes = std::uint64_t{8} << 20;

constexpr char kNoPartsOfPlainMembers[] =
    ": parts cannot be read from a file with plain gzip members after its "
    "BGZF blocks (convert it whole, or recompress it with bgzip)";

// Bytes read already, then the rest of a stream.
class PrefixedStream final : public ByteStream {
 public:
  PrefixedStream(std::string prefix, ByteStream& rest)
      : prefix_(std::move(prefix)), rest_(rest) {}

  std::size_t read(char* buffer, std::size_t size) override {
    if (used_ == prefix_.size()) return rest_.read(buffer, size);
    const std::size_t n = std::min(size, prefix_.size() - used_);
    std::memcpy(buffer, prefix_.data() + used_, n);
    used_ += n;
    return n;
  }

 private:
  std::string prefix_;
  ByteStream& rest_;
  std::size_t used_ = 0;
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

// Standard input, pipes and gzip: BlockReader fills blocks of whole lines
// and holds the line cut by a block's end for the next block.
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
    chunk.checked = blocks_.checkedEnd();
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
  std::optional<StreamDamage> damage() override {
    if (!gzip_) return std::nullopt;
    std::optional<CorruptStream> broken = blocks_.readToEnd();
    if (!broken) return std::nullopt;
    return StreamDamage{*broken, gzip_->checkedBytes().value_or(0)};
  }

 private:
  std::unique_ptr<InputSource> input_;
  std::unique_ptr<GzipStream> gzip_;
  BlockReader blocks_;
  bool failed_ = false;
};

// A plain regular file, or a part of one, read in parallel: read() only
// hands out the next range of a block's size; prepare(), on a worker,
// maps it (or preads it) and keeps the lines that start in it, the last
// one finished past the range's end: the lines of a part (ByteRange), so
// the ranges' lines, in order, are the file's. No byte is copied serially.
class PreadLineSource final : public LineSource {
 public:
  PreadLineSource(std::unique_ptr<InputSource> input, std::uint64_t fileSize,
                  ByteRange range, bool isPart,
                  const LineSourceOptions& options)
      : input_(std::move(input)),
        fileSize_(fileSize),
        range_(range),
        isPart_(isPart),
        next_(range.begin),
        // A line inside a range is then within the line limit.
        step_(std::max<std::size_t>(
            1, std::min(options.blockSize, options.maxLineBytes))),
        maxLineBytes_(options.maxLineBytes),
        farthest_(range.begin) {}

  bool read(TextChunk& chunk) override {
    if (next_ >= range_.end || failed_.load(std::memory_order_relaxed)) {
      return false;
    }
    chunk.clear();
    const std::uint64_t step =
        next_ == range_.begin ? std::min(step_, kFirstChunkBytes) : step_;
    const std::uint64_t end =
        range_.end - next_ > step ? next_ + step : range_.end;
    chunk.pending = ByteRange{next_, end};
    chunk.mapping = windowFor(*chunk.pending);
    chunk.fileBytes = end - range_.begin;
    next_ = end;
    return true;
  }

  void prepare(TextChunk& chunk) const override {
    if (!chunk.pending) return;  // prepared already (the prologue's chunk)
    const ByteRange range = *chunk.pending;
    chunk.pending.reset();
    loadLines(chunk, range);
    chunk.textBytes = chunk.lines.size();
    textBytes_.fetch_add(chunk.textBytes, std::memory_order_relaxed);
  }
  const char* prepareStage() const override { return "pread"; }
  void verify(const TextChunk& chunk) const override {
    if (chunk.mapping && chunk.mapping->lost()) throw cutShort();
  }

  const std::string& name() const override { return input_->name(); }
  Compression compression() const override { return Compression::kNone; }
  std::uint64_t fileBytesRead() const override {
    return farthest_.load(std::memory_order_relaxed) - range_.begin;
  }
  std::uint64_t textBytesRead() const override {
    return textBytes_.load(std::memory_order_relaxed);
  }
  std::optional<ByteRange> range() const override {
    if (!isPart_) return std::nullopt;
    return range_;
  }
  // The '\n's before byte begin - 1, and the one at or after it that ends
  // the part before's last line.
  std::uint64_t linesBefore() override {
    if (!isPart_ || range_.begin == 0) return 0;
    if (!linesBefore_) {
      linesBefore_ = linesBeforeOffset(input_->name(), range_.begin - 1) + 1;
    }
    return *linesBefore_;
  }

 private:
  // From the byte before the range (a line starts at the range's first
  // byte when that one is a '\n') to the '\n' that ends the line holding
  // its last byte (or the file's end): mapped, or else read.
  void loadLines(TextChunk& chunk, ByteRange range) const {
    const std::uint64_t from = range.begin == 0 ? 0 : range.begin - 1;
    if (mapLines(chunk, from, range)) return;
    const std::size_t want = range.end - from;
    std::vector<char>& text = chunk.text;
    if (text.size() < want) text.resize(want);
    const std::size_t got = readAt(from, text.data(), want);
    std::size_t start = 0;
    if (range.begin > 0) {
      const void* newline = std::memchr(text.data(), '\n', got);
      if (newline == nullptr) return;  // no line starts in the range
      start = static_cast<const char*>(newline) - text.data() + 1;
    }
    if (start >= got) return;  // the first line starts after the range
    std::size_t end = got;
    if (got == want && text[want - 1] != '\n') {
      end = finishLine(chunk, from, start, got);
    }
    chunk.lines = {text.data() + start, end - start};
  }

  // The lines in place, in a mapping of the range and of a block after it
  // for its last line (measured: 9 % less CPU in a run than pread's copy,
  // docs/BENCHMARKS.md). False, with nothing mapped, when that line does not
  // end there, or is over the line limit: those are read, which reports the
  // limit as it should.
  bool mapLines(TextChunk& chunk, std::uint64_t from, ByteRange range) const {
    if (!chunk.mapping) return false;
    const MappedRange& window = *chunk.mapping;
    const std::size_t offset = from - window.fileOffset();
    const std::size_t want = range.end - from;
    const char* text = window.data() + offset;
    // The file's bytes: the rest of its last page is zeros.
    const std::size_t bytes = std::min<std::uint64_t>(
        {window.size() - offset, want + step_, fileSize_ - from});
    std::size_t start = 0;
    if (range.begin > 0) {
      const void* newline = std::memchr(text, '\n', want);
      if (newline == nullptr) return true;  // no line starts in the range
      start = static_cast<const char*>(newline) - text + 1;
    }
    if (start >= want) return true;  // the first line starts after the range
    std::size_t end = bytes;         // the file's last line, without its '\n'
    const void* newline = std::memchr(text + want - 1, '\n', bytes - want + 1);
    if (newline != nullptr) {
      end = static_cast<const char*>(newline) - text + 1;
    } else if (from + bytes < fileSize_) {
      chunk.mapping.reset();
      return false;
    }
    const void* before = ::memrchr(text + start, '\n', want - 1 - start);
    const std::size_t lineStart =
        before ? static_cast<const char*>(before) - text + 1 : start;
    if (end - lineStart - (newline != nullptr) > maxLineBytes_) {
      chunk.mapping.reset();
      return false;
    }
    noteRead(from + end);
    chunk.lines = {text + start, end - start};
    return true;
  }

  // Reads on to the end of the line cut by the range's end: where the
  // kept text ends. A line over the limit ends the chunk before it, with a
  // failure; reading stops at the limit.
  std::size_t finishLine(TextChunk& chunk, std::uint64_t from,
                         std::size_t start, std::size_t size) const {
    std::vector<char>& text = chunk.text;
    const void* before = ::memrchr(text.data() + start, '\n', size - start);
    const std::size_t lineStart =
        before ? static_cast<const char*>(before) - text.data() + 1 : start;
    for (std::size_t step = std::size_t{4} << 10;; step *= 2) {
      const std::size_t line = size - lineStart;
      if (line > maxLineBytes_) {
        chunk.failure = LineFailure{1, LineTooLong(maxLineBytes_).what()};
        failed_.store(true, std::memory_order_relaxed);
        return lineStart;
      }
      // At most the limit and one byte of the line: a '\n' found in them
      // ends a line within the limit.
      const std::size_t more = std::min(step, maxLineBytes_ + 1 - line);
      if (text.size() < size + more) text.resize(size + more);
      const std::size_t got = readAt(from + size, text.data() + size, more);
      const void* newline = std::memchr(text.data() + size, '\n', got);
      if (newline != nullptr) {
        return static_cast<const char*>(newline) - text.data() + 1;
      }
      size += got;
      // The file's last line, without its '\n' (over the limit: above).
      if (got < more && size - lineStart <= maxLineBytes_) return size;
    }
  }

  // Fewer bytes than the file had when it was opened: it was cut short.
  std::size_t readAt(std::uint64_t offset, char* into, std::size_t size) const {
    const std::size_t got = input_->readAt(offset, into, size);
    if (offset + got < std::min<std::uint64_t>(offset + size, fileSize_)) {
      throw cutShort();
    }
    noteRead(offset + got);
    return got;
  }

  MismatchError cutShort() const {
    return MismatchError(name() +
                         ": changed while it was read: it was cut short "
                         "(convert it again once it is whole)");
  }

  // Read stage: the mapping that holds a range from the byte before it on,
  // and a block after it for its last line. One mapping serves the ranges
  // of kWindowBytes, so that giving it back (munmap: the other cores drop
  // its pages from their TLBs, by interrupt) happens once a window, not
  // once a block: at 1 MiB blocks those interrupts were ~6 % of a run's
  // CPU (docs/BENCHMARKS.md). Null when it cannot be mapped (then read).
  std::shared_ptr<const MappedRange> windowFor(ByteRange range) {
    const std::uint64_t from = range.begin == 0 ? 0 : range.begin - 1;
    const std::uint64_t need = std::min(range.end + step_, fileSize_);
    if (window_ && from >= window_->fileOffset() && need <= windowEnd_) {
      return window_;
    }
    window_.reset();
    const std::uint64_t end = std::min(
        {from + std::max<std::uint64_t>(kWindowBytes, range.end - from) + step_,
         range_.end + step_, fileSize_});
    auto window = std::make_shared<MappedRange>();
    if (!window->map(input_->fd(), from, end - from, fileSize_)) return {};
    window_ = std::move(window);
    windowEnd_ = end;
    return window_;
  }

  // For progress: the farthest byte read.
  void noteRead(std::uint64_t end) const {
    std::uint64_t seen = farthest_.load(std::memory_order_relaxed);
    while (seen < end && !farthest_.compare_exchange_weak(
                             seen, end, std::memory_order_relaxed)) {
    }
  }

  std::unique_ptr<InputSource> input_;
  std::uint64_t fileSize_;  // when opened
  ByteRange range_;
  bool isPart_;
  std::uint64_t next_;  // read stage: the next range's first byte
  std::size_t step_;
  std::size_t maxLineBytes_;
  std::optional<std::uint64_t> linesBefore_;
  std::shared_ptr<const MappedRange> window_;  // read stage's
  std::uint64_t windowEnd_ = 0;                // of the file's bytes in it
  // Workers: a failure ends the read stage early (the chunks read
  // meanwhile are never written); counts for progress and Stats.
  mutable std::atomic<bool> failed_ = false;
  mutable std::atomic<std::uint64_t> farthest_;
  mutable std::atomic<std::uint64_t> textBytes_ = 0;
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
  // Where in `text` the checked text ends (gzip after the BGZF blocks),
  // and that end's offset in the whole text.
  std::optional<std::pair<std::size_t, std::uint64_t>> checkedAt;
};

TextChunk::TextChunk() = default;
TextChunk::~TextChunk() = default;
TextChunk::TextChunk(TextChunk&&) noexcept = default;
TextChunk& TextChunk::operator=(TextChunk&&) noexcept = default;

void TextChunk::clear() {
  bridge.reset();
  lines = {};
  failure.reset();
  checked.reset();
  fileBytes = textBytes = 0;
  pending.reset();
  mapping.reset();
  // `text` keeps its size: growing a vector zeroes the bytes it adds, a
  // whole block each time otherwise.
  if (blocks) {
    blocks->pending = blocks->last = blocks->hasNewline = false;
    blocks->lineTooLong = blocks->inflated = false;
    blocks->compressed.clear();
    blocks->list.clear();
    blocks->broken.reset();
    blocks->checkedAt.reset();
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
      : input_(std::move(input)), blocks_(*input_), options_(options) {
    blocks_.stopAtPlainMembers();
  }

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
    // Plain gzip members after the blocks would be no part's, or a part's
    // that cannot be found: refused by every part (and by the part that
    // meets one in the middle of the file, as it reads).
    if (!endsWithBgzfBlocks(input_->fd(), size, input_->name())) {
      throw UsageError(input_->name() +
                       ": the file does not end with BGZF blocks" +
                       kNoPartsOfPlainMembers);
    }
    if (range.begin > 0) input_->seekTo(start_);
    blocks_.stopAt(stop_);
    blocks_.stopAtPlainMembers();
  }

  const char* prepareStage() const override { return "inflate"; }
  bool stitches() const override { return true; }

  bool read(TextChunk& chunk) override {
    if (readEnded_ || failed_.load(std::memory_order_relaxed)) return false;
    chunk.clear();
    if (!chunk.blocks) chunk.blocks = std::make_unique<TextChunk::Blocks>();
    TextChunk::Blocks& b = *chunk.blocks;
    b.pending = true;
    b.offset = blocks_.compressedBytesRead();
    if (gzip_) {
      readGzip(chunk);
    } else {
      try {
        const std::size_t text =
            readText_ == 0 ? std::min(options_.blockSize, kFirstChunkBytes)
                           : options_.blockSize;
        b.last = !blocks_.readBlocks(text, b.compressed, b.list);
        if (b.last && endsInside_) {
          endsInside_ = false;
          // A damaged block in the part's last line cuts that line, as in
          // a whole run: it is not the stream's end.
          b.last = false;
          readPartEnd(chunk);
          b.last = true;
        }
      } catch (const CorruptStream& e) {
        b.broken = e;
      }
      for (const BgzfBlock& block : b.list) readText_ += block.inflatedSize;
      if (blocks_.plainMember()) startGzip(b);
    }
    readEnded_ = b.last || b.broken.has_value();
    chunk.fileBytes = input_->bytesRead();
    return true;
  }

  // A plain gzip member after the blocks: the rest is read as gzip, in
  // read(), a block size of text a chunk; a part refuses it (its ranges
  // are found by BGZF blocks).
  void startGzip(TextChunk::Blocks& b) {
    const BgzfBlockReader::PlainMember& plain = *blocks_.plainMember();
    if (part_) {
      b.broken = CorruptStream("a plain gzip member after the BGZF blocks" +
                                   std::string(kNoPartsOfPlainMembers),
                               plain.offset);
      return;
    }
    b.last = false;
    gzipOffset_ = plain.offset;
    gzipStart_ = readText_;
    gzipInput_ = std::make_unique<PrefixedStream>(plain.head, *input_);
    gzip_ = std::make_unique<GzipStream>(*gzipInput_);
  }

  // The text of a gzip member is checked at its end: a chunk says where
  // the checked text ends when that moved into it (at its start, for the
  // first chunk after the BGZF blocks, which are checked).
  void readGzip(TextChunk& chunk) {
    TextChunk::Blocks& b = *chunk.blocks;
    b.inflated = true;
    chunk.text.resize(options_.blockSize);
    std::size_t got = 0;
    try {
      while (got < chunk.text.size()) {
        std::size_t n =
            gzip_->read(chunk.text.data() + got, chunk.text.size() - got);
        if (n == 0) {
          b.last = true;
          break;
        }
        got += n;
      }
    } catch (const CorruptStream& e) {
      gzipBroken_ = inFile(e);
      b.broken = gzipBroken_;
    }
    chunk.text.resize(got);
    const std::uint64_t start = readText_;
    readText_ += got;
    const std::uint64_t checked =
        gzipStart_ + gzip_->checkedBytes().value_or(0);
    if (checked != checkedMarked_ && checked <= readText_) {
      b.checkedAt.emplace(checked - start, checked);
      checkedMarked_ = checked;
    }
  }

  // A part ends with the line that holds its end: the blocks from the part
  // after's first block up to the first '\n', inflated here (usually one).
  void readPartEnd(TextChunk& chunk) {
    TextChunk::Blocks& b = *chunk.blocks;
    b.inflated = true;
    chunk.text.clear();
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
      const std::size_t carried = carry_.size();
      if (!extendCarry(b.head)) {
        chunk.lines = {};
        return fail(chunk, 1, tooLong());
      }
      if (b.checkedAt && b.checkedAt->first <= b.head.size()) {
        checkedInCarry_.emplace(carried + b.checkedAt->first,
                                b.checkedAt->second);
      }
      if (b.hasNewline || (b.last && !carry_.empty())) {
        chunk.bridge.emplace();
        chunk.bridge->swap(carry_);
        carry_.clear();
        placeCheckedInCarry(chunk, 0);
      }
    }
    if (b.lineTooLong) return fail(chunk, 1, tooLong());
    if (b.checkedAt && b.checkedAt->first > b.head.size()) placeChecked(chunk);
    if (!extendCarry(b.tail)) return fail(chunk, 1, tooLong());
    if (b.broken) {
      placeCheckedInCarry(
          chunk, (chunk.bridge ? 1 : 0) +
                     static_cast<std::uint64_t>(std::count(
                         chunk.lines.begin(), chunk.lines.end(), '\n')));
      fail(chunk, carry_.size() + 1, InputEndedEarly(*b.broken, 0).what());
    }
  }

  // The gzip stream counts compressed bytes from its first member.
  CorruptStream inFile(const CorruptStream& e) const {
    return CorruptStream(e.what(), gzipOffset_ + e.offset());
  }

  // The checked end in the line the carry holds, once that line is handed
  // out as `line` of the chunk.
  void placeCheckedInCarry(TextChunk& chunk, std::uint64_t line) {
    if (!checkedInCarry_) return;
    chunk.checked =
        CheckedEnd{checkedInCarry_->second, line, checkedInCarry_->first + 1};
    checkedInCarry_.reset();
  }

  // The checked end past the chunk's first '\n': in its lines, or in the
  // tail that the carry holds next.
  void placeChecked(TextChunk& chunk) {
    const TextChunk::Blocks& b = *chunk.blocks;
    const std::size_t at = b.checkedAt->first - b.head.size() - 1;
    if (at > chunk.lines.size()) {
      checkedInCarry_.emplace(at - chunk.lines.size(), b.checkedAt->second);
      return;
    }
    const std::string_view before = chunk.lines.substr(0, at);
    const std::size_t newline = before.rfind('\n');
    const std::size_t lineStart =
        newline == std::string_view::npos ? 0 : newline + 1;
    chunk.checked = CheckedEnd{b.checkedAt->second,
                               1 + static_cast<std::uint64_t>(std::count(
                                       before.begin(), before.end(), '\n')),
                               at - lineStart + 1};
    checkedInCarry_.reset();
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
  // The gzip after the blocks, read to its end; the blocks themselves are
  // checked before their text is handed out.
  std::optional<StreamDamage> damage() override {
    if (!gzip_) return std::nullopt;
    std::vector<char> scratch(std::size_t{64} << 10);
    try {
      while (!gzipBroken_ && gzip_->read(scratch.data(), scratch.size()) > 0) {
      }
    } catch (const CorruptStream& e) {
      gzipBroken_ = inFile(e);
    }
    if (!gzipBroken_) return std::nullopt;
    return StreamDamage{*gzipBroken_,
                        gzipStart_ + gzip_->checkedBytes().value_or(0)};
  }
  std::vector<std::string> warnings() const override {
    if (!blocks_.endedWithoutEofBlock()) return {};
    return {name() + ": " + kNoBgzfEofBlock};
  }
  bool lacksBgzfEofBlock() const override {
    if (blocks_.endedWithoutEofBlock()) return true;
    // The empty block bgzip ends a file with (SAM/BAM spec §4.1.2).
    static constexpr unsigned char kEofBlock[28] = {
        0x1f, 0x8b, 8,    4, 0, 0, 0, 0, 0, 0xff, 6, 0, 0x42, 0x43,
        2,    0,    0x1b, 0, 3, 0, 0, 0, 0, 0,    0, 0, 0,    0};
    struct stat file {};
    if (::fstat(input_->fd(), &file) != 0 || !S_ISREG(file.st_mode)) {
      return false;
    }
    if (file.st_size < static_cast<off_t>(sizeof kEofBlock)) return true;
    unsigned char tail[sizeof kEofBlock];
    if (::pread(input_->fd(), tail, sizeof tail,
                file.st_size - static_cast<off_t>(sizeof tail)) !=
        static_cast<ssize_t>(sizeof tail)) {
      return false;
    }
    return std::memcmp(tail, kEofBlock, sizeof tail) != 0;
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
    return carry_.size() <= options_.maxLineBytes;
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
    if (chunk.lines.size() > options_.maxLineBytes + 1) cutAtLongLine(chunk);
  }

  void cutAtLongLine(TextChunk& chunk) const {
    std::string_view lines = chunk.lines;
    for (std::size_t start = 0; start < lines.size();) {
      std::size_t end = lines.find('\n', start);
      if (end - start > options_.maxLineBytes) {
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
  // Plain gzip after the blocks (read stage), and where its text starts.
  std::unique_ptr<PrefixedStream> gzipInput_;
  std::unique_ptr<GzipStream> gzip_;
  std::uint64_t gzipOffset_ = 0;  // in the file
  std::uint64_t gzipStart_ = 0;   // in the text
  std::uint64_t readText_ = 0;    // text of the chunks read
  std::optional<std::uint64_t> checkedMarked_;
  std::optional<CorruptStream> gzipBroken_;
  // Stitch stage: the checked end inside carry_ (where, and its offset in
  // the whole text).
  std::optional<std::pair<std::size_t, std::uint64_t>> checkedInCarry_;
};

}  // namespace

bool LineSource::next(TextChunk& chunk) {
  if (!read(chunk)) return false;
  prepare(chunk);
  stitch(chunk);
  return true;
}

namespace {

// The lines of `range` of `input`, a file of `size` bytes.
std::unique_ptr<LineSource> openBytes(std::unique_ptr<InputSource> input,
                                      std::uint64_t size, ByteRange range,
                                      const LineSourceOptions& options) {
  switch (detectCompression(input->peek(kCompressionMagicBytes))) {
    case Compression::kNone:
      return std::make_unique<PreadLineSource>(std::move(input), size, range,
                                               true, options);
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

}  // namespace

std::unique_ptr<LineSource> LineSource::openPart(
    const std::string& path, const LineSourceOptions& options, unsigned index,
    unsigned count, ByteRange within) {
  std::unique_ptr<InputSource> input = InputSource::open(path);
  const std::uint64_t size = input->sizeForParts();
  // k * size / count without overflow: both remainders are below 2^32.
  auto at = [&, whole = size / count, rest = size % count](unsigned k) {
    return whole * k + rest * k / count;
  };
  ByteRange range{std::max(at(index - 1), within.begin),
                  std::min(at(index), within.end)};
  range.end = std::max(range.begin, range.end);
  return openBytes(std::move(input), size, range, options);
}

std::unique_ptr<LineSource> LineSource::openRange(
    const std::string& path, const LineSourceOptions& options,
    ByteRange range) {
  std::unique_ptr<InputSource> input = InputSource::open(path);
  const std::uint64_t size = input->sizeForParts();
  range.end = std::min(range.end, size);
  range.begin = std::min(range.begin, range.end);
  return openBytes(std::move(input), size, range, options);
}

std::unique_ptr<LineSource> LineSource::open(const std::string& path,
                                             const LineSourceOptions& options) {
  std::unique_ptr<InputSource> input = InputSource::open(path);
  switch (detectCompression(input->peek(kCompressionMagicBytes))) {
    case Compression::kNone:
      if (std::optional<std::uint64_t> size = input->regularSize()) {
        return std::make_unique<PreadLineSource>(
            std::move(input), *size, ByteRange{0, *size}, false, options);
      }
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
