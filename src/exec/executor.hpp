// SPDX-License-Identifier: MIT
#pragma once

#include "jobfile/job.hpp"
#include "exec/outcome.hpp"
#include "output/output.hpp"

#include <cstddef>
#include <functional>
#include <string_view>

namespace fanout {

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

  // Starts `job` (number `id`, in pool slot `slot`). `job.timeout` and
  // `job.grace` must be set. A job that cannot start still ends through
  // `on_exit`, with status `error`, after a message on its stderr.
  virtual void start(JobId id, const JobSpec& job, std::size_t slot, Callbacks callbacks) = 0;

  // Ends job `id` early, if it is still running: SIGTERM to its process
  // group (a function on a thread: its stop request), SIGKILL after its
  // grace. `why` is `cancelled` or `stopped`; the outcome's note says what
  // ended it: "SIGTERM", "SIGKILL" ("SIGKILL after 5s grace" when
  // stopped) or "stopped on request".
  virtual void terminate(JobId id, Ending why) = 0;

  // Sends `signal` to every running job's process group; those jobs end as
  // `cancelled` unless they exit 0, noted as `terminate` says.
  virtual void cancel_all(int signal) = 0;

  virtual std::size_t running_count() const = 0;
};

} // namespace fanout
