#include "compression_util.hpp"

#include <gtest/gtest.h>

namespace hapmat::test {

std::string deflateWith(const std::string& text, int windowBits,
                        gz_header* header, int level) {
  z_stream z{};
  EXPECT_EQ(
      deflateInit2(&z, level, Z_DEFLATED, windowBits, 8, Z_DEFAULT_STRATEGY),
      Z_OK);
  if (header != nullptr) {
    EXPECT_EQ(deflateSetHeader(&z, header), Z_OK);
  }
  std::string out(deflateBound(&z, text.size()) + 1024, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  z.avail_in = static_cast<uInt>(text.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&z, Z_FINISH), Z_STREAM_END);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

std::string gzipMember(const std::string& text) {
  return deflateWith(text, 15 + 16);
}

std::string storedGzipMember(const std::string& text) {
  return deflateWith(text, 15 + 16, nullptr, 0);
}

void appendLe(std::string& out, std::uint32_t value, int bytes) {
  for (int i = 0; i < bytes; ++i) {
    out += static_cast<char>((value >> (8 * i)) & 0xff);
  }
}

std::uint32_t crcOf(const std::string& text) {
  return static_cast<std::uint32_t>(
      crc32(0, reinterpret_cast<const Bytef*>(text.data()),
            static_cast<uInt>(text.size())));
}

std::string bgzfBlock(const std::string& text, const std::string& extraBefore) {
  std::string payload = deflateWith(text, -15);
  std::string block = "\x1f\x8b\x08\x04";
  appendLe(block, 0, 4);  // MTIME
  block += '\0';          // XFL
  block += '\xff';        // OS
  appendLe(block, static_cast<std::uint32_t>(extraBefore.size() + 6), 2);
  block += extraBefore;
  block += "BC";
  appendLe(block, 2, 2);
  const std::size_t size = block.size() + 2 + payload.size() + 8;
  appendLe(block, static_cast<std::uint32_t>(size - 1), 2);
  block += payload;
  appendLe(block, crcOf(text), 4);
  appendLe(block, static_cast<std::uint32_t>(text.size()), 4);
  return block;
}

const std::string kBgzfEof(
    "\x1f\x8b\x08\x04\0\0\0\0\0\xff\x06\0BC\x02\0\x1b\0\x03\0\0\0\0\0\0\0\0\0",
    28);

std::string bgzf(const std::string& text, std::size_t blockSize) {
  std::string out;
  for (std::size_t at = 0; at < text.size(); at += blockSize) {
    out += bgzfBlock(text.substr(at, blockSize));
  }
  return out + kBgzfEof;
}

}  // namespace hapmat::test
