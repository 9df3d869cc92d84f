// The newline-mask kernel on every target against its scalar twin.

#include "kernels/scan.h"

#include <gtest/gtest.h>

#include <random>

#include "kernels/test_support.h"

namespace hapmat::kernels::test {
namespace {

TEST(KernelScan, ScalarTwinExactBits) {
  Bytes text(130, 'x');
  text[0] = '\n';
  text[63] = '\n';
  text[64] = '\n';
  text[129] = '\n';
  std::vector<std::uint64_t> masks(maskWords(text.size()), ~0ull);
  ASSERT_EQ(masks.size(), 3u);
  newlineMasksScalar(text.data(), text.size(), masks.data());
  EXPECT_EQ(masks[0], 1ull | 1ull << 63);
  EXPECT_EQ(masks[1], 1ull);
  EXPECT_EQ(masks[2], 2ull);
  EXPECT_EQ(maskWords(0), 0u);
  EXPECT_EQ(maskWords(64), 1u);
  EXPECT_EQ(maskWords(65), 2u);
}

Bytes randomText(std::mt19937_64& rng, std::size_t size, double newlines) {
  // Bytes near '\n' in value, with the high bit, and ordinary text.
  static constexpr std::uint8_t kOthers[] = {0x00, 0x09, 0x0B, 0x0D, 0x20,
                                             0x8A, 0xFF, 'A',  'N',  0x7F};
  std::bernoulli_distribution isNewline(newlines);
  std::uniform_int_distribution<int> pick(0, sizeof(kOthers) - 1);
  std::uniform_int_distribution<int> anyByte(0, 255);
  Bytes text(size);
  for (auto& byte : text) {
    if (isNewline(rng)) {
      byte = '\n';
    } else if (rng() % 4 == 0) {
      byte = static_cast<std::uint8_t>(anyByte(rng));
    } else {
      byte = kOthers[pick(rng)];
    }
  }
  return text;
}

TEST(KernelScan, MatchesScalarOnEveryTarget) {
  std::vector<std::size_t> sizes;
  for (std::size_t size = 0; size <= 300; ++size) sizes.push_back(size);
  for (std::size_t size :
       {511, 512, 513, 1000, 4095, 4096, 4097, 65549, 1 << 20}) {
    sizes.push_back(size);
  }
  forEachTarget([&](const KernelSet& kernels) {
    std::mt19937_64 rng(1234);
    for (std::size_t size : sizes) {
      for (double density : {0.0, 0.03, 0.5, 1.0}) {
        const Bytes text = randomText(rng, size, density);
        // Exact sizes: ASan sees any write past the last word.
        std::vector<std::uint64_t> expected(maskWords(size), 0x5A5A5A5Aull);
        std::vector<std::uint64_t> actual(maskWords(size), 0xA5A5A5A5ull);
        newlineMasksScalar(text.data(), size, expected.data());
        kernels.newlineMasks(text.data(), size, actual.data());
        ASSERT_EQ(actual, expected)
            << "size " << size << " density " << density;
      }
    }
  });
}

TEST(KernelScan, ReadsOnlyItsBytes) {
  GuardedPages pages(8192);
  forEachTarget([&](const KernelSet& kernels) {
    std::mt19937_64 rng(99);
    for (std::size_t size :
         {0,  1,   15,  16,  17,  31,  32,  33,   63,   64,
          65, 127, 128, 129, 255, 256, 257, 4095, 8191, 8192}) {
      const Bytes text = randomText(rng, size, 0.1);
      std::vector<std::uint64_t> expected(maskWords(size));
      std::vector<std::uint64_t> actual(maskWords(size));
      newlineMasksScalar(text.data(), size, expected.data());
      kernels.newlineMasks(pages.atEnd(text), size, actual.data());
      ASSERT_EQ(actual, expected) << "at end, size " << size;
      std::fill(actual.begin(), actual.end(), 0);
      kernels.newlineMasks(pages.atStart(text), size, actual.data());
      ASSERT_EQ(actual, expected) << "at start, size " << size;
    }
  });
}

}  // namespace
}  // namespace hapmat::kernels::test
