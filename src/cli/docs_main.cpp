// hapmat_docs OUTDIR: writes OUTDIR/man1/hapmat.1, hapmat-SUBCOMMAND.1 and
// OUTDIR/bash-completion/hapmat from the command line hapmat parses with.
// Run at build time (cmake/Install.cmake); not installed.

#include <CLI/CLI.hpp>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "cli/bash_completion.hpp"
#include "cli/cli_util.hpp"
#include "cli/commands.hpp"
#include "cli/man_page.hpp"

namespace {

void writeFile(const std::filesystem::path& path, const std::string& text) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary);
  out << text;
  if (!out.flush()) throw std::runtime_error("cannot write " + path.string());
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: hapmat_docs OUTDIR\n";
    return 2;
  }
  try {
    CLI::App app;
    bool version = false;
    hapmat::cli::describeCommandLine(app, version);
    std::filesystem::path dir = argv[1];
    writeFile(dir / "man1" / "hapmat.1", hapmat::cli::manPage(app));
    for (const CLI::App* command : hapmat::cli::subcommandsOf(app)) {
      writeFile(dir / "man1" / (hapmat::cli::manPageName(*command) + ".1"),
                hapmat::cli::manPage(*command));
    }
    writeFile(dir / "bash-completion" / "hapmat",
              hapmat::cli::bashCompletion(app));
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "hapmat_docs: " << e.what() << '\n';
    return 1;
  }
}
