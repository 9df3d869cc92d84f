#pragma once
// Holds an output in a temporary file until it is complete, for a stream
// whose header is only known at the end.

#include <memory>
#include <string>

#include "hapmat/output.hpp"

namespace hapmat {

/**
 * Writes to an unnamed file in $TMPDIR (or /tmp), which disappears with the
 * process; copyTo() then sends it on. Its header can be replaced.
 */
class SpoolSink final : public ByteSink {
 public:
  SpoolSink();
  ~SpoolSink() override;
  SpoolSink(const SpoolSink&) = delete;
  SpoolSink& operator=(const SpoolSink&) = delete;

  void write(std::string_view bytes) override { file_->write(bytes); }
  bool canReplaceHeader() const override { return true; }
  void endHeader() override { file_->endHeader(); }
  void replaceHeader(std::string_view header) override {
    file_->replaceHeader(header);
  }

  /** Writes everything spooled to `out`. Throws IoError. */
  void copyTo(ByteSink& out);

 private:
  int fd_ = -1;
  std::string name_;
  std::unique_ptr<FdSink> file_;
};

}  // namespace hapmat
