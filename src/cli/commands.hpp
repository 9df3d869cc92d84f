#pragma once
// Each subcommand registers itself; its callback does the work and throws
// hapmat errors, which main() turns into exit codes.

#include <CLI/CLI.hpp>

namespace hapmat::cli {

void addConvertCommand(CLI::App& app);
void addSimulateCommand(CLI::App& app);

}  // namespace hapmat::cli
