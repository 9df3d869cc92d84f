#pragma once
// Small side files (header, pairs, FASTA index), read whole.

#include <string>

namespace hapmat {

/** The bytes of the file at `path`. Throws IoError. */
std::string readTextFile(const std::string& path);

}  // namespace hapmat
