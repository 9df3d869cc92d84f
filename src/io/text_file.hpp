#pragma once
// Small side files (header, pairs, FASTA index), read whole.

#include <string>

namespace hapmat {

/** The bytes of the file at `path`, without the UTF-8 byte-order mark a
 * spreadsheet program may have put first. Throws IoError. */
std::string readTextFile(const std::string& path);

}  // namespace hapmat
