// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <string_view>

namespace fanout {

// The name of the file in the --log-dir folder that holds attempt `attempt`
// (1 for the first) of job `job_name`: "build.log", "build.2.log" for its
// first retry. A pure function of its arguments, so every report names the
// same file. The name holds only [A-Za-z0-9._-], does not start with '.' or
// '-', and is at most 255 bytes: no name can reach outside the folder. A
// name that had to be changed or cut, and one that would read as another
// job's retry or as such a changed name ("v1.2", "build-0123abcd"), gets
// the hash of the job's name instead: "gz_1_a.csv-3f0c9a1e.log". So two
// jobs or two attempts never share a file, unless two changed names of the
// same run are cut to the same text and have the same 32-bit hash.
std::string log_file_name(std::string_view job_name, unsigned attempt);

} // namespace fanout
