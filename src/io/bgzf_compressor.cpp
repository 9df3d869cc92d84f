#include "io/bgzf_compressor.hpp"

#include <isa-l/igzip_lib.h>
#include <libdeflate.h>

#include <new>
#include <stdexcept>

namespace hapmat {

namespace {

// BGZF (SAM/BAM spec §4.1): gzip members with the extra subfield BC holding
// the block size - 1; htslib fills a block with at most 0xff00 bytes.
constexpr std::size_t kBgzfHeader = 18;
constexpr std::size_t kBgzfTrailer = 8;
constexpr std::size_t kBgzfBlockText = 0xff00;
constexpr int kIsalLevel = 1;

void putLe(std::string& out, std::uint32_t value, int bytes) {
  for (int i = 0; i < bytes; ++i) {
    out.push_back(static_cast<char>((value >> (8 * i)) & 0xFF));
  }
}

}  // namespace

BgzfCompressor::BgzfCompressor(int level) {
  if (level == kIsalLevel) {
    isalBuffer_.resize(ISAL_DEF_LVL1_DEFAULT);
    return;
  }
  compressor_ = libdeflate_alloc_compressor(level);
  if (compressor_ == nullptr) throw std::bad_alloc();
}

BgzfCompressor::~BgzfCompressor() { libdeflate_free_compressor(compressor_); }

std::size_t BgzfCompressor::deflate(std::string_view piece) {
  if (compressor_ != nullptr) {
    deflated_.resize(
        libdeflate_deflate_compress_bound(compressor_, piece.size()));
    return libdeflate_deflate_compress(compressor_, piece.data(), piece.size(),
                                       deflated_.data(), deflated_.size());
  }
  // A stateless deflate of at most 0xff00 bytes fits ISA-L's bound for
  // incompressible input (stored blocks plus their headers).
  deflated_.resize(piece.size() + piece.size() / 16 + 64);
  isal_zstream stream;
  isal_deflate_stateless_init(&stream);
  stream.level = kIsalLevel;
  stream.level_buf = reinterpret_cast<std::uint8_t*>(isalBuffer_.data());
  stream.level_buf_size = static_cast<std::uint32_t>(isalBuffer_.size());
  stream.next_in =
      reinterpret_cast<std::uint8_t*>(const_cast<char*>(piece.data()));
  stream.avail_in = static_cast<std::uint32_t>(piece.size());
  stream.next_out = reinterpret_cast<std::uint8_t*>(deflated_.data());
  stream.avail_out = static_cast<std::uint32_t>(deflated_.size());
  stream.end_of_stream = 1;
  stream.flush = NO_FLUSH;
  const int status = isal_deflate_stateless(&stream);
  if (status != COMP_OK) {
    throw std::runtime_error("ISA-L deflate failed: status " +
                             std::to_string(status));
  }
  return stream.total_out;
}

void BgzfCompressor::append(std::string_view text, std::string& out) {
  while (!text.empty()) {
    const std::string_view piece = text.substr(0, kBgzfBlockText);
    text.remove_prefix(piece.size());
    const std::size_t size = deflate(piece);
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
