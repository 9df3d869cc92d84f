#!/usr/bin/env bash
# Installs the Debian packages hapmat builds and tests with, and only when one
# is missing (a fresh Debian 12 machine has none of the libraries). Sourced by
# demo.sh and test.sh; extra package names may be passed as arguments.
# libblosc-dev writes VCF Zarr chunks, which python3-zarr (with numcodecs) reads
# back in the tests against pysam's reading of the VCF.
# git names the commit --version states; man-db, dpkg-dev (dpkg-shlibdeps,
# for the .deb's Depends) and bash-completion serve the install test.
# Recommended packages are left out: nothing here needs them (manual pages,
# editors, GUI toolkits) and they add a third to the download on a fresh
# machine (455 MB instead of 345 MB with the client suite's programs).
set -euo pipefail

hapmat_packages=(cmake g++ make pkg-config libhwy-dev libtbb-dev
                 libbenchmark-dev libgtest-dev libcli11-dev libisal-dev libdeflate-dev zlib1g-dev
                 libhts-dev tabix libblosc-dev python3-zarr python3-numcodecs python3-pysam
                 clang-format mawk bcftools
                 git man-db dpkg-dev bash-completion "$@")

hapmat_missing=()
for package in "${hapmat_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' \
    || hapmat_missing+=("$package")
done

if ((${#hapmat_missing[@]})); then
  echo "Installing missing packages: ${hapmat_missing[*]}" >&2
  sudo=""
  if [ "$(id -u)" != 0 ]; then sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${hapmat_missing[@]}" >/dev/null
fi
