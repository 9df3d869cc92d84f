#include "reference_converter.hpp"

#include <span>

#include "haplotype_row.hpp"
#include "haplotype_writer.hpp"
#include "hapmat/error.hpp"
#include "matrix_reader.hpp"
#include "row_fields.hpp"

namespace hapmat {

namespace {

// Output is gathered in a string and handed to the sink in pieces this big.
constexpr std::size_t kFlushBytes = std::size_t{1} << 20;

class ReferenceConverter {
 public:
  ReferenceConverter(const ConvertOptions& options, ByteSink& out)
      : options_(options),
        out_(out),
        reader_(options),
        writer_(samplePairs(options.pairsPath, reader_.columns()),
                options.outDelimiter) {}

  Stats run() {
    writer_.appendHeader(text_);
    NumberedLine line;
    while (reader_.nextDataLine(line)) {
      convertRow(line);
      if (text_.size() >= kFlushBytes) flush();
    }
    flush();
    stats_.bytesRead = reader_.bytesRead();
    return stats_;
  }

 private:
  void convertRow(const NumberedLine& line) {
    ++stats_.rowsRead;
    char delimiter = static_cast<char>(reader_.delimiter());
    if (auto problem =
            splitRow(line.text, delimiter, reader_.columns().size(), fields_)) {
      reject(line, *problem);
      return;
    }
    std::span<const std::string_view> haplotypes(
        fields_.begin() + kFirstHaplotype, fields_.end());
    alts_.find(fields_[kRefColumn], haplotypes, altList_);
    if (altList_.empty()) return;
    writer_.appendRow(text_, fields_, altList_);
    ++stats_.rowsWritten;
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
  HaplotypeWriter writer_;
  AltFinder alts_;
  std::vector<std::string_view> fields_;
  std::vector<std::string_view> altList_;
  std::string text_;
  Stats stats_;
};

}  // namespace

Stats convertWithReference(const ConvertOptions& options, ByteSink& out) {
  return ReferenceConverter(options, out).run();
}

}  // namespace hapmat
