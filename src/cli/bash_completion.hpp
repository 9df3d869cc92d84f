#pragma once
// Bash completion rendered from the CLI11 description of the command line,
// so that it offers exactly what the parser takes.

#include <CLI/CLI.hpp>
#include <string>

namespace hapmat::cli {

/** A script for bash: `complete -F _hapmat hapmat`, completing the
 * subcommands, their options, and the names an option takes (--format,
 * --missing, --index ...); anything else completes as a file name. */
std::string bashCompletion(const CLI::App& app);

}  // namespace hapmat::cli
