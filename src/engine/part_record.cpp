// A part's record: what `convert --part K/N` read, how, and what it wrote
// (include/hapmat/parts.hpp).

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <stdexcept>

#include "hapmat/error.hpp"
#include "hapmat/parts.hpp"
#include "hapmat/version.hpp"
#include "io/checksum.hpp"
#include "io/input_source.hpp"

namespace hapmat {

namespace {

constexpr std::string_view kRecordFormat = "hapmat-part 1";

std::string hex32(std::uint32_t value) {
  char text[9];
  std::snprintf(text, sizeof text, "%08x", value);
  return text;
}

template <typename Number>
bool parseNumber(std::string_view text, Number& value, int base = 10) {
  const char* end = text.data() + text.size();
  auto [stop, error] = std::from_chars(text.data(), end, value, base);
  return !text.empty() && error == std::errc() && stop == end;
}

// The windows' CRC: the start, each border between two parts (or 1024
// borders evenly spread, so that a part of a huge split reads 4 MiB at
// most), and the end.
std::uint32_t sampleWindows(int fd, std::uint64_t size, unsigned partCount,
                            const std::string& name) {
  constexpr std::uint64_t kWindow = InputIdentity::kInputSampleBytes;
  std::uint64_t borders =
      std::min<std::uint64_t>(partCount, InputIdentity::kInputSampleBorders);
  std::uint32_t crc = 0;
  for (std::uint64_t i = 0; i < borders; ++i) {
    crc =
        digestRange(fd, i * (size / borders) + (i * (size % borders)) / borders,
                    kWindow, name, crc)
            .crc32;
  }
  return digestRange(fd, size - std::min(size, kWindow), kWindow, name, crc)
      .crc32;
}

std::string fileField(const std::string& path) {
  if (path.empty()) return "none";
  FileDigest digest = digestFile(path);
  return std::to_string(digest.bytes) + " " + hex32(digest.crc32);
}

const char* formatName(OutputFormat format) {
  switch (format) {
    case OutputFormat::kHaplotype:
      return "haplotype";
    case OutputFormat::kPhaseExtender:
      return "phase-extender";
    case OutputFormat::kBcf:
      return "bcf";
    case OutputFormat::kVcf:
      break;
  }
  return "vcf";
}

const char* indexName(VcfIndex index) {
  switch (index) {
    case VcfIndex::kNone:
      return "none";
    case VcfIndex::kAuto:
      return "auto";
    case VcfIndex::kTbi:
      return "tbi";
    case VcfIndex::kCsi:
      break;
  }
  return "csi";
}

// -r's or -s's list as given ("none": not given, which no list is).
std::string listField(const std::string& list) {
  if (list.empty()) return "none";
  std::string field = "list ";  // append(): g++ 12 warns wrongly on +
  field.append(list);
  return field;
}

// -S's file, with the '^' that leaves its samples out.
std::string samplesFileField(const std::string& argument) {
  if (!argument.starts_with('^')) return fileField(argument);
  std::string field = "^";
  field.append(fileField(argument.substr(1)));
  return field;
}

// VCF records' gaps: deletions or per-position '*' records; none elsewhere.
std::string gapsField(const ConvertOptions& options) {
  if (!hasVcfRecords(options.format)) return "none";
  return options.gaps == VcfGaps::kStar ? "star" : "deletions";
}

// Every option that changes the output's bytes, or whether a part fails;
// threads, block size, engine and SIMD target never do.
std::vector<RecordField> runFields(const ConvertOptions& options,
                                   const InputIdentity& input) {
  const std::string gaps = gapsField(options);
  return {
      {"parts", std::to_string(options.part->count)},
      {"hapmat-version", kVersion},
      {"input-size", std::to_string(input.size)},
      {"input-mtime-ns", std::to_string(input.mtimeNs)},
      {"input-samples-crc32", hex32(input.samplesCrc32)},
      {"format", formatName(options.format)},
      {"missing", options.missing == MissingGenotype::kRef ? "ref" : "dot"},
      {"delimiter", options.delimiter == DelimiterChoice::kSpace ? "space"
                    : options.delimiter == DelimiterChoice::kTab ? "tab"
                                                                 : "auto"},
      {"out-delimiter",
       options.outDelimiter == Delimiter::kTab ? "tab" : "space"},
      {"header", fileField(options.headerPath)},
      {"pairs", fileField(options.pairsPath)},
      {"fai", fileField(options.faiPath)},
      {"skip-bad-rows", options.skipBadRows ? "yes" : "no"},
      {"index", indexName(options.index)},
      {"regions", listField(options.regions)},
      {"regions-file", fileField(options.regionsFile)},
      {"samples", listField(options.samples)},
      {"samples-file", samplesFileField(options.samplesFile)},
      {"all-sites", options.allSites ? "yes" : "no"},
      {"haploid", options.haploid ? "yes" : "no"},
      {"gaps", gaps},
      {"max-deletion",
       gaps == "deletions" ? std::to_string(options.maxDeletion) : "none"},
  };
}

std::string describeChange(const InputIdentity& before,
                           const InputIdentity& after) {
  if (before.size != after.size) {
    return "its size went from " + std::to_string(before.size) + " to " +
           std::to_string(after.size) + " bytes";
  }
  if (before.mtimeNs != after.mtimeNs) return "its modification time changed";
  return "its bytes changed";
}

}  // namespace

InputIdentity identifyInput(const std::string& path, unsigned partCount) {
  std::unique_ptr<InputSource> input = InputSource::open(path);
  InputIdentity identity;
  identity.size = input->sizeForParts();
  struct stat info {};
  if (::fstat(input->fd(), &info) != 0)
    throwIoError("cannot read", path, errno);
  identity.mtimeNs =
      std::int64_t{info.st_mtim.tv_sec} * 1'000'000'000 + info.st_mtim.tv_nsec;
  identity.samplesCrc32 =
      sampleWindows(input->fd(), identity.size, std::max(partCount, 1u), path);
  return identity;
}

std::string_view PartRecord::runValue(std::string_view key) const {
  for (const RecordField& field : run) {
    if (field.first == key) return field.second;
  }
  return {};
}

std::string PartRecord::text() const {
  std::string text = std::string(kRecordFormat) + "\n";
  text += "part " + std::to_string(part.index) + "\n";
  text += "input-path " + inputPath + "\n";
  for (const auto& [key, value] : run) text += key + " " + value + "\n";
  text += "rows " + std::to_string(rows) + "\n";
  text += "bytes " + std::to_string(bytes) + "\n";
  text += "crc32 " + hex32(crc32) + "\n";
  return text;
}

PartRecord PartRecord::parse(std::string_view text, const std::string& name) {
  PartRecord record;
  std::uint64_t lineNumber = 0;
  bool seen[4] = {};  // part, rows, bytes, crc32
  auto bad = [&](const std::string& reason) {
    return InputError(name, lineNumber, 1, reason);
  };
  while (!text.empty()) {
    ++lineNumber;
    std::size_t end = text.find('\n');
    if (end == std::string_view::npos) throw bad("the record is cut short");
    std::string_view line = text.substr(0, end);
    text.remove_prefix(end + 1);
    if (lineNumber == 1) {
      if (line != kRecordFormat) {
        throw bad("not a part record (the first line is not '" +
                  std::string(kRecordFormat) + "')");
      }
      continue;
    }
    std::size_t space = line.find(' ');
    if (space == 0 || space == std::string_view::npos) {
      throw bad("not a 'key value' line");
    }
    std::string key(line.substr(0, space));
    std::string_view value = line.substr(space + 1);
    bool ok = true;
    if (key == "part") {
      ok = parseNumber(value, record.part.index) && record.part.index > 0;
      seen[0] = true;
    } else if (key == "input-path") {
      record.inputPath = value;
    } else if (key == "rows") {
      ok = parseNumber(value, record.rows);
      seen[1] = true;
    } else if (key == "bytes") {
      ok = parseNumber(value, record.bytes);
      seen[2] = true;
    } else if (key == "crc32") {
      ok = value.size() == 8 && parseNumber(value, record.crc32, 16);
      seen[3] = true;
    } else {
      if (!record.runValue(key).empty()) throw bad(key + " given twice");
      record.run.emplace_back(key, value);
    }
    if (!ok) throw bad("bad " + key + " '" + std::string(value) + "'");
  }
  if (lineNumber == 0) throw bad("empty: not a part record");
  if (!std::all_of(std::begin(seen), std::end(seen),
                   [](bool s) { return s; }) ||
      !parseNumber(record.runValue("parts"), record.part.count) ||
      record.part.index > record.part.count) {
    throw bad(
        "the record lacks part, parts, rows, bytes or crc32, or its part is "
        "not 1..parts");
  }
  return record;
}

std::string partRecordPath(const std::string& partPath) {
  return partPath + std::string(kPartRecordSuffix);
}

Stats convertPart(const ConvertOptions& options, ByteSink& out,
                  PartRecord& record) {
  if (!options.part) throw std::logic_error("convertPart() without a part");
  const unsigned count = options.part->count;
  InputIdentity before = identifyInput(options.inputPath, count);
  record =
      PartRecord{*options.part, options.inputPath, runFields(options, before)};
  Stats stats = convert(options, out);
  InputIdentity after = identifyInput(options.inputPath, count);
  if (after != before) {
    throw MismatchError(
        options.inputPath + ": changed while part " +
        std::to_string(options.part->index) + "/" + std::to_string(count) +
        " read it (" + describeChange(before, after) +
        "): the part would mix two versions of the file; run it again once "
        "the file is final");
  }
  record.rows = stats.rowsWritten;
  return stats;
}

void recordOutput(PartRecord& record, int fd, const std::string& name,
                  bool bgzf) {
  FileDigest digest = digestFile(fd, name);
  record.run.emplace_back("compression", bgzf ? "bgzf" : "none");
  record.bytes = digest.bytes;
  record.crc32 = digest.crc32;
}

void writePartRecord(const PartRecord& record, const std::string& partPath) {
  AtomicOutputFile file(partRecordPath(partPath));
  file.sink().write(record.text());
  file.commit();
}

void removePartRecord(const std::string& partPath) {
  std::string path = partRecordPath(partPath);
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
    throwIoError("cannot remove", path, errno);
  }
}

}  // namespace hapmat
