#include "matrix/row_fields.hpp"

#include <cstdint>

#include "hapmat/schema.hpp"

namespace hapmat {

bool isValidPos(std::string_view text) {
  if (text.empty()) return false;
  std::uint64_t value = 0;
  constexpr std::uint64_t kLimit = std::uint64_t{1} << 63;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + static_cast<std::uint64_t>(c - '0');
    if (value >= kLimit) return false;
  }
  return value > 0;
}

namespace {

// Inside a field, every byte up to and including space is wrong except the
// delimiter itself, and so is DEL: control bytes, and the whitespace byte
// that is not this file's delimiter.
bool isForbiddenInField(unsigned char byte) {
  return byte <= 0x20 || byte == 0x7F;
}

std::string describeByte(unsigned char byte) {
  if (byte == ' ') return "a space inside a field";
  if (byte == '\t') return "a tab inside a field";
  if (byte == '\r') return "a carriage return inside a field";
  static const char kHex[] = "0123456789ABCDEF";
  return std::string("control byte 0x") + kHex[byte >> 4] + kHex[byte & 15] +
         " inside a field";
}

std::optional<RowProblem> checkField(std::string_view field, std::size_t index,
                                     std::size_t column) {
  if (field.empty()) return RowProblem{column, "empty field"};
  if (index == kPosColumn && !isValidPos(field)) {
    return RowProblem{column, "POS '" + std::string(field) +
                                  "' is not a whole number from 1 to 2^63-1"};
  }
  return std::nullopt;
}

}  // namespace

std::optional<RowProblem> splitRow(std::string_view line, char delimiter,
                                   std::size_t expected,
                                   std::vector<std::string_view>& fields) {
  fields.clear();
  std::size_t start = 0;
  for (std::size_t i = 0; i <= line.size(); ++i) {
    bool atEnd = i == line.size();
    unsigned char byte = atEnd ? 0 : static_cast<unsigned char>(line[i]);
    if (!atEnd && byte != static_cast<unsigned char>(delimiter)) {
      if (isForbiddenInField(byte)) {
        return RowProblem{start + 1, describeByte(byte)};
      }
      continue;
    }
    if (fields.size() == expected) {
      return RowProblem{start + 1, "expected " + std::to_string(expected) +
                                       " fields, found more"};
    }
    std::string_view field = line.substr(start, i - start);
    if (auto problem = checkField(field, fields.size(), start + 1)) {
      return problem;
    }
    fields.push_back(field);
    start = i + 1;
  }
  if (fields.size() < expected) {
    return RowProblem{line.size() + 1, "expected " + std::to_string(expected) +
                                           " fields, found " +
                                           std::to_string(fields.size())};
  }
  return std::nullopt;
}

}  // namespace hapmat
