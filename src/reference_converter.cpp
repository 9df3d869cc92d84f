#include "reference_converter.hpp"

#include "hapmat/error.hpp"
#include "matrix_reader.hpp"
#include "row_writer.hpp"
#include "text_row_converter.hpp"

namespace hapmat {

namespace {

// Output is gathered in a string and handed to the sink in pieces this big.
constexpr std::size_t kFlushBytes = std::size_t{1} << 20;
constexpr std::uint64_t kRowsPerProgress = 4096;

class ReferenceConverter {
 public:
  ReferenceConverter(const ConvertOptions& options, ByteSink& out)
      : options_(options),
        out_(out),
        reader_(options),
        writer_(makeRowWriter(
            options, samplePairs(options.pairsPath, reader_.columns()))),
        rows_(*writer_, reader_.columns().size(), reader_.delimiter()) {}

  Stats run() {
    return convertChecked(reader_, [this] { return convertAll(); });
  }

 private:
  Stats convertAll() {
    writer_->appendHeader(text_);
    NumberedLine line;
    for (std::uint64_t rows = 1; reader_.nextDataLine(line); ++rows) {
      convertRow(line);
      if (text_.size() >= kFlushBytes) flush();
      if (rows % kRowsPerProgress == 0 && options_.onProgress) {
        options_.onProgress({reader_.fileBytesRead(), reader_.bytesRead()});
      }
    }
    flush();
    stats_.vcfRowsDropped = rows_.formatCounts().rowsNotCarried;
    stats_.vcfAllelesDropped = rows_.formatCounts().allelesNotCarried;
    stats_.bytesRead = reader_.bytesRead();
    return stats_;
  }

 private:
  void convertRow(const NumberedLine& line) {
    ++stats_.rowsRead;
    switch (rows_.convert(line.text, text_)) {
      case RowOutcome::kWritten:
        ++stats_.rowsWritten;
        break;
      case RowOutcome::kBad:
        reject(line, rows_.problem());
        break;
      case RowOutcome::kDropped:
        break;
    }
  }

  void reject(const NumberedLine& line, const RowProblem& problem) {
    InputError error(reader_.name(), line.number, problem.column,
                     problem.reason);
    if (!options_.skipBadRows) throw error;
    ++stats_.rowsSkipped;
    if (stats_.firstSkipped.size() < Stats::kKeptBadRows) {
      stats_.firstSkipped.push_back(error.what());
    }
  }

  void flush() {
    out_.write(text_);
    stats_.bytesWritten += text_.size();
    text_.clear();
  }

  const ConvertOptions& options_;
  ByteSink& out_;
  MatrixReader reader_;
  std::unique_ptr<RowWriter> writer_;
  TextRowConverter rows_;
  std::string text_;
  Stats stats_;
};

}  // namespace

Stats convertWithReference(const ConvertOptions& options, ByteSink& out) {
  return ReferenceConverter(options, out).run();
}

}  // namespace hapmat
