#include "io/text_file.hpp"

#include <cerrno>
#include <fstream>
#include <iterator>

#include "hapmat/error.hpp"

namespace hapmat {

std::string readTextFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throwIoError("cannot open", path, errno);
  std::string text(std::istreambuf_iterator<char>(in), {});
  if (text.starts_with("\xEF\xBB\xBF")) text.erase(0, 3);
  return text;
}

}  // namespace hapmat
