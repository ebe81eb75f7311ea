// SPDX-License-Identifier: MIT
// For the tests of the job-file parser: a job's fields, to compare.
#pragma once

#include "jobfile/job.hpp"

#include <tuple>

namespace fanout {

// JobSpec has no operator==; this compares (and prints) every field.
inline auto fields(const JobSpec& job)
{
  return std::tie(job.name, job.cmd, job.argv, job.cwd, job.env, job.timeout, job.grace);
}

} // namespace fanout
