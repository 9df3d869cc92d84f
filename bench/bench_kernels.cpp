// Kernel microbenchmarks: every kernel on every compiled Highway target and
// on its scalar twin, over rows of a matrix from `hapmat simulate`. Counters
// are bytes of matrix text per second.

#include <benchmark/benchmark.h>

#include <string>
#include <string_view>
#include <vector>

#include "formats/row_writer.hpp"
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
  std::vector<std::string> columns;  // CHROM POS REF H1 ... Hn
  std::size_t haplotypes = 0;
};

enum class Shape {
  kRealistic,   // 31 haplotypes, 2 % of rows variant
  kAllVariant,  // 31 haplotypes, every row variant
  kWide,        // 1000 haplotypes, every row variant
};

// About 1 MiB, the engine's block.
const Block& block(Shape shape) {
  static Block blocks[3];
  Block& b = blocks[static_cast<int>(shape)];
  if (!b.text.empty()) return b;
  SimulateOptions options;
  options.chroms = 1;
  options.length = shape == Shape::kWide ? 500 : 14000;
  options.snpRate = shape == Shape::kRealistic ? 0.02 : 1.0;
  options.haplotypes = shape == Shape::kWide ? numberedHaplotypeNames(1000)
                                             : originalHaplotypeNames();
  StringSink sink;
  simulate(options, sink);
  b.text = sink.text();
  b.columns = options.haplotypes;
  b.columns.insert(b.columns.begin(), {"CHROM", "POS", "REF"});
  b.haplotypes = options.haplotypes.size();
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

const Block& block(bool allVariant) {
  return block(allVariant ? Shape::kAllVariant : Shape::kRealistic);
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

// The first index of each of a packed row's bases present (their presence
// mask comes from packAlleles, computed here beforehand).
void phaseKernel(benchmark::State& state, const std::string& target) {
  const Block& b = block(true);
  const kernels::KernelSet set = kernelsOf(target);
  std::vector<std::vector<std::uint8_t>> rows;
  std::vector<std::uint16_t> masks;  // packAlleles' presence
  std::size_t rowBytes = 0;
  for (std::string_view alleles : b.alleles) {
    rows.emplace_back(kernels::packedBytes(b.haplotypes) +
                      kernels::kPackedSlack);
    masks.push_back(kernels::packAllelesScalar(bytes(alleles), alleles.size(),
                                               b.haplotypes, ' ', 0x7E,
                                               rows.back().data())
                        .present);
    rowBytes += alleles.size();
  }
  for (auto _ : state) {
    for (std::size_t i = 0; i < rows.size(); ++i) {
      const std::vector<std::uint8_t>& row = rows[i];
      const std::uint16_t mask = masks[i];
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

// The packed codes of every row of a block.
std::vector<std::vector<std::uint8_t>> packedRows(const Block& b) {
  std::vector<std::vector<std::uint8_t>> rows;
  for (std::size_t row = 0; row < b.alleles.size(); ++row) {
    rows.emplace_back(kernels::packedBytes(b.haplotypes) +
                      kernels::kPackedSlack);
    kernels::packAllelesScalar(bytes(b.alleles[row]), b.alleles[row].size(),
                               b.haplotypes, ' ', 0x7E, rows.back().data());
  }
  return rows;
}

// The sample part of a row as each writer lays it out: the table's
// ` 1 x|y` (CHROM 1) or VCF's `\tx|y` per sample, samples paired by name.
kernels::LetterLayout sampleLayout(const Block& b, bool vcf) {
  kernels::LetterLayout layout;
  layout.count = b.haplotypes;
  const std::string_view field = vcf ? "\t?|?" : " 1 ?|?";
  for (const SamplePair& sample : pairByName(b.columns)) {
    bool first = true;
    for (char c : field) {
      if (c == '?') {
        layout.slots.push_back(static_cast<std::uint32_t>(layout.text.size()));
        layout.haplotypes.push_back(static_cast<std::uint32_t>(
            (first ? sample.first : sample.second) - kFirstHaplotype));
        first = false;
      }
      layout.text.push_back(static_cast<std::uint8_t>(c));
    }
  }
  return layout;
}

// A layout planned by one target, with its text and scratch.
struct Planned {
  Planned(const kernels::KernelSet& set, const kernels::LetterLayout& layout)
      : write(set.writeLetters) {
    set.planLetters(layout, plan);
    kernels::letterText(layout, plan, text);
    letters.resize(plan.lettersBytes);
    out.resize(plan.size + kernels::kLetterSlack);
  }
  void operator()(const std::uint8_t* packed, const std::uint8_t* table,
                  std::uint8_t* to) {
    write(plan, text.data(), packed, table, letters.data(), to);
  }

  kernels::WriteLettersFunction write;
  kernels::LetterPlan plan;
  std::vector<std::uint8_t> text;
  std::vector<std::uint8_t> letters;
  std::vector<std::uint8_t> out;
};

// The letters kernel alone: each row's sample part from its codes.
void lettersKernel(benchmark::State& state, const std::string& target,
                   Shape shape, bool vcf) {
  const Block& b = block(shape);
  const auto rows = packedRows(b);
  Planned letters(kernelsOf(target), sampleLayout(b, vcf));
  const std::uint8_t* table =
      bytes(vcf ? "0123............" : "ACGTAARYSWKMBDHV");
  for (auto _ : state) {
    for (const std::vector<std::uint8_t>& row : rows) {
      letters(row.data(), table, letters.out.data());
      benchmark::DoNotOptimize(letters.out.data());
    }
  }
  state.SetBytesProcessed(
      static_cast<std::int64_t>(state.iterations() * b.text.size()));
}

// AC and AN: the missing and ALT 1 genotypes of each row's VCF sample part.
void countKernel(benchmark::State& state, const std::string& target,
                 Shape shape) {
  const Block& b = block(shape);
  const kernels::KernelSet set = kernelsOf(target);
  Planned letters(set, sampleLayout(b, true));
  std::vector<std::vector<std::uint8_t>> genotypes;
  for (const std::vector<std::uint8_t>& row : packedRows(b)) {
    genotypes.emplace_back(letters.out.size());
    letters(row.data(), bytes("0121............"), genotypes.back().data());
  }
  const std::uint8_t values[] = {'.', '1'};
  std::uint32_t counts[2];
  for (auto _ : state) {
    for (const std::vector<std::uint8_t>& row : genotypes) {
      set.countBytes(row.data(), letters.plan.size, values, 2, counts);
      benchmark::DoNotOptimize(counts);
    }
  }
  state.SetBytesProcessed(
      static_cast<std::int64_t>(state.iterations() * b.text.size()));
}

// Whole rows through RowPhaser: parse, pack, phase and format (every row of
// an all-variant block is written).
void formatRows(benchmark::State& state, const std::string& target, Shape shape,
                FormatKind kind) {
  const Block& b = block(shape);
  const kernels::KernelSet set = kernelsOf(target);
  const auto writer = makeRowWriter({kind}, pairByName(b.columns));
  RowPhaser phaser(*writer, b.columns.size(), Delimiter::kSpace, set);
  ByteBuffer out;
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
    benchmark::RegisterBenchmark(("letters/table/" + target).c_str(),
                                 lettersKernel, target, Shape::kAllVariant,
                                 false);
    benchmark::RegisterBenchmark(("letters/vcf/" + target).c_str(),
                                 lettersKernel, target, Shape::kAllVariant,
                                 true);
    benchmark::RegisterBenchmark(("letters/wide-table/" + target).c_str(),
                                 lettersKernel, target, Shape::kWide, false);
    benchmark::RegisterBenchmark(("count/" + target).c_str(), countKernel,
                                 target, Shape::kAllVariant);
    benchmark::RegisterBenchmark(("count/wide/" + target).c_str(), countKernel,
                                 target, Shape::kWide);
    benchmark::RegisterBenchmark(("format/" + target).c_str(), formatRows,
                                 target, Shape::kAllVariant,
                                 FormatKind::kTable);
    benchmark::RegisterBenchmark(("format/vcf/" + target).c_str(), formatRows,
                                 target, Shape::kAllVariant, FormatKind::kVcf);
    benchmark::RegisterBenchmark(("format/wide/" + target).c_str(), formatRows,
                                 target, Shape::kWide, FormatKind::kTable);
  }
  return 0;
}

const int kRegistered = registerKernelBenchmarks();

}  // namespace
}  // namespace hapmat
