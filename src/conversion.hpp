#pragma once
// What both engines share around the rows: the opened matrix, the samples
// and the writer, the header with its contigs, the run's tally, and the
// output (spooled when the header can only be known at the end).

#include <memory>
#include <string_view>
#include <vector>

#include "hapmat/convert.hpp"
#include "matrix_reader.hpp"
#include "row_writer.hpp"
#include "run_tally.hpp"

namespace hapmat {

class Conversion {
 public:
  /** Opens the input, reads its prologue, writes the header. Throws. */
  Conversion(const ConvertOptions& options, ByteSink& out);
  ~Conversion();

  const ConvertOptions& options() const { return options_; }
  MatrixReader& reader() { return reader_; }
  const RowWriter& writer() const { return *writer_; }
  RunTally& tally() { return tally_; }
  std::size_t columns() const { return reader_.columns().size(); }

  /** Appends converted rows to the output. */
  void write(std::string_view bytes);

  /** Ends the output: a header rewritten if the rows' CHROMs called for it,
   * the spool copied out. Returns the run's statistics. */
  Stats finish(std::uint64_t bytesRead);

 private:
  std::optional<ContigCheck> contigCheck();

  const ConvertOptions& options_;
  ByteSink& out_;
  MatrixReader reader_;
  std::unique_ptr<RowWriter> writer_;
  std::unique_ptr<class SpoolSink> spool_;  // VCF to a stream, no --fai
  ByteSink* sink_;                          // out_, or the spool
  RunTally tally_;
  std::uint64_t headerBytes_ = 0;
  std::uint64_t bodyBytes_ = 0;
};

}  // namespace hapmat
