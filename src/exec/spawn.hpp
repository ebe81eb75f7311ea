// SPDX-License-Identifier: MIT
#pragma once

#include "exec/functions.hpp"
#include "exec/outcome.hpp"

#include <array>
#include <span>
#include <string>
#include <string_view>
#include <sys/types.h>
#include <variant>
#include <vector>

namespace fanout {

// Why a job could not be started. `code` is what the summary shows: 127
// when the program or the cwd does not exist, 126 when it cannot run.
struct SpawnFailure {
  int code;
  std::string reason; // "program not found: foo", "cwd \"x\": No such file or directory"
  // Descriptors, threads, processes or memory ran out: the same job may
  // start once another job has ended and given some back.
  bool is_shortage = false;
  // The launcher failed, not the job (ssh could not reach its host): another
  // attempt may succeed.
  bool is_launcher_error = false;
};

// A job that could not start because `what` failed with `error`: code 126,
// "cannot start: <what>: <strerror>", a shortage when `error` is EMFILE,
// ENFILE, EAGAIN or ENOMEM.
SpawnFailure cannot_start(std::string_view what, int error);

// A program that could not be exec'd for `error` (an errno): code 127,
// "program not found: foo", for ENOENT; else 126, "cannot run \"foo\": ...".
SpawnFailure exec_failure(std::string_view program, int error);

// The `error` outcome of a job that could not start for `failure`.
inline Outcome failure_outcome(const SpawnFailure& failure)
{
  Outcome outcome(Status::error, failure.code);
  outcome.message = failure.reason;
  outcome.is_launcher_error = failure.is_launcher_error;
  return outcome;
}

// Descriptors a job's process keeps, at the same numbers (make's jobserver
// pipe); -1 for none.
using KeptFds = std::array<int, 2>;
constexpr KeptFds k_no_kept_fds{-1, -1};

// Where a job's stdin, stdout and stderr are.
enum class Stdio {
  pipes,    // stdin /dev/null, stdout and stderr the request's `out_fd` and `err_fd`
  terminal, // fanout's own 0, 1 and 2 (a console job); the terminal's foreground
            // too, for the job's process group, when fanout has it
};

// What a job's process is started with. Pointers are borrowed for the call.
struct SpawnRequest {
  const char* const* argv; // argv[0] is looked up in `path` unless it holds a '/'
  const char* const* envp;
  std::string_view path; // the job's PATH
  const char* folder;    // where the process starts (and relative PATH entries are taken from)
  const char* cwd;       // the same as the job file gave it, for messages
  int out_fd;            // becomes the child's stdout; not 0, 1 or 2
  int err_fd;            // becomes the child's stderr; not 0, 1 or 2
  KeptFds kept = k_no_kept_fds; // kept open in the child; above 2
  int in_fd = -1;               // becomes the child's stdin; not 0, 1 or 2; -1: /dev/null
  // With `terminal`, `in_fd`, `out_fd` and `err_fd` are not used.
  Stdio stdio = Stdio::pipes;
};

// Starts a job's process: in its own process group, stdin from /dev/null
// (or `in_fd`), `out_fd`/`err_fd` as stdout/stderr (or as `stdio` says),
// `kept` open and no other descriptor of ours, the
// signal mask empty and every signal at its default action, and SIGKILL as
// its parent-death signal (PR_SET_PDEATHSIG), so that it dies with fanout,
// even a fanout killed by SIGKILL. That signal comes when the *thread* that
// started it ends: the calling thread must outlive the process (the event
// loop's thread does; a worker thread waits for its process). Returns the
// pid once the program has been exec'd, or why it could not be. Safe to
// call from any thread.
std::variant<pid_t, SpawnFailure> spawn_job(const SpawnRequest& request);

// What a function job's process is started with (the process pool).
struct ForkRequest {
  FunctionCall call; // its `out`, `err` and `stop` are the child's own; leave them null
  const char* cwd;
  const std::vector<std::string>* env; // "KEY=value" entries added to ours
  int out_fd;
  int err_fd;
  std::span<char> note; // shared memory that gets an escaping exception's message
};

// Starts a function job's process: a child forked from fanout, set up as
// spawn_job sets up a command's (parent-death signal included), that runs
// the function and leaves with `_exit(its exit code)`. Only from a process with one thread, since
// fork() copies the calling thread alone; and a missing `cwd` must be checked first.
std::variant<pid_t, SpawnFailure> fork_function_job(const ForkRequest& request);

} // namespace fanout
