#include "hapmat/error.hpp"

#include <cstring>
#include <utility>

namespace hapmat {

InputError::InputError(std::string file, std::uint64_t line,
                       std::uint64_t column, std::string reason)
    : std::runtime_error(file + ":" + std::to_string(line) + ":" +
                         std::to_string(column) + ": " + reason),
      file_(std::move(file)),
      line_(line),
      column_(column),
      reason_(std::move(reason)) {}

void throwIoError(const std::string& what, const std::string& path,
                  int errnum) {
  throw IoError(what + " '" + path + "': " + std::strerror(errnum));
}

}  // namespace hapmat
