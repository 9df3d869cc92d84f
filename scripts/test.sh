#!/usr/bin/env bash
# Builds hapmat and runs every test (with the Slurm and Snakemake ones of
# tests/cluster/), then builds and runs them again (but the cluster ones) under
# AddressSanitizer + UndefinedBehaviorSanitizer in build-asan/, then the
# pipeline's tests under ThreadSanitizer in build-tsan/.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/install_deps.sh
source scripts/install_cluster_deps.sh

jobs=$(nproc)
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release
cmake --build build -j"$jobs"
ctest --test-dir build --output-on-failure -j"$jobs"

cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DHAPMAT_SANITIZE=ON \
  -DHAPMAT_BUILD_BENCH=OFF
cmake --build build-asan -j"$jobs"
# The cluster tests check the Slurm and Snakemake recipes, not hapmat's
# memory: once, in the Release build, is enough.
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --test-dir build-asan --output-on-failure -j"$jobs" --label-exclude cluster

# ThreadSanitizer: the tests that run the parallel pipeline, with the
# default SIMD target only (threads are what matter here).
cmake -S . -B build-tsan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DHAPMAT_TSAN=ON \
  -DHAPMAT_BUILD_BENCH=OFF
cmake --build build-tsan -j"$jobs" --target hapmat_tests
TSAN_OPTIONS="halt_on_error=1 suppressions=$PWD/tests/tsan.supp" \
  HAPMAT_TEST_DEFAULT_TARGET_ONLY=1 \
  build-tsan/hapmat_tests --gtest_filter='EngineTest.*:Convert*:Cli.Signals*'
