#pragma once
// The files of a VCF Zarr store as one string, for the engine tests and the
// fuzzer to compare stores byte for byte.

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace hapmat::test {

/** Each file of `store` as its path (relative) and bytes, in path order. */
inline std::string storeFiles(const std::filesystem::path& store) {
  std::vector<std::filesystem::path> files;
  for (const auto& entry :
       std::filesystem::recursive_directory_iterator(store)) {
    if (entry.is_regular_file()) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  std::string all;
  for (const auto& file : files) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    all += std::filesystem::relative(file, store).string() + '\n' +
           bytes.str() + '\n';
  }
  return all;
}

}  // namespace hapmat::test
