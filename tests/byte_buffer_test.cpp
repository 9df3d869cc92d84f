#include "io/byte_buffer.hpp"

#include <gtest/gtest.h>

#include <string>

namespace hapmat {
namespace {

TEST(ByteBuffer, KeepsWhatWasWrittenAcrossGrowth) {
  ByteBuffer buffer;
  std::string expected;
  for (int i = 0; i < 1000; ++i) {
    const std::string piece = std::to_string(i) + ' ';
    if (i % 3 == 0) {
      buffer.append(piece);
    } else {
      char* room = buffer.room(piece.size() + 64);  // more than is written
      piece.copy(room, piece.size());
      buffer.added(piece.size());
    }
    expected += piece;
  }
  buffer.push_back('\n');
  expected.push_back('\n');
  EXPECT_EQ(buffer.view(), expected);
  EXPECT_EQ(buffer.size(), expected.size());
}

TEST(ByteBuffer, AppendsNothingToAnEmptyBuffer) {
  ByteBuffer buffer;
  buffer.append({});
  EXPECT_TRUE(buffer.empty());
  EXPECT_EQ(buffer.view(), "");
  // A sink may memcpy it: its pointer is not null, as a std::string's.
  EXPECT_NE(buffer.view().data(), nullptr);
}

TEST(ByteBuffer, RoomStaysWhereItWasUntilItMustGrow) {
  ByteBuffer buffer;
  char* first = buffer.room(100);
  buffer.added(40);
  EXPECT_EQ(buffer.room(60), first + 40);
  buffer.clear();
  EXPECT_TRUE(buffer.empty());
  EXPECT_EQ(buffer.room(100), first);  // the capacity is kept
}

TEST(ByteBuffer, ReserveKeepsTheBytesAndTheRoomAfterThem) {
  ByteBuffer buffer;
  buffer.append("abc");
  buffer.reserve(1000);
  EXPECT_EQ(buffer.view(), "abc");
  char* room = buffer.room(997);
  buffer.reserve(500);  // less than there is: nothing moves
  EXPECT_EQ(buffer.room(997), room);
}

TEST(ByteBuffer, MovesItsBytes) {
  ByteBuffer buffer;
  buffer.append("abc");
  ByteBuffer moved(std::move(buffer));
  EXPECT_EQ(moved.view(), "abc");
  EXPECT_TRUE(buffer.empty());  // NOLINT(bugprone-use-after-move): defined
  buffer = std::move(moved);
  EXPECT_EQ(buffer.view(), "abc");
}

TEST(ByteBuffer, TruncatesToItsFirstBytesKeepingItsCapacity) {
  ByteBuffer buffer;
  buffer.append("line one\nline two\n");
  const std::size_t capacity = buffer.capacity();
  EXPECT_GE(capacity, buffer.size());
  buffer.truncate(9);
  EXPECT_EQ(buffer.view(), "line one\n");
  EXPECT_EQ(buffer.capacity(), capacity);
  buffer.truncate(100);  // more than it holds: nothing changes
  EXPECT_EQ(buffer.view(), "line one\n");
  buffer.append("three\n");
  EXPECT_EQ(buffer.view(), "line one\nthree\n");
}

}  // namespace
}  // namespace hapmat
