// SPDX-License-Identifier: MIT
#pragma once

#include "jobfile/job.hpp"

#include <string>
#include <string_view>

namespace fanout {

// Parses and validates the job file `text`. `path` names the file in error
// messages; relative `cwd`s are resolved against its folder. Throws
// `fanout::Error` on the first problem, with a message in compiler form:
//
//   ci.toml:14:11: error: job "unit": timeout "5 minutes" is not a duration (try "5m")
//      14 | timeout = "5 minutes"
//         |           ^
JobFile parse_jobfile(std::string_view text, const std::string& path);

// Reads the file at `path` and parses it. Throws `fanout::Error` when it
// cannot be read (`ci.toml: error: cannot read the job file: No such file or
// directory`) or does not parse.
JobFile load_jobfile(const std::string& path);

} // namespace fanout
