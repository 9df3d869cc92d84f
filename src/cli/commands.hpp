#pragma once
// Each subcommand registers itself; its callback does the work and throws
// hapmat errors, which main() turns into exit codes.

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

namespace hapmat::cli {

/** Names `app` hapmat and adds --version (setting `version`) and every
 * subcommand. */
void describeCommandLine(CLI::App& app, bool& version);

void addConvertCommand(CLI::App& app);

/** `--index tbi` as `--index=tbi`: a flag's value must be joined to it for
 * CLI11, and only the three names are taken, so `--index FILE` stays a flag
 * followed by an argument. */
std::vector<std::string> joinIndexValues(int argc, char** argv);
void addSimulateCommand(CLI::App& app);
void addConcatCommand(CLI::App& app);

}  // namespace hapmat::cli
