// VCF text -> VCF Zarr arrays. The serial write() only cuts the text into
// chunks of variants and numbers the CHROMs; a oneTBB task per chunk parses
// its records (VcfRecord, the BCF writer's parse), lays out its arrays and
// compresses them. Two things are known only at the end, and fixed then by
// rewriting the few small chunks they touch (read back one at a time, so
// memory stays a chunk's): the widest record's allele count (variant_allele
// and variant_AC chunks narrower than it are widened), and the contig
// numbers, when the header's final ##contig lines are not in the order the
// records met their CHROMs.

#include <tbb/task_group.h>

#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstring>
#include <deque>
#include <limits>
#include <stdexcept>
#include <unordered_map>

#include "formats/vcf_record.hpp"
#include "hapmat/error.hpp"
#include "hapmat/vcz.hpp"
#include "hapmat/version.hpp"
#include "io/tsan_annotations.hpp"
#include "io/zarr_store.hpp"

namespace hapmat {

namespace {

constexpr std::size_t kDefaultVariantsChunk = 10'000;
// A chunk's genotypes, one byte an allele: wide matrices get fewer variants
// a chunk, so that the chunks in flight stay small.
constexpr std::size_t kChunkGenotypeBytes = std::size_t{8} << 20;
// VCF Zarr's missing float (BCF's missing value): a signalling NaN.
constexpr std::uint32_t kMissingFloatBits = 0x7F800001;
constexpr std::int32_t kIntFill = -2;
constexpr std::int64_t kMostInt32 = std::numeric_limits<std::int32_t>::max();

// variant_position is int32, as bio2zarr writes it, unless a POS needs more.
ZarrArraySpec longPositions(ZarrArraySpec positions) {
  positions.dtype = "<i8";
  return positions;
}

template <typename T>
std::string_view bytesOf(const std::vector<T>& values) {
  return {reinterpret_cast<const char*>(values.data()),
          values.size() * sizeof(T)};
}

template <typename T>
std::vector<T> valuesOf(const std::string& bytes) {
  std::vector<T> values(bytes.size() / sizeof(T));
  std::memcpy(values.data(), bytes.data(), values.size() * sizeof(T));
  return values;
}

// The arrays of the store, shapes filled in at the end.
struct Layout {
  std::uint64_t variantsChunk = 0;
  std::uint64_t samples = 0;
  std::uint64_t samplesChunk = 1;
  std::uint64_t ploidy = 2;

  ZarrArraySpec contig, position, length, id, idMask, allele, quality, filter,
      ac, an, genotype, genotypeMask, phased;

  std::uint64_t sampleChunks() const {
    return (samples + samplesChunk - 1) / samplesChunk;
  }
};

ZarrArraySpec variantArray(std::string name, std::string dtype,
                           std::uint64_t chunk, std::string description,
                           BloscShuffle shuffle = BloscShuffle::kNone) {
  return {std::move(name), std::move(dtype),       {0},    {chunk},
          {"variants"},    std::move(description), shuffle};
}

Layout makeLayout(const VczOptions& options, std::size_t samples) {
  Layout l;
  l.variantsChunk = vczVariantsChunk(options, samples);
  l.samples = samples;
  l.samplesChunk = std::max<std::uint64_t>(
      1, std::min<std::uint64_t>(options.samplesChunk, samples));
  l.ploidy = options.ploidy;
  const std::uint64_t v = l.variantsChunk;
  l.contig = variantArray("variant_contig", "<i4", v,
                          "The variant's CHROM: its index in contig_id");
  l.position = variantArray("variant_position", "<i4", v, "POS");
  l.length = variantArray("variant_length", "<i4", v,
                          "The length of the variant in bases: REF's");
  l.id = variantArray("variant_id", "|O", v, "ID: always . (missing)");
  l.idMask =
      variantArray("variant_id_mask", "|b1", v,
                   "Whether variant_id is missing: always", BloscShuffle::kBit);
  l.allele = variantArray("variant_allele", "|O", v,
                          "REF, then the ALT alleles (fill: empty)");
  l.allele.dimensions.push_back("alleles");
  l.quality = variantArray("variant_quality", "<f4", v, "QUAL: missing");
  l.filter =
      variantArray("variant_filter", "|b1", v,
                   "FILTER: none applied (all false)", BloscShuffle::kBit);
  l.filter.dimensions.push_back("filters");
  l.filter.shape.push_back(1);
  l.filter.chunks.push_back(1);
  l.ac = variantArray("variant_AC", "<i4", v,
                      "INFO AC: allele count in genotypes for each ALT "
                      "allele (fill -2)");
  l.ac.dimensions.push_back("alt_alleles");
  l.an = variantArray("variant_AN", "<i4", v,
                      "INFO AN: total number of alleles in called genotypes");
  l.genotype = {"call_genotype",
                "|i1",
                {0, samples, l.ploidy},
                {v, l.samplesChunk, l.ploidy},
                {"variants", "samples", "ploidy"},
                "GT: allele numbers (-1 missing)",
                BloscShuffle::kBit};
  l.genotypeMask = l.genotype;
  l.genotypeMask.name = "call_genotype_mask";
  l.genotypeMask.dtype = "|b1";
  l.genotypeMask.description = "Whether call_genotype is missing";
  l.phased = {"call_genotype_phased",
              "|b1",
              {0, samples},
              {v, l.samplesChunk},
              {"variants", "samples"},
              "Whether GT is phased (|)",
              BloscShuffle::kBit};
  return l;
}

// The header's sample names: the #CHROM line's columns after FORMAT.
std::vector<std::string> sampleNames(std::string_view header) {
  const std::size_t at = header.rfind("#CHROM\t");
  std::string_view line = header.substr(at);
  if (line.ends_with('\n')) line.remove_suffix(1);
  std::vector<std::string> names;
  for (std::size_t field = 0; !line.empty(); ++field) {
    const std::size_t tab = line.find('\t');
    if (field >= 9) names.emplace_back(line.substr(0, tab));
    line.remove_prefix(tab == std::string_view::npos ? line.size() : tab + 1);
  }
  return names;
}

// The length= of every ##contig line, or nothing when one has none.
std::vector<std::int64_t> contigLengths(std::string_view header,
                                        std::size_t contigs) {
  std::vector<std::int64_t> lengths;
  constexpr std::string_view kContig = "\n##contig=<ID=";
  for (std::size_t at = header.find(kContig); at != std::string_view::npos;
       at = header.find(kContig, at + 1)) {
    const std::string_view line =
        header.substr(at + 1, header.find('\n', at + 1) - at - 1);
    const std::size_t length = line.find(",length=");
    if (length == std::string_view::npos) return {};
    lengths.push_back(std::stoll(std::string(line.substr(length + 8))));
  }
  return lengths.size() == contigs ? lengths : std::vector<std::int64_t>{};
}

}  // namespace

std::size_t vczVariantsChunk(const VczOptions& options, std::size_t samples) {
  if (options.variantsChunk != 0) return options.variantsChunk;
  const std::size_t haplotypes = std::max<std::size_t>(1, samples) *
                                 std::max<std::size_t>(1, options.ploidy);
  const std::size_t fits = kChunkGenotypeBytes / haplotypes;
  if (fits >= kDefaultVariantsChunk) return kDefaultVariantsChunk;
  return std::max<std::size_t>(100, fits / 100 * 100);
}

struct VczSink::State {
  // The text of one chunk's records, and the CHROMs met so far (as ##contig
  // lines, numbered in that order) for their numbers.
  struct Chunk {
    std::uint64_t index = 0;
    std::string lines;
    std::size_t count = 0;
    std::string contigLines;
  };

  State(std::string target, VczOptions chosen)
      : options(chosen), store(std::move(target)) {}

  void addLine(std::string_view line);
  void submit();
  /** Waits for the chunks in flight. */
  void wait();
  // What a chunk's task found that the arrays' metadata depend on.
  struct ChunkShape {
    std::uint32_t alleles = 1;   // of its widest record
    bool longPositions = false;  // a POS past int32
  };

  void encode(const Chunk& chunk, ChunkShape& shape);
  void widenPositions();
  void widen(std::uint64_t chunk, std::uint32_t from, std::uint32_t to);
  void renumberContigs(const std::vector<std::string>& final);
  void writeSmallArrays(const std::vector<std::string>& contigs);
  std::string groupAttributes() const;

  VczOptions options;
  ZarrStore store;
  Layout layout;
  std::string header;
  bool headerEnded = false;
  std::string partial;  // a line cut by write()'s boundary
  Chunk current;
  std::uint64_t variants = 0;
  std::vector<std::string> localContigs;
  std::unordered_map<std::string, std::uint32_t> localIndex;
  std::string lastChrom;
  std::string contigLines;
  std::deque<ChunkShape> shapes;  // per chunk, set by its task
  tbb::task_group tasks;
  unsigned inFlight = 0;
};

void VczSink::State::addLine(std::string_view line) {
  const std::string_view chrom = line.substr(0, line.find('\t'));
  if (chrom != lastChrom) {
    lastChrom = chrom;
    if (localIndex.emplace(lastChrom, localContigs.size()).second) {
      localContigs.push_back(lastChrom);
      contigLines.append("##contig=<ID=").append(chrom).append(">\n");
    }
  }
  current.lines.append(line).push_back('\n');
  if (++current.count == layout.variantsChunk) submit();
}

// At most 2 x threads chunks are in flight; then this thread waits for
// them, working on them itself (a pipeline of one thread still moves on).
void VczSink::State::submit() {
  current.index = shapes.size();
  current.contigLines = contigLines;
  variants += current.count;
  shapes.emplace_back();
  auto chunk = std::make_shared<Chunk>(std::move(current));
  current = Chunk{};
  ChunkShape* shape = &shapes.back();
  // For ThreadSanitizer (tsan_annotations.hpp): what this thread did
  // happens before the task; the task's end before the waits that follow.
  happensBefore(&tasks);
  {
    UnrecordedWrites spawning;
    tasks.run([this, chunk, shape] {
      StageCall call(&tasks);
      encode(*chunk, *shape);
    });
  }
  if (++inFlight >= 2 * std::max(1u, options.threads)) wait();
}

void VczSink::State::wait() {
  tasks.wait();
  afterThat(&tasks);
  inFlight = 0;
}

void VczSink::State::encode(const Chunk& chunk, ChunkShape& shape) {
  const Layout& l = layout;
  const std::size_t v = l.variantsChunk;
  const std::size_t haplotypes = l.samples * l.ploidy;
  VcfContigIndex contigs(chunk.contigLines);
  VcfRecord record;
  std::vector<std::int32_t> contig(v, 0), length(v, 0), an(v, 0);
  std::vector<std::int64_t> position(v, 0);
  std::vector<std::int8_t> genotypes(v * haplotypes, 0);
  std::vector<std::uint8_t> phased(v * l.samples, 0);
  std::vector<std::string_view> allAlleles;
  std::vector<std::uint32_t> allCounts;  // AC
  std::vector<std::uint32_t> firstAllele(v + 1, 0);
  std::uint32_t width = 1;
  std::string_view text = chunk.lines;
  for (std::size_t r = 0; r < chunk.count; ++r) {
    const std::size_t end = text.find('\n');
    parseVcfRecord(text.substr(0, end), contigs, record);
    text.remove_prefix(end + 1);
    if (record.ploidy != l.ploidy || record.alleles.size() != haplotypes) {
      throw std::invalid_argument("a VCF record of another ploidy");
    }
    contig[r] = static_cast<std::int32_t>(record.contig);
    position[r] = static_cast<std::int64_t>(record.pos);
    length[r] = static_cast<std::int32_t>(record.ref.size());
    an[r] = static_cast<std::int32_t>(record.an);
    allAlleles.push_back(record.ref);
    allAlleles.insert(allAlleles.end(), record.alts.begin(), record.alts.end());
    allCounts.insert(allCounts.end(), record.ac.begin(), record.ac.end());
    firstAllele[r + 1] = static_cast<std::uint32_t>(allAlleles.size());
    width = std::max(width, static_cast<std::uint32_t>(1 + record.alts.size()));
    std::int8_t* gt = genotypes.data() + r * haplotypes;
    for (std::size_t h = 0; h < haplotypes; ++h) {
      if (record.alleles[h] > std::numeric_limits<std::int8_t>::max()) {
        throw IoError("VCF Zarr: a record of " +
                      contigs.names()[record.contig] + " at " +
                      std::to_string(record.pos) +
                      " has more than 127 ALT alleles (call_genotype is "
                      "int8)");
      }
      gt[h] = static_cast<std::int8_t>(record.alleles[h]);
    }
    std::fill_n(phased.begin() + r * l.samples, l.samples,
                record.ploidy > 1 && record.phased);
  }
  for (std::size_t r = chunk.count; r < v; ++r) {
    firstAllele[r + 1] = firstAllele[r];
  }
  const std::uint32_t altWidth = std::max<std::uint32_t>(1, width - 1);
  std::vector<std::string_view> allele(v * width);
  std::vector<std::int32_t> ac(v * altWidth, kIntFill);
  for (std::size_t r = 0; r < chunk.count; ++r) {
    for (std::uint32_t a = firstAllele[r]; a < firstAllele[r + 1]; ++a) {
      allele[r * width + a - firstAllele[r]] = allAlleles[a];
    }
    const std::uint32_t alts = firstAllele[r + 1] - firstAllele[r] - 1;
    const std::uint32_t firstCount =
        firstAllele[r] - static_cast<std::uint32_t>(r);
    for (std::uint32_t a = 0; a < alts; ++a) {
      ac[r * altWidth + a] =
          static_cast<std::int32_t>(allCounts[firstCount + a]);
    }
  }
  std::vector<std::string_view> id(v, "");
  std::fill_n(id.begin(), chunk.count, ".");
  std::vector<std::uint8_t> idMask(v, 0);
  std::fill_n(idMask.begin(), chunk.count, 1);
  std::vector<std::uint32_t> quality(v, kMissingFloatBits);
  std::vector<std::uint8_t> filter(v, 0);

  const std::uint64_t i = chunk.index;
  store.writeChunk(l.contig, {i}, bytesOf(contig));
  shape.longPositions =
      std::any_of(position.begin(), position.end(),
                  [](std::int64_t pos) { return pos > kMostInt32; });
  if (shape.longPositions) {
    store.writeChunk(longPositions(l.position), {i}, bytesOf(position));
  } else {
    store.writeChunk(
        l.position, {i},
        bytesOf(std::vector<std::int32_t>(position.begin(), position.end())));
  }
  store.writeChunk(l.length, {i}, bytesOf(length));
  store.writeChunk(l.an, {i}, bytesOf(an));
  store.writeChunk(l.id, {i}, encodeVlenUtf8(id));
  store.writeChunk(l.idMask, {i}, bytesOf(idMask));
  store.writeChunk(l.quality, {i}, bytesOf(quality));
  store.writeChunk(l.filter, {i, 0}, bytesOf(filter));
  store.writeChunk(l.allele, {i, 0}, encodeVlenUtf8(allele));
  store.writeChunk(l.ac, {i, 0}, bytesOf(ac));
  shape.alleles = width;

  // Each samples chunk: its columns of every variant, padded to full width.
  const std::size_t sc = l.samplesChunk;
  std::vector<std::int8_t> part(v * sc * l.ploidy);
  std::vector<std::uint8_t> mask(part.size());
  std::vector<std::uint8_t> partPhased(v * sc);
  for (std::uint64_t j = 0; j < l.sampleChunks(); ++j) {
    const std::size_t first = j * sc;
    const std::size_t count = std::min<std::size_t>(sc, l.samples - first);
    std::fill(part.begin(), part.end(), 0);
    std::fill(partPhased.begin(), partPhased.end(), 0);
    for (std::size_t r = 0; r < v; ++r) {
      std::memcpy(part.data() + r * sc * l.ploidy,
                  genotypes.data() + (r * l.samples + first) * l.ploidy,
                  count * l.ploidy);
      std::memcpy(partPhased.data() + r * sc,
                  phased.data() + r * l.samples + first, count);
    }
    for (std::size_t k = 0; k < part.size(); ++k) mask[k] = part[k] < 0;
    store.writeChunk(l.genotype, {i, j, 0}, bytesOf(part));
    store.writeChunk(l.genotypeMask, {i, j, 0}, bytesOf(mask));
    store.writeChunk(l.phased, {i, j}, bytesOf(partPhased));
  }
}

// A chunk of `from` alleles a variant, written before the widest record was
// known, rewritten `to` wide (empty alleles, AC fill).
void VczSink::State::widen(std::uint64_t chunk, std::uint32_t from,
                           std::uint32_t to) {
  const std::size_t v = layout.variantsChunk;
  const std::vector<std::string> old =
      decodeVlenUtf8(store.readChunk(layout.allele, {chunk, 0}),
                     layout.allele.chunkKey({chunk, 0}));
  std::vector<std::string_view> allele(v * to);
  for (std::size_t r = 0; r < v; ++r) {
    for (std::uint32_t a = 0; a < from; ++a) {
      allele[r * to + a] = old[r * from + a];
    }
  }
  store.writeChunk(layout.allele, {chunk, 0}, encodeVlenUtf8(allele));
  const std::uint32_t altFrom = std::max<std::uint32_t>(1, from - 1);
  const std::uint32_t altTo = std::max<std::uint32_t>(1, to - 1);
  if (altFrom == altTo) return;
  const auto counts =
      valuesOf<std::int32_t>(store.readChunk(layout.ac, {chunk, 0}));
  std::vector<std::int32_t> ac(v * altTo, kIntFill);
  for (std::size_t r = 0; r < v; ++r) {
    std::copy_n(counts.begin() + r * altFrom, altFrom, ac.begin() + r * altTo);
  }
  store.writeChunk(layout.ac, {chunk, 0}, bytesOf(ac));
}

// A POS past int32 makes every chunk's positions int64.
void VczSink::State::widenPositions() {
  const bool anyLong =
      std::any_of(shapes.begin(), shapes.end(),
                  [](const ChunkShape& shape) { return shape.longPositions; });
  if (!anyLong) return;
  const ZarrArraySpec wide = longPositions(layout.position);
  for (std::uint64_t chunk = 0; chunk < shapes.size(); ++chunk) {
    if (shapes[chunk].longPositions) continue;
    const auto narrow =
        valuesOf<std::int32_t>(store.readChunk(layout.position, {chunk}));
    store.writeChunk(
        wide, {chunk},
        bytesOf(std::vector<std::int64_t>(narrow.begin(), narrow.end())));
  }
  layout.position = wide;
}

// The records were numbered by the order they met their CHROMs; the final
// header may list them otherwise (a CHROM with no record, another order).
void VczSink::State::renumberContigs(const std::vector<std::string>& final) {
  std::vector<std::int32_t> number(localContigs.size());
  bool same = true;
  for (std::size_t k = 0; k < localContigs.size(); ++k) {
    const auto at = std::find(final.begin(), final.end(), localContigs[k]);
    if (at == final.end()) {
      throw std::invalid_argument("CHROM '" + localContigs[k] +
                                  "' has no ##contig line in the VCF header");
    }
    number[k] = static_cast<std::int32_t>(at - final.begin());
    same = same && number[k] == static_cast<std::int32_t>(k);
  }
  if (same) return;
  for (std::uint64_t chunk = 0; chunk < shapes.size(); ++chunk) {
    auto contigs =
        valuesOf<std::int32_t>(store.readChunk(layout.contig, {chunk}));
    for (std::int32_t& c : contigs) c = number[static_cast<std::size_t>(c)];
    store.writeChunk(layout.contig, {chunk}, bytesOf(contigs));
  }
}

// The arrays along samples, contigs and filters: one chunk each (sample_id
// one per samples chunk).
void VczSink::State::writeSmallArrays(const std::vector<std::string>& contigs) {
  const std::uint64_t n = std::max<std::size_t>(1, contigs.size());
  ZarrArraySpec contigId{"contig_id", "|O",        {contigs.size()},
                         {n},         {"contigs"}, "The ##contig IDs"};
  store.defineArray(contigId);
  if (!contigs.empty()) {
    std::vector<std::string_view> names(contigs.begin(), contigs.end());
    store.writeChunk(contigId, {0}, encodeVlenUtf8(names));
  }
  const std::vector<std::int64_t> lengths =
      contigLengths(header, contigs.size());
  if (!lengths.empty()) {
    ZarrArraySpec contigLength{
        "contig_length",  "<i8",
        {lengths.size()}, {n},
        {"contigs"},      "The ##contig lengths (--fai)"};
    store.defineArray(contigLength);
    store.writeChunk(contigLength, {0}, bytesOf(lengths));
  }
  ZarrArraySpec filterId{"filter_id", "|O",        {1},
                         {1},         {"filters"}, "The FILTER IDs"};
  store.defineArray(filterId);
  store.writeChunk(filterId, {0}, encodeVlenUtf8({"PASS"}));
  const std::vector<std::string> samples = sampleNames(header);
  ZarrArraySpec sampleId{"sample_id",           "|O",        {samples.size()},
                         {layout.samplesChunk}, {"samples"}, "The samples"};
  store.defineArray(sampleId);
  for (std::uint64_t j = 0; j < layout.sampleChunks(); ++j) {
    std::vector<std::string_view> names(layout.samplesChunk);
    for (std::size_t k = 0; k < layout.samplesChunk &&
                            j * layout.samplesChunk + k < samples.size();
         ++k) {
      names[k] = samples[j * layout.samplesChunk + k];
    }
    store.writeChunk(sampleId, {j}, encodeVlenUtf8(names));
  }
}

std::string VczSink::State::groupAttributes() const {
  return "{\n    \"source\": " + jsonString(std::string("hapmat ") + kVersion) +
         ",\n    \"vcf_header\": " + jsonString(header) +
         ",\n    \"vcf_zarr_version\": \"0.4\"\n}";
}

VczSink::VczSink(std::string target, VczOptions options)
    : state_(std::make_unique<State>(std::move(target), options)) {}

// Tasks still running (a failed run) finish before the store is removed.
VczSink::~VczSink() {
  state_->tasks.cancel();
  try {
    state_->tasks.wait();
  } catch (...) {
  }
  afterThat(&state_->tasks);
}

const std::string& VczSink::tempPath() const {
  return state_->store.tempPath();
}

void VczSink::write(std::string_view bytes) {
  State& s = *state_;
  if (!s.headerEnded) {
    s.header.append(bytes);
    return;
  }
  if (!s.partial.empty()) {
    const std::size_t end = bytes.find('\n');
    s.partial.append(bytes.substr(0, end));
    if (end == std::string_view::npos) return;
    s.addLine(s.partial);
    s.partial.clear();
    bytes.remove_prefix(end + 1);
  }
  while (!bytes.empty()) {
    const void* end = std::memchr(bytes.data(), '\n', bytes.size());
    if (end == nullptr) {
      s.partial.assign(bytes);
      return;
    }
    const std::size_t size =
        static_cast<std::size_t>(static_cast<const char*>(end) - bytes.data());
    s.addLine(bytes.substr(0, size));
    bytes.remove_prefix(size + 1);
  }
}

void VczSink::endHeader() {
  State& s = *state_;
  s.headerEnded = true;
  s.layout = makeLayout(s.options, vcfSampleCount(s.header));
  const Layout& l = s.layout;
  if (l.variantsChunk * l.samplesChunk * l.ploidy * 4 >
      static_cast<std::uint64_t>(std::numeric_limits<std::int32_t>::max())) {
    throw UsageError("VCF Zarr: a chunk of " + std::to_string(l.variantsChunk) +
                     " variants x " + std::to_string(l.samplesChunk) +
                     " samples is too large for Blosc (2 GiB): lower "
                     "--vcz-variants-chunk or --vcz-samples-chunk");
  }
}

void VczSink::replaceHeader(std::string_view header) {
  state_->header = header;
}

std::uint64_t VczSink::commit() {
  State& s = *state_;
  if (!s.partial.empty()) {
    throw std::logic_error("VczSink: the VCF text ends inside a line");
  }
  if (s.current.count > 0) s.submit();
  s.wait();
  Layout& l = s.layout;
  std::uint32_t width = 1;
  for (const State::ChunkShape& shape : s.shapes) {
    width = std::max(width, shape.alleles);
  }
  for (std::uint64_t chunk = 0; chunk < s.shapes.size(); ++chunk) {
    if (s.shapes[chunk].alleles != width) {
      s.widen(chunk, s.shapes[chunk].alleles, width);
    }
  }
  s.widenPositions();
  const std::vector<std::string> contigs = VcfContigIndex(s.header).names();
  s.renumberContigs(contigs);
  for (ZarrArraySpec* spec :
       {&l.contig, &l.position, &l.length, &l.id, &l.idMask, &l.allele,
        &l.quality, &l.filter, &l.ac, &l.an, &l.genotype, &l.genotypeMask,
        &l.phased}) {
    spec->shape[0] = s.variants;
  }
  l.allele.shape.push_back(width);
  l.allele.chunks.push_back(width);
  const std::uint64_t alts = std::max<std::uint32_t>(1, width - 1);
  l.ac.shape.push_back(alts);
  l.ac.chunks.push_back(alts);
  for (const ZarrArraySpec* spec :
       {&l.contig, &l.position, &l.length, &l.id, &l.idMask, &l.allele,
        &l.quality, &l.filter, &l.ac, &l.an, &l.genotype, &l.genotypeMask,
        &l.phased}) {
    s.store.defineArray(*spec);
  }
  s.writeSmallArrays(contigs);
  return s.store.commit(s.groupAttributes());
}

}  // namespace hapmat
