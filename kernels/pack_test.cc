// The pack kernel on every target against its scalar twin.

#include "kernels/pack.h"

#include <gtest/gtest.h>

#include <cstring>
#include <random>

#include "kernels/test_support.h"

namespace hapmat::kernels::test {
namespace {

struct Packed {
  AlleleRow kind;
  std::uint16_t present;
  Bytes packed;  // packedBytes(count) bytes when kPacked, else all the buffer
};

constexpr std::uint8_t kUnwritten = 0xA5;

// With `pack`, or the scalar twin when it is null.
Packed packWith(PackAllelesFunction pack, const std::uint8_t* text,
                std::size_t size, std::size_t count, std::uint8_t delimiter,
                std::uint8_t ref) {
  // Exactly packedBytes + the slack: ASan sees any write past it.
  Bytes packed(packedBytes(count) + kPackedSlack, kUnwritten);
  if (pack == nullptr) pack = packAllelesScalar;
  const PackedAlleles result =
      pack(text, size, count, delimiter, ref, packed.data());
  if (result.kind == AlleleRow::kPacked) packed.resize(packedBytes(count));
  return {result.kind, result.present, packed};
}

Packed packScalar(std::string_view text, std::size_t count,
                  std::uint8_t delimiter, std::uint8_t ref) {
  const Bytes bytes = bytesOf(text);
  return packWith(nullptr, bytes.data(), bytes.size(), count, delimiter, ref);
}

TEST(KernelPack, ScalarTwinExactRows) {
  Packed r = packScalar("A G N -", 4, ' ', 'A');
  EXPECT_EQ(r.kind, AlleleRow::kPacked);
  EXPECT_EQ(r.packed, (Bytes{0x20, 0x54}));
  EXPECT_EQ(r.present, 0x35);  // A G N -
  r = packScalar("A C G", 3, ' ', 'A');
  EXPECT_EQ(r.kind, AlleleRow::kPacked);
  EXPECT_EQ(r.packed, (Bytes{0x10, 0x02}));  // last high nibble zero
  EXPECT_EQ(r.present, 0x07);
  r = packScalar("T\tV\tH\tD\tB\tM\tK\tW\tS\tY\tR", 11, '\t', 'T');
  EXPECT_EQ(r.kind, AlleleRow::kPacked);
  EXPECT_EQ(r.packed, (Bytes{0xF3, 0xDE, 0xBC, 0x9A, 0x78, 0x06}));
  EXPECT_EQ(r.present, 0xFFC8);
  r = packScalar("C", 1, ' ', 'A');
  EXPECT_EQ(r.kind, AlleleRow::kPacked);
  EXPECT_EQ(r.packed, (Bytes{0x01}));
  EXPECT_EQ(r.present, 0x02);

  r = packScalar("A N A", 3, ' ', 'A');
  EXPECT_EQ(r.kind, AlleleRow::kInvariant);
  EXPECT_EQ(r.present, 0);
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

TEST(KernelPack, AlleleCodes) {
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

void expectSamePack(PackAllelesFunction pack, const std::uint8_t* text,
                    std::size_t size, std::size_t count, std::uint8_t delimiter,
                    std::uint8_t ref) {
  const Packed expected = packWith(nullptr, text, size, count, delimiter, ref);
  const Packed actual = packWith(pack, text, size, count, delimiter, ref);
  ASSERT_EQ(actual.kind, expected.kind)
      << "size " << size << " count " << count << " ref " << int{ref}
      << " row '" << std::string(text, text + std::min<std::size_t>(size, 80))
      << "'";
  // Packed: the codes and their presence. Invariant: nothing written.
  // General: unspecified.
  if (expected.kind != AlleleRow::kGeneral) {
    ASSERT_EQ(actual.packed, expected.packed)
        << "size " << size << " count " << count;
    ASSERT_EQ(actual.present, expected.present)
        << "size " << size << " count " << count;
  }
}

TEST(KernelPack, MatchesScalarOnEveryTarget) {
  std::vector<std::size_t> counts;
  for (std::size_t count = 1; count <= 300; ++count) counts.push_back(count);
  for (std::size_t count : {511, 512, 513, 1000, 4097}) counts.push_back(count);
  forEachTarget([&](const KernelSet& kernels) {
    RowGen gen{std::mt19937_64(42)};
    for (std::size_t count : counts) {
      for (int trial = 0; trial < 12; ++trial) {
        const std::uint8_t delimiter = gen.below(3) == 0 ? '\t' : ' ';
        const std::uint8_t ref = gen.anyRef();
        const int mode = static_cast<int>(gen.below(3));
        Bytes text = gen.row(count, mode, delimiter, ref);
        const bool corrupt = trial % 3 == 2;
        if (corrupt) gen.corrupt(text, delimiter);
        expectSamePack(kernels.packAlleles, text.data(), text.size(), count,
                       delimiter, ref);
        // Wrong counts and sizes for the same bytes.
        if (trial == 0) {
          expectSamePack(kernels.packAlleles, text.data(), text.size(),
                         count + 1, delimiter, ref);
          expectSamePack(kernels.packAlleles, text.data(), text.size(),
                         count - 1, delimiter, ref);
          expectSamePack(kernels.packAlleles, text.data(), text.size() - 1,
                         count, delimiter, ref);
          expectSamePack(kernels.packAlleles, text.data(), text.size() - 1,
                         count - 1, delimiter, ref);
        }
        if (::testing::Test::HasFatalFailure()) return;
      }
    }
    // Fully random bytes: mostly kGeneral, but every layout byte is checked.
    for (std::size_t size = 0; size <= 200; ++size) {
      Bytes text(size);
      for (auto& byte : text) byte = static_cast<std::uint8_t>(gen.rng());
      expectSamePack(kernels.packAlleles, text.data(), size, size / 2 + 1, ' ',
                     'A');
      expectSamePack(kernels.packAlleles, text.data(), size, 0, ' ', 'A');
    }
    // Huge counts must not wrap 2 * count - 1 around to the size.
    const Bytes text = bytesOf("A C");
    const std::size_t half = (std::size_t{1} << 63) + 2;
    Bytes packed(64);
    EXPECT_EQ(
        kernels.packAlleles(text.data(), 3, half, ' ', 'A', packed.data()).kind,
        AlleleRow::kGeneral);
  });
}

// The row loop's packing for VCF deletions: packAlleles' answer, and for an
// invariant row whose REF is not N, kPresentN exactly when an allele is N
// (with REF N either is allowed). Rows of every size, N at each place.
TEST(KernelPack, SeesNOnEveryTarget) {
  forEachTarget([&](const KernelSet& kernels) {
    if (kernels.bit == 0) return;  // the twins: the row loop has no target
    const PackAllelesFunction seeingN = packAllelesSeeingNFor(kernels.bit);
    RowGen gen{std::mt19937_64(7)};
    auto check = [&](const Bytes& text, std::size_t count,
                     std::uint8_t delimiter, std::uint8_t ref) {
      const Packed plain = packWith(kernels.packAlleles, text.data(),
                                    text.size(), count, delimiter, ref);
      const Packed seen =
          packWith(seeingN, text.data(), text.size(), count, delimiter, ref);
      ASSERT_EQ(seen.kind, plain.kind) << "count " << count;
      if (seen.kind != AlleleRow::kInvariant) {
        ASSERT_EQ(seen.present, plain.present) << "count " << count;
        ASSERT_EQ(seen.packed, plain.packed) << "count " << count;
        return;
      }
      const bool hasN = std::memchr(text.data(), 'N', text.size()) != nullptr;
      if (ref != 'N') {
        ASSERT_EQ(seen.present, hasN ? kPresentN : 0)
            << "count " << count << " ref " << ref;
      }
    };
    for (std::size_t count = 1; count <= 300; ++count) {
      for (int trial = 0; trial < 6; ++trial) {
        const std::uint8_t delimiter = trial % 2 == 0 ? '\t' : ' ';
        const std::uint8_t ref = trial < 4 ? gen.alphabetByte() : gen.anyRef();
        check(gen.row(count, trial % 3 == 2 ? 1 : 0, delimiter, ref), count,
              delimiter, ref);
        if (::testing::Test::HasFatalFailure()) return;
      }
      // All REF, then one N at each place.
      const Bytes plain = gen.row(count, 0, ' ', 'G');
      Bytes allRef = plain;
      for (std::size_t i = 0; i < allRef.size(); i += 2) allRef[i] = 'G';
      check(allRef, count, ' ', 'G');
      for (std::size_t at = 0; at < allRef.size(); at += 2) {
        Bytes oneN = allRef;
        oneN[at] = 'N';
        check(oneN, count, ' ', 'G');
        if (::testing::Test::HasFatalFailure()) return;
      }
    }
  });
}

TEST(KernelPack, ExactRowsOnEveryTarget) {
  forEachTarget([&](const KernelSet& kernels) {
    const Bytes row = bytesOf("A G N -");
    Bytes packed(packedBytes(4) + kPackedSlack);
    const PackedAlleles packedRow =
        kernels.packAlleles(row.data(), row.size(), 4, ' ', 'A', packed.data());
    ASSERT_EQ(packedRow.kind, AlleleRow::kPacked);
    EXPECT_EQ(packedRow.present, 0x35);
    EXPECT_EQ(packed[0], 0x20);
    EXPECT_EQ(packed[1], 0x54);
    const Bytes invariant = bytesOf("A N A");
    EXPECT_EQ(kernels
                  .packAlleles(invariant.data(), invariant.size(), 3, ' ', 'A',
                               packed.data())
                  .kind,
              AlleleRow::kInvariant);
    const Bytes general = bytesOf("A GT A");
    EXPECT_EQ(kernels
                  .packAlleles(general.data(), general.size(), 3, ' ', 'A',
                               packed.data())
                  .kind,
              AlleleRow::kGeneral);
  });
}

// A row whose one odd byte is wrong, at every position: the overlapped and
// masked tails must check every byte with the right parity.
TEST(KernelPack, EveryPositionMatters) {
  forEachTarget([&](const KernelSet& kernels) {
    for (std::size_t count :
         {1, 2, 7, 8, 9, 16, 17, 31, 32, 33, 40, 63, 64, 65, 100}) {
      const Bytes base = RowGen{std::mt19937_64(1)}.row(count, 0, ' ', 'G');
      for (std::size_t at = 0; at < base.size(); ++at) {
        for (std::uint8_t byte :
             {std::uint8_t{'C'}, std::uint8_t{' '}, std::uint8_t{'\t'},
              std::uint8_t{'N'}, std::uint8_t{'G'}, std::uint8_t{'g'}}) {
          Bytes text = base;
          text[at] = byte;
          expectSamePack(kernels.packAlleles, text.data(), text.size(), count,
                         ' ', 'G');
          if (::testing::Test::HasFatalFailure()) return;
        }
      }
    }
  });
}

TEST(KernelPack, ReadsOnlyItsRow) {
  GuardedPages pages(4096);
  forEachTarget([&](const KernelSet& kernels) {
    RowGen gen{std::mt19937_64(7)};
    for (std::size_t count = 1; count <= 300; ++count) {
      for (int mode = 0; mode < 3; ++mode) {
        Bytes text = gen.row(count, mode, ' ', 'T');
        if (gen.below(3) == 0) gen.corrupt(text, ' ');
        expectSamePack(kernels.packAlleles, pages.atEnd(text), text.size(),
                       count, ' ', 'T');
        expectSamePack(kernels.packAlleles, pages.atStart(text), text.size(),
                       count, ' ', 'T');
        if (::testing::Test::HasFatalFailure()) return;
      }
    }
  });
}

}  // namespace
}  // namespace hapmat::kernels::test
