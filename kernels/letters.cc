// Kernel: a row's sample part from its packed codes (see letters.h).

#include "kernels/letters.h"

#include <algorithm>
#include <cstring>
#include <iterator>
#include <utility>

#include "kernels/dispatch.h"
#include "kernels/pack.h"

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "kernels/letters.cc"
#include <hwy/foreach_target.h>  // IWYU pragma: keep
#include <hwy/highway.h>

#include "kernels/letters-inl.h"

HWY_BEFORE_NAMESPACE();
namespace hapmat::kernels::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

#if HWY_TARGET == HWY_SCALAR

// One u8 lane per "vector" and no byte shuffles: the plain loops are the
// better portable code.
void PlanLettersImpl(const LetterLayout& layout, LetterPlan& plan) {
  planLettersScalar(layout, plan);
}

#else

void PlanLettersImpl(const LetterLayout& layout, LetterPlan& plan) {
  planLettersForLanes(layout, hn::Lanes(hn::ScalableTag<std::uint8_t>()), plan);
}

#endif  // HWY_TARGET == HWY_SCALAR

void WriteLettersImpl(const LetterPlan& plan, const std::uint8_t* text,
                      const std::uint8_t* packed, const std::uint8_t* table16,
                      std::uint8_t* letters, std::uint8_t* out) {
  WriteLetters(plan, text, packed, table16, letters, out);
}

void CountLettersImpl(const std::uint8_t* packed, const std::uint8_t* table16,
                      const CountedLanes& lanes, const std::uint8_t* values,
                      std::size_t k, std::uint32_t* counts) {
  CountLetters(packed, table16, lanes, values, k, counts);
}

}  // namespace hapmat::kernels::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace hapmat::kernels {

namespace {

constexpr std::uint8_t kNoLane = 0x80;  // a shuffle pattern's zero lane
constexpr std::size_t kBlockBytes = 16;

std::size_t roundUp(std::size_t n, std::size_t multiple) {
  return (n + multiple - 1) / multiple * multiple;
}

// Where LookUpLetters puts haplotype h's letter with vectors of `lanes`
// bytes: each vector of codes (2 * lanes haplotypes) becomes 2 vectors of
// letters, the first holding the lower 16 of each 32 haplotypes of a
// 128-bit block of codes, the second the upper 16.
std::uint32_t letterOffset(std::size_t h, std::size_t lanes) {
  const std::size_t vector = h / (2 * lanes);
  const std::size_t block = h % (2 * lanes) / 32;
  const std::size_t within = h % 32;
  const std::size_t upper = within / 16;
  return static_cast<std::uint32_t>(2 * lanes * vector + upper * lanes +
                                    16 * block + within % 16);
}

// Two shuffle patterns a vector of output: the even haplotypes' block first.
void planTwoBlocks(const LetterLayout& layout, LetterPlan& plan) {
  const std::size_t N = plan.lanes;
  plan.mode = LetterPlan::Mode::kTwoBlocks;
  plan.stepIndexes.assign(2 * plan.textBytes, kNoLane);
  for (std::size_t k = 0; k < layout.slots.size(); ++k) {
    const std::size_t slot = layout.slots[k];
    const std::uint32_t h = layout.haplotypes[k];
    plan.stepIndexes[(2 * (slot / N) + h % 2) * N + slot % N] =
        static_cast<std::uint8_t>(h / 2);
  }
}

// The steps of each vector of output, in the order its slots first need
// their blocks. `slotSources` is sorted by slot.
void planBlocks(
    const std::vector<std::pair<std::uint32_t, std::uint32_t>>& slotSources,
    LetterPlan& plan) {
  const std::size_t N = plan.lanes;
  const std::size_t vectors = plan.textBytes / N;
  plan.stepEnds.assign(vectors, 0);
  std::size_t next = 0;
  for (std::size_t vector = 0; vector < vectors; ++vector) {
    const std::size_t first = plan.stepBlocks.size();
    for (; next < slotSources.size() && slotSources[next].first / N == vector;
         ++next) {
      const auto [slot, source] = slotSources[next];
      const auto block =
          static_cast<std::uint32_t>(source / kBlockBytes * kBlockBytes);
      std::size_t step = first;
      while (step < plan.stepBlocks.size() && plan.stepBlocks[step] != block) {
        ++step;
      }
      if (step == plan.stepBlocks.size()) {
        plan.stepBlocks.push_back(block);
        plan.stepIndexes.resize(plan.stepIndexes.size() + N, kNoLane);
      }
      plan.stepIndexes[step * N + slot % N] =
          static_cast<std::uint8_t>(source % kBlockBytes);
    }
    plan.stepEnds[vector] = static_cast<std::uint32_t>(plan.stepBlocks.size());
  }
  // Grown a step at a time: let go of the spare capacity (plans of wide rows
  // are large).
  plan.stepBlocks.shrink_to_fit();
  plan.stepIndexes.shrink_to_fit();
}

}  // namespace

void letterText(const LetterLayout& layout, const LetterPlan& plan,
                std::vector<std::uint8_t>& text) {
  text.assign(plan.textBytes, 0);
  std::copy(layout.text.begin(), layout.text.end(), text.begin());
  for (std::uint32_t slot : layout.slots) text[slot] = 0;
}

void planLettersForLanes(const LetterLayout& layout, std::size_t lanes,
                         LetterPlan& plan) {
  plan = LetterPlan{};
  plan.lanes = lanes;
  plan.size = layout.text.size();
  plan.count = layout.count;
  if (lanes == 0) {
    plan.textBytes = plan.size;
    plan.slots = layout.slots;
    plan.sources = layout.haplotypes;
    return;
  }
  plan.textBytes = roundUp(plan.size, lanes);
  if (layout.count <= 2 * kBlockBytes) {
    planTwoBlocks(layout, plan);
    return;
  }
  plan.lettersBytes = 2 * roundUp(packedBytes(layout.count), lanes);
  std::vector<std::pair<std::uint32_t, std::uint32_t>> slotSources;
  slotSources.reserve(layout.slots.size());
  for (std::size_t k = 0; k < layout.slots.size(); ++k) {
    slotSources.emplace_back(layout.slots[k],
                             letterOffset(layout.haplotypes[k], lanes));
  }
  std::sort(slotSources.begin(), slotSources.end());
  plan.mode = LetterPlan::Mode::kBlocks;
  planBlocks(slotSources, plan);
  // Instructions (AVX2, g++ 12): a vector of output costs 10 and a step 8
  // with shuffles; a vector of text 5 and a slot 7 with byte copies.
  const std::size_t vectors = plan.stepEnds.size();
  const std::size_t blocksCost = 10 * vectors + 8 * plan.stepBlocks.size();
  const std::size_t slotsCost = 5 * vectors + 7 * slotSources.size();
  if (blocksCost <= slotsCost) return;
  plan.mode = LetterPlan::Mode::kSlots;
  plan.stepEnds = {};
  plan.stepBlocks = {};
  plan.stepIndexes = {};
  plan.slots.reserve(slotSources.size());
  plan.sources.reserve(slotSources.size());
  for (const auto& [slot, source] : slotSources) {
    plan.slots.push_back(slot);
    plan.sources.push_back(source);
  }
}

HWY_EXPORT(PlanLettersImpl);
HWY_EXPORT(WriteLettersImpl);
HWY_EXPORT(CountLettersImpl);

PlanLettersFunction planLettersFor(std::int64_t target) {
  return HWY_DISPATCH_TABLE(PlanLettersImpl)[dispatchIndex(target)];
}

WriteLettersFunction writeLettersFor(std::int64_t target) {
  return HWY_DISPATCH_TABLE(WriteLettersImpl)[dispatchIndex(target)];
}

CountLettersFunction countLettersFor(std::int64_t target) {
  return HWY_DISPATCH_TABLE(CountLettersImpl)[dispatchIndex(target)];
}

void planLettersScalar(const LetterLayout& layout, LetterPlan& plan) {
  planLettersForLanes(layout, 0, plan);
}

void writeLettersScalar(const LetterPlan& plan, const std::uint8_t* text,
                        const std::uint8_t* packed, const std::uint8_t* table,
                        std::uint8_t* /*letters*/, std::uint8_t* out) {
  if (plan.size != 0) std::memcpy(out, text, plan.size);
  for (std::size_t k = 0; k < plan.slots.size(); ++k) {
    out[plan.slots[k]] = table[codeAt(packed, plan.sources[k])];
  }
}

bool countedLanes(const LetterLayout& layout, CountedLanes& lanes) {
  if (layout.count > kCountedHaplotypes) return false;
  std::fill(std::begin(lanes.lanes), std::end(lanes.lanes), 0);
  for (const std::uint32_t h : layout.haplotypes) {
    std::uint8_t& lane = lanes.lanes[h % 2 * 16 + h / 2];
    if (lane != 0) return false;  // in two slots
    lane = 0xFF;
  }
  return true;
}

void countLettersScalar(const std::uint8_t* packed, const std::uint8_t* table,
                        const CountedLanes& lanes, const std::uint8_t* values,
                        std::size_t k, std::uint32_t* counts) {
  std::fill(counts, counts + k, 0u);
  for (std::size_t h = 0; h < kCountedHaplotypes; ++h) {
    if (lanes.lanes[h % 2 * 16 + h / 2] == 0) continue;
    const std::uint8_t letter = table[codeAt(packed, h)];
    for (std::size_t j = 0; j < k; ++j) counts[j] += letter == values[j];
  }
}

}  // namespace hapmat::kernels
#endif  // HWY_ONCE
