// SPDX-License-Identifier: MIT
#pragma once

#include "exec/executor.hpp"
#include "exec/functions.hpp"
#include "exec/launch_plan.hpp"
#include "exec/loop_inbox.hpp"
#include "exec/orphans.hpp"
#include "exec/spawn.hpp"
#include "exec/worker_pool.hpp"

#include <boost/asio/io_context.hpp>

#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace fanout {

// Runs jobs in either pool of DESIGN §4. Whatever runs a job, its output
// (pipes, or for a function on a thread what it posts) and its timer are
// handled on the single event loop `io`, and every callback comes from there:
//   process  a command is spawned, a function job forked, by the event loop,
//            which also waits for the process through its pidfd;
//   thread   a worker thread spawns and waits for a command's process, or
//            calls a function job, and posts the end to the event loop.
// A job's process ending ends the job: what is left of its process group is
// killed, and so is what fanout adopted from the job (it is a child
// subreaper: docs/orphans.md), and its pipes are read to their end (or for
// at most a short drain time, if a process of no known job still holds them). A function job on
// a thread cannot be killed: past its timeout and grace it is abandoned.
class PoolExecutor : public Executor {
public:
  // Takes fanout's environment (`environ`) as the base of every job's.
  // `functions` must hold every call job that will start.
  PoolExecutor(boost::asio::io_context& io, Pool pool, const FunctionTable& functions);
  ~PoolExecutor() override;

  void start(const Attempt& attempt, Callbacks callbacks) override;
  void terminate(JobId id, Ending why) override;
  void cancel_all(int signal) override;
  void hold_output(bool held) override;
  std::size_t running_count() const override { return m_running.size(); }

  // Function jobs abandoned on a thread that is still running them.
  std::size_t abandoned_count() const;

  // Kills and reaps every child fanout still has (Subreaper::end_all), for
  // a run that ends without this executor's destructor (`_Exit`).
  void end_all_orphans() const { m_subreaper.end_all(); }

  struct ThreadJob;

private:
  struct RunningJob;

  RunningJob& add(const Attempt& attempt, Callbacks callbacks);
  // Arms the job's timeout, from now: once its process or function runs.
  void start_clock(RunningJob& job);
  RunningJob& watch(const Attempt& attempt, Callbacks callbacks, int out_fd, int err_fd);
  void start_process(const Attempt& attempt, Callbacks callbacks);
  void start_on_thread(const Attempt& attempt, Callbacks callbacks);
  RunningJob* find(JobId id, const ThreadJob* thread_job);
  void read(RunningJob& job, Stream stream);
  void grow(RunningJob& job, std::size_t stream_index);
  void close_stream(RunningJob& job, std::size_t stream_index);
  void on_spawned(RunningJob& job, pid_t pid);
  void on_spawn_failure(RunningJob& job, const SpawnFailure& failure);
  void wait_for_exit(RunningJob& job);
  void reap(RunningJob& job);
  void on_process_exit(RunningJob& job, int raw_status);
  void on_timer(JobId id, int phase);
  void arm_timer(RunningJob& job, Duration after);
  // Ends `job` for `why` with `signal`: SIGTERM arms its grace, SIGKILL is
  // at once. May abandon, and so forget, the job.
  void end_early(RunningJob& job, Ending why, int signal);
  static bool has_exited(const RunningJob& job);
  void signal_job(RunningJob& job, int signal);
  void abandon(RunningJob& job);
  void finish_if_done(RunningJob& job);
  void fail_to_start(SpawnFailure failure, Callbacks callbacks);

  // First: fanout adopts orphans before any job starts, and kills and reaps
  // those left after everything else has gone.
  Subreaper m_subreaper;
  boost::asio::io_context& m_io;
  Pool m_pool;
  const FunctionTable& m_functions;
  BaseEnvironment m_base_env;
  std::unordered_map<JobId, std::unique_ptr<RunningJob>> m_running;
  bool m_output_held = false;
  std::vector<std::shared_ptr<ThreadJob>> m_abandoned;
  LoopInbox m_inbox; // what the worker threads report, on its way to the loop
  WorkerPool m_workers; // last: its threads may use everything above
};

} // namespace fanout
