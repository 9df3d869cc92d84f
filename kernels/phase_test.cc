// The first-index kernel on every target against its scalar twin.

#include "kernels/phase.h"

#include <gtest/gtest.h>

#include <random>

#include "kernels/pack.h"
#include "kernels/test_support.h"

namespace hapmat::kernels::test {
namespace {

TEST(KernelPhase, ScalarTwinExactIndexes) {
  const Bytes packed = {0x20, 0x54};  // A G N -
  EXPECT_EQ(firstIndexOfScalar(packed.data(), 4, 0), 0u);
  EXPECT_EQ(firstIndexOfScalar(packed.data(), 4, 2), 1u);
  EXPECT_EQ(firstIndexOfScalar(packed.data(), 4, 4), 2u);
  EXPECT_EQ(firstIndexOfScalar(packed.data(), 4, 5), 3u);
  EXPECT_EQ(firstIndexOfScalar(packed.data(), 4, 1), 4u);
  // An odd count: the high nibble of the last byte is no allele.
  const Bytes odd = {0x20, 0xF4};
  EXPECT_EQ(firstIndexOfScalar(odd.data(), 3, 15), 3u);
  EXPECT_EQ(firstIndexOfScalar(odd.data(), 0, 2), 0u);
  const Bytes all = {0x10, 0x32, 0x54, 0x76, 0x98, 0xBA, 0xDC, 0xFE};
  for (std::uint8_t code = 0; code < 16; ++code) {
    EXPECT_EQ(firstIndexOfScalar(all.data(), 16, code), code);
  }
}

void expectSamePhase(const KernelSet& kernels, const std::uint8_t* packed,
                     std::size_t count) {
  for (unsigned code = 0; code < 18; ++code) {
    const auto c = static_cast<std::uint8_t>(code);
    ASSERT_EQ(kernels.firstIndexOf(packed, count, c),
              firstIndexOfScalar(packed, count, c))
        << "count " << count << " code " << code;
  }
  ASSERT_EQ(kernels.firstIndexOf(packed, count, 0xFF), count);
}

// Packed rows with few distinct codes, a rare code at a random place, and
// (odd counts) any value in the unused last high nibble.
Bytes randomPacked(std::mt19937_64& rng, std::size_t count) {
  Bytes packed(packedBytes(count));
  const unsigned common = rng() % 16;
  const unsigned other = rng() % 16;
  for (auto& byte : packed) {
    const unsigned lo = rng() % 8 == 0 ? other : common;
    const unsigned hi = rng() % 8 == 0 ? other : common;
    byte = static_cast<std::uint8_t>(lo | hi << 4);
  }
  if (count != 0 && rng() % 2 == 0) {
    const std::size_t at = rng() % count;
    const unsigned rare = rng() % 16;
    std::uint8_t& byte = packed[at / 2];
    byte = static_cast<std::uint8_t>(at % 2 == 0 ? (byte & 0xF0) | rare
                                                 : (byte & 0x0F) | rare << 4);
  }
  if (count % 2 != 0) {
    packed.back() =
        static_cast<std::uint8_t>((packed.back() & 0x0F) | (rng() % 16) << 4);
  }
  return packed;
}

TEST(KernelPhase, MatchesScalarOnEveryTarget) {
  std::vector<std::size_t> counts;
  for (std::size_t count = 0; count <= 300; ++count) counts.push_back(count);
  for (std::size_t count : {511, 512, 513, 1000, 4097, 20001}) {
    counts.push_back(count);
  }
  forEachTarget([&](const KernelSet& kernels) {
    std::mt19937_64 rng(5);
    for (std::size_t count : counts) {
      for (int trial = 0; trial < 6; ++trial) {
        const Bytes packed = randomPacked(rng, count);
        expectSamePhase(kernels, packed.data(), count);
        if (::testing::Test::HasFatalFailure()) return;
      }
    }
  });
}

TEST(KernelPhase, ReadsOnlyItsBytes) {
  checkAgainstGuardPages(6, randomPacked, expectSamePhase);
}

}  // namespace
}  // namespace hapmat::kernels::test
