#include "formats/vcf_record.hpp"

#include <stdexcept>

namespace hapmat {

namespace {

[[noreturn]] void notHapmatVcf(std::string_view what, std::string_view line) {
  throw std::invalid_argument("not a VCF record hapmat writes (" +
                              std::string(what) +
                              "): " + std::string(line.substr(0, 80)));
}

// The next tab-separated field of `rest`, which moves past it. The fields
// before the genotypes are a few bytes each: a plain loop beats memchr's
// call.
std::string_view nextField(std::string_view& rest) {
  std::size_t tab = 0;
  while (tab < rest.size() && rest[tab] != '\t') ++tab;
  const std::string_view field = rest.substr(0, tab);
  rest.remove_prefix(tab == rest.size() ? tab : tab + 1);
  return field;
}

// Digits from `at`, which moves past them.
std::uint64_t readNumber(const char*& at, const char* end) {
  std::uint64_t value = 0;
  while (at < end && static_cast<unsigned char>(*at - '0') < 10) {
    value = value * 10 + static_cast<unsigned>(*at - '0');
    ++at;
  }
  return value;
}

std::uint64_t parseNumber(std::string_view text, std::string_view line) {
  const char* at = text.data();
  const std::uint64_t value = readNumber(at, text.data() + text.size());
  if (text.empty() || at != text.data() + text.size()) {
    notHapmatVcf("a number", line);
  }
  return value;
}

// AC=a,b,...;AN=n or AN=n.
void parseInfo(std::string_view info, std::string_view line,
               VcfRecord& record) {
  record.ac.clear();
  if (info.starts_with("AC=")) {
    const std::size_t end = info.find(';');
    if (end == std::string_view::npos) notHapmatVcf("INFO", line);
    std::string_view counts = info.substr(3, end - 3);
    while (!counts.empty()) {
      const std::size_t comma = counts.find(',');
      record.ac.push_back(static_cast<std::uint32_t>(
          parseNumber(counts.substr(0, comma), line)));
      counts.remove_prefix(comma == std::string_view::npos ? counts.size()
                                                           : comma + 1);
    }
    info.remove_prefix(end + 1);
  }
  if (!info.starts_with("AN=")) notHapmatVcf("INFO", line);
  record.an = static_cast<std::uint32_t>(parseNumber(info.substr(3), line));
}

// The genotypes: `x|y` (or `x`) per sample, tab-separated. Each allele is
// `.` or digits; the buffer is sized once for the most alleles the text
// can hold (one in two bytes), then cut to those read.
}  // namespace

void parseVcfGenotypes(std::string_view text, std::string_view line,
                       VcfRecord& record) {
  record.alleles.resize(text.size() / 2 + 1);
  std::int32_t* alleles = record.alleles.data();
  std::size_t count = 0;
  std::size_t ploidy = 0;  // the first sample's alleles
  bool phased = false;
  const char* at = text.data();
  const char* end = at + text.size();
  while (at < end) {
    std::int32_t allele = -1;
    const auto digit = static_cast<unsigned char>(*at - '0');
    if (*at == '.') {
      ++at;
    } else if (digit < 10 && (at + 1 == end || at[1] == '|' || at[1] == '\t')) {
      allele = digit;  // one digit: most alleles
      ++at;
    } else {
      const char* start = at;
      allele = static_cast<std::int32_t>(readNumber(at, end));
      if (at == start) notHapmatVcf("GT", line);
    }
    alleles[count++] = allele;
    if (at == end) break;
    const char separator = *at++;
    if (separator == '|') {
      phased = true;
    } else if (separator != '\t') {
      notHapmatVcf("GT", line);
    } else if (ploidy == 0) {
      ploidy = count;
    }
  }
  if (ploidy == 0) ploidy = count;
  record.alleles.resize(count);
  if (ploidy == 0 || count % ploidy != 0) notHapmatVcf("GT", line);
  record.ploidy = static_cast<std::uint32_t>(ploidy);
  record.phased = phased;
}

VcfContigIndex::VcfContigIndex(std::string_view header) {
  constexpr std::string_view kContig = "##contig=<ID=";
  for (std::size_t at = header.find(kContig); at != std::string_view::npos;
       at = header.find(kContig, at + 1)) {
    if (at != 0 && header[at - 1] != '\n') continue;
    const std::size_t start = at + kContig.size();
    const std::size_t end = header.find_first_of(",>", start);
    names_.emplace_back(header.substr(start, end - start));
  }
  for (std::size_t i = 0; i < names_.size(); ++i) {
    index_.emplace(names_[i], static_cast<std::uint32_t>(i));
  }
}

std::uint32_t VcfContigIndex::find(std::string_view name) const {
  const auto found = index_.find(name);
  if (found == index_.end()) {
    throw std::invalid_argument("CHROM '" + std::string(name) +
                                "' has no ##contig line in the VCF header");
  }
  return found->second;
}

std::size_t vcfSampleCount(std::string_view header) {
  const std::size_t line = header.rfind("\n#CHROM\t");
  std::string_view columns =
      header.substr(line == std::string_view::npos ? 0 : line + 1);
  if (!columns.starts_with("#CHROM\t")) {
    throw std::invalid_argument("a VCF header without its #CHROM line");
  }
  if (columns.ends_with('\n')) columns.remove_suffix(1);
  std::size_t fields = 1;
  for (char c : columns) fields += c == '\t';
  return fields > 9 ? fields - 9 : 0;
}

void parseVcfRecord(std::string_view line, const VcfContigIndex& contigs,
                    VcfRecord& record) {
  parseVcfGenotypes(parseVcfSite(line, contigs, record), line, record);
}

std::string_view parseVcfSite(std::string_view line,
                              const VcfContigIndex& contigs,
                              VcfRecord& record) {
  std::string_view rest = line;
  const std::string_view chrom = nextField(rest);
  if (chrom != record.chrom || chrom.empty()) {
    record.contig = contigs.find(chrom);
    record.chrom.assign(chrom);
  }
  record.pos = parseNumber(nextField(rest), line);
  nextField(rest);  // ID: always .
  record.ref = nextField(rest);
  std::string_view alts = nextField(rest);
  record.alts.clear();
  if (alts != ".") {
    while (!alts.empty()) {
      const std::size_t comma = alts.find(',');
      record.alts.push_back(alts.substr(0, comma));
      alts.remove_prefix(comma == std::string_view::npos ? alts.size()
                                                         : comma + 1);
    }
  }
  nextField(rest);  // QUAL: .
  nextField(rest);  // FILTER: .
  parseInfo(nextField(rest), line, record);
  if (nextField(rest) != "GT" || record.ref.empty() ||
      record.ac.size() != record.alts.size()) {
    notHapmatVcf("fields", line);
  }
  return rest;
}

}  // namespace hapmat
