// Kernel microbenchmarks: every kernel on every compiled Highway target and
// on its scalar twin, over rows of a matrix from `hapmat simulate`. Counters
// are bytes of matrix text per second.

#include <benchmark/benchmark.h>

#include <string>
#include <string_view>
#include <vector>

#include "formats/haplotype_writer.hpp"
#include "hapmat/output.hpp"
#include "hapmat/simulate.hpp"
#include "kernels/kernel_set.h"
#include "rows/row_phaser.hpp"

namespace hapmat {
namespace {

constexpr char kScalarTwin[] = "scalar twin";

// A block of simulated rows (without the header line) and, per row, where
// its haplotype alleles start and how many bytes they take.
struct Block {
  std::string text;
  std::vector<std::string_view> lines;
  std::vector<std::string_view> alleles;
  std::vector<std::uint8_t> refs;
  std::size_t haplotypes = 0;
};

const Block& block(bool allVariant) {
  static Block blocks[2];
  Block& b = blocks[allVariant ? 1 : 0];
  if (!b.text.empty()) return b;
  SimulateOptions options;
  options.chroms = 1;
  options.length = 14000;  // about 1 MiB, the engine's block
  options.snpRate = allVariant ? 1.0 : 0.02;
  StringSink sink;
  simulate(options, sink);
  b.text = sink.text();
  b.haplotypes = originalHaplotypeNames().size();
  std::string_view rest = b.text;
  while (!rest.empty()) {
    std::string_view line = rest.substr(0, rest.find('\n'));
    rest.remove_prefix(line.size() + 1);
    b.lines.push_back(line);
    std::size_t at = 0;
    for (int field = 0; field < 3; ++field) at = line.find(' ', at) + 1;
    b.alleles.push_back(line.substr(at));
    b.refs.push_back(static_cast<std::uint8_t>(line[at - 2]));
  }
  return b;
}

// A target's kernels, or the scalar twins.
kernels::KernelSet kernelsOf(const std::string& target) {
  if (target == kScalarTwin) return kernels::scalarTwins();
  return *kernels::kernelSet(target);
}

const std::uint8_t* bytes(std::string_view text) {
  return reinterpret_cast<const std::uint8_t*>(text.data());
}

void scanKernel(benchmark::State& state, const std::string& target) {
  const Block& b = block(false);
  std::vector<std::uint64_t> masks(kernels::maskWords(b.text.size()));
  auto scan = kernelsOf(target).newlineMasks;
  for (auto _ : state) {
    scan(bytes(b.text), b.text.size(), masks.data());
    benchmark::DoNotOptimize(masks.data());
  }
  state.SetBytesProcessed(
      static_cast<std::int64_t>(state.iterations() * b.text.size()));
}

void packKernel(benchmark::State& state, const std::string& target,
                bool allVariant) {
  const Block& b = block(allVariant);
  std::vector<std::uint8_t> packed(kernels::packedBytes(b.haplotypes) +
                                   kernels::kPackedSlack);
  auto pack = kernelsOf(target).packAlleles;
  std::size_t rowBytes = 0;
  for (std::string_view alleles : b.alleles) rowBytes += alleles.size();
  for (auto _ : state) {
    for (std::size_t row = 0; row < b.alleles.size(); ++row) {
      std::string_view alleles = b.alleles[row];
      benchmark::DoNotOptimize(pack(bytes(alleles), alleles.size(),
                                    b.haplotypes, ' ', b.refs[row],
                                    packed.data()));
    }
  }
  state.SetBytesProcessed(
      static_cast<std::int64_t>(state.iterations() * rowBytes));
}

void phaseKernel(benchmark::State& state, const std::string& target) {
  const Block& b = block(true);
  const kernels::KernelSet set = kernelsOf(target);
  std::vector<std::vector<std::uint8_t>> rows;
  std::size_t rowBytes = 0;
  for (std::string_view alleles : b.alleles) {
    rows.emplace_back(kernels::packedBytes(b.haplotypes) +
                      kernels::kPackedSlack);
    kernels::packAllelesScalar(bytes(alleles), alleles.size(), b.haplotypes,
                               ' ', 0x7E, rows.back().data());
    rowBytes += alleles.size();
  }
  for (auto _ : state) {
    for (const std::vector<std::uint8_t>& row : rows) {
      std::uint16_t mask = set.presenceMask(row.data(), b.haplotypes);
      for (std::uint8_t code = 0; code < 4; ++code) {
        if ((mask >> code & 1) == 0) continue;
        benchmark::DoNotOptimize(
            set.firstIndexOf(row.data(), b.haplotypes, code));
      }
    }
  }
  state.SetBytesProcessed(
      static_cast<std::int64_t>(state.iterations() * rowBytes));
}

// Whole rows through RowPhaser: parse, pack, phase and format (every row of
// the all-variant block is written).
void formatRows(benchmark::State& state, const std::string& target) {
  const Block& b = block(true);
  const kernels::KernelSet set = kernelsOf(target);
  std::vector<std::string> names = originalHaplotypeNames();
  names.insert(names.begin(), {"CHROM", "POS", "REF"});
  std::vector<SamplePair> samples = pairByName(names);
  HaplotypeWriter writer(samples, HaplotypeWriter::Layout::kOriginal,
                         Delimiter::kSpace);
  RowPhaser phaser(writer, names.size(), Delimiter::kSpace, set);
  std::string out;
  for (auto _ : state) {
    out.clear();
    for (std::string_view line : b.lines) phaser.convert(line, out);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(
      static_cast<std::int64_t>(state.iterations() * b.text.size()));
}

// Registered at start-up, one benchmark per kernel and target.
int registerKernelBenchmarks() {
  std::vector<std::string> targets = kernels::availableTargets();
  targets.push_back(kScalarTwin);
  for (const std::string& target : targets) {
    benchmark::RegisterBenchmark(("scan/" + target).c_str(), scanKernel,
                                 target);
    benchmark::RegisterBenchmark(("pack/realistic/" + target).c_str(),
                                 packKernel, target, false);
    benchmark::RegisterBenchmark(("pack/all-variant/" + target).c_str(),
                                 packKernel, target, true);
    benchmark::RegisterBenchmark(("phase/" + target).c_str(), phaseKernel,
                                 target);
    if (target != kScalarTwin) {
      benchmark::RegisterBenchmark(("format/" + target).c_str(), formatRows,
                                   target);
    }
  }
  return 0;
}

const int kRegistered = registerKernelBenchmarks();

}  // namespace
}  // namespace hapmat
