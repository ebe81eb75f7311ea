# SPDX-License-Identifier: MIT
# `make package`: a Debian package of what `cmake --install` installs, under
# /usr, built by CPack. The documentation folder Debian asks for
# (/usr/share/doc/fanout: copyright, changelog, the example job files) and
# the compressed man page are made in the staging folder by
# debian/staging.cmake, so that a plain `cmake --install` is left as it is.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME fanout)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "fanout maintainers <maintainers@users.noreply.r-seed-84922ace.example>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "run the jobs of a TOML job file in parallel, output tagged")
# The long description: CPack puts the summary above it and indents it as
# Debian wants.
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION "fanout runs the jobs of a TOML job file (commands, or functions of a shared
library) on a bounded pool of processes or threads. Every line a job writes
is tagged with the job's name; timeouts end a job with SIGTERM, then SIGKILL
after a grace period; a summary of every job and an exit code close the run.

The package holds the fanout command, its man page, completions for bash,
zsh and fish, a JSON Schema of the job file for editors, the C header for
libraries of function jobs (with its CMake package and pkg-config file),
and example job files.")
set(CPACK_DEBIAN_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
# The dependencies are what dpkg-shlibdeps finds the binary linked with.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_FANOUT_SOURCE_DIR ${PROJECT_SOURCE_DIR})
set(CPACK_PRE_BUILD_SCRIPTS ${CMAKE_CURRENT_LIST_DIR}/debian/staging.cmake)
include(CPack)
