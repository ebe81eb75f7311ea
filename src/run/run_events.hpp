// SPDX-License-Identifier: MIT
#pragma once

#include "exec/outcome.hpp"
#include "jobfile/job.hpp"
#include "output/stream.hpp"

#include <array>
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
  JobId id = 0; // a job's position in the job file; a group's member gets one after them
  const JobSpec& job;
  unsigned attempt = 1; // 1 for the first, 2 for the first retry, ...
  std::size_t slot = 0; // 1 to -j; 0 for a daemon
  // What its output is tagged with: the job's name, or for a member of a
  // group the group's name and the input, shown escaped and cut.
  std::string_view label;
  std::string_view group = {}; // a member's group's name; empty for a job of the job file
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

// Whether `result` is a failure that `allow_failure` lets pass.
bool is_allowed_failure(const JobResult& result);

// How many jobs ended how: one count per status, allowed failures apart.
struct Tally {
  std::size_t jobs = 0;
  std::array<std::size_t, k_status_count> by_status{}; // allowed failures not included
  std::size_t allowed_failures = 0;
  std::size_t earlier = 0; // of the ok ones, those done in an earlier run (--resume)
  bool fails = false;      // a job fails the run

  void add(const JobResult& result);
};

// What a run did. `results` holds a row per job, in job-file order (a
// group's members in the order of their inputs), unless the run had more
// jobs than a summary lists: then only the jobs that did not succeed.
struct Report {
  std::vector<JobResult> results;
  Tally tally;              // every job, listed or not
  std::size_t unlisted = 0; // jobs that succeeded and have no row
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

  // A job that started has ended for good: its last attempt ended and no
  // retry follows. `result` is final. A job that never started hears no
  // such event: its row is in run_finished's Report (status skipped), or
  // it was done in an earlier run.
  virtual void job_finished(const JobEvent&, const JobResult&) {}

  // A selected job, or a member of group `group` (empty for a job of the
  // job file), was found done in an earlier run (--resume) and will not
  // start: `result` is its final row, ok with no attempt and the note
  // "done in an earlier run". It hears no other event, and it may not be
  // in run_finished's Report (a run with more jobs than a summary lists).
  virtual void job_done_earlier(std::string_view /*group*/, const JobResult&) {}

  // A daemon was found ready: the jobs that need it may start.
  virtual void daemon_ready(const JobEvent&) {}

  // Every job has ended and none will start: the event loop ends once the
  // handlers already queued have run, then run_finished follows. Told once.
  // An observer that keeps a timer on the loop cancels it here, or the run
  // would never end.
  virtual void all_jobs_ended() {}

  // The run is over: every selected job's result, in job-file order.
  virtual void run_finished(const Report&) {}
};

// Every observer of a run, in the order they hear each event.
using RunObservers = std::vector<RunObserver*>;

} // namespace fanout
