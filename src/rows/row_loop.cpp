// The row loop of row_loop.hpp, per target: Highway compiles this file once
// per target (foreach_target), each with the pack kernel of that target
// inlined (kernels/pack-inl.h), and rowLoopFor picks one by the kernel
// set's target.

#include "rows/row_loop.hpp"

#include <algorithm>
#include <bit>
#include <type_traits>

#include "formats/haplotype_writer.hpp"
#include "formats/vcf_writer.hpp"
#include "kernels/dispatch.h"

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "rows/row_loop.cpp"
#include <hwy/foreach_target.h>  // IWYU pragma: keep
#include <hwy/highway.h>

#include "kernels/count-inl.h"
#include "kernels/letters-inl.h"
#include "kernels/pack-inl.h"

HWY_BEFORE_NAMESPACE();
namespace hapmat::HWY_NAMESPACE {

// This target's writeLetters kernel, inline.
inline auto WriteLettersInline() {
  return [](const kernels::LetterPlan& plan, const std::uint8_t* text,
            const std::uint8_t* packed, const std::uint8_t* table16,
            std::uint8_t* letters, std::uint8_t* out) {
    kernels::HWY_NAMESPACE::WriteLetters(plan, text, packed, table16, letters,
                                         out);
  };
}

// This target's countBytes kernel, inline.
inline auto CountBytesInline() {
  return [](const std::uint8_t* text, std::size_t size,
            const std::uint8_t* values, std::size_t k, std::uint32_t* counts) {
    kernels::HWY_NAMESPACE::CountBytes(text, size, values, k, counts);
  };
}

// Whether a row's alleles hold one, for the loops that do not trace rows:
// only VCF deletions track missing alleles, and their loop has the pack
// kernel's answer (KernelSawN), so these never ask.
inline auto HasAlleleInline() {
  return [](std::string_view alleles, char allele) {
    return phaser_detail::hasAllele(alleles, allele);
  };
}

// Whether an invariant row, or a packed row of only REF and N, has an N:
// what the pack kernel, asked to see N, told in `packed.present`.
inline auto KernelSawN(kernels::PackedAlleles packed) {
  return [present = packed.present](std::string_view, char allele) {
    HWY_DASSERT(allele == 'N');
    (void)allele;
    return (present & kernels::kPresentN) != 0;
  };
}

// This target's countLetters kernel, inline.
inline auto CountLettersInline() {
  return [](const std::uint8_t* packed, const std::uint8_t* table,
            const kernels::CountedLanes& lanes, const std::uint8_t* values,
            std::size_t k, std::uint32_t* counts) {
    kernels::HWY_NAMESPACE::CountLetters(packed, table, lanes, values, k,
                                         counts);
  };
}

// RowPhaser::convert with this target's pack kernel inline and the
// writer's own class; RowWriter: RowPhaser::convert itself (its kernel
// set's pack, a virtual writer).
// `fixed`: the row's CHROM, POS and REF, unless it took the general path.
// kSeesN: an invariant row's N found by the pack kernel (VCF deletions).
template <class Writer, bool kSeesN>
HWY_INLINE RowOutcome ConvertRow(RowPhaser& phaser, const Writer& writer,
                                 std::string_view line, ByteBuffer& out,
                                 RowPhaser::Fixed& fixed) {
  if constexpr (std::is_same_v<Writer, RowWriter>) {
    return phaser.convert(line, out);
  } else {
    if (!phaser.parseFixed(line, fixed)) {
      return phaser.convertGeneral(line, out);
    }
    const RowPhaser::PackInput in = phaser.packInput(line, fixed);
    // The kernel's size check against the phaser's kept size: two
    // instructions instead of the kernel's division and compares.
    const kernels::PackedAlleles packed =
        in.size == phaser.allelesSize()
            ? kernels::HWY_NAMESPACE::PackAllelesOfRowSize<kSeesN>(
                  in.text, in.size, in.count, in.delimiter, in.ref, in.packed)
            : kernels::PackedAlleles{};
    // The writer's formatting kernels of this target, inline.
    if constexpr (kSeesN) {
      return phaser.convertPacked(line, fixed, packed, out, writer,
                                  KernelSawN(packed), WriteLettersInline(),
                                  CountBytesInline(), CountLettersInline());
    } else if constexpr (std::is_same_v<Writer, HaplotypeWriter>) {
      return phaser.convertPacked(line, fixed, packed, out, writer,
                                  HasAlleleInline(), WriteLettersInline());
    } else {
      return phaser.convertPacked(line, fixed, packed, out, writer,
                                  HasAlleleInline(), WriteLettersInline(),
                                  CountBytesInline(), CountLettersInline());
    }
  }
}

// A row that is not bad, into the trace (VCF deletions): a packed row from
// its fields as parseFixed found them, inline, into room the loop reserved;
// a row of the general path from its facts.
HWY_INLINE void TraceRow(StretchTally& tally, const RowPhaser& phaser,
                         std::string_view line, const RowPhaser::Fixed& fixed,
                         RowOutcome outcome) {
  if (phaser.usedGeneral()) {
    tally_detail::noteRow(tally, phaser, line, outcome);
    return;
  }
  const char mark = tally_detail::markRow(tally, phaser, line, outcome);
  const char* text = line.data();
  tally.trace.addReserved(phaser.chromVersion(), {text, fixed.chromEnd},
                          {text + fixed.chromEnd + 1, fixed.posLength},
                          fixed.ref, mark);
}

// Newlines are found one span at a time, so that the span is still in the
// core's L2 cache when its rows are converted right after. What every line
// uses is in locals: the row's calls could change what `input` points to,
// as far as the compiler knows, so it would load them again for each line.
// kTracesRows: the loop of VCF deletions, whose every row goes to the
// trace; the other loops have no trace code (RowWriter's: as
// convertLine).
template <class Writer, bool kTracesRows>
HWY_INLINE bool ConvertLines(const RowLoopInput& input) {
  RowPhaser& phaser = input.phaser;
  const auto& writer = static_cast<const Writer&>(phaser.writer());
  StretchTally& tally = input.tally;
  ByteBuffer& out = input.out;
  const bool skipBadRows = input.skipBadRows;
  const std::uint64_t* masks = input.masks;
  auto convertLine = [&](std::string_view line) __attribute__((always_inline)) {
    std::uint64_t number;
    if (!beginLine(tally, line, number)) return true;
    RowPhaser::Fixed fixed{};  // {}: set when it is read, but GCC can't tell
    const RowOutcome outcome =
        ConvertRow<Writer, kTracesRows>(phaser, writer, line, out, fixed);
    if constexpr (std::is_same_v<Writer, RowWriter>) {
      if (tally.tracksRows && outcome != RowOutcome::kBad) {
        tally_detail::noteRow(tally, phaser, line, outcome);
      }
    } else if constexpr (kTracesRows) {
      if (outcome != RowOutcome::kBad) {
        TraceRow(tally, phaser, line, fixed, outcome);
      }
    }
    return endLine(phaser, outcome, number, skipBadRows, tally);
  };
  const std::string_view lines = input.lines;
  const auto* bytes = reinterpret_cast<const std::uint8_t*>(lines.data());
  std::size_t start = 0;
  for (std::size_t span = 0; span < lines.size(); span += kRowLoopSpan) {
    const std::size_t size = std::min(kRowLoopSpan, lines.size() - span);
    // Room for the rows that end in the span (each but the first has two
    // bytes in it at least) and the last line without its newline.
    if constexpr (kTracesRows) tally.trace.reserve(size / 2 + 2);
    input.newlineMasks(bytes + span, size, input.masks);
    for (std::size_t word = 0; word < kernels::maskWords(size); ++word) {
      for (std::uint64_t bits = masks[word]; bits != 0; bits &= bits - 1) {
        const std::size_t end = span + word * 64 + std::countr_zero(bits);
        // No substr: its bounds checks cost a few instructions a line.
        if (!convertLine({lines.data() + start, end - start})) return false;
        start = end + 1;
      }
    }
  }
  if (start < lines.size()) return convertLine(lines.substr(start));
  return true;
}

bool ConvertTableLines(const RowLoopInput& input) {
  return ConvertLines<HaplotypeWriter, false>(input);
}

bool ConvertVcfLines(const RowLoopInput& input) {
  return ConvertLines<VcfWriter, false>(input);
}

bool ConvertVcfLinesTraced(const RowLoopInput& input) {
  return ConvertLines<VcfWriter, true>(input);
}

bool ConvertLinesThrough(const RowLoopInput& input) {
  return ConvertLines<RowWriter, false>(input);
}

}  // namespace hapmat::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace hapmat {

HWY_EXPORT(ConvertTableLines);
HWY_EXPORT(ConvertVcfLines);
HWY_EXPORT(ConvertVcfLinesTraced);
HWY_EXPORT(ConvertLinesThrough);

RowLoopFunction rowLoopFor(const kernels::KernelSet& kernels,
                           const RowWriter& writer, bool tracesRows) {
  if (kernels.bit == 0) {  // the scalar twins: no target of their own
    return HWY_DISPATCH_TABLE(
        ConvertLinesThrough)[kernels::dispatchIndex(HWY_STATIC_TARGET)];
  }
  const std::size_t index = kernels::dispatchIndex(kernels.bit);
  const bool vcf = dynamic_cast<const VcfWriter*>(&writer) != nullptr;
  if (tracesRows) {
    return vcf ? HWY_DISPATCH_TABLE(ConvertVcfLinesTraced)[index]
               : HWY_DISPATCH_TABLE(ConvertLinesThrough)[index];
  }
  if (dynamic_cast<const HaplotypeWriter*>(&writer) != nullptr) {
    return HWY_DISPATCH_TABLE(ConvertTableLines)[index];
  }
  if (vcf) return HWY_DISPATCH_TABLE(ConvertVcfLines)[index];
  return HWY_DISPATCH_TABLE(ConvertLinesThrough)[index];
}

}  // namespace hapmat
#endif  // HWY_ONCE
