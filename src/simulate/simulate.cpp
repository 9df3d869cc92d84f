#include "hapmat/simulate.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>
#include <queue>
#include <string_view>

#include "hapmat/error.hpp"

// How the generator stays fast: most rows are "every haplotype calls REF,
// except where a run of N or - covers it". Such a row is its CHROM POS head
// plus one of eight prebuilt texts (REF base x soft-masked or not) that the
// run starts and ends edit in place, so writing it costs two copies. Every
// rarer event (run start or end, polymorphic site, mask boundary) sits at a
// position drawn ahead of time by skipping a geometric or exponential gap, and
// the rows between two events are written by a loop that tests nothing else.

namespace hapmat {

namespace {

// A position no chromosome reaches: when an event that never happens is due.
constexpr std::int64_t kNever = std::numeric_limits<std::int64_t>::max();

constexpr std::int64_t kMissingRunMin = 10;
constexpr std::int64_t kMissingRunMax = 500;
// The shorter of the soft-masked and the plain stretches has this mean
// length; the longer one makes up the requested fraction.
constexpr double kShortMaskRunMean = 300.0;
constexpr double kSecondAltShare = 0.05;
constexpr std::uint64_t kSecondAltMaxCarriers = 3;
// Two thirds of single-base alts are transitions (A<->G, C<->T): Ts/Tv = 2,
// about what human variation shows.
constexpr double kTransitionShare = 2.0 / 3.0;
// Multi-base alleles are REF followed by 1 to 3 inserted bases.
constexpr std::uint64_t kMaxInsertedBases = 3;
constexpr std::size_t kBufferBytes = std::size_t{4} << 20;
// Row heads are copied 32 bytes at a time whatever their length.
constexpr std::size_t kHeadCopyBytes = 32;

// Bases are coded 0..3 in this order; b ^ 2 is b's transition partner.
constexpr std::string_view kUpperBases = "ACGT";
constexpr std::string_view kLowerBases = "acgt";

std::uint64_t splitmix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

/** xoshiro256** (Blackman & Vigna): fast, and the same on every platform. */
class Rng {
 public:
  explicit Rng(std::uint64_t seed) {
    for (std::uint64_t& word : state_) word = splitmix64(seed);
  }

  std::uint64_t next() {
    std::uint64_t result = rotl(state_[1] * 5, 7) * 9;
    std::uint64_t t = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= t;
    state_[3] = rotl(state_[3], 45);
    return result;
  }

  /** Uniform in (0, 1], so that its logarithm is finite. */
  double unit() { return static_cast<double>((next() >> 11) + 1) * 0x1.0p-53; }

  /** Uniform in [0, n) for n < 2^32 (Lemire's multiply-shift). */
  std::uint64_t below(std::uint64_t n) { return ((next() >> 32) * n) >> 32; }

  bool chance(double p) { return unit() <= p; }

 private:
  static std::uint64_t rotl(std::uint64_t x, int k) {
    return (x << k) | (x >> (64 - k));
  }

  std::array<std::uint64_t, 4> state_;
};

// Independent streams per chromosome and per process, so that changing one
// rate leaves the reference and the other processes' events as they were.
enum class Stream : std::uint64_t { kRef, kMissing, kGap, kSnp, kMask };

Rng streamRng(std::uint64_t seed, unsigned chrom, Stream stream) {
  std::uint64_t state = seed;
  std::uint64_t mixed = splitmix64(state) ^ (std::uint64_t{chrom} << 8) ^
                        static_cast<std::uint64_t>(stream);
  return Rng(splitmix64(mixed));
}

/** pos + skip, saturating at kNever; pos is negative during the warm-up. */
std::int64_t advance(std::int64_t pos, std::int64_t skip) {
  return pos > 0 && skip >= kNever - pos ? kNever : pos + skip;
}

/** Failures before the first success of Bernoulli(p) trials, by inversion. */
class GeometricSkip {
 public:
  explicit GeometricSkip(double p)
      : p_(p), scale_(p > 0 && p < 1 ? 1.0 / std::log1p(-p) : 0.0) {}

  std::int64_t draw(Rng& rng) const {
    if (p_ >= 1) return 0;
    if (p_ <= 0) return kNever;
    double failures = std::floor(std::log(rng.unit()) * scale_);
    return failures < 0x1.0p62 ? static_cast<std::int64_t>(failures) : kNever;
  }

 private:
  double p_;
  double scale_;
};

/**
 * A Poisson process of `rate` arrivals per position; an arrival in [p, p+1)
 * happens at position p. Kept as whole + fraction so it stays exact however
 * long the chromosome.
 */
class PoissonClock {
 public:
  PoissonClock(double rate, std::int64_t start)
      : rate_(rate), whole_(rate > 0 ? start : kNever) {}

  std::int64_t next() const { return whole_; }

  void tick(Rng& rng) {
    fraction_ += -std::log(rng.unit()) / rate_;
    double carry = std::floor(fraction_);
    fraction_ -= carry;
    whole_ = carry < 0x1.0p62
                 ? advance(whole_, static_cast<std::int64_t>(carry))
                 : kNever;
  }

 private:
  double rate_;
  std::int64_t whole_;
  double fraction_ = 0.0;
};

/**
 * The rate of runs per haplotype and position, of mean length meanLength,
 * that leaves a fraction `cover` of positions covered: a position is covered
 * by a Poisson(rate x meanLength) number of runs, so cover = 1 - e^-(that).
 */
double runRateFor(double cover, double meanLength) {
  return -std::log1p(-cover) / meanLength;
}

/** REF base codes drawn 10 bits at a time: A and T 29.5 %, C and G 20.5 %. */
class RefBases {
 public:
  explicit RefBases(Rng rng) : rng_(rng) {}

  unsigned next() {
    if (left_ == 0) {
      bits_ = rng_.next();
      left_ = kPerWord;
    }
    unsigned code = kTable[bits_ & (kTable.size() - 1)];
    bits_ >>= kBits;
    --left_;
    return code;
  }

 private:
  static constexpr unsigned kBits = 10;
  static constexpr int kPerWord = 64 / kBits;
  // 302 A, 210 C, 210 G, 302 T of 1024.
  static constexpr std::array<std::uint8_t, 1 << kBits> kTable = [] {
    std::array<std::uint8_t, 1 << kBits> table{};
    for (std::size_t i = 0; i < table.size(); ++i) {
      table[i] = i < 302 ? 0 : i < 512 ? 1 : i < 722 ? 2 : 3;
    }
    return table;
  }();

  Rng rng_;
  std::uint64_t bits_ = 0;
  int left_ = 0;
};

/** What simulate() derives once from the options. */
struct Plan {
  std::vector<std::string> names;
  char delimiter;
  std::string_view lineEnd;
  double missingCover;
  double gapCover;                // among the calls that are not N
  std::int64_t gapRunMax;         // a run of gaps is 1 to this long
  double missingRunsPerPosition;  // over all haplotypes together
  double gapEventsPerPosition;
  std::uint64_t gapGroupMin;
  std::uint64_t gapGroupMax;
  double snpRate;
  double multibaseRate;
  double maskFraction;
  double maskedRunMean = kShortMaskRunMean;
  double plainRunMean = kShortMaskRunMean;
  // Cumulative 1/k weights of k = 1 .. n-1 alt carriers.
  std::vector<double> carrierCountCdf;
};

// The shortest text that reads back as `value`: 2 for 2.0, 0.35 for 0.35.
std::string shortest(double value) {
  char text[32];
  auto end = std::to_chars(text, text + sizeof text, value).ptr;
  return std::string(text, end);
}

// Messages name the options of `hapmat simulate`, whose values these are.
void checkRate(double rate, const char* option) {
  if (!(rate >= 0.0 && rate <= 1.0)) {
    throw UsageError(std::string(option) + " must be between 0 and 1, got " +
                     shortest(rate));
  }
}

void checkNames(const std::vector<std::string>& names) {
  std::vector<std::string> columns = {"CHROM", "POS", "REF"};
  columns.insert(columns.end(), names.begin(), names.end());
  validateColumns(columns, "haplotype names");
  for (const std::string& name : names) {
    for (char c : name) {
      if (static_cast<unsigned char>(c) <= ' ' || c == '\x7f') {
        throw UsageError("haplotype name '" + name +
                         "' contains a space or a control byte");
      }
    }
  }
}

void checkOptions(const SimulateOptions& options) {
  if (options.chroms < 1) throw UsageError("--chroms must be at least 1");
  if (options.length < 1 || options.length >= std::uint64_t{1} << 63) {
    throw UsageError("--length must be between 1 and 2^63 - 1, got " +
                     std::to_string(options.length));
  }
  checkRate(options.snpRate, "--snp-rate");
  checkRate(options.missingRate, "--missing-rate");
  checkRate(options.gapRate, "--gap-rate");
  if (options.gapLengthMax < 1 || options.gapLengthMax > 10'000'000) {
    throw UsageError("--gap-length-max must be between 1 and 10000000, got " +
                     std::to_string(options.gapLengthMax));
  }
  checkRate(options.multibaseRate, "--multibase-rate");
  checkRate(options.lowercaseRate, "--lowercase-rate");
  // With room for rounding: 0.7 + 0.3 is not always 1.0 in binary.
  if (options.missingRate + options.gapRate > 1.0 + 1e-9) {
    throw UsageError("--missing-rate + --gap-rate must be at most 1, got " +
                     shortest(options.missingRate) + " + " +
                     shortest(options.gapRate));
  }
  // Empty means the original's 31 columns.
  if (!options.haplotypes.empty()) checkNames(options.haplotypes);
}

std::vector<double> carrierCountCdf(std::size_t haplotypes) {
  std::size_t maxCarriers = std::max<std::size_t>(1, haplotypes - 1);
  std::vector<double> cdf(maxCarriers);
  double sum = 0.0;
  for (std::size_t k = 1; k <= maxCarriers; ++k) {
    sum += 1.0 / static_cast<double>(k);
    cdf[k - 1] = sum;
  }
  return cdf;
}

void planRuns(Plan& plan, double missingRate, double gapRate) {
  std::size_t n = plan.names.size();
  plan.missingCover = missingRate;
  // N hides a gap under it, so gaps cover more of the rest to reach gapRate.
  plan.gapCover =
      missingRate < 1.0 ? std::min(1.0, gapRate / (1.0 - missingRate)) : 0.0;
  plan.gapGroupMin = std::min<std::uint64_t>(2, n);
  plan.gapGroupMax = std::max<std::uint64_t>(plan.gapGroupMin, n / 3);
  double missingMean = (kMissingRunMin + kMissingRunMax) / 2.0;
  double gapMean = (1 + static_cast<double>(plan.gapRunMax)) / 2.0;
  double groupMean =
      static_cast<double>(plan.gapGroupMin + plan.gapGroupMax) / 2.0;
  double hapCount = static_cast<double>(n);
  plan.missingRunsPerPosition =
      plan.missingCover < 1.0
          ? hapCount * runRateFor(plan.missingCover, missingMean)
          : 0.0;
  // An event covers each haplotype with probability groupMean / n.
  plan.gapEventsPerPosition =
      plan.gapCover < 1.0
          ? runRateFor(plan.gapCover, gapMean) * hapCount / groupMean
          : 0.0;
}

void planMask(Plan& plan, double fraction) {
  plan.maskFraction = fraction;
  double shorter = std::min(fraction, 1.0 - fraction);
  if (shorter <= 0.0) return;
  plan.maskedRunMean = kShortMaskRunMean * fraction / shorter;
  plan.plainRunMean = kShortMaskRunMean * (1.0 - fraction) / shorter;
}

Plan makePlan(const SimulateOptions& options) {
  Plan plan{};
  plan.names = options.haplotypes.empty() ? originalHaplotypeNames()
                                          : options.haplotypes;
  plan.delimiter = static_cast<char>(options.delimiter);
  plan.lineEnd = options.crlf ? "\r\n" : "\n";
  plan.gapRunMax = static_cast<std::int64_t>(options.gapLengthMax);
  planRuns(plan, options.missingRate, options.gapRate);
  plan.snpRate = options.snpRate;
  plan.multibaseRate = options.multibaseRate;
  planMask(plan, options.lowercaseRate);
  plan.carrierCountCdf = carrierCountCdf(plan.names.size());
  return plan;
}

/** Buffers whole rows and hands them to the sink in large pieces. */
class RowBuffer {
 public:
  RowBuffer(ByteSink& out, std::size_t maxRowBytes)
      : out_(out),
        bytes_(std::max(kBufferBytes, 4 * (maxRowBytes + kHeadCopyBytes))),
        cursor_(bytes_.data()),
        limit_(bytes_.data() + bytes_.size() - maxRowBytes - kHeadCopyBytes) {}

  /** Where the next row goes; at least maxRowBytes + 32 are free there. */
  char* rowStart() {
    if (cursor_ > limit_) flush();
    return cursor_;
  }
  void rowEnd(char* end) { cursor_ = end; }

  void flush() {
    out_.write(
        {bytes_.data(), static_cast<std::size_t>(cursor_ - bytes_.data())});
    cursor_ = bytes_.data();
  }

 private:
  ByteSink& out_;
  std::vector<char> bytes_;
  char* cursor_;
  char* limit_;
};

/** `CHROM<d>POS<d>`, with POS counted up in place, one decimal carry at a
 * time, instead of formatted for every row. */
class RowHead {
 public:
  RowHead(const std::string& chrom, char delimiter) : delimiter_(delimiter) {
    std::memcpy(text_.data(), chrom.data(), chrom.size());
    digitsStart_ = chrom.size() + 1;
    text_[chrom.size()] = delimiter;
    text_[digitsStart_] = '1';
    text_[digitsStart_ + 1] = delimiter;
    size_ = digitsStart_ + 2;
  }

  char* write(char* at) const {
    std::memcpy(at, text_.data(), kHeadCopyBytes);
    return at + size_;
  }

  void increment() {
    std::size_t i = size_ - 2;
    while (text_[i] == '9') {
      text_[i] = '0';
      if (i == digitsStart_) return growDigits();
      --i;
    }
    ++text_[i];
  }

 private:
  // 99..9 + 1: a leading 1, the zeros the carry left, one more zero.
  void growDigits() {
    text_[digitsStart_] = '1';
    text_[size_ - 1] = '0';
    text_[size_] = delimiter_;
    ++size_;
  }

  // Ten digits of CHROM, its delimiter, 19 of POS and its delimiter.
  std::array<char, kHeadCopyBytes> text_{};
  char delimiter_;
  std::size_t digitsStart_;
  std::size_t size_;
};

/**
 * The text after POS of a row where no site varies: `R<d>c1<d>...cn<eol>`,
 * one per REF base in upper and in lower case, with every call c = REF
 * except where a run of N or - covers the haplotype.
 */
class CallTemplates {
 public:
  CallTemplates(std::size_t haplotypes, char delimiter,
                std::string_view lineEnd)
      : stride_(1 + 2 * haplotypes + lineEnd.size()) {
    bytes_.resize(kTemplates * stride_);
    for (std::size_t t = 0; t < kTemplates; ++t) {
      char* row = bytes_.data() + t * stride_;
      row[0] = baseLetter(t);
      for (std::size_t h = 0; h < haplotypes; ++h) {
        row[1 + 2 * h] = delimiter;
        row[2 + 2 * h] = baseLetter(t);
      }
      std::memcpy(row + 1 + 2 * haplotypes, lineEnd.data(), lineEnd.size());
    }
  }

  std::string_view row(unsigned base, bool masked) const {
    return {bytes_.data() + index(base, masked) * stride_, stride_};
  }

  /** Whether a haplotype calls REF where no site varies (not N, not -). */
  bool callsRef(std::size_t haplotype) const {
    return bytes_[2 + 2 * haplotype] == bytes_[0];
  }

  /** Sets a haplotype's call to 'N', '-', or REF (`0`). */
  void setCall(std::size_t haplotype, char call) {
    for (std::size_t t = 0; t < kTemplates; ++t) {
      bytes_[t * stride_ + 2 + 2 * haplotype] = call ? call : baseLetter(t);
    }
  }

 private:
  static constexpr std::size_t kTemplates = 8;
  static std::size_t index(unsigned base, bool masked) {
    return base + (masked ? 4 : 0);
  }
  static char baseLetter(std::size_t t) {
    return t < 4 ? kUpperBases[t] : kLowerBases[t - 4];
  }

  std::size_t stride_;
  std::vector<char> bytes_;
};

enum class RunKind : std::uint8_t { kMissing, kGap };

struct RunEnd {
  std::int64_t pos;  // the first position the run no longer covers
  std::uint32_t haplotype;
  RunKind kind;
  bool operator>(const RunEnd& other) const { return pos > other.pos; }
};

/** Moves a uniformly random choice of the items at [from, size) into
 * [from, to): Fisher-Yates stopped early. */
void shuffleFront(std::vector<std::uint32_t>& items, std::size_t from,
                  std::size_t to, Rng& rng) {
  for (std::size_t i = from; i < to; ++i) {
    std::swap(items[i], items[i + rng.below(items.size() - i)]);
  }
}

/** One polymorphic site: its alleles, and how many of the eligible
 * haplotypes (in drawn order) carry the alt, then the second alt. */
struct Site {
  std::string alt;
  std::string secondAlt;
  std::size_t altCarriers = 0;
  std::size_t secondAltCarriers = 0;
};

/** Writes the rows of one chromosome. */
class ChromosomeWriter {
 public:
  ChromosomeWriter(const Plan& plan, std::uint64_t seed, unsigned chrom,
                   RowBuffer& out);
  void write(std::int64_t length);

 private:
  std::int64_t nextEvent() const;
  bool applyEvents(std::int64_t pos);
  void writePlainRows(std::int64_t from, std::int64_t to);
  void writeSiteRow();
  char* writeCalls(char* at, std::string_view calls, const Site& site);

  void startRun(std::int64_t pos, std::int64_t start, std::int64_t length,
                std::uint32_t haplotype, RunKind kind);
  void endRun(const RunEnd& end);
  void updateCall(std::uint32_t haplotype);
  void startMissingRun(std::int64_t pos);
  void startGapEvent(std::int64_t pos);
  void coverWholeChromosome(RunKind kind);
  void toggleMask(std::int64_t pos);

  Site drawSite(unsigned ref);
  std::string drawAlt(unsigned ref);
  std::string drawSecondAlt(unsigned ref, const std::string& alt);
  std::size_t drawCarrierCount();
  void collectEligible();
  void markCarriers(const Site& site, std::uint8_t allele);

  const Plan& plan_;
  RowBuffer& out_;
  RowHead head_;
  CallTemplates templates_;
  RefBases refs_;
  Rng missingRng_, gapRng_, snpRng_, maskRng_;
  PoissonClock missingStarts_, gapStarts_;
  GeometricSkip snpSkip_, maskedSkip_, plainSkip_;
  std::int64_t nextSnp_;
  bool masked_ = false;
  std::int64_t nextMaskToggle_ = kNever;
  std::priority_queue<RunEnd, std::vector<RunEnd>, std::greater<RunEnd>> ends_;
  std::vector<std::uint32_t> missingDepth_, gapDepth_;
  // All haplotypes, in the order the last gap event shuffled them.
  std::vector<std::uint32_t> gapOrder_;
  // At a site: the haplotypes that call REF, the carriers drawn to the front.
  std::vector<std::uint32_t> eligible_;
  // Per haplotype, at the current site: 0 REF, 1 alt, 2 second alt.
  std::vector<std::uint8_t> siteAllele_;
};

ChromosomeWriter::ChromosomeWriter(const Plan& plan, std::uint64_t seed,
                                   unsigned chrom, RowBuffer& out)
    : plan_(plan),
      out_(out),
      head_(std::to_string(chrom), plan.delimiter),
      templates_(plan.names.size(), plan.delimiter, plan.lineEnd),
      refs_(streamRng(seed, chrom, Stream::kRef)),
      missingRng_(streamRng(seed, chrom, Stream::kMissing)),
      gapRng_(streamRng(seed, chrom, Stream::kGap)),
      snpRng_(streamRng(seed, chrom, Stream::kSnp)),
      maskRng_(streamRng(seed, chrom, Stream::kMask)),
      // Runs start before position 1 too, so that the first rows are as
      // likely to be covered as any others.
      missingStarts_(plan.missingRunsPerPosition, 1 - kMissingRunMax),
      gapStarts_(plan.gapEventsPerPosition, 1 - plan.gapRunMax),
      snpSkip_(plan.snpRate),
      maskedSkip_(1.0 / plan.maskedRunMean),
      plainSkip_(1.0 / plan.plainRunMean),
      nextSnp_(advance(1, snpSkip_.draw(snpRng_))),
      missingDepth_(plan.names.size()),
      gapDepth_(plan.names.size()),
      gapOrder_(plan.names.size()),
      siteAllele_(plan.names.size()) {
  for (std::uint32_t h = 0; h < gapOrder_.size(); ++h) gapOrder_[h] = h;
  if (plan.missingCover >= 1.0) coverWholeChromosome(RunKind::kMissing);
  if (plan.gapCover >= 1.0) coverWholeChromosome(RunKind::kGap);
  masked_ = plan.maskFraction >= 1.0;
  if (plan.maskFraction > 0.0 && plan.maskFraction < 1.0) {
    // Stretch lengths are memoryless, so entering position 1 in a masked
    // stretch with probability maskFraction is the steady state.
    masked_ = !maskRng_.chance(plan.maskFraction);
    toggleMask(1);
  }
}

void ChromosomeWriter::write(std::int64_t length) {
  std::int64_t pos = 1;
  while (pos <= length) {
    // Events before position 1 (runs started in the warm-up) apply at 1.
    std::int64_t stop = std::clamp(nextEvent(), pos, length + 1);
    writePlainRows(pos, stop);
    pos = stop;
    if (pos > length) break;
    if (applyEvents(pos)) {
      writeSiteRow();
      ++pos;
    }
  }
}

std::int64_t ChromosomeWriter::nextEvent() const {
  std::int64_t next = std::min(
      {missingStarts_.next(), gapStarts_.next(), nextSnp_, nextMaskToggle_});
  return ends_.empty() ? next : std::min(next, ends_.top().pos);
}

// Applies what happens at pos, ends before starts; true if pos is a site.
bool ChromosomeWriter::applyEvents(std::int64_t pos) {
  while (!ends_.empty() && ends_.top().pos <= pos) {
    RunEnd end = ends_.top();
    ends_.pop();
    endRun(end);
  }
  while (missingStarts_.next() <= pos) {
    startMissingRun(pos);
    missingStarts_.tick(missingRng_);
  }
  while (gapStarts_.next() <= pos) {
    startGapEvent(pos);
    gapStarts_.tick(gapRng_);
  }
  if (nextMaskToggle_ <= pos) toggleMask(pos);
  if (nextSnp_ != pos) return false;
  nextSnp_ = advance(pos + 1, snpSkip_.draw(snpRng_));
  return true;
}

void ChromosomeWriter::writePlainRows(std::int64_t from, std::int64_t to) {
  for (std::int64_t pos = from; pos < to; ++pos) {
    std::string_view calls = templates_.row(refs_.next(), masked_);
    char* at = head_.write(out_.rowStart());
    std::memcpy(at, calls.data(), calls.size());
    out_.rowEnd(at + calls.size());
    head_.increment();
  }
}

void ChromosomeWriter::writeSiteRow() {
  unsigned ref = refs_.next();
  Site site = drawSite(ref);
  char* at = head_.write(out_.rowStart());
  at = writeCalls(at, templates_.row(ref, masked_), site);
  std::memcpy(at, plan_.lineEnd.data(), plan_.lineEnd.size());
  out_.rowEnd(at + plan_.lineEnd.size());
  head_.increment();
  markCarriers(site, 0);
}

// REF and the calls, as the template has them except at the carriers.
char* ChromosomeWriter::writeCalls(char* at, std::string_view calls,
                                   const Site& site) {
  *at++ = calls[0];
  for (std::size_t h = 0; h < siteAllele_.size(); ++h) {
    *at++ = plan_.delimiter;
    std::uint8_t allele = siteAllele_[h];
    if (allele == 0) {
      *at++ = calls[2 + 2 * h];
      continue;
    }
    const std::string& text = allele == 1 ? site.alt : site.secondAlt;
    std::memcpy(at, text.data(), text.size());
    at += text.size();
  }
  return at;
}

// The alt goes to k of the haplotypes that call REF here, k drawn from the
// 1/k spectrum of neutral variation; sometimes a second alt to a few others.
Site ChromosomeWriter::drawSite(unsigned ref) {
  Site site;
  site.alt = drawAlt(ref);
  collectEligible();
  site.altCarriers = std::min(drawCarrierCount(), eligible_.size());
  shuffleFront(eligible_, 0, site.altCarriers, snpRng_);
  std::size_t left = eligible_.size() - site.altCarriers;
  if (left > 0 && snpRng_.chance(kSecondAltShare)) {
    site.secondAlt = drawSecondAlt(ref, site.alt);
    site.secondAltCarriers =
        1 + snpRng_.below(std::min<std::uint64_t>(kSecondAltMaxCarriers, left));
    shuffleFront(eligible_, site.altCarriers,
                 site.altCarriers + site.secondAltCarriers, snpRng_);
  }
  markCarriers(site, 1);
  return site;
}

// A base other than REF, or with multibaseRate an insertion allele: REF
// followed by 1 to 3 bases. Upper case, unless the site is soft-masked.
std::string ChromosomeWriter::drawAlt(unsigned ref) {
  std::string_view letters = masked_ ? kLowerBases : kUpperBases;
  if (plan_.multibaseRate > 0.0 && snpRng_.chance(plan_.multibaseRate)) {
    std::string alt(1, letters[ref]);
    std::uint64_t inserted = 1 + snpRng_.below(kMaxInsertedBases);
    for (std::uint64_t i = 0; i < inserted; ++i) {
      alt += letters[snpRng_.below(4)];
    }
    return alt;
  }
  unsigned transversion = snpRng_.chance(0.5) ? 1 : 3;
  unsigned alt = ref ^ (snpRng_.chance(kTransitionShare) ? 2 : transversion);
  return std::string(1, letters[alt]);
}

std::string ChromosomeWriter::drawSecondAlt(unsigned ref,
                                            const std::string& alt) {
  std::string_view letters = masked_ ? kLowerBases : kUpperBases;
  unsigned base = ref;
  while (base == ref || std::string_view(alt) == letters.substr(base, 1)) {
    base = static_cast<unsigned>(snpRng_.below(4));
  }
  return std::string(1, letters[base]);
}

std::size_t ChromosomeWriter::drawCarrierCount() {
  const std::vector<double>& cdf = plan_.carrierCountCdf;
  double u = snpRng_.unit() * cdf.back();
  return static_cast<std::size_t>(std::lower_bound(cdf.begin(), cdf.end(), u) -
                                  cdf.begin()) +
         1;
}

void ChromosomeWriter::collectEligible() {
  eligible_.clear();
  for (std::uint32_t h = 0; h < siteAllele_.size(); ++h) {
    if (templates_.callsRef(h)) eligible_.push_back(h);
  }
}

// Sets the carriers' siteAllele_ to `allele` (1: alt and second alt, as
// drawn; 0: back to REF).
void ChromosomeWriter::markCarriers(const Site& site, std::uint8_t allele) {
  for (std::size_t i = 0; i < site.altCarriers; ++i) {
    siteAllele_[eligible_[i]] = allele;
  }
  for (std::size_t i = 0; i < site.secondAltCarriers; ++i) {
    siteAllele_[eligible_[site.altCarriers + i]] = allele ? 2 : 0;
  }
}

// A run that began before pos (the warm-up before position 1) and is over
// already changes nothing.
void ChromosomeWriter::startRun(std::int64_t pos, std::int64_t start,
                                std::int64_t length, std::uint32_t haplotype,
                                RunKind kind) {
  std::int64_t end = start + length;
  if (end <= pos) return;
  ++(kind == RunKind::kMissing ? missingDepth_ : gapDepth_)[haplotype];
  ends_.push({end, haplotype, kind});
  updateCall(haplotype);
}

void ChromosomeWriter::endRun(const RunEnd& end) {
  --(end.kind == RunKind::kMissing ? missingDepth_ : gapDepth_)[end.haplotype];
  updateCall(end.haplotype);
}

// N hides a gap: the assembly is missing there, whatever it would align to.
void ChromosomeWriter::updateCall(std::uint32_t haplotype) {
  char call = missingDepth_[haplotype] > 0 ? 'N'
              : gapDepth_[haplotype] > 0   ? '-'
                                           : '\0';
  templates_.setCall(haplotype, call);
}

void ChromosomeWriter::startMissingRun(std::int64_t pos) {
  auto haplotype =
      static_cast<std::uint32_t>(missingRng_.below(plan_.names.size()));
  auto length = static_cast<std::int64_t>(
      kMissingRunMin + missingRng_.below(kMissingRunMax - kMissingRunMin + 1));
  startRun(pos, missingStarts_.next(), length, haplotype, RunKind::kMissing);
}

void ChromosomeWriter::startGapEvent(std::int64_t pos) {
  std::size_t group = plan_.gapGroupMin +
                      gapRng_.below(plan_.gapGroupMax - plan_.gapGroupMin + 1);
  auto length = static_cast<std::int64_t>(
      1 + gapRng_.below(static_cast<std::uint64_t>(plan_.gapRunMax)));
  shuffleFront(gapOrder_, 0, group, gapRng_);
  for (std::size_t i = 0; i < group; ++i) {
    startRun(pos, gapStarts_.next(), length, gapOrder_[i], RunKind::kGap);
  }
}

// A rate of 1: the run never ends, so no end is queued.
void ChromosomeWriter::coverWholeChromosome(RunKind kind) {
  for (std::uint32_t h = 0; h < gapOrder_.size(); ++h) {
    ++(kind == RunKind::kMissing ? missingDepth_ : gapDepth_)[h];
    updateCall(h);
  }
}

void ChromosomeWriter::toggleMask(std::int64_t pos) {
  masked_ = !masked_;
  const GeometricSkip& stretch = masked_ ? maskedSkip_ : plainSkip_;
  nextMaskToggle_ = advance(pos + 1, stretch.draw(maskRng_));
}

}  // namespace

std::vector<std::string> originalHaplotypeNames() {
  return {"13a", "14b", "16a", "17a", "23a", "24a",   "25b", "26a",
          "34a", "35a", "37a", "38a", "3b",  "MA622", "8b",  "10b",
          "13b", "14a", "16b", "17b", "23b", "24b",   "25a", "26b",
          "34b", "35b", "37b", "38b", "3a",  "8a",    "10a"};
}

std::vector<std::string> numberedHaplotypeNames(std::size_t count) {
  std::vector<std::string> names;
  names.reserve(count);
  for (std::size_t pair = 1; pair <= count / 2; ++pair) {
    names.push_back(std::to_string(pair) + "a");
    names.push_back(std::to_string(pair) + "b");
  }
  if (count % 2 == 1) names.push_back("MA1");
  return names;
}

std::string headerText(const std::vector<std::string>& haplotypes,
                       Delimiter delimiter) {
  char separator = static_cast<char>(delimiter);
  std::string text =
      std::string("CHROM") + separator + "POS" + separator + "REF";
  for (const std::string& name : haplotypes) {
    text += separator;
    text += name;
  }
  return text;
}

void simulate(const SimulateOptions& options, ByteSink& out) {
  checkOptions(options);
  Plan plan = makePlan(options);
  // CHROM, POS, REF, and each call at its longest (an insertion allele).
  std::size_t maxRowBytes = kHeadCopyBytes + 1 +
                            plan.names.size() * (2 + kMaxInsertedBases) +
                            plan.lineEnd.size();
  if (options.headerLine) {
    out.write(headerText(plan.names, options.delimiter) +
              std::string(plan.lineEnd));
  }
  RowBuffer buffer(out, maxRowBytes);
  for (unsigned chrom = 1; chrom <= options.chroms; ++chrom) {
    ChromosomeWriter(plan, options.seed, chrom, buffer)
        .write(static_cast<std::int64_t>(options.length));
  }
  buffer.flush();
}

}  // namespace hapmat
