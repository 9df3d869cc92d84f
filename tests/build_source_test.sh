#!/usr/bin/env bash
# cmake/BuildSource.cmake, which `hapmat --version` takes its commit from,
# in every state a source tree can be in.
#
#   build_source_test.sh BUILD_SOURCE_CMAKE WORK_DIR
set -euo pipefail
script=$1 work=$2

fail() { echo "FAIL: $*" >&2; exit 1; }
# The build source the script writes for the tree in $1.
source_of() {
  cmake -DSOURCE_DIR="$1" -DOUTPUT="$work/out.cpp" -P "$script"
  sed -n 's/.*kBuildSource = "\(.*\)";$/\1/p' "$work/out.cpp"
}
git_in() { git -C "$1" -c user.name=test -c user.email=test@example.org "${@:2}"; }

rm -rf "$work"
mkdir -p "$work/tree"
echo one > "$work/tree/file"

[ "$(source_of "$work/tree")" = "not built from a git checkout" ] ||
  fail "a tree without .git: $(source_of "$work/tree")"

git_in "$work/tree" init -q
git_in "$work/tree" add file
git_in "$work/tree" commit -qm one
commit=$(git -C "$work/tree" rev-parse --short=12 HEAD)
[ "$(source_of "$work/tree")" = "commit $commit" ] ||
  fail "a clean checkout: $(source_of "$work/tree"), not commit $commit"

# Unchanged text: the file is not rewritten, so nothing is recompiled.
touch -d '2000-01-01' "$work/out.cpp"
source_of "$work/tree" >/dev/null
[ "$(stat -c %Y "$work/out.cpp")" = "$(date -d '2000-01-01' +%s)" ] ||
  fail "an unchanged build source was rewritten"

echo two > "$work/tree/file"
[ "$(source_of "$work/tree")" = "commit $commit with uncommitted changes" ] ||
  fail "a modified checkout: $(source_of "$work/tree")"

# The next commit is read at the next build: --version does not go stale.
git_in "$work/tree" commit -qam two
next=$(git -C "$work/tree" rev-parse --short=12 HEAD)
[ "$(source_of "$work/tree")" = "commit $next" ] ||
  fail "after a new commit: $(source_of "$work/tree"), not commit $next"

# Sources unpacked inside some other checkout are not that checkout's commit.
mkdir "$work/tree/unpacked"
[ "$(source_of "$work/tree/unpacked")" = "not built from a git checkout" ] ||
  fail "a tree inside another checkout: $(source_of "$work/tree/unpacked")"
echo "build source test passed"
