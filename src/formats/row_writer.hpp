#pragma once
// The output formats behind one interface: a writer turns a converted row,
// as text fields or as packed codes, into its format's bytes, so that the
// converters never know which format they write.

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "formats/packed_row.hpp"
#include "hapmat/schema.hpp"
#include "io/byte_buffer.hpp"
#include "kernels/kernel_set.h"
#include "matrix/contigs.hpp"
#include "matrix/row_fields.hpp"

namespace hapmat {

/** A valid data row split into its fields, with its alternative alleles. */
struct TextRow {
  std::span<const std::string_view> fields;  ///< CHROM POS REF H1 ... Hn
  /// The distinct haplotype alleles other than N and REF, in order of first
  /// appearance; empty for an invariant row (--all-sites): ALT is then `.`
  std::span<const std::string_view> alts;
};

/** What a writer made of one row. */
enum class Formatted : std::uint8_t {
  kWritten,     ///< appended
  kNotCarried,  ///< the format cannot carry the row; nothing appended
  kBad,         ///< invalid in this format (scratch.problem); nothing appended
};

/**
 * One converting thread's working space for a writer (writers are shared),
 * and what the last row reported besides its outcome.
 */
class WriterScratch {
 public:
  virtual ~WriterScratch() = default;

  std::uint32_t allelesLeftOut =
      0;               ///< distinct alleles the row could not carry
  RowProblem problem;  ///< why the last kBad row is bad
};

class RowWriter {
 public:
  virtual ~RowWriter() = default;

  /** A scratch for one thread, whose appendPacked calls run `kernels` (which
   * outlive it); formats that need more subclass it. */
  virtual std::unique_ptr<WriterScratch> makeScratch(
      const kernels::KernelSet& kernels) const;

  /** The header lines, each ending in '\n'; `contigs` are the reference
   * sequences of the input, for formats that list them. */
  virtual void appendHeader(std::string& out,
                            std::span<const Contig> contigs) const = 0;

  /** Appends a row given as text. Sets scratch.allelesLeftOut. */
  virtual Formatted appendRow(const TextRow& row, WriterScratch& scratch,
                              ByteBuffer& out) const = 0;

  /** Appends a row of single-byte alleles; the same bytes as appendRow
   * would write for it, written in place at out.room(). Sets
   * scratch.allelesLeftOut. */
  virtual Formatted appendPacked(const PackedRow& row, WriterScratch& scratch,
                                 ByteBuffer& out) const = 0;
};

/** The outputs hapmat writes. */
enum class FormatKind : std::uint8_t {
  kTable,  ///< the original script's haplotype table
  kPanel,  ///< phase-Extender's haplotype reference panel
  kVcf,
};

/** VCF: what a missing allele (N) becomes. */
enum class MissingAllele : std::uint8_t {
  kDot,  ///< `.`, VCF's missing allele
  kRef,  ///< REF's 0, for reference panels that refuse missing alleles
};

/** Everything a writer needs besides the samples. */
struct FormatOptions {
  FormatKind kind = FormatKind::kTable;
  Delimiter tableDelimiter = Delimiter::kSpace;  ///< the table's only
  MissingAllele missing = MissingAllele::kDot;   ///< VCF's only
  /// VCF's only: each sample is one haplotype (first == second), GT `x`
  bool haploid = false;
  /// VCF's only: the records go on to BCF, whose POS is at most 2^31 - 1
  bool bcf = false;
};

std::unique_ptr<RowWriter> makeRowWriter(const FormatOptions& options,
                                         std::vector<SamplePair> samples);

}  // namespace hapmat
