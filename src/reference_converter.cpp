#include "reference_converter.hpp"

#include "block_reader.hpp"
#include "conversion.hpp"
#include "row_tally.hpp"
#include "text_row_converter.hpp"

namespace hapmat {

namespace {

// Output is gathered in a string and handed to the sink in pieces this big.
constexpr std::size_t kFlushBytes = std::size_t{1} << 20;

// One block of whole lines at a time, one line at a time, in plain loops;
// each block is a stretch of the tally.
class ReferenceConverter {
 public:
  ReferenceConverter(const ConvertOptions& options, ByteSink& out)
      : options_(options),
        conversion_(options, out),
        rows_(conversion_.writer(), conversion_.columns(),
              conversion_.reader().delimiter()),
        stretch_(conversion_.tally().makeStretch()) {}

  Stats run() {
    return convertChecked(conversion_.reader(),
                          [this] { return convertAll(); });
  }

 private:
  Stats convertAll() {
    MatrixReader& reader = conversion_.reader();
    RunTally& tally = conversion_.tally();
    tally.skipLines(reader.handOver() - 1);
    std::vector<char> buffer;
    for (std::string_view block; !(block = nextBlock(buffer)).empty();) {
      stretch_.clear();
      convertBlock(block);
      tally.merge(stretch_);
      conversion_.write(text_);
      text_.clear();
      if (options_.onProgress) {
        options_.onProgress({reader.fileBytesRead(), reader.bytesRead()});
      }
    }
    return conversion_.finish(reader.bytesRead());
  }

 private:
  std::string_view nextBlock(std::vector<char>& buffer) {
    try {
      return conversion_.reader().blocks().next(buffer);
    } catch (const LineTooLong& e) {
      conversion_.tally().failAtNextLine(1, e.what());
    } catch (const InputEndedEarly& e) {
      conversion_.tally().failAtNextLine(e.partialLineBytes() + 1, e.what());
    }
  }

  void convertBlock(std::string_view block) {
    while (!block.empty()) {
      std::size_t end = block.find('\n');
      std::string_view line = block.substr(0, end);
      block.remove_prefix(end == std::string_view::npos ? block.size()
                                                        : end + 1);
      if (!convertLine(rows_, line, options_.skipBadRows, stretch_, text_)) {
        return;
      }
      if (text_.size() >= kFlushBytes) {
        conversion_.write(text_);
        text_.clear();
      }
    }
  }

  const ConvertOptions& options_;
  Conversion conversion_;
  TextRowConverter rows_;
  StretchTally stretch_;
  std::string text_;
};

}  // namespace

Stats convertWithReference(const ConvertOptions& options, ByteSink& out) {
  return ReferenceConverter(options, out).run();
}

}  // namespace hapmat
