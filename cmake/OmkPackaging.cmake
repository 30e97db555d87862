# `make package`: a .deb and a .tar.gz (CPack) holding the binary, its man page and bash
# completion (generated from the CLI's own --help), README, LICENSE, docs/ and schemas/.
# scripts/audit-package checks what ends up inside.
find_package(Python3 COMPONENTS Interpreter REQUIRED)

set(OMK_CLI_DOCS_DIR ${PROJECT_BINARY_DIR}/cli-docs)
add_custom_command(
  OUTPUT ${OMK_CLI_DOCS_DIR}/omk.1 ${OMK_CLI_DOCS_DIR}/omk.bash
  COMMAND ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/scripts/gen-cli-docs $<TARGET_FILE:omk>
          ${OMK_CLI_DOCS_DIR}
  DEPENDS omk ${PROJECT_SOURCE_DIR}/scripts/gen-cli-docs
  COMMENT "Generating omk.1 and bash completion from --help")
add_custom_command(
  OUTPUT ${OMK_CLI_DOCS_DIR}/omk.1.gz
  COMMAND gzip -9 -n -c ${OMK_CLI_DOCS_DIR}/omk.1 > ${OMK_CLI_DOCS_DIR}/omk.1.gz
  DEPENDS ${OMK_CLI_DOCS_DIR}/omk.1)
add_custom_target(cli_docs ALL DEPENDS ${OMK_CLI_DOCS_DIR}/omk.1.gz ${OMK_CLI_DOCS_DIR}/omk.bash)

install(TARGETS omk RUNTIME DESTINATION bin)
install(FILES ${OMK_CLI_DOCS_DIR}/omk.1.gz DESTINATION share/man/man1)
install(FILES ${OMK_CLI_DOCS_DIR}/omk.bash DESTINATION share/bash-completion/completions
        RENAME omk)
install(FILES README.md LICENSE SECURITY.md DESTINATION share/doc/omk)
install(DIRECTORY docs/ DESTINATION share/doc/omk/docs)
install(DIRECTORY schemas/ DESTINATION share/omk/schemas FILES_MATCHING PATTERN "*.json")

set(CPACK_PACKAGE_NAME omk)
set(CPACK_PACKAGE_VENDOR "The omk authors")
set(CPACK_PACKAGE_CONTACT "omk maintainers <security@omk.invalid>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Control plane for AI coding agents: sandboxed, evidence-gated runs")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_RESOURCE_FILE_LICENSE ${PROJECT_SOURCE_DIR}/LICENSE)
set(CPACK_GENERATOR "DEB;TGZ")
# No CPACK_PACKAGING_INSTALL_PREFIX: each generator's default is right (/usr for the .deb, the
# top folder itself for the .tar.gz, so it unpacks to omk-<version>-linux-<arch>/bin/omk).
set(CPACK_STRIP_FILES TRUE)
set(CPACK_SOURCE_IGNORE_FILES "/build" "/\\\\.git/")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# omk opens libcurl itself on first use (src/core/lazy_curl.cc), so shlibdeps cannot see it.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libcurl4 (>= 7.88)")
# The .deb keeps Debian's own name (omk_<version>_<arch>.deb); this names the .tar.gz.
set(CPACK_PACKAGE_FILE_NAME "omk-${PROJECT_VERSION}-linux-${CMAKE_SYSTEM_PROCESSOR}")
include(CPack)
