#include <fcntl.h>
#include <htslib/bgzf.h>
#include <htslib/hts_log.h>
#include <htslib/tbx.h>
#include <htslib/vcf.h>
#include <libdeflate.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <optional>
#include <stdexcept>
#include <utility>

#include "hapmat/error.hpp"
#include "hapmat/output.hpp"
#include "io/bgzf_compressor.hpp"
#include "io/file_edit.hpp"

namespace hapmat {

namespace {

// BGZF (SAM/BAM spec §4.1): a block's header, then its size - 1.
constexpr std::size_t kBgzfHeader = 18;

std::uint32_t getLe(const unsigned char* p, int bytes) {
  std::uint32_t value = 0;
  for (int i = bytes - 1; i >= 0; --i) value = value << 8 | p[i];
  return value;
}

// The compressed offset where the text after its first `textBytes` starts:
// a block boundary, since the header was flushed to whole blocks.
std::uint64_t blockBoundaryAfter(int fd, std::uint64_t start,
                                 std::uint64_t textBytes,
                                 const std::string& name) {
  std::uint64_t at = start;
  std::uint64_t text = 0;
  while (text < textBytes) {
    std::array<unsigned char, kBgzfHeader> header{};
    std::array<unsigned char, 4> isize{};
    if (::pread(fd, header.data(), header.size(), static_cast<off_t>(at)) !=
            static_cast<ssize_t>(header.size()) ||
        header[12] != 'B' || header[13] != 'C') {
      throwIoError("cannot read back the BGZF blocks of", name, EIO);
    }
    std::uint64_t size = getLe(header.data() + 16, 2) + std::uint64_t{1};
    if (::pread(fd, isize.data(), isize.size(),
                static_cast<off_t>(at + size - 4)) != 4) {
      throwIoError("cannot read back the BGZF blocks of", name, EIO);
    }
    text += getLe(isize.data(), 4);
    at += size;
  }
  if (text != textBytes)
    throwIoError("cannot replace the header of", name, EIO);
  return at;
}

}  // namespace

// htslib closes the descriptor it writes to: it gets a duplicate. The
// original one serves to replace the header once htslib is done.
struct BgzfSink::Stream {
  BGZF* file = nullptr;
  int fd = -1;
  bool regular = false;
  std::uint64_t start = 0;
  std::uint64_t written = 0;    // text bytes given to write()
  std::uint64_t headerEnd = 0;  // of written
  std::optional<std::string> newHeader;
  int level = kDefaultBgzfLevel;
  unsigned threads = 1;
};

BgzfSink::BgzfSink(int fd, std::string name, unsigned threads, int level)
    : stream_(std::make_unique<Stream>()), name_(std::move(name)) {
  if (level < 0 || level > 9) {
    throw std::invalid_argument("a BGZF level is 0 to 9");
  }
  stream_->fd = fd;
  stream_->level = level;
  struct stat info {};
  off_t at = ::lseek(fd, 0, SEEK_CUR);
  int flags = ::fcntl(fd, F_GETFL);
  stream_->regular = ::fstat(fd, &info) == 0 && S_ISREG(info.st_mode) &&
                     at >= 0 && flags >= 0 && (flags & O_ACCMODE) == O_RDWR &&
                     (flags & O_APPEND) == 0;
  if (stream_->regular) stream_->start = static_cast<std::uint64_t>(at);
  open(threads);
}

void BgzfSink::open(unsigned threads) {
  stream_->threads = threads;
  int copy = ::dup(stream_->fd);
  if (copy < 0) throwIoError("cannot write", name_, errno);
  const char mode[] = {'w', static_cast<char>('0' + stream_->level), '\0'};
  stream_->file = bgzf_dopen(copy, mode);
  if (stream_->file == nullptr) {
    int error = errno;
    ::close(copy);
    throwIoError("cannot write", name_, error);
  }
  // Blocks are compressed in parallel once there is more than one thread.
  if (threads > 1 && bgzf_mt(stream_->file, static_cast<int>(threads), 64)) {
    throwIoError("cannot start compression threads for", name_, errno);
  }
}

// htslib's stream is closed (its threads done) before the file is cut back
// to where the sink began; a new stream writes from there.
void BgzfSink::restart() {
  if (!stream_->regular) ByteSink::restart();
  if (stream_->file != nullptr) {
    (void)bgzf_close(std::exchange(stream_->file, nullptr));
  }
  Stream& s = *stream_;
  if (::ftruncate(s.fd, static_cast<off_t>(s.start)) != 0 ||
      ::lseek(s.fd, static_cast<off_t>(s.start), SEEK_SET) < 0) {
    throwIoError("cannot write", name_, errno);
  }
  s.written = 0;
  s.headerEnd = 0;
  s.newHeader.reset();
  open(s.threads);
}

BgzfSink::~BgzfSink() {
  if (stream_->file != nullptr) {
    (void)bgzf_close(stream_->file);  // a failed run: the file goes away
  }
}

// htslib's own blocks are flushed (its threads done with them) before
// blocks made elsewhere are appended after them.
void BgzfSink::writeBlocks(std::string_view blocks, std::uint64_t textBytes) {
  if (stream_->file == nullptr || bgzf_flush(stream_->file) < 0 ||
      bgzf_raw_write(stream_->file, blocks.data(), blocks.size()) !=
          static_cast<ssize_t>(blocks.size())) {
    throwIoError("cannot write", name_, errno != 0 ? errno : EIO);
  }
  stream_->written += textBytes;
}

void BgzfSink::write(std::string_view bytes) {
  if (stream_->file == nullptr) {
    throwIoError("cannot write", name_, EBADF);
  }
  if (bgzf_write(stream_->file, bytes.data(), bytes.size()) < 0) {
    throwIoError("cannot write", name_, errno != 0 ? errno : EIO);
  }
  stream_->written += bytes.size();
}

bool BgzfSink::canReplaceHeader() const { return stream_->regular; }

int BgzfSink::blockLevel() const { return stream_->level; }

void BgzfSink::endHeader() {
  stream_->headerEnd = stream_->written;
  if (stream_->file != nullptr && bgzf_flush(stream_->file) < 0) {
    throwIoError("cannot write", name_, errno != 0 ? errno : EIO);
  }
}

void BgzfSink::replaceHeader(std::string_view header) {
  if (!stream_->regular) ByteSink::replaceHeader(header);
  stream_->newHeader.emplace(header);
}

void BgzfSink::flush() {
  if (stream_->file == nullptr) return;
  BGZF* file = std::exchange(stream_->file, nullptr);
  errno = 0;
  if (bgzf_close(file) < 0) {
    throwIoError("cannot write", name_, errno != 0 ? errno : EIO);
  }
  if (!stream_->newHeader) return;
  const Stream& s = *stream_;
  std::string blocks;
  BgzfCompressor(s.level).append(*s.newHeader, blocks);
  std::uint64_t body = blockBoundaryAfter(s.fd, s.start, s.headerEnd, name_);
  struct stat info {};
  if (::fstat(s.fd, &info) != 0) throwIoError("cannot write", name_, errno);
  moveFileTail(s.fd, body, s.start + blocks.size(),
               static_cast<std::uint64_t>(info.st_size), name_);
  writeAt(s.fd, s.start, blocks, name_);
}

namespace {

// htslib's indexer leaves errno as the cause: ERANGE for a row past what
// the index holds, the system's error for a failed write; a row out of
// order leaves some other value.
[[noreturn]] void throwIndexFailure(bool csi, const std::string& name,
                                    int error) {
  const std::string kind = csi ? "CSI" : "tabix";
  switch (error) {
    case ERANGE:
      throw IoError("cannot index (" + kind + ") '" + name +
                    "': a row ends past what a " + kind + " index holds" +
                    (csi ? "" : " (2^29): use --index csi"));
    case ENOSPC:
    case EDQUOT:
    case EFBIG:
    case EIO:
    case EROFS:
      throwIoError("cannot write the index (" + kind + ") of", name, error);
    default:
      throwIoError("cannot index (" + kind + ") the VCF, are its rows sorted?",
                   name, error);
  }
}

}  // namespace

// CSI with htslib's default min_shift (14), as `bcftools index` writes it.
// Whether every row fits tabix is found by trying (htslib says ERANGE when
// one does not). htslib's own complaints are silenced: the error thrown
// says what failed, in one line.
bool writeVcfIndex(const std::string& vcfPath, const std::string& indexPath,
                   VcfIndexFormat format, const std::string& name) {
  auto build = [&](bool csi) {
    errno = 0;
    return tbx_index_build2(vcfPath.c_str(), indexPath.c_str(), csi ? 14 : 0,
                            &tbx_conf_vcf) == 0;
  };
  const enum htsLogLevel level = hts_get_log_level();
  hts_set_log_level(HTS_LOG_OFF);
  bool csi = format == VcfIndexFormat::kCsi;
  bool built = build(csi);
  if (!built && format == VcfIndexFormat::kTbiIfItFits && errno == ERANGE) {
    csi = true;
    built = build(csi);
  }
  const int error = errno != 0 ? errno : EIO;
  hts_set_log_level(level);
  if (!built) throwIndexFailure(csi, name, error);
  return csi;
}

// CSI with htslib's default min_shift (14), as `bcftools index` writes it.
void writeBcfIndex(const std::string& bcfPath, const std::string& indexPath,
                   const std::string& name) {
  const enum htsLogLevel level = hts_get_log_level();
  hts_set_log_level(HTS_LOG_OFF);
  errno = 0;
  const int result =
      bcf_index_build3(bcfPath.c_str(), indexPath.c_str(), 14, 0);
  const int error = errno != 0 ? errno : EIO;
  hts_set_log_level(level);
  if (result != 0) throwIndexFailure(true, name, error);
}

}  // namespace hapmat
