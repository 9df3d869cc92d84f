#include "formats/bcf_writer.hpp"

#include <array>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <unordered_map>

#include "hapmat/error.hpp"

namespace hapmat {

namespace {

// BCF2 typed values (the BCF2 specification, "Type encoding"): a byte
// holding the count (up to 14; else 15 and the count as a typed int) in its
// high nibble and the type in its low one.
enum BcfType : std::uint8_t {
  kNull = 0,
  kInt8 = 1,
  kInt16 = 2,
  kInt32 = 3,
  kChar = 7
};

// The missing float, a quiet NaN: QUAL `.`.
constexpr std::uint32_t kMissingFloat = 0x7F800001;
// htslib keeps int8 values from -120 up: the values below are reserved.
constexpr std::int32_t kMinInt8 = -120;
constexpr std::int32_t kMinInt16 = -32760;

void putLe(std::string& out, std::uint32_t value, int bytes) {
  char le[4];
  for (int i = 0; i < bytes; ++i) le[i] = static_cast<char>(value >> (8 * i));
  out.append(le, static_cast<std::size_t>(bytes));
}

// The smallest type holding every value (all >= 0 here), as bcf_enc_vint.
BcfType typeFor(std::int32_t largest) {
  return largest <= std::numeric_limits<std::int8_t>::max()    ? kInt8
         : largest <= std::numeric_limits<std::int16_t>::max() ? kInt16
                                                               : kInt32;
}

// A GT allele's BCF value when it comes first in its sample, from its one
// character: (allele + 1) << 1, 0 for `.`; kNotOneDigit for any other.
constexpr std::uint8_t kNotOneDigit = 0x80;
constexpr std::array<std::uint8_t, 256> kFirstAlleleCode = [] {
  std::array<std::uint8_t, 256> codes{};
  codes.fill(kNotOneDigit);
  codes['.'] = 0;
  for (int digit = 0; digit < 10; ++digit) {
    codes['0' + digit] = static_cast<std::uint8_t>((digit + 1) << 1);
  }
  return codes;
}();

// A record is written into space reserved once for the most it can take,
// through a pointer, with no capacity check per value. Every value takes
// at least one byte of the text and at most 4 bytes of BCF (a string's
// byte one); a typed size (up to 6 bytes) goes with a field or a vector
// of at least 2 bytes of text, or is among the few of every record.
constexpr std::size_t kBytesPerTextByte = 4;
constexpr std::size_t kRecordBytesBeyondText = 64;

class RecordBytes {
 public:
  explicit RecordBytes(char* at) : at_(at) {}
  char* at() const { return at_; }

  void le(std::uint32_t value, int bytes) {
    for (int i = 0; i < bytes; ++i) {
      *at_++ = static_cast<char>(value >> (8 * i));
    }
  }
  void byte(unsigned value) { *at_++ = static_cast<char>(value); }

  // One integer in the smallest type that holds it, as htslib's
  // bcf_enc_int1.
  void int1(std::int32_t value) {
    if (value <= std::numeric_limits<std::int8_t>::max() && value >= kMinInt8) {
      byte(1 << 4 | kInt8);
      byte(static_cast<unsigned>(value));
    } else if (value <= std::numeric_limits<std::int16_t>::max() &&
               value >= kMinInt16) {
      byte(1 << 4 | kInt16);
      le(static_cast<std::uint32_t>(value), 2);
    } else {
      byte(1 << 4 | kInt32);
      le(static_cast<std::uint32_t>(value), 4);
    }
  }

  void size(std::size_t count, BcfType type) {
    if (count < 15) return byte(static_cast<unsigned>(count << 4 | type));
    byte(15 << 4 | type);
    int1(static_cast<std::int32_t>(count));
  }

  void string(std::string_view text) {
    size(text.size(), kChar);
    std::memcpy(at_, text.data(), text.size());
    at_ += text.size();
  }

  // `count` values per vector, of `values` (one vector for INFO, one per
  // sample for FORMAT), typed as htslib's bcf_enc_vint types them.
  template <class Value>
  void ints(const std::vector<Value>& values, std::size_t count,
            std::int32_t largest) {
    const BcfType type = typeFor(largest);
    size(count, type);
    const int bytes = type == kInt8 ? 1 : type == kInt16 ? 2 : 4;
    if (bytes == 1) {
      for (Value value : values) byte(static_cast<unsigned>(value));
      return;
    }
    for (Value value : values) le(static_cast<std::uint32_t>(value), bytes);
  }

  // hapmat's usual genotypes: `a|b` for each of `samples` samples,
  // tab-separated, each allele one digit or `.`; 4 bytes a sample, so no
  // search. They are int8 (at most (9 + 1) << 1 | 1 = 21), the second
  // allele phased: written without a branch per value. Returns false,
  // having written nothing, for any other text (the general path then
  // parses it).
  bool oneDigitGenotypes(std::string_view text, std::size_t samples) {
    if (samples == 0 || text.size() != samples * 4 - 1) return false;
    auto* w = reinterpret_cast<std::uint8_t*>(at_);
    *w++ = 2 << 4 | kInt8;
    const auto* t = reinterpret_cast<const std::uint8_t*>(text.data());
    unsigned bad = 0;
    for (std::size_t sample = 0; sample < samples; ++sample, t += 4) {
      const std::uint8_t first = kFirstAlleleCode[t[0]];
      const std::uint8_t second = kFirstAlleleCode[t[2]];
      bad |= static_cast<unsigned>((first | second) & kNotOneDigit) |
             static_cast<unsigned>(t[1] ^ '|');
      *w++ = first;
      *w++ = static_cast<std::uint8_t>(second | 1);
    }
    t = reinterpret_cast<const std::uint8_t*>(text.data()) + 3;
    for (std::size_t sample = 1; sample < samples; ++sample, t += 4) {
      bad |= static_cast<unsigned>(*t ^ '\t');
    }
    if (bad != 0) return false;
    at_ = reinterpret_cast<char*>(w);
    return true;
  }

  // Any genotypes: (allele + 1) << 1 | phased, the first allele of a
  // sample never phased; a missing allele is 0 (| phased).
  void genotypes(VcfRecord& record) {
    std::int32_t largest = 0;
    const std::int32_t phased = record.phased ? 1 : 0;
    std::uint32_t inSample = 0;
    for (std::int32_t& allele : record.alleles) {
      allele = (allele + 1) << 1 | (inSample != 0 ? phased : 0);
      largest = std::max(largest, allele);
      inSample = inSample + 1 == record.ploidy ? 0 : inSample + 1;
    }
    ints(record.alleles, record.ploidy, largest);
  }

 private:
  char* at_;
};

// `##KIND=<...>` with `,IDX=index` before its closing `>`.
void appendWithIndex(std::string& out, std::string_view line,
                     std::size_t index) {
  const std::size_t close = line.rfind('>');
  out.append(line.substr(0, close)).append(",IDX=");
  out.append(std::to_string(index)).append(line.substr(close));
}

std::string_view idOf(std::string_view line) {
  const std::size_t start = line.find("<ID=") + 4;
  return line.substr(start, line.find_first_of(",>", start) - start);
}

}  // namespace

// The dictionaries (BCF2 specification, "Dictionary of strings"): FILTER,
// INFO and FORMAT IDs share one, PASS first, numbered in header order;
// contigs another. htslib adds the PASS line after ##fileformat when a
// header lacks it; the IDX fields say the numbers outright.
BcfHeader::BcfHeader(std::string_view vcfHeader)
    : contigs_(vcfHeader), samples_(vcfSampleCount(vcfHeader)) {
  std::string text;
  std::unordered_map<std::string, std::size_t> strings{{"PASS", 0}};
  std::size_t contig = 0;
  for (std::string_view rest = vcfHeader; !rest.empty();) {
    const std::size_t end = rest.find('\n');
    const std::string_view line =
        rest.substr(0, end == std::string_view::npos ? rest.size() : end + 1);
    rest.remove_prefix(line.size());
    if (line.starts_with("##contig=<")) {
      appendWithIndex(text, line, contig++);
    } else if (line.starts_with("##INFO=<") || line.starts_with("##FORMAT=<") ||
               line.starts_with("##FILTER=<")) {
      auto [at, added] =
          strings.try_emplace(std::string(idOf(line)), strings.size());
      appendWithIndex(text, line, at->second);
    } else {
      text.append(line);
    }
    if (line.starts_with("##fileformat=") &&
        vcfHeader.find("\n##FILTER=<ID=PASS,") == std::string_view::npos) {
      text.append(
          "##FILTER=<ID=PASS,Description=\"All filters passed\",IDX=0>\n");
    }
  }
  auto key = [&](const char* id) {
    const auto found = strings.find(id);
    return found == strings.end() ? -1
                                  : static_cast<std::int32_t>(found->second);
  };
  ac_ = key("AC");
  an_ = key("AN");
  gt_ = key("GT");
  bytes_.assign("BCF\2\2");
  putLe(bytes_, static_cast<std::uint32_t>(text.size() + 1), 4);
  bytes_.append(text).push_back('\0');
}

// A record (BCF2 specification, "BCF2 site encoding"): its lengths, then
// the shared part (CHROM to INFO) and the individual part (FORMAT GT).
void appendBcfRecords(std::string_view vcfRecords, const BcfHeader& header,
                      VcfRecord& record, std::string& out) {
  while (!vcfRecords.empty()) {
    const std::size_t end = vcfRecords.find('\n');
    const std::string_view line = vcfRecords.substr(0, end);
    const std::string_view genotypes =
        parseVcfSite(line, header.contigs_, record);
    vcfRecords.remove_prefix(end == std::string_view::npos ? vcfRecords.size()
                                                           : end + 1);
    if (record.pos > kBcfMaxPos) {
      throw IoError("cannot write BCF: the record at " +
                    header.contigs_.names()[record.contig] + ":" +
                    std::to_string(record.pos) +
                    " is past the largest POS BCF holds (" +
                    std::to_string(kBcfMaxPos) + "): write VCF instead");
    }
    const std::size_t lengths = out.size();
    out.resize(lengths + kRecordBytesBeyondText +
               kBytesPerTextByte * line.size());
    char* const record0 = out.data() + lengths;
    RecordBytes w(record0 + 8);
    w.le(record.contig, 4);
    w.le(static_cast<std::uint32_t>(record.pos - 1), 4);
    w.le(static_cast<std::uint32_t>(record.ref.size()), 4);
    w.le(kMissingFloat, 4);
    const std::size_t alleles = record.alts.size() + 1;
    const bool hasAc = !record.alts.empty();
    w.le(static_cast<std::uint32_t>(alleles << 16 | (hasAc ? 2 : 1)), 4);
    const bool hasGt = header.samples_ != 0;
    w.le(static_cast<std::uint32_t>(std::size_t{hasGt} << 24 | header.samples_),
         4);
    w.size(0, kChar);  // ID `.`
    w.string(record.ref);
    for (std::string_view alt : record.alts) w.string(alt);
    w.size(0, kNull);  // FILTER `.`
    if (hasAc) {
      w.int1(header.ac_);
      std::uint32_t largest = 0;
      for (std::uint32_t count : record.ac) largest = std::max(largest, count);
      if (record.ac.size() == 1) {
        w.int1(static_cast<std::int32_t>(largest));
      } else {
        w.ints(record.ac, record.ac.size(), static_cast<std::int32_t>(largest));
      }
    }
    w.int1(header.an_);
    w.int1(static_cast<std::int32_t>(record.an));
    const auto shared = static_cast<std::uint32_t>(w.at() - record0 - 8);
    if (hasGt) w.int1(header.gt_);
    if (!hasGt || !w.oneDigitGenotypes(genotypes, header.samples_)) {
      parseVcfGenotypes(genotypes, line, record);
      if (hasGt) w.genotypes(record);
    }
    RecordBytes(record0).le(shared, 4);
    RecordBytes(record0 + 4)
        .le(static_cast<std::uint32_t>(w.at() - record0 - 8 - shared), 4);
    const auto written = static_cast<std::size_t>(w.at() - out.data());
    if (written > out.size()) {  // the bound above is wrong: a bug
      throw std::logic_error("a BCF record outgrew its space");
    }
    out.resize(written);
  }
}

void BcfSink::write(std::string_view bytes) {
  if (!header_) {
    text_.append(bytes);
    const std::size_t columns =
        text_.starts_with("#CHROM") ? 0 : text_.find("\n#CHROM");
    const std::size_t end = columns == std::string::npos
                                ? std::string::npos
                                : text_.find('\n', columns + 1);
    if (end == std::string::npos) return;
    header_ =
        std::make_unique<BcfHeader>(std::string_view(text_).substr(0, end + 1));
    writeInner(header_->bytes());
    const std::string rest = text_.substr(end + 1);
    text_.clear();
    return writeRecords(rest);
  }
  writeRecords(bytes);
}

// Whole lines are encoded; a line cut by the write waits in text_.
void BcfSink::writeRecords(std::string_view bytes) {
  encoded_.clear();
  if (!text_.empty()) {
    const std::size_t end = bytes.find('\n');
    if (end == std::string_view::npos) {
      text_.append(bytes);
      return;
    }
    text_.append(bytes.substr(0, end + 1));
    bytes.remove_prefix(end + 1);
    appendBcfRecords(text_, *header_, record_, encoded_);
    text_.clear();
  }
  const std::size_t last = bytes.rfind('\n');
  const std::size_t whole = last == std::string_view::npos ? 0 : last + 1;
  appendBcfRecords(bytes.substr(0, whole), *header_, record_, encoded_);
  text_.assign(bytes.substr(whole));
  writeInner(encoded_);
}

void BcfSink::writeEncoded(std::string_view bcf) {
  if (!header_ || !text_.empty()) {
    throw std::logic_error("BcfSink: encoded records before the header");
  }
  writeInner(bcf);
}

void BcfSink::writeBlocks(std::string_view blocks, std::uint64_t bcfBytes) {
  if (!header_ || !text_.empty()) {
    throw std::logic_error("BcfSink: encoded records before the header");
  }
  inner_.writeBlocks(blocks, bcfBytes);
  written_ += bcfBytes;
}

void BcfSink::writeInner(std::string_view bytes) {
  inner_.write(bytes);
  written_ += bytes.size();
}

void BcfSink::omitHeader(std::string_view header) {
  header_ = std::make_unique<BcfHeader>(header);
}

// hapmat's VCF ends every line: text left over is a header or a record cut
// short.
void BcfSink::finish() const {
  if (!text_.empty()) {
    throw std::logic_error("BcfSink: the VCF text ends inside a line");
  }
}

}  // namespace hapmat
