#include "engine/simd_converter.hpp"

#include <oneapi/tbb/concurrent_queue.h>
#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/info.h>
#include <oneapi/tbb/parallel_pipeline.h>
#include <oneapi/tbb/task_arena.h>

#include <algorithm>
#include <atomic>
#include <bit>
#include <chrono>
#include <memory>
#include <stdexcept>
#include <utility>

#include "engine/conversion.hpp"
#include "hapmat/error.hpp"
#include "io/bgzf_compressor.hpp"
#include "io/tsan_annotations.hpp"
#include "rows/row_loop.hpp"
#include "rows/row_phaser.hpp"
#include "rows/row_tally.hpp"

namespace hapmat {

namespace {

// Stands for "a pipeline was set up", for ThreadSanitizer: the stages'
// lambdas are copied into TBB's filters by the thread that starts it.
char gPipelineStarts = 0;

// The output a chunk reserves, per byte of its text (convertRows).
constexpr std::size_t kOutputPerText = 2;

// VCF deletions: after this many chunks in a row whose border was not found
// (rows with a deletion open almost everywhere), the workers join only
// every kRetryJoinEvery-th chunk on its own until one joins again: the
// others would be joined twice, once in vain.
constexpr unsigned kMissesBeforeBackOff = 2;
constexpr std::uint64_t kRetryJoinEvery = 8;
// VCF deletions are joined on the workers only from this many threads on.
// With fewer, the serial joiner keeps pace with the workers, and joining a
// chunk on its own costs about 1.5 times its serial joining (the realistic
// matrix, 2 threads, --stats: 2.2 s of the workers' busy time against the
// write stage's 1.41 s; docs/BENCHMARKS.md), which only slows the run.
constexpr unsigned kThreadsToJoinOnWorkers = 3;

/** A stage's busy time and the chunks it handled. */
struct StageClock {
  std::chrono::steady_clock::duration busy{};
  std::uint64_t items = 0;

  void add(StageClock& other) {
    busy += std::exchange(other.busy, {});
    items += std::exchange(other.items, 0);
  }
};

// Adds a stage's call to its clock: one item, and its time. Two clock
// reads a chunk (about 40 ns against the ~0.5 ms a 1 MiB chunk takes a
// stage).
class BusyTimer {
 public:
  explicit BusyTimer(StageClock& clock)
      : clock_(clock), start_(std::chrono::steady_clock::now()) {
    ++clock_.items;
  }
  ~BusyTimer() { clock_.busy += std::chrono::steady_clock::now() - start_; }
  BusyTimer(const BusyTimer&) = delete;
  BusyTimer& operator=(const BusyTimer&) = delete;

 private:
  StageClock& clock_;
  std::chrono::steady_clock::time_point start_;
};

/**
 * One chunk of text on its way through the pipeline, with everything the
 * workers need for it. Chunks are made once and recycled, so the steady
 * state allocates nothing.
 */
struct Chunk {
  TextChunk text;
  std::vector<std::uint64_t> newlines;
  ByteBuffer out;
  std::string encoded;    // BCF: `out`'s records encoded here, in parallel
  bool encodable = true;  // false: `out` holds a row the tally refuses
  VcfRecord record;       // the encoder's scratch
  std::unique_ptr<BgzfCompressor> compressor;  // BGZF output: its level
  std::string blocks;  // `out` or `encoded` compressed, in parallel
  StretchTally tally;
  std::unique_ptr<RowPhaser> phaser;
  // VCF deletions: the chunk's rows joined on their own (when `joinedAlone`),
  // and their records.
  std::unique_ptr<DeletionJoiner> deletions;
  std::string joined;
  bool joinedAlone = false;
  std::uint64_t number = 0;  // in input order
  // The parallel stages' time on this chunk, added up by the write stage:
  // workers never share a counter.
  StageClock prepared;
  StageClock converted;
};

// read (serial) -> [pread (parallel), a plain file; inflate (parallel) ->
// stitch (serial), BGZF] -> convert (parallel) -> write (serial). Only the
// line source knows where lines are cut; convert sees whole lines,
// whatever the input was.
class SimdConverter {
 public:
  SimdConverter(const ConvertOptions& options,
                const kernels::KernelSet& kernels, ByteSink& out,
                ContigSource contigs)
      : options_(options),
        kernels_(kernels),
        conversion_(options, out, contigs),
        source_(conversion_.source()),
        tally_(conversion_.tally()),
        rowLoop_(rowLoopFor(kernels, conversion_.writer(),
                            conversion_.tally().tracksRows())) {}

  Stats run() {
    return conversion_.run([this] { convertAll(); });
  }

 private:
  void convertAll() {
    unsigned threads =
        options_.threads != 0
            ? options_.threads
            : static_cast<unsigned>(oneapi::tbb::info::default_concurrency());
    std::size_t tokens = 2 * std::size_t{threads};
    // VCF deletions: the write stage keeps the chunk it wrote last (its
    // text) until it has written the next, so one chunk more.
    holdsText_ = conversion_.joinsDeletions();
    makeChunks(tokens + (holdsText_ ? 1 : 0),
               threads >= kThreadsToJoinOnWorkers);
    // The prologue's last chunk holds the first data lines.
    first_ = chunks_.front().get();
    first_->text = std::move(conversion_.firstChunk());
    // More threads than cores is allowed (and otherwise warned about).
    oneapi::tbb::global_control parallelism(
        oneapi::tbb::global_control::max_allowed_parallelism,
        std::max<std::size_t>(threads,
                              oneapi::tbb::info::default_concurrency()));
    oneapi::tbb::task_arena arena(static_cast<int>(threads));
    arena.execute([&] { runPipeline(tokens); });
    if (options_.pipelineStats) *options_.pipelineStats = stageStats(threads);
  }

  PipelineStats stageStats(unsigned threads) const {
    auto seconds = [](const StageClock& clock) {
      return std::chrono::duration<double>(clock.busy).count();
    };
    PipelineStats stats{threads, {}};
    auto add = [&](const char* name, bool serial, const StageClock& clock) {
      stats.stages.push_back({name, serial, seconds(clock), clock.items});
    };
    add("read", true, readClock_);
    if (const char* prepare = source_.prepareStage()) {
      add(prepare, false, prepareClock_);
    }
    if (source_.stitches()) add("stitch", true, stitchClock_);
    add("convert", false, convertClock_);
    add("write", true, writeClock_);
    stats.deletionChunksJoined = conversion_.deletionChunksJoined();
    return stats;
  }

  void makeChunks(std::size_t count, bool joinOnWorkers) {
    for (std::size_t i = 0; i < count; ++i) {
      auto chunk = std::make_unique<Chunk>();
      chunk->tally = tally_.makeStretch();
      chunk->phaser = std::make_unique<RowPhaser>(
          conversion_.writer(), conversion_.columns(),
          conversion_.reader().delimiter(), kernels_, conversion_.selection());
      chunk->phaser->setTracksMissing(conversion_.tracksMissing());
      if (joinOnWorkers) chunk->deletions = conversion_.chunkJoiner();
      if (conversion_.blockLevel() >= 0) {
        chunk->compressor =
            std::make_unique<BgzfCompressor>(conversion_.blockLevel());
      }
      if (i > 0) free_.push(chunk.get());
      chunks_.push_back(std::move(chunk));
    }
  }

  // The marks tell ThreadSanitizer what TBB's pipeline guarantees: each
  // serial stage runs one call at a time, in order, and a chunk moves from
  // stage to stage (see tsan_annotations.hpp).
  void runPipeline(std::size_t tokens) {
    using oneapi::tbb::filter_mode;
    using oneapi::tbb::make_filter;
    for (const auto& chunk : chunks_) happensBefore(chunk.get());
    happensBefore(&readStage_);
    happensBefore(&stitchStage_);
    happensBefore(&writeStage_);
    // However the pipeline ends (an error cancels it), it has waited for
    // every stage call it started.
    struct Joined {
      SimdConverter& converter;
      ~Joined() {
        afterThat(&converter.readStage_);
        afterThat(&converter.stitchStage_);
        afterThat(&converter.writeStage_);
        for (const auto& chunk : converter.chunks_) afterThat(chunk.get());
      }
    } joined{*this};
    auto read = make_filter<void, Chunk*>(
        filter_mode::serial_in_order,
        [this](oneapi::tbb::flow_control& control) -> Chunk* {
          afterThat(&gPipelineStarts);  // before reading the capture
          StageCall call(&readStage_);
          BusyTimer timer(readClock_);
          Chunk* chunk = next();
          if (chunk == nullptr) {
            control.stop();
            --readClock_.items;  // the call that found the end: no chunk
            return chunk;
          }
          happensBefore(chunk);
          return chunk;
        });
    auto prepare = make_filter<Chunk*, Chunk*>(
        filter_mode::parallel, [this](Chunk* chunk) {
          afterThat(&gPipelineStarts);
          StageCall call(chunk);
          BusyTimer timer(chunk->prepared);
          source_.prepare(chunk->text);
          return chunk;
        });
    auto stitch = make_filter<Chunk*, Chunk*>(filter_mode::serial_in_order,
                                              [this](Chunk* chunk) {
                                                afterThat(&gPipelineStarts);
                                                StageCall call(&stitchStage_);
                                                afterThat(chunk);
                                                BusyTimer timer(stitchClock_);
                                                source_.stitch(chunk->text);
                                                happensBefore(chunk);
                                                return chunk;
                                              });
    auto convert = make_filter<Chunk*, Chunk*>(
        filter_mode::parallel, [this](Chunk* chunk) {
          afterThat(&gPipelineStarts);
          StageCall call(chunk);
          BusyTimer timer(chunk->converted);
          convertChunk(*chunk);
          return chunk;
        });
    auto write = make_filter<Chunk*, void>(filter_mode::serial_in_order,
                                           [this](Chunk* chunk) {
                                             afterThat(&gPipelineStarts);
                                             StageCall call(&writeStage_);
                                             afterThat(chunk);
                                             BusyTimer timer(writeClock_);
                                             finish(*chunk);
                                           });
    // After the stages' lambdas are copied into the filters: their
    // captures are read by other threads.
    happensBefore(&gPipelineStarts);
    if (source_.stitches()) {
      oneapi::tbb::parallel_pipeline(tokens,
                                     read & prepare & stitch & convert & write);
    } else if (source_.prepareStage() != nullptr) {
      oneapi::tbb::parallel_pipeline(tokens, read & prepare & convert & write);
    } else {
      oneapi::tbb::parallel_pipeline(tokens, read & convert & write);
    }
  }

  Chunk* next() {
    if (first_ != nullptr) return std::exchange(first_, nullptr);
    Chunk* chunk = nullptr;
    free_.try_pop(chunk);  // never empty: there are as many chunks as tokens
    afterThat(chunk);
    chunk->number = ++chunksRead_;
    if (source_.read(chunk->text)) return chunk;
    free_.push(chunk);
    return nullptr;
  }

  // BCF is encoded here, on the workers, when it can be (see bcfHeader).
  // The rows are not yet checked against the run's contigs (the tally's
  // merge does that in order): a row whose CHROM the header lacks leaves
  // the chunk to the write stage, which then reports it, or, were it
  // not refused, encodes the text there.
  void convertChunk(Chunk& chunk) const {
    convertRows(chunk);
    chunk.joinedAlone =
        chunk.deletions && (deletionMisses_.load(std::memory_order_relaxed) <
                                kMissesBeforeBackOff ||
                            chunk.number % kRetryJoinEvery == 0);
    if (chunk.joinedAlone) {
      chunk.joined.clear();
      chunk.deletions->joinAlone(chunk.tally.trace, chunk.out, chunk.joined);
    }
    const BcfHeader* bcf = conversion_.bcfHeader();
    if (bcf) {
      chunk.encoded.clear();
      try {
        appendBcfRecords(chunk.out, *bcf, chunk.record, chunk.encoded);
        chunk.encodable = true;
      } catch (const std::invalid_argument&) {
        chunk.encodable = false;
      }
    }
    if (chunk.compressor && chunk.encodable) {
      chunk.blocks.clear();
      chunk.compressor->append(
          bcf ? std::string_view(chunk.encoded) : chunk.out, chunk.blocks);
    }
  }

  // What the write stage hands on: blocks compressed, records encoded, or
  // the text (through the spool, the joiner, or to be encoded there).
  void writeOut(Chunk& chunk) {
    const bool encoded = conversion_.bcfHeader() && chunk.encodable;
    if (chunk.compressor && chunk.encodable) {
      conversion_.writeBlocks(
          chunk.blocks, encoded ? chunk.encoded.size() : chunk.out.size());
    } else if (encoded) {
      conversion_.writeEncodedRows(chunk.encoded);
    } else if (chunk.joinedAlone) {
      const bool joined = conversion_.writeJoinedRows(
          chunk.tally, chunk.out, *chunk.deletions, chunk.joined);
      const unsigned misses = deletionMisses_.load(std::memory_order_relaxed);
      deletionMisses_.store(joined ? 0 : misses + 1, std::memory_order_relaxed);
    } else {
      conversion_.writeRows(chunk.tally, chunk.out, holdsText_);
    }
  }

  // The output is reserved once, for more than most chunks write (a table
  // of short CHROMs writes 1.5 bytes a byte of text), so that rows rarely
  // make it grow, which copies what the chunk wrote so far. The bridge line
  // (a line cut by the chunk's border, rare) takes RowPhaser::convert; the
  // rest the run's row loop.
  void convertRows(Chunk& chunk) const {
    chunk.out.clear();
    chunk.out.reserve(kOutputPerText * chunk.text.lines.size());
    chunk.tally.clear();
    if (chunk.text.bridge &&
        !convertLine(*chunk.phaser, *chunk.text.bridge, options_.skipBadRows,
                     chunk.tally, chunk.out)) {
      return;
    }
    chunk.newlines.resize(kernels::maskWords(kRowLoopSpan));
    rowLoop_({*chunk.phaser, chunk.text.lines, kernels_.newlineMasks,
              chunk.newlines.data(), options_.skipBadRows, chunk.tally,
              chunk.out});
  }

  void finish(Chunk& chunk) {
    prepareClock_.add(chunk.prepared);
    convertClock_.add(chunk.converted);
    source_.verify(chunk.text);  // before a bad row read in its place
    tally_.merge(chunk.tally, chunk.text.checked);
    writeOut(chunk);
    textDone_ += chunk.text.textBytes;
    if (options_.onProgress) {
      options_.onProgress({chunk.text.fileBytes, textDone_});
    }
    if (chunk.text.failure) {
      tally_.failAtNextLine(chunk.text.failure->column,
                            chunk.text.failure->reason);
    }
    // The joiner may read the chunk's text until the next chunk is written
    // (writeRows' textKept): the chunk before goes back now instead.
    Chunk* done = holdsText_ ? std::exchange(heldChunk_, &chunk) : &chunk;
    if (done == nullptr) return;
    happensBefore(done);
    free_.push(done);
  }

  const ConvertOptions& options_;
  const kernels::KernelSet& kernels_;
  Conversion conversion_;
  LineSource& source_;
  RunTally& tally_;
  RowLoopFunction rowLoop_;  // chosen once: the target's, the writer's
  std::vector<std::unique_ptr<Chunk>> chunks_;
  oneapi::tbb::concurrent_queue<Chunk*> free_;
  Chunk* first_ = nullptr;  // the prologue's chunk, read already
  // VCF deletions: the chunk written last, kept from the free chunks until
  // the next is written (finish).
  bool holdsText_ = false;
  Chunk* heldChunk_ = nullptr;
  std::uint64_t chunksRead_ = 0;  // numbers them (the first is 0)
  // VCF deletions: chunks in a row whose border the write stage did not
  // find (read by the workers, a hint only: the bytes never depend on it).
  std::atomic<unsigned> deletionMisses_ = 0;
  std::uint64_t textDone_ = 0;  // for progress
  // Each serial stage's clock, and the parallel ones' totals (write stage).
  StageClock readClock_;
  StageClock prepareClock_;
  StageClock stitchClock_;
  StageClock convertClock_;
  StageClock writeClock_;
  // Addresses that stand for the serial stages, for ThreadSanitizer.
  char readStage_ = 0;
  char stitchStage_ = 0;
  char writeStage_ = 0;
};

}  // namespace

Stats convertWithSimd(const ConvertOptions& options,
                      const kernels::KernelSet& kernels, ByteSink& out,
                      ContigSource contigs) {
  return SimdConverter(options, kernels, out, contigs).run();
}

}  // namespace hapmat
