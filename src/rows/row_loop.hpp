#pragma once
// The row loop: a chunk's lines converted one after the other, compiled
// once per SIMD target and per writer class (the table and the panel, VCF),
// so that a row's CHROM/POS/REF checks, its pack kernel and the line's
// tally are one function's code, and its writer a direct call, not a
// virtual one. Chosen once per conversion (rowLoopFor); every variant
// writes the bytes RowPhaser::convert would, line by line.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "kernels/kernel_set.h"
#include "rows/row_phaser.hpp"
#include "rows/row_tally.hpp"

namespace hapmat {

/** Bytes whose newlines the loop finds in one kernel call; a multiple of
 * 64. */
inline constexpr std::size_t kRowLoopSpan = std::size_t{128} << 10;

/** What a row loop converts, and where to. */
struct RowLoopInput {
  /// The chunk's phaser, made with the writer rowLoopFor was given.
  RowPhaser& phaser;
  /// Whole lines, each ending in '\n' but the last, which may not.
  std::string_view lines;
  kernels::NewlineMasksFunction newlineMasks;
  /// Room for kernels::maskWords(kRowLoopSpan) words.
  std::uint64_t* masks;
  bool skipBadRows;
  StretchTally& tally;
  ByteBuffer& out;
};

/** Converts input.lines as convertLine does each, in order. Returns false
 * when the stretch must stop (as convertLine). */
using RowLoopFunction = bool (*)(const RowLoopInput& input);

/** The loop of `kernels`' target for rows of `writer` (the phasers'):
 * inline pack kernel and direct writer calls for the table, panel and VCF
 * writers; for another writer class, or the scalar twins (no target), a
 * loop of RowPhaser::convert. `tracesRows`: the tallies it is given track
 * rows (VCF deletions), which only the VCF writer's own loop, and the
 * loop of RowPhaser::convert, trace; the others have no trace code. */
RowLoopFunction rowLoopFor(const kernels::KernelSet& kernels,
                           const RowWriter& writer, bool tracesRows);

}  // namespace hapmat
