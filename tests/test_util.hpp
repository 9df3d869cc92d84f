#pragma once
// Helpers shared by the tests: temporary folders, files, and running the CLI.

#include <filesystem>
#include <string>
#include <vector>

namespace hapmat::test {

/** A fresh folder under the system's temporary folder, removed at the end. */
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::string file(const std::string& name) const {
    return (path_ / name).string();
  }

 private:
  std::filesystem::path path_;
};

std::string readFile(const std::filesystem::path& path);
void writeFile(const std::filesystem::path& path, const std::string& bytes);

/** Names of the entries of a folder, sorted. */
std::vector<std::string> listDir(const std::filesystem::path& path);

struct RunResult {
  int exitCode = -1;    ///< 128 + signal when killed by a signal
  long peakRssKiB = 0;  ///< the child's peak resident memory
  std::string out;
  std::string err;
};

/**
 * Runs the hapmat binary with `args` in folder `cwd`, standard input from
 * `stdinPath` (or /dev/null), and collects its exit code and output;
 * standard output goes to `stdoutPath` instead when one is given.
 */
RunResult runHapmat(const std::vector<std::string>& args,
                    const std::filesystem::path& cwd = ".",
                    const std::string& stdinPath = "/dev/null",
                    const std::string& stdoutPath = "");

/** Where runHapmatOnTerminal sends standard output. */
enum class StdoutTo {
  kTheTerminal,
  kFile,  ///< the file `stdoutPath`
  kPipe,  ///< a pipe, as `| less` does; RunResult::out holds what came
};

/**
 * Runs the hapmat binary with standard error on a new pseudo-terminal, and
 * standard output where `stdoutTo` says. RunResult::err holds all the
 * terminal received. (A pipe is read after the run: keep its output under
 * the 64 KiB a pipe holds.)
 */
RunResult runHapmatOnTerminal(const std::vector<std::string>& args,
                              const std::filesystem::path& cwd,
                              StdoutTo stdoutTo,
                              const std::string& stdoutPath = "/dev/null");

}  // namespace hapmat::test
