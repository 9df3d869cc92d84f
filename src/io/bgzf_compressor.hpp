#pragma once
// BGZF blocks, one compressor per thread: so that the pipeline's workers
// compress their own chunks, and the write stage only writes. Level 1 is
// ISA-L's fastest level (twice libdeflate's level 1 on VCF text, for ~5 %
// more bytes: BENCHMARKS.md); 0 and 2-9 are libdeflate's.

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
  /** Deflates `piece` into deflated_; returns its size. */
  std::size_t deflate(std::string_view piece);

  libdeflate_compressor* compressor_ = nullptr;  // levels other than 1
  std::string isalBuffer_;                       // level 1: ISA-L's work space
  std::string deflated_;
};

}  // namespace hapmat
