# The start the shell tests of tests/ share, sourced after `set -euo
# pipefail` as
#
#   source "$(dirname "$0")/shell_test_start.sh" NAME "$@"
#
# with the test's own arguments HAPMAT_EXE WORKDIR: sets $hapmat, $work
# (made empty) and $bcftools, a C locale, and fail(), whose message starts
# with NAME.
test_name=$1
shift
if (($# != 2)); then
  echo "usage: $0 HAPMAT_EXE WORKDIR" >&2
  exit 2
fi
hapmat=$1
work=$2
bcftools=${BCFTOOLS:-bcftools}
export LC_ALL=C
rm -rf "$work"
mkdir -p "$work"

fail() {
  echo "$test_name: FAIL: $*" >&2
  exit 1
}
