# The Debian package: `cmake --build build --target package` writes
# build/hapmat_<version>_amd64.deb (README, "Install"). Its Depends come from
# the shared libraries the binary links (dpkg-shlibdeps, Debian package
# dpkg-dev), so they name the packages of the machine it was built on.

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME hapmat)
# The identity the repository's commits are made under, until the project
# has a public address; a packager sets their own.
set(HAPMAT_MAINTAINER
    "hapmat maintainers <maintainers@users.noreply.r-seed-8edf954a.example>"
    CACHE STRING "Maintainer field of the Debian package")
set(CPACK_PACKAGE_VENDOR "the hapmat authors")
set(CPACK_PACKAGE_CONTACT "${HAPMAT_MAINTAINER}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "genome matrices to haplotype tables, phase-Extender panels and VCF")
string(CONCAT CPACK_PACKAGE_DESCRIPTION
    "hapmat converts genome matrices (one row per reference position, one "
    "column per haplotype) into haplotype tables, phase-Extender reference "
    "panels or VCF, streaming, in constant memory, with SIMD kernels chosen "
    "at run time. Includes the C++ library and its CMake package.")
set(CPACK_RESOURCE_FILE_LICENSE ${CMAKE_SOURCE_DIR}/LICENSE)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# The library's users also need the headers and pkg-config files of what it
# links; the command does not, so they are only suggested.
set(CPACK_DEBIAN_PACKAGE_SUGGESTS
    "cmake, pkg-config, libhwy-dev, libtbb-dev, libisal-dev, libdeflate-dev, libhts-dev, libblosc-dev")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "bash-completion, man-db")
include(CPack)
