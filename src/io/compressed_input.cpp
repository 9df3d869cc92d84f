#include "io/compressed_input.hpp"

#include <isa-l/igzip_lib.h>
#include <libdeflate.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <memory>
#include <new>
#include <utility>

#include "hapmat/error.hpp"

namespace hapmat {
namespace {

// gzip header (RFC 1952 §2.3): ID1 ID2 CM FLG MTIME(4) XFL OS [XLEN(2) ...].
constexpr unsigned char kId1 = 0x1f;
constexpr unsigned char kId2 = 0x8b;
constexpr unsigned char kDeflate = 8;
constexpr unsigned kFhcrc = 0x02;
constexpr unsigned kFextra = 0x04;
constexpr unsigned kFname = 0x08;
constexpr unsigned kFcomment = 0x10;
constexpr unsigned kFreserved = 0xe0;
constexpr std::size_t kFixedHeader = 10;  // up to OS
constexpr std::size_t kTrailer = 8;       // CRC32, ISIZE

// BGZF (SAM/BAM spec §4.1): a gzip member whose extra field holds the
// subfield SI1='B' SI2='C' SLEN=2 with BSIZE = block size - 1. A block holds
// at most 64 KiB, compressed or not (htslib rejects bigger ones too):
// kBgzfMaxBlock.

// Raw bytes GzipStream asks its source for at a time.
constexpr std::size_t kGzipInput = 256 * 1024;

unsigned byteAt(const char* p, std::size_t i) {
  return static_cast<unsigned char>(p[i]);
}

std::uint32_t le16(const char* p) {
  return static_cast<std::uint32_t>(byteAt(p, 0) | byteAt(p, 1) << 8);
}

std::uint32_t le32(const char* p) {
  return static_cast<std::uint32_t>(byteAt(p, 0) | byteAt(p, 1) << 8 |
                                    byteAt(p, 2) << 16) |
         static_cast<std::uint32_t>(byteAt(p, 3)) << 24;
}

// Walks the subfields of a gzip extra field (`extra`, XLEN bytes) for BC;
// returns BSIZE, or -1 if there is none. Subfields cut off by the end of
// `extra` are not looked at.
long bgzfBsize(std::string_view extra) {
  std::size_t at = 0;
  while (at + 4 <= extra.size()) {
    const char* field = extra.data() + at;
    std::size_t slen = le16(field + 2);
    if (field[0] == 'B' && field[1] == 'C' && slen == 2 &&
        at + 6 <= extra.size()) {
      return static_cast<long>(le16(field + 4));
    }
    at += 4 + slen;
  }
  return -1;
}

// Reads until `size` bytes or the end of the stream; returns the count.
std::size_t readFully(ByteStream& in, char* buffer, std::size_t size) {
  std::size_t got = 0;
  while (got < size) {
    std::size_t n = in.read(buffer + got, size - got);
    if (n == 0) break;
    got += n;
  }
  return got;
}

// Where the deflate data of a whole gzip member `block` starts, past the
// optional extra field, name, comment and header CRC; 0 if the header does
// not fit in the block.
std::size_t deflateStart(std::span<const char> block) {
  if (block.size() < kFixedHeader + kTrailer) return 0;
  const std::size_t end = block.size() - kTrailer;
  const unsigned flags = byteAt(block.data(), 3);
  std::size_t at = kFixedHeader;
  if (flags & kFextra) {
    if (at + 2 > end) return 0;
    at += 2 + le16(block.data() + at);
  }
  for (unsigned flag : {kFname, kFcomment}) {
    if (!(flags & flag)) continue;
    const void* nul =
        at < end ? std::memchr(block.data() + at, 0, end - at) : nullptr;
    if (nul == nullptr) return 0;
    at =
        static_cast<std::size_t>(static_cast<const char*>(nul) - block.data()) +
        1;
  }
  if (flags & kFhcrc) at += 2;
  return at <= end ? at : 0;
}

}  // namespace

Compression detectCompression(std::string_view head) {
  head = head.substr(0, kCompressionMagicBytes);
  if (head.size() < 3 || byteAt(head.data(), 0) != kId1 ||
      byteAt(head.data(), 1) != kId2 || byteAt(head.data(), 2) != kDeflate) {
    return Compression::kNone;
  }
  if (head.size() < 12 || !(byteAt(head.data(), 3) & kFextra)) {
    return Compression::kGzip;
  }
  std::string_view extra = head.substr(12, le16(head.data() + 10));
  return bgzfBsize(extra) >= 0 ? Compression::kBgzf : Compression::kGzip;
}

CorruptStream::CorruptStream(const std::string& reason, std::uint64_t offset)
    : std::runtime_error(reason), offset_(offset) {}

// ---------------------------------------------------------------------------
// GzipStream: ISA-L's streaming inflate, one member after another.
//
// The member header is parsed here, piece by piece as it arrives: ISA-L 2.30
// (crc_flag ISAL_GZIP) wrongly fails the header CRC (FHCRC) of a header split
// across two calls, which a pipe can do. ISA-L inflates the deflate data and
// checks CRC-32 and ISIZE (ISAL_GZIP_NO_HDR_VER); when a member ends it gives
// back the input it read ahead, so next_in then points at the next member.
// The stream must end exactly at the end of a member: the end of input
// inside one is "truncated", and bytes after the last member that do not
// start another one (zeros included, which gzip only warns about) are
// "trailing garbage". Errors carry the compressed offset of the bad part.

struct GzipStream::State {
  enum class Phase { kBetween, kHeader, kBody };
  // The parts of a member header, in order; the optional ones follow FLG.
  enum class Part { kFixed, kXlen, kExtra, kName, kComment, kHcrc, kDone };

  explicit State(ByteStream& in) : raw(in), input(kGzipInput) {
    isal_inflate_init(&inflate);
    inflate.avail_in = 0;
  }

  // Compressed bytes taken from the input (some may wait in ISA-L's own
  // buffers). ISA-L leaves avail_in meaningless after some errors: clamp.
  std::uint64_t consumed() const {
    return rawRead - std::min<std::size_t>(inflate.avail_in, filled);
  }

  // Replaces the exhausted input buffer; sets `eof` at the end.
  void refill() {
    // Keep the last bytes consumed so far, where a failed trailer may sit.
    const std::size_t keep = std::min(filled, history.size());
    std::copy(history.begin() + static_cast<std::ptrdiff_t>(keep),
              history.end(), history.begin());
    std::copy_n(input.begin() + static_cast<std::ptrdiff_t>(filled - keep),
                keep, history.end() - static_cast<std::ptrdiff_t>(keep));
    filled = raw.read(input.data(), input.size());
    rawRead += filled;
    eof = filled == 0;
    inflate.next_in = reinterpret_cast<std::uint8_t*>(input.data());
    inflate.avail_in = static_cast<std::uint32_t>(filled);
  }

  void startMember() {
    const unsigned first = *inflate.next_in;
    if (members > 0 && first != kId1) {
      throw CorruptStream(first == 0
                              ? "trailing zero bytes after the last gzip member"
                              : "trailing garbage after the last gzip member",
                          consumed());
    }
    memberStart = consumed();
    phase = Phase::kHeader;
    part = Part::kFixed;
    have = 0;
    headerCrc = 0;
  }

  // The part after `p` that this header's flags call for.
  Part after(Part p) const {
    constexpr std::pair<Part, unsigned> kOptional[] = {
        {Part::kXlen, kFextra},
        {Part::kName, kFname},
        {Part::kComment, kFcomment},
        {Part::kHcrc, kFhcrc}};
    if (p == Part::kExtra) p = Part::kXlen;
    for (auto [optional, flag] : kOptional) {
      if (optional > p && (flags & flag)) return optional;
    }
    return Part::kDone;
  }

  // A fixed-size part (`have` bytes of `fields`) is complete.
  void endField() {
    if (part == Part::kFixed) {
      if (fields[0] != kId1 || fields[1] != kId2) {
        throw CorruptStream(members > 0
                                ? "trailing garbage after the last gzip member"
                                : "bad gzip header",
                            memberStart);
      }
      if (fields[2] != kDeflate) {
        throw CorruptStream("unsupported gzip compression method", memberStart);
      }
      flags = fields[3];
      if (flags & kFreserved)
        throw CorruptStream("bad gzip header", memberStart);
      part = after(Part::kFixed);
    } else if (part == Part::kXlen) {
      extraLeft = static_cast<std::size_t>(fields[0] | fields[1] << 8);
      part = extraLeft > 0 ? Part::kExtra : after(Part::kExtra);
    } else {  // kHcrc: the low 16 bits of the CRC-32 of the header so far
      const std::uint32_t stored = fields[0] | fields[1] << 8u;
      if (stored != (headerCrc & 0xffff)) {
        throw CorruptStream("gzip header CRC mismatch", memberStart);
      }
      part = Part::kDone;
    }
    have = 0;
  }

  // Consumes header bytes; true once the whole header has been read.
  bool readHeader() {
    while (part != Part::kDone) {
      if (inflate.avail_in == 0) return false;
      const std::uint8_t* p = inflate.next_in;
      const std::size_t n = inflate.avail_in;
      const Part was = part;
      std::size_t take = 0;
      switch (part) {
        case Part::kFixed:
        case Part::kXlen:
        case Part::kHcrc: {
          const std::size_t want = part == Part::kFixed ? kFixedHeader : 2;
          take = std::min(n, want - have);
          std::copy_n(p, take, fields.begin() + have);
          have += take;
          break;
        }
        case Part::kExtra:
          take = std::min(n, extraLeft);
          extraLeft -= take;
          if (extraLeft == 0) part = after(Part::kExtra);
          break;
        case Part::kName:
        case Part::kComment: {
          const void* nul = std::memchr(p, 0, n);
          take = nul ? static_cast<std::size_t>(
                           static_cast<const std::uint8_t*>(nul) - p) +
                           1
                     : n;
          if (nul) part = after(part);
          break;
        }
        case Part::kDone:
          break;
      }
      if (was != Part::kHcrc) {
        headerCrc = libdeflate_crc32(headerCrc, p, take);
      }
      inflate.next_in += take;
      inflate.avail_in -= static_cast<std::uint32_t>(take);
      if ((was == Part::kFixed || was == Part::kXlen || was == Part::kHcrc) &&
          have == (was == Part::kFixed ? kFixedHeader : 2)) {
        endField();
      }
    }
    return true;
  }

  void startBody() {
    isal_inflate_reset(&inflate);
    inflate.crc_flag = ISAL_GZIP_NO_HDR_VER;
    phase = Phase::kBody;
  }

  // The 8 compressed bytes before `consumed()`: the trailer ISA-L just read.
  std::array<char, kTrailer> lastTrailer() const {
    std::array<char, kTrailer> bytes{};
    std::size_t inBuffer = filled - inflate.avail_in;
    for (std::size_t i = 0; i < kTrailer; ++i) {
      std::size_t back = kTrailer - i;  // bytes before the end
      bytes[i] = back <= inBuffer ? input[inBuffer - back]
                                  : history[history.size() - (back - inBuffer)];
    }
    return bytes;
  }

  [[noreturn]] void fail(int status) const {
    if (status == ISAL_INCORRECT_CHECKSUM && inflate.avail_in <= filled) {
      std::uint64_t at = consumed() >= kTrailer ? consumed() - kTrailer : 0;
      std::array<char, kTrailer> trailer = lastTrailer();
      if (le32(trailer.data()) != inflate.crc) {
        throw CorruptStream("gzip CRC-32 mismatch", at);
      }
      if (le32(trailer.data() + 4) != inflate.total_out) {
        throw CorruptStream("gzip ISIZE (length) mismatch", at + 4);
      }
      throw CorruptStream("gzip CRC-32 or ISIZE mismatch", at);
    }
    throw CorruptStream("corrupt deflate data", consumed());
  }

  ByteStream& raw;
  std::vector<char> input;
  std::size_t filled = 0;                // bytes of `input` from the last read
  std::array<char, kTrailer> history{};  // input consumed before `input`
  std::uint64_t rawRead = 0;
  std::uint64_t memberStart = 0;
  std::uint64_t members = 0;  // members finished
  std::uint64_t textOut = 0;  // inflated bytes handed out
  std::uint64_t checked = 0;  // of textOut, up to the last member's end
  Phase phase = Phase::kBetween;
  bool eof = false;
  // The header being read.
  Part part = Part::kFixed;
  std::array<std::uint8_t, kFixedHeader> fields{};
  std::size_t have = 0;  // bytes of a fixed-size part in `fields`
  std::size_t extraLeft = 0;
  unsigned flags = 0;
  std::uint32_t headerCrc = 0;
  inflate_state inflate;
};

GzipStream::GzipStream(ByteStream& raw)
    : state_(std::make_unique<State>(raw)) {}

GzipStream::~GzipStream() = default;

std::size_t GzipStream::read(char* buffer, std::size_t size) {
  using Phase = State::Phase;
  State& s = *state_;
  if (size == 0) return 0;
  for (;;) {
    if (s.phase == Phase::kBody) {
      const std::uint8_t* before = s.inflate.next_in;
      s.inflate.next_out = reinterpret_cast<std::uint8_t*>(buffer);
      s.inflate.avail_out =
          static_cast<std::uint32_t>(std::min<std::size_t>(size, UINT32_MAX));
      int status = isal_inflate(&s.inflate);
      if (status < 0) s.fail(status);
      std::size_t produced = static_cast<std::size_t>(
          s.inflate.next_out - reinterpret_cast<std::uint8_t*>(buffer));
      s.textOut += produced;
      if (s.inflate.block_state == ISAL_BLOCK_FINISH) {
        s.phase = Phase::kBetween;
        ++s.members;
        s.checked = s.textOut;
      }
      if (produced > 0) return produced;
      if (s.phase != Phase::kBody) continue;  // an empty member
      if (s.inflate.avail_in > 0) {
        if (s.inflate.next_in == before) s.fail(ISAL_INVALID_BLOCK);
        continue;
      }
      if (s.eof) throw CorruptStream("truncated gzip stream", s.rawRead);
    } else if (s.phase == Phase::kHeader) {
      if (s.readHeader()) {
        s.startBody();
        continue;
      }
      if (s.eof) throw CorruptStream("truncated gzip stream", s.rawRead);
    } else if (s.inflate.avail_in > 0) {
      s.startMember();
      continue;
    } else if (s.eof) {
      return 0;
    }
    s.refill();
  }
}

std::optional<std::uint64_t> GzipStream::checkedBytes() const {
  return state_->checked;
}

std::uint64_t GzipStream::compressedBytesRead() const {
  return state_->rawRead;
}

// ---------------------------------------------------------------------------
// BGZF blocks.

BgzfBlockReader::BgzfBlockReader(ByteStream& raw, std::uint64_t start)
    : raw_(raw), offset_(start) {}

bool BgzfBlockReader::readBlocks(std::size_t inflatedBytes,
                                 std::vector<char>& raw,
                                 std::vector<BgzfBlock>& blocks) {
  std::size_t inflated = 0;
  bool any = false;
  do {
    if (offset_ >= stop_ || plain_) return any;
    // Fixed header and XLEN first, then the extra field, then the rest.
    const std::size_t start = raw.size();
    const std::uint64_t at = offset_;
    raw.resize(start + 12);
    std::size_t got = readFully(raw_, raw.data() + start, 12);
    offset_ += got;
    if (got == 0) {
      raw.resize(start);
      ended_ = true;
      return any;
    }
    auto truncated = [&] {
      return CorruptStream("truncated BGZF block", offset_);
    };
    if (got < 12) throw truncated();
    const char* h = raw.data() + start;
    if (byteAt(h, 0) != kId1 || byteAt(h, 1) != kId2) {
      throw CorruptStream(
          at > 0 && byteAt(h, 0) == 0
              ? "trailing zero bytes after the last BGZF block"
              : (at > 0 ? "trailing garbage after the last BGZF block"
                        : "bad gzip header"),
          at);
    }
    if (byteAt(h, 2) != kDeflate) {
      throw CorruptStream("unsupported gzip compression method", at);
    }
    if (byteAt(h, 3) & kFreserved) throw CorruptStream("bad gzip header", at);
    const std::size_t xlen =
        byteAt(h, 3) & kFextra ? static_cast<std::size_t>(le16(h + 10)) : 0;
    raw.resize(start + 12 + xlen);
    got = readFully(raw_, raw.data() + start + 12, xlen);
    offset_ += got;
    if (got < xlen) throw truncated();
    long bsize = bgzfBsize(std::string_view(raw.data() + start + 12, xlen));
    if (bsize < 0 && stopAtPlain_) {
      plain_ = PlainMember{at, std::string(raw.data() + start, 12 + xlen)};
      raw.resize(start);
      return any;
    }
    if (bsize < 0) {
      throw CorruptStream("gzip member without the BGZF 'BC' field", at);
    }
    const std::size_t size = static_cast<std::size_t>(bsize) + 1;
    if (size < 12 + xlen + kTrailer) {
      throw CorruptStream("bad BGZF block size", at);
    }
    raw.resize(start + size);
    got = readFully(raw_, raw.data() + start + 12 + xlen, size - 12 - xlen);
    offset_ += got;
    if (got < size - 12 - xlen) throw truncated();
    const std::uint32_t isize = le32(raw.data() + start + size - 4);
    if (isize > kBgzfMaxBlock) {
      throw CorruptStream("BGZF block inflates to more than 64 KiB", at);
    }
    blocks.push_back({start, size, isize});
    lastBlockEmpty_ = isize == 0;
    inflated += isize;
    any = true;
  } while (inflated < inflatedBytes);
  return true;
}

namespace {

// A BGZF block header as bgzip writes it: the magic bytes, FEXTRA, and an
// extra field of just the BC subfield, whose BSIZE follows.
constexpr unsigned char kBgzfMagic[] = {kId1, kId2, kDeflate, kFextra};
constexpr std::size_t kBgzfHeader = 18;

bool isBgzfHeader(const char* h) {
  return std::memcmp(h, kBgzfMagic, 4) == 0 && le16(h + 10) == 6 &&
         h[12] == 'B' && h[13] == 'C' && le16(h + 14) == 2;
}

std::size_t preadSome(int fd, std::uint64_t at, char* into, std::size_t bytes,
                      const std::string& name) {
  ssize_t got;
  do {
    got = ::pread(fd, into, bytes, static_cast<off_t>(at));
  } while (got < 0 && errno == EINTR);
  if (got < 0) throwIoError("cannot read", name, errno);
  return static_cast<std::size_t>(got);
}

}  // namespace

std::uint64_t findBgzfBlock(int fd, std::uint64_t offset, std::uint64_t size,
                            const std::string& name) {
  const auto& kMagic = kBgzfMagic;
  constexpr std::size_t kHeader = kBgzfHeader;
  constexpr std::size_t kFirstWindow = std::size_t{4} << 10;
  constexpr std::size_t kWindow = std::size_t{256} << 10;
  // In BGZF data a block starts within kBgzfMaxBlock of any offset, and
  // most blocks are far smaller (a matrix's, 3 KB): the first window is 4
  // KiB, each next one twice the last, up to 256 KiB for bytes that are not
  // BGZF. The bisections' probes call this once each: a first read of 64
  // KiB into a fresh 256 KiB buffer (mapped and unmapped by malloc) was
  // most of their cost after the inflate. Not zeroed: read into.
  std::size_t window = kFirstWindow;
  auto buffer = std::make_unique_for_overwrite<char[]>(window + kHeader);
  auto readAt = [&](std::uint64_t at, char* into, std::size_t bytes) {
    return preadSome(fd, at, into, bytes, name);
  };
  for (std::uint64_t at = offset; at < size; at += window) {
    if (at != offset && window < kWindow) {
      window *= 2;
      buffer = std::make_unique_for_overwrite<char[]>(window + kHeader);
    }
    std::size_t got = readAt(at, buffer.get(), window + kHeader);
    for (std::size_t i = 0; i + kHeader <= got; ++i) {
      const char* h = buffer.get() + i;
      if (!isBgzfHeader(h)) continue;
      std::uint64_t next = at + i + le16(h + 16) + 1;
      char following[4] = {};
      if (next == size || (next < size && readAt(next, following, 4) == 4 &&
                           std::memcmp(following, kMagic, 4) == 0)) {
        return at + i;
      }
    }
  }
  return size;
}

// The blocks are followed from the first one found in the last 64 KiB;
// bytes that are not a block there (a plain member) are skipped to the
// next block, if any: the file ends with BGZF when a block reaches its end.
bool endsWithBgzfBlocks(int fd, std::uint64_t size, const std::string& name) {
  constexpr std::uint64_t kLastBlocks = kBgzfMaxBlock + 28;
  std::uint64_t at = findBgzfBlock(
      fd, size > kLastBlocks ? size - kLastBlocks : 0, size, name);
  if (at == size) return false;
  char header[kBgzfHeader];
  while (at < size) {
    if (preadSome(fd, at, header, kBgzfHeader, name) == kBgzfHeader &&
        isBgzfHeader(header)) {
      at += le16(header + 16) + std::uint64_t{1};
      continue;
    }
    at = findBgzfBlock(fd, at + 1, size, name);
    if (at == size) return false;
  }
  return true;  // past the end: a block cut short, reported where it is read
}

BgzfInflater::BgzfInflater() : decompressor_(libdeflate_alloc_decompressor()) {
  if (decompressor_ == nullptr) throw std::bad_alloc();
}

BgzfInflater::~BgzfInflater() { libdeflate_free_decompressor(decompressor_); }

void BgzfInflater::inflate(std::span<const char> raw,
                           std::span<const BgzfBlock> blocks,
                           std::uint64_t rawOffset, std::vector<char>& out) {
  std::size_t total = 0;
  for (const BgzfBlock& block : blocks) total += block.inflatedSize;
  out.resize(total);
  std::size_t at = 0;
  for (const BgzfBlock& block : blocks) {
    const std::uint64_t where = rawOffset + block.offset;
    std::span<const char> bytes = raw.subspan(block.offset, block.size);
    const std::size_t start = deflateStart(bytes);
    if (start == 0) {
      out.resize(at);
      throw CorruptStream("bad BGZF block header", where);
    }
    char* dest = out.data() + at;
    libdeflate_result result = libdeflate_deflate_decompress(
        decompressor_, bytes.data() + start, bytes.size() - kTrailer - start,
        dest, block.inflatedSize, nullptr);
    if (result != LIBDEFLATE_SUCCESS) out.resize(at);
    if (result == LIBDEFLATE_SHORT_OUTPUT ||
        result == LIBDEFLATE_INSUFFICIENT_SPACE) {
      throw CorruptStream("BGZF block ISIZE (length) mismatch", where);
    }
    if (result != LIBDEFLATE_SUCCESS) {
      throw CorruptStream("corrupt deflate data in BGZF block", where);
    }
    const char* trailer = bytes.data() + bytes.size() - kTrailer;
    if (libdeflate_crc32(0, dest, block.inflatedSize) != le32(trailer)) {
      out.resize(at);
      throw CorruptStream("BGZF block CRC-32 mismatch", where);
    }
    at += block.inflatedSize;
  }
}

}  // namespace hapmat
