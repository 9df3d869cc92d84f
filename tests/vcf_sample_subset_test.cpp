#include "formats/vcf_sample_subset.hpp"

#include <gtest/gtest.h>

#include <string>

namespace hapmat {
namespace {

std::string subset(std::vector<std::size_t> kept, std::string_view records) {
  VcfSampleSubset picker(std::move(kept));
  std::string out;
  picker.apply(records, out);
  return out;
}

// Samples 2 then 0 of three: their genotypes in that order, AC and AN
// counted over them (.|0 and 0|1: one C, no AT, three called), ALT kept.
TEST(VcfSampleSubset, PicksSamplesInOrderAndCountsThem) {
  EXPECT_EQ(subset({2, 0},
                   "1\t5\t.\tA\tC,AT\t.\t.\tAC=2,1;AN=6\tGT\t0|1\t1|2\t.|0\n"),
            "1\t5\t.\tA\tC,AT\t.\t.\tAC=1,0;AN=3\tGT\t.|0\t0|1\n");
}

// Only a sample left out carries the ALT: AC 0, the record still written,
// as bcftools view -s writes it; each line on its own.
TEST(VcfSampleSubset, KeepsARecordWhoseAltNoKeptSampleCarries) {
  EXPECT_EQ(subset({1},
                   "2\t7\t.\tGTT\tG\t.\t.\tAC=1;AN=4\tGT\t0|1\t0|0\n"
                   "2\t9\t.\tC\tT\t.\t.\tAC=2;AN=3\tGT\t1|1\t.|.\n"),
            "2\t7\t.\tGTT\tG\t.\t.\tAC=0;AN=2\tGT\t0|0\n"
            "2\t9\t.\tC\tT\t.\t.\tAC=0;AN=0\tGT\t.|.\n");
}

// Allele numbers of two digits are read whole.
TEST(VcfSampleSubset, ReadsAlleleNumbersOfTwoDigits) {
  EXPECT_EQ(subset({0},
                   "3\t1\t.\tA\tC,G,T,AC,AG,AT,CA,CC,CG,CT\t.\t.\t"
                   "AC=0,0,0,0,0,0,0,0,0,2;AN=4\tGT\t10|10\t0|0\n"),
            "3\t1\t.\tA\tC,G,T,AC,AG,AT,CA,CC,CG,CT\t.\t.\t"
            "AC=0,0,0,0,0,0,0,0,0,2;AN=2\tGT\t10|10\n");
}

}  // namespace
}  // namespace hapmat
