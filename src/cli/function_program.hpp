// SPDX-License-Identifier: MIT
#pragma once

#include "jobfile/job.hpp"

#include <optional>
#include <string>
#include <vector>

namespace fanout {

// Whether any of the jobs `selected` of `file` is a function job (`call`),
// whose library a run would load.
bool calls_functions(const JobFile& file, const std::vector<JobId>& selected);

// Hands the run over to `program`, the same fanout linked with the shared C
// and C++ runtimes that function jobs' libraries need, by replacing this
// process with it: same process, same argv, same descriptors. `program` is
// looked for beside this executable, then in `folder` relative to it. The
// descriptor limit goes back to what fanout found. A job file that reading
// used up (`read_once_text`, from `load_jobfile`) is put back where it was
// read from, stdin or /dev/fd/N, for `program` to read again. Call it before
// the run changes anything (no lock taken, no job started, no thread). Throws
// fanout::Error when `program` is missing or cannot be run, or when the job
// file cannot be read again (a named pipe).
[[noreturn]] void hand_over_run(const char* program, const char* folder, char** argv,
                                const std::string& jobfile_path,
                                const std::optional<std::string>& read_once_text);

} // namespace fanout
