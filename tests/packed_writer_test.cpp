// Every writer's appendPacked against its appendRow (the text path the
// reference engine takes), with every target's kernels and the scalar twins:
// random rows of single-byte alleles, CHROMs of changing names and lengths,
// samples paired in column order, in name order, and at random.

#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include "formats/haplotype_row.hpp"
#include "formats/row_writer.hpp"
#include "hapmat/simulate.hpp"
#include "kernels/kernel_set.h"
#include "kernels/pack.h"

namespace hapmat {
namespace {

// One random variant row, as text fields and as the packed row the row
// layer would hand over for it.
struct Row {
  std::string text;  // CHROM POS REF H1 ... Hn, then readable padding
  std::vector<std::string_view> fields;
  std::vector<std::string_view> textAlts;
  std::vector<std::uint8_t> packed;
  std::vector<std::uint8_t> altCodes;
  std::uint64_t chromVersion = 0;  // as the row layer's; 0: none

  PackedRow packedRow() const {
    return {fields[kChromColumn],
            fields[kPosColumn],
            fields[kRefColumn][0],
            packed.data(),
            fields.size() - kFirstHaplotype,
            altCodes,
            chromVersion};
  }
};

constexpr std::string_view kChroms[] = {"1",
                                        "2",
                                        "chr10",
                                        "chr11",
                                        "X",
                                        "MT",
                                        "scaffold_1234567",
                                        "chrUn_KI270302v1_random_and_long"};

// A CHROM from a few, mostly the last one's: runs, and changes of name and
// length in any order (more lengths than a writer keeps plans for).
std::string_view nextChrom(std::mt19937_64& rng, std::string_view last) {
  if (!last.empty() && rng() % 4 != 0) return last;
  return kChroms[rng() % std::size(kChroms)];
}

// Mostly REF and one other allele, some N and -, now and then any code. REF
// is sometimes in lower case or outside the codes; the haplotypes' alleles
// are always codes (else the row is not a packed one).
Row randomRow(std::mt19937_64& rng, std::string_view chrom, std::size_t count) {
  const std::string alphabet = kernels::kAlleleAlphabet;
  const std::string refs = alphabet + "acgtnx";
  const char ref = refs[rng() % 5 == 0 ? rng() % refs.size() : rng() % 4];
  const char common =
      kernels::alleleCode(static_cast<std::uint8_t>(ref)) != kernels::kNoCode
          ? ref
          : 'A';
  const char other = alphabet[rng() % 6];
  std::string line(chrom);
  line += ' ';
  line += std::to_string(1 + rng() % 999'999'999'999'999);
  line += ' ';
  line += ref;
  for (std::size_t i = 0; i < count; ++i) {
    const auto pick = rng() % 20;
    line += ' ';
    line += pick < 12   ? common
            : pick < 16 ? other
            : pick < 17 ? 'N'
            : pick < 18 ? '-'
                        : alphabet[rng() % 16];
  }
  Row row;
  row.text = line;
  row.text.append(kPosReadableBytes, ' ');
  std::string_view rest(row.text.data(), line.size());
  for (std::size_t at = 0; at <= rest.size();) {
    const std::size_t end = std::min(rest.find(' ', at), rest.size());
    row.fields.push_back(rest.substr(at, end - at));
    at = end + 1;
  }
  const std::span haplotypes(row.fields.begin() + kFirstHaplotype,
                             row.fields.end());
  AltFinder().find(row.fields[kRefColumn], haplotypes, row.textAlts);
  if (row.textAlts.empty()) return row;  // invariant: never written
  const std::string alleles(line, line.size() - (2 * count - 1));
  row.packed.resize(kernels::packedBytes(count) + kernels::kPackedSlack);
  EXPECT_EQ(
      kernels::packAllelesScalar(
          reinterpret_cast<const std::uint8_t*>(alleles.data()), alleles.size(),
          count, ' ', static_cast<std::uint8_t>(ref), row.packed.data())
          .kind,
      kernels::AlleleRow::kPacked);
  for (std::string_view alt : row.textAlts) {
    row.altCodes.push_back(
        kernels::alleleCode(static_cast<std::uint8_t>(alt[0])));
  }
  return row;
}

// What each format writes for `rows`, row by row, with each target's
// kernels and the scalar twins, is what its text path writes.
void expectPackedAsText(const std::vector<SamplePair>& samples,
                        std::size_t count, std::uint64_t seed) {
  const FormatOptions formats[] = {
      {FormatKind::kTable, Delimiter::kSpace, MissingAllele::kDot},
      {FormatKind::kTable, Delimiter::kTab, MissingAllele::kDot},
      {FormatKind::kPanel, Delimiter::kSpace, MissingAllele::kDot},
      {FormatKind::kVcf, Delimiter::kSpace, MissingAllele::kDot},
      {FormatKind::kVcf, Delimiter::kSpace, MissingAllele::kRef}};
  std::mt19937_64 rng(seed);
  std::vector<Row> rows;
  std::string_view chrom;
  std::uint64_t chromVersion = 0;
  while (rows.size() < 60) {
    const std::string_view last = chrom;
    chrom = nextChrom(rng, chrom);
    if (chrom != last) ++chromVersion;
    Row row = randomRow(rng, chrom, count);
    // Half the rows as the row layer hands them, half without a version.
    if (rows.size() % 2 == 0) row.chromVersion = chromVersion;
    if (!row.textAlts.empty()) rows.push_back(std::move(row));
  }
  std::vector<kernels::KernelSet> sets = {kernels::scalarTwins()};
  for (const std::string& target : kernels::availableTargets()) {
    sets.push_back(*kernels::kernelSet(target));
  }
  for (const FormatOptions& format : formats) {
    const auto writer = makeRowWriter(format, samples);
    const auto textScratch = writer->makeScratch(kernels::scalarTwins());
    for (const kernels::KernelSet& set : sets) {
      std::string trace = "format ";
      trace.append(std::to_string(static_cast<int>(format.kind)));
      trace.append(", kernels ").append(set.target);
      SCOPED_TRACE(trace);
      const auto scratch = writer->makeScratch(set);
      ByteBuffer expected;
      expected.append("before\n");
      ByteBuffer got;
      got.append(expected);
      for (const Row& row : rows) {
        const Formatted want = writer->appendRow({row.fields, row.textAlts},
                                                 *textScratch, expected);
        ASSERT_EQ(writer->appendPacked(row.packedRow(), *scratch, got), want)
            << row.text;
        ASSERT_EQ(scratch->allelesLeftOut, textScratch->allelesLeftOut);
        ASSERT_EQ(got.view(), expected.view()) << row.text;
      }
    }
  }
}

std::vector<std::string> withFixedColumns(std::vector<std::string> names) {
  names.insert(names.begin(), {"CHROM", "POS", "REF"});
  return names;
}

TEST(PackedWriters, TheOriginalColumnsPairedByName) {
  // 13a 14b ... 10a, MA622 unpaired: pairs far apart, not in column order.
  const auto columns = withFixedColumns(originalHaplotypeNames());
  expectPackedAsText(pairByName(columns), columns.size() - kFirstHaplotype, 1);
}

TEST(PackedWriters, ManyColumnsPairedByName) {
  for (std::size_t count : {33, 64, 100, 1000, 3001}) {
    const auto columns = withFixedColumns(numberedHaplotypeNames(count));
    expectPackedAsText(pairByName(columns), count, count);
  }
}

// Any two columns, in any order, some in no sample.
TEST(PackedWriters, PairsOfAnyColumns) {
  std::mt19937_64 rng(9);
  for (std::size_t count : {2, 3, 5, 17, 31, 32, 40, 300, 2000}) {
    std::vector<std::size_t> columns(count);
    std::iota(columns.begin(), columns.end(), kFirstHaplotype);
    std::shuffle(columns.begin(), columns.end(), rng);
    std::vector<SamplePair> samples;
    for (std::size_t i = 0; i + 1 < count; i += 2) {
      if (samples.empty() || rng() % 5 != 0) {
        // Appended: g++ 12 sees a false -Wrestrict in "s" + to_string(i).
        std::string name = "s";
        name.append(std::to_string(i));
        samples.push_back({name, name, columns[i], columns[i + 1]});
      }
    }
    expectPackedAsText(samples, count, count);
  }
}

TEST(PackedWriters, OneColumnTwice) {
  // Not what the pairing allows, but what a writer must still write.
  expectPackedAsText({{"s", "s", 3, 3}, {"t", "t", 4, 3}}, 2, 4);
}

}  // namespace
}  // namespace hapmat
