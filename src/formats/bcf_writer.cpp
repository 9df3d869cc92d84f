#include "formats/bcf_writer.hpp"

#include <array>
#include <limits>
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

void putLeAt(char* at, std::uint32_t value) {
  for (int i = 0; i < 4; ++i) at[i] = static_cast<char>(value >> (8 * i));
}

// One integer in the smallest type that holds it, as htslib's bcf_enc_int1.
void putInt(std::string& out, std::int32_t value) {
  if (value <= std::numeric_limits<std::int8_t>::max() && value >= kMinInt8) {
    out.push_back(static_cast<char>(1 << 4 | kInt8));
    out.push_back(static_cast<char>(value));
  } else if (value <= std::numeric_limits<std::int16_t>::max() &&
             value >= kMinInt16) {
    out.push_back(static_cast<char>(1 << 4 | kInt16));
    putLe(out, static_cast<std::uint32_t>(value), 2);
  } else {
    out.push_back(static_cast<char>(1 << 4 | kInt32));
    putLe(out, static_cast<std::uint32_t>(value), 4);
  }
}

void putSize(std::string& out, std::size_t size, BcfType type) {
  if (size < 15) {
    out.push_back(static_cast<char>(size << 4 | type));
    return;
  }
  out.push_back(static_cast<char>(15 << 4 | type));
  putInt(out, static_cast<std::int32_t>(size));
}

void putString(std::string& out, std::string_view text) {
  putSize(out, text.size(), kChar);
  out.append(text);
}

// The smallest type holding every value (all >= 0 here), as bcf_enc_vint.
BcfType typeFor(std::int32_t largest) {
  return largest <= std::numeric_limits<std::int8_t>::max()    ? kInt8
         : largest <= std::numeric_limits<std::int16_t>::max() ? kInt16
                                                               : kInt32;
}

// `count` values per vector, of `values` (one vector for INFO, one per
// sample for FORMAT), typed as htslib's bcf_enc_vint types them; written
// into space reserved once.
template <class Value>
void putInts(std::string& out, const std::vector<Value>& values,
             std::size_t count, std::int32_t largest) {
  const BcfType type = typeFor(largest);
  putSize(out, count, type);
  const std::size_t bytes = type == kInt8 ? 1 : type == kInt16 ? 2 : 4;
  const std::size_t at = out.size();
  out.resize(at + values.size() * bytes);
  char* w = out.data() + at;
  if (bytes == 1) {
    for (Value value : values) *w++ = static_cast<char>(value);
    return;
  }
  for (Value value : values) {
    const auto bits = static_cast<std::uint32_t>(value);
    for (std::size_t i = 0; i < bytes; ++i) {
      *w++ = static_cast<char>(bits >> (8 * i));
    }
  }
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

// hapmat's usual genotypes: `a|b` for each of `samples` samples,
// tab-separated, each allele one digit or `.`; 4 bytes a sample, so no
// search. They are int8 (at most (9 + 1) << 1 | 1 = 21), the second allele
// phased: written without a branch per value. Returns false, having
// written nothing, for any other text (the general path then parses it).
bool putOneDigitGenotypes(std::string& out, std::string_view text,
                          std::size_t samples) {
  if (samples == 0 || text.size() != samples * 4 - 1) {
    return false;
  }
  const std::size_t at = out.size();
  out.resize(at + 1 + 2 * samples);
  auto* w = reinterpret_cast<std::uint8_t*>(out.data() + at);
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
  if (bad != 0) out.resize(at);
  return bad == 0;
}

// Any genotypes: (allele + 1) << 1 | phased, the first allele of a sample
// never phased; a missing allele is 0 (| phased).
void putGenotypes(std::string& out, VcfRecord& record) {
  std::int32_t largest = 0;
  const std::int32_t phased = record.phased ? 1 : 0;
  std::uint32_t inSample = 0;
  for (std::int32_t& allele : record.alleles) {
    allele = (allele + 1) << 1 | (inSample != 0 ? phased : 0);
    largest = std::max(largest, allele);
    inSample = inSample + 1 == record.ploidy ? 0 : inSample + 1;
  }
  putInts(out, record.alleles, record.ploidy, largest);
}

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
    out.append(8, '\0');
    putLe(out, record.contig, 4);
    putLe(out, static_cast<std::uint32_t>(record.pos - 1), 4);
    putLe(out, static_cast<std::uint32_t>(record.ref.size()), 4);
    putLe(out, kMissingFloat, 4);
    const std::size_t alleles = record.alts.size() + 1;
    const bool hasAc = !record.alts.empty();
    putLe(out, static_cast<std::uint32_t>(alleles << 16 | (hasAc ? 2 : 1)), 4);
    const bool hasGt = header.samples_ != 0;
    putLe(
        out,
        static_cast<std::uint32_t>(std::size_t{hasGt} << 24 | header.samples_),
        4);
    putSize(out, 0, kChar);  // ID `.`
    putString(out, record.ref);
    for (std::string_view alt : record.alts) putString(out, alt);
    putSize(out, 0, kNull);  // FILTER `.`
    if (hasAc) {
      putInt(out, header.ac_);
      std::uint32_t largest = 0;
      for (std::uint32_t count : record.ac) largest = std::max(largest, count);
      if (record.ac.size() == 1) {
        putInt(out, static_cast<std::int32_t>(largest));
      } else {
        putInts(out, record.ac, record.ac.size(),
                static_cast<std::int32_t>(largest));
      }
    }
    putInt(out, header.an_);
    putInt(out, static_cast<std::int32_t>(record.an));
    const std::size_t shared = out.size() - lengths - 8;
    if (hasGt) putInt(out, header.gt_);
    if (!hasGt || !putOneDigitGenotypes(out, genotypes, header.samples_)) {
      parseVcfGenotypes(genotypes, line, record);
      if (hasGt) putGenotypes(out, record);
    }
    putLeAt(out.data() + lengths, static_cast<std::uint32_t>(shared));
    putLeAt(out.data() + lengths + 4,
            static_cast<std::uint32_t>(out.size() - lengths - 8 - shared));
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
