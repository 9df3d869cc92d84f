// VcfRecord reads back the records hapmat's VCF writer writes: the values
// binary formats (BCF, VCF Zarr) encode.

#include "formats/vcf_record.hpp"

#include <gtest/gtest.h>

#include "hapmat/convert.hpp"
#include "hapmat/output.hpp"
#include "test_util.hpp"

namespace hapmat {
namespace {

using Alleles = std::vector<std::int32_t>;
using Counts = std::vector<std::uint32_t>;

const std::string kHeader =
    "##fileformat=VCFv4.2\n##contig=<ID=chr1>\n"
    "##contig=<ID=chr2,length=100>\n"
    "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\ts1\ts2\n";

TEST(VcfRecordTest, ReadsTheHeadersContigsAndSamples) {
  VcfContigIndex contigs(kHeader);
  EXPECT_EQ(contigs.names(), (std::vector<std::string>{"chr1", "chr2"}));
  EXPECT_EQ(contigs.find("chr2"), 1u);
  EXPECT_EQ(contigs.find("chr1"), 0u);
  EXPECT_THROW(contigs.find("chr3"), std::invalid_argument);
  EXPECT_EQ(vcfSampleCount(kHeader), 2u);
  EXPECT_EQ(vcfSampleCount("##x\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\t"
                           "INFO\n"),
            0u);
}

TEST(VcfRecordTest, ParsesAPhasedRecord) {
  VcfContigIndex contigs(kHeader);
  VcfRecord record;
  parseVcfRecord(
      "chr2\t17\t.\tACG\tA,*,ACGTT\t.\t.\tAC=1,0,12;AN=3\tGT\t"
      "1|.\t0|12",
      contigs, record);
  EXPECT_EQ(record.contig, 1u);
  EXPECT_EQ(record.pos, 17u);
  EXPECT_EQ(record.ref, "ACG");
  EXPECT_EQ(record.alts, (std::vector<std::string_view>{"A", "*", "ACGTT"}));
  EXPECT_EQ(record.ploidy, 2u);
  EXPECT_TRUE(record.phased);
  EXPECT_EQ(record.alleles, (Alleles{1, -1, 0, 12}));
  EXPECT_EQ(record.ac, (Counts{1, 0, 12}));
  EXPECT_EQ(record.an, 3u);
}

TEST(VcfRecordTest, ParsesAltDotAndHaploidRecordsReusingTheBuffers) {
  VcfContigIndex contigs(kHeader);
  VcfRecord record;
  parseVcfRecord("chr1\t5\t.\tA\tC\t.\t.\tAC=2;AN=4\tGT\t1|0\t0|1", contigs,
                 record);
  parseVcfRecord("chr1\t9\t.\tT\t.\t.\t.\tAN=2\tGT\t0\t.\t0", contigs, record);
  EXPECT_EQ(record.contig, 0u);
  EXPECT_TRUE(record.alts.empty());
  EXPECT_TRUE(record.ac.empty());
  EXPECT_EQ(record.an, 2u);
  EXPECT_EQ(record.ploidy, 1u);
  EXPECT_FALSE(record.phased);
  EXPECT_EQ(record.alleles, (Alleles{0, -1, 0}));
}

TEST(VcfRecordTest, RefusesWhatHapmatDoesNotWrite) {
  VcfContigIndex contigs(kHeader);
  VcfRecord record;
  EXPECT_THROW(
      parseVcfRecord("chr1\t5\t.\tA\tC\t.\t.\tAN=4\tGT\t1|0", contigs, record),
      std::invalid_argument);  // AC missing for an ALT
  EXPECT_THROW(parseVcfRecord("chr1\tx\t.\tA\tC\t.\t.\tAC=1;AN=2\tGT\t1|0",
                              contigs, record),
               std::invalid_argument);
  EXPECT_THROW(parseVcfRecord("chr1\t5\t.\tA\tC\t.\t.\tAC=1;AN=2\tGT\t1/0x",
                              contigs, record),
               std::invalid_argument);
}

// Every record of a converted matrix parses, with the counts its text has.
TEST(VcfRecordTest, ParsesTheWritersOutput) {
  test::TempDir dir;
  const std::string matrix = dir.file("m.txt");
  test::writeFile(matrix,
                  "CHROM POS REF 1a 1b 2a 2b\n"
                  "c1 1 A A C N G\n"
                  "c1 2 C c - C C\n"
                  "c2 3 G G G G G\n"
                  "c2 4 T A T T T\n");
  ConvertOptions options;
  options.inputPath = matrix;
  options.format = OutputFormat::kVcf;
  options.gaps = VcfGaps::kStar;  // one record a row
  StringSink out;
  convert(options, out);
  const std::string& text = out.text();
  const std::size_t body = text.find("\n#CHROM") + 1;
  const std::size_t rows = text.find('\n', body) + 1;
  VcfContigIndex contigs(text.substr(0, rows));
  EXPECT_EQ(contigs.names(), (std::vector<std::string>{"c1", "c2"}));
  VcfRecord record;
  std::vector<std::string> seen;
  for (std::size_t at = rows; at < text.size();) {
    const std::size_t end = text.find('\n', at);
    parseVcfRecord(std::string_view(text).substr(at, end - at), contigs,
                   record);
    std::string alleles;
    for (std::int32_t a : record.alleles) alleles += std::to_string(a) + " ";
    seen.push_back(std::to_string(record.contig) + ":" +
                   std::to_string(record.pos) + " " + alleles +
                   "AN=" + std::to_string(record.an));
    at = end + 1;
  }
  EXPECT_EQ(seen,
            (std::vector<std::string>{"0:1 0 1 -1 2 AN=3", "0:2 0 1 0 0 AN=4",
                                      "1:4 1 0 0 0 AN=4"}));
}

}  // namespace
}  // namespace hapmat
