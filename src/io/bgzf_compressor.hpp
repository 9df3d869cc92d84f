#pragma once
// BGZF blocks made by libdeflate, one compressor per thread: so that the
// pipeline's workers compress their own chunks, and the write stage only
// writes.

#include <string>
#include <string_view>

struct libdeflate_compressor;

namespace hapmat {

class BgzfCompressor {
 public:
  /** `level` 0-9 (0: stored blocks). Throws std::bad_alloc. */
  explicit BgzfCompressor(int level);
  ~BgzfCompressor();
  BgzfCompressor(const BgzfCompressor&) = delete;
  BgzfCompressor& operator=(const BgzfCompressor&) = delete;

  /** Appends `text` as BGZF blocks of at most 0xff00 bytes of text each, as
   * htslib cuts them (no end-of-file block; none for empty text). */
  void append(std::string_view text, std::string& out);

 private:
  libdeflate_compressor* compressor_;
  std::string deflated_;
};

}  // namespace hapmat
