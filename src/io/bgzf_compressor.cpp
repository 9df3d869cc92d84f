#include "io/bgzf_compressor.hpp"

#include <libdeflate.h>

#include <new>

namespace hapmat {

namespace {

// BGZF (SAM/BAM spec §4.1): gzip members with the extra subfield BC holding
// the block size - 1; htslib fills a block with at most 0xff00 bytes.
constexpr std::size_t kBgzfHeader = 18;
constexpr std::size_t kBgzfTrailer = 8;
constexpr std::size_t kBgzfBlockText = 0xff00;

void putLe(std::string& out, std::uint32_t value, int bytes) {
  for (int i = 0; i < bytes; ++i) {
    out.push_back(static_cast<char>((value >> (8 * i)) & 0xFF));
  }
}

}  // namespace

BgzfCompressor::BgzfCompressor(int level)
    : compressor_(libdeflate_alloc_compressor(level)) {
  if (compressor_ == nullptr) throw std::bad_alloc();
}

BgzfCompressor::~BgzfCompressor() { libdeflate_free_compressor(compressor_); }

void BgzfCompressor::append(std::string_view text, std::string& out) {
  while (!text.empty()) {
    const std::string_view piece = text.substr(0, kBgzfBlockText);
    text.remove_prefix(piece.size());
    deflated_.resize(
        libdeflate_deflate_compress_bound(compressor_, piece.size()));
    const std::size_t size =
        libdeflate_deflate_compress(compressor_, piece.data(), piece.size(),
                                    deflated_.data(), deflated_.size());
    static constexpr unsigned char kHeader[] = {
        0x1f, 0x8b, 8, 4, 0, 0, 0, 0, 0, 0xff, 6, 0, 'B', 'C', 2, 0};
    out.append(reinterpret_cast<const char*>(kHeader), sizeof kHeader);
    putLe(out,
          static_cast<std::uint32_t>(kBgzfHeader + size + kBgzfTrailer - 1), 2);
    out.append(deflated_.data(), size);
    putLe(out, libdeflate_crc32(0, piece.data(), piece.size()), 4);
    putLe(out, static_cast<std::uint32_t>(piece.size()), 4);
  }
}

}  // namespace hapmat
