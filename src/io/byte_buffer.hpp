#pragma once
// Output bytes that grow without being zero-filled: a writer asks for room,
// writes its row there through a pointer, and then says how much it wrote.
// A std::string in C++20 cannot grow without filling the new bytes, which
// per row of output costs as much as writing them.

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <memory>
#include <string_view>
#include <utility>

namespace hapmat {

class ByteBuffer {
 public:
  ByteBuffer() = default;
  ByteBuffer(ByteBuffer&& other) noexcept
      : data_(std::move(other.data_)),
        size_(std::exchange(other.size_, 0)),
        capacity_(std::exchange(other.capacity_, 0)) {}
  ByteBuffer& operator=(ByteBuffer&& other) noexcept {
    data_ = std::move(other.data_);
    size_ = std::exchange(other.size_, 0);
    capacity_ = std::exchange(other.capacity_, 0);
    return *this;
  }

  /** Never null (as std::string's), even before the first byte: sinks
   * hand it to memcpy. */
  const char* data() const { return data_ ? data_.get() : ""; }
  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  std::string_view view() const { return {data(), size_}; }
  operator std::string_view() const { return view(); }  // NOLINT: as string

  std::size_t capacity() const { return capacity_; }
  /** Empties the buffer and keeps its capacity. */
  void clear() { size_ = 0; }
  /** Keeps the first `bytes` (at most size()), and the capacity. */
  void truncate(std::size_t bytes) { size_ = std::min(bytes, size_); }
  /** Room for `bytes` in all without growing; pages not yet written cost
   * no memory. */
  void reserve(std::size_t bytes) {
    if (capacity_ < bytes) grow(bytes - size_);
  }

  /**
   * At least `bytes` writable at the end, not zero-filled; what was written
   * there joins the buffer by added(). The room stays until the next call
   * that grows the buffer.
   */
  char* room(std::size_t bytes) {
    if (capacity_ - size_ < bytes) [[unlikely]]
      grow(bytes);
    return data_.get() + size_;
  }
  /** The first `bytes` of room() hold output now. */
  void added(std::size_t bytes) { size_ += bytes; }

  ByteBuffer& append(std::string_view text) {
    if (text.empty()) return *this;  // memcpy's pointers must not be null
    std::memcpy(room(text.size()), text.data(), text.size());
    size_ += text.size();
    return *this;
  }
  ByteBuffer& push_back(char byte) {  // NOLINT: named as std::string's
    *room(1) = byte;
    ++size_;
    return *this;
  }

 private:
  // At least doubles, so that appends cost amortised constant time.
  [[gnu::noinline]] void grow(std::size_t bytes) {
    const std::size_t capacity = std::max(2 * capacity_, size_ + bytes);
    auto data = std::make_unique_for_overwrite<char[]>(capacity);
    if (size_ != 0) std::memcpy(data.get(), data_.get(), size_);
    data_ = std::move(data);
    capacity_ = capacity;
  }

  std::unique_ptr<char[]> data_;
  std::size_t size_ = 0;
  std::size_t capacity_ = 0;
};

}  // namespace hapmat
