// SPDX-License-Identifier: MIT
#pragma once

#include "exec/functions.hpp"
#include "exec/job_watch.hpp"
#include "exec/launch_plan.hpp"
#include "exec/launcher.hpp"
#include "exec/loop_inbox.hpp"
#include "exec/worker_pool.hpp"

#include <boost/asio/io_context.hpp>

#include <functional>
#include <memory>
#include <vector>

namespace fanout {

// The thread pool: every job is a task for a worker thread (WorkerPool),
// which reports to the event loop through a LoopInbox.
//   command   the worker spawns the job's process (spawn_job) and waits for
//             its end without reaping it; the event loop reaps it. Signals
//             go to its process group.
//   function  the worker calls it, with streams that hand what it writes
//             straight to the event loop (no pipe), at most an output
//             budget ahead of it. SIGTERM is its stop request; SIGKILL
//             abandons it, since a thread cannot be killed.
class ThreadLauncher : public Launcher {
public:
  // Every command's environment starts from `base_env`; `functions` must
  // hold every call job that will start; both must outlive the launcher. Workers
  // report to `io`'s loop.
  ThreadLauncher(boost::asio::io_context& io, BaseEnvironment& base_env,
                 const FunctionTable& functions)
      : m_base_env(base_env), m_functions(functions), m_inbox(io)
  {
  }

  std::optional<SpawnFailure> start(const Attempt& attempt, JobWatch& watch) override;
  void signal(JobWatch& watch, int signal) override;

  // Function jobs abandoned on a thread that is still running them.
  std::size_t abandoned_count() const;

private:
  struct ThreadJob;
  struct Sender;

  std::optional<SpawnFailure> start_command(const Attempt& attempt, JobWatch& watch);
  std::optional<SpawnFailure> start_function(const Attempt& attempt, JobWatch& watch);
  // Hands `task` to a worker; a thread that cannot be made is a shortage.
  std::optional<SpawnFailure> submit(std::function<void()> task);
  // What a function job's worker does: call it, report its end.
  void run_function_job(Sender& sender, FunctionCall call);
  // What a command's worker does: spawn, wait, report.
  void run_command(const std::shared_ptr<ThreadJob>& job, WatchRef watch, const LaunchPlan& plan,
                   int out_fd, int err_fd);
  // Whether a worker's report is its job's last.
  enum class Report { more, last };
  // Hands `handler` to the event loop, to run with the job's watch if it is
  // still there. False, posting nothing, once the loop has let the job go.
  template <class Handler>
  bool report(ThreadJob& job, WatchRef watch, Report kind, Handler handler);
  static int send_output(void* context, Stream stream, std::string_view bytes);

  BaseEnvironment& m_base_env;
  const FunctionTable& m_functions;
  std::vector<std::shared_ptr<ThreadJob>> m_abandoned;
  LoopInbox m_inbox;    // what the worker threads report, on its way to the loop
  WorkerPool m_workers; // last: its threads may use everything above
};

} // namespace fanout
