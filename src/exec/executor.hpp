// SPDX-License-Identifier: MIT
#pragma once

#include "exec/outcome.hpp"
#include "jobfile/job.hpp"
#include "output/stream.hpp"

#include <cstddef>
#include <functional>
#include <optional>
#include <string_view>

namespace fanout {

// What a worker of the pool is (fanout(1), POOLS): a job runs as a child process
// of fanout's event loop, or on a worker thread.
enum class Pool { process, thread };

// One attempt at a job, as the runner decided it: which job, in which slot,
// within which limits. `job` is borrowed until the attempt's `on_exit`: an
// attempt that cannot start yet may wait in the executor.
struct Attempt {
  JobId id = 0;
  const JobSpec* job = nullptr;
  std::size_t slot = 0; // 1 to -j; 0 for a daemon
  unsigned number = 1;  // 1 for the first attempt, 2 for the first retry, ...
  Duration timeout{0};  // zero: none
  Duration grace{0};    // between SIGTERM (or a stop request) and SIGKILL
  // The job's position in the job file, for what was prepared per job
  // there (function libraries): a group's member has its group's. Unset:
  // `id` is the position.
  std::optional<JobId> unit;

  JobId position() const { return unit.value_or(id); }
};

// Runs jobs and reports what they do. It never decides what runs next and
// never prints: callbacks carry everything to the runner, on its thread.
class Executor {
public:
  struct Callbacks {
    // A piece of the job's output, in order per stream.
    std::function<void(Stream, std::string_view)> on_output;
    // The job's stream reached its end.
    std::function<void(Stream)> on_close;
    // The job is over: its process ended and both streams are closed (after
    // `on_close` for each). Called exactly once; the job is forgotten then.
    std::function<void(Outcome)> on_exit;
  };

  virtual ~Executor() = default;

  // Starts `attempt`. A job that cannot start still ends through `on_exit`,
  // with status `error`, after a message on its stderr; one that lacks
  // descriptors, threads or processes may first wait for another job to
  // end and give some back.
  virtual void start(const Attempt& attempt, Callbacks callbacks) = 0;

  // Ends job `id` early, if it is still running: SIGTERM to its process
  // group (a function on a thread: its stop request), SIGKILL after its
  // grace. `why` is `cancelled` or `stopped`; the outcome's `stop` says what
  // ended it, with the job's limits.
  virtual void terminate(JobId id, Ending why) = 0;

  // Sends `signal` to every running job's process group; those jobs end as
  // `cancelled` unless they exit 0, as `terminate` says.
  virtual void cancel_all(int signal) = 0;

  // While `held`, the running jobs' output is not read: a job whose pipe is
  // full waits in its write (a function on a thread, once its output budget
  // is spent). Timers, signals and endings go on. For a console that cannot
  // keep up with its reader.
  virtual void hold_output(bool held) = 0;

  virtual std::size_t running_count() const = 0;
};

} // namespace fanout
