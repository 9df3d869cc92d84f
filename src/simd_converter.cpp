#include "simd_converter.hpp"

#include <oneapi/tbb/concurrent_queue.h>
#include <oneapi/tbb/info.h>
#include <oneapi/tbb/parallel_pipeline.h>
#include <oneapi/tbb/task_arena.h>

#include <algorithm>
#include <bit>
#include <memory>

#include "hapmat/error.hpp"
#include "kernels/scan.h"
#include "matrix_reader.hpp"
#include "row_phaser.hpp"
#include "row_writer.hpp"

namespace hapmat {

namespace {

// Bytes whose newlines are found in one kernel call; a multiple of 64.
constexpr std::size_t kScanSpan = std::size_t{128} << 10;

/** A bad row found by a worker; its line is counted from the chunk's start. */
struct BadRow {
  std::uint64_t lineInChunk;
  RowProblem problem;
};

/**
 * One block on its way through the pipeline, with everything the workers
 * need for it. Chunks are made once and recycled, so the steady state
 * allocates nothing.
 */
struct Chunk {
  std::vector<char> text;
  std::string_view lines;  // the whole lines in `text`
  bool lineTooLong = false;
  std::vector<std::uint64_t> newlines;
  std::string out;
  std::uint64_t lineCount = 0;
  std::uint64_t rowsRead = 0;
  std::uint64_t rowsWritten = 0;
  std::uint64_t badCount = 0;
  std::uint64_t rowsNotCarried = 0;
  std::uint64_t allelesNotCarried = 0;
  std::vector<BadRow> bad;  // the first Stats::kKeptBadRows
  std::unique_ptr<RowPhaser> phaser;
};

class SimdConverter {
 public:
  SimdConverter(const ConvertOptions& options, ByteSink& out)
      : options_(options),
        out_(out),
        reader_(options),
        samples_(samplePairs(options.pairsPath, reader_.columns())),
        writer_(makeRowWriter(options, samples_)) {}

  Stats run() {
    std::string header;
    writer_->appendHeader(header);
    write(header);
    lineBase_ = reader_.handOver() - 1;
    unsigned threads =
        options_.threads != 0
            ? options_.threads
            : static_cast<unsigned>(oneapi::tbb::info::default_concurrency());
    std::size_t tokens = 2 * std::size_t{threads};
    makeChunks(tokens);
    oneapi::tbb::task_arena arena(static_cast<int>(threads));
    arena.execute([&] { runPipeline(tokens); });
    stats_.bytesRead = reader_.bytesRead();
    return stats_;
  }

 private:
  void makeChunks(std::size_t count) {
    for (std::size_t i = 0; i < count; ++i) {
      auto chunk = std::make_unique<Chunk>();
      chunk->phaser = std::make_unique<RowPhaser>(
          *writer_, samples_, reader_.columns().size(), reader_.delimiter());
      free_.push(chunk.get());
      chunks_.push_back(std::move(chunk));
    }
  }

  void runPipeline(std::size_t tokens) {
    using oneapi::tbb::filter_mode;
    using oneapi::tbb::make_filter;
    oneapi::tbb::parallel_pipeline(
        tokens, make_filter<void, Chunk*>(
                    filter_mode::serial_in_order,
                    [this](oneapi::tbb::flow_control& control) -> Chunk* {
                      Chunk* chunk = read();
                      if (chunk == nullptr) control.stop();
                      return chunk;
                    }) &
                    make_filter<Chunk*, Chunk*>(filter_mode::parallel,
                                                [this](Chunk* chunk) {
                                                  convertChunk(*chunk);
                                                  countUncarried(*chunk);
                                                  return chunk;
                                                }) &
                    make_filter<Chunk*, void>(
                        filter_mode::serial_in_order,
                        [this](Chunk* chunk) { finish(*chunk); }));
  }

  Chunk* read() {
    Chunk* chunk = nullptr;
    free_.try_pop(chunk);  // never empty: there are as many chunks as tokens
    chunk->lineTooLong = false;
    try {
      chunk->lines = reader_.blocks().next(chunk->text);
    } catch (const LineTooLong&) {
      chunk->lines = {};
      chunk->lineTooLong = true;  // reported in order, by finish()
      return chunk;
    }
    if (chunk->lines.empty()) {
      free_.push(chunk);
      return nullptr;
    }
    return chunk;
  }

  static void countUncarried(Chunk& chunk) {
    const RowWriterState& counts = chunk.phaser->formatCounts();
    chunk.rowsNotCarried = counts.rowsNotCarried;
    chunk.allelesNotCarried = counts.allelesNotCarried;
    chunk.phaser->resetFormatCounts();
  }

  // Newlines are found one span at a time, so that the span is still in
  // the core's L2 cache when its rows are converted right after.
  void convertChunk(Chunk& chunk) const {
    chunk.out.clear();
    chunk.bad.clear();
    chunk.lineCount = chunk.rowsRead = chunk.rowsWritten = chunk.badCount = 0;
    std::string_view lines = chunk.lines;
    const auto* bytes = reinterpret_cast<const std::uint8_t*>(lines.data());
    chunk.newlines.resize(kernels::maskWords(kScanSpan));
    std::size_t start = 0;
    for (std::size_t span = 0; span < lines.size(); span += kScanSpan) {
      std::size_t size = std::min(kScanSpan, lines.size() - span);
      kernels::newlineMasks(bytes + span, size, chunk.newlines.data());
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

  // Returns false when the chunk must stop at a bad row.
  bool convertLine(Chunk& chunk, std::string_view line) const {
    std::uint64_t lineInChunk = chunk.lineCount++;
    if (line.ends_with('\r')) line.remove_suffix(1);
    if (line.empty()) return true;
    ++chunk.rowsRead;
    switch (chunk.phaser->convert(line, chunk.out)) {
      case RowOutcome::kWritten:
        ++chunk.rowsWritten;
        return true;
      case RowOutcome::kDropped:
        return true;
      case RowOutcome::kBad:
        break;
    }
    if (chunk.bad.size() < Stats::kKeptBadRows) {
      chunk.bad.push_back({lineInChunk, chunk.phaser->problem()});
    }
    ++chunk.badCount;
    return options_.skipBadRows;
  }

  void finish(Chunk& chunk) {
    if (chunk.lineTooLong) {
      throw InputError(reader_.name(), lineBase_ + 1, 1,
                       LineTooLong(options_.maxLineBytes).what());
    }
    for (const BadRow& bad : chunk.bad) {
      InputError error(reader_.name(), lineBase_ + bad.lineInChunk + 1,
                       bad.problem.column, bad.problem.reason);
      if (!options_.skipBadRows) throw error;
      if (stats_.firstSkipped.size() < Stats::kKeptBadRows) {
        stats_.firstSkipped.push_back(error.what());
      }
    }
    stats_.rowsSkipped += chunk.badCount;
    stats_.rowsRead += chunk.rowsRead;
    stats_.rowsWritten += chunk.rowsWritten;
    stats_.vcfRowsDropped += chunk.rowsNotCarried;
    stats_.vcfAllelesDropped += chunk.allelesNotCarried;
    lineBase_ += chunk.lineCount;
    write(chunk.out);
    free_.push(&chunk);
  }

  void write(std::string_view bytes) {
    out_.write(bytes);
    stats_.bytesWritten += bytes.size();
  }

  const ConvertOptions& options_;
  ByteSink& out_;
  MatrixReader reader_;
  std::vector<SamplePair> samples_;
  std::unique_ptr<RowWriter> writer_;
  std::vector<std::unique_ptr<Chunk>> chunks_;
  oneapi::tbb::concurrent_queue<Chunk*> free_;
  std::uint64_t lineBase_ = 0;  // lines before the chunk finish() expects
  Stats stats_;
};

}  // namespace

Stats convertWithSimd(const ConvertOptions& options, ByteSink& out) {
  return SimdConverter(options, out).run();
}

}  // namespace hapmat
