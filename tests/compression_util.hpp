#pragma once
// Compressed test inputs made in memory with zlib: gzip members as `gzip`
// writes them and BGZF blocks as `bgzip` does, so the tests need no tools.

#include <zlib.h>

#include <cstdint>
#include <string>

namespace hapmat::test {

/** Deflates `text` (windowBits as zlib's: 15 + 16 gzip, -15 raw; level 0
 * stores it uncompressed). */
std::string deflateWith(const std::string& text, int windowBits,
                        gz_header* header = nullptr, int level = 6);

/** One gzip member, as `gzip` writes it. */
std::string gzipMember(const std::string& text);

/** One gzip member that stores `text` uncompressed: each byte of the text
 * is a byte of the member, to damage one. */
std::string storedGzipMember(const std::string& text);

void appendLe(std::string& out, std::uint32_t value, int bytes);
std::uint32_t crcOf(const std::string& text);

/** One BGZF block: a gzip member whose extra field is `extraBefore`
 * followed by the BC subfield (so `extraBefore` tests the subfield walk). */
std::string bgzfBlock(const std::string& text,
                      const std::string& extraBefore = "");

/** The empty block bgzip ends every file with. */
extern const std::string kBgzfEof;

/** `text` in BGZF blocks of at most `blockSize` inflated bytes, then the
 * end-of-file block. */
std::string bgzf(const std::string& text, std::size_t blockSize = 65280);

}  // namespace hapmat::test
