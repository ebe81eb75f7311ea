// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <string_view>

namespace fanout {

// What became of a job (DESIGN §3, "Statuses").
enum class Status { ok, failed, killed, timeout, error, stopped, cancelled, skipped };

// Why a job's process ended, as far as fanout is concerned.
enum class Ending {
  natural,   // nobody at fanout signalled it
  timed_out, // fanout sent SIGTERM (and maybe SIGKILL) at its deadline
  cancelled, // fanout sent SIGTERM (and maybe SIGKILL): interrupt or --fail-fast
  stopped,   // fanout sent SIGTERM (and maybe SIGKILL) to a daemon no job needs any more
};

// A job's result. `code` is Python's `exitcode`: >= 0 the exit code,
// < 0 minus the signal that ended it; 127/126 for `error`; 0 for `skipped`.
// `note` explains it in the summary ("SIGTERM after 3s", "program not found").
struct Outcome {
  Status status = Status::skipped;
  int code = 0;
  std::string note;
};

// Decodes a raw `waitpid` status into Python's exit code convention:
// `exit 9` gives 9 and `kill -9` gives -9.
int decode_wait_status(int raw_status);

// The outcome of a process that ended with the raw `waitpid` status
// `raw_status`, for the given `ending`. A process that fanout timed out or
// cancelled but that still exited 0 is `ok`; a daemon it stopped is
// `stopped` however it ended; `killed` notes name the signal ("SIGSEGV").
Outcome outcome_of_exit(int raw_status, Ending ending);

// `ok`: the only status that lets dependants run and counts as success.
bool succeeded(const Outcome& outcome);

// "SIGTERM" for 15; "signal 77" for numbers without a name.
std::string signal_name(int signal);

// The word the summary uses: "ok", "failed", "timeout", ...
std::string_view status_name(Status status);

} // namespace fanout
