// The BCF encoder against bytes derived by hand from the BCF2 specification
// (and equal to what `bcftools view -Ou` writes for the same VCF), and
// BcfSink's handling of text cut anywhere.

#include "formats/bcf_writer.hpp"

#include <gtest/gtest.h>

#include "hapmat/error.hpp"
#include "hapmat/output.hpp"

namespace hapmat {
namespace {

const std::string kHeader =
    "##fileformat=VCFv4.2\n"
    "##contig=<ID=c1>\n"
    "##contig=<ID=c2,length=9>\n"
    "##INFO=<ID=AC,Number=A,Type=Integer,Description=\"x\">\n"
    "##INFO=<ID=AN,Number=1,Type=Integer,Description=\"y\">\n"
    "##FORMAT=<ID=GT,Number=1,Type=String,Description=\"z\">\n"
    "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\ta\tb\n";

std::string bytes(std::initializer_list<int> values) {
  std::string out;
  for (int v : values) out.push_back(static_cast<char>(v));
  return out;
}

TEST(BcfWriterTest, HeaderHasTheMagicPassAndTheDictionaryIndexes) {
  BcfHeader header(kHeader);
  const std::string text =
      "##fileformat=VCFv4.2\n"
      "##FILTER=<ID=PASS,Description=\"All filters passed\",IDX=0>\n"
      "##contig=<ID=c1,IDX=0>\n"
      "##contig=<ID=c2,length=9,IDX=1>\n"
      "##INFO=<ID=AC,Number=A,Type=Integer,Description=\"x\",IDX=1>\n"
      "##INFO=<ID=AN,Number=1,Type=Integer,Description=\"y\",IDX=2>\n"
      "##FORMAT=<ID=GT,Number=1,Type=String,Description=\"z\",IDX=3>\n"
      "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\ta\tb\n";
  const std::uint32_t length = static_cast<std::uint32_t>(text.size() + 1);
  EXPECT_EQ(header.bytes(), "BCF\2\2" +
                                bytes({static_cast<int>(length & 0xFF),
                                       static_cast<int>(length >> 8), 0, 0}) +
                                text + std::string(1, '\0'));
  EXPECT_EQ(header.samples(), 2u);
}

// c2 POS 5 REF AC, ALT A,*; AC=1,0 AN=3; GT 0|1 .|. : by hand.
TEST(BcfWriterTest, RecordBytes) {
  BcfHeader header(kHeader);
  VcfRecord record;
  std::string out;
  appendBcfRecords("c2\t5\t.\tAC\tA,*\t.\t.\tAC=1,0;AN=3\tGT\t0|1\t.|.\n",
                   header, record, out);
  const std::string shared = bytes({
      1,    0,    0,    0,                     // CHROM: contig 1
      4,    0,    0,    0,                     // POS - 1
      2,    0,    0,    0,                     // rlen: REF's length
      0x01, 0x00, 0x80, 0x7F,                  // QUAL missing
      2,    0,    3,    0,                     // n_info 2, n_allele 3
      2,    0,    0,    1,                     // n_sample 2, n_fmt 1
      0x07,                                    // ID: empty string
      0x27, 'A',  'C',  0x17, 'A', 0x17, '*',  // alleles
      0x00,                                    // FILTER: none
      0x11, 1,    0x21, 1,    0,               // AC (key 1): int8 x2
      0x11, 2,    0x11, 3,                     // AN (key 2): 3
  });
  const std::string indiv = bytes({
      0x11, 3, 0x21,  // GT (key 3): int8 x2 per sample
      0x02, 0x05,     // 0|1: (0+1)<<1, (1+1)<<1|1
      0x00, 0x01,     // .|.: 0, 0|1
  });
  EXPECT_EQ(out, bytes({static_cast<int>(shared.size()), 0, 0, 0,
                        static_cast<int>(indiv.size()), 0, 0, 0}) +
                     shared + indiv);
}

// The one-digit GT path gives way, having written nothing, to the general
// one when any sample is other: two digits in the last one.
TEST(BcfWriterTest, GenotypesOtherThanOneDigitEachTakeTheGeneralPath) {
  BcfHeader header(kHeader);
  VcfRecord record;
  std::string out;
  appendBcfRecords("c1\t1\t.\tA\tC\t.\t.\tAC=11;AN=4\tGT\t0|1\t1|10\n", header,
                   record, out);
  EXPECT_EQ(out.substr(out.size() - 7), bytes({0x11, 3, 0x21, 2, 5, 4, 23}));
  out.clear();
  appendBcfRecords("c1\t1\t.\tA\tC\t.\t.\tAC=1;AN=4\tGT\t0|1\t1|.\n", header,
                   record, out);
  EXPECT_EQ(out.substr(out.size() - 7), bytes({0x11, 3, 0x21, 2, 5, 4, 1}));
}

// An allele past 62 needs int16 GT values; 15 or more ALTs the long size
// form (0xF1, then the count as a typed int).
TEST(BcfWriterTest, WideValuesAndLongVectors) {
  BcfHeader header(kHeader);
  VcfRecord record;
  std::string line = "c1\t1\t.\tA\t";
  std::string ac = "AC=";
  for (int i = 1; i <= 63; ++i) {
    if (i > 1) {
      line.push_back(',');
      ac.push_back(',');
    }
    line.push_back('A');
    line.append(static_cast<std::size_t>(i), 'C');
    ac.append(i == 63 ? "300" : "0");
  }
  line += "\t.\t.\t" + ac + ";AN=2\tGT\t63|0\t.|0\n";
  std::string out;
  appendBcfRecords(line, header, record, out);
  // INFO AC: key, 0xF2 (int16, long size), 0x11 63, then 63 int16 values.
  const std::string acBytes = bytes({0x11, 1, 0xF2, 0x11, 63});
  const std::size_t at = out.find(acBytes);
  ASSERT_NE(at, std::string::npos);
  EXPECT_EQ(out.substr(at + acBytes.size() + 62 * 2, 2), bytes({44, 1}));
  // GT: int16 x2 per sample: 63|0 = 128, 3 ; .|0 = 0, 3.
  EXPECT_EQ(out.substr(out.size() - 11),
            bytes({0x11, 3, 0x22, 128, 0, 3, 0, 0, 0, 3, 0}));
}

TEST(BcfWriterTest, SinkTakesTextCutAnywhereAndCountsItsBytes) {
  const std::string rows =
      "c1\t5\t.\tA\tC\t.\t.\tAC=1;AN=4\tGT\t1|0\t0|0\n"
      "c2\t7\t.\tT\t.\t.\t.\tAN=3\tGT\t0|0\t0|.\n";
  const std::string text = kHeader + rows;
  StringSink whole;
  BcfSink once(whole);
  once.write(text);
  once.finish();
  BcfHeader header(kHeader);
  VcfRecord record;
  std::string expected = header.bytes();
  appendBcfRecords(rows, header, record, expected);
  EXPECT_EQ(whole.text(), expected);
  EXPECT_EQ(once.bytesWritten(), expected.size());
  for (std::size_t cut = 1; cut < text.size(); cut += 7) {
    StringSink pieces;
    BcfSink sink(pieces);
    sink.write(std::string_view(text).substr(0, cut));
    sink.write(std::string_view(text).substr(cut));
    sink.finish();
    EXPECT_EQ(pieces.text(), expected) << "cut at " << cut;
  }
}

TEST(BcfWriterTest, PartsAfterTheFirstEncodeByAHeaderTheyDoNotWrite) {
  StringSink out;
  BcfSink sink(out);
  sink.omitHeader(kHeader);
  sink.write("c2\t7\t.\tT\t.\t.\t.\tAN=3\tGT\t0|0\t0|.\n");
  sink.finish();
  EXPECT_EQ(out.text().substr(8, 4), bytes({1, 0, 0, 0}));  // contig c2
}

TEST(BcfWriterTest, RefusesWhatBcfCannotHold) {
  BcfHeader header(kHeader);
  VcfRecord record;
  std::string out;
  EXPECT_NO_THROW(
      appendBcfRecords("c1\t2147483647\t.\tA\t.\t.\t.\tAN=0\tGT\t.|.\t.|.\n",
                       header, record, out));
  EXPECT_THROW(
      appendBcfRecords("c1\t2147483648\t.\tA\t.\t.\t.\tAN=0\tGT\t.|.\t.|.\n",
                       header, record, out),
      IoError);
  StringSink cut;
  BcfSink sink(cut);
  sink.write(kHeader + "c1\t5");
  EXPECT_THROW(sink.finish(), std::logic_error);
}

}  // namespace
}  // namespace hapmat
