// SPDX-License-Identifier: MIT
// For the tests of the job-file parser: the message a job file gives.
#pragma once

#include "error.hpp"
#include "jobfile/jobfile.hpp"

#include <string>
#include <string_view>

namespace fanout {

// The error `text` gives as the job file `path`, or "(parsed)".
inline std::string error_for(std::string_view text, const std::string& path = "ci.toml")
{
  try {
    parse_jobfile(text, path);
  } catch (const Error& error) {
    return error.what();
  }
  return "(parsed)";
}

} // namespace fanout
