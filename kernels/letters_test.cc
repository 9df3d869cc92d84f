// The letters kernel on every target against its scalar twin, over the
// layouts the writers build (table and VCF samples in any pair order) and
// random ones.

#include "kernels/letters.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <random>
#include <string>
#include <utility>

#include "kernels/count.h"
#include "kernels/pack.h"
#include "kernels/test_support.h"

namespace hapmat::kernels::test {
namespace {

// Samples as (first, second) haplotype indexes.
using Pairs = std::vector<std::pair<std::uint32_t, std::uint32_t>>;

// Each sample a copy of `field` whose '?' bytes are the slots of its first
// and second haplotype.
LetterLayout sampleLayout(const Pairs& pairs, std::size_t count,
                          std::string_view field) {
  LetterLayout layout;
  layout.count = count;
  for (const auto& [first, second] : pairs) {
    bool isFirst = true;
    for (char c : field) {
      if (c == '?') {
        layout.slots.push_back(static_cast<std::uint32_t>(layout.text.size()));
        layout.haplotypes.push_back(isFirst ? first : second);
        isFirst = false;
      }
      layout.text.push_back(static_cast<std::uint8_t>(c));
    }
  }
  return layout;
}

// Appended, not concatenated: g++ 12 sees a false -Wrestrict in the latter.
std::string tableField(std::size_t chromLength) {
  std::string field(1, ' ');
  field.append(chromLength, 'c');
  field.append(" ?|?");
  return field;
}

// (0, 1), (2, 3), ...: columns `1a 1b 2a 2b ...` paired in order.
Pairs adjacentPairs(std::size_t count) {
  Pairs pairs;
  for (std::uint32_t h = 0; h + 1 < count; h += 2) pairs.emplace_back(h, h + 1);
  return pairs;
}

// The same samples in the order of their names (`1` < `10` < `100` < `11`),
// as auto pairs of numbered columns are.
Pairs nameOrderPairs(std::size_t count) {
  Pairs pairs = adjacentPairs(count);
  std::sort(pairs.begin(), pairs.end(), [](const auto& a, const auto& b) {
    return std::to_string(a.first / 2 + 1) < std::to_string(b.first / 2 + 1);
  });
  return pairs;
}

// Any two columns, in any order, some left out: a pairs file.
Pairs shuffledPairs(std::mt19937_64& rng, std::size_t count) {
  std::vector<std::uint32_t> columns(count);
  std::iota(columns.begin(), columns.end(), 0u);
  std::shuffle(columns.begin(), columns.end(), rng);
  Pairs pairs;
  for (std::size_t i = 0; i + 1 < count; i += 2) {
    if (rng() % 8 != 0) pairs.emplace_back(columns[i], columns[i + 1]);
  }
  return pairs;
}

// Random text, random distinct slots, haplotypes that may repeat.
LetterLayout randomLayout(std::mt19937_64& rng, std::size_t count) {
  LetterLayout layout;
  layout.count = count;
  layout.text.resize(rng() % 400);
  for (auto& byte : layout.text) byte = static_cast<std::uint8_t>(rng());
  for (std::uint32_t at = 0; at < layout.text.size(); ++at) {
    if (rng() % 3 != 0) continue;
    layout.slots.push_back(at);
    layout.haplotypes.push_back(static_cast<std::uint32_t>(rng() % count));
  }
  for (std::size_t i = layout.slots.size(); i > 1; --i) {  // any slot order
    const std::size_t j = rng() % i;
    std::swap(layout.slots[i - 1], layout.slots[j]);
  }
  return layout;
}

Bytes randomBytes(std::mt19937_64& rng, std::size_t size) {
  Bytes bytes(size);
  for (auto& byte : bytes) byte = static_cast<std::uint8_t>(rng());
  return bytes;
}

constexpr std::uint8_t kUnwritten = 0xA5;

// A layout planned by one target (or the twins), with its text and scratch.
struct Planned {
  Planned(PlanLettersFunction planLetters, WriteLettersFunction writeLetters,
          const LetterLayout& layout)
      : write(writeLetters) {
    planLetters(layout, plan);
    letterText(layout, plan, text);
    letters.assign(plan.lettersBytes, kUnwritten);
  }

  // What the kernel puts at `out` (room for size + kLetterSlack bytes): the
  // plan's `size` bytes.
  Bytes written(const std::uint8_t* packed, const std::uint8_t* table,
                std::uint8_t* out) {
    write(plan, text.data(), packed, table, letters.data(), out);
    return Bytes(out, out + plan.size);
  }

  WriteLettersFunction write;
  LetterPlan plan;
  Bytes text;
  Bytes letters;
};

Planned twinOf(const LetterLayout& layout) {
  return Planned(planLettersScalar, writeLettersScalar, layout);
}

// A few rows through one plan (its scratch reused), then the text of
// another layout with the same slots.
void expectSameLetters(const KernelSet& kernels, const LetterLayout& layout,
                       std::mt19937_64& rng) {
  Planned target(kernels.planLetters, kernels.writeLetters, layout);
  Planned twin = twinOf(layout);
  ASSERT_EQ(target.plan.size, layout.text.size());
  // Exactly size + the slack, and a canary after: ASan sees any write past.
  Bytes out(layout.text.size() + kLetterSlack + 8, kUnwritten);
  Bytes expected(layout.text.size() + kLetterSlack);
  for (int row = 0; row < 4; ++row) {
    if (row == 3) {
      LetterLayout other = layout;
      other.text = randomBytes(rng, layout.text.size());
      letterText(other, target.plan, target.text);
      letterText(other, twin.plan, twin.text);
    }
    const Bytes packed =
        randomBytes(rng, packedBytes(layout.count) + kPackedSlack);
    const Bytes table = randomBytes(rng, 16);
    ASSERT_EQ(target.written(packed.data(), table.data(), out.data()),
              twin.written(packed.data(), table.data(), expected.data()))
        << "count " << layout.count << " size " << layout.text.size() << " row "
        << row;
    for (std::size_t i = out.size() - 8; i < out.size(); ++i) {
      ASSERT_EQ(out[i], kUnwritten) << "wrote past the slack";
    }
  }
}

TEST(KernelLetters, ScalarTwinExactRows) {
  // Codes of A G N - T (two a byte, low nibble first), and the slack.
  Bytes packed(packedBytes(5) + kPackedSlack, 0);
  packed[0] = 0x20;
  packed[1] = 0x54;
  packed[2] = 0x03;
  Bytes out(64);
  // The table's letters with N and - as REF C.
  Planned table = twinOf(sampleLayout({{0, 1}, {4, 2}}, 5, " 1 ?|?"));
  EXPECT_EQ(table.plan.mode, LetterPlan::Mode::kScalar);
  EXPECT_EQ(table.written(packed.data(), bytesOf("ACGTCCRYSWKMBDHV").data(),
                          out.data()),
            bytesOf(" 1 A|G 1 T|C"));
  // VCF genotypes: REF C, ALT A,G,T; N missing.
  const Bytes genotypes = bytesOf("1023............");
  const Pairs pairs = {{1, 0}, {2, 4}, {3, 3}};
  Planned vcf = twinOf(sampleLayout(pairs, 5, "\t?|?"));
  EXPECT_EQ(vcf.written(packed.data(), genotypes.data(), out.data()),
            bytesOf("\t2|1\t.|3\t.|."));
  letterText(sampleLayout(pairs, 5, "\t?/?"), vcf.plan, vcf.text);
  EXPECT_EQ(vcf.written(packed.data(), genotypes.data(), out.data()),
            bytesOf("\t2/1\t./3\t./."));
}

// countLetters against countBytes over what writeLetters writes.
std::vector<std::uint32_t> countedInText(const Bytes& text,
                                         const Bytes& values) {
  std::vector<std::uint32_t> counts(values.size());
  countBytesScalar(text.data(), text.size(), values.data(), values.size(),
                   counts.data());
  return counts;
}

std::vector<std::uint32_t> countedFromCodes(CountLettersFunction count,
                                            const Bytes& packed,
                                            const Bytes& table,
                                            const CountedLanes& lanes,
                                            const Bytes& values) {
  std::vector<std::uint32_t> counts(values.size(), 0xDEAD);
  count(packed.data(), table.data(), lanes, values.data(), values.size(),
        counts.data());
  return counts;
}

TEST(KernelLetters, CountsFromCodesExactly) {
  // Codes of A G N - T, as in ScalarTwinExactRows: genotypes \t2|1\t.|3.
  Bytes packed(packedBytes(5) + kPackedSlack, 0);
  packed[0] = 0x20;
  packed[1] = 0x54;
  packed[2] = 0x03;
  const Bytes genotypes = bytesOf("1023............");
  CountedLanes lanes;
  ASSERT_TRUE(countedLanes(sampleLayout({{1, 0}, {2, 4}}, 5, "\t?|?"), lanes));
  const std::vector<std::uint32_t> expected = {1, 1, 1, 1, 0};
  forEachTarget([&](const KernelSet& kernels) {
    EXPECT_EQ(countedFromCodes(kernels.countLetters, packed, genotypes, lanes,
                               bytesOf(".1230")),
              expected);
  });
  EXPECT_EQ(countedFromCodes(countLettersScalar, packed, genotypes, lanes,
                             bytesOf(".1230")),
            expected);
  // A haplotype in two samples, or more columns than the lanes: not counted
  // so.
  EXPECT_FALSE(countedLanes(sampleLayout({{1, 0}, {3, 3}}, 5, "\t?|?"), lanes));
  EXPECT_FALSE(countedLanes(sampleLayout({{1, 0}, {2, 1}}, 5, "\t?|?"), lanes));
  EXPECT_FALSE(countedLanes(sampleLayout({{1, 0}}, 33, "\t?|?"), lanes));
  EXPECT_TRUE(countedLanes(sampleLayout({{31, 30}}, 32, "\t?|?"), lanes));
}

// Every target's countLetters against countBytes over the scalar twin's
// genotypes: VCF layouts (pairs, single haplotypes, some columns in no
// sample) of 1 to 32 columns, random codes and genotype tables.
TEST(KernelLetters, CountsFromCodesAsTheWrittenText) {
  const Bytes genotypeBytes = bytesOf(".012345");
  forEachTarget([&](const KernelSet& kernels) {
    std::mt19937_64 rng(5);
    for (std::size_t count = 1; count <= kCountedHaplotypes; ++count) {
      Pairs singles;
      for (std::uint32_t h = 0; h < count;
           h += static_cast<std::uint32_t>(1 + rng() % 2)) {
        singles.emplace_back(h, h);
      }
      for (const Pairs& pairs : {adjacentPairs(count), nameOrderPairs(count),
                                 shuffledPairs(rng, count)}) {
        for (bool haploid : {false, true}) {
          const LetterLayout layout = sampleLayout(
              haploid ? singles : pairs, count, haploid ? "\t?" : "\t?|?");
          CountedLanes lanes;
          ASSERT_TRUE(countedLanes(layout, lanes));
          Planned twin = twinOf(layout);
          Bytes out(twin.plan.size + kLetterSlack);
          for (int row = 0; row < 4; ++row) {
            const Bytes packed =
                randomBytes(rng, packedBytes(count) + kPackedSlack);
            Bytes table(16);
            for (auto& byte : table) byte = genotypeBytes[rng() % 7];
            const Bytes values(genotypeBytes.begin() + (row == 0 ? 0 : 1),
                               genotypeBytes.begin() + 1 + rng() % 6);
            const std::vector<std::uint32_t> expected = countedInText(
                twin.written(packed.data(), table.data(), out.data()), values);
            ASSERT_EQ(countedFromCodes(kernels.countLetters, packed, table,
                                       lanes, values),
                      expected)
                << "count " << count << " row " << row;
            ASSERT_EQ(countedFromCodes(countLettersScalar, packed, table, lanes,
                                       values),
                      expected);
          }
        }
      }
    }
  });
}

TEST(KernelLetters, EachTargetPlansTheWayThatPays) {
  std::mt19937_64 rng(1);
  const Pairs shuffled = shuffledPairs(rng, 1000);
  forEachTarget([&](const KernelSet& kernels) {
    LetterPlan plan;
    const bool scalar = kernels.target == "SCALAR";
    kernels.planLetters(sampleLayout(nameOrderPairs(31), 31, tableField(1)),
                        plan);
    EXPECT_EQ(plan.mode, scalar ? LetterPlan::Mode::kScalar
                                : LetterPlan::Mode::kTwoBlocks);
    kernels.planLetters(sampleLayout(adjacentPairs(1000), 1000, tableField(1)),
                        plan);
    EXPECT_EQ(plan.mode,
              scalar ? LetterPlan::Mode::kScalar : LetterPlan::Mode::kBlocks);
    kernels.planLetters(sampleLayout(shuffled, 1000, tableField(10)), plan);
    EXPECT_EQ(plan.mode,
              scalar ? LetterPlan::Mode::kScalar : LetterPlan::Mode::kSlots);
  });
}

TEST(KernelLetters, MatchesScalarOnEveryTarget) {
  std::vector<std::size_t> counts;
  for (std::size_t count = 1; count <= 70; ++count) counts.push_back(count);
  for (std::size_t count : {100, 127, 128, 129, 341, 1000, 3001}) {
    counts.push_back(count);
  }
  forEachTarget([&](const KernelSet& kernels) {
    std::mt19937_64 rng(2);
    for (std::size_t count : counts) {
      const std::size_t chromLength = rng() % 24;
      for (const Pairs& pairs : {adjacentPairs(count), nameOrderPairs(count),
                                 shuffledPairs(rng, count)}) {
        expectSameLetters(
            kernels, sampleLayout(pairs, count, tableField(chromLength)), rng);
        expectSameLetters(kernels, sampleLayout(pairs, count, "\t?|?"), rng);
      }
      expectSameLetters(kernels, randomLayout(rng, count), rng);
      if (::testing::Test::HasFatalFailure()) return;
    }
  });
}

TEST(KernelLetters, EmptyLayoutWritesNothing) {
  forEachTarget([&](const KernelSet& kernels) {
    std::mt19937_64 rng(3);
    for (std::size_t count : {1, 40}) {
      LetterLayout empty;
      empty.count = count;
      expectSameLetters(kernels, empty, rng);
    }
  });
}

// Codes, text, scratch and output each against a guard page.
TEST(KernelLetters, TouchesOnlyItsBytes) {
  GuardedPages codes(4096);
  GuardedPages texts(16384);
  GuardedPages scratch(4096);
  GuardedPages output(16384);
  forEachTarget([&](const KernelSet& kernels) {
    std::mt19937_64 rng(4);
    for (std::size_t count : {1, 2, 31, 32, 33, 64, 65, 200, 1001}) {
      for (const Pairs& pairs :
           {nameOrderPairs(count), shuffledPairs(rng, count)}) {
        const LetterLayout layout =
            sampleLayout(pairs, count, tableField(rng() % 5));
        Planned target(kernels.planLetters, kernels.writeLetters, layout);
        Planned twin = twinOf(layout);
        const Bytes row = randomBytes(rng, packedBytes(count) + kPackedSlack);
        const Bytes table = randomBytes(rng, 16);
        std::uint8_t* out = output.spaceAtEnd(target.plan.size + kLetterSlack);
        target.write(target.plan, texts.atEnd(target.text), codes.atEnd(row),
                     table.data(), scratch.spaceAtEnd(target.plan.lettersBytes),
                     out);
        Bytes expected(layout.text.size() + kLetterSlack);
        ASSERT_EQ(Bytes(out, out + target.plan.size),
                  twin.written(row.data(), table.data(), expected.data()))
            << "count " << count;
      }
    }
  });
}

}  // namespace
}  // namespace hapmat::kernels::test
