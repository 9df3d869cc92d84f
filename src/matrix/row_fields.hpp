#pragma once
// Splitting one data row into its fields and checking it (docs/FORMAT.md,
// "Bad input").

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hapmat {

/** What is wrong with a row: the 1-based byte where the bad field starts. */
struct RowProblem {
  std::size_t column;
  std::string reason;
};

/**
 * Splits `line` (without its line end) on `delimiter` into `fields`, which
 * must number `expected`. Fails on a wrong field count, an empty field, a
 * control byte (or the other whitespace byte) inside a field, or a POS that
 * is not a decimal integer in [1, 2^63). The first problem from the left
 * wins.
 */
std::optional<RowProblem> splitRow(std::string_view line, char delimiter,
                                   std::size_t expected,
                                   std::vector<std::string_view>& fields);

/** True for a positive decimal integer below 2^63 (leading zeros allowed). */
bool isValidPos(std::string_view text);

}  // namespace hapmat
