// SPDX-License-Identifier: MIT
// For the tests of the job-file parser: a job's fields, to compare, and job
// files of many numbered jobs.
#pragma once

#include "jobfile/job.hpp"

#include <cstddef>
#include <string>
#include <tuple>

namespace fanout {

// JobSpec has no operator==; this compares (and prints) every field.
inline auto fields(const JobSpec& job)
{
  return std::tie(job.name, job.cmd, job.argv, job.cwd, job.env, job.timeout, job.grace);
}

// `count` jobs "j0", "j1", ..., each with the `needs` line `needs_of` gives.
template <class NeedsOf> inline std::string numbered_jobs(std::size_t count, NeedsOf needs_of)
{
  std::string text;
  for (std::size_t i = 0; i < count; ++i) {
    text += "[[job]]\nname = \"j" + std::to_string(i) + "\"\ncmd = \"true\"\n" + needs_of(i);
  }
  return text;
}

} // namespace fanout
