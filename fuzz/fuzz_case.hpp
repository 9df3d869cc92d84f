#pragma once
// One fuzz input: kOptionBytes leading bytes that choose the options, then
// the payload. Shared by the fuzzer (decode) and the seed maker (encode), so
// that the seed corpus always matches what the fuzzer expects.
//
// Option bytes (bit 0 is the lowest):
//   byte 0: bits 0-1 format (haplotype, phase-extender, vcf, and 3: bcf, or
//                    with byte 6 bit 0 vcz: the VCF's records in a VCF Zarr
//                    store, whose files are compared; no parts)
//           bit 2    skipBadRows
//           bits 3-4 input delimiter (value % 3: auto, space, tab)
//           bit 5    output delimiter tab
//           bit 6    header file: the payload's first line is a --header file
//           bit 7    pairs file: the next payload line is a --pairs file
//                    (';' stands for a line end in it)
//   byte 1: bits 0-2 block size of runs 1 and 2 (kBlockSizes)
//           bits 3-4 threads of run 2 (1 + value % 3)
//           bits 5-6 maxLineBytes (kMaxLineBytes); block sizes are clamped to
//                    it, as the CLI requires maxLineBytes >= blockSize
//           bit 7    a selection byte is the payload's first byte:
//                    bits 0-1 regions (0 none, 1 the first row's CHROM, 2
//                             CHROM:POS-POS+width of the first row, 3 from
//                             the first row's POS on, and the last row's
//                             CHROM)
//                    bits 2-3 width (kRegionWidths)
//                    bit 4    --all-sites
//                    bit 5    --haploid (VCF without --pairs only)
//                    bits 6-7 samples (0 all, 1 ^first, 2 last,first, 3 an
//                             unknown name)
//   byte 2: bits 0-3 SIMD target forced in run 3 (index % simdTargets())
//           bits 4-6 block size of run 3
//           bit 7    VCF deletions bounded by --max-deletion 4 (bubbles
//                    written missing, parts' reach tested)
//   byte 3: bits 0-1 compression (kNone, kGzip, kBgzf, kBgzfStored)
//           bits 2-3 inflated bytes per BGZF block (kBgzfBlockBytes)
//           bits 4-7 compressed bytes chopped off the end (value^2; 0: none)
//   byte 4: bits 0-1 threads of run 3 (1 + value % 3)
//           bits 2-6 gzip: second member starts at value/32 of the text
//                    (0: one member)
//           bit 7    VCF gaps as per-position `*` records (--gaps star; 0:
//                    deletions, the default)
//   byte 5: bits 0-1 VCF index whose order checks run (kNone, kAuto, kTbi,
//                    kCsi)
//           bit 2    VCF missing alleles as REF (--missing ref)
//           bit 3    fai file: the next payload line is a --fai file
//                    (';' stands for a line end in it)
//           bits 4-6 parts: 0 none, else the input is also converted in
//                    that many parts (1..7), each of which must agree with
//                    the whole run
//           bit 7    the parts run with run 3's configuration, not run 2's
//   byte 6: bit 0    format 3 is vcz, not bcf
// Run 1 is the reference engine, run 2 the SIMD engine with the best target,
// run 3 the SIMD engine with the forced target; all must agree. The parts
// run with the reference and with one of the SIMD configurations.

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace hapmat::fuzz {

inline constexpr std::size_t kOptionBytes = 7;

// Blocks far shorter than a line (61, 509) cut every line of a plain file
// into the ranges the workers read, in every place.
inline constexpr std::array<std::size_t, 8> kBlockSizes = {
    4096, 61, 509, 8192, 12345, 16384, 32768, 65536};
inline constexpr std::array<std::size_t, 4> kMaxLineBytes = {
    std::size_t{256} << 20, 4096, 6000, 9000};
inline constexpr std::array<std::uint64_t, 4> kRegionWidths = {0, 3, 100,
                                                               100000};
inline constexpr std::array<std::size_t, 4> kBgzfBlockBytes = {37, 1000, 4096,
                                                               65280};

/** FuzzCase::format of a VCF Zarr store (after OutputFormat's values). */
inline constexpr unsigned kVcz = 4;

enum class Compression : std::uint8_t { kNone, kGzip, kBgzf, kBgzfStored };

struct FuzzCase {
  unsigned format = 0;  // OutputFormat as an index; kVcz: a VCF Zarr store
  bool skipBadRows = false;
  unsigned delimiter = 0;  // DelimiterChoice as an index
  bool outTab = false;
  bool headerFile = false;
  bool pairsFile = false;
  unsigned blockIndex = 0;  // runs 1 and 2
  unsigned threads = 1;     // run 2
  unsigned maxLineIndex = 0;
  unsigned targetIndex = 0;  // run 3, modulo the number of targets
  unsigned blockIndex3 = 0;
  unsigned threads3 = 1;
  Compression compression = Compression::kNone;
  unsigned bgzfBlockIndex = 0;
  unsigned chop = 0;       // 0..15, squared
  unsigned gzipSplit = 0;  // 0..31
  unsigned index = 0;      // VcfIndex as an index
  bool missingRef = false;
  bool gapsStar = false;
  bool shortDeletions = false;
  bool faiFile = false;
  unsigned parts = 0;        // 0: the whole run only
  bool partsForced = false;  // the parts' SIMD run is run 3's, not run 2's
  bool selection = false;    // the selection byte is there
  unsigned regions = 0;      // 0..3
  unsigned regionWidth = 0;  // index into kRegionWidths
  bool allSites = false;
  bool haploid = false;
  unsigned samples = 0;  // 0..3

  std::string header;  // the --header file's text (headerFile)
  std::string pairs;   // the --pairs file's text (pairsFile)
  std::string fai;     // the --fai file's text (faiFile)
  std::string matrix;  // uncompressed

  std::size_t blockSize() const { return clampBlock(kBlockSizes[blockIndex]); }
  std::size_t blockSize3() const {
    return clampBlock(kBlockSizes[blockIndex3]);
  }
  std::size_t maxLineBytes() const { return kMaxLineBytes[maxLineIndex]; }
  std::size_t bgzfBlockBytes() const { return kBgzfBlockBytes[bgzfBlockIndex]; }
  std::size_t chopBytes() const { return std::size_t{chop} * chop; }

  /** Returns false when the input is too short to hold the option bytes. */
  bool decode(const std::uint8_t* data, std::size_t size) {
    if (size < kOptionBytes) return false;
    const std::uint8_t* b = data;
    format = b[0] & 3u;
    if (format == 3 && (b[6] & 1u) != 0) format = kVcz;
    skipBadRows = (b[0] >> 2) & 1u;
    delimiter = ((b[0] >> 3) & 3u) % 3;
    outTab = (b[0] >> 5) & 1u;
    headerFile = (b[0] >> 6) & 1u;
    pairsFile = (b[0] >> 7) & 1u;
    blockIndex = b[1] & 7u;
    threads = 1 + ((b[1] >> 3) & 3u) % 3;
    maxLineIndex = (b[1] >> 5) & 3u;
    targetIndex = b[2] & 15u;
    blockIndex3 = (b[2] >> 4) & 7u;
    shortDeletions = (b[2] >> 7) & 1u;
    compression = static_cast<Compression>(b[3] & 3u);
    bgzfBlockIndex = (b[3] >> 2) & 3u;
    chop = (b[3] >> 4) & 15u;
    threads3 = 1 + (b[4] & 3u) % 3;
    gzipSplit = (b[4] >> 2) & 31u;
    gapsStar = (b[4] >> 7) & 1u;
    index = b[5] & 3u;
    missingRef = (b[5] >> 2) & 1u;
    faiFile = (b[5] >> 3) & 1u;
    parts = (b[5] >> 4) & 7u;
    partsForced = (b[5] >> 7) & 1u;
    selection = (b[1] >> 7) & 1u;

    std::string_view rest(reinterpret_cast<const char*>(data + kOptionBytes),
                          size - kOptionBytes);
    if (selection && !rest.empty()) {
      const auto byte = static_cast<std::uint8_t>(rest.front());
      rest.remove_prefix(1);
      regions = byte & 3u;
      regionWidth = (byte >> 2) & 3u;
      allSites = (byte >> 4) & 1u;
      haploid = (byte >> 5) & 1u;
      samples = (byte >> 6) & 3u;
    }
    header.clear();
    pairs.clear();
    fai.clear();
    if (headerFile) header = takeLine(rest);
    if (pairsFile) pairs = takeFile(rest);
    if (faiFile) fai = takeFile(rest);
    matrix.assign(rest);
    return true;
  }

  /** The option bytes, then the payload; the inverse of decode(). */
  std::string encode() const {
    std::string out(kOptionBytes, '\0');
    auto set = [&out](std::size_t i, unsigned value) {
      out[i] = static_cast<char>(static_cast<std::uint8_t>(out[i]) | value);
    };
    set(0, std::min(format, 3u) | skipBadRows << 2 | delimiter << 3 |
               outTab << 5 | headerFile << 6 | pairsFile << 7);
    set(1,
        blockIndex | (threads - 1) << 3 | maxLineIndex << 5 | selection << 7);
    set(2, targetIndex | blockIndex3 << 4 | shortDeletions << 7);
    set(3,
        static_cast<unsigned>(compression) | bgzfBlockIndex << 2 | chop << 4);
    set(4, (threads3 - 1) | gzipSplit << 2 | gapsStar << 7);
    set(5,
        index | missingRef << 2 | faiFile << 3 | parts << 4 | partsForced << 7);
    set(6, format == kVcz ? 1u : 0u);
    if (selection) {
      out.push_back(static_cast<char>(regions | regionWidth << 2 |
                                      allSites << 4 | haploid << 5 |
                                      samples << 6));
    }
    if (headerFile) out += oneLine(header) + "\n";
    if (pairsFile) out += oneLine(pairs, ';') + "\n";
    if (faiFile) out += oneLine(fai, ';') + "\n";
    out += matrix;
    return out;
  }

 private:
  std::size_t clampBlock(std::size_t block) const {
    return block < maxLineBytes() ? block : maxLineBytes();
  }

  static std::string takeLine(std::string_view& rest) {
    std::size_t end = rest.find('\n');
    std::string line(rest.substr(0, end));
    rest.remove_prefix(end == std::string_view::npos ? rest.size() : end + 1);
    return line;
  }

  // A file's text from one payload line, ';' standing for its line ends.
  static std::string takeFile(std::string_view& rest) {
    std::string text = takeLine(rest);
    for (char& c : text) {
      if (c == ';') c = '\n';
    }
    return text;
  }

  // A file's text on one line: line ends become `lineEnd`.
  static std::string oneLine(std::string text, char lineEnd = ' ') {
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) {
      text.pop_back();
    }
    for (char& c : text) {
      if (c == '\n') c = lineEnd;
    }
    return text;
  }
};

}  // namespace hapmat::fuzz
