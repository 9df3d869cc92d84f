#pragma once
/** @file Errors the library reports; only the CLI turns them into exit codes.
 */

#include <cstdint>
#include <stdexcept>
#include <string>

namespace hapmat {

/**
 * Malformed input at a known place. what() renders "file:line:column: reason",
 * where line counts every input line from 1 and column is the 1-based byte in
 * that line where the bad field starts.
 */
class InputError : public std::runtime_error {
 public:
  InputError(std::string file, std::uint64_t line, std::uint64_t column,
             std::string reason);

  const std::string& file() const { return file_; }
  std::uint64_t line() const { return line_; }
  std::uint64_t column() const { return column_; }
  const std::string& reason() const { return reason_; }

 private:
  std::string file_;
  std::uint64_t line_;
  std::uint64_t column_;
  std::string reason_;
};

/** A configuration the user must change: bad pairs, unknown columns, bad
 * options. */
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/** The operating system refused a read or a write; the message names the file.
 */
class IoError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/**
 * Files that are each readable but must not be used together: parts of
 * different runs, a part whose bytes are not those its record names, an
 * input that changed while it was read. what() names the file(s) and what
 * differs.
 */
class MismatchError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/** Throws IoError "what 'path': strerror(errnum)". */
[[noreturn]] void throwIoError(const std::string& what, const std::string& path,
                               int errnum);

}  // namespace hapmat
