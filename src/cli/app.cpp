// The whole command line, described once: main() parses with it, and
// hapmat_docs renders the man pages and the bash completion from it.

#include "cli/commands.hpp"

namespace hapmat::cli {

void describeCommandLine(CLI::App& app, bool& version) {
  app.description(
      "hapmat: converts genome matrices (one row per position, one column "
      "per haplotype) into haplotype tables, phase-Extender reference "
      "panels or VCF, streaming, in constant memory.");
  app.name("hapmat");
  app.add_flag("--version", version,
               "Print the version, the commit it was built from and the SIMD "
               "targets");
  app.require_subcommand(0, 1);
  addConvertCommand(app);
  addSimulateCommand(app);
  addConcatCommand(app);
}

}  // namespace hapmat::cli
