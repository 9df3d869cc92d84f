// Differential fuzzer: the reference engine and the SIMD engine (with the
// best SIMD target, and with a forced one, other threads and block size)
// must write the same bytes, count the same Stats and fail with the same
// error on every input. Converted in parts (--part K/N), every part must be
// the same in two configurations, and the parts must join to the whole run
// (checkParts), also as files through the join's checks (checkJoin). The
// leading option bytes are described in fuzz_case.hpp. A disagreement is
// printed and ends the run with a trap.

#include <libdeflate.h>
#include <pthread.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "fuzz_case.hpp"
#include "hapmat/convert.hpp"
#include "hapmat/error.hpp"
#include "hapmat/output.hpp"
#include "hapmat/parts.hpp"
#include "hapmat/vcz.hpp"
#include "tests/store_files.hpp"

namespace {

using hapmat::fuzz::Compression;
using hapmat::fuzz::FuzzCase;
using hapmat::fuzz::kVcz;

/** An in-memory file that the library opens as /proc/self/fd/N. */
class MemFile {
 public:
  explicit MemFile(const char* name) : fd_(::memfd_create(name, MFD_CLOEXEC)) {
    if (fd_ < 0) {
      std::perror("memfd_create");
      std::abort();
    }
    path_ = "/proc/self/fd/" + std::to_string(fd_);
  }

  const std::string& write(std::string_view bytes) {
    if (::ftruncate(fd_, 0) != 0) std::abort();
    std::size_t done = 0;
    while (done < bytes.size()) {
      ssize_t n = ::pwrite(fd_, bytes.data() + done, bytes.size() - done,
                           static_cast<off_t>(done));
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) std::abort();
      done += static_cast<std::size_t>(n);
    }
    return path_;
  }

 private:
  int fd_;
  std::string path_;
};

void dump(const std::string& path, std::string_view bytes) {
  std::FILE* file = std::fopen(path.c_str(), "wb");
  if (file == nullptr ||
      std::fwrite(bytes.data(), 1, bytes.size(), file) != bytes.size() ||
      std::fclose(file) != 0) {
    std::perror(path.c_str());
    std::abort();
  }
}

std::string readWhole(const std::string& path) {
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) {
    std::perror(path.c_str());
    std::abort();
  }
  std::string bytes;
  char buffer[65536];
  for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, file)) > 0;) {
    bytes.append(buffer, n);
  }
  std::fclose(file);
  return bytes;
}

// ---- compression, so that the gzip and BGZF readers are fuzzed too ----

libdeflate_compressor* compressor(int level) {
  static libdeflate_compressor* compressors[13] = {};
  if (compressors[level] == nullptr) {
    compressors[level] = libdeflate_alloc_compressor(level);
  }
  return compressors[level];
}

void appendLe(std::string& out, std::uint32_t value, int bytes) {
  for (int i = 0; i < bytes; ++i) {
    out.push_back(static_cast<char>((value >> (8 * i)) & 0xff));
  }
}

std::string gzipMember(std::string_view text) {
  libdeflate_compressor* c = compressor(6);
  std::string out(libdeflate_gzip_compress_bound(c, text.size()), '\0');
  std::size_t n = libdeflate_gzip_compress(c, text.data(), text.size(),
                                           out.data(), out.size());
  if (n == 0) std::abort();
  out.resize(n);
  return out;
}

void appendBgzfBlock(std::string& out, std::string_view text, int level) {
  libdeflate_compressor* c = compressor(level);
  std::string data(libdeflate_deflate_compress_bound(c, text.size()), '\0');
  std::size_t n = libdeflate_deflate_compress(c, text.data(), text.size(),
                                              data.data(), data.size());
  if (n == 0) std::abort();
  data.resize(n);
  std::size_t blockSize = 18 + data.size() + 8;
  if (blockSize > 65536) std::abort();
  static constexpr unsigned char kHeader[] = {0x1f, 0x8b, 8, 4, 0,   0,   0, 0,
                                              0,    0xff, 6, 0, 'B', 'C', 2, 0};
  out.append(reinterpret_cast<const char*>(kHeader), sizeof kHeader);
  appendLe(out, static_cast<std::uint32_t>(blockSize - 1), 2);
  out += data;
  appendLe(out, libdeflate_crc32(0, text.data(), text.size()), 4);
  appendLe(out, static_cast<std::uint32_t>(text.size()), 4);
}

std::string bgzf(std::string_view text, std::size_t blockBytes, int level) {
  std::string out;
  for (std::size_t at = 0; at < text.size(); at += blockBytes) {
    appendBgzfBlock(out, text.substr(at, blockBytes), level);
  }
  appendBgzfBlock(out, {}, level);  // bgzip's end-of-file marker
  return out;
}

std::string compressed(const FuzzCase& fc) {
  std::string_view text = fc.matrix;
  std::string out;
  switch (fc.compression) {
    case Compression::kNone:
      return fc.matrix;
    case Compression::kGzip: {
      std::size_t split = text.size() * fc.gzipSplit / 32;
      if (split == 0) {
        out = gzipMember(text);
      } else {
        out =
            gzipMember(text.substr(0, split)) + gzipMember(text.substr(split));
      }
      break;
    }
    case Compression::kBgzf:
      out = bgzf(text, fc.bgzfBlockBytes(), 6);
      break;
    case Compression::kBgzfStored:
      out = bgzf(text, fc.bgzfBlockBytes(), 0);
      break;
  }
  out.resize(out.size() - std::min(out.size(), fc.chopBytes()));
  return out;
}

// ---- running and comparing ----

bool showAll() {
  static const bool show = std::getenv("HAPMAT_FUZZ_SHOW") != nullptr;
  return show;
}

enum class Outcome { kOk, kInputError, kUsageError, kIoError };

// ---- regions and samples, picked from the matrix as a user would ----

std::vector<std::string> splitBlanks(std::string_view line) {
  std::vector<std::string> words;
  std::size_t at = 0;
  while ((at = line.find_first_not_of(" \t\r", at)) != std::string_view::npos) {
    std::size_t end = std::min(line.find_first_of(" \t\r", at), line.size());
    words.emplace_back(line.substr(at, end - at));
    at = end;
  }
  return words;
}

// The column names and the first and last data rows' fields.
struct Glance {
  std::vector<std::string> columns;
  std::vector<std::string> first;
  std::vector<std::string> last;
};

Glance glance(const FuzzCase& fc) {
  Glance seen;
  std::string_view text = fc.matrix;
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  bool prologue = true;
  if (fc.headerFile) seen.columns = splitBlanks(fc.header);
  while (!text.empty()) {
    std::size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    if (line.empty() || line == "\r") continue;
    if (prologue && line.starts_with("##")) continue;
    if (prologue && !fc.headerFile) {
      seen.columns = splitBlanks(line);
      prologue = false;
      continue;
    }
    prologue = false;
    (seen.first.empty() ? seen.first : seen.last) = splitBlanks(line);
  }
  if (seen.last.empty()) seen.last = seen.first;
  return seen;
}

// A name -r or -s can carry as it is.
bool plainName(const std::string& name) {
  return !name.empty() && name.find_first_of(",:^") == std::string::npos;
}

std::string pickRegions(const FuzzCase& fc, const Glance& seen) {
  if (fc.regions == 0 || seen.first.size() < 2 || !plainName(seen.first[0])) {
    return "";
  }
  const std::string& chrom = seen.first[0];
  if (fc.regions == 1) return chrom;
  const std::string& pos = seen.first[1];
  if (pos.empty() || pos.size() > 15 ||
      pos.find_first_not_of("0123456789") != std::string::npos ||
      std::stoull(pos) == 0) {
    return chrom;
  }
  const std::uint64_t from = std::stoull(pos);
  if (fc.regions == 2) {
    return chrom + ":" + pos + "-" +
           std::to_string(from + hapmat::fuzz::kRegionWidths[fc.regionWidth]);
  }
  std::string regions = chrom + ":" + pos + "-";
  if (seen.last.size() >= 1 && plainName(seen.last[0])) {
    regions += "," + seen.last[0];
  }
  return regions;
}

std::string pickSamples(const FuzzCase& fc, const Glance& seen,
                        const hapmat::ConvertOptions& options) {
  if (fc.samples == 0) return "";
  std::vector<std::string> names;
  if (options.haploid) {
    for (std::size_t i = 3; i < seen.columns.size(); ++i) {
      names.push_back(seen.columns[i]);
    }
  } else {
    try {
      for (const hapmat::SamplePair& sample :
           hapmat::samplePairs(options.pairsPath, seen.columns)) {
        names.push_back(sample.name);
      }
    } catch (const hapmat::UsageError&) {
      return "";
    }
  }
  if (names.empty() || !plainName(names.front()) || !plainName(names.back())) {
    return "";
  }
  switch (fc.samples) {
    case 1:
      return "^" + names.front();
    case 2:
      return names.size() < 2 ? names.front()
                              : names.back() + "," + names.front();
    default:
      return names.front() + "~";
  }
}

void applySelection(const FuzzCase& fc, hapmat::ConvertOptions& options) {
  if (!fc.selection) return;
  const Glance seen = glance(fc);
  options.allSites = fc.allSites;
  options.haploid = fc.haploid && hapmat::hasVcfRecords(options.format) &&
                    options.pairsPath.empty();
  options.regions = pickRegions(fc, seen);
  options.samples = pickSamples(fc, seen, options);
}

const char* outcomeName(Outcome outcome) {
  switch (outcome) {
    case Outcome::kOk:
      return "ok";
    case Outcome::kInputError:
      return "InputError";
    case Outcome::kUsageError:
      return "UsageError";
    case Outcome::kIoError:
      return "IoError";
  }
  return "?";
}

struct Result {
  Outcome outcome = Outcome::kOk;
  std::string error;       // what()
  std::uint64_t line = 0;  // of an InputError
  std::string reason;      // of an InputError, whole (what() ends at a NUL)
  std::string output;
  hapmat::Stats stats;
};

// A VCF run into a VCF Zarr store of tiny chunks (3 variants x 2 samples:
// many chunks, widened and renumbered at the end); the output is the
// store's files.
std::string convertToStore(const hapmat::ConvertOptions& options,
                           hapmat::Stats& stats) {
  static const std::string store =
      std::filesystem::temp_directory_path() /
      ("hapmat-fuzz-" + std::to_string(::getpid()) + ".vcz");
  std::filesystem::remove_all(store);
  hapmat::VczOptions vcz;
  vcz.variantsChunk = 3;
  vcz.samplesChunk = 2;
  vcz.ploidy = options.haploid ? 1 : 2;
  vcz.threads = std::max(1u, options.threads);
  hapmat::VczSink sink(store, vcz);
  stats = hapmat::convert(options, sink);
  sink.commit();
  return hapmat::test::storeFiles(store);
}

Result run(const hapmat::ConvertOptions& options, bool vcz = false) {
  Result result;
  hapmat::StringSink sink;
  try {
    if (vcz) {
      result.output = convertToStore(options, result.stats);
      return result;
    }
    result.stats = hapmat::convert(options, sink);
  } catch (const hapmat::InputError& e) {
    result.outcome = Outcome::kInputError;
    result.error = e.what();
    result.line = e.line();
    result.reason = e.reason();
  } catch (const hapmat::UsageError& e) {
    result.outcome = Outcome::kUsageError;
    result.error = e.what();
  } catch (const hapmat::IoError& e) {
    result.outcome = Outcome::kIoError;
    result.error = e.what();
  }
  result.output = sink.text();
  return result;
}

// `options` with the input read as a pipe's: serially, where a file's
// plain text is read in ranges by the workers. A writer thread feeds the
// pipe, which convert() opens by its /proc name; closing the read end
// stops it (EPIPE, SIGPIPE blocked in it) when the run stops early.
Result runThroughPipe(hapmat::ConvertOptions options, std::string_view bytes) {
  int ends[2];
  if (::pipe(ends) != 0) std::abort();
  std::thread writer([&] {
    sigset_t pipeSignal;
    sigemptyset(&pipeSignal);
    sigaddset(&pipeSignal, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipeSignal, nullptr);
    for (std::size_t at = 0; at < bytes.size();) {
      ssize_t n = ::write(ends[1], bytes.data() + at, bytes.size() - at);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      at += static_cast<std::size_t>(n);
    }
    ::close(ends[1]);
  });
  options.inputPath = "/proc/self/fd/" + std::to_string(ends[0]);
  Result result = run(options);
  ::close(ends[0]);
  writer.join();
  return result;
}

std::string cString(std::string_view bytes, std::size_t limit = 4096) {
  std::string out = "\"";
  std::size_t shown = std::min(bytes.size(), limit);
  for (std::size_t i = 0; i < shown; ++i) {
    unsigned char c = static_cast<unsigned char>(bytes[i]);
    switch (c) {
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      default:
        if (c < 0x20 || c >= 0x7f) {
          char hex[8];
          std::snprintf(hex, sizeof hex, "\\x%02x\"\"", c);
          out += hex;
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
  }
  out += "\"";
  if (shown < bytes.size()) {
    out += " ... (" + std::to_string(bytes.size()) + " bytes)";
  }
  return out;
}

const char* formatName(hapmat::OutputFormat format) {
  switch (format) {
    case hapmat::OutputFormat::kHaplotype:
      return "haplotype";
    case hapmat::OutputFormat::kPhaseExtender:
      return "phase-extender";
    case hapmat::OutputFormat::kVcf:
      return "vcf";
    case hapmat::OutputFormat::kBcf:
      return "bcf";
  }
  return "?";
}

void describeOptions(const char* label, const hapmat::ConvertOptions& o) {
  static const char* const kDelimiters[] = {"auto", "space", "tab"};
  static const char* const kIndexes[] = {"none", "auto", "tbi", "csi"};
  std::fprintf(
      stderr,
      "  %s: engine=%s simd='%s' threads=%u block-size=%zu max-line-bytes=%zu "
      "format=%s delimiter=%s out-delimiter=%s skip-bad-rows=%d header=%s "
      "pairs=%s fai=%s missing=%s index=%s regions='%s' samples='%s' "
      "all-sites=%d haploid=%d gaps=%s max-deletion=%zu\n",
      label, o.engine == hapmat::Engine::kReference ? "reference" : "simd",
      o.simdTarget.c_str(), o.threads, o.blockSize, o.maxLineBytes,
      formatName(o.format), kDelimiters[static_cast<int>(o.delimiter)],
      o.outDelimiter == hapmat::Delimiter::kTab ? "tab" : "space",
      o.skipBadRows ? 1 : 0, o.headerPath.empty() ? "-" : "yes",
      o.pairsPath.empty() ? "-" : "yes", o.faiPath.empty() ? "-" : "yes",
      o.missing == hapmat::MissingGenotype::kRef ? "ref" : "dot",
      kIndexes[static_cast<int>(o.index)], o.regions.c_str(), o.samples.c_str(),
      o.allSites ? 1 : 0, o.haploid ? 1 : 0,
      o.gaps == hapmat::VcfGaps::kStar ? "star" : "deletions", o.maxDeletion);
}

void describeResult(const char* label, const Result& r) {
  std::fprintf(stderr, "  %s: %s", label, outcomeName(r.outcome));
  if (r.outcome != Outcome::kOk) {
    std::fprintf(stderr, " %s\n", cString(r.error).c_str());
    return;
  }
  const hapmat::Stats& s = r.stats;
  std::fprintf(stderr,
               "\n    stats: rowsRead=%llu rowsWritten=%llu rowsSkipped=%llu "
               "vcfRowsDropped=%llu vcfAllelesDropped=%llu bytesRead=%llu "
               "bytesWritten=%llu firstSkipped=[",
               static_cast<unsigned long long>(s.rowsRead),
               static_cast<unsigned long long>(s.rowsWritten),
               static_cast<unsigned long long>(s.rowsSkipped),
               static_cast<unsigned long long>(s.vcfRowsDropped),
               static_cast<unsigned long long>(s.vcfAllelesDropped),
               static_cast<unsigned long long>(s.bytesRead),
               static_cast<unsigned long long>(s.bytesWritten));
  for (const std::string& row : s.firstSkipped) {
    std::fprintf(stderr, " %s", cString(row).c_str());
  }
  std::fprintf(stderr, " ] index=%d warnings=[", static_cast<int>(s.index));
  for (const std::string& warning : s.warnings) {
    std::fprintf(stderr, " %s", cString(warning).c_str());
  }
  std::fprintf(stderr, " ]\n    output: %s\n",
               cString(r.output, showAll() ? std::string::npos : 4096).c_str());
}

void describeInput(const FuzzCase& fc) {
  static const char* const kCompressions[] = {"none", "gzip", "bgzf",
                                              "bgzf-stored"};
  std::fprintf(stderr,
               "  compression=%s bgzf-block=%zu chop=%zu gzip-split=%u/64\n",
               kCompressions[static_cast<int>(fc.compression)],
               fc.bgzfBlockBytes(), fc.chopBytes(), fc.gzipSplit);
  if (fc.headerFile) {
    std::fprintf(stderr, "  header file: %s\n", cString(fc.header).c_str());
  }
  if (fc.pairsFile) {
    std::fprintf(stderr, "  pairs file: %s\n", cString(fc.pairs).c_str());
  }
  if (fc.faiFile) {
    std::fprintf(stderr, "  fai file: %s\n", cString(fc.fai).c_str());
  }
  std::fprintf(stderr, "  matrix: %s\n", cString(fc.matrix).c_str());
}

void describe(const FuzzCase& fc, const char* what,
              const hapmat::ConvertOptions* options[3],
              const Result* results[3]) {
  std::fprintf(stderr, "\n==== %s ====\n", what);
  describeInput(fc);
  static const char* const kLabels[] = {"run 1 (reference)", "run 2 (simd)",
                                        "run 3 (simd, forced target)"};
  for (int i = 0; i < 3; ++i) describeOptions(kLabels[i], *options[i]);
  for (int i = 0; i < 3; ++i) describeResult(kLabels[i], *results[i]);
  std::fflush(stderr);
}

[[noreturn]] void disagree(const FuzzCase& fc, const char* what,
                           const hapmat::ConvertOptions* options[3],
                           const Result* results[3]) {
  std::string title = std::string("hapmat engines disagree: ") + what;
  describe(fc, title.c_str(), options, results);
  __builtin_trap();
}

// ---- parts ----

constexpr std::string_view kBgzfMagic("\x1f\x8b\x08\x04", 4);

// The text of gzip members, as far as they inflate.
std::string inflateMembers(std::string_view in) {
  static libdeflate_decompressor* d = libdeflate_alloc_decompressor();
  std::string text;
  std::vector<char> out(std::max<std::size_t>(in.size() * 8, 1 << 16));
  while (!in.empty()) {
    std::size_t used = 0;
    std::size_t written = 0;
    libdeflate_result result = libdeflate_gzip_decompress_ex(
        d, in.data(), in.size(), out.data(), out.size(), &used, &written);
    if (result == LIBDEFLATE_INSUFFICIENT_SPACE && out.size() < (1u << 26)) {
      out.resize(out.size() * 2);
      continue;
    }
    if (result != LIBDEFLATE_SUCCESS) break;
    text.append(out.data(), written);
    in.remove_prefix(used);
  }
  return text;
}

// Known: a part of a BGZF file finds its first block by its magic bytes and
// sizes (nothing else tells where blocks start without an index); text that
// holds BGZF blocks, stored as they are, can pass for blocks of the file,
// and such a part reads from the wrong place.
bool embedsBgzfBlocks(const FuzzCase& fc) {
  if (fc.compression != Compression::kNone) {
    return fc.matrix.find(kBgzfMagic) != std::string::npos;
  }
  if (!fc.matrix.starts_with(kBgzfMagic)) return false;
  return inflateMembers(fc.matrix).find(kBgzfMagic) != std::string::npos;
}

// A part without --fai holds its rows to part 1's guess of the contigs and
// fails where a whole run would rewrite its header (docs/FORMAT.md, Parts).
bool failsOnGuessedContigs(const Result& r) {
  return r.reason.find("a part's rows must follow part 1's ##contig lines") !=
         std::string::npos;
}

// A VCF deletion near a part's start (or the regions' rows') that reaches
// back past the rows read before them: refused (FORMAT.md §6).
bool refusesFarDeletion(const Result& r) {
  return r.outcome == Outcome::kUsageError &&
         r.error.find("reaches back further than the rows read before it") !=
             std::string::npos;
}

// Gzip input (compressed here, or in the payload) cannot be read in parts,
// nor BGZF followed by plain gzip members (refused when a part opens the
// file, or by the part that meets such a member).
bool isGzipRefused(const Result& r) {
  return (r.outcome == Outcome::kUsageError &&
          r.error.find(": gzip that is not BGZF cannot be split into parts") !=
              std::string::npos) ||
         r.error.find(
             ": parts cannot be read from a file with plain gzip "
             "members after its BGZF blocks") != std::string::npos;
}

// Rows out of order for an index in two parts: only the whole run sees them.
bool isIndexOrderError(const Result& r) {
  return r.outcome == Outcome::kInputError &&
         r.reason.find(": an index needs each CHROM's rows") !=
             std::string::npos;
}

// A BGZF file's missing end-of-file block is noted in an error when the
// reader has been to the end; a part reads only its range (and the last
// part the end), so the note may be the whole run's only.
std::string withoutEofNote(std::string error) {
  static constexpr std::string_view kNote =
      " (no BGZF end-of-file block: the input may be truncated)";
  if (error.ends_with(kNote)) error.resize(error.size() - kNote.size());
  return error;
}

/** Parts 1..N of the input in one configuration. */
struct PartRuns {
  const hapmat::ConvertOptions* options;  // without the part
  std::vector<Result> parts;              // part K at K - 1
};

PartRuns runParts(const hapmat::ConvertOptions& options, unsigned count) {
  PartRuns runs{&options, {}};
  hapmat::ConvertOptions part = options;
  for (unsigned k = 1; k <= count; ++k) {
    part.part = hapmat::Part{k, count};
    runs.parts.push_back(run(part));
  }
  return runs;
}

void describeParts(const FuzzCase& fc, const std::string& what,
                   const Result& whole, const PartRuns runs[2]) {
  std::fprintf(stderr, "\n==== %s ====\n", what.c_str());
  describeInput(fc);
  describeOptions("whole run (reference)", *runs[0].options);
  describeResult("whole run (reference)", whole);
  for (int c = 0; c < 2; ++c) {
    describeOptions(c == 0 ? "parts (reference)" : "parts (simd)",
                    *runs[c].options);
    const std::size_t count = runs[c].parts.size();
    for (std::size_t k = 0; k < count; ++k) {
      std::string label = "part " + std::to_string(k + 1) + "/" +
                          std::to_string(count) +
                          (c == 0 ? " (reference)" : " (simd)");
      describeResult(label.c_str(), runs[c].parts[k]);
    }
  }
  std::fflush(stderr);
}

[[noreturn]] void partsDisagree(const FuzzCase& fc, const std::string& what,
                                const Result& whole, const PartRuns runs[2]) {
  describeParts(fc, "hapmat parts disagree: " + what, whole, runs);
  __builtin_trap();
}

// Each part is converted alike by the reference and the SIMD engine.
void compareParts(const FuzzCase& fc, const Result& whole,
                  const PartRuns runs[2]) {
  for (std::size_t k = 0; k < runs[0].parts.size(); ++k) {
    const Result& a = runs[0].parts[k];
    const Result& b = runs[1].parts[k];
    const std::string part = "part " + std::to_string(k + 1) + ": ";
    if (a.outcome != b.outcome || a.error != b.error || a.reason != b.reason) {
      partsDisagree(fc, part + "different outcome or error", whole, runs);
    }
    if (a.outcome == Outcome::kOk &&
        (a.output != b.output || !(a.stats == b.stats))) {
      partsDisagree(fc, part + "different output or Stats", whole, runs);
    }
  }
}

// The parts' outputs joined are the whole run's, and their counts add up
// to its counts (bytesRead aside: every part reads the prologue).
void joinToWhole(const FuzzCase& fc, const Result& whole,
                 const PartRuns runs[2]) {
  std::string joined;
  hapmat::Stats sum;
  for (const Result& part : runs[0].parts) {
    const hapmat::Stats& s = part.stats;
    joined += part.output;
    sum.rowsRead += s.rowsRead;
    sum.rowsWritten += s.rowsWritten;
    sum.rowsSkipped += s.rowsSkipped;
    sum.rowsOutsideRegions += s.rowsOutsideRegions;
    sum.vcfRowsDropped += s.vcfRowsDropped;
    sum.vcfAllelesDropped += s.vcfAllelesDropped;
    sum.bytesWritten += s.bytesWritten;
    sum.firstSkipped.insert(sum.firstSkipped.end(), s.firstSkipped.begin(),
                            s.firstSkipped.end());
    // kAuto: the whole run needs CSI when any part does.
    sum.index = std::max(sum.index, s.index);
  }
  if (sum.firstSkipped.size() > hapmat::Stats::kKeptBadRows) {
    sum.firstSkipped.resize(hapmat::Stats::kKeptBadRows);
  }
  if (joined != whole.output) {
    partsDisagree(fc, "the parts joined are not the whole run's output", whole,
                  runs);
  }
  const hapmat::Stats& w = whole.stats;
  if (sum.rowsRead != w.rowsRead || sum.rowsWritten != w.rowsWritten ||
      sum.rowsSkipped != w.rowsSkipped ||
      sum.rowsOutsideRegions != w.rowsOutsideRegions ||
      sum.vcfRowsDropped != w.vcfRowsDropped ||
      sum.vcfAllelesDropped != w.vcfAllelesDropped ||
      sum.bytesWritten != w.bytesWritten ||
      sum.firstSkipped != w.firstSkipped || sum.index != w.index) {
    partsDisagree(fc, "the parts' Stats do not add up to the whole run's",
                  whole, runs);
  }
}

// ---- the join: hapmat concat's checks on the parts as files ----

/** A fresh folder for one input's part files (in /dev/shm when there is
 * one), removed when the checks end; a trap leaves it to look at. */
class ScratchDir {
 public:
  ScratchDir()
      : path_(
            std::string(::access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp") +
            "/hapmat-fuzz-join-XXXXXX") {
    if (::mkdtemp(path_.data()) == nullptr) {
      std::perror("mkdtemp");
      std::abort();
    }
  }
  ~ScratchDir() { std::filesystem::remove_all(path_); }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;

  std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

std::uint64_t fnv1a(std::string_view bytes) {
  std::uint64_t hash = 14695981039346656037ull;
  for (char c : bytes) {
    hash = (hash ^ static_cast<unsigned char>(c)) * 1099511628211ull;
  }
  return hash;
}

[[noreturn]] void joinWrong(const FuzzCase& fc, const std::string& what) {
  std::fprintf(stderr, "\n==== hapmat join wrong: %s ====\n", what.c_str());
  describeInput(fc);
  std::fflush(stderr);
  __builtin_trap();
}

// Part `part` of `options`' run as a file with its record, as the CLI
// writes it; nothing when the part fails (another input may not convert).
std::optional<std::string> writePart(const hapmat::ConvertOptions& options,
                                     hapmat::Part part, bool bgzf,
                                     const std::string& path) {
  hapmat::ConvertOptions partOptions = options;
  partOptions.part = part;
  hapmat::PartRecord record;
  try {
    hapmat::AtomicOutputFile file(path);
    if (bgzf) {
      hapmat::BgzfSink sink(file.fd(), path, 1);
      hapmat::convertPart(partOptions, sink, record);
      sink.flush();
    } else {
      hapmat::convertPart(partOptions, file.sink(), record);
      file.sink().flush();
    }
    hapmat::recordOutput(record, file.fd(), path, bgzf);
    file.commit();
  } catch (const hapmat::InputError&) {
    return std::nullopt;
  } catch (const hapmat::UsageError&) {
    return std::nullopt;
  }
  hapmat::writePartRecord(record, path);
  return path;
}

// The parts joined by the library, or its refusal's message.
struct Join {
  bool refused = false;
  std::string text;  // the output, or the refusal
};

Join join(const std::vector<std::string>& paths) {
  Join result;
  try {
    hapmat::PartSet parts(paths);
    hapmat::StringSink sink;
    parts.join(sink, false);
    result.text = sink.text();
  } catch (const hapmat::MismatchError& e) {
    result.refused = true;
    result.text = e.what();
  }
  return result;
}

void expectRefusal(const FuzzCase& fc, const std::vector<std::string>& paths,
                   const std::string& what, const std::string& naming) {
  Join result = join(paths);
  if (!result.refused || result.text.find(naming) == std::string::npos) {
    joinWrong(fc, what + " not refused naming " + naming + ": " +
                      (result.refused ? result.text : "joined"));
  }
}

// Damages `path` with `damage`, expects the join to refuse it, and puts the
// file back.
template <typename Damage>
void expectDamageRefused(const FuzzCase& fc, std::vector<std::string> paths,
                         std::size_t k, const std::string& what,
                         Damage damage) {
  std::string bytes = readWhole(paths[k]);
  if (bytes.empty()) return;
  dump(paths[k], damage(bytes));
  expectRefusal(fc, paths, what, paths[k] + ": ");
  dump(paths[k], bytes);
}

// Parts of another N and of another input among the parts (of two or more:
// one part alone has no other to differ from) are refused, naming them.
void expectOtherRunsRefused(const FuzzCase& fc, const ScratchDir& dir,
                            const hapmat::ConvertOptions& options,
                            const std::vector<std::string>& paths,
                            std::size_t k, bool bgzf) {
  const unsigned count = static_cast<unsigned>(paths.size());
  std::vector<std::string> mixed = paths;
  if (std::optional<std::string> other =
          writePart(options, {1, count + 1}, bgzf, dir.file("other-n"))) {
    mixed[0] = *other;
    expectRefusal(fc, mixed, "a part of another N", *other);
  }
  hapmat::ConvertOptions otherInput = options;
  otherInput.inputPath = dir.file("other-input");
  dump(otherInput.inputPath, readWhole(options.inputPath) + "\n");
  mixed = paths;
  if (std::optional<std::string> other =
          writePart(otherInput, {static_cast<unsigned>(k + 1), count}, bgzf,
                    dir.file("other"))) {
    mixed[k] = *other;
    expectRefusal(fc, mixed, "a part of another input", *other);
  }
}

// Parts 1..N written as files (plain or BGZF, as the hash of their text
// picks) join to their text in any order; missing, repeated, damaged or
// truncated parts, a part of another N and a part of another input are
// refused, each naming a file.
void checkJoin(const FuzzCase& fc, const hapmat::ConvertOptions& options,
               const PartRuns& runs) {
  const unsigned count = static_cast<unsigned>(runs.parts.size());
  std::string expected;
  for (const Result& part : runs.parts) expected += part.output;
  const std::uint64_t hash = fnv1a(expected);
  const bool bgzf = hash & 1;
  const ScratchDir dir;
  std::vector<std::string> paths;
  for (unsigned k = 1; k <= count; ++k) {
    std::optional<std::string> path =
        writePart(options, {k, count}, bgzf,
                  dir.file("part" + std::to_string(k) + (bgzf ? ".gz" : "")));
    if (!path) joinWrong(fc, "part " + std::to_string(k) + " fails as a file");
    paths.push_back(*path);
  }
  std::vector<std::string> shuffled = paths;
  std::shuffle(shuffled.begin(), shuffled.end(), std::mt19937_64(hash));
  Join joined = join(shuffled);
  if (joined.refused || joined.text != expected) {
    joinWrong(fc, "shuffled parts do not join to their text: " +
                      (joined.refused ? joined.text : "other bytes"));
  }
  const std::size_t k = hash % count;
  if (count > 1) {
    std::vector<std::string> missing = paths;
    missing.erase(missing.begin() + static_cast<std::ptrdiff_t>(k));
    expectRefusal(fc, missing, "a missing part", "missing");
  }
  std::vector<std::string> twice = paths;
  twice.push_back(paths[k]);
  expectRefusal(fc, twice, "a part given twice", paths[k]);
  if (count > 1) expectOtherRunsRefused(fc, dir, options, paths, k, bgzf);
  expectDamageRefused(fc, paths, k, "a flipped byte", [&](std::string b) {
    b[(hash >> 8) % b.size()] ^= 1;
    return b;
  });
  expectDamageRefused(fc, paths, k, "a truncated part", [&](std::string b) {
    b.resize((hash >> 8) % b.size());
    return b;
  });
}

// The whole run fails with the error of the first part that fails (later
// parts may fail on rows of their own), except where a part cannot be
// converted at all (gzip), where a part stops at rows that do not follow
// part 1's guessed contigs, or where the whole run sees rows of two parts out
// of order for an index; when no part fails, the parts join to the whole.
void checkParts(const FuzzCase& fc, const hapmat::ConvertOptions& reference,
                const hapmat::ConvertOptions& simd, const Result& whole) {
  const PartRuns runs[2] = {runParts(reference, fc.parts),
                            runParts(simd, fc.parts)};
  if (showAll()) describeParts(fc, "hapmat fuzz parts", whole, runs);
  compareParts(fc, whole, runs);
  if (embedsBgzfBlocks(fc)) return;
  const std::vector<Result>& parts = runs[0].parts;
  auto failed = std::find_if(parts.begin(), parts.end(), [](const Result& r) {
    return r.outcome != Outcome::kOk;
  });
  if (failed == parts.end()) {
    checkJoin(fc, reference, runs[0]);
    if (whole.outcome == Outcome::kOk) return joinToWhole(fc, whole, runs);
    if (isIndexOrderError(whole)) return;
    partsDisagree(fc, "every part succeeds, the whole run fails", whole, runs);
  }
  if (failsOnGuessedContigs(*failed)) return;
  if (isGzipRefused(*failed)) return;
  if (refusesFarDeletion(*failed)) return;
  const std::string part =
      "part " + std::to_string(failed - parts.begin() + 1) + " ";
  if (whole.outcome == Outcome::kOk) {
    partsDisagree(fc, part + "fails, the whole run succeeds", whole, runs);
  }
  if (whole.outcome == failed->outcome &&
      withoutEofNote(whole.error) == withoutEofNote(failed->error) &&
      withoutEofNote(whole.reason) == withoutEofNote(failed->reason)) {
    return;
  }
  if (isIndexOrderError(whole) && failed->outcome == Outcome::kInputError &&
      whole.line <= failed->line) {
    return;
  }
  partsDisagree(fc, part + "is the first to fail, with another error", whole,
                runs);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  static MemFile matrixFile("hapmat-fuzz-matrix");
  static MemFile headerFile("hapmat-fuzz-header");
  static MemFile pairsFile("hapmat-fuzz-pairs");
  static MemFile faiFile("hapmat-fuzz-fai");
  static const std::vector<std::string> targets = hapmat::simdTargets();

  FuzzCase fc;
  if (!fc.decode(data, size)) return -1;  // not added to the corpus

  hapmat::ConvertOptions base;
  std::string input = compressed(fc);
  base.inputPath = matrixFile.write(input);
  // HAPMAT_FUZZ_DUMP=DIR convert_fuzzer FILE: also write the files the
  // engines read (matrix, header.txt, pairs.txt, ref.fai), to rerun with
  // the CLI.
  if (const char* dir = std::getenv("HAPMAT_FUZZ_DUMP")) {
    dump(std::string(dir) + "/matrix", input);
    if (fc.headerFile) dump(std::string(dir) + "/header.txt", fc.header);
    if (fc.pairsFile) dump(std::string(dir) + "/pairs.txt", fc.pairs);
    if (fc.faiFile) dump(std::string(dir) + "/ref.fai", fc.fai);
  }
  if (fc.headerFile) base.headerPath = headerFile.write(fc.header);
  if (fc.pairsFile) base.pairsPath = pairsFile.write(fc.pairs);
  if (fc.faiFile) base.faiPath = faiFile.write(fc.fai);
  // Format 3, VCF Zarr, is VCF's records in a store.
  const bool vcz = fc.format == kVcz;
  base.format = vcz ? hapmat::OutputFormat::kVcf
                    : static_cast<hapmat::OutputFormat>(fc.format);
  base.missing = fc.missingRef ? hapmat::MissingGenotype::kRef
                               : hapmat::MissingGenotype::kDot;
  base.gaps =
      fc.gapsStar ? hapmat::VcfGaps::kStar : hapmat::VcfGaps::kDeletions;
  if (fc.shortDeletions) base.maxDeletion = 4;
  base.index = static_cast<hapmat::VcfIndex>(fc.index);
  base.delimiter = static_cast<hapmat::DelimiterChoice>(fc.delimiter);
  base.outDelimiter =
      fc.outTab ? hapmat::Delimiter::kTab : hapmat::Delimiter::kSpace;
  base.skipBadRows = fc.skipBadRows;
  base.maxLineBytes = fc.maxLineBytes();
  base.blockSize = fc.blockSize();
  applySelection(fc, base);

  hapmat::ConvertOptions reference = base;
  reference.engine = hapmat::Engine::kReference;
  reference.threads = 1;
  hapmat::ConvertOptions simd = base;
  simd.engine = hapmat::Engine::kSimd;
  simd.threads = fc.threads;
  hapmat::ConvertOptions forced = simd;
  forced.threads = fc.threads3;
  forced.blockSize = fc.blockSize3();
  forced.simdTarget = targets[fc.targetIndex % targets.size()];

  // Output written before an error is not compared: the CLI removes the
  // output file of a failed run, and the engines flush at different times.
  Result results[3] = {run(reference, vcz), run(simd, vcz), run(forced, vcz)};
  const hapmat::ConvertOptions* options[3] = {&reference, &simd, &forced};
  const Result* shown[3] = {&results[0], &results[1], &results[2]};
  // HAPMAT_FUZZ_SHOW=1 convert_fuzzer FILE: print the case and all results.
  if (showAll()) describe(fc, "hapmat fuzz case", options, shown);
  for (int i = 1; i < 3; ++i) {
    if (results[i].outcome != results[0].outcome) {
      disagree(fc, "different outcome", options, shown);
    }
    if (results[i].error != results[0].error ||
        results[i].reason != results[0].reason) {
      disagree(fc, "different error message", options, shown);
    }
    if (results[0].outcome == Outcome::kOk) {
      if (results[i].output != results[0].output) {
        disagree(fc, "different output bytes", options, shown);
      }
      if (!(results[i].stats == results[0].stats)) {
        disagree(fc, "different Stats", options, shown);
      }
    }
  }
  // Plain text: the same through a pipe, read serially (regions are not
  // bisected there, so rows outside them are read and may fail). Errors
  // are compared by line and reason: the pipe has another name. A BGZF
  // file's missing end-of-file block is noted from its last bytes, a
  // stream's only once its end was read (FORMAT.md): not compared.
  if (fc.compression == Compression::kNone && !fc.selection && !vcz) {
    Result piped = runThroughPipe(reference, input);
    if (piped.outcome != results[0].outcome || piped.line != results[0].line ||
        withoutEofNote(piped.reason) != withoutEofNote(results[0].reason) ||
        (piped.outcome == Outcome::kOk && piped.output != results[0].output)) {
      // Runs 2 and 3 shown are the reference's through the pipe.
      const Result* withPipe[3] = {&results[0], &piped, &piped};
      const hapmat::ConvertOptions* pipeOptions[3] = {&reference, &reference,
                                                      &reference};
      disagree(fc, "the file's parallel read and a pipe's serial read differ",
               pipeOptions, withPipe);
    }
  }
  if (fc.parts != 0 && !vcz) {  // a store takes no --part
    checkParts(fc, reference, fc.partsForced ? forced : simd, results[0]);
  }
  return 0;
}
