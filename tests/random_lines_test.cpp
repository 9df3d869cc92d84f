// The lines of a plain file read from any offset: lines longer than the
// first windows (which start small and double) come whole, each once.

#include "io/random_lines.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "test_util.hpp"

namespace hapmat {
namespace {

struct Seen {
  std::uint64_t position;
  std::size_t headSize;
  char first;
};

std::vector<Seen> visitAll(RandomLines& lines, std::uint64_t offset) {
  std::vector<Seen> seen;
  lines.visit(offset, [&](std::uint64_t position, std::string_view head) {
    seen.push_back({position, head.size(), head.empty() ? '\0' : head[0]});
    return true;
  });
  return seen;
}

TEST(RandomLines, LongLinesAcrossGrowingWindows) {
  // 10 bytes, 40 KiB, 300 KiB, 3 bytes, without a last newline.
  const std::string text = "a23456789\n" + std::string(40 << 10, 'b') + "\n" +
                           std::string(300 << 10, 'c') + "\ndd";
  test::TempDir dir;
  test::writeFile(dir.file("m.txt"), text);
  std::unique_ptr<RandomLines> lines = RandomLines::open(dir.file("m.txt"));
  ASSERT_NE(lines, nullptr);
  const std::uint64_t second = 10, third = second + (40 << 10) + 1,
                      fourth = third + (300 << 10) + 1;
  const std::size_t head = RandomLines::kHeadBytes;
  std::vector<Seen> all = visitAll(*lines, 0);
  ASSERT_EQ(all.size(), 4u);
  EXPECT_EQ(all[0].position, 0u);
  EXPECT_EQ(all[0].headSize, 9u);
  EXPECT_EQ(all[1].position, second);
  EXPECT_EQ(all[1].headSize, head);
  EXPECT_EQ(all[1].first, 'b');
  EXPECT_EQ(all[2].position, third);
  EXPECT_EQ(all[2].first, 'c');
  EXPECT_EQ(all[3].position, fourth);
  EXPECT_EQ(all[3].headSize, 2u);
  // From inside the second line: the lines that start after it.
  std::vector<Seen> later = visitAll(*lines, second + 1);
  ASSERT_EQ(later.size(), 2u);
  EXPECT_EQ(later[0].position, third);
  EXPECT_EQ(later[1].position, fourth);
  // At a line's first byte: that line.
  EXPECT_EQ(visitAll(*lines, third).front().position, third);
  // One line, then stop: about the first window is read.
  const std::uint64_t before = lines->bytesRead();
  lines->visit(fourth - 1,
               [](std::uint64_t, std::string_view) { return false; });
  EXPECT_LE(lines->bytesRead() - before, 16u << 10);
}

}  // namespace
}  // namespace hapmat
