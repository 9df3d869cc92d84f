#include <htslib/bgzf.h>
#include <htslib/tbx.h>
#include <unistd.h>

#include <cerrno>
#include <utility>

#include "hapmat/error.hpp"
#include "hapmat/output.hpp"

namespace hapmat {

// htslib closes the descriptor it writes to: it gets a duplicate.
struct BgzfSink::Stream {
  BGZF* file = nullptr;
};

BgzfSink::BgzfSink(int fd, std::string name, unsigned threads)
    : stream_(std::make_unique<Stream>()), name_(std::move(name)) {
  int copy = ::dup(fd);
  if (copy < 0) throwIoError("cannot write", name_, errno);
  stream_->file = bgzf_dopen(copy, "w");
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

BgzfSink::~BgzfSink() {
  if (stream_->file != nullptr) {
    (void)bgzf_close(stream_->file);  // a failed run: the file goes away
  }
}

void BgzfSink::write(std::string_view bytes) {
  if (stream_->file == nullptr) {
    throwIoError("cannot write", name_, EBADF);
  }
  if (bgzf_write(stream_->file, bytes.data(), bytes.size()) < 0) {
    throwIoError("cannot write", name_, errno != 0 ? errno : EIO);
  }
}

void BgzfSink::flush() {
  if (stream_->file == nullptr) return;
  BGZF* file = std::exchange(stream_->file, nullptr);
  errno = 0;
  if (bgzf_close(file) < 0) {
    throwIoError("cannot write", name_, errno != 0 ? errno : EIO);
  }
}

void writeVcfIndex(const std::string& vcfPath, const std::string& indexPath,
                   const std::string& name) {
  errno = 0;
  if (tbx_index_build2(vcfPath.c_str(), indexPath.c_str(), 0, &tbx_conf_vcf) !=
      0) {
    throwIoError("cannot index (tabix) the VCF", name,
                 errno != 0 ? errno : EIO);
  }
}

}  // namespace hapmat
