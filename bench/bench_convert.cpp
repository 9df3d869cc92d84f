// Google Benchmark harness: both engines end to end on a simulated matrix in
// the page cache. Throughput counters are bytes of input per second; the
// reference engine is the baseline measured in the same run.

#include <benchmark/benchmark.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <string>

#include "hapmat/convert.hpp"
#include "hapmat/output.hpp"
#include "hapmat/simulate.hpp"

namespace {

// Discards output, as /dev/null would, without the system call.
class NullSink final : public hapmat::ByteSink {
 public:
  void write(std::string_view bytes) override { bytes_ += bytes.size(); }
  std::size_t bytes_ = 0;
};

// A simulated matrix (about 75 MB), written once per process.
const std::string& matrixPath(double snpRate) {
  static std::string paths[2];
  std::string& path = paths[snpRate >= 1.0 ? 1 : 0];
  if (!path.empty()) return path;
  path = (std::filesystem::temp_directory_path() /
          ("hapmat-bench-" + std::to_string(::getpid()) + "-" +
           std::to_string(snpRate) + ".txt"))
             .string();
  hapmat::SimulateOptions options;
  options.chroms = 1;
  options.length = 1'000'000;
  options.snpRate = snpRate;
  options.headerLine = true;
  hapmat::AtomicOutputFile file(path);
  hapmat::simulate(options, file.sink());
  file.commit();
  std::atexit([] {
    for (const std::string& p : paths) {
      if (!p.empty()) std::remove(p.c_str());
    }
  });
  return path;
}

// Arguments: percent of variant sites (2 or 100), engine (0 reference,
// 1 simd), threads.
void BM_Convert(benchmark::State& state) {
  double snpRate = state.range(0) == 100 ? 1.0 : 0.02;
  hapmat::ConvertOptions options;
  options.inputPath = matrixPath(snpRate);
  options.engine =
      state.range(1) == 0 ? hapmat::Engine::kReference : hapmat::Engine::kSimd;
  options.threads = static_cast<unsigned>(state.range(2));
  std::int64_t bytes = 0;
  for (auto _ : state) {
    NullSink sink;
    hapmat::Stats stats = hapmat::convert(options, sink);
    bytes += static_cast<std::int64_t>(stats.bytesRead);
    benchmark::DoNotOptimize(sink.bytes_);
  }
  state.SetBytesProcessed(bytes);
  state.SetLabel(std::string(state.range(1) == 0 ? "reference" : "simd") +
                 (snpRate >= 1.0 ? ", all rows variant" : ", 2% variant"));
}
BENCHMARK(BM_Convert)
    ->ArgNames({"variant%", "simd", "threads"})
    ->ArgsProduct({{2, 100}, {0}, {1}})
    ->ArgsProduct({{2, 100}, {1}, {1, 2}})
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
