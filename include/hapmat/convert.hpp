#pragma once
/** @file Converting a genome matrix: options, statistics, the entry point. */

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "hapmat/output.hpp"
#include "hapmat/schema.hpp"
#include "hapmat/stage_stats.hpp"

namespace hapmat {

/**
 * The output: kHaplotype is the original script's haplotype table,
 * kPhaseExtender phase-Extender's haplotype reference panel (the same rows,
 * tab-separated, under the names it reads), kVcf a VCFv4.2 file with phased
 * genotypes, kBcf the same records as BCF 2.2, uncompressed (the sink
 * compresses: BGZF for a .bcf file) (docs/FORMAT.md).
 */
enum class OutputFormat { kHaplotype, kPhaseExtender, kVcf, kBcf };

/** Whether the output is made of VCF records: VCF, or BCF. */
inline bool hasVcfRecords(OutputFormat format) {
  return format == OutputFormat::kVcf || format == OutputFormat::kBcf;
}

/** VCF: what a missing allele (N) becomes in a genotype. */
enum class MissingGenotype {
  kDot,  ///< `.`, VCF's missing allele
  kRef,  ///< REF's `0`, for reference panels that refuse missing alleles
};

/** VCF: what a haplotype's gaps (`-`) become (docs/FORMAT.md, "Deletions"). */
enum class VcfGaps {
  kDeletions,  ///< each run of gaps an anchored, left-aligned deletion
  kStar,       ///< each gap its own `*` allele, per position
};

/** VCF: the index the BGZF output will get, which the rows must suit. */
enum class VcfIndex {
  kNone,
  kAuto,  ///< tabix (.tbi) when every row fits one, else CSI
  kTbi,
  kCsi,
};

/**
 * kSimd: Highway kernels in an ordered oneTBB pipeline, the fast one.
 * kReference: the scalar streaming converter, the oracle of the tests.
 * Both write the same bytes.
 */
enum class Engine { kSimd, kReference };

/**
 * One of `count` parts of a conversion, for splitting it over machines:
 * part `index` (from 1) converts the rows that start in bytes
 * [(index - 1) * size / count, index * size / count) of the input file
 * (docs/FORMAT.md, "Parts"). Only part 1 writes the header; the parts'
 * outputs, joined in order, are the whole run's.
 */
struct Part {
  unsigned index = 1;
  unsigned count = 1;
};

/** How far a conversion has come, for a progress display. */
struct Progress {
  std::uint64_t fileBytes = 0;  ///< of the input read (compressed, if it is)
  std::uint64_t textBytes = 0;  ///< of text converted (after decompression)
};

/** Everything a conversion needs besides the output sink. */
struct ConvertOptions {
  std::string inputPath = "-";  ///< a path, or "-" for standard input
  std::string headerPath;       ///< empty: the matrix has a header line
  std::string pairsPath;        ///< empty: pair `<stem>a` with `<stem>b`
  std::string faiPath;  ///< VCF: a FASTA index whose lengths give ##contig
  OutputFormat format = OutputFormat::kHaplotype;
  MissingGenotype missing = MissingGenotype::kDot;  ///< VCF only
  VcfGaps gaps = VcfGaps::kDeletions;               ///< VCF only
  /// VCF deletions: the longest stretch of overlapping deletions written as
  /// one record (longer ones are written missing), and how far back a
  /// deletion is left-aligned; it bounds the memory they take
  std::size_t maxDeletion = 10000;
  /// VCF only: rows out of order for this index stop the run at their line
  VcfIndex index = VcfIndex::kNone;
  DelimiterChoice delimiter = DelimiterChoice::kAuto;
  Delimiter outDelimiter = Delimiter::kSpace;
  Engine engine = Engine::kSimd;
  /// Highway target for the kernels (e.g. "AVX2"; empty: the best). Forcing
  /// one changes the process-wide dispatch for the duration of convert().
  std::string simdTarget;
  unsigned threads = 0;                          ///< 0: every core
  std::size_t blockSize = std::size_t{1} << 20;  ///< measured best: fits L2
  /// The longest line, its '\n' not counted; >= blockSize.
  std::size_t maxLineBytes = std::size_t{256} << 20;
  bool skipBadRows = false;
  /// Rows kept, as bcftools view -r: `CHROM`, `CHROM:POS`, `CHROM:FROM-`,
  /// `CHROM:FROM-TO`, joined by ',' (empty: every row)
  std::string regions;
  /// -R: a file of regions (BED when named .bed or .bed.gz; else `CHROM POS`
  /// or `CHROM FROM TO`, 1-based), read as bcftools reads it
  std::string regionsFile;
  /// Samples written, as bcftools view -s: names joined by ',', in that
  /// order, or after a leading '^' every sample but those (empty: all)
  std::string samples;
  /// -S: `[^]FILE`, one sample name a line, as `samples`
  std::string samplesFile;
  /// Invariant rows are written too (ALT `.`)
  bool allSites = false;
  /// VCF only: each haplotype column is a haploid sample of its own
  bool haploid = false;
  /// Convert only this part of a plain-text or BGZF file (nothing: all)
  std::optional<Part> part;
  /// Called as blocks are done, in input order, never from two threads at
  /// once; it should return quickly.
  std::function<void(const Progress&)> onProgress;
  /// Filled, when set, with the SIMD engine's stages as they ran (the
  /// reference engine, one loop on one thread, has none)
  PipelineStats* pipelineStats = nullptr;
};

/** Counts of one run, for the summary. */
struct Stats {
  static constexpr std::size_t kKeptBadRows = 10;

  std::uint64_t rowsRead = 0;  ///< data rows seen, bad ones included
  std::uint64_t rowsWritten = 0;
  std::uint64_t rowsSkipped = 0;  ///< bad rows passed over (--skip-bad-rows)
  /// With regions: rows read and found outside them (not written)
  std::uint64_t rowsOutsideRegions = 0;
  /// With regions: input bytes the bisection did not need to read
  std::uint64_t bytesSkippedByRegions = 0;
  /// Haplotype columns in no written sample: their alleles still count for
  /// ALT, but no genotype shows them
  std::vector<std::string> columnsInNoSample;
  /// "file:line:column: reason" of the first kKeptBadRows skipped rows
  std::vector<std::string> firstSkipped;
  /// VCF: rows not written because VCF cannot carry their REF
  std::uint64_t vcfRowsDropped = 0;
  /// VCF: distinct alleles left out of ALT, summed over the written rows
  std::uint64_t vcfAllelesDropped = 0;
  /// VCF deletions: runs of gaps written as deletion alleles
  std::uint64_t vcfDeletions = 0;
  /// VCF deletions: runs of gaps in a stretch longer than maxDeletion,
  /// written as missing alleles
  std::uint64_t vcfDeletionsMissing = 0;
  /// VCF deletions with -r/-R: joined records outside the regions, not
  /// written (the rows are joined before the regions pick among them)
  std::uint64_t vcfRecordsOutsideRegions = 0;
  std::uint64_t bytesRead = 0;  ///< uncompressed bytes of the input
  std::uint64_t bytesWritten = 0;
  /// Doubts about a run that succeeded, for the caller to show (the library
  /// prints nothing): "FILE: no BGZF end-of-file block: ...".
  std::vector<std::string> warnings;
  /// The index the output gets: ConvertOptions::index, kAuto resolved
  VcfIndex index = VcfIndex::kNone;
  /// BCF to a file without --fai: the rows' CHROMs were not those predicted
  /// from a few reads of the file, so the conversion was redone after
  /// reading every row's CHROM (as a BCF to a pipe does first)
  bool contigsScanned = false;

  bool operator==(const Stats&) const = default;
};

/**
 * Converts options.inputPath into `out`. Throws InputError for bad input
 * (unless skipBadRows covers it), UsageError for bad pairs or columns or an
 * unknown SIMD target, IoError when reading or writing fails, and
 * MismatchError when a plain input is cut short while it is read.
 *
 * A plain regular file is read through mappings of its ranges. The first
 * one installs a SIGBUS handler for the process (kept, and chained to the
 * handler there before: a fault outside hapmat's mappings goes to it, or
 * ends the process as it would have), which turns a read of a page the
 * file lost into zeros and that error.
 */
Stats convert(const ConvertOptions& options, ByteSink& out);

/** The SIMD targets the kernels were compiled for and this CPU runs, best
 * first (e.g. AVX3_DL AVX3 AVX2 SSE4 SCALAR). */
std::vector<std::string> simdTargets();

}  // namespace hapmat
