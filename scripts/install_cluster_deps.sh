#!/usr/bin/env bash
# Installs what the cluster tests (tests/cluster/) run: a one-node Slurm
# cluster (slurmctld, slurmd, the client commands, munge) and Snakemake 7,
# only when one is missing. Without recommended packages: 84 instead of 262
# packages, about 26 MB to download. Sourced by test.sh.
set -euo pipefail

hapmat_cluster_packages=(slurm-wlm munge snakemake)

hapmat_cluster_missing=()
for package in "${hapmat_cluster_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' \
    || hapmat_cluster_missing+=("$package")
done

if ((${#hapmat_cluster_missing[@]})); then
  echo "Installing missing packages: ${hapmat_cluster_missing[*]}" >&2
  sudo=""
  if [ "$(id -u)" != 0 ]; then sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
    "${hapmat_cluster_missing[@]}" >/dev/null
fi
