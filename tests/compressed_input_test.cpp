#include "io/compressed_input.hpp"

#include <gtest/gtest.h>
#include <zlib.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "compression_util.hpp"
#include "test_util.hpp"

namespace hapmat {
namespace {

using test::appendLe;
using test::bgzf;
using test::bgzfBlock;
using test::crcOf;
using test::deflateWith;
using test::gzipMember;
using test::kBgzfEof;

// An in-memory source that hands out at most `piece` bytes per read, so
// that headers, deflate data and trailers are split at every place.
class PieceStream final : public ByteStream {
 public:
  PieceStream(std::string data, std::size_t piece)
      : data_(std::move(data)), piece_(piece) {}

  std::size_t read(char* buffer, std::size_t size) override {
    std::size_t n = std::min({size, piece_, data_.size() - at_});
    std::copy_n(data_.data() + at_, n, buffer);
    at_ += n;
    return n;
  }

 private:
  std::string data_;
  std::size_t piece_;
  std::size_t at_ = 0;
};

constexpr std::size_t kPieces[] = {1, 7, 4096};

// Deterministic text that compresses like a matrix: repeated fields with
// some noise, ~`bytes` long.
std::string matrixText(std::size_t bytes, std::uint32_t seed = 1) {
  std::string text;
  std::uint32_t state = seed;
  for (std::uint64_t pos = 1; text.size() < bytes; ++pos) {
    text += "2 " + std::to_string(pos);
    for (int column = 0; column < 32; ++column) {
      state = state * 1664525u + 1013904223u;
      text += ' ';
      text += (state >> 28) < 13 ? 'A' : "ACGTN-"[(state >> 8) % 6];
    }
    text += '\n';
  }
  text.resize(bytes);
  return text;
}

// A member with every optional header field: extra, name, comment, CRC.
std::string gzipMemberWithFields(const std::string& text) {
  std::string name(300, 'n'), comment = "a comment";
  std::string extra("AB\x03\0xyz", 7);
  gz_header header{};
  header.extra = reinterpret_cast<Bytef*>(extra.data());
  header.extra_len = static_cast<uInt>(extra.size());
  header.name = reinterpret_cast<Bytef*>(name.data());
  header.comment = reinterpret_cast<Bytef*>(comment.data());
  header.hcrc = 1;
  return deflateWith(text, 15 + 16, &header);
}

// Reads a stream to its end, asking for `chunk` bytes at a time.
std::string readAll(ByteStream& in, std::size_t chunk = 65536) {
  std::string out;
  std::vector<char> buffer(chunk);
  while (std::size_t n = in.read(buffer.data(), buffer.size())) {
    EXPECT_LE(n, chunk);
    out.append(buffer.data(), n);
  }
  EXPECT_EQ(in.read(buffer.data(), buffer.size()), 0u);  // and stays ended
  return out;
}

std::string gunzip(const std::string& data, std::size_t piece = 4096,
                   std::size_t chunk = 65536) {
  PieceStream raw(data, piece);
  GzipStream gz(raw);
  std::string out = readAll(gz, chunk);
  EXPECT_EQ(gz.compressedBytesRead(), data.size());
  return out;
}

// Reads `data` a few blocks at a time (about `chunk` bytes of text) and
// inflates them, as a BGZF line source does.
std::string unbgzf(const std::string& data, std::size_t piece = 4096,
                   std::size_t chunk = 65536) {
  PieceStream raw(data, piece);
  BgzfBlockReader blocks(raw);
  BgzfInflater inflater;
  std::string out;
  std::vector<char> compressed;
  std::vector<BgzfBlock> list;
  std::vector<char> text;
  for (std::uint64_t at = 0;; at = blocks.compressedBytesRead()) {
    compressed.clear();
    list.clear();
    if (!blocks.readBlocks(chunk, compressed, list)) break;
    inflater.inflate(compressed, list, at, text);
    out.append(text.data(), text.size());
  }
  EXPECT_EQ(blocks.compressedBytesRead(), data.size());
  return out;
}

using Decoder = std::function<std::string(const std::string&, std::size_t)>;

std::string gunzipPieces(const std::string& data, std::size_t piece) {
  return gunzip(data, piece);
}
std::string unbgzfPieces(const std::string& data, std::size_t piece) {
  return unbgzf(data, piece);
}

// The CorruptStream that decoding `data` throws (its reason and offset).
struct Failure {
  std::string reason;
  std::uint64_t offset = 0;
};
Failure failureOf(const Decoder& decode, const std::string& data,
                  std::size_t piece) {
  try {
    std::string out = decode(data, piece);
    ADD_FAILURE() << "no error; decoded " << out.size() << " bytes";
  } catch (const CorruptStream& e) {
    return {e.what(), e.offset()};
  }
  return {};
}

// --- detectCompression -------------------------------------------------

TEST(DetectCompression, PlainTextAndShortInputsAreNotCompressed) {
  EXPECT_EQ(detectCompression("CHROM POS REF a b\n"), Compression::kNone);
  EXPECT_EQ(detectCompression(""), Compression::kNone);
  EXPECT_EQ(detectCompression("\x1f"), Compression::kNone);
  EXPECT_EQ(detectCompression("\x1f\x8b"), Compression::kNone);
  EXPECT_EQ(detectCompression(std::string_view("\x1f\x8b\x07\0", 4)),
            Compression::kNone);  // not deflate
  EXPECT_EQ(detectCompression("2 1 A"), Compression::kNone);
}

TEST(DetectCompression, GzipAndBgzf) {
  std::string gz = gzipMember("2 1 A A\n");
  EXPECT_EQ(detectCompression(gz), Compression::kGzip);
  EXPECT_EQ(detectCompression(gz.substr(0, 3)), Compression::kGzip);
  std::string bz = bgzf("2 1 A A\n");
  EXPECT_EQ(detectCompression(bz), Compression::kBgzf);
  EXPECT_EQ(detectCompression(bz.substr(0, kCompressionMagicBytes)),
            Compression::kBgzf);
  EXPECT_EQ(detectCompression(kBgzfEof), Compression::kBgzf);
  // Cut before the whole BC subfield is seen: plain gzip (which also reads
  // BGZF, serially).
  EXPECT_EQ(detectCompression(bz.substr(0, 15)), Compression::kGzip);
}

TEST(DetectCompression, GzipWithOtherExtraSubfieldsIsNotBgzf) {
  std::string text = "2 1 A A\n";
  // An extra field holding one subfield "AB" of 2 bytes.
  std::string extra("AB\x02\0xy", 6);
  gz_header header{};
  header.extra = reinterpret_cast<Bytef*>(extra.data());
  header.extra_len = static_cast<uInt>(extra.size());
  std::string gz = deflateWith(text, 15 + 16, &header);
  EXPECT_EQ(gz[3] & 4, 4);
  EXPECT_EQ(detectCompression(gz), Compression::kGzip);
  EXPECT_EQ(gunzip(gz, 1), text);

  // "BC" with the wrong length is not BGZF's subfield.
  extra = std::string("BC\x01\0x\0", 6);
  header.extra_len = 5;
  EXPECT_EQ(detectCompression(deflateWith(text, 15 + 16, &header)),
            Compression::kGzip);

  // BC bytes right after the extra field (XLEN = 4) are not in it.
  extra = std::string("XY\0\0", 4);
  header.extra = reinterpret_cast<Bytef*>(extra.data());
  header.extra_len = 4;
  std::string cut = deflateWith(text, 15 + 16, &header).substr(0, 16) +
                    std::string("BC\x02\0", 4);
  EXPECT_EQ(detectCompression(cut), Compression::kGzip);

  // XLEN = 0.
  header.extra_len = 0;
  EXPECT_EQ(detectCompression(deflateWith(text, 15 + 16, &header)),
            Compression::kGzip);
}

// --- GzipStream ----------------------------------------------------------

TEST(GzipStream, OneMemberInAnyPiecesAndChunks) {
  const std::string text = matrixText(200'000);
  const std::string gz = gzipMember(text);
  for (std::size_t piece : kPieces) {
    for (std::size_t chunk :
         {std::size_t{1}, std::size_t{1000}, std::size_t{1} << 20}) {
      if (piece == 1 && chunk == 1) continue;  // slow, and nothing new
      EXPECT_EQ(gunzip(gz, piece, chunk), text)
          << "piece " << piece << " chunk " << chunk;
    }
  }
  EXPECT_EQ(gunzip(gzipMember("x"), 1, 1), "x");
}

TEST(GzipStream, ConcatenatedAndEmptyMembers) {
  const std::string a = matrixText(5000, 1), b = matrixText(70'000, 2);
  const std::string gz =
      gzipMember(a) + gzipMember("") + gzipMember(b) + gzipMember("");
  for (std::size_t piece : kPieces) EXPECT_EQ(gunzip(gz, piece), a + b);
  EXPECT_EQ(gunzip(gzipMember("") + gzipMember("")), "");
}

// ISA-L 2.30 alone fails the header CRC of a header split across reads.
TEST(GzipStream, HeaderFieldsSplitAcrossReads) {
  const std::string text = matrixText(3000);
  const std::string gz = gzipMemberWithFields(text);
  ASSERT_EQ(gz[3], 0x1e);  // FHCRC FEXTRA FNAME FCOMMENT
  for (std::size_t piece : kPieces) {
    EXPECT_EQ(gunzip(gz + gz, piece), text + text) << piece;
  }
}

TEST(GzipStream, BadHeaders) {
  const std::string gz = gzipMemberWithFields("2 1 A\n");
  std::string badCrc = gz;
  const std::size_t hcrc = 10 + 2 + 7 + 301 + 10;  // after the comment
  badCrc[hcrc] = static_cast<char>(badCrc[hcrc] ^ 1);
  std::string method = gz;
  method[2] = 7;
  std::string reserved = gz;
  reserved[3] = static_cast<char>(reserved[3] | 0x20);
  const std::string lead = gzipMember("lead\n");
  for (std::size_t piece : kPieces) {
    Failure failure = failureOf(gunzipPieces, badCrc, piece);
    EXPECT_EQ(failure.reason, "gzip header CRC mismatch");
    EXPECT_EQ(failure.offset, 0u);
    failure = failureOf(gunzipPieces, lead + badCrc, piece);
    EXPECT_EQ(failure.reason, "gzip header CRC mismatch");
    EXPECT_EQ(failure.offset, lead.size());
    failure = failureOf(gunzipPieces, lead + method, piece);
    EXPECT_EQ(failure.reason, "unsupported gzip compression method");
    EXPECT_EQ(failure.offset, lead.size());
    failure = failureOf(gunzipPieces, reserved, piece);
    EXPECT_EQ(failure.reason, "bad gzip header");
  }
}

TEST(GzipStream, ReadsBgzf) {
  const std::string text = matrixText(150'000);
  for (std::size_t piece : kPieces) {
    EXPECT_EQ(gunzip(bgzf(text, 10'000), piece), text);
  }
  EXPECT_EQ(gunzip(kBgzfEof, 1), "");
}

// Every prefix that does not end at a member boundary must fail; one that
// does is a whole, shorter stream.
TEST(GzipStream, TruncatedAtEveryOffset) {
  const std::string a = "2 1 A A C\n2 2 A A A\n", b = matrixText(300);
  const std::string first = gzipMember(a);
  // The second member has every header field, to cut each of them.
  const std::string gz = first + gzipMemberWithFields(b);
  for (std::size_t piece : {std::size_t{1}, std::size_t{4096}}) {
    for (std::size_t cut = 1; cut < gz.size(); ++cut) {
      const std::string prefix = gz.substr(0, cut);
      if (cut == first.size()) {
        EXPECT_EQ(gunzip(prefix, piece), a);
        continue;
      }
      Failure failure = failureOf(gunzipPieces, prefix, piece);
      EXPECT_EQ(failure.reason, "truncated gzip stream") << cut;
      EXPECT_EQ(failure.offset, cut);
    }
  }
}

TEST(GzipStream, AnyCorruptByteAfterTheHeaderFails) {
  const std::string text = matrixText(400);
  const std::string gz = gzipMember(text);
  for (std::size_t at = 10; at < gz.size(); ++at) {
    std::string bad = gz;
    bad[at] = static_cast<char>(bad[at] ^ 0x55);
    for (std::size_t piece : {std::size_t{1}, std::size_t{4096}}) {
      try {
        std::string out = gunzip(bad, piece);
        ADD_FAILURE() << "byte " << at << ": no error";
      } catch (const CorruptStream& e) {
        EXPECT_LE(e.offset(), gz.size());
      }
    }
  }
}

TEST(GzipStream, CorruptDeflateData) {
  // BFINAL=1 with the reserved block type 3.
  std::string gz = gzipMember("hello\n");
  gz = gz.substr(0, 10) + '\x07' + gz.substr(11);
  for (std::size_t piece : kPieces) {
    Failure failure = failureOf(gunzipPieces, gz, piece);
    EXPECT_EQ(failure.reason, "corrupt deflate data");
    EXPECT_LE(failure.offset, gz.size());
  }
}

TEST(GzipStream, BadCrcAndBadIsize) {
  const std::string a = matrixText(1000, 3);
  const std::string member = gzipMember(a);
  const std::size_t end = member.size();
  std::string badCrc = member;
  badCrc[end - 8] = static_cast<char>(badCrc[end - 8] ^ 1);
  std::string badSize = member;
  badSize[end - 3] = static_cast<char>(badSize[end - 3] ^ 1);
  const std::string lead = gzipMember(matrixText(20'000, 4));
  for (std::size_t piece : kPieces) {
    Failure crc = failureOf(gunzipPieces, badCrc, piece);
    EXPECT_EQ(crc.reason, "gzip CRC-32 mismatch") << piece;
    EXPECT_EQ(crc.offset, end - 8);
    Failure size = failureOf(gunzipPieces, badSize, piece);
    EXPECT_EQ(size.reason, "gzip ISIZE (length) mismatch") << piece;
    EXPECT_EQ(size.offset, end - 4);
    // The same in a second member.
    crc = failureOf(gunzipPieces, lead + badCrc, piece);
    EXPECT_EQ(crc.reason, "gzip CRC-32 mismatch") << piece;
    EXPECT_EQ(crc.offset, lead.size() + end - 8);
  }
}

// Decision: a stream must end exactly where a member ends. Zeros after the
// last member (which gzip only warns about) are an error too.
TEST(GzipStream, TrailingBytesAreAnError) {
  const std::string gz = gzipMember("2 1 A\n");
  for (std::size_t piece : kPieces) {
    Failure garbage = failureOf(gunzipPieces, gz + "xyz", piece);
    EXPECT_EQ(garbage.reason, "trailing garbage after the last gzip member");
    EXPECT_EQ(garbage.offset, gz.size());
    Failure zeros = failureOf(gunzipPieces, gz + std::string(512, '\0'), piece);
    EXPECT_EQ(zeros.reason, "trailing zero bytes after the last gzip member");
    EXPECT_EQ(zeros.offset, gz.size());
    Failure notMember =
        failureOf(gunzipPieces, gz + "\x1fxyzxyzxyzxyzxyz", piece);
    EXPECT_EQ(notMember.reason, "trailing garbage after the last gzip member");
    Failure magicOnly = failureOf(gunzipPieces, gz + "\x1f\x8b", piece);
    EXPECT_EQ(magicOnly.reason, "truncated gzip stream");
  }
}

TEST(GzipStream, NotGzipAtAll) {
  Failure failure =
      failureOf(gunzipPieces, "plain text, long enough to be a header", 4096);
  EXPECT_EQ(failure.reason, "bad gzip header");
  EXPECT_EQ(failure.offset, 0u);
}

// --- BGZF ----------------------------------------------------------------

TEST(Bgzf, TheEofBlockIsAnEmptyBlock) { EXPECT_EQ(bgzfBlock(""), kBgzfEof); }

TEST(Bgzf, ReadsBlocksInAnyPiecesAndChunks) {
  const std::string text = matrixText(300'000);
  const std::string bz = bgzf(text);
  for (std::size_t piece : kPieces) {
    for (std::size_t chunk : {std::size_t{7}, std::size_t{1} << 20}) {
      EXPECT_EQ(unbgzf(bz, piece, chunk), text)
          << "piece " << piece << " chunk " << chunk;
    }
  }
  // Empty blocks anywhere, and no EOF block.
  const std::string a = matrixText(100), b = matrixText(200, 5);
  EXPECT_EQ(unbgzf(kBgzfEof + bgzfBlock(a) + kBgzfEof + kBgzfEof +
                       bgzfBlock(b) + kBgzfEof,
                   1),
            a + b);
  EXPECT_EQ(unbgzf(bgzfBlock(a)), a);
  EXPECT_EQ(unbgzf(kBgzfEof), "");
}

TEST(Bgzf, ExtraSubfieldsBeforeBc) {
  const std::string text = matrixText(1000);
  const std::string block = bgzfBlock(text, std::string("XY\x03\0abc", 7));
  for (std::size_t piece : kPieces) {
    EXPECT_EQ(unbgzf(block + kBgzfEof, piece), text);
    EXPECT_EQ(gunzip(block + kBgzfEof, piece), text);
  }
}

TEST(BgzfBlockReader, ReadsUntilTheInflatedThreshold) {
  const std::string b10(10, 'a'), b20(20, 'b'), b30(30, 'c');
  const std::vector<std::string> encoded = {
      bgzfBlock(b10), bgzfBlock(b20), bgzfBlock(""), bgzfBlock(b30), kBgzfEof};
  std::string all;
  for (const std::string& block : encoded) all += block;
  for (std::size_t piece : kPieces) {
    PieceStream in(all, piece);
    BgzfBlockReader reader(in);
    std::vector<char> raw = {'x', 'y'};  // appended to, not replaced
    std::vector<BgzfBlock> blocks;
    ASSERT_TRUE(reader.readBlocks(25, raw, blocks));
    ASSERT_EQ(blocks.size(), 2u);
    EXPECT_EQ(blocks[0].offset, 2u);
    EXPECT_EQ(blocks[0].size, encoded[0].size());
    EXPECT_EQ(blocks[0].inflatedSize, 10u);
    EXPECT_EQ(blocks[1].offset, 2 + encoded[0].size());
    EXPECT_EQ(blocks[1].size, encoded[1].size());
    EXPECT_EQ(blocks[1].inflatedSize, 20u);
    EXPECT_EQ(std::string(raw.begin(), raw.end()),
              "xy" + encoded[0] + encoded[1]);
    EXPECT_EQ(reader.compressedBytesRead(),
              encoded[0].size() + encoded[1].size());

    // 1 byte: the empty block does not reach it, the next one does.
    raw.clear();
    blocks.clear();
    ASSERT_TRUE(reader.readBlocks(1, raw, blocks));
    ASSERT_EQ(blocks.size(), 2u);
    EXPECT_EQ(blocks[0].inflatedSize, 0u);
    EXPECT_EQ(blocks[1].inflatedSize, 30u);
    EXPECT_EQ(blocks[1].offset, encoded[2].size());

    // 0 bytes: exactly one block. A large threshold stops at the end.
    raw.clear();
    blocks.clear();
    ASSERT_TRUE(reader.readBlocks(0, raw, blocks));
    ASSERT_EQ(blocks.size(), 1u);
    EXPECT_EQ(std::string(raw.begin(), raw.end()), kBgzfEof);
    EXPECT_FALSE(reader.readBlocks(1 << 20, raw, blocks));
    EXPECT_EQ(blocks.size(), 1u);  // nothing appended
    EXPECT_EQ(raw.size(), kBgzfEof.size());
    EXPECT_EQ(reader.compressedBytesRead(), all.size());
  }
  // A large threshold takes everything there is.
  PieceStream in(all, 4096);
  BgzfBlockReader reader(in);
  std::vector<char> raw;
  std::vector<BgzfBlock> blocks;
  ASSERT_TRUE(reader.readBlocks(1 << 20, raw, blocks));
  EXPECT_EQ(blocks.size(), encoded.size());
  EXPECT_EQ(raw.size(), all.size());
}

TEST(BgzfBlockReader, RejectsAMemberThatIsNotBgzf) {
  const std::string first = bgzfBlock("abc");
  for (std::size_t piece : kPieces) {
    Failure failure =
        failureOf(unbgzfPieces, first + gzipMember("def") + kBgzfEof, piece);
    EXPECT_EQ(failure.reason, "gzip member without the BGZF 'BC' field");
    EXPECT_EQ(failure.offset, first.size());
    failure = failureOf(unbgzfPieces, first + "garbage, not a block", piece);
    EXPECT_EQ(failure.reason, "trailing garbage after the last BGZF block");
    EXPECT_EQ(failure.offset, first.size());
    failure = failureOf(unbgzfPieces, first + std::string(64, '\0'), piece);
    EXPECT_EQ(failure.reason, "trailing zero bytes after the last BGZF block");
  }
}

TEST(Bgzf, TruncatedAtEveryOffset) {
  const std::string a = matrixText(100, 7), b = matrixText(300, 8);
  const std::string bz = bgzfBlock(a) + bgzfBlock(b) + kBgzfEof;
  const std::size_t ends[] = {bgzfBlock(a).size(),
                              bgzfBlock(a).size() + bgzfBlock(b).size()};
  for (std::size_t piece : {std::size_t{1}, std::size_t{4096}}) {
    for (std::size_t cut = 1; cut < bz.size(); ++cut) {
      const std::string prefix = bz.substr(0, cut);
      if (cut == ends[0] || cut == ends[1]) {
        EXPECT_EQ(unbgzf(prefix, piece), cut == ends[0] ? a : a + b);
        EXPECT_EQ(gunzip(prefix, piece), cut == ends[0] ? a : a + b);
        continue;
      }
      Failure failure = failureOf(unbgzfPieces, prefix, piece);
      EXPECT_EQ(failure.reason, "truncated BGZF block") << cut;
      EXPECT_EQ(failure.offset, cut);
      failure = failureOf(gunzipPieces, prefix, piece);
      EXPECT_EQ(failure.reason, "truncated gzip stream") << cut;
    }
  }
}

// `cat x.bgz y.gz`: asked to, the reader stops before the plain member and
// keeps the bytes of it read already, for a gzip stream to go on with.
TEST(BgzfBlockReader, StopsBeforeAPlainMemberWhenAsked) {
  const std::string first = bgzfBlock("abc\n"), plain = gzipMember("def\n");
  for (std::size_t piece : kPieces) {
    PieceStream in(first + plain + kBgzfEof, piece);
    BgzfBlockReader reader(in);
    reader.stopAtPlainMembers();
    std::vector<char> raw;
    std::vector<BgzfBlock> blocks;
    ASSERT_TRUE(reader.readBlocks(1 << 20, raw, blocks));
    EXPECT_EQ(std::string(raw.begin(), raw.end()), first);
    ASSERT_TRUE(reader.plainMember().has_value());
    EXPECT_EQ(reader.plainMember()->offset, first.size());
    EXPECT_EQ(reader.plainMember()->head, plain.substr(0, 12));
    EXPECT_FALSE(reader.readBlocks(1 << 20, raw, blocks));
    EXPECT_FALSE(reader.endedWithoutEofBlock());
  }
}

// A part's file must end with BGZF blocks: not so with plain gzip members
// after them; an end-of-file block is not needed.
TEST(Bgzf, EndsWithBgzfBlocks) {
  // Over 64 KiB compressed: the blocks are followed from the last 64 KiB.
  const std::string blocks = bgzf(matrixText(600000, 3), 4000);
  const std::string plain = gzipMember("x y z\n");
  const std::string bigPlain = gzipMember(matrixText(600000, 5));
  ASSERT_GT(blocks.size(), std::size_t{70000});
  ASSERT_GT(bigPlain.size(), std::size_t{70000});
  const std::pair<std::string, bool> cases[] = {
      {blocks, true},
      {blocks + bigPlain, false},
      {blocks.substr(0, blocks.size() - kBgzfEof.size()), true},
      {blocks.substr(0, blocks.size() - kBgzfEof.size() - 10), true},
      {blocks + plain, false},
      {blocks + plain + blocks, true},
      {bgzfBlock("a\n") + plain, false},
      {plain, false},
      {"", false},
  };
  test::TempDir dir;
  for (const auto& [bytes, bgzfEnd] : cases) {
    test::writeFile(dir.file("in"), bytes);
    FILE* file = std::fopen(dir.file("in").c_str(), "rb");
    ASSERT_NE(file, nullptr);
    EXPECT_EQ(endsWithBgzfBlocks(fileno(file), bytes.size(), "in"), bgzfEnd)
        << bytes.size();
    std::fclose(file);
  }
}

TEST(BgzfInflater, InflatesBlocksAndChecksThem) {
  const std::string a = matrixText(5000, 1), b = matrixText(9000, 2);
  const std::string all = bgzfBlock(a) + kBgzfEof + bgzfBlock(b);
  PieceStream in(all, 4096);
  BgzfBlockReader reader(in);
  std::vector<char> raw;
  std::vector<BgzfBlock> blocks;
  ASSERT_TRUE(reader.readBlocks(1 << 20, raw, blocks));
  ASSERT_EQ(blocks.size(), 3u);
  BgzfInflater inflater;
  std::vector<char> out(3, 'z');  // replaced
  inflater.inflate(raw, blocks, 0, out);
  EXPECT_EQ(std::string(out.begin(), out.end()), a + b);
  inflater.inflate(std::span<const char>(raw).first(0), {}, 0, out);
  EXPECT_TRUE(out.empty());

  // Errors name the bad block's offset in the stream.
  const std::size_t third = blocks[2].offset;
  const std::size_t end = third + blocks[2].size;
  std::vector<char> bad = raw;
  bad[end - 8] = static_cast<char>(bad[end - 8] ^ 1);
  try {
    inflater.inflate(bad, blocks, 1000, out);
    ADD_FAILURE() << "no error";
  } catch (const CorruptStream& e) {
    EXPECT_STREQ(e.what(), "BGZF block CRC-32 mismatch");
    EXPECT_EQ(e.offset(), 1000 + third);
  }
  for (std::uint32_t size : {blocks[2].inflatedSize - 1, 0u}) {
    std::vector<BgzfBlock> wrong(blocks.begin(), blocks.end());
    wrong[2].inflatedSize = size;
    try {
      inflater.inflate(raw, wrong, 0, out);
      ADD_FAILURE() << "no error";
    } catch (const CorruptStream& e) {
      EXPECT_STREQ(e.what(), "BGZF block ISIZE (length) mismatch");
      EXPECT_EQ(e.offset(), third);
    }
  }
  bad = raw;
  bad[third + 18] = '\x07';  // reserved deflate block type
  try {
    inflater.inflate(bad, blocks, 0, out);
    ADD_FAILURE() << "no error";
  } catch (const CorruptStream& e) {
    EXPECT_STREQ(e.what(), "corrupt deflate data in BGZF block");
    EXPECT_EQ(e.offset(), third);
  }
}

TEST(Bgzf, AnyCorruptByteAfterTheHeaderFails) {
  const std::string block = bgzfBlock(matrixText(400));
  for (std::size_t at = 10; at < block.size(); ++at) {
    std::string bad = block + kBgzfEof;
    bad[at] = static_cast<char>(bad[at] ^ 0x55);
    EXPECT_THROW(unbgzf(bad, 7), CorruptStream) << "byte " << at;
    if (at >= 18) {
      EXPECT_THROW(gunzip(bad, 7), CorruptStream) << at;
    }
  }
}

TEST(Bgzf, BadIsizeInTheTrailer) {
  std::string bz = bgzfBlock("0123456789");
  bz[bz.size() - 4] = 9;
  Failure failure = failureOf(unbgzfPieces, bz, 4096);
  EXPECT_EQ(failure.reason, "BGZF block ISIZE (length) mismatch");
  EXPECT_EQ(failure.offset, 0u);
  bz[bz.size() - 2] = 2;  // 128 KiB: not a BGZF block
  failure = failureOf(unbgzfPieces, bz, 4096);
  EXPECT_EQ(failure.reason, "BGZF block inflates to more than 64 KiB");
}

TEST(Bgzf, SameBytesAsGzipStream) {
  const std::string text = matrixText(400'000, 9);
  std::string bz;
  std::uint32_t state = 5;
  for (std::size_t at = 0; at < text.size();) {
    state = state * 1664525u + 1013904223u;
    std::size_t n = (state >> 8) % 65536;
    bz += bgzfBlock(text.substr(at, n));
    at += n;
  }
  bz += kBgzfEof;
  ASSERT_EQ(detectCompression(bz), Compression::kBgzf);
  for (std::size_t piece : kPieces) {
    const std::string viaBgzf = unbgzf(bz, piece, 4000);
    EXPECT_EQ(viaBgzf, gunzip(bz, piece, 5000));
    EXPECT_EQ(viaBgzf, text);
  }
}

// What bgzip itself writes, when the tool is installed.
TEST(Bgzf, ReadsWhatBgzipWrites) {
  const char* bgzip = "/usr/bin/bgzip";
  if (!std::filesystem::exists(bgzip)) GTEST_SKIP() << "no " << bgzip;
  test::TempDir dir;
  const std::string text = matrixText(200'000, 11);
  test::writeFile(dir.file("m.txt"), text);
  const std::string command =
      std::string(bgzip) + " -f '" + dir.file("m.txt") + "'";
  ASSERT_EQ(std::system(command.c_str()), 0);
  const std::string bz = test::readFile(dir.file("m.txt.gz"));
  ASSERT_EQ(detectCompression(bz), Compression::kBgzf);
  EXPECT_EQ(unbgzf(bz, 7), text);
  EXPECT_EQ(gunzip(bz, 7), text);
}

}  // namespace
}  // namespace hapmat
