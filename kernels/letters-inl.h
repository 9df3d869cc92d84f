// Kernel: a row's sample part from its packed codes (see letters.h), the
// writing per target, inline: letters.cc exports it as the writeLetters
// kernel, and the row loop (src/rows/row_loop.cpp) compiles its common case
// into its own per-target code. Included once per target (Highway's -inl.h
// convention), after hwy/highway.h.

#if defined(HAPMAT_KERNELS_LETTERS_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef HAPMAT_KERNELS_LETTERS_INL_H_
#undef HAPMAT_KERNELS_LETTERS_INL_H_
#else
#define HAPMAT_KERNELS_LETTERS_INL_H_
#endif

#include <hwy/highway.h>

#include <cstddef>
#include <cstdint>

#include "kernels/letters.h"
#include "kernels/pack.h"

HWY_BEFORE_NAMESPACE();
namespace hapmat::kernels::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

#if HWY_TARGET == HWY_SCALAR

HWY_INLINE void WriteLetters(const LetterPlan& plan, const std::uint8_t* text,
                             const std::uint8_t* packed,
                             const std::uint8_t* table, std::uint8_t* letters,
                             std::uint8_t* out) {
  writeLettersScalar(plan, text, packed, table, letters, out);
}

HWY_INLINE void CountLetters(const std::uint8_t* packed,
                             const std::uint8_t* table,
                             const CountedLanes& lanes,
                             const std::uint8_t* values, std::size_t k,
                             std::uint32_t* counts) {
  countLettersScalar(packed, table, lanes, values, k, counts);
}

#else

// At most 32 haplotypes: their codes are one 16-byte block, whose low
// nibbles (even haplotypes) and high nibbles (odd ones) looked up in the
// table are two blocks of letters, kept in registers. Each vector of output
// is then its text ORed with one shuffle of each block (a pattern lane of
// 0x80 yields 0, and the text is 0 at the slots): 3 loads, 2 shuffles, 2 ORs
// and a store, whatever the samples' order.
template <class D>
HWY_INLINE void WriteTwoBlocks(D d, const LetterPlan& plan,
                               const std::uint8_t* HWY_RESTRICT text,
                               const std::uint8_t* HWY_RESTRICT packed,
                               hn::Vec<D> table,
                               std::uint8_t* HWY_RESTRICT out) {
  const std::size_t N = hn::Lanes(d);
  const auto codes = hn::LoadDup128(d, packed);
  const auto even = hn::TableLookupBytes(table, hn::And(codes, hn::Set(d, 15)));
  const auto odd = hn::TableLookupBytes(table, hn::ShiftRight<4>(codes));
  const std::uint8_t* HWY_RESTRICT const end = text + plan.textBytes;
  const std::uint8_t* HWY_RESTRICT pattern = plan.stepIndexes.data();
  for (; text != end; text += N, pattern += 2 * N, out += N) {
    const auto v = hn::Or(hn::LoadU(d, text),
                          hn::TableLookupBytesOr0(even, hn::LoadU(d, pattern)));
    hn::StoreU(
        hn::Or(v, hn::TableLookupBytesOr0(odd, hn::LoadU(d, pattern + N))), d,
        out);
  }
}

// The letters of every haplotype: one shuffle per nibble, the two
// interleaved within each 128-bit block, so that the 16-byte blocks of
// letters come out in the order letterOffset describes and neighbouring
// haplotypes (a sample's pair, often) share a block. Reads whole vectors of
// codes (within the packed slack).
template <class D>
HWY_INLINE void LookUpLetters(D d, const LetterPlan& plan,
                              const std::uint8_t* HWY_RESTRICT packed,
                              hn::Vec<D> table,
                              std::uint8_t* HWY_RESTRICT letters) {
  const std::size_t N = hn::Lanes(d);
  const std::size_t bytes = packedBytes(plan.count);
  for (std::size_t i = 0; i < bytes; i += N, letters += 2 * N) {
    const auto codes = hn::LoadU(d, packed + i);
    const auto even =
        hn::TableLookupBytes(table, hn::And(codes, hn::Set(d, 15)));
    const auto odd = hn::TableLookupBytes(table, hn::ShiftRight<4>(codes));
    hn::StoreU(hn::InterleaveLower(d, even, odd), d, letters);
    hn::StoreU(hn::InterleaveUpper(d, even, odd), d, letters + N);
  }
}

// Each vector of output: its text ORed with one shuffle of each 16-letter
// block it draws from (broadcast to every 128-bit lane, as x86 shuffles stay
// within them). Samples of neighbouring columns need one or two blocks a
// vector.
template <class D>
HWY_INLINE void WriteBlocks(D d, const LetterPlan& plan,
                            const std::uint8_t* HWY_RESTRICT text,
                            const std::uint8_t* HWY_RESTRICT letters,
                            std::uint8_t* HWY_RESTRICT out) {
  const std::size_t N = hn::Lanes(d);
  const std::uint8_t* HWY_RESTRICT pattern = plan.stepIndexes.data();
  const std::uint32_t* HWY_RESTRICT block = plan.stepBlocks.data();
  const std::uint32_t* HWY_RESTRICT const firstBlock = block;
  const std::uint32_t* HWY_RESTRICT ends = plan.stepEnds.data();
  const std::size_t vectors = plan.stepEnds.size();
  for (std::size_t vector = 0; vector < vectors; ++vector) {
    auto v = hn::LoadU(d, text + vector * N);
    for (const std::uint32_t* HWY_RESTRICT end = firstBlock + ends[vector];
         block != end; ++block, pattern += N) {
      v = hn::Or(v, hn::TableLookupBytesOr0(hn::LoadDup128(d, letters + *block),
                                            hn::LoadU(d, pattern)));
    }
    hn::StoreU(v, d, out + vector * N);
  }
}

// The text by whole vectors, then a byte per slot: for samples scattered
// over so many blocks that a shuffle would place about one letter.
template <class D>
HWY_INLINE void WriteSlots(D d, const LetterPlan& plan,
                           const std::uint8_t* HWY_RESTRICT text,
                           const std::uint8_t* HWY_RESTRICT letters,
                           std::uint8_t* HWY_RESTRICT out) {
  const std::size_t N = hn::Lanes(d);
  const std::size_t textBytes = plan.textBytes;
  for (std::size_t i = 0; i < textBytes; i += N) {
    hn::StoreU(hn::LoadU(d, text + i), d, out + i);
  }
  const std::uint32_t* HWY_RESTRICT slot = plan.slots.data();
  const std::uint32_t* HWY_RESTRICT const end = slot + plan.slots.size();
  const std::uint32_t* HWY_RESTRICT source = plan.sources.data();
  for (; slot != end; ++slot, ++source) out[*slot] = letters[*source];
}

// The plans of more than 32 haplotypes, or of no vector: out of line, so
// that WriteLetters inline is only the common case.
inline HWY_NOINLINE void WriteManyLetters(
    const LetterPlan& plan, const std::uint8_t* HWY_RESTRICT text,
    const std::uint8_t* HWY_RESTRICT packed,
    const std::uint8_t* HWY_RESTRICT table16,
    std::uint8_t* HWY_RESTRICT letters, std::uint8_t* HWY_RESTRICT out) {
  const hn::ScalableTag<std::uint8_t> d;
  const auto table = hn::LoadDup128(d, table16);
  switch (plan.mode) {
    case LetterPlan::Mode::kScalar:
    case LetterPlan::Mode::kTwoBlocks:  // not here: WriteLetters takes it
      writeLettersScalar(plan, text, packed, table16, letters, out);
      return;
    case LetterPlan::Mode::kBlocks:
      LookUpLetters(d, plan, packed, table, letters);
      WriteBlocks(d, plan, text, letters, out);
      return;
    case LetterPlan::Mode::kSlots:
      LookUpLetters(d, plan, packed, table, letters);
      WriteSlots(d, plan, text, letters, out);
      return;
  }
}

// writeLetters of this target (letters.h).
HWY_INLINE void WriteLetters(const LetterPlan& plan,
                             const std::uint8_t* HWY_RESTRICT text,
                             const std::uint8_t* HWY_RESTRICT packed,
                             const std::uint8_t* HWY_RESTRICT table16,
                             std::uint8_t* HWY_RESTRICT letters,
                             std::uint8_t* HWY_RESTRICT out) {
  const hn::ScalableTag<std::uint8_t> d;
  HWY_DASSERT(plan.mode == LetterPlan::Mode::kScalar ||
              plan.lanes == hn::Lanes(d));
  if (plan.mode == LetterPlan::Mode::kTwoBlocks) [[likely]] {
    WriteTwoBlocks(d, plan, text, packed, hn::LoadDup128(d, table16), out);
    return;
  }
  WriteManyLetters(plan, text, packed, table16, letters, out);
}

// The 32 haplotypes' letters, those not counted zeroed (no value is 0), in
// their CountedLanes order: on AVX2 and up one 32-byte vector, the low
// nibbles' lookup in its lower half and the high nibbles' in its upper; else
// two 16-byte vectors.
#if HWY_ARCH_X86 && HWY_TARGET <= HWY_AVX2
using CountedTag = hn::Full256<std::uint8_t>;
struct CountedLetters {
  hn::Vec<CountedTag> both;
};
HWY_INLINE CountedLetters LettersOfLanes(
    const std::uint8_t* HWY_RESTRICT packed,
    const std::uint8_t* HWY_RESTRICT table16, const CountedLanes& lanes) {
  const CountedTag d;
  const auto codes = hn::LoadDup128(d, packed);
  const auto index = hn::ConcatUpperLower(d, hn::ShiftRight<4>(codes),
                                          hn::And(codes, hn::Set(d, 15)));
  return {hn::And(hn::TableLookupBytes(hn::LoadDup128(d, table16), index),
                  hn::LoadU(d, lanes.lanes))};
}
HWY_INLINE std::uint32_t CountOf(const CountedLetters& letters,
                                 std::uint8_t value) {
  const CountedTag d;
  return static_cast<std::uint32_t>(
      hn::CountTrue(d, hn::Eq(letters.both, hn::Set(d, value))));
}
#else
using CountedTag = hn::Full128<std::uint8_t>;
struct CountedLetters {
  hn::Vec<CountedTag> even, odd;
};
HWY_INLINE CountedLetters LettersOfLanes(
    const std::uint8_t* HWY_RESTRICT packed,
    const std::uint8_t* HWY_RESTRICT table16, const CountedLanes& lanes) {
  const CountedTag d;
  const auto table = hn::LoadU(d, table16);
  const auto codes = hn::LoadU(d, packed);
  return {hn::And(hn::TableLookupBytes(table, hn::And(codes, hn::Set(d, 15))),
                  hn::LoadU(d, lanes.lanes)),
          hn::And(hn::TableLookupBytes(table, hn::ShiftRight<4>(codes)),
                  hn::LoadU(d, lanes.lanes + 16))};
}
HWY_INLINE std::uint32_t CountOf(const CountedLetters& letters,
                                 std::uint8_t value) {
  const CountedTag d;
  const auto v = hn::Set(d, value);
  return static_cast<std::uint32_t>(hn::CountTrue(d, hn::Eq(letters.even, v)) +
                                    hn::CountTrue(d, hn::Eq(letters.odd, v)));
}
#endif

// countLetters of this target (letters.h): a compare and a mask count per
// value, two values (a VCF row of one ALT) unrolled.
HWY_INLINE void CountLetters(const std::uint8_t* HWY_RESTRICT packed,
                             const std::uint8_t* HWY_RESTRICT table16,
                             const CountedLanes& lanes,
                             const std::uint8_t* HWY_RESTRICT values,
                             std::size_t k,
                             std::uint32_t* HWY_RESTRICT counts) {
  const CountedLetters letters = LettersOfLanes(packed, table16, lanes);
  if (k == 2) {
    counts[0] = CountOf(letters, values[0]);
    counts[1] = CountOf(letters, values[1]);
    return;
  }
  for (std::size_t j = 0; j < k; ++j) counts[j] = CountOf(letters, values[j]);
}

#endif  // HWY_TARGET == HWY_SCALAR

}  // namespace hapmat::kernels::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#endif  // include guard
