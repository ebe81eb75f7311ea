// SPDX-License-Identifier: MIT
#pragma once

#include "exec/outcome.hpp"
#include "jobfile/job.hpp"

#include <chrono>
#include <cstddef>
#include <optional>

namespace fanout {

class Jobserver;

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
  Jobserver* jobserver = nullptr; // make's or fanout's own; none: no tokens to take
};

// A job's limits, decided once for the whole run.
struct JobLimits {
  Duration timeout{0}; // zero: none
  Duration grace{0};
};

// `job`'s own timeout and grace, else the run's.
JobLimits limits_of(const JobSpec& job, const RunConfig& config);

// Whether an attempt that ended so may be tried again: failed, killed or
// timed out; `error` only when the launcher failed, not the job.
bool is_retryable(const Outcome& outcome);

// How long to wait before the next attempt after `attempts_made`:
// `retry_delay`, doubled for each further attempt.
Duration retry_delay(const Lifecycle& life, unsigned attempts_made);

} // namespace fanout
