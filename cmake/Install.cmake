# `cmake --install build --prefix P` (docs/FORMAT.md, "Installing"):
#
#   P/bin/hapmat                                the command
#   P/include/hapmat/*.hpp                      the public API
#   P/lib/libhapmat.a                           the library, every layer in one
#   P/lib/cmake/hapmat/                         find_package(hapmat CONFIG):
#                                               hapmat::hapmat
#   P/share/man/man1/hapmat*.1.gz               the man pages
#   P/share/bash-completion/completions/hapmat  bash completion
#   P/share/hapmat/{docs,workflows}             the documents, cluster recipes
#   P/share/doc/hapmat/                         README, CHANGELOG, LICENSE
#
# Every installed path is relative to P, so the tree may be moved.

include(CMakePackageConfigHelpers)

# The man pages and the completion, rendered from the command line at build
# time (src/cli/docs_main.cpp). The pages are installed compressed, as
# Debian's policy asks (gzip -9n: the same bytes at every build).
find_program(GZIP gzip REQUIRED)
set(HAPMAT_DOCS_DIR ${CMAKE_BINARY_DIR}/docs)
set(HAPMAT_MAN_PAGES hapmat.1 hapmat-convert.1 hapmat-simulate.1
                     hapmat-concat.1)
list(TRANSFORM HAPMAT_MAN_PAGES PREPEND ${HAPMAT_DOCS_DIR}/man1/)
set(HAPMAT_COMPRESSED_MAN_PAGES ${HAPMAT_MAN_PAGES})
list(TRANSFORM HAPMAT_COMPRESSED_MAN_PAGES APPEND .gz)
add_custom_command(
  OUTPUT ${HAPMAT_COMPRESSED_MAN_PAGES}
         ${HAPMAT_DOCS_DIR}/bash-completion/hapmat
  COMMAND hapmat_docs ${HAPMAT_DOCS_DIR}
  COMMAND ${GZIP} -9nf ${HAPMAT_MAN_PAGES}
  DEPENDS hapmat_docs
  COMMENT "Rendering the man pages and the bash completion")
add_custom_target(hapmat_rendered_docs ALL
                  DEPENDS ${HAPMAT_COMPRESSED_MAN_PAGES})

install(TARGETS hapmat RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(TARGETS hapmat_library EXPORT hapmatTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(DIRECTORY ${CMAKE_SOURCE_DIR}/include/hapmat
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(FILES ${CMAKE_BINARY_DIR}/generated/hapmat/version.hpp
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/hapmat)
install(FILES ${HAPMAT_COMPRESSED_MAN_PAGES}
        DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES ${HAPMAT_DOCS_DIR}/bash-completion/hapmat
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions)
install(DIRECTORY ${CMAKE_SOURCE_DIR}/docs ${CMAKE_SOURCE_DIR}/workflows
        DESTINATION ${CMAKE_INSTALL_DATADIR}/hapmat USE_SOURCE_PERMISSIONS)
install(FILES ${CMAKE_SOURCE_DIR}/README.md ${CMAKE_SOURCE_DIR}/CHANGELOG.md
              ${CMAKE_SOURCE_DIR}/LICENSE
        DESTINATION ${CMAKE_INSTALL_DOCDIR})
# Debian's name for it; it also names the notices of the code compiled in
# from dependencies' headers.
install(FILES ${CMAKE_SOURCE_DIR}/packaging/copyright
        DESTINATION ${CMAKE_INSTALL_DOCDIR})

set(HAPMAT_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/hapmat)
install(EXPORT hapmatTargets NAMESPACE hapmat::
        DESTINATION ${HAPMAT_CMAKE_DIR})
configure_package_config_file(cmake/hapmatConfig.cmake.in
  ${CMAKE_BINARY_DIR}/hapmatConfig.cmake INSTALL_DESTINATION ${HAPMAT_CMAKE_DIR})
# 0.x releases may break the API: only the same minor version is compatible.
write_basic_package_version_file(${CMAKE_BINARY_DIR}/hapmatConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_BINARY_DIR}/hapmatConfig.cmake
              ${CMAKE_BINARY_DIR}/hapmatConfigVersion.cmake
        DESTINATION ${HAPMAT_CMAKE_DIR})
