// SPDX-License-Identifier: MIT
#pragma once

#include "jobfile/job.hpp"

#include <string>
#include <string_view>
#include <utility>

namespace fanout {

// What became of a job (fanout(1), SUMMARY AND STATUSES).
enum class Status { ok, failed, killed, timeout, error, stopped, cancelled, skipped };
constexpr std::size_t k_status_count = 8;

// Why a job's process ended, as far as fanout is concerned.
enum class Ending {
  natural,   // nobody at fanout signalled it
  timed_out, // fanout sent SIGTERM (and maybe SIGKILL) at its deadline
  cancelled, // fanout sent SIGTERM (and maybe SIGKILL): interrupt or --fail-fast
  stopped,   // fanout sent SIGTERM (and maybe SIGKILL) to a daemon no job needs any more
};

// How fanout brought a job's process or function to its end, when it did.
enum class Stop {
  none,      // fanout sent it nothing
  term,      // SIGTERM to its process group (the job ended within its grace)
  kill,      // SIGKILL: after its grace, or at once on a second interrupt
  request,   // a function on a thread was asked to stop, and returned
  abandoned, // a function on a thread still running after its grace: left behind
};

// Why the runner ended a job early, never started it, or judged its end: the
// other job or the run's event behind it. Data only; the words are the
// report's (report/outcome_text.hpp).
struct Cause {
  enum class Kind {
    none,
    interrupt,    // fanout was interrupted (SIGINT, SIGTERM, ...)
    fail_fast,    // `job` did not succeed, and --fail-fast stopped the run
    dependency,   // `job`, which this one needs, did not succeed
    unneeded,     // a daemon no job was left to need
    not_ready,    // a daemon not ready within `after`, its ready timeout
    before_ready, // a daemon that ended before it was ready
    earlier_run,  // not started: it succeeded in an earlier run (--resume)
  };
  Cause(Kind why = Kind::none, std::string other = {}, Status other_status = Status::ok,
        Duration timeout = Duration::zero())
      : kind(why), job(std::move(other)), job_status(other_status), after(timeout)
  {
  }

  Kind kind;
  std::string job;   // fail_fast, dependency: that job's name
  Status job_status; // and its status
  Duration after;    // not_ready: the ready timeout
};

// A job's result, as data. `code` is Python's `exitcode`: >= 0 the exit
// code, < 0 minus the signal that ended it; 127/126 for `error`. A job that
// never started (`skipped`) or was abandoned on a thread has none: see
// has_code().
struct Outcome {
  Outcome(Status how = Status::skipped, int exit_code = 0) : status(how), code(exit_code) {}

  Status status;
  int code;
  Stop stop = Stop::none;
  Duration timeout{0}; // the job's limits when fanout stopped it: its timeout
  Duration grace{0};   // and its grace
  // The job's own words: the message of an exception that ended a function,
  // or why it could not start ("program not found: foo").
  std::string message;
  Cause cause;
  // `error` because the launcher failed, not the job (ssh could not reach
  // its host): another attempt may succeed.
  bool is_launcher_error = false;
};

// Whether `outcome` carries an exit code: not for a job that never started
// or a function abandoned on its thread.
bool has_code(const Outcome& outcome);

// Decodes a raw `waitpid` status into Python's exit code convention:
// `exit 9` gives 9 and `kill -9` gives -9.
int decode_wait_status(int raw_status);

// The status and code of a process that ended with the raw `waitpid` status
// `raw_status`, for the given `ending`. A process that fanout timed out or
// cancelled but that still exited 0 is `ok`; a daemon it stopped is
// `stopped` however it ended.
Outcome outcome_of_exit(int raw_status, Ending ending);

// `ok`: the only status that lets dependants run and counts as success.
bool succeeded(const Outcome& outcome);

// "SIGTERM" for 15; "signal 77" for numbers without a name.
std::string signal_name(int signal);

// The word the summary uses: "ok", "failed", "timeout", ...
std::string_view status_name(Status status);

} // namespace fanout
