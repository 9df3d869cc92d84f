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
 * A layout compiled for one target by its planLetters, used by the same
 * target's writeLetters only. Holds the row's letters while it is written,
 * so one plan serves one thread.
 */
struct LetterPlan {
  enum class Mode : std::uint8_t {
    kScalar,     ///< the scalar twin: copy the text, then one byte a slot
    kTwoBlocks,  ///< <= 32 haplotypes: 2 shuffles a vector of output
    kBlocks,     ///< a shuffle for each 16 letters a vector draws from
    kSlots,      ///< vector copy of the text, then one byte a slot
  };
  Mode mode = Mode::kScalar;
  std::size_t lanes = 0;  ///< bytes of the target's vectors; 0 for kScalar
  std::size_t size = 0;   ///< bytes written
  std::size_t count = 0;  ///< haplotype columns of a row
  /// kScalar: the layout's text. Else padded to whole vectors, slots zero.
  std::vector<std::uint8_t> text;
  std::vector<std::uint32_t> slots;    ///< as in the layout
  std::vector<std::uint32_t> sources;  ///< per slot: kScalar the haplotype,
                                       ///< kSlots its offset in `letters`
  /// kBlocks: per vector of output, the end of its steps (a step is a block
  /// of 16 letters at stepBlocks[s] and a shuffle pattern of `lanes` bytes
  /// at stepIndexes[s * lanes]); kTwoBlocks: 2 patterns a vector.
  std::vector<std::uint32_t> stepEnds;
  std::vector<std::uint32_t> stepBlocks;
  std::vector<std::uint8_t> stepIndexes;
  /// kBlocks, kSlots: the row's letters, in 16-byte blocks of neighbouring
  /// haplotypes (the order is the target's).
  std::vector<std::uint8_t> letters;

  /** Replaces the text around the slots: `text` has `size` bytes. */
  void setText(const std::uint8_t* text);
};

/** Compiles `layout` for a target. */
using PlanLettersFunction = void (*)(const LetterLayout& layout,
                                     LetterPlan& plan);

/**
 * Writes the plan's text with, at each slot, table[code of the slot's
 * haplotype]. `packed`: the row's codes as packAlleles writes them, readable
 * for packedBytes(count) + kPackedSlack bytes; `table` has 16 bytes; `out`
 * has room for plan.size + kLetterSlack bytes.
 */
using WriteLettersFunction = void (*)(LetterPlan& plan,
                                      const std::uint8_t* packed,
                                      const std::uint8_t* table,
                                      std::uint8_t* out);

/** The kernels of a Highway target (its bit, e.g. HWY_AVX2). */
PlanLettersFunction planLettersFor(std::int64_t target);
WriteLettersFunction writeLettersFor(std::int64_t target);

/** The portable scalar twins (plan mode kScalar). */
void planLettersScalar(const LetterLayout& layout, LetterPlan& plan);
void writeLettersScalar(LetterPlan& plan, const std::uint8_t* packed,
                        const std::uint8_t* table, std::uint8_t* out);

/** Plans `layout` for vectors of `lanes` bytes (0: kScalar); what each
 * target's planLetters calls. */
void planLettersForLanes(const LetterLayout& layout, std::size_t lanes,
                         LetterPlan& plan);

}  // namespace hapmat::kernels
