#pragma once
// Converts one data row, the fast way when it can: a row of single-byte
// alleles is checked and packed into 4-bit codes by the SIMD kernels, an
// invariant row is dropped right there, and a variant one is handed to the
// writer as a PackedRow. Any other row (multi-byte alleles, lower case, a
// malformed row) takes the reference engine's path, so both engines agree
// byte for byte.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kernels/kernel_set.h"
#include "rows/text_row_converter.hpp"

namespace hapmat {

class RowPhaser {
 public:
  RowPhaser(const RowWriter& writer, std::size_t columns, Delimiter delimiter,
            const kernels::KernelSet& kernels,
            const RowSelection& selection = {});

  /** Converts `line` (no line end), appending a written row to `out`. */
  RowOutcome convert(std::string_view line, ByteBuffer& out);

  const RowProblem& problem() const { return general_.problem(); }
  const RowFacts& facts() const {
    return usedGeneral_ ? general_.facts() : facts_;
  }
  std::uint32_t allelesLeftOut() const {
    return usedGeneral_ ? general_.allelesLeftOut() : scratch_->allelesLeftOut;
  }
  /** Changes whenever facts().chrom may have: when a row's CHROM differs
   * from the one remembered, which every row's CHROM is checked against
   * first. */
  std::uint64_t chromVersion() const { return chromVersion_; }

  /** As TextRowConverter::setTracksMissing. */
  void setTracksMissing(bool tracks) {
    tracksMissing_ = tracks;
    general_.setTracksMissing(tracks);
  }
  bool missingInvariant() const {
    return usedGeneral_ ? general_.missingInvariant() : missingInvariant_;
  }

 private:
  RowOutcome convertGeneral(std::string_view line, ByteBuffer& out);
  std::size_t chromLength(std::string_view line);
  RowOutcome invariantRow(std::string_view alleles, char ref);
  [[gnu::noinline]] bool outsideRegions();
  [[gnu::noinline]] bool outsideNewRun();
  kernels::PackedAlleles packInvariant(std::string_view alleles, char ref);
  void rememberChrom(std::string_view chrom);
  std::size_t orderAlts(std::uint16_t altMask,
                        std::array<std::uint8_t, 16>& codes) const;

  const RowWriter& writer_;
  TextRowConverter general_;
  std::unique_ptr<WriterScratch> scratch_;
  std::size_t columns_;
  char delimiter_;
  // Side by side: every row resets both, one 2-byte store.
  bool usedGeneral_ = false;       // whether the last row took the general path
  bool missingInvariant_ = false;  // of the last row, when tracked
  bool tracksMissing_ = false;
  RowFacts facts_;
  // The last valid CHROM and its delimiter: most rows repeat it.
  std::string chromField_;
  std::uint64_t chromWord_ = 0;  // chromField_'s bytes, when it has <= 8
  std::uint64_t chromWordMask_ = 0;
  std::uint64_t chromVersion_ = 0;
  std::vector<std::uint8_t> packed_;
  const kernels::KernelSet& kernels_;
  std::optional<RegionCursor> regions_;
  // The run of positions (RegionCursor::runAt) the last looked-up row was
  // in, of the CHROM of `chromVersion`, as POS keys (row_phaser.cpp): most
  // rows are decided on their POS text against it. A POS of at most 8
  // digits (below 10^8: most rows of most genomes) has a 64-bit key, and
  // the run's bounds one too, ~0 from 10^8 on.
  __extension__ typedef unsigned __int128 PosKey;
  struct PosRun {
    std::uint64_t chromVersion = 0;  // none: no CHROM has version 0
    std::uint64_t shortFrom = ~std::uint64_t{0};
    std::uint64_t shortTo = 0;
    PosKey from = 0;
    PosKey to = 0;
    bool inside = false;
  };
  PosRun run_;
  bool allSites_;
  bool selects_;  // regions or all sites: rows may be more than variant
};

}  // namespace hapmat
