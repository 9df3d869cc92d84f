// Writes the seed corpus of convert_fuzzer: each input prefixed with the
// option bytes of fuzz_case.hpp, in a few variants (every output format,
// BGZF and gzip input, other block sizes, threads and SIMD targets, parts,
// VCF with an index and missing alleles as REF).
//
//   hapmat_fuzz_seed OUTDIR CASE_DIR...        golden cases (tests/data/golden)
//   hapmat_fuzz_seed --plain OUTDIR MATRIX...  matrices with a header line

#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

#include "fuzz_case.hpp"

namespace {

using hapmat::fuzz::Compression;
using hapmat::fuzz::FuzzCase;
using hapmat::fuzz::kVcz;

std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::cerr << "hapmat_fuzz_seed: cannot read " << path << '\n';
    std::exit(1);
  }
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void writeFile(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out << bytes;
  if (!out) {
    std::cerr << "hapmat_fuzz_seed: cannot write " << path << '\n';
    std::exit(1);
  }
}

std::string baseName(const std::string& path) {
  std::string p = path;
  while (!p.empty() && p.back() == '/') p.pop_back();
  std::size_t slash = p.rfind('/');
  return slash == std::string::npos ? p : p.substr(slash + 1);
}

unsigned formatIndex(const std::string& name) {
  if (name == "phase-extender") return 1;
  if (name == "vcf") return 2;
  if (name == "bcf") return 3;
  if (name == "vcz") return kVcz;
  return 0;
}

unsigned delimiterIndex(const std::string& name) {
  if (name == "space") return 1;
  if (name == "tab") return 2;
  return 0;
}

unsigned indexIndex(const std::string& name) {
  if (name == "tbi") return 2;
  if (name == "csi") return 3;
  return 1;  // auto
}

unsigned blockIndex(const std::string& size) {
  if (size == "4K" || size == "4096") return 0;
  if (size == "8K" || size == "8192") return 3;
  if (size == "16K") return 4;
  if (size == "32K") return 6;
  return 7;
}

// Parses a golden case's `args` (CLI options, then the matrix file).
FuzzCase fromGolden(const std::string& dir) {
  std::istringstream args(readFile(dir + "/args"));
  std::vector<std::string> words{std::istream_iterator<std::string>(args), {}};
  FuzzCase fc;
  fc.blockIndex = fc.blockIndex3 = 7;
  fc.gapsStar = false;  // the CLI's default: deletions
  std::string matrix;
  for (std::size_t i = 0; i < words.size(); ++i) {
    const std::string& w = words[i];
    auto value = [&]() -> std::string {
      return i + 1 < words.size() ? words[++i] : std::string();
    };
    if (w == "--format") {
      fc.format = formatIndex(value());
    } else if (w == "--header") {
      fc.headerFile = true;
      fc.header = readFile(dir + "/" + value());
    } else if (w == "--pairs") {
      fc.pairsFile = true;
      fc.pairs = readFile(dir + "/" + value());
    } else if (w == "--delimiter") {
      fc.delimiter = delimiterIndex(value());
    } else if (w == "--out-delimiter") {
      fc.outTab = value() == "tab";
    } else if (w == "--fai") {
      fc.faiFile = true;
      fc.fai = readFile(dir + "/" + value());
    } else if (w == "--missing") {
      fc.missingRef = value() == "ref";
    } else if (w == "--gaps") {
      fc.gapsStar = value() == "star";
    } else if (w == "--max-deletion") {
      // The fuzz case has one short bound: the golden cases' small ones.
      fc.shortDeletions = std::stoul(value()) <= 8;
    } else if (w == "--index") {  // its value is optional
      const bool named = i + 1 < words.size() &&
                         (words[i + 1] == "auto" || words[i + 1] == "tbi" ||
                          words[i + 1] == "csi");
      fc.index = named ? indexIndex(words[++i]) : 1;
    } else if (w.rfind("--index=", 0) == 0) {
      fc.index = indexIndex(w.substr(8));
    } else if (w == "--skip-bad-rows") {
      fc.skipBadRows = true;
    } else if (w == "--all-sites") {
      fc.selection = true;  // with no region and every sample
      fc.allSites = true;
    } else if (w == "--block-size") {
      fc.blockIndex = fc.blockIndex3 = blockIndex(value());
    } else if (w.rfind("--", 0) == 0) {
      std::cerr << "hapmat_fuzz_seed: " << dir << ": ignoring " << w << '\n';
    } else {
      matrix = w;
    }
  }
  if (matrix.empty()) matrix = "matrix.txt";
  fc.matrix = readFile(dir + "/" + matrix);
  return fc;
}

// The case as given, then in variants of format, compression, sizes.
void writeVariants(const std::string& outDir, const std::string& name,
                   const FuzzCase& base) {
  int n = 0;
  auto emit = [&](const FuzzCase& fc) {
    writeFile(outDir + "/" + name + "-" + std::to_string(n++), fc.encode());
  };
  emit(base);
  for (unsigned format = 0; format <= kVcz; ++format) {
    if (format == base.format) continue;
    FuzzCase fc = base;
    fc.format = format;
    emit(fc);
  }
  FuzzCase small = base;  // small blocks, two and three threads, SSE4-ish
  small.blockIndex = 0;
  small.blockIndex3 = 2;
  small.threads = 2;
  small.threads3 = 3;
  small.targetIndex = 1;
  small.parts = 3;
  emit(small);
  FuzzCase bgzf = base;
  bgzf.compression = Compression::kBgzf;
  bgzf.bgzfBlockIndex = 1;
  bgzf.blockIndex = 0;
  bgzf.threads = 2;
  bgzf.parts = 2;
  bgzf.partsForced = true;
  emit(bgzf);
  FuzzCase indexed = base;  // VCF with the order checks, in parts
  indexed.format = 2;
  indexed.index = 1;
  indexed.missingRef = true;
  indexed.parts = 4;
  indexed.compression = Compression::kBgzfStored;
  indexed.bgzfBlockIndex = 0;
  emit(indexed);
  FuzzCase gzip = base;
  gzip.compression = Compression::kGzip;
  gzip.gzipSplit = 16;
  emit(gzip);
  FuzzCase selected = base;  // a region, all sites, a sample left out
  selected.selection = true;
  selected.regions = 2;
  selected.regionWidth = 2;
  selected.allSites = true;
  selected.samples = 1;
  selected.parts = 2;
  emit(selected);
  FuzzCase haploid = base;  // haploid samples of regions on two CHROMs, BGZF
  haploid.format = 2;
  haploid.selection = true;
  haploid.regions = 3;
  haploid.haploid = true;
  haploid.samples = 2;
  haploid.compression = Compression::kBgzf;
  haploid.bgzfBlockIndex = 1;
  haploid.parts = 3;
  emit(haploid);
  FuzzCase joined = base;  // VCF deletions in a region, samples picked, parts
  joined.format = 2;
  joined.gapsStar = false;
  joined.shortDeletions = true;
  joined.selection = true;
  joined.regions = 2;
  joined.samples = 2;
  joined.blockIndex = 0;
  joined.threads = 2;
  joined.threads3 = 3;
  joined.parts = 3;
  emit(joined);
}

}  // namespace

int main(int argc, char** argv) {
  bool plain = argc > 1 && std::strcmp(argv[1], "--plain") == 0;
  int first = plain ? 2 : 1;
  if (argc < first + 2) {
    std::cerr << "usage: hapmat_fuzz_seed [--plain] OUTDIR INPUT...\n";
    return 2;
  }
  std::string outDir = argv[first];
  for (int i = first + 1; i < argc; ++i) {
    FuzzCase fc;
    if (plain) {
      fc.blockIndex = 0;
      fc.blockIndex3 = 3;
      fc.threads = 2;
      fc.matrix = readFile(argv[i]);
    } else {
      fc = fromGolden(argv[i]);
    }
    writeVariants(outDir, baseName(argv[i]), fc);
  }
  return 0;
}
