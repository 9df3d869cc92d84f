// Differential tests of the Highway kernels: every compiled target this CPU
// supports against the scalar twins, plus exact expectations for the twins.

#include <gtest/gtest.h>
#include <hwy/highway.h>
#include <hwy/targets.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "../kernels/pack.h"
#include "../kernels/phase.h"
#include "../kernels/scan.h"
#include "../kernels/targets.h"

namespace hapmat::kernels {
namespace {

using Bytes = std::vector<std::uint8_t>;

Bytes bytesOf(std::string_view text) { return Bytes(text.begin(), text.end()); }

// Pages [guard][data ...][guard], the guards PROT_NONE: data placed at the
// end (or start) of the data pages faults on any read past (or before) it.
class GuardedPages {
 public:
  explicit GuardedPages(std::size_t bytes)
      : page_(static_cast<std::size_t>(sysconf(_SC_PAGESIZE))),
        pages_(std::max<std::size_t>(1, (bytes + page_ - 1) / page_)) {
    void* map = mmap(nullptr, (pages_ + 2) * page_, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (map == MAP_FAILED) std::abort();
    base_ = static_cast<std::uint8_t*>(map);
    if (mprotect(base_, page_, PROT_NONE) != 0 ||
        mprotect(base_ + (pages_ + 1) * page_, page_, PROT_NONE) != 0) {
      std::abort();
    }
  }
  ~GuardedPages() { munmap(base_, (pages_ + 2) * page_); }
  GuardedPages(const GuardedPages&) = delete;
  GuardedPages& operator=(const GuardedPages&) = delete;

  std::size_t capacity() const { return pages_ * page_; }
  // A copy of `bytes` whose last byte is the last before the trailing guard.
  const std::uint8_t* atEnd(const Bytes& bytes) {
    std::uint8_t* at = base_ + (pages_ + 1) * page_ - bytes.size();
    if (!bytes.empty()) std::memcpy(at, bytes.data(), bytes.size());
    return at;
  }
  // A copy of `bytes` whose first byte is the first after the leading guard.
  const std::uint8_t* atStart(const Bytes& bytes) {
    std::uint8_t* at = base_ + page_;
    if (!bytes.empty()) std::memcpy(at, bytes.data(), bytes.size());
    return at;
  }

 private:
  std::size_t page_;
  std::size_t pages_;
  std::uint8_t* base_ = nullptr;
};

// The target bit of a name from availableTargets(), or 0.
std::int64_t targetBit(const std::string& name) {
  // All compiled targets: SupportedAndGeneratedTargets() would only list the
  // forced one while a target is forced.
  for (std::int64_t targets = HWY_TARGETS; targets != 0;
       targets &= targets - 1) {
    const std::int64_t bit = targets & -targets;
    if (name == hwy::TargetName(bit)) return bit;
  }
  return 0;
}

// The HWY_EXPORT table slot Highway's dispatch uses for a target (see
// hwy/targets.h): the chosen mask's lowest set bit.
std::size_t dispatchIndex(std::int64_t bit) {
  const std::int64_t chosen = (bit == HWY_SCALAR || bit == HWY_EMU128)
                                  ? HWY_CHOSEN_TARGET_MASK_SCALAR
                                  : HWY_CHOSEN_TARGET_SHIFT(bit);
  return hwy::Num0BitsBelowLS1Bit_Nonzero64(static_cast<std::uint64_t>(chosen));
}

// Runs a body once per compiled target this CPU supports, forced; resets at
// teardown even when an assertion ends the test early.
class KernelTargets : public ::testing::Test {
 protected:
  void TearDown() override { resetTargets(); }

  template <class Body>
  void forEachTarget(const Body& body) {
    std::vector<std::string> names = availableTargets();
    ASSERT_FALSE(names.empty());
    for (const std::string& name : names) {
      SCOPED_TRACE("target " + name);
      ASSERT_TRUE(forceTarget(name));
      body();
      resetTargets();
      if (::testing::Test::HasFatalFailure()) return;
    }
  }
};

// ---------------------------------------------------------------- targets

TEST_F(KernelTargets, ForcingPicksEachTargetsCode) {
  const std::vector<std::string> names = availableTargets();
  std::string ran;
  for (const std::string& name : names) ran += name + " ";
  std::printf("[ kernels  ] targets: %s\n", ran.c_str());
  ASSERT_GT(names.size(), 1u);
  EXPECT_EQ(names.back(), "SCALAR");
#if HWY_ARCH_X86
  if (__builtin_cpu_supports("avx2")) {
    EXPECT_NE(std::find(names.begin(), names.end(), "AVX2"), names.end());
    EXPECT_NE(std::find(names.begin(), names.end(), "SSE4"), names.end());
  }
#endif
  const Bytes text = bytesOf("a\nb\n");
  std::uint64_t mask = 0;
  for (const std::string& name : names) {
    SCOPED_TRACE(name);
    const std::int64_t bit = targetBit(name);
    ASSERT_NE(bit, 0);
    ASSERT_TRUE(forceTarget(name));
    // Forcing de-initialises the dispatch; the next kernel call picks the
    // table slot of the forced target, that target's code.
    EXPECT_FALSE(hwy::GetChosenTarget().IsInitialized());
    newlineMasks(text.data(), text.size(), &mask);
    EXPECT_EQ(mask, 0b1010u);
    EXPECT_TRUE(hwy::GetChosenTarget().IsInitialized());
    EXPECT_EQ(hwy::GetChosenTarget().GetIndex(), dispatchIndex(bit));
    // The list stays the CPU's, not the forced one.
    EXPECT_EQ(availableTargets(), names);
  }
  resetTargets();
  newlineMasks(text.data(), text.size(), &mask);
  EXPECT_EQ(hwy::GetChosenTarget().GetIndex(),
            dispatchIndex(targetBit(names[0])));
}

TEST_F(KernelTargets, ForceTargetMatchesNamesOnly) {
  const std::vector<std::string> names = availableTargets();
  std::string lower = names.front();
  for (char& c : lower) c = static_cast<char>(std::tolower(c));
  EXPECT_TRUE(forceTarget(lower));
  EXPECT_FALSE(forceTarget("no-such-target"));
  EXPECT_FALSE(forceTarget(""));
  EXPECT_FALSE(forceTarget("EMU128"));  // not compiled with g++ 12
  EXPECT_FALSE(forceTarget(names.front() + " "));
  // A failed force leaves the earlier one in place.
  const std::int64_t bit = targetBit(names.front());
  const Bytes text = bytesOf("\n");
  std::uint64_t mask = 0;
  newlineMasks(text.data(), text.size(), &mask);
  EXPECT_EQ(hwy::GetChosenTarget().GetIndex(), dispatchIndex(bit));
}

// ------------------------------------------------------------------- scan

TEST(KernelScanScalar, ExactBits) {
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

TEST_F(KernelTargets, ScanMatchesScalar) {
  std::vector<std::size_t> sizes;
  for (std::size_t size = 0; size <= 300; ++size) sizes.push_back(size);
  for (std::size_t size :
       {511, 512, 513, 1000, 4095, 4096, 4097, 65549, 1 << 20}) {
    sizes.push_back(size);
  }
  forEachTarget([&] {
    std::mt19937_64 rng(1234);
    for (std::size_t size : sizes) {
      for (double density : {0.0, 0.03, 0.5, 1.0}) {
        const Bytes text = randomText(rng, size, density);
        // Exact sizes: ASan sees any write past the last word.
        std::vector<std::uint64_t> expected(maskWords(size), 0x5A5A5A5Aull);
        std::vector<std::uint64_t> actual(maskWords(size), 0xA5A5A5A5ull);
        newlineMasksScalar(text.data(), size, expected.data());
        newlineMasks(text.data(), size, actual.data());
        ASSERT_EQ(actual, expected)
            << "size " << size << " density " << density;
      }
    }
  });
}

TEST_F(KernelTargets, ScanReadsOnlyItsBytes) {
  GuardedPages pages(8192);
  forEachTarget([&] {
    std::mt19937_64 rng(99);
    for (std::size_t size :
         {0,  1,   15,  16,  17,  31,  32,  33,   63,   64,
          65, 127, 128, 129, 255, 256, 257, 4095, 8191, 8192}) {
      const Bytes text = randomText(rng, size, 0.1);
      std::vector<std::uint64_t> expected(maskWords(size));
      std::vector<std::uint64_t> actual(maskWords(size));
      newlineMasksScalar(text.data(), size, expected.data());
      newlineMasks(pages.atEnd(text), size, actual.data());
      ASSERT_EQ(actual, expected) << "at end, size " << size;
      std::fill(actual.begin(), actual.end(), 0);
      newlineMasks(pages.atStart(text), size, actual.data());
      ASSERT_EQ(actual, expected) << "at start, size " << size;
    }
  });
}

// ------------------------------------------------------------------- pack

struct PackResult {
  AlleleRow kind;
  Bytes packed;  // packedBytes(count) bytes when kPacked, else all the buffer
};

constexpr std::uint8_t kUnwritten = 0xA5;

PackResult packWith(bool simd, const std::uint8_t* text, std::size_t size,
                    std::size_t count, std::uint8_t delimiter,
                    std::uint8_t ref) {
  // Exactly packedBytes + 64 of slack: ASan sees any write past it.
  Bytes packed(packedBytes(count) + 64, kUnwritten);
  const AlleleRow kind =
      simd
          ? packAlleles(text, size, count, delimiter, ref, packed.data())
          : packAllelesScalar(text, size, count, delimiter, ref, packed.data());
  if (kind == AlleleRow::kPacked) packed.resize(packedBytes(count));
  return {kind, packed};
}

PackResult packScalar(std::string_view text, std::size_t count,
                      std::uint8_t delimiter, std::uint8_t ref) {
  const Bytes bytes = bytesOf(text);
  return packWith(false, bytes.data(), bytes.size(), count, delimiter, ref);
}

TEST(KernelPackScalar, ExactRows) {
  PackResult r = packScalar("A G N -", 4, ' ', 'A');
  EXPECT_EQ(r.kind, AlleleRow::kPacked);
  EXPECT_EQ(r.packed, (Bytes{0x20, 0x54}));
  r = packScalar("A C G", 3, ' ', 'A');
  EXPECT_EQ(r.kind, AlleleRow::kPacked);
  EXPECT_EQ(r.packed, (Bytes{0x10, 0x02}));  // last high nibble zero
  r = packScalar("T\tV\tH\tD\tB\tM\tK\tW\tS\tY\tR", 11, '\t', 'T');
  EXPECT_EQ(r.kind, AlleleRow::kPacked);
  EXPECT_EQ(r.packed, (Bytes{0xF3, 0xDE, 0xBC, 0x9A, 0x78, 0x06}));
  r = packScalar("C", 1, ' ', 'A');
  EXPECT_EQ(r.kind, AlleleRow::kPacked);
  EXPECT_EQ(r.packed, (Bytes{0x01}));

  r = packScalar("A N A", 3, ' ', 'A');
  EXPECT_EQ(r.kind, AlleleRow::kInvariant);
  EXPECT_TRUE(std::all_of(r.packed.begin(), r.packed.end(),
                          [](std::uint8_t b) { return b == kUnwritten; }));
  EXPECT_EQ(packScalar("A", 1, ' ', 'A').kind, AlleleRow::kInvariant);
  EXPECT_EQ(packScalar("N N N", 3, ' ', 'N').kind, AlleleRow::kInvariant);
  EXPECT_EQ(packScalar("a N a", 3, ' ', 'a').kind, AlleleRow::kInvariant);
  EXPECT_EQ(packScalar("*\t*", 2, '\t', '*').kind, AlleleRow::kInvariant);

  EXPECT_EQ(packScalar("A GT A", 3, ' ', 'A').kind, AlleleRow::kGeneral);
  EXPECT_EQ(packScalar("a N A", 3, ' ', 'a').kind, AlleleRow::kGeneral);
  EXPECT_EQ(packScalar("A * A", 3, ' ', 'A').kind, AlleleRow::kGeneral);
  EXPECT_EQ(packScalar("A c", 2, ' ', 'A').kind, AlleleRow::kGeneral);
  EXPECT_EQ(packScalar("A\tC", 2, ' ', 'A').kind, AlleleRow::kGeneral);
  EXPECT_EQ(packScalar("A,A", 2, ' ', 'A').kind, AlleleRow::kGeneral);
  EXPECT_EQ(packScalar("A  A", 2, ' ', 'A').kind, AlleleRow::kGeneral);
  EXPECT_EQ(packScalar(" A A", 3, ' ', 'A').kind, AlleleRow::kGeneral);
  EXPECT_EQ(packScalar("A A ", 3, ' ', 'A').kind, AlleleRow::kGeneral);
  EXPECT_EQ(packScalar("A C", 3, ' ', 'A').kind, AlleleRow::kGeneral);
  EXPECT_EQ(packScalar("A C", 1, ' ', 'A').kind, AlleleRow::kGeneral);
  EXPECT_EQ(packScalar("", 0, ' ', 'A').kind, AlleleRow::kGeneral);
  EXPECT_EQ(packScalar("", 1, ' ', 'A').kind, AlleleRow::kGeneral);
  EXPECT_EQ(packScalar("A", 0, ' ', 'A').kind, AlleleRow::kGeneral);
  EXPECT_EQ(packScalar("A \x80", 2, ' ', 'A').kind, AlleleRow::kGeneral);
  EXPECT_EQ(packScalar(std::string_view("A \0", 3), 2, ' ', 'A').kind,
            AlleleRow::kGeneral);
}

TEST(KernelPackScalar, AlleleCodes) {
  for (unsigned byte = 0; byte < 256; ++byte) {
    const char* at = std::strchr(kAlleleAlphabet, static_cast<int>(byte));
    const std::uint8_t expected =
        (byte != 0 && at != nullptr)
            ? static_cast<std::uint8_t>(at - kAlleleAlphabet)
            : kNoCode;
    EXPECT_EQ(alleleCode(static_cast<std::uint8_t>(byte)), expected) << byte;
  }
}

// Bytes a row may hold where an allele belongs.
constexpr std::uint8_t kBadAlleles[] = {
    'a',  'c',  'g',  't',  'n',  '*',  '.',  '0',  '@',  '[',
    '_',  '`',  'E',  'F',  'I',  'J',  'L',  'O',  'P',  'Q',
    'U',  'X',  'Z',  0x00, 0x01, 0x0A, 0x0D, 0x1F, 0x7F, 0x80,
    0x8E, 0xC1, 0xFF, 0x2C, 0x2E, 0x3F, 0x6E};

struct RowGen {
  std::mt19937_64 rng;

  std::size_t below(std::size_t n) { return rng() % n; }
  std::uint8_t alphabetByte() {
    return static_cast<std::uint8_t>(kAlleleAlphabet[below(16)]);
  }
  std::uint8_t badByte() { return kBadAlleles[below(sizeof(kBadAlleles))]; }
  std::uint8_t anyRef() {
    switch (below(6)) {
      case 0:
        return 'N';
      case 1:
        return 'a';
      case 2:
        return '*';
      case 3:
        return static_cast<std::uint8_t>(0x21 + below(0x5E));  // '!'..'~'
      default:
        return alphabetByte();
    }
  }

  // A row of `count` alleles; `mode` picks the mix.
  Bytes row(std::size_t count, int mode, std::uint8_t delimiter,
            std::uint8_t ref) {
    Bytes text;
    for (std::size_t i = 0; i < count; ++i) {
      if (i != 0) text.push_back(delimiter);
      std::uint8_t allele = ref;
      switch (mode) {
        case 0:  // invariant
          allele = below(4) == 0 ? 'N' : ref;
          break;
        case 1:  // alphabet, mostly ref and N
          allele = below(3) == 0 ? alphabetByte() : (below(2) ? ref : 'N');
          break;
        default:  // alphabet with bad bytes
          allele = below(8) == 0 ? badByte() : alphabetByte();
          break;
      }
      text.push_back(allele);
    }
    return text;
  }

  // One change at a random place: the cases most likely to slip through a
  // vector check (one byte, anywhere, e.g. in the overlapped tail).
  void corrupt(Bytes& text, std::uint8_t delimiter) {
    if (text.empty()) return;
    const std::size_t at = below(text.size());
    const bool alleleSlot = at % 2 == 0;
    switch (below(7)) {
      case 0:  // a different allele
        text[at & ~std::size_t{1}] = below(2) ? alphabetByte() : badByte();
        break;
      case 1:  // a delimiter where an allele belongs
        text[at & ~std::size_t{1}] = delimiter;
        break;
      case 2:  // the other delimiter, or an allele, between alleles
        if (!alleleSlot) {
          text[at] = below(2) ? (delimiter == ' ' ? '\t' : ' ') : 'A';
        }
        break;
      case 3:  // an extra delimiter (a missing allele)
        text.insert(text.begin() + static_cast<std::ptrdiff_t>(at), delimiter);
        break;
      case 4:  // a dropped byte
        text.erase(text.begin() + static_cast<std::ptrdiff_t>(at));
        break;
      case 5:  // any byte anywhere
        text[at] = static_cast<std::uint8_t>(rng());
        break;
      default:  // a two-byte allele
        text.insert(text.begin() + static_cast<std::ptrdiff_t>(at & ~1ull),
                    alphabetByte());
        break;
    }
  }
};

void expectSamePack(const std::uint8_t* text, std::size_t size,
                    std::size_t count, std::uint8_t delimiter,
                    std::uint8_t ref) {
  const PackResult expected =
      packWith(false, text, size, count, delimiter, ref);
  const PackResult actual = packWith(true, text, size, count, delimiter, ref);
  ASSERT_EQ(actual.kind, expected.kind)
      << "size " << size << " count " << count << " ref " << int{ref}
      << " row '" << std::string(text, text + std::min<std::size_t>(size, 80))
      << "'";
  // Packed: the codes. Invariant: nothing written. General: unspecified.
  if (expected.kind != AlleleRow::kGeneral) {
    ASSERT_EQ(actual.packed, expected.packed)
        << "size " << size << " count " << count;
  }
}

TEST_F(KernelTargets, PackMatchesScalar) {
  std::vector<std::size_t> counts;
  for (std::size_t count = 1; count <= 300; ++count) counts.push_back(count);
  for (std::size_t count : {511, 512, 513, 1000, 4097}) counts.push_back(count);
  forEachTarget([&] {
    RowGen gen{std::mt19937_64(42)};
    for (std::size_t count : counts) {
      for (int trial = 0; trial < 12; ++trial) {
        const std::uint8_t delimiter = gen.below(3) == 0 ? '\t' : ' ';
        const std::uint8_t ref = gen.anyRef();
        const int mode = static_cast<int>(gen.below(3));
        Bytes text = gen.row(count, mode, delimiter, ref);
        const bool corrupt = trial % 3 == 2;
        if (corrupt) gen.corrupt(text, delimiter);
        expectSamePack(text.data(), text.size(), count, delimiter, ref);
        // Wrong counts and sizes for the same bytes.
        if (trial == 0) {
          expectSamePack(text.data(), text.size(), count + 1, delimiter, ref);
          expectSamePack(text.data(), text.size(), count - 1, delimiter, ref);
          expectSamePack(text.data(), text.size() - 1, count, delimiter, ref);
          expectSamePack(text.data(), text.size() - 1, count - 1, delimiter,
                         ref);
        }
        if (::testing::Test::HasFatalFailure()) return;
      }
    }
    // Fully random bytes: mostly kGeneral, but every layout byte is checked.
    for (std::size_t size = 0; size <= 200; ++size) {
      Bytes text(size);
      for (auto& byte : text) byte = static_cast<std::uint8_t>(gen.rng());
      expectSamePack(text.data(), size, size / 2 + 1, ' ', 'A');
      expectSamePack(text.data(), size, 0, ' ', 'A');
    }
    // Huge counts must not wrap 2 * count - 1 around to the size.
    const Bytes text = bytesOf("A C");
    const std::size_t half = (std::size_t{1} << 63) + 2;
    Bytes packed(64);
    EXPECT_EQ(packAlleles(text.data(), 3, half, ' ', 'A', packed.data()),
              AlleleRow::kGeneral);
  });
}

TEST_F(KernelTargets, PackExactRowsEveryTarget) {
  forEachTarget([&] {
    const Bytes row = bytesOf("A G N -");
    Bytes packed(packedBytes(4) + 64);
    ASSERT_EQ(packAlleles(row.data(), row.size(), 4, ' ', 'A', packed.data()),
              AlleleRow::kPacked);
    EXPECT_EQ(packed[0], 0x20);
    EXPECT_EQ(packed[1], 0x54);
    const Bytes invariant = bytesOf("A N A");
    EXPECT_EQ(packAlleles(invariant.data(), invariant.size(), 3, ' ', 'A',
                          packed.data()),
              AlleleRow::kInvariant);
    const Bytes general = bytesOf("A GT A");
    EXPECT_EQ(
        packAlleles(general.data(), general.size(), 3, ' ', 'A', packed.data()),
        AlleleRow::kGeneral);
  });
}

// A row whose one odd byte is wrong, at every position: the overlapped and
// masked tails must check every byte with the right parity.
TEST_F(KernelTargets, PackEveryPositionMatters) {
  forEachTarget([&] {
    for (std::size_t count :
         {1, 2, 7, 8, 9, 16, 17, 31, 32, 33, 40, 63, 64, 65, 100}) {
      const Bytes base = RowGen{std::mt19937_64(1)}.row(count, 0, ' ', 'G');
      for (std::size_t at = 0; at < base.size(); ++at) {
        for (std::uint8_t byte :
             {std::uint8_t{'C'}, std::uint8_t{' '}, std::uint8_t{'\t'},
              std::uint8_t{'N'}, std::uint8_t{'G'}, std::uint8_t{'g'}}) {
          Bytes text = base;
          text[at] = byte;
          expectSamePack(text.data(), text.size(), count, ' ', 'G');
          if (::testing::Test::HasFatalFailure()) return;
        }
      }
    }
  });
}

TEST_F(KernelTargets, PackReadsOnlyItsRow) {
  GuardedPages pages(4096);
  forEachTarget([&] {
    RowGen gen{std::mt19937_64(7)};
    for (std::size_t count = 1; count <= 300; ++count) {
      for (int mode = 0; mode < 3; ++mode) {
        Bytes text = gen.row(count, mode, ' ', 'T');
        if (gen.below(3) == 0) gen.corrupt(text, ' ');
        expectSamePack(pages.atEnd(text), text.size(), count, ' ', 'T');
        expectSamePack(pages.atStart(text), text.size(), count, ' ', 'T');
        if (::testing::Test::HasFatalFailure()) return;
      }
    }
  });
}

// ------------------------------------------------------------------ phase

TEST(KernelPhaseScalar, ExactMasksAndIndexes) {
  const Bytes packed = {0x20, 0x54};  // A G N -
  EXPECT_EQ(presenceMaskScalar(packed.data(), 4), 0x35);
  EXPECT_EQ(firstIndexOfScalar(packed.data(), 4, 0), 0u);
  EXPECT_EQ(firstIndexOfScalar(packed.data(), 4, 2), 1u);
  EXPECT_EQ(firstIndexOfScalar(packed.data(), 4, 4), 2u);
  EXPECT_EQ(firstIndexOfScalar(packed.data(), 4, 5), 3u);
  EXPECT_EQ(firstIndexOfScalar(packed.data(), 4, 1), 4u);
  // An odd count: the high nibble of the last byte is no allele.
  const Bytes odd = {0x20, 0xF4};
  EXPECT_EQ(presenceMaskScalar(odd.data(), 3), 0x15);
  EXPECT_EQ(firstIndexOfScalar(odd.data(), 3, 15), 3u);
  EXPECT_EQ(presenceMaskScalar(odd.data(), 0), 0);
  EXPECT_EQ(firstIndexOfScalar(odd.data(), 0, 2), 0u);
  const Bytes all = {0x10, 0x32, 0x54, 0x76, 0x98, 0xBA, 0xDC, 0xFE};
  EXPECT_EQ(presenceMaskScalar(all.data(), 16), 0xFFFF);
  for (std::uint8_t code = 0; code < 16; ++code) {
    EXPECT_EQ(firstIndexOfScalar(all.data(), 16, code), code);
  }
}

void expectSamePhase(const std::uint8_t* packed, std::size_t count) {
  ASSERT_EQ(presenceMask(packed, count), presenceMaskScalar(packed, count))
      << "count " << count;
  for (unsigned code = 0; code < 18; ++code) {
    const auto c = static_cast<std::uint8_t>(code);
    ASSERT_EQ(firstIndexOf(packed, count, c),
              firstIndexOfScalar(packed, count, c))
        << "count " << count << " code " << code;
  }
  ASSERT_EQ(firstIndexOf(packed, count, 0xFF), count);
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

TEST_F(KernelTargets, PhaseMatchesScalar) {
  std::vector<std::size_t> counts;
  for (std::size_t count = 0; count <= 300; ++count) counts.push_back(count);
  for (std::size_t count : {511, 512, 513, 1000, 4097, 20001}) {
    counts.push_back(count);
  }
  forEachTarget([&] {
    std::mt19937_64 rng(5);
    for (std::size_t count : counts) {
      for (int trial = 0; trial < 6; ++trial) {
        const Bytes packed = randomPacked(rng, count);
        expectSamePhase(packed.data(), count);
        if (::testing::Test::HasFatalFailure()) return;
      }
    }
  });
}

TEST_F(KernelTargets, PhaseReadsOnlyItsBytes) {
  GuardedPages pages(4096);
  forEachTarget([&] {
    std::mt19937_64 rng(6);
    for (std::size_t count = 0; count <= 300; ++count) {
      const Bytes packed = randomPacked(rng, count);
      expectSamePhase(pages.atEnd(packed), count);
      expectSamePhase(pages.atStart(packed), count);
      if (::testing::Test::HasFatalFailure()) return;
    }
  });
}

}  // namespace
}  // namespace hapmat::kernels
