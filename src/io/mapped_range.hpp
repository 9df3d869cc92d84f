#pragma once
// Bytes of a file read in place, through a read-only mapping, instead of
// copied out by pread: the workers' copy was a third of a run's busy time.
// A page of a mapping that the file no longer holds (another program cut
// the file short) would kill the process with SIGBUS when read: a handler
// maps zeros there instead and marks the mapping lost, so that the reader
// can report the file as changed.

#include <cstddef>
#include <cstdint>

namespace hapmat {

class MappedRange {
 public:
  MappedRange() = default;
  ~MappedRange();
  MappedRange(const MappedRange&) = delete;
  MappedRange& operator=(const MappedRange&) = delete;

  /**
   * Maps bytes [offset, offset + size) of the regular file `fd`, a file of
   * `fileSize` bytes, in place of any mapping held. False when it cannot
   * (the bytes are then to be read another way); IoError is never thrown.
   */
  bool map(int fd, std::uint64_t offset, std::size_t size,
           std::uint64_t fileSize);
  /** Gives the mapping back (a chunk done with): its pages leave the RSS. */
  void unmap();

  /** Byte `offset` of the file, as map() was asked. */
  const char* data() const { return data_; }
  /** That `offset`. */
  std::uint64_t fileOffset() const { return offset_; }
  /** Bytes readable from data(): those asked, and the zeros after the
   * file's end up to its last page's end. */
  std::size_t size() const { return size_; }
  /** Whether a page was read after the file had lost it (it was cut short
   * while mapped): zeros were read in its place. */
  bool lost() const;

 private:
  void* base_ = nullptr;  // page-aligned start of the mapping
  std::size_t length_ = 0;
  const char* data_ = nullptr;
  std::uint64_t offset_ = 0;
  std::size_t size_ = 0;
  int slot_ = -1;  // where the SIGBUS handler finds the mapping
};

}  // namespace hapmat
