#pragma once
// A byte stream to convert: a file or standard input.

#include <cstddef>
#include <memory>
#include <string>

namespace hapmat {

class InputSource {
 public:
  /** Opens a path, or standard input for "-". Throws IoError. */
  static std::unique_ptr<InputSource> open(const std::string& path);

  ~InputSource();
  InputSource(const InputSource&) = delete;
  InputSource& operator=(const InputSource&) = delete;

  /** Reads up to `size` bytes; returns 0 only at the end. Throws IoError. */
  std::size_t read(char* buffer, std::size_t size);

  /** The name errors use: the path as given, or "<stdin>". */
  const std::string& name() const { return name_; }

 private:
  InputSource(int fd, bool owned, std::string name);

  int fd_;
  bool owned_;
  std::string name_;
};

}  // namespace hapmat
