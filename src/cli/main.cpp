// hapmat's command line: subcommands, and the one place that decides exit
// codes (0 ok, 1 bad input or I/O failure, 2 usage error).

#include <CLI/CLI.hpp>
#include <cstdio>
#include <exception>
#include <iostream>

#include "cli/build_source.hpp"
#include "cli/commands.hpp"
#include "hapmat/convert.hpp"
#include "hapmat/error.hpp"
#include "hapmat/version.hpp"

namespace {

constexpr int kExitBadInput = 1;
constexpr int kExitUsage = 2;

int fail(int code, const std::string& message) {
  std::cerr << "hapmat: " << message << '\n';
  return code;
}

void printVersion() {
  std::cout << "hapmat " << hapmat::kVersion << " ("
            << hapmat::cli::kBuildSource << ")\n"
            << "simd targets:";
  for (const std::string& target : hapmat::simdTargets()) {
    std::cout << ' ' << target;
  }
  std::cout << '\n';
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app;
  bool version = false;
  hapmat::cli::describeCommandLine(app, version);
  try {
    std::vector<std::string> args = hapmat::cli::joinIndexValues(argc, argv);
    std::vector<char*> pointers;
    for (std::string& arg : args) pointers.push_back(arg.data());
    app.parse(static_cast<int>(pointers.size()), pointers.data());
    if (version) {
      printVersion();
    } else if (app.get_subcommands().empty()) {
      std::cerr << app.help();
      return kExitUsage;
    }
    return 0;
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    return fail(kExitUsage, e.what());
  } catch (const hapmat::UsageError& e) {
    return fail(kExitUsage, e.what());
  } catch (const hapmat::InputError& e) {
    return fail(kExitBadInput, e.what());
  } catch (const hapmat::IoError& e) {
    return fail(kExitBadInput, e.what());
  } catch (const hapmat::MismatchError& e) {
    return fail(kExitBadInput, e.what());
  } catch (const std::bad_alloc&) {
    return fail(kExitBadInput, "out of memory");
  }
}
