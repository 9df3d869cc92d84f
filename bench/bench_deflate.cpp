// Encoder comparison for BGZF output: the VCF text of a simulated matrix
// (~20 MB), cut into 0xff00-byte BGZF blocks by BgzfCompressor at each
// level hapmat offers, with libdeflate's own level 1 beside ISA-L's level 1
// (what `-l 1` uses) as the baseline. One thread; counters are bytes of text
// per second, and the compressed size over the text.

#include <benchmark/benchmark.h>
#include <libdeflate.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <string>

#include "hapmat/convert.hpp"
#include "hapmat/output.hpp"
#include "hapmat/simulate.hpp"
#include "io/bgzf_compressor.hpp"

namespace hapmat {
namespace {

const std::string& vcfText() {
  static const std::string text = [] {
    SimulateOptions simulated;
    simulated.chroms = 1;
    simulated.length = 3'000'000;
    simulated.headerLine = true;
    const std::string path =
        (std::filesystem::temp_directory_path() /
         ("hapmat-bench-deflate-" + std::to_string(::getpid()) + ".txt"))
            .string();
    AtomicOutputFile file(path);
    simulate(simulated, file.sink());
    file.commit();
    ConvertOptions options;
    options.inputPath = path;
    options.format = OutputFormat::kVcf;
    StringSink sink;
    convert(options, sink);
    std::remove(path.c_str());
    return sink.text();
  }();
  return text;
}

void report(benchmark::State& state, std::size_t compressed) {
  const std::string& text = vcfText();
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(text.size()));
  state.counters["size_ratio"] =
      static_cast<double>(compressed) / static_cast<double>(text.size());
}

// Argument: the level.
void BM_BgzfCompressor(benchmark::State& state) {
  const std::string& text = vcfText();
  BgzfCompressor compressor(static_cast<int>(state.range(0)));
  std::string blocks;
  for (auto _ : state) {
    blocks.clear();
    compressor.append(text, blocks);
    benchmark::DoNotOptimize(blocks.data());
  }
  report(state, blocks.size());
}
BENCHMARK(BM_BgzfCompressor)
    ->ArgName("level")
    ->Args({0})
    ->Args({1})
    ->Args({2})
    ->Args({6})
    ->Args({9})
    ->Unit(benchmark::kMillisecond);

// libdeflate's level 1 on the same blocks: what `-l 1` used before ISA-L.
void BM_LibdeflateLevel1(benchmark::State& state) {
  const std::string& text = vcfText();
  libdeflate_compressor* compressor = libdeflate_alloc_compressor(1);
  std::string out(libdeflate_deflate_compress_bound(compressor, 0xff00), '\0');
  std::size_t compressed = 0;
  for (auto _ : state) {
    compressed = 0;
    for (std::size_t at = 0; at < text.size(); at += 0xff00) {
      const std::size_t size = std::min<std::size_t>(0xff00, text.size() - at);
      compressed += libdeflate_deflate_compress(compressor, text.data() + at,
                                                size, out.data(), out.size());
    }
    benchmark::DoNotOptimize(compressed);
  }
  libdeflate_free_compressor(compressor);
  report(state, compressed);
}
BENCHMARK(BM_LibdeflateLevel1)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace hapmat
