#pragma once
// What `hapmat --version` says the binary was built from; the definition is
// generated at every build by cmake/BuildSource.cmake, so it never goes stale.

namespace hapmat::cli {

/** "commit 0123456789ab", "commit 0123456789ab with uncommitted changes",
 * or "not built from a git checkout". */
extern const char* const kBuildSource;

}  // namespace hapmat::cli
