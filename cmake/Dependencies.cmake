# Every dependency comes from Debian packages; scripts/test.sh installs them.
find_package(hwy CONFIG REQUIRED)
find_package(TBB CONFIG REQUIRED COMPONENTS tbb)
find_package(CLI11 CONFIG REQUIRED)
find_package(Threads REQUIRED)
# Compressed input: ISA-L inflates gzip serially, libdeflate inflates BGZF
# blocks; both have pkg-config files only. zlib writes the tests' inputs.
find_package(PkgConfig REQUIRED)
pkg_check_modules(ISAL REQUIRED IMPORTED_TARGET libisal)
pkg_check_modules(LIBDEFLATE REQUIRED IMPORTED_TARGET libdeflate)
find_package(ZLIB REQUIRED)
# BGZF output and its tabix index.
pkg_check_modules(HTSLIB REQUIRED IMPORTED_TARGET htslib)
# VCF Zarr chunks (Blosc with zstd, as bio2zarr writes them).
pkg_check_modules(BLOSC REQUIRED IMPORTED_TARGET blosc)
if(HAPMAT_BUILD_TESTS)
  find_package(GTest CONFIG REQUIRED)
endif()
if(HAPMAT_BUILD_BENCH)
  find_package(benchmark CONFIG REQUIRED)
endif()
