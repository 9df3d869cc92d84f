// Differential fuzzer: the reference engine and the SIMD engine (with the
// best SIMD target, and with a forced one, other threads and block size)
// must write the same bytes, count the same Stats and fail with the same
// error on every input. The leading option bytes are described in
// fuzz_case.hpp. A disagreement is printed and ends the run with a trap.

#include <libdeflate.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_case.hpp"
#include "hapmat/convert.hpp"
#include "hapmat/error.hpp"
#include "hapmat/output.hpp"

namespace {

using hapmat::fuzz::Compression;
using hapmat::fuzz::FuzzCase;

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
      std::size_t split = text.size() * fc.gzipSplit / 64;
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
  std::string error;  // what()
  std::string output;
  hapmat::Stats stats;
};

Result run(const hapmat::ConvertOptions& options) {
  Result result;
  hapmat::StringSink sink;
  try {
    result.stats = hapmat::convert(options, sink);
  } catch (const hapmat::InputError& e) {
    result.outcome = Outcome::kInputError;
    result.error = e.what();
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

bool sameStats(const hapmat::Stats& a, const hapmat::Stats& b) {
  return a.rowsRead == b.rowsRead && a.rowsWritten == b.rowsWritten &&
         a.rowsSkipped == b.rowsSkipped && a.firstSkipped == b.firstSkipped &&
         a.vcfRowsDropped == b.vcfRowsDropped &&
         a.vcfAllelesDropped == b.vcfAllelesDropped &&
         a.bytesRead == b.bytesRead && a.bytesWritten == b.bytesWritten;
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
  }
  return "?";
}

void describeOptions(const char* label, const hapmat::ConvertOptions& o) {
  static const char* const kDelimiters[] = {"auto", "space", "tab"};
  std::fprintf(
      stderr,
      "  %s: engine=%s simd='%s' threads=%u block-size=%zu max-line-bytes=%zu "
      "format=%s delimiter=%s out-delimiter=%s skip-bad-rows=%d header=%s "
      "pairs=%s\n",
      label, o.engine == hapmat::Engine::kReference ? "reference" : "simd",
      o.simdTarget.c_str(), o.threads, o.blockSize, o.maxLineBytes,
      formatName(o.format), kDelimiters[static_cast<int>(o.delimiter)],
      o.outDelimiter == hapmat::Delimiter::kTab ? "tab" : "space",
      o.skipBadRows ? 1 : 0, o.headerPath.empty() ? "-" : "yes",
      o.pairsPath.empty() ? "-" : "yes");
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
  std::fprintf(stderr, " ]\n    output: %s\n",
               cString(r.output, showAll() ? std::string::npos : 4096).c_str());
}

void describe(const FuzzCase& fc, const char* what,
              const hapmat::ConvertOptions* options[3],
              const Result* results[3]) {
  std::fprintf(stderr, "\n==== %s ====\n", what);
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
  std::fprintf(stderr, "  matrix: %s\n", cString(fc.matrix).c_str());
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

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  static MemFile matrixFile("hapmat-fuzz-matrix");
  static MemFile headerFile("hapmat-fuzz-header");
  static MemFile pairsFile("hapmat-fuzz-pairs");
  static const std::vector<std::string> targets = hapmat::simdTargets();

  FuzzCase fc;
  if (!fc.decode(data, size)) return -1;  // not added to the corpus

  hapmat::ConvertOptions base;
  std::string input = compressed(fc);
  base.inputPath = matrixFile.write(input);
  // HAPMAT_FUZZ_DUMP=DIR convert_fuzzer FILE: also write the files the
  // engines read (matrix, header.txt, pairs.txt), to rerun with the CLI.
  if (const char* dir = std::getenv("HAPMAT_FUZZ_DUMP")) {
    dump(std::string(dir) + "/matrix", input);
    if (fc.headerFile) dump(std::string(dir) + "/header.txt", fc.header);
    if (fc.pairsFile) dump(std::string(dir) + "/pairs.txt", fc.pairs);
  }
  if (fc.headerFile) base.headerPath = headerFile.write(fc.header);
  if (fc.pairsFile) base.pairsPath = pairsFile.write(fc.pairs);
  base.format = static_cast<hapmat::OutputFormat>(fc.format);
  base.delimiter = static_cast<hapmat::DelimiterChoice>(fc.delimiter);
  base.outDelimiter =
      fc.outTab ? hapmat::Delimiter::kTab : hapmat::Delimiter::kSpace;
  base.skipBadRows = fc.skipBadRows;
  base.maxLineBytes = fc.maxLineBytes();
  base.blockSize = fc.blockSize();

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
  Result results[3] = {run(reference), run(simd), run(forced)};
  const hapmat::ConvertOptions* options[3] = {&reference, &simd, &forced};
  const Result* shown[3] = {&results[0], &results[1], &results[2]};
  // HAPMAT_FUZZ_SHOW=1 convert_fuzzer FILE: print the case and all results.
  if (showAll()) describe(fc, "hapmat fuzz case", options, shown);
  for (int i = 1; i < 3; ++i) {
    if (results[i].outcome != results[0].outcome) {
      disagree(fc, "different outcome", options, shown);
    }
    if (results[i].error != results[0].error) {
      disagree(fc, "different error message", options, shown);
    }
    if (results[0].outcome == Outcome::kOk) {
      if (results[i].output != results[0].output) {
        disagree(fc, "different output bytes", options, shown);
      }
      if (!sameStats(results[i].stats, results[0].stats)) {
        disagree(fc, "different Stats", options, shown);
      }
    }
  }
  return 0;
}
