// The count kernel on every target against its scalar twin.

#include "kernels/count.h"

#include <gtest/gtest.h>

#include <random>

#include "kernels/test_support.h"

namespace hapmat::kernels::test {
namespace {

std::vector<std::uint32_t> countsWith(CountBytesFunction count,
                                      const std::uint8_t* text,
                                      std::size_t size, const Bytes& values) {
  std::vector<std::uint32_t> counts(values.size(), 0xDEAD);
  count(text, size, values.data(), values.size(), counts.data());
  return counts;
}

TEST(KernelCount, ScalarTwinExactCounts) {
  const Bytes text = bytesOf("\t0|1\t.|1\t2|1\t.|.");
  EXPECT_EQ(
      countsWith(countBytesScalar, text.data(), text.size(), bytesOf(".123")),
      (std::vector<std::uint32_t>{3, 3, 1, 0}));
  EXPECT_EQ(countsWith(countBytesScalar, text.data(), 0, bytesOf(".")),
            (std::vector<std::uint32_t>{0}));
  EXPECT_TRUE(
      countsWith(countBytesScalar, text.data(), text.size(), {}).empty());
}

// Text of genotype-like bytes, mostly one value, so that counts are large.
Bytes randomText(std::mt19937_64& rng, std::size_t size) {
  const Bytes alphabet = bytesOf("\t|.0123");
  Bytes text(size);
  const std::uint8_t common = alphabet[rng() % alphabet.size()];
  for (auto& byte : text) {
    byte = rng() % 4 == 0 ? alphabet[rng() % alphabet.size()] : common;
  }
  return text;
}

void expectSameCounts(const KernelSet& kernels, const std::uint8_t* text,
                      std::size_t size) {
  // Every k from 0 to kMaxCountedValues: the few-vector path has one
  // instantiation per k.
  for (const Bytes& values :
       {bytesOf(""), bytesOf("."), bytesOf(".1"), bytesOf(".12"),
        bytesOf(".123"), bytesOf(".1234"), bytesOf(".12345"),
        bytesOf("\t|.01234"), bytesOf("\t.012345")}) {
    ASSERT_EQ(countsWith(kernels.countBytes, text, size, values),
              countsWith(countBytesScalar, text, size, values))
        << "size " << size << " values " << values.size();
  }
}

TEST(KernelCount, MatchesScalarOnEveryTarget) {
  std::vector<std::size_t> sizes;
  for (std::size_t size = 0; size <= 300; ++size) sizes.push_back(size);
  // Past 255 vectors a byte lane's sum must be widened.
  for (std::size_t size : {4095, 4096, 8160, 16320, 16385, 70001}) {
    sizes.push_back(size);
  }
  forEachTarget([&](const KernelSet& kernels) {
    std::mt19937_64 rng(7);
    for (std::size_t size : sizes) {
      const Bytes text = randomText(rng, size);
      expectSameCounts(kernels, text.data(), size);
      const Bytes same(size, '.');
      expectSameCounts(kernels, same.data(), size);
      if (::testing::Test::HasFatalFailure()) return;
    }
  });
}

TEST(KernelCount, ReadsOnlyItsBytes) {
  checkAgainstGuardPages(8, randomText, expectSameCounts);
}

}  // namespace
}  // namespace hapmat::kernels::test
