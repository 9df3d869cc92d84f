#pragma once
// Kernel: the sample part of a written row, straight from the packed codes.
// A row's sample part is the same text for every row of a layout (the
// table's `<d>CHROM<d>x|y` per sample, VCF's `\tx|y`) with, at fixed places,
// the letter of one haplotype's code; only the 16-entry code -> letter table
// changes from row to row (N and - as REF, VCF's genotype digits). So the
// placement is planned once per layout and applied to every row.

#include <cstddef>
#include <cstdint>
#include <vector>

namespace hapmat::kernels {

/** Bytes writeLetters may store past the plan's size (garbage). */
inline constexpr std::size_t kLetterSlack = 64;

/**
 * What a row's sample part looks like: `text`, with slot k (an offset into
 * text) holding the letter of haplotype haplotypes[k]. Slots are distinct;
 * their bytes in `text` do not matter. Haplotypes are < count and may repeat.
 */
struct LetterLayout {
  std::vector<std::uint8_t> text;
  std::vector<std::uint32_t> slots;
  std::vector<std::uint32_t> haplotypes;
  std::size_t count = 0;  ///< haplotype columns of a row
};

/**
 * A layout's slots compiled for one target by its planLetters, for that
 * target's writeLetters. It holds no text and is not changed by use, so one
 * plan serves every thread, and every layout with the same slots (the
 * table's rows of another CHROM of the same length).
 */
struct LetterPlan {
  enum class Mode : std::uint8_t {
    kScalar,     ///< the scalar twin: copy the text, then one byte a slot
    kTwoBlocks,  ///< <= 32 haplotypes: 2 shuffles a vector of output
    kBlocks,     ///< a shuffle for each 16 letters a vector draws from
    kSlots,      ///< vector copy of the text, then one byte a slot
  };
  Mode mode = Mode::kScalar;
  std::size_t lanes = 0;         ///< the target's vector bytes; 0: kScalar
  std::size_t size = 0;          ///< bytes written
  std::size_t count = 0;         ///< haplotype columns of a row
  std::size_t textBytes = 0;     ///< of the text writeLetters reads
  std::size_t lettersBytes = 0;  ///< of the scratch writeLetters fills
  /// kScalar, kSlots: each slot's offset and its source: kScalar the
  /// haplotype, kSlots the offset of its letter in the scratch (16-byte
  /// blocks of neighbouring haplotypes' letters, in the target's order).
  std::vector<std::uint32_t> slots;
  std::vector<std::uint32_t> sources;
  /// kBlocks: per vector of output, the end of its steps (a step is a block
  /// of 16 letters at stepBlocks[s] and a shuffle pattern of `lanes` bytes
  /// at stepIndexes[s * lanes]); kTwoBlocks: 2 patterns a vector.
  std::vector<std::uint32_t> stepEnds;
  std::vector<std::uint32_t> stepBlocks;
  std::vector<std::uint8_t> stepIndexes;
};

/**
 * The text writeLetters takes for rows of `layout` (the plan's, or one with
 * the same slots): the layout's text with 0 at every slot, then zeros up to
 * plan.textBytes.
 */
void letterText(const LetterLayout& layout, const LetterPlan& plan,
                std::vector<std::uint8_t>& text);

/** Compiles the slots of `layout` for a target. */
using PlanLettersFunction = void (*)(const LetterLayout& layout,
                                     LetterPlan& plan);

/**
 * Writes `text` (letterText's, plan.textBytes) with, at each slot,
 * table[code of the slot's haplotype]. `packed`: the row's codes as
 * packAlleles writes them, readable for packedBytes(count) + kPackedSlack
 * bytes; `table` has 16 bytes; `letters` is scratch of plan.lettersBytes
 * (one per thread); `out` has room for plan.size + kLetterSlack bytes.
 */
using WriteLettersFunction = void (*)(const LetterPlan& plan,
                                      const std::uint8_t* text,
                                      const std::uint8_t* packed,
                                      const std::uint8_t* table,
                                      std::uint8_t* letters, std::uint8_t* out);

/**
 * Which haplotypes countLetters counts, as two 16-byte lanes of 0xFF (in)
 * or 0 (out): byte i of the first half is haplotype 2i, of the second
 * haplotype 2i + 1 (the low and high nibbles of packed byte i).
 */
struct CountedLanes {
  std::uint8_t lanes[32];
};
/** The most haplotype columns CountedLanes covers. */
inline constexpr std::size_t kCountedHaplotypes = 32;
/**
 * The lanes of a layout's haplotypes when each is in at most one slot and
 * there are at most kCountedHaplotypes columns; else false. Then, for a text
 * (between the slots) that holds none of the counted values, the counts
 * countLetters finds from the codes are those of writeLetters' output.
 */
bool countedLanes(const LetterLayout& layout, CountedLanes& lanes);
/**
 * For each j < k: how many haplotypes of `lanes` have table[code] ==
 * values[j] (values are nonzero). `packed` is readable for 16 bytes (within
 * packAlleles' slack).
 */
using CountLettersFunction = void (*)(const std::uint8_t* packed,
                                      const std::uint8_t* table,
                                      const CountedLanes& lanes,
                                      const std::uint8_t* values, std::size_t k,
                                      std::uint32_t* counts);

/** The kernels of a Highway target (its bit, e.g. HWY_AVX2). */
PlanLettersFunction planLettersFor(std::int64_t target);
WriteLettersFunction writeLettersFor(std::int64_t target);
CountLettersFunction countLettersFor(std::int64_t target);

/** The portable scalar twins (plan mode kScalar). */
void planLettersScalar(const LetterLayout& layout, LetterPlan& plan);
void writeLettersScalar(const LetterPlan& plan, const std::uint8_t* text,
                        const std::uint8_t* packed, const std::uint8_t* table,
                        std::uint8_t* letters, std::uint8_t* out);
void countLettersScalar(const std::uint8_t* packed, const std::uint8_t* table,
                        const CountedLanes& lanes, const std::uint8_t* values,
                        std::size_t k, std::uint32_t* counts);

/** Plans `layout` for vectors of `lanes` bytes (0: kScalar); what each
 * target's planLetters calls. */
void planLettersForLanes(const LetterLayout& layout, std::size_t lanes,
                         LetterPlan& plan);

}  // namespace hapmat::kernels
