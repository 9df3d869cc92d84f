#pragma once
// What both engines share around the rows: the opened matrix, the samples
// and the writer, the header with its contigs, the run's tally, and the
// output (spooled when the header can only be known at the end).

#include <functional>
#include <memory>
#include <string_view>
#include <vector>

#include "engine/run_tally.hpp"
#include "formats/bcf_writer.hpp"
#include "formats/row_writer.hpp"
#include "formats/vcf_deletions.hpp"
#include "formats/vcf_sample_subset.hpp"
#include "hapmat/convert.hpp"
#include "hapmat/error.hpp"
#include "io/line_cursor.hpp"
#include "io/line_source.hpp"
#include "matrix/contig_prediction.hpp"
#include "matrix/matrix_reader.hpp"
#include "matrix/regions.hpp"
#include "rows/row_tally.hpp"
#include "rows/text_row_converter.hpp"

namespace hapmat {

class Conversion {
 public:
  /** Opens the input, reads its prologue, writes the header. Throws;
   * ContigsMispredicted (from run()) when a BCF's `contigs` were predicted
   * wrong: `out` is then to be restarted and the conversion redone with
   * ContigSource::kScanned. */
  Conversion(const ConvertOptions& options, ByteSink& out,
             ContigSource contigs = ContigSource::kPredicted);
  ~Conversion();

  const ConvertOptions& options() const { return options_; }
  /** The rows' source: the input, or the part's range of it. */
  LineSource& source() { return *rows_; }
  MatrixReader& reader() { return reader_; }
  /** The first rows, already read: the engine converts them first (moving
   * from the chunk), then goes on with source(). */
  TextChunk& firstChunk();
  const RowWriter& writer() const { return *writer_; }
  /** The rows written besides the variant ones: regions, all sites. */
  const RowSelection& selection() const { return selection_; }
  RunTally& tally() { return tally_; }
  std::size_t columns() const { return reader_.columns().size(); }

  /** VCF deletions with N written missing: the converters note invariant
   * rows with a missing allele (TextRowConverter::setTracksMissing). */
  bool tracksMissing() const {
    return deletions_ && options_.missing == MissingGenotype::kDot;
  }
  /** Appends a stretch's converted rows to the output (through the
   * deletion joiner for VCF deletions: `stretch` has their RowTrace). With
   * `textKept` the caller keeps the stretch's text and trace until the
   * next stretch's write has returned (DeletionJoiner::add). */
  void writeRows(const StretchTally& stretch, std::string_view rows,
                 bool textKept = false);
  /** VCF deletions: the rows go through a deletion joiner. */
  bool joinsDeletions() const { return deletions_ != nullptr; }
  /** VCF deletions, the SIMD engine: a joiner for a chunk's joinAlone (on
   * a worker), or null when deletions are not joined. */
  std::unique_ptr<DeletionJoiner> chunkJoiner() const;
  /** The chunks whose deletions were joined on workers, so far. */
  std::uint64_t deletionChunksJoined() const {
    return deletions_ ? deletions_->bordersJoined() : 0;
  }
  /** Appends a stretch's converted rows through the deletion joiner, after
   * `alone` joined them on a worker into `aloneOut` (joinBorder). False
   * when the joiner took every row itself (`alone`'s work went unused). */
  bool writeJoinedRows(const StretchTally& stretch, std::string_view rows,
                       DeletionJoiner& alone, std::string_view aloneOut);

  /** BCF whose records go straight out (no spool, no deletion joiner): the
   * header the engine may encode a stretch's rows by, on its workers
   * (appendBcfRecords), for writeEncodedRows(); else null. */
  const BcfHeader* bcfHeader() const;
  /** Appends a stretch's rows encoded by bcfHeader(). */
  void writeEncodedRows(std::string_view bcf);
  /** The BGZF level at which the engine may compress a stretch's rows (or
   * BCF records) on its workers when they go straight to a BGZF output,
   * for writeBlocks(); else -1. */
  int blockLevel() const;
  /** Appends BGZF blocks holding a stretch's `textBytes` bytes. */
  void writeBlocks(std::string_view blocks, std::uint64_t textBytes);

  /**
   * Runs an engine's `convertRows()`, which converts and writes every row,
   * then ends the output: a header rewritten if the rows' CHROMs called for
   * it, the spool copied out. A problem found in the text is thrown with
   * what the compressed stream says about it (rethrow). Returns the run's
   * statistics.
   */
  template <class ConvertRows>
  Stats run(ConvertRows convertRows) {
    try {
      convertRows();
    } catch (const InputError& error) {
      rethrow(error);
    }
    return finish();
  }

  /**
   * Throws `error`, a problem found in the text, with what the compressed
   * stream says about it: a gzip stream is read to its end, and a damage
   * there is what is thrown when the text at `error` was not checked
   * (placed where the checked text ends); a BGZF stream without its
   * end-of-file block may have been cut.
   */
  [[noreturn]] void rethrow(const InputError& error);

 private:
  [[noreturn]] static void rethrow(LineSource& source, const InputError& error,
                                   std::optional<CheckedPosition> checked);
  Stats finish();
  MatrixReader readPrologue();
  std::unique_ptr<LineSource> openRange();
  std::unique_ptr<LineSource> openPart(ByteRange within);
  const std::vector<std::string>& predictedChroms();
  std::vector<SamplePair> chooseSamples() const;
  std::vector<SamplePair> chooseRecordSamples() const;
  std::vector<std::size_t> keptSamples() const;
  std::optional<ContigCheck> contigCheck(const ByteSink& out,
                                         ContigSource source);
  RowCheck keptRows() const;
  void writeHeader();
  void checkNextPart();
  void write(std::string_view bytes);
  void writeJoined();
  void warmUpDeletions();
  void readOnDeletions();
  void feedDeletions(ByteRange range, bool untilSettled);

  const ConvertOptions& options_;
  std::unique_ptr<BcfSink> bcf_;        // BCF: the VCF text encoded into `out`
  ByteSink& out_;                       // the output, or bcf_
  std::unique_ptr<RegionSet> regions_;  // null: every row
  RowSelection selection_;
  std::unique_ptr<LineSource> source_;  // the input, from its start
  MatrixReader reader_;
  std::vector<SamplePair> samples_;        // those written
  std::vector<SamplePair> recordSamples_;  // the records' (all, joined)
  std::optional<std::vector<std::string>> predicted_;  // the file's CHROMs
  std::optional<ByteRange> span_;  // the bytes holding the regions' rows
  std::function<std::uint64_t()> linesBefore_;  // the first row's
  // Both set up by openPart(), which part_'s initializer calls.
  std::optional<LineCursor> partStart_;  // past the prologue's lines
  // A part's range of the input, or the regions' span, or both's overlap.
  std::unique_ptr<LineSource> part_;
  LineSource* rows_;  // source_ or part_
  // Of the records (with deletions every sample's), and of the header (the
  // samples written).
  std::unique_ptr<RowWriter> writer_;
  std::unique_ptr<RowWriter> headerWriter_;
  std::unique_ptr<class SpoolSink> spool_;  // VCF to a stream, no --fai
  ByteSink* sink_;                          // out_, or the spool
  RunTally tally_;
  std::uint64_t headerBytes_ = 0;
  std::uint64_t bodyBytes_ = 0;
  std::unique_ptr<DeletionJoiner> deletions_;  // VCF deletions only
  std::string joined_;                         // the joiner's output
  // -s/-S with deletions: the written samples picked from joined_.
  std::optional<VcfSampleSubset> sampleSubset_;
  std::string subset_;
};

}  // namespace hapmat
