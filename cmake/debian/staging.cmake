# SPDX-License-Identifier: MIT
# Run by CPack (CPACK_PRE_BUILD_SCRIPTS) in the staging folder of the Debian
# package, after the install rules: compresses the man page and writes
# /usr/share/doc/fanout, as Debian's policy asks of a package, and the
# package's lintian overrides.
set(root ${CPACK_TEMPORARY_DIRECTORY}${CPACK_PACKAGING_INSTALL_PREFIX})
if(NOT EXISTS ${root}/bin/fanout)
  message(FATAL_ERROR "staging.cmake: no ${root}/bin/fanout")
endif()
set(doc ${root}/share/doc/fanout)
file(GLOB examples ${CPACK_FANOUT_SOURCE_DIR}/jobfiles/*.toml)
set(readable OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ)
file(COPY ${examples} DESTINATION ${doc}/examples FILE_PERMISSIONS ${readable})
file(COPY ${CMAKE_CURRENT_LIST_DIR}/copyright DESTINATION ${doc} FILE_PERMISSIONS ${readable})
# Why usr/bin/fanout has no shared library: lintian reads the comment too.
file(MAKE_DIRECTORY ${root}/share/lintian/overrides)
file(COPY_FILE ${CMAKE_CURRENT_LIST_DIR}/lintian-overrides ${root}/share/lintian/overrides/fanout)

# gzip -n -9: no name or time stamp in the header, so the package is the same
# from one build to the next.
function(compress source destination)
  execute_process(COMMAND gzip -n -9 -c ${source} OUTPUT_FILE ${destination}
    RESULT_VARIABLE status)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "staging.cmake: gzip ${source} failed")
  endif()
endfunction()
compress(${CMAKE_CURRENT_LIST_DIR}/changelog ${doc}/changelog.gz)
compress(${root}/share/man/man1/fanout.1 ${root}/share/man/man1/fanout.1.gz)
file(REMOVE ${root}/share/man/man1/fanout.1)
