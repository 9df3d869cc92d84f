#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "formats/vcf_deletions.hpp"
#include "hapmat/error.hpp"
#include "matrix/regions.hpp"

namespace hapmat {
namespace {

// A row of CHROM 1 as an engine hands it to the joiner: its REF, how the
// trace marks it, and its line (the VCF record written for it, or the
// matrix row of a row aside).
struct Row {
  std::string_view pos;
  std::string_view ref;
  char mark = 0;
  std::string_view line;
};

// A stretch's trace and texts, in buffers the test can overwrite, as an
// engine reuses a chunk's.
struct Stretch {
  RowTrace trace;
  std::string asideText;
  std::string records;

  explicit Stretch(const std::vector<Row>& rows) {
    for (const Row& row : rows) {
      std::string& text = row.mark == kTraceAside ? asideText : records;
      if (row.mark != 0) text.append(row.line).push_back('\n');
    }
    std::size_t asideAt = 0;
    for (const Row& row : rows) {
      trace.add(1, "1", row.pos, row.ref, row.mark);
      if (row.mark == kTraceAside) {
        trace.missingLines.push_back(
            std::string_view(asideText).substr(asideAt, row.line.size()));
        asideAt += row.line.size() + 1;
      }
    }
  }

  void overwrite() {
    std::fill(asideText.begin(), asideText.end(), 'x');
    std::fill(records.begin(), records.end(), 'x');
  }
};

// One sample (two haplotypes, columns 3 and 4); the second haplotype has
// a gap at 3-4, anchored on the row aside at 2, where the first is N.
std::vector<std::unique_ptr<Stretch>> gapAfterARowAside() {
  std::vector<std::unique_ptr<Stretch>> stretches;
  stretches.push_back(std::make_unique<Stretch>(std::vector<Row>{
      {"1", "A", 0, {}}, {"2", "C", kTraceAside, "1\t2\tC\tN\tC"}}));
  stretches.push_back(std::make_unique<Stretch>(std::vector<Row>{
      {"3", "G", kTraceWritten, "1\t3\t.\tG\t*\t.\t.\tAC=1;AN=2\tGT\t0|1"},
      {"4", "T", kTraceWritten, "1\t4\t.\tT\t*\t.\t.\tAC=1;AN=2\tGT\t0|1"}}));
  stretches.push_back(std::make_unique<Stretch>(
      std::vector<Row>{{"5", "A", 0, {}}, {"6", "C", 0, {}}}));
  return stretches;
}

constexpr std::string_view kDeletion =
    "1\t2\t.\tCGT\tC\t.\t.\tAC=1;AN=1\tGT\t.|1\n";

// With textKept, a stretch's text is read until the next add() returns,
// and not after: the row aside at 2, which the deletion after it takes in
// during the second stretch, is copied at that stretch's end, so the
// first stretch's buffers may be reused then (as the SIMD engine's write
// stage reuses a chunk once it has written the next).
TEST(DeletionJoiner, KeptTextIsReadUntilTheNextStretchIsTaken) {
  const std::vector<std::unique_ptr<Stretch>> stretches = gapAfterARowAside();
  DeletionJoiner joiner({3, 4}, '\t', 5, 10000);
  std::string out;
  for (std::size_t i = 0; i < stretches.size(); ++i) {
    joiner.add(stretches[i]->trace, stretches[i]->records, out, true);
    if (i > 0) stretches[i - 1]->overwrite();
  }
  joiner.finish(out);
  EXPECT_EQ(out, kDeletion);
}

// Without textKept, each stretch may be reused as soon as add() returns.
TEST(DeletionJoiner, TextNotKeptIsCopiedAtOnce) {
  const std::vector<std::unique_ptr<Stretch>> stretches = gapAfterARowAside();
  DeletionJoiner joiner({3, 4}, '\t', 5, 10000);
  std::string out;
  for (const std::unique_ptr<Stretch>& stretch : stretches) {
    joiner.add(stretch->trace, stretch->records, out);
    stretch->overwrite();
  }
  joiner.finish(out);
  EXPECT_EQ(out, kDeletion);
}

// A bubble's positions with the same genotypes lengthen its spellings by
// class: a haplotype of REF takes the positions' REF, a missing one as
// many N, and one of another allele (or a gap) its allele at each. Two
// samples: the second haplotype deleted at 2-4, the third missing there,
// the fourth of a different base at each.
TEST(DeletionJoiner, BubbleSpellsEachKindOfHaplotypeAcrossEqualGenotypes) {
  const Stretch stretch(
      std::vector<Row>{{"1", "A", 0, {}},
                       {"2", "C", kTraceWritten,
                        "1\t2\t.\tC\t*,G\t.\t.\tAC=1,1;AN=3\tGT\t0|1\t.|2"},
                       {"3", "G", kTraceWritten,
                        "1\t3\t.\tG\t*,A\t.\t.\tAC=1,1;AN=3\tGT\t0|1\t.|2"},
                       {"4", "T", kTraceWritten,
                        "1\t4\t.\tT\t*,C\t.\t.\tAC=1,1;AN=3\tGT\t0|1\t.|2"},
                       {"5", "A", 0, {}}});
  DeletionJoiner joiner({3, 4, 5, 6}, '\t', 7, 10000);
  std::string out;
  joiner.add(stretch.trace, stretch.records, out);
  joiner.finish(out);
  EXPECT_EQ(out, "1\t1\t.\tACGT\tA,AGAC\t.\t.\tAC=1,1;AN=3\tGT\t0|1\t.|2\n");
}

// A bubble of many spellings (16 haplotypes over 2-3, anchored at 1):
// each distinct one an ALT in the order it first appears, and one spelled
// again by other genotypes the same ALT (h14's A then gap is h3's gap then
// A, AA; h16's is h11's, AG), also once there are more ALTs than are
// found by a scan (DeletionJoiner::altNumber).
TEST(DeletionJoiner, ManySpellingsAreEachOneAltInTheOrderSeen) {
  const Stretch stretch(
      std::vector<Row>{{"1", "A", 0, {}},
                       {"2", "C", kTraceWritten,
                        "1\t2\t.\tC\t*,G,T,A\t.\t.\tAC=4,3,2,2;AN=16\tGT"
                        "\t0|1\t1|2\t3|0\t0|0\t4|2\t1|0\t3|4\t1|2"},
                       {"3", "G", kTraceWritten,
                        "1\t3\t.\tG\t*,A,C,T\t.\t.\tAC=5,3,2,2;AN=16\tGT"
                        "\t0|1\t2|0\t0|2\t3|4\t2|3\t0|1\t4|1\t1|1"},
                       {"4", "T", 0, {}}});
  std::vector<std::size_t> columns(16);
  for (std::size_t h = 0; h < columns.size(); ++h) columns[h] = 3 + h;
  DeletionJoiner joiner(columns, '\t', 19, 10000);
  std::string out;
  joiner.add(stretch.trace, stretch.records, out);
  joiner.finish(out);
  EXPECT_EQ(out,
            "1\t1\t.\tACG\tA,AA,AGG,ATG,ACA,ACC,ACT,AAA,AGC,AG,AC,ATT\t.\t."
            "\tAC=2,2,1,1,1,1,1,1,1,2,1,1;AN=16\tGT\t0|1\t2|3\t4|5\t6|7"
            "\t8|9\t10|11\t12|2\t1|10\n");
}

// A SNP, a deletion of 3-4 anchored at 2, a SNP at 6.
std::vector<Row> snpDeletionSnp() {
  return {{"1", "A", kTraceWritten, "1\t1\t.\tA\tC\t.\t.\tAC=1;AN=2\tGT\t1|0"},
          {"2", "C", 0, {}},
          {"3", "G", kTraceWritten, "1\t3\t.\tG\t*\t.\t.\tAC=1;AN=2\tGT\t0|1"},
          {"4", "T", kTraceWritten, "1\t4\t.\tT\t*\t.\t.\tAC=1;AN=2\tGT\t0|1"},
          {"5", "A", 0, {}},
          {"6", "C", kTraceWritten, "1\t6\t.\tC\tG\t.\t.\tAC=1;AN=2\tGT\t0|1"}};
}

std::string joinedIn(std::string_view regions, DeletionCounts* counts) {
  const RegionSet set(parseRegions(regions));
  const Stretch stretch(snpDeletionSnp());
  DeletionJoiner joiner({3, 4}, '\t', 5, 10000);
  joiner.selectRegions(&set);
  std::string out;
  joiner.add(stretch.trace, stretch.records, out);
  joiner.finish(out);
  *counts = joiner.counts();
  return out;
}

// -r keeps the records that overlap a region, as bcftools view -r: the
// deletion written at 2 spans 2-4, so a region of 4-5 keeps it; the SNPs
// at 1 and 6 are counted outside.
TEST(DeletionJoiner, RegionsKeepTheRecordsThatOverlapThem) {
  DeletionCounts counts;
  EXPECT_EQ(joinedIn("1:4-5", &counts),
            "1\t2\t.\tCGT\tC\t.\t.\tAC=1;AN=2\tGT\t0|1\n");
  EXPECT_EQ(counts.outsideRegions, 2u);
  EXPECT_EQ(counts.recordsOut, 1u);
  EXPECT_EQ(joinedIn("1:5,2", &counts), "");
  EXPECT_EQ(counts.outsideRegions, 3u);
  EXPECT_EQ(joinedIn("1:6-9", &counts),
            "1\t6\t.\tC\tG\t.\t.\tAC=1;AN=2\tGT\t0|1\n");
}

// Rows read from the middle of a file: a deletion open at the first row
// given began before it, unknown. Refused when it is to be written,
// left out silently when no region wants it.
TEST(DeletionJoiner, ARecordReachingBackToTheHorizonIsRefusedOnlyWhenWanted) {
  const Stretch stretch(std::vector<Row>{
      {"3", "G", kTraceWritten, "1\t3\t.\tG\t*\t.\t.\tAC=1;AN=2\tGT\t0|1"},
      {"4", "T", 0, {}},
      {"5", "A", 0, {}}});
  for (std::string_view regions : {"1:3", "1:5"}) {
    const RegionSet set(parseRegions(regions));
    DeletionJoiner joiner({3, 4}, '\t', 5, 10000);
    joiner.selectRegions(&set);
    joiner.startAtHorizon();
    std::string out;
    joiner.add(stretch.trace, stretch.records, out);
    if (regions == "1:3") {
      EXPECT_THROW(joiner.finish(out), UsageError);
    } else {
      joiner.finish(out);
      EXPECT_EQ(out, "");
    }
  }
}

}  // namespace
}  // namespace hapmat
