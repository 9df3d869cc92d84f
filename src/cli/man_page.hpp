#pragma once
// Man pages rendered from the CLI11 description of the command line, the
// source --help prints, so that the two cannot drift apart.

#include <CLI/CLI.hpp>
#include <string>

namespace hapmat::cli {

/** The page of `command`, in roff: hapmat(1) for the top command, or
 * hapmat-NAME(1) for a subcommand, which the top command's page lists. */
std::string manPage(const CLI::App& command);

/** "hapmat" or "hapmat-convert": the page's name, and its file's stem. */
std::string manPageName(const CLI::App& command);

}  // namespace hapmat::cli
