#include "engine/reference_converter.hpp"

#include "engine/conversion.hpp"
#include "rows/row_tally.hpp"
#include "rows/text_row_converter.hpp"

namespace hapmat {

namespace {

// Output is gathered in a string and handed to the sink in pieces this big.
constexpr std::size_t kFlushBytes = std::size_t{1} << 20;

// One chunk of whole lines at a time, one line at a time, in plain loops;
// each chunk is a stretch of the tally.
class ReferenceConverter {
 public:
  ReferenceConverter(const ConvertOptions& options, ByteSink& out,
                     ContigSource contigs)
      : options_(options),
        conversion_(options, out, contigs),
        rows_(conversion_.writer(), conversion_.columns(),
              conversion_.reader().delimiter(), conversion_.selection()),
        stretch_(conversion_.tally().makeStretch()) {
    rows_.setTracksMissing(conversion_.tracksMissing());
  }

  Stats run() {
    return conversion_.run([this] { convertAll(); });
  }

 private:
  void convertAll() {
    RunTally& tally = conversion_.tally();
    TextChunk chunk = std::move(conversion_.firstChunk());
    do {
      stretch_.clear();
      convertChunk(chunk);
      conversion_.source().verify(chunk);
      tally.merge(stretch_, chunk.checked);
      conversion_.writeRows(stretch_, text_);
      text_.clear();
      stretch_.trace.clear();
      if (chunk.failure) {
        tally.failAtNextLine(chunk.failure->column, chunk.failure->reason);
      }
      if (options_.onProgress) {
        options_.onProgress({conversion_.source().fileBytesRead(),
                             conversion_.source().textBytesRead()});
      }
    } while (conversion_.source().next(chunk));
  }

  void convertChunk(const TextChunk& chunk) {
    if (chunk.bridge && !convertLine(*chunk.bridge)) return;
    std::string_view lines = chunk.lines;
    while (!lines.empty()) {
      std::size_t end = lines.find('\n');
      if (!convertLine(lines.substr(0, end))) return;
      lines.remove_prefix(end == std::string_view::npos ? lines.size()
                                                        : end + 1);
    }
  }

  bool convertLine(std::string_view line) {
    if (!hapmat::convertLine(rows_, line, options_.skipBadRows, stretch_,
                             text_)) {
      return false;
    }
    if (text_.size() >= kFlushBytes) {
      conversion_.writeRows(stretch_, text_);
      text_.clear();
      stretch_.trace.clear();
    }
    return true;
  }

  const ConvertOptions& options_;
  Conversion conversion_;
  TextRowConverter rows_;
  StretchTally stretch_;
  ByteBuffer text_;
};

}  // namespace

Stats convertWithReference(const ConvertOptions& options, ByteSink& out,
                           ContigSource contigs) {
  return ReferenceConverter(options, out, contigs).run();
}

}  // namespace hapmat
