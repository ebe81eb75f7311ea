// SPDX-License-Identifier: MIT
#pragma once

#include "exec/outcome.hpp"
#include "jobfile/job.hpp"
#include "output/stream.hpp"

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace fanout {

using Seconds = std::chrono::duration<double>;

// One attempt at a job, as run events name it. `job` belongs to the runner
// and is valid during the call only.
struct JobEvent {
  JobId id = 0;
  const JobSpec& job;
  unsigned attempt = 1; // 1 for the first, 2 for the first retry, ...
  std::size_t slot = 0; // 1 to -j; 0 for a daemon
};

// One selected job's result, once it has ended for good.
struct JobResult {
  std::string name;
  Outcome outcome;
  Seconds elapsed{0};    // from its first attempt's start to its end; zero when it never started
  unsigned attempts = 1; // more than one when it was retried
  // It does not count against the run: a failure with `allow_failure`, or a
  // daemon no job was left to need. A failure shows as "failed (allowed)".
  bool allowed = false;
};

// Whether `result` makes fanout's exit code 1: it did not succeed, is not a
// stopped daemon, and is not allowed.
bool fails_run(const JobResult& result);

// What a run did, in job-file order.
struct Report {
  std::vector<JobResult> results;
  Seconds elapsed{0};
  int interrupted_by = 0; // the signal that interrupted the run, or 0
};

// What the runner tells the rest of the world: every observer hears every
// event, in the order they happen, on the event loop's thread. The runner
// formats no text; observers print, count and report. An observer must not
// call back into the runner.
class RunObserver {
public:
  virtual ~RunObserver() = default;

  // An attempt of a job started.
  virtual void job_started(const JobEvent&) {}

  // The next piece of a running attempt's output: any length, any bytes,
  // in order per stream.
  virtual void job_output(const JobEvent&, Stream, std::string_view) {}

  // A running attempt's stream reached its end: no more output on it.
  virtual void job_output_closed(const JobEvent&, Stream) {}

  // An attempt ended with `outcome` (the job's result so far, causes
  // included); `elapsed` counts from the job's first attempt.
  virtual void attempt_ended(const JobEvent&, const Outcome&, Seconds) {}

  // The attempt that just ended will be followed by attempt `attempt + 1`
  // of `attempts` in all, after `delay`.
  virtual void job_retrying(const JobEvent&, const Outcome&, Duration, unsigned) {}

  // A daemon was found ready: the jobs that need it may start.
  virtual void daemon_ready(const JobEvent&) {}

  // The run is over: every selected job's result, in job-file order.
  virtual void run_finished(const Report&) {}
};

// Every observer of a run, in the order they hear each event.
using RunObservers = std::vector<RunObserver*>;

} // namespace fanout
