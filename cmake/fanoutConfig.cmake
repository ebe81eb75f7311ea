# SPDX-License-Identifier: MIT
# find_package(fanout): the target fanout::job, for libraries of function
# jobs. It carries the include directory of <fanout/job.h> and nothing else:
# a function library links nothing from fanout.
include("${CMAKE_CURRENT_LIST_DIR}/fanoutTargets.cmake")
