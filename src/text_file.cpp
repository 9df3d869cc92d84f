#include "text_file.hpp"

#include <cerrno>
#include <fstream>
#include <iterator>

#include "hapmat/error.hpp"

namespace hapmat {

std::string readTextFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throwIoError("cannot open", path, errno);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace hapmat
