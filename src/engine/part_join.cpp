// `hapmat concat`'s library side: parts checked against their records and
// each other, then joined in K order (include/hapmat/parts.hpp).

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <stdexcept>
#include <vector>

#include "hapmat/error.hpp"
#include "hapmat/parts.hpp"
#include "io/checksum.hpp"
#include "io/compressed_input.hpp"
#include "io/input_source.hpp"
#include "io/text_file.hpp"

namespace hapmat {

namespace {

constexpr std::size_t kCopyBytes = std::size_t{1} << 20;

// BGZF writers end a file with this empty block.
constexpr unsigned char kEofBlock[] = {
    0x1f, 0x8b, 8,    4, 0, 0, 0, 0, 0, 0xff, 6, 0, 'B', 'C',
    2,    0,    0x1b, 0, 3, 0, 0, 0, 0, 0,    0, 0, 0,   0};

PartRecord readRecord(const std::string& partPath) {
  // A shell glob such as out.part* names the records beside the parts too.
  if (partPath.ends_with(kPartRecordSuffix)) {
    throw MismatchError(
        partPath +
        ": a part record, not a part: name the parts alone (a glob such as "
        "out.part* takes the records beside them too: end it as the parts' "
        "names end, e.g. out.part*[0-9] or part*.vcf.gz)");
  }
  std::string path = partRecordPath(partPath);
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0 && errno == ENOENT) {
    throw MismatchError(
        partPath + ": no part record beside it (" + path +
        "): not a part written by hapmat convert --part to a file, or its "
        "run did not finish");
  }
  return PartRecord::parse(readTextFile(path), path);
}

std::string hint(const std::string& key) {
  if (key.starts_with("input-")) {
    return "the input changed between their runs: a part left from an "
           "earlier run, or of another input?";
  }
  if (key == "parts") return "parts of splits into different numbers";
  return "parts of runs with different options";
}

// Both runs' fields, in a's order, then any only b has.
void requireSameRun(const std::string& aPath, const PartRecord& a,
                    const std::string& bPath, const PartRecord& b) {
  auto differ = [&](const std::string& key) {
    auto shown = [](std::string_view value) {
      return value.empty() ? std::string("(none)") : std::string(value);
    };
    throw MismatchError(
        bPath + " and " + aPath + " are not parts of one run: " + key + " is " +
        shown(b.runValue(key)) + " in the first's record, " +
        shown(a.runValue(key)) + " in the second's (" + hint(key) + ")");
  };
  for (const RecordField& field : a.run) {
    if (b.runValue(field.first) != field.second) differ(field.first);
  }
  for (const RecordField& field : b.run) {
    if (a.runValue(field.first).empty()) differ(field.first);
  }
}

std::string partName(const Part& part) {
  return std::to_string(part.index) + "/" + std::to_string(part.count);
}

MismatchError changedPart(const std::string& path, const std::string& what) {
  return MismatchError(path + ": " + what +
                       ": the part was damaged, cut short or changed after "
                       "hapmat wrote it; convert it again");
}

void checkDigest(const std::string& path, const PartRecord& record,
                 const FileDigest& digest) {
  if (digest.bytes < record.bytes) {
    throw changedPart(path, std::to_string(digest.bytes) +
                                " bytes where its "
                                "record says " +
                                std::to_string(record.bytes));
  }
  if (digest != FileDigest{record.bytes, record.crc32}) {
    char text[96];
    std::snprintf(text, sizeof text,
                  "%llu bytes of CRC-32 %08x where its record says %llu "
                  "bytes of %08x",
                  static_cast<unsigned long long>(digest.bytes), digest.crc32,
                  static_cast<unsigned long long>(record.bytes), record.crc32);
    throw changedPart(path, text);
  }
}

void copyPlain(const std::string& path, const PartRecord& record,
               ByteSink& out) {
  std::unique_ptr<InputSource> part = InputSource::open(path);
  std::vector<char> buffer(kCopyBytes);
  FileDigest digest;
  for (std::size_t n; (n = part->read(buffer.data(), buffer.size())) > 0;) {
    std::string_view bytes(buffer.data(), n);
    digest.crc32 = crc32(digest.crc32, bytes);
    digest.bytes += n;
    out.write(bytes);
  }
  checkDigest(path, record, digest);
}

// Every block is inflated, which checks its CRC-32 and size; empty blocks
// (the end-of-file block) carry nothing and are left out of raw copies.
void copyBgzf(const std::string& path, const PartRecord& record, ByteSink& out,
              bool rawBlocks) {
  std::unique_ptr<InputSource> part = InputSource::open(path);
  BgzfBlockReader reader(*part);
  BgzfInflater inflater;
  std::vector<char> raw, text;
  std::vector<BgzfBlock> blocks;
  FileDigest digest;
  try {
    while (reader.readBlocks(kCopyBytes, raw, blocks)) {
      inflater.inflate(raw, blocks, digest.bytes, text);
      digest.crc32 = crc32(digest.crc32, {raw.data(), raw.size()});
      digest.bytes += raw.size();
      if (!rawBlocks) {
        out.write({text.data(), text.size()});
      } else {
        for (const BgzfBlock& block : blocks) {
          if (block.inflatedSize > 0) {
            out.write({raw.data() + block.offset, block.size});
          }
        }
      }
      raw.clear();
      blocks.clear();
    }
  } catch (const CorruptStream& e) {
    throw changedPart(path, std::string(e.what()) + " at compressed byte " +
                                std::to_string(e.offset()));
  }
  checkDigest(path, record, digest);
}

// `parts` (PartSet's, in K order): each K of 1..N once. At most
// kListedParts missing ones are listed.
template <typename Parts>
void requireEachPartOnce(const Parts& parts) {
  constexpr unsigned kListedParts = 10;
  const Part& first = parts.front().record.part;
  std::string missing;
  unsigned missingCount = 0;
  auto addMissing = [&](unsigned from, unsigned to) {
    for (unsigned k = from; k < to && missingCount + (k - from) < kListedParts;
         ++k) {
      missing += (missing.empty() ? "" : ", ") + std::to_string(k);
    }
    missingCount += to - from;
  };
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const Part& part = parts[i].record.part;
    if (i > 0 && part.index == parts[i - 1].record.part.index) {
      throw MismatchError(parts[i - 1].path + " and " + parts[i].path +
                          " are both part " + partName(part) +
                          ": give each part once");
    }
    addMissing(i == 0 ? 1 : parts[i - 1].record.part.index + 1, part.index);
  }
  addMissing(parts.back().record.part.index + 1, first.count + 1);
  if (missingCount > kListedParts) {
    missing += " and " + std::to_string(missingCount - kListedParts) + " more";
  }
  if (missingCount > 0) {
    throw MismatchError(
        "part(s) " + missing + " of " + std::to_string(first.count) +
        " missing: the run's parts (" + parts.front().path + " is part " +
        partName(first) + ") must all be given, each once");
  }
}

}  // namespace

PartSet::PartSet(const std::vector<std::string>& paths) {
  if (paths.empty()) throw UsageError("no parts to join");
  for (const std::string& path : paths) {
    InputSource::open(path);  // a missing part is named as such
    parts_.push_back({path, readRecord(path)});
  }
  for (const PartFile& part : parts_) {
    requireSameRun(parts_.front().path, parts_.front().record, part.path,
                   part.record);
  }
  std::stable_sort(parts_.begin(), parts_.end(),
                   [](const PartFile& a, const PartFile& b) {
                     return a.record.part.index < b.record.part.index;
                   });
  requireEachPartOnce(parts_);
  const PartRecord& first = parts_.front().record;
  std::string_view format = first.runValue("format");
  format_ = format == "vcf"              ? OutputFormat::kVcf
            : format == "bcf"            ? OutputFormat::kBcf
            : format == "phase-extender" ? OutputFormat::kPhaseExtender
                                         : OutputFormat::kHaplotype;
  bgzf_ = first.runValue("compression") == "bgzf";
}

JoinStats PartSet::join(ByteSink& out, bool rawBlocks) const {
  if (rawBlocks && !bgzf_) throw std::logic_error("raw blocks of plain parts");
  JoinStats stats;
  for (const PartFile& part : parts_) {
    if (bgzf_) {
      copyBgzf(part.path, part.record, out, rawBlocks);
    } else {
      copyPlain(part.path, part.record, out);
    }
    ++stats.parts;
    stats.rows += part.record.rows;
    stats.bytesRead += part.record.bytes;
  }
  if (rawBlocks) {
    out.write({reinterpret_cast<const char*>(kEofBlock), sizeof kEofBlock});
  }
  return stats;
}

}  // namespace hapmat
