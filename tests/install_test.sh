#!/usr/bin/env bash
# hapmat as a user installs it (README, "Install"): `cmake --install` into a
# prefix that is then moved elsewhere (the tree must be relocatable), the
# installed command, a project built against the installed CMake package,
# the man pages, the bash completion, and the Debian package.
#
#   install_test.sh BUILD_DIR SOURCE_DIR VERSION WORK_DIR
set -euo pipefail
build=$1 source=$2 version=$3 work=$4
golden=$source/tests/data/golden/spec_example

fail() { echo "FAIL: $*" >&2; exit 1; }

rm -rf "$work"
mkdir -p "$work"
cmake --install "$build" --prefix "$work/installed" >/dev/null
mkdir "$work/moved"
mv "$work/installed" "$work/moved/prefix"
prefix=$work/moved/prefix

# Relocatable: no installed text file names the build, the sources or the
# prefix it was installed to.
if grep -rIlF -e "$build" -e "$source" -e "$work/installed" "$prefix"; then
  fail "installed files above name an absolute build or install path"
fi

# --version: the version, and the commit the sources were at.
first=$("$prefix/bin/hapmat" --version | head -n 1)
if [ -e "$source/.git" ]; then
  commit=$(git -C "$source" rev-parse --short=12 HEAD)
  [[ $first =~ ^"hapmat $version (commit $commit"( with uncommitted changes)?")"$ ]] ||
    fail "--version says '$first', not version $version at commit $commit"
else
  [ "$first" = "hapmat $version (not built from a git checkout)" ] ||
    fail "--version says '$first' outside a git checkout"
fi

# A conversion with the installed command.
"$prefix/bin/hapmat" convert -q --header "$golden/header.txt" "$golden/matrix.txt" \
  -o "$work/converted.txt"
cmp "$work/converted.txt" "$golden/expected.txt" || fail "installed hapmat converts wrong"

# A project using the library through find_package(hapmat CONFIG), from
# the prefix $1, built in $2.
check_consumer() {
  cmake -S "$source/tests/data/consumer" -B "$2" -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_PREFIX_PATH="$1" >"$2.log" 2>&1 ||
    { cat "$2.log"; fail "the consumer project does not configure with $1"; }
  cmake --build "$2" >>"$2.log" 2>&1 ||
    { cat "$2.log"; fail "the consumer project does not build with $1"; }
  "$2/hapmat_consumer" "$golden/header.txt" "$golden/matrix.txt" >"$2.txt" 2>/dev/null
  cmp "$2.txt" "$golden/expected.txt" || fail "hapmat::convert from $1 converts wrong"
}
check_consumer "$prefix" "$work/consumer"

# Each man page renders without a warning and documents every option its
# command's --help lists.
for page in hapmat hapmat-convert hapmat-concat hapmat-simulate; do
  file=$prefix/share/man/man1/$page.1.gz
  MANWIDTH=80 LANG=C.UTF-8 man -l --warnings "$file" >"$work/$page.txt" 2>"$work/$page.err" ||
    fail "man -l $file failed"
  [ ! -s "$work/$page.err" ] || { cat "$work/$page.err"; fail "man -l $file warns"; }
  grep -q "^NAME" "$work/$page.txt" || fail "$page.1 renders without a NAME"
  command=${page#hapmat}
  for option in $("$prefix/bin/hapmat" ${command#-} --help |
                  grep -oE '^  (-[a-z],)?--[a-z-]+' | sed 's/.*--/--/'); do
    grep -qE "^ +(-[a-z], )?$option( |\[|\$)" "$work/$page.txt" ||
      fail "$page.1 does not document $option"
  done
done

# bash-completion finds the completion in the prefix (through XDG_DATA_DIRS,
# as for /usr/share) and completes options and their values.
completions=$(
  XDG_DATA_DIRS=$prefix/share BASH_COMPLETION_USER_DIR=$work/none bash --norc -c '
    source /usr/share/bash-completion/bash_completion
    _completion_loader hapmat
    function=$(complete -p hapmat | sed -n "s/.* -F \([^ ]*\) .*/\1/p")
    complete_line() {  # the words of a command line, the last one being typed
      COMP_WORDS=("$@") COMP_CWORD=$(($# - 1)) COMPREPLY=()
      "$function" hapmat "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
      echo "${COMPREPLY[*]}"
    }
    complete_line hapmat convert --for
    complete_line hapmat convert --format ""
    complete_line hapmat convert --index = t
    complete_line hapmat c
    complete_line hapmat concat -
  ')
expected="--format
haplotype phase-extender vcf bcf ubcf vcz
tbi
convert concat
-h --help -o --output --index -l --compression-level -q --quiet"
[ "$completions" = "$expected" ] ||
  fail "completion gave:
$completions
expected:
$expected"

# The Debian package: its files, its dependencies, and its binary run from
# where it is unpacked.
cpack --config "$build/CPackConfig.cmake" -B "$work/package" >"$work/cpack.log" 2>&1 ||
  { cat "$work/cpack.log"; fail "cpack failed"; }
deb=$work/package/hapmat_${version}_amd64.deb
[ -f "$deb" ] || fail "no $deb"
dpkg-deb -c "$deb" >"$work/deb-files.txt"
for file in ./usr/bin/hapmat ./usr/include/hapmat/convert.hpp ./usr/lib/libhapmat.a \
            ./usr/lib/cmake/hapmat/hapmatConfig.cmake ./usr/share/man/man1/hapmat-convert.1.gz \
            ./usr/share/bash-completion/completions/hapmat ./usr/share/doc/hapmat/copyright \
            ./usr/share/hapmat/docs/FORMAT.md ./usr/share/hapmat/workflows/Snakefile; do
  grep -q " $file\$" "$work/deb-files.txt" || fail "$deb lacks $file"
done
# Depends, from the shared libraries: "libc6 (>= 2.34), libdeflate0 (>= 1.0), ..."
depends=$(dpkg-deb -f "$deb" Depends | sed 's/ ([^)]*)//g; s/, /\n/g' | sort | tr '\n' ' ')
# No libhwy1: on x86-64 the command does not link libhwy (kernels/cpu_targets.cc).
[ "$depends" = "libblosc1 libc6 libdeflate0 libgcc-s1 libhts3 libisal2 libstdc++6 libtbb12 " ] ||
  fail "$deb Depends: $depends"
dpkg-deb -x "$deb" "$work/unpacked"
"$work/unpacked/usr/bin/hapmat" --version | head -n 1 | grep -qF "hapmat $version (" ||
  fail "the unpacked hapmat does not state its version"
"$work/unpacked/usr/bin/hapmat" convert -q --header "$golden/header.txt" "$golden/matrix.txt" |
  cmp - "$golden/expected.txt" || fail "the unpacked hapmat converts wrong"
check_consumer "$work/unpacked/usr" "$work/deb-consumer"
echo "install test passed"
