// SPDX-License-Identifier: MIT
#pragma once

#include "jobfile/job.hpp"

#include <chrono>
#include <cstddef>
#include <optional>

namespace fanout {

// What happens to the rest of a run when a job fails (fanout(1), JOB FILE).
enum class FailurePolicy {
  keep_going, // run everything that does not need the failed job
  fail_fast,  // start nothing more, cancel what runs
};

// How a run goes, whoever asked for it: the command line fills this in.
struct RunConfig {
  std::size_t max_parallel = 1;             // jobs at once, daemons aside; at least 1
  std::optional<Duration> timeout;          // for jobs that set none; unset or zero: none
  Duration grace = std::chrono::seconds(5); // for jobs that set none
  FailurePolicy failure = FailurePolicy::keep_going;
};

// A job's limits, decided once for the whole run.
struct JobLimits {
  Duration timeout{0}; // zero: none
  Duration grace{0};
};

// `job`'s own timeout and grace, else the run's.
JobLimits limits_of(const JobSpec& job, const RunConfig& config);

} // namespace fanout
