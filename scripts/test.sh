#!/usr/bin/env bash
# Builds hapmat and runs every test, then builds and runs them again under
# AddressSanitizer + UndefinedBehaviorSanitizer in build-asan/, then the
# pipeline's tests under ThreadSanitizer in build-tsan/. The client suite
# (tests/clients/: the real programs that read hapmat's output) runs once, in
# the Release build: its programs read the same bytes from every build.
set -euo pipefail
cd "$(dirname "$0")/.."
# The client suite's programs (docs/CLIENTS.md), on top of the build's.
source scripts/install_deps.sh vcftools plink2 python3-pysam beagle shapeit4 \
  python3-pandas python3-numpy python3-matplotlib python3-seaborn

jobs=$(nproc)
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release
cmake --build build -j"$jobs"
ctest --test-dir build --output-on-failure -j"$jobs"

cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DHAPMAT_SANITIZE=ON \
  -DHAPMAT_BUILD_BENCH=OFF
cmake --build build-asan -j"$jobs"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --test-dir build-asan --output-on-failure -j"$jobs" -LE clients

# ThreadSanitizer: the tests that run the parallel pipeline, with the
# default SIMD target only (threads are what matter here).
cmake -S . -B build-tsan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DHAPMAT_TSAN=ON \
  -DHAPMAT_BUILD_BENCH=OFF
cmake --build build-tsan -j"$jobs" --target hapmat_tests
TSAN_OPTIONS="halt_on_error=1 suppressions=$PWD/tests/tsan.supp" \
  HAPMAT_TEST_DEFAULT_TARGET_ONLY=1 \
  build-tsan/hapmat_tests --gtest_filter='EngineTest.*:Convert*:Cli.Signals*'
