#pragma once
// Editing a regular file in place, for a header replaced after the rows.

#include <cstdint>
#include <string>
#include <string_view>

namespace hapmat {

/**
 * Moves the bytes [from, end) of the file to start at `to`, then cuts the
 * file after them: a header of another length can then be written before
 * `to`. Reads and writes the moved bytes once. Throws IoError naming `name`.
 */
void moveFileTail(int fd, std::uint64_t from, std::uint64_t to,
                  std::uint64_t end, const std::string& name);

/** Writes `bytes` at `offset`. Throws IoError naming `name`. */
void writeAt(int fd, std::uint64_t offset, std::string_view bytes,
             const std::string& name);

}  // namespace hapmat
