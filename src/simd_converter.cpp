#include "simd_converter.hpp"

#include <oneapi/tbb/concurrent_queue.h>
#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/info.h>
#include <oneapi/tbb/parallel_pipeline.h>
#include <oneapi/tbb/task_arena.h>

#include <algorithm>
#include <bit>
#include <cstring>
#include <memory>
#include <optional>

#include "conversion.hpp"
#include "hapmat/error.hpp"
#include "kernels/scan.h"
#include "row_phaser.hpp"
#include "row_tally.hpp"
#include "tsan_annotations.hpp"

namespace hapmat {

namespace {

// Stands for "a pipeline was set up", for ThreadSanitizer: the stages'
// lambdas are copied into TBB's filters by the thread that starts it.
char gPipelineStarts = 0;

// Bytes whose newlines are found in one kernel call; a multiple of 64.
constexpr std::size_t kScanSpan = std::size_t{128} << 10;

/**
 * One block on its way through the pipeline, with everything the workers
 * need for it. Chunks are made once and recycled, so the steady state
 * allocates nothing.
 *
 * A block of a BGZF input arrives compressed and is inflated by a worker:
 * its text then starts and ends inside lines. The worker converts the whole
 * lines between its first and last newline; the writer joins the previous
 * block's tail with this block's head into the line between them.
 */
struct Chunk {
  std::vector<char> text;
  std::string_view lines;  // the whole lines in `text`
  bool lineTooLong = false;
  bool fromBlockReader = false;       // whose lines BlockReader has measured
  std::uint64_t fileBytes = 0;        // of the input read, for progress
  std::optional<std::string> broken;  // the input broke off after `text`
  std::size_t partialLineBytes = 0;   // of the line it broke off in

  bool inflates = false;  // a BGZF block: the fields below apply
  std::vector<char> compressed;
  std::vector<BgzfBlock> blocks;
  std::uint64_t compressedOffset = 0;
  std::unique_ptr<BgzfInflater> inflater;
  std::string_view head;  // before the first newline (all, if none)
  std::string_view tail;  // after the last newline
  bool hasNewline = false;
  bool stoppedAtLongLine = false;  // the line after tally's is too long

  std::vector<std::uint64_t> newlines;
  std::string out;
  StretchTally tally;
  std::unique_ptr<RowPhaser> phaser;
};

class SimdConverter {
 public:
  SimdConverter(const ConvertOptions& options,
                const kernels::KernelSet& kernels, ByteSink& out)
      : options_(options),
        kernels_(kernels),
        conversion_(options, out),
        reader_(conversion_.reader()),
        tally_(conversion_.tally()) {}

  Stats run() {
    return convertChecked(reader_, [this] { return convertAll(); });
  }

 private:
  Stats convertAll() {
    tally_.skipLines(reader_.handOver() - 1);
    takeOverBgzf();
    unsigned threads =
        options_.threads != 0
            ? options_.threads
            : static_cast<unsigned>(oneapi::tbb::info::default_concurrency());
    std::size_t tokens = 2 * std::size_t{threads};
    makeChunks(tokens);
    // More threads than cores is allowed (and otherwise warned about).
    oneapi::tbb::global_control parallelism(
        oneapi::tbb::global_control::max_allowed_parallelism,
        std::max<std::size_t>(threads,
                              oneapi::tbb::info::default_concurrency()));
    oneapi::tbb::task_arena arena(static_cast<int>(threads));
    arena.execute([&] { runPipeline(tokens); });
    if (!carry_.empty()) {
      appendToCarry({});  // the limit, for a stream without the EOF block
      convertJoinedLine(carry_);
    }
    return conversion_.finish(reader_.bytesRead() + inflatedBytes_);
  }

 private:
  // BGZF blocks are inflated by the workers once the prologue is read, if
  // the input goes on: the lines already inflated are converted first.
  void takeOverBgzf() {
    BgzfStream* bgzf = reader_.bgzf();
    if (bgzf == nullptr || reader_.blocks().finished()) return;
    bgzf_ = &bgzf->blockReader();
    std::string text = reader_.blocks().takeCarry();
    text.append(bgzf->pending());
    inflatedBytes_ = bgzf->pending().size();
    std::size_t end = text.rfind('\n') + 1;  // 0 when there is none
    carry_.assign(text, end);
    text.resize(end);
    firstLines_.assign(text.begin(), text.end());
    joinedLinePhaser_ = makePhaser();
    joinedLine_ = tally_.makeStretch();
  }

  std::unique_ptr<RowPhaser> makePhaser() const {
    return std::make_unique<RowPhaser>(conversion_.writer(),
                                       conversion_.columns(),
                                       reader_.delimiter(), kernels_);
  }

  void makeChunks(std::size_t count) {
    for (std::size_t i = 0; i < count; ++i) {
      auto chunk = std::make_unique<Chunk>();
      chunk->tally = tally_.makeStretch();
      chunk->phaser = makePhaser();
      if (bgzf_ != nullptr) chunk->inflater = std::make_unique<BgzfInflater>();
      free_.push(chunk.get());
      chunks_.push_back(std::move(chunk));
    }
  }

  // The marks tell ThreadSanitizer what TBB's pipeline guarantees: each
  // serial stage runs one call at a time, in order, and a chunk moves from
  // stage to stage (see tsan_annotations.hpp).
  void runPipeline(std::size_t tokens) {
    using oneapi::tbb::filter_mode;
    using oneapi::tbb::make_filter;
    happensBefore(&gPipelineStarts);
    for (const auto& chunk : chunks_) happensBefore(chunk.get());
    happensBefore(&readStage_);
    happensBefore(&writeStage_);
    // However the pipeline ends (an error cancels it), it has waited for
    // every stage call it started.
    struct Joined {
      SimdConverter& converter;
      ~Joined() {
        afterThat(&converter.readStage_);
        afterThat(&converter.writeStage_);
        for (const auto& chunk : converter.chunks_) afterThat(chunk.get());
      }
    } joined{*this};
    auto readChunk = [this](oneapi::tbb::flow_control& control) -> Chunk* {
      afterThat(&gPipelineStarts);  // before reading the capture
      StageCall call(&readStage_);
      Chunk* chunk = read();
      if (chunk == nullptr) control.stop();
      if (chunk != nullptr) happensBefore(chunk);
      return chunk;
    };
    auto convertChunk = [this](Chunk* chunk) {
      afterThat(&gPipelineStarts);
      StageCall call(chunk);
      if (chunk->inflates) inflate(*chunk);
      convertLines(*chunk);
      return chunk;
    };
    auto writeChunk = [this](Chunk* chunk) {
      afterThat(&gPipelineStarts);
      StageCall call(&writeStage_);
      afterThat(chunk);
      finish(*chunk);
    };
    oneapi::tbb::parallel_pipeline(
        tokens,
        make_filter<void, Chunk*>(filter_mode::serial_in_order, readChunk) &
            make_filter<Chunk*, Chunk*>(filter_mode::parallel, convertChunk) &
            make_filter<Chunk*, void>(filter_mode::serial_in_order,
                                      writeChunk));
  }

  Chunk* read() {
    Chunk* chunk = nullptr;
    free_.try_pop(chunk);  // never empty: there are as many chunks as tokens
    afterThat(chunk);
    chunk->lineTooLong = chunk->inflates = chunk->fromBlockReader = false;
    chunk->broken.reset();
    chunk->stoppedAtLongLine = false;
    bool more = bgzf_ == nullptr       ? readLines(*chunk)
                : !firstLines_.empty() ? takeFirstLines(*chunk)
                                       : readBgzf(*chunk);
    chunk->fileBytes = reader_.fileBytesRead();
    if (!more) {
      free_.push(chunk);
      return nullptr;
    }
    return chunk;
  }

  bool readLines(Chunk& chunk) {
    chunk.fromBlockReader = true;
    try {
      chunk.lines = reader_.blocks().next(chunk.text);
    } catch (const LineTooLong&) {
      chunk.lines = {};
      chunk.lineTooLong = true;  // reported in order, by finish()
      return true;
    } catch (const InputEndedEarly& e) {
      chunk.lines = {};
      chunk.broken = e.what();
      chunk.partialLineBytes = e.partialLineBytes();
      return true;
    }
    return !chunk.lines.empty();
  }

  bool takeFirstLines(Chunk& chunk) {
    chunk.text.swap(firstLines_);
    firstLines_.clear();
    chunk.lines = {chunk.text.data(), chunk.text.size()};
    return true;
  }

  bool readBgzf(Chunk& chunk) {
    if (bgzfEnded_) return false;
    chunk.inflates = true;
    chunk.compressed.clear();
    chunk.blocks.clear();
    chunk.compressedOffset = bgzf_->compressedBytesRead();
    try {
      if (bgzf_->readBlocks(options_.blockSize, chunk.compressed,
                            chunk.blocks)) {
        return true;
      }
    } catch (const CorruptStream& e) {
      chunk.broken = InputEndedEarly(e, 0).what();  // after the whole blocks
      bgzfEnded_ = true;
      return true;
    }
    return false;
  }

  // A corrupt block leaves the text before it to convert, as when the
  // stream is read serially.
  static void inflate(Chunk& chunk) {
    try {
      chunk.inflater->inflate(chunk.compressed, chunk.blocks,
                              chunk.compressedOffset, chunk.text);
    } catch (const CorruptStream& e) {
      chunk.broken = InputEndedEarly(e, 0).what();
    }
    splitAtNewlines(chunk);
  }

  static void splitAtNewlines(Chunk& chunk) {
    const char* text = chunk.text.data();
    std::size_t size = chunk.text.size();
    const void* first = size == 0 ? nullptr : std::memchr(text, '\n', size);
    chunk.hasNewline = first != nullptr;
    if (!chunk.hasNewline) {
      chunk.head = {text, size};
      chunk.lines = chunk.tail = {};
      return;
    }
    std::size_t headEnd = static_cast<const char*>(first) - text;
    std::size_t end =
        static_cast<const char*>(::memrchr(text, '\n', size)) - text + 1;
    chunk.head = {text, headEnd};
    chunk.lines = {text + headEnd + 1, end - headEnd - 1};
    chunk.tail = {text + end, size - end};
  }

  // Newlines are found one span at a time, so that the span is still in
  // the core's L2 cache when its rows are converted right after.
  void convertLines(Chunk& chunk) const {
    chunk.out.clear();
    chunk.tally.clear();
    std::string_view lines = chunk.lines;
    const auto* bytes = reinterpret_cast<const std::uint8_t*>(lines.data());
    chunk.newlines.resize(kernels::maskWords(kScanSpan));
    std::size_t start = 0;
    for (std::size_t span = 0; span < lines.size(); span += kScanSpan) {
      std::size_t size = std::min(kScanSpan, lines.size() - span);
      kernels_.newlineMasks(bytes + span, size, chunk.newlines.data());
      for (std::size_t word = 0; word < kernels::maskWords(size); ++word) {
        for (std::uint64_t bits = chunk.newlines[word]; bits != 0;
             bits &= bits - 1) {
          std::size_t end = span + word * 64 + std::countr_zero(bits);
          if (!convertLine(chunk, lines.substr(start, end - start))) return;
          start = end + 1;
        }
      }
    }
    if (start < lines.size()) convertLine(chunk, lines.substr(start));
  }

  // Returns false when the chunk must stop: a bad row (unless skipped), a
  // row out of order for the index, a line over the limit.
  bool convertLine(Chunk& chunk, std::string_view line) const {
    // BlockReader enforces the limit on the text it hands out; the rest is
    // held to the same one here.
    if (!chunk.fromBlockReader && line.size() >= lineLimit()) {
      chunk.stoppedAtLongLine = true;
      return false;
    }
    return hapmat::convertLine(*chunk.phaser, line, options_.skipBadRows,
                               chunk.tally, chunk.out);
  }

  void finish(Chunk& chunk) {
    if (chunk.lineTooLong) throwLineTooLong();
    if (chunk.inflates) {
      inflatedBytes_ += chunk.text.size();
      appendToCarry(chunk.head);
      if (chunk.hasNewline) {
        convertJoinedLine(carry_);
        carry_.clear();
      }
    }
    tally_.merge(chunk.tally);
    if (chunk.stoppedAtLongLine) throwLineTooLong();
    conversion_.write(chunk.out);
    textDone_ += chunk.inflates ? chunk.text.size() : chunk.lines.size();
    if (options_.onProgress) options_.onProgress({chunk.fileBytes, textDone_});
    if (chunk.inflates) appendToCarry(chunk.tail);
    if (chunk.broken) {
      std::size_t partial =
          chunk.inflates ? carry_.size() : chunk.partialLineBytes;
      tally_.failAtNextLine(partial + 1, *chunk.broken);
    }
    happensBefore(&chunk);
    free_.push(&chunk);
  }

  // A BGZF line that spans blocks: converted here, in input order.
  void appendToCarry(std::string_view bytes) {
    carry_.append(bytes);
    if (carry_.size() >= lineLimit()) throwLineTooLong();
  }

  void convertJoinedLine(std::string_view line) {
    joinedLineOut_.clear();
    joinedLine_.clear();
    hapmat::convertLine(*joinedLinePhaser_, line, options_.skipBadRows,
                        joinedLine_, joinedLineOut_);
    tally_.merge(joinedLine_);
    conversion_.write(joinedLineOut_);
  }

  // The shortest line BlockReader refuses (convert() has checked that
  // blocks are no longer than that).
  std::size_t lineLimit() const { return options_.maxLineBytes; }

  [[noreturn]] void throwLineTooLong() const {
    tally_.failAtNextLine(1, LineTooLong(options_.maxLineBytes).what());
  }

  const ConvertOptions& options_;
  const kernels::KernelSet& kernels_;
  Conversion conversion_;
  MatrixReader& reader_;
  RunTally& tally_;
  std::vector<std::unique_ptr<Chunk>> chunks_;
  oneapi::tbb::concurrent_queue<Chunk*> free_;
  // BGZF, once the workers inflate: the blocks, the first whole lines (read
  // with the prologue), the line the last block ended in, and the phaser for
  // lines that span blocks.
  BgzfBlockReader* bgzf_ = nullptr;
  bool bgzfEnded_ = false;
  std::vector<char> firstLines_;
  std::string carry_;
  std::unique_ptr<RowPhaser> joinedLinePhaser_;
  StretchTally joinedLine_;
  std::string joinedLineOut_;
  std::uint64_t inflatedBytes_ = 0;
  std::uint64_t textDone_ = 0;  // for progress
  // Addresses that stand for the serial stages, for ThreadSanitizer.
  char readStage_ = 0;
  char writeStage_ = 0;
};

}  // namespace

Stats convertWithSimd(const ConvertOptions& options,
                      const kernels::KernelSet& kernels, ByteSink& out) {
  return SimdConverter(options, kernels, out).run();
}

}  // namespace hapmat
