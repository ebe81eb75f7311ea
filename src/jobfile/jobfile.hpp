// SPDX-License-Identifier: MIT
#pragma once

#include "jobfile/job.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace fanout {

// Where the relative paths of a job file (`cwd`, `call` libraries) are taken
// from: the job file's folder, or fanout's current folder, for a job file
// whose folder means nothing (a pipe, /dev/stdin, `<(...)`).
enum class PathBase { jobfile_folder, current_folder };

// Parses and validates the job file `text`. `path` names the file in error
// messages. Relative `cwd`s and `call` libraries are resolved against the
// folder `base` names, and stay relative when it is (the executor starts
// jobs from the folder fanout started in, wherever it is now). Throws
// `fanout::Error`
// on the first problem, with a message in compiler form:
//
//   ci.toml:14:11: error: job "unit": timeout "5 minutes" is not a duration (try "5m")
//      14 | timeout = "5 minutes"
//         |           ^
JobFile parse_jobfile(std::string_view text, const std::string& path,
                      PathBase base = PathBase::jobfile_folder);

// Reads the file at `path` and parses it; "-" reads fanout's stdin, which
// messages and `JobFile::path` call "<stdin>". Stdin, a job file that is not
// a regular file, and one reached through a file descriptor's link in /proc
// (as /dev/stdin and /dev/fd/N are) get `PathBase::current_folder`. Throws
// `fanout::Error` when it cannot be read (`ci.toml: error: cannot read the
// job file: No such file or directory`) or does not parse, and when a
// job file read from stdin has a group whose inputs are stdin's lines too.
// When reading used the job file up (stdin, a pipe) and `read_once_text` is
// given, the text read is copied there.
JobFile load_jobfile(const std::string& path, std::optional<std::string>* read_once_text = nullptr);

} // namespace fanout
