// Decoder comparison: the same ~64 MiB of simulated matrix text, gzipped
// once by zlib at level 6 (and cut into BGZF blocks at the same level),
// inflated by ISA-L, zlib, libdeflate and our own streams on one thread.
// Counters are bytes of inflated (matrix) text per second.

#include <benchmark/benchmark.h>
#include <isa-l/igzip_lib.h>
#include <libdeflate.h>
#include <zlib.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "hapmat/output.hpp"
#include "hapmat/simulate.hpp"
#include "io/compressed_input.hpp"

namespace hapmat {
namespace {

constexpr std::size_t kOutChunk = 1 << 20;  // streaming decoders' buffer

struct Corpus {
  std::string text;
  std::string gzip;  // one member, zlib level 6
  std::string bgzf;  // 65280-byte blocks, zlib level 6, then the EOF block
};

std::string deflateText(std::string_view text, int windowBits) {
  z_stream z{};
  deflateInit2(&z, 6, Z_DEFLATED, windowBits, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&z, text.size()), '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  z.avail_in = static_cast<uInt>(text.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

void appendLe(std::string& out, std::uint32_t value, int bytes) {
  for (int i = 0; i < bytes; ++i) {
    out += static_cast<char>((value >> (8 * i)) & 0xff);
  }
}

std::string bgzfBlock(std::string_view text) {
  std::string payload = deflateText(text, -15);
  std::string block("\x1f\x8b\x08\x04\0\0\0\0\0\xff\x06\0BC\x02\0", 16);
  appendLe(
      block,
      static_cast<std::uint32_t>(block.size() + 2 + payload.size() + 8 - 1), 2);
  block += payload;
  appendLe(block,
           static_cast<std::uint32_t>(
               crc32(0, reinterpret_cast<const Bytef*>(text.data()),
                     static_cast<uInt>(text.size()))),
           4);
  appendLe(block, static_cast<std::uint32_t>(text.size()), 4);
  return block;
}

const Corpus& corpus() {
  static const Corpus c = [] {
    Corpus out;
    SimulateOptions options;
    options.chroms = 1;
    options.length = 900'000;  // ~64 MiB with the original's 31 haplotypes
    StringSink sink;
    simulate(options, sink);
    out.text = sink.text();
    out.gzip = deflateText(out.text, 15 + 16);
    std::string_view text = out.text;
    for (std::size_t at = 0; at < text.size(); at += 65280) {
      out.bgzf += bgzfBlock(text.substr(at, 65280));
    }
    out.bgzf += bgzfBlock("");
    return out;
  }();
  return c;
}

// A file in the page cache, without the system calls: copies on read().
class MemoryStream final : public ByteStream {
 public:
  explicit MemoryStream(std::string_view data) : data_(data) {}
  std::size_t read(char* buffer, std::size_t size) override {
    std::size_t n = std::min(size, data_.size() - at_);
    std::memcpy(buffer, data_.data() + at_, n);
    at_ += n;
    return n;
  }

 private:
  std::string_view data_;
  std::size_t at_ = 0;
};

// `compressed`: the input's size, for the compression ratio.
void finish(benchmark::State& state, std::size_t inflated,
            std::size_t compressed) {
  const Corpus& c = corpus();
  if (inflated != c.text.size()) state.SkipWithError("wrong inflated size");
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(c.text.size()));
  state.counters["MiB"] = static_cast<double>(c.text.size()) / (1 << 20);
  state.counters["ratio"] =
      static_cast<double>(c.text.size()) / static_cast<double>(compressed);
}

void isalStreaming(benchmark::State& state) {
  const Corpus& c = corpus();
  std::vector<std::uint8_t> out(kOutChunk);
  auto inflate = std::make_unique<inflate_state>();
  std::size_t inflated = 0;
  for (auto _ : state) {
    isal_inflate_init(inflate.get());
    inflate->crc_flag = ISAL_GZIP;
    inflate->next_in =
        reinterpret_cast<std::uint8_t*>(const_cast<char*>(c.gzip.data()));
    inflate->avail_in = static_cast<std::uint32_t>(c.gzip.size());
    inflated = 0;
    while (inflate->block_state != ISAL_BLOCK_FINISH) {
      inflate->next_out = out.data();
      inflate->avail_out = static_cast<std::uint32_t>(out.size());
      if (isal_inflate(inflate.get()) != ISAL_DECOMP_OK) {
        state.SkipWithError("isal_inflate failed");
        break;
      }
      inflated += static_cast<std::size_t>(inflate->next_out - out.data());
      benchmark::DoNotOptimize(out.data());
    }
  }
  finish(state, inflated, c.gzip.size());
}

void zlibStreaming(benchmark::State& state) {
  const Corpus& c = corpus();
  std::vector<Bytef> out(kOutChunk);
  std::size_t inflated = 0;
  for (auto _ : state) {
    z_stream z{};
    inflateInit2(&z, 15 + 16);
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(c.gzip.data()));
    z.avail_in = static_cast<uInt>(c.gzip.size());
    int status = Z_OK;
    while (status == Z_OK) {
      z.next_out = out.data();
      z.avail_out = static_cast<uInt>(out.size());
      status = inflate(&z, Z_NO_FLUSH);
      benchmark::DoNotOptimize(out.data());
    }
    if (status != Z_STREAM_END) state.SkipWithError("zlib inflate failed");
    inflated = z.total_out;
    inflateEnd(&z);
  }
  finish(state, inflated, c.gzip.size());
}

void libdeflateWhole(benchmark::State& state) {
  const Corpus& c = corpus();
  std::vector<char> out(c.text.size());
  libdeflate_decompressor* d = libdeflate_alloc_decompressor();
  std::size_t inflated = 0;
  for (auto _ : state) {
    if (libdeflate_gzip_decompress(d, c.gzip.data(), c.gzip.size(), out.data(),
                                   out.size(),
                                   &inflated) != LIBDEFLATE_SUCCESS) {
      state.SkipWithError("libdeflate_gzip_decompress failed");
    }
    benchmark::DoNotOptimize(out.data());
  }
  libdeflate_free_decompressor(d);
  finish(state, inflated, c.gzip.size());
}

template <typename Stream>
void ourStream(benchmark::State& state, const std::string Corpus::*data) {
  const Corpus& c = corpus();
  std::vector<char> out(kOutChunk);
  std::size_t inflated = 0;
  for (auto _ : state) {
    MemoryStream raw(c.*data);
    Stream stream(raw);
    inflated = 0;
    while (std::size_t n = stream.read(out.data(), out.size())) inflated += n;
    benchmark::DoNotOptimize(out.data());
  }
  finish(state, inflated, (c.*data).size());
}

// The pipeline's work per thread: whole blocks (read once, up front) to
// inflated text, range(0) KiB per call (the pipeline's block is ~8 MiB; a
// smaller output stays in the cache, as the streaming decoders' does).
void bgzfInflater(benchmark::State& state) {
  const Corpus& c = corpus();
  struct Batch {
    std::vector<char> raw;
    std::vector<BgzfBlock> blocks;
    std::uint64_t offset = 0;
  };
  std::vector<Batch> batches;
  MemoryStream in(c.bgzf);
  BgzfBlockReader reader(in);
  for (;;) {
    Batch batch;
    batch.offset = reader.compressedBytesRead();
    if (!reader.readBlocks(static_cast<std::size_t>(state.range(0)) << 10,
                           batch.raw, batch.blocks)) {
      break;
    }
    batches.push_back(std::move(batch));
  }
  BgzfInflater inflater;
  std::vector<char> out;
  std::size_t inflated = 0;
  for (auto _ : state) {
    inflated = 0;
    for (const Batch& batch : batches) {
      inflater.inflate(batch.raw, batch.blocks, batch.offset, out);
      inflated += out.size();
      benchmark::DoNotOptimize(out.data());
    }
  }
  finish(state, inflated, c.bgzf.size());
}

int registerInflateBenchmarks() {
  benchmark::RegisterBenchmark("Inflate/gzip/isal_inflate", isalStreaming);
  benchmark::RegisterBenchmark("Inflate/gzip/zlib_inflate", zlibStreaming);
  benchmark::RegisterBenchmark("Inflate/gzip/libdeflate_whole",
                               libdeflateWhole);
  benchmark::RegisterBenchmark("Inflate/gzip/GzipStream", ourStream<GzipStream>,
                               &Corpus::gzip);
  benchmark::RegisterBenchmark("Inflate/bgzf/GzipStream", ourStream<GzipStream>,
                               &Corpus::bgzf);
  benchmark::RegisterBenchmark("Inflate/bgzf/BgzfInflater_1thread",
                               bgzfInflater)
      ->Arg(1024)
      ->Arg(8192);
  return 0;
}

const int kRegistered = registerInflateBenchmarks();

}  // namespace
}  // namespace hapmat
