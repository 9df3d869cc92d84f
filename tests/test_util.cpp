#include "test_util.hpp"

#include <fcntl.h>
#include <pty.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <stdexcept>

namespace hapmat::test {

TempDir::TempDir() {
  std::string pattern =
      (std::filesystem::temp_directory_path() / "hapmat-test-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    throw std::runtime_error("mkdtemp failed");
  }
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

std::string readFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void writeFile(const std::filesystem::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

std::vector<std::string> listDir(const std::filesystem::path& path) {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(path)) {
    names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

namespace {

void redirect(const std::string& path, int flags, int fd) {
  int opened = ::open(path.c_str(), flags, 0600);
  if (opened < 0 || ::dup2(opened, fd) < 0) ::_exit(127);
  ::close(opened);
}

// Forks hapmat with `args` in `cwd`; the child calls setUpStreams() (which
// redirects its standard streams, or _exits) before it runs hapmat.
template <class SetUpStreams>
pid_t spawnHapmat(const std::vector<std::string>& args,
                  const std::filesystem::path& cwd,
                  const SetUpStreams& setUpStreams) {
  std::vector<std::string> argv = {HAPMAT_EXE};
  argv.insert(argv.end(), args.begin(), args.end());
  std::vector<char*> cArgv;
  for (std::string& arg : argv) cArgv.push_back(arg.data());
  cArgv.push_back(nullptr);
  pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    if (::chdir(cwd.c_str()) != 0) ::_exit(127);
    setUpStreams();
    ::execv(cArgv[0], cArgv.data());
    ::_exit(127);
  }
  return pid;
}

int exitCodeOf(int status) {
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

}  // namespace

RunResult runHapmat(const std::vector<std::string>& args,
                    const std::filesystem::path& cwd,
                    const std::string& stdinPath,
                    const std::string& stdoutPath) {
  TempDir capture;
  std::string outPath =
      stdoutPath.empty() ? capture.file("stdout") : stdoutPath;
  std::string errPath = capture.file("stderr");
  pid_t pid = spawnHapmat(args, cwd, [&] {
    redirect(stdinPath, O_RDONLY, STDIN_FILENO);
    redirect(outPath,
             stdoutPath.empty() ? O_WRONLY | O_CREAT | O_TRUNC : O_WRONLY,
             STDOUT_FILENO);
    redirect(errPath, O_WRONLY | O_CREAT | O_TRUNC, STDERR_FILENO);
  });
  int status = 0;
  struct rusage usage {};
  ::wait4(pid, &status, 0, &usage);
  RunResult result;
  result.peakRssKiB = usage.ru_maxrss;
  result.exitCode = exitCodeOf(status);
  if (stdoutPath.empty()) result.out = readFile(outPath);
  result.err = readFile(errPath);
  return result;
}

RunResult runHapmatOnTerminal(const std::vector<std::string>& args,
                              const std::filesystem::path& cwd,
                              StdoutTo stdoutTo,
                              const std::string& stdoutPath) {
  int terminal = -1;
  int device = -1;
  if (::openpty(&terminal, &device, nullptr, nullptr, nullptr) != 0) {
    throw std::runtime_error("openpty failed");
  }
  int pipeEnds[2] = {-1, -1};
  if (stdoutTo == StdoutTo::kPipe && ::pipe(pipeEnds) != 0) {
    throw std::runtime_error("pipe failed");
  }
  pid_t pid = spawnHapmat(args, cwd, [&] {
    redirect("/dev/null", O_RDONLY, STDIN_FILENO);
    switch (stdoutTo) {
      case StdoutTo::kTheTerminal:
        if (::dup2(device, STDOUT_FILENO) < 0) ::_exit(127);
        break;
      case StdoutTo::kFile:
        redirect(stdoutPath, O_WRONLY | O_CREAT | O_TRUNC, STDOUT_FILENO);
        break;
      case StdoutTo::kPipe:
        if (::dup2(pipeEnds[1], STDOUT_FILENO) < 0) ::_exit(127);
        ::close(pipeEnds[0]);
        ::close(pipeEnds[1]);
        break;
    }
    if (::dup2(device, STDERR_FILENO) < 0) ::_exit(127);
    ::close(device);
    ::close(terminal);
  });
  // Read while it runs, so that it never waits on a full terminal; reading
  // fails (EIO) once the child, the last holder of the device, has gone.
  ::close(device);
  if (stdoutTo == StdoutTo::kPipe) ::close(pipeEnds[1]);
  RunResult result;
  char buffer[4096];
  for (;;) {
    ssize_t n = ::read(terminal, buffer, sizeof buffer);
    if (n > 0) {
      result.err.append(buffer, static_cast<std::size_t>(n));
    } else if (n == 0 || errno != EINTR) {
      break;
    }
  }
  ::close(terminal);
  if (stdoutTo == StdoutTo::kPipe) {
    for (ssize_t n; (n = ::read(pipeEnds[0], buffer, sizeof buffer)) != 0;) {
      if (n > 0) result.out.append(buffer, static_cast<std::size_t>(n));
      if (n < 0 && errno != EINTR) break;
    }
    ::close(pipeEnds[0]);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  result.exitCode = exitCodeOf(status);
  return result;
}

}  // namespace hapmat::test
