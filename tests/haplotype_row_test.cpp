#include "formats/haplotype_row.hpp"

#include <gtest/gtest.h>

#include "formats/haplotype_writer.hpp"

namespace hapmat {
namespace {

using Views = std::vector<std::string_view>;

Views altsOf(std::string_view ref, const Views& haplotypes) {
  AltFinder finder;
  Views alts;
  finder.find(ref, haplotypes, alts);
  return alts;
}

TEST(AltFinder, FirstAppearanceWithoutNOrRef) {
  EXPECT_EQ(altsOf("A", {"A", "G", "N", "-", "A"}), (Views{"G", "-"}));
  EXPECT_EQ(altsOf("A", {"T", "G", "T", "N", "G", "C"}),
            (Views{"T", "G", "C"}));
}

TEST(AltFinder, InvariantRowsHaveNoAlts) {
  EXPECT_EQ(altsOf("A", {"A", "N", "A", "N"}), Views{});
  EXPECT_EQ(altsOf("C", {"N", "N"}), Views{});
}

TEST(AltFinder, ComparisonIsByteExactAndCaseSensitive) {
  EXPECT_EQ(altsOf("A", {"a", "A", "n", "AN", "NN", "*", "R"}),
            (Views{"a", "n", "AN", "NN", "*", "R"}));
  EXPECT_EQ(altsOf("AT", {"A", "AT", "ATT"}), (Views{"A", "ATT"}));
  EXPECT_EQ(altsOf("N", {"N", "-", "A"}), (Views{"-", "A"}));
  EXPECT_EQ(altsOf("-", {"-", "N", "G"}), Views{"G"});
}

TEST(AltFinder, ManyDistinctAllelesKeepTheirOrder) {
  // Alleles "x0" ... "x39", each appearing a few times.
  auto allele = [](int i) {
    return std::string(1, 'x').append(std::to_string(i));
  };
  std::vector<std::string> storage;
  for (int i = 0; i < 100; ++i) storage.push_back(allele(i % 40));
  Views haplotypes(storage.begin(), storage.end());
  Views alts = altsOf("C", haplotypes);
  ASSERT_EQ(alts.size(), 40u);
  for (int i = 0; i < 40; ++i) EXPECT_EQ(alts[i], allele(i));
}

std::string filled(std::string_view allele, std::string_view ref) {
  ByteBuffer out;
  appendFilledAllele(out, allele, ref);
  return std::string(out.view());
}

TEST(AppendFilledAllele, ReplacesEveryNAndDashByRef) {
  EXPECT_EQ(filled("N", "A"), "A");
  EXPECT_EQ(filled("-", "A"), "A");
  EXPECT_EQ(filled("G", "A"), "G");
  EXPECT_EQ(filled("AN-", "C"), "ACC");
  EXPECT_EQ(filled("n", "C"), "n");
  EXPECT_EQ(filled("N", "AT"), "AT");
  EXPECT_EQ(filled("-N", "-"), "--");
}

std::string written(const RowWriter& writer, const Views& fields,
                    const Views& alts) {
  std::string header;
  writer.appendHeader(header, {});
  ByteBuffer out;
  out.append(header);
  auto scratch = writer.makeScratch(kernels::scalarTwins());
  EXPECT_EQ(writer.appendRow({fields, alts}, *scratch, out),
            Formatted::kWritten);
  return std::string(out.view());
}

TEST(HaplotypeWriter, TheOriginalExample) {
  // Header CHROM POS REF 1a 1b 2a 2b MA1; row 2 17 A A G N - A.
  std::vector<SamplePair> samples = {{"1", "1a1b", 3, 4}, {"2", "2a2b", 5, 6}};
  HaplotypeWriter writer(samples, HaplotypeWriter::Layout::kOriginal,
                         Delimiter::kSpace);
  Views fields = {"2", "17", "A", "A", "G", "N", "-", "A"};
  EXPECT_EQ(written(writer, fields,
                    altsOf("A", Views(fields.begin() + 3, fields.end()))),
            "contig pos ref alt 1a1b_PI 1a1b_PG_al 2a2b_PI 2a2b_PG_al\n"
            "2 17 A G,- 2 A|G 2 A|A\n");
}

TEST(HaplotypeWriter, TabDelimitedAndVerbatimChromPos) {
  std::vector<SamplePair> samples = {{"s", "s", 4, 3}};
  HaplotypeWriter writer(samples, HaplotypeWriter::Layout::kOriginal,
                         Delimiter::kTab);
  EXPECT_EQ(written(writer, {"chr07", "007", "AT", "A", "N"}, {"A"}),
            "contig\tpos\tref\talt\ts_PI\ts_PG_al\n"
            "chr07\t007\tAT\tA\tchr07\tAT|A\n");
}

// phase-Extender's reference panel: the table's rows under the names its
// --refHap reader takes (ALT, <name>:PI), tab-separated.
TEST(HaplotypeWriter, PhaseExtenderPanel) {
  std::vector<SamplePair> samples = {{"1", "1a1b", 3, 4}, {"2", "2a2b", 5, 6}};
  HaplotypeWriter writer(samples, HaplotypeWriter::Layout::kPanel,
                         Delimiter::kTab);
  EXPECT_EQ(
      written(writer, {"2", "17", "A", "A", "G", "N", "-", "A"}, {"G", "-"}),
      "CHROM\tPOS\tREF\tALT\t1:PI\t1:PG_al\t2:PI\t2:PG_al\n"
      "2\t17\tA\tG,-\t2\tA|G\t2\tA|A\n");
}

}  // namespace
}  // namespace hapmat
