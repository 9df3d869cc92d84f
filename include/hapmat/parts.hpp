#pragma once
/** @file Parts that verify themselves: the record `convert --part K/N`
 * writes beside each part, and the join that checks the parts against their
 * records and each other before it writes a byte (docs/FORMAT.md, "Parts").
 */

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "hapmat/convert.hpp"
#include "hapmat/output.hpp"

namespace hapmat {

/**
 * What the parts of one run know of their input, alike in every part: its
 * size, modification time (ns) and the CRC-32 of kInputSampleBytes windows
 * at its start, its end and each border between two parts (at most
 * kInputSampleBorders of them, evenly spread). It catches any change of
 * size or time and any edit in a window; it cannot catch an edit outside the
 * windows of a file whose size and time were then set back.
 */
struct InputIdentity {
  static constexpr std::uint64_t kInputSampleBytes = 4096;
  static constexpr unsigned kInputSampleBorders = 1024;

  std::uint64_t size = 0;
  std::int64_t mtimeNs = 0;
  std::uint32_t samplesCrc32 = 0;

  bool operator==(const InputIdentity&) const = default;
};

/** Identifies the file at `path` as split into `partCount` parts. Throws
 * IoError, UsageError when it cannot be read at random (standard input, a
 * pipe), as a part's input. */
InputIdentity identifyInput(const std::string& path, unsigned partCount);

/** One "key value" line of a part record. */
using RecordField = std::pair<std::string, std::string>;

/**
 * The record of one part: which part, of which run, and what it holds.
 * As text (a file beside the part, partRecordPath()), one "key value" line
 * each:
 *
 *     hapmat-part 1            the record's own format
 *     part K
 *     input-path PATH          as given; not compared
 *     parts N                  from here on, `run`: the same in every part
 *     hapmat-version ...       of one run (input identity, byte-changing
 *     input-size ...           options, the output's compression)
 *     ...
 *     rows R                   rows the part wrote
 *     bytes B                  the part file's size and the CRC-32 of its
 *     crc32 8HEX               bytes (as stored: BGZF parts compressed)
 */
struct PartRecord {
  Part part;
  std::string inputPath;
  std::vector<RecordField> run;
  std::uint64_t rows = 0;
  std::uint64_t bytes = 0;
  std::uint32_t crc32 = 0;

  /** The value of run field `key`; empty when there is none. */
  std::string_view runValue(std::string_view key) const;
  /** The record as text, as written beside the part. */
  std::string text() const;
  /** Reads a record written by text(). Throws InputError naming `name`
   * at the line that is wrong. */
  static PartRecord parse(std::string_view text, const std::string& name);
};

/** How the name of a part's record ends. */
inline constexpr std::string_view kPartRecordSuffix = ".hapmat-part";

/** Where the record of the part file `partPath` is: PATH.hapmat-part. */
std::string partRecordPath(const std::string& partPath);

/**
 * Converts options.part of the input into `out`, as convert() does, and
 * describes it in `record` (all but the output's size and checksum, which
 * recordOutput() adds once the file is whole). Throws MismatchError when
 * the input's identity at the end differs from the start: a part must not
 * mix two versions of its input. std::logic_error without options.part.
 */
Stats convertPart(const ConvertOptions& options, ByteSink& out,
                  PartRecord& record);

/** Adds to `record` the size and CRC-32 of the finished part file open as
 * `fd` (whose compression, BGZF or none, every part of a run shares).
 * Throws IoError naming `name`. */
void recordOutput(PartRecord& record, int fd, const std::string& name,
                  bool bgzf);

/** Writes `record` atomically as partRecordPath(partPath). Throws IoError. */
void writePartRecord(const PartRecord& record, const std::string& partPath);

/** Removes the record of `partPath`, if there is one. Throws IoError. */
void removePartRecord(const std::string& partPath);

/** What a join did, for the summary. */
struct JoinStats {
  std::size_t parts = 0;
  std::uint64_t rows = 0;
  std::uint64_t bytesRead = 0;  ///< of the part files
};

/**
 * Parts 1..N of one run, each once, in K order whatever order they were
 * given in, checked against each other by their records.
 */
class PartSet {
 public:
  /**
   * Reads each part's record. Throws MismatchError naming the files and
   * what differs when the parts are not exactly parts 1..N of one run (a
   * record missing, another run's part, another N, a K missing or given
   * twice), InputError for a record that is not one, IoError.
   */
  explicit PartSet(const std::vector<std::string>& paths);

  OutputFormat format() const { return format_; }
  /** Whether the parts are BGZF (else plain text). */
  bool bgzf() const { return bgzf_; }

  /**
   * Writes the parts, in K order, into `out`, reading each once and
   * checking it as it goes: its size and CRC-32 against its record, and for
   * BGZF every block's CRC (each is inflated). `rawBlocks` (BGZF parts
   * only): `out` gets the parts' compressed blocks and one end-of-file
   * block, not their text. Throws MismatchError for a part changed, damaged
   * or cut short since it was written, IoError; what was written to `out`
   * must then be thrown away.
   */
  JoinStats join(ByteSink& out, bool rawBlocks) const;

 private:
  struct PartFile {
    std::string path;
    PartRecord record;
  };

  std::vector<PartFile> parts_;  // in K order
  OutputFormat format_ = OutputFormat::kHaplotype;
  bool bgzf_ = false;
};

}  // namespace hapmat
