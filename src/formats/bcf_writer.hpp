#pragma once
// BCF 2.2 (the binary VCF htslib reads and writes): the records of hapmat's
// VCF, encoded from its text, so that a BCF holds exactly the VCF's records
// after every option (the deletion joiner writes VCF text too).

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "formats/vcf_record.hpp"
#include "formats/vcf_writer.hpp"
#include "hapmat/output.hpp"

namespace hapmat {

/** A VCF header hapmat wrote, as BCF: its dictionaries, and its bytes. */
class BcfHeader {
 public:
  /** `vcfHeader`: every `##` line and the `#CHROM` line, each ending in
   * '\n'. */
  explicit BcfHeader(std::string_view vcfHeader);

  /** The magic `BCF\2\2`, the text's length, the text with the dictionary
   * indexes (IDX) htslib writes, and its NUL: as `bcftools view -Ou`. */
  const std::string& bytes() const { return bytes_; }
  const VcfContigIndex& contigs() const { return contigs_; }
  std::size_t samples() const { return samples_; }

 private:
  friend void appendBcfRecords(std::string_view, const BcfHeader&, VcfRecord&,
                               std::string&);
  std::string bytes_;
  VcfContigIndex contigs_;
  std::size_t samples_;
  std::int32_t ac_ = -1;  // the INFO and FORMAT keys in the dictionary
  std::int32_t an_ = -1;
  std::int32_t gt_ = -1;
};

/**
 * Appends to `out` the BCF records of `vcfRecords`, whole data lines of a
 * VCF hapmat wrote under `header`, each ending in '\n'; `record` is scratch.
 * The bytes are those htslib writes for the same lines. Throws IoError for
 * a record BCF cannot hold (POS past kBcfMaxPos: the writer refuses such
 * rows first, at their line).
 */
void appendBcfRecords(std::string_view vcfRecords, const BcfHeader& header,
                      VcfRecord& record, std::string& out);

/**
 * Turns the VCF text written to it into BCF for `inner`: the header (up to
 * its `#CHROM` line) into BcfHeader::bytes(), then each record. Lines may
 * be cut anywhere between writes. Its header cannot be replaced: the
 * records name their contig by its place in the header.
 */
class BcfSink final : public ByteSink {
 public:
  explicit BcfSink(ByteSink& inner) : inner_(inner) {}

  void write(std::string_view bytes) override;
  void endHeader() override { inner_.endHeader(); }
  /** Encodes the records by `header`, which it does not write. */
  void omitHeader(std::string_view header) override;
  /** Checks that no line was left cut; the inner sink's flush is its
   * owner's. */
  void finish() const;
  /** The BCF bytes given to the inner sink. */
  std::uint64_t bytesWritten() const { return written_; }
  /** The header read, once it was (null before): by it records can be
   * encoded elsewhere (on the pipeline's workers), for writeEncoded(). */
  const BcfHeader* header() const { return header_.get(); }
  /** Writes records appendBcfRecords() encoded by header(). */
  void writeEncoded(std::string_view bcf);
  /** The inner sink's: blocks of records encoded by header(). */
  int blockLevel() const override { return inner_.blockLevel(); }
  void writeBlocks(std::string_view blocks, std::uint64_t bcfBytes) override;

 private:
  void writeRecords(std::string_view bytes);
  void writeInner(std::string_view bytes);

  ByteSink& inner_;
  std::string text_;  // the header, or a record's start cut by a write
  std::unique_ptr<BcfHeader> header_;
  VcfRecord record_;
  std::string encoded_;
  std::uint64_t written_ = 0;
};

}  // namespace hapmat
