#!/usr/bin/env bash
# Builds hapmat and runs every test, then builds and runs them again under
# AddressSanitizer + UndefinedBehaviorSanitizer in build-asan/, then the
# pipeline's tests under ThreadSanitizer in build-tsan/. The client suite
# (tests/clients/: the real programs that read hapmat's output) and the
# cluster tests (tests/cluster/: the Snakemake workflow and the Slurm recipe
# on a one-node cluster) run once, in the Release build, as does the
# parts suite (tests/parts_test.sh) and the install test (tests/install_test.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
# The client suite's programs (docs/CLIENTS.md), and the cluster tests' Slurm
# (slurmctld, slurmd, client commands), munge and Snakemake 7, on top of the
# build's.
source scripts/install_deps.sh vcftools plink2 python3-pysam beagle shapeit4 \
  python3-pandas python3-numpy python3-matplotlib python3-seaborn \
  slurm-wlm munge snakemake

jobs=$(nproc)
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release
cmake --build build -j"$jobs"
ctest --test-dir build --output-on-failure -j"$jobs"

cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DHAPMAT_SANITIZE=ON \
  -DHAPMAT_BUILD_BENCH=OFF
cmake --build build-asan -j"$jobs"
# The cluster tests check the Slurm and Snakemake recipes, not hapmat's
# memory, and the clients read the same bytes: once, in Release, is enough.
# So is parts_test.sh's 264 splits through the CLI (4.5 min here under the
# sanitizers): the code of parts runs under them in the engine and line
# source tests (EngineTest.Parts*, LineSource.Parts*).
# The install test packages the build: the Release one is what users get.
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --test-dir build-asan --output-on-failure -j"$jobs" -LE 'clients|cluster|parts|install'

# ThreadSanitizer: the tests that run the parallel pipeline, with the
# default SIMD target only (threads are what matter here).
cmake -S . -B build-tsan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DHAPMAT_TSAN=ON \
  -DHAPMAT_BUILD_BENCH=OFF
cmake --build build-tsan -j"$jobs" --target hapmat_tests
TSAN_OPTIONS="halt_on_error=1 suppressions=$PWD/tests/tsan.supp" \
  HAPMAT_TEST_DEFAULT_TARGET_ONLY=1 \
  build-tsan/hapmat_tests --gtest_filter='EngineTest.*:Convert*:Cli.Signals*'
