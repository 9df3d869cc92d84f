#pragma once
/** @file Where converted bytes go: a buffered file descriptor, or a file
 * that appears under its name only when the run succeeds. */

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace hapmat {

/**
 * A destination for output bytes. A sink over a regular file can also
 * replace the header it was given first: a VCF's ##contig lines are only
 * known for sure once every row is read.
 */
class ByteSink {
 public:
  virtual ~ByteSink() = default;
  virtual void write(std::string_view bytes) = 0;
  /** Pushes buffered bytes to the operating system. */
  virtual void flush() {}

  /** The BGZF level at which the sink also takes blocks compressed by its
   * writer (writeBlocks), or -1: it takes bytes only. */
  virtual int blockLevel() const { return -1; }
  /** Appends BGZF blocks made at blockLevel() (no end-of-file block)
   * holding `textBytes` bytes. Throws std::logic_error when the sink takes
   * none, IoError. */
  virtual void writeBlocks(std::string_view blocks, std::uint64_t textBytes);

  /** Whether replaceHeader() works. */
  virtual bool canReplaceHeader() const { return false; }
  /** The bytes written so far are the header. */
  virtual void endHeader() {}
  /** A part after the first: the output starts after `header`, which part
   * 1 writes. A sink that encodes the rows by their header (BCF) reads
   * it; the others ignore it. */
  virtual void omitHeader(std::string_view /*header*/) {}
  /** Replaces the header with `header`, moving what follows it; done by the
   * time flush() returns. Throws IoError (std::logic_error when the sink
   * cannot). */
  virtual void replaceHeader(std::string_view header);
  /** Discards every byte written: the output starts again, empty (a
   * conversion redone). Where canReplaceHeader(); throws IoError
   * (std::logic_error when the sink cannot). */
  virtual void restart();
};

/** Buffers writes to a file descriptor it does not own. Throws IoError. */
class FdSink final : public ByteSink {
 public:
  FdSink(int fd, std::string name, std::size_t bufferBytes = 1 << 20);
  ~FdSink() override;
  void write(std::string_view bytes) override;
  void flush() override;

  /** True for a regular file open for reading and writing, not for
   * appending (the moved bytes are read back). */
  bool canReplaceHeader() const override { return seekable_; }
  void endHeader() override;
  void replaceHeader(std::string_view header) override;
  void restart() override;

 private:
  void writeAll(const char* data, std::size_t size);

  int fd_;
  std::string name_;
  // Not zeroed: a short run touches only the pages it writes.
  std::unique_ptr<char[]> buffer_;
  std::size_t capacity_;
  std::size_t used_ = 0;
  bool seekable_ = false;
  std::uint64_t start_ = 0;      // the file offset of the first byte
  std::uint64_t written_ = 0;    // bytes given to write()
  std::uint64_t headerEnd_ = 0;  // of written_
};

/** bgzip's compression level when none is given (zlib's default). */
inline constexpr int kDefaultBgzfLevel = 6;

/**
 * Compresses into BGZF (gzip that bgzip, tabix and bcftools read by block)
 * with htslib, on `threads` threads, at `level` (0-9: 0 stores the text in
 * BGZF blocks uncompressed, as `bgzip -l 0`), to a file descriptor it does
 * not own. Throws IoError.
 */
class BgzfSink final : public ByteSink {
 public:
  BgzfSink(int fd, std::string name, unsigned threads,
           int level = kDefaultBgzfLevel);
  ~BgzfSink() override;
  BgzfSink(const BgzfSink&) = delete;
  BgzfSink& operator=(const BgzfSink&) = delete;

  void write(std::string_view bytes) override;
  int blockLevel() const override;
  void writeBlocks(std::string_view blocks, std::uint64_t textBytes) override;
  /** Writes the last blocks and the end-of-file block (and a replaced
   * header). */
  void flush() override;

  /** As FdSink's; the header ends a BGZF block. */
  bool canReplaceHeader() const override;
  void endHeader() override;
  void replaceHeader(std::string_view header) override;
  void restart() override;

 private:
  struct Stream;
  void open(unsigned threads);
  std::unique_ptr<Stream> stream_;
  std::string name_;
};

/** The index of a BGZF-compressed VCF file. */
enum class VcfIndexFormat {
  kTbi,          ///< tabix's (.tbi): rows up to 2^29
  kCsi,          ///< CSI (.csi), as `bcftools index` writes it
  kTbiIfItFits,  ///< tabix's when every row fits it, else CSI
};

/** Writes the index of a BGZF-compressed VCF file to indexPath. Returns
 * whether it is CSI. Throws IoError (naming `name`) when htslib cannot
 * index the file, e.g. rows out of order. */
bool writeVcfIndex(const std::string& vcfPath, const std::string& indexPath,
                   VcfIndexFormat format, const std::string& name);

/** Writes the CSI index of a BGZF-compressed BCF file to indexPath, as
 * `bcftools index` does. Throws IoError (naming `name`) when htslib cannot
 * index the file. */
void writeBcfIndex(const std::string& bcfPath, const std::string& indexPath,
                   const std::string& name);

/** Collects everything in memory; for tests and small outputs. */
class StringSink final : public ByteSink {
 public:
  void write(std::string_view bytes) override { text_.append(bytes); }
  const std::string& text() const { return text_; }

  bool canReplaceHeader() const override { return true; }
  void endHeader() override { headerEnd_ = text_.size(); }
  void replaceHeader(std::string_view header) override {
    text_.replace(0, headerEnd_, header);
    headerEnd_ = header.size();
  }
  void restart() override {
    text_.clear();
    headerEnd_ = 0;
  }

 private:
  std::string text_;
  std::size_t headerEnd_ = 0;
};

/**
 * Writes to a temporary file in the target's folder and puts it in place of
 * the target on commit(); destroyed uncommitted, it removes the temporary
 * file, so a failed run never leaves a partial file under the target's
 * name. Where the file system has O_TMPFILE the temporary file has no name
 * until commit() links it, so even a killed process (SIGKILL) leaves
 * nothing; elsewhere it is `.NAME.hapmat-XXXXXX`, which a signal handler
 * can remove (tempPath()). A target that is a symbolic link is followed:
 * the file it points to is replaced and the link kept. An existing
 * target's permissions are kept.
 */
class AtomicOutputFile {
 public:
  explicit AtomicOutputFile(std::string target);
  ~AtomicOutputFile();
  AtomicOutputFile(const AtomicOutputFile&) = delete;
  AtomicOutputFile& operator=(const AtomicOutputFile&) = delete;

  ByteSink& sink() { return *sink_; }
  /** The temporary file, for a sink that writes it by itself. */
  int fd() const { return fd_; }
  /** A path that opens the temporary file, for a library that reads or
   * writes files by name (htslib's indexer): /proc/self/fd/N when it has no
   * name. */
  const std::string& openPath() const { return openPath_; }
  /** The temporary file's name, for a signal handler to unlink; empty when
   * it has none. */
  const std::string& tempPath() const { return tempPath_; }
  /** Flushes, closes and puts the file in place. Throws IoError. */
  void commit();
  /** The same, in place of `target` (in the same folder) instead. */
  void commitAs(const std::string& target);

 private:
  void placeUnnamed();

  std::string target_;  // as given, for messages
  std::string path_;    // the file replaced: target_ with links followed
  std::string tempPath_;
  std::string openPath_;
  int fd_ = -1;
  std::unique_ptr<FdSink> sink_;
  bool committed_ = false;
};

}  // namespace hapmat
