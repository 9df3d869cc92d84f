#include "io/block_reader.hpp"

#include <gtest/gtest.h>

#include <cstring>

#include "io/input_source.hpp"
#include "test_util.hpp"

namespace hapmat {
namespace {

// Reads a whole file through a BlockReader and returns its blocks.
std::vector<std::string> blocksOf(const std::string& bytes,
                                  std::size_t blockSize,
                                  std::size_t maxLine = 1 << 20) {
  test::TempDir dir;
  test::writeFile(dir.file("in"), bytes);
  auto input = InputSource::open(dir.file("in"));
  BlockReader reader(*input, blockSize, maxLine);
  std::vector<std::string> blocks;
  std::vector<char> buffer;
  for (std::string_view block = reader.next(buffer); !block.empty();
       block = reader.next(buffer)) {
    blocks.emplace_back(block);
  }
  EXPECT_EQ(reader.bytesRead(), bytes.size());
  return blocks;
}

// Gives `text`, then fails like a compressed stream that breaks off.
class BreakingStream : public ByteStream {
 public:
  explicit BreakingStream(std::string text) : text_(std::move(text)) {}
  std::size_t read(char* buffer, std::size_t size) override {
    if (text_.empty()) throw CorruptStream("truncated gzip stream", 99);
    std::size_t n = std::min(size, text_.size());
    std::memcpy(buffer, text_.data(), n);
    text_.erase(0, n);
    return n;
  }

 private:
  std::string text_;
};

TEST(BlockReader, ABrokenStreamEndsAfterItsWholeLines) {
  for (std::size_t blockSize : {4, 8, 64}) {
    BreakingStream input("aaa\nbb\ncccc\nd");
    BlockReader reader(input, blockSize, 1 << 20);
    std::vector<char> buffer;
    std::string whole;
    try {
      for (;;) whole.append(reader.next(buffer));
      ADD_FAILURE() << "no error";
    } catch (const InputEndedEarly& e) {
      EXPECT_EQ(e.partialLineBytes(), 1u);
      EXPECT_STREQ(e.what(), "truncated gzip stream (compressed byte 99)");
    }
    EXPECT_EQ(whole, "aaa\nbb\ncccc\n") << blockSize;
  }
}

TEST(BlockReader, BlocksEndAtLineEndsAndCarryThePartialLine) {
  EXPECT_EQ(blocksOf("aaa\nbb\ncccc\nd\n", 8),
            (std::vector<std::string>{"aaa\nbb\n", "cccc\nd\n"}));
}

TEST(BlockReader, TheLastLineMayLackItsNewline) {
  EXPECT_EQ(blocksOf("aaa\nbb\ncc", 8),
            (std::vector<std::string>{"aaa\nbb\n", "cc"}));
}

// The buffer doubles to 64 bytes to hold the long line, and then also has
// room for the line after it.
TEST(BlockReader, ALineLongerThanTheBlockGrowsTheBuffer) {
  std::string longLine(50, 'x');
  EXPECT_EQ(blocksOf("ab\n" + longLine + "\ncd\n", 8),
            (std::vector<std::string>{"ab\n", longLine + "\ncd\n"}));
}

TEST(BlockReader, ALineBeyondTheLimitIsAnError) {
  EXPECT_THROW(blocksOf(std::string(100, 'x') + "\n", 8, 64), LineTooLong);
  EXPECT_THROW(blocksOf(std::string(65, 'x') + "\n", 8, 64), LineTooLong);
  EXPECT_THROW(blocksOf(std::string(65, 'x'), 8, 64), LineTooLong);
}

// The limit counts a line's bytes without its '\n'.
TEST(BlockReader, ALineOfTheLimitIsWhole) {
  for (const std::string& text :
       {std::string(64, 'x') + "\n", std::string(64, 'x'),
        "a\n" + std::string(64, 'x') + "\nb\n"}) {
    std::string joined;
    for (const std::string& block : blocksOf(text, 8, 64)) joined += block;
    EXPECT_EQ(joined, text);
  }
}

TEST(BlockReader, EveryBlockSizeReassemblesTheInput) {
  std::string text;
  for (int i = 0; i < 500; ++i) {
    text += std::string(static_cast<std::size_t>(i % 37),
                        static_cast<char>('a' + i % 26)) +
            "\n";
  }
  for (std::size_t blockSize : {1, 2, 7, 64, 1000, 100000}) {
    std::string joined;
    for (const std::string& block : blocksOf(text, blockSize)) {
      ASSERT_EQ(block.back(), '\n');
      joined += block;
    }
    EXPECT_EQ(joined, text) << blockSize;
  }
}

TEST(BlockReader, EmptyInputHasNoBlocks) {
  EXPECT_TRUE(blocksOf("", 8).empty());
}

}  // namespace
}  // namespace hapmat
