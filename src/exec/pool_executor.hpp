// SPDX-License-Identifier: MIT
#pragma once

#include "exec/executor.hpp"
#include "exec/functions.hpp"
#include "exec/job_watch.hpp"
#include "exec/launch_plan.hpp"
#include "exec/launcher.hpp"
#include "exec/orphans.hpp"

#include <boost/asio/io_context.hpp>

#include <cstdint>
#include <deque>
#include <memory>
#include <unordered_map>
#include <vector>

namespace fanout {

class ThreadLauncher;

// Runs jobs in either pool (fanout(1), POOLS): it picks a launcher for each
// attempt, and keeps a JobWatch for each running job, which handles its
// output, timer and ending on the single event loop `io`, where every
// callback comes from.
//   process  a command is spawned (CommandLauncher), a function job forked
//            (ForkLauncher), by the event loop, which waits for the process
//            through its pidfd;
//   thread   a worker thread spawns and waits for a command's process, or
//            calls a function job, and posts its end to the event loop
//            (ThreadLauncher).
// An attempt that cannot start for a shortage (of descriptors, threads,
// processes or memory) waits while other jobs run, and is started again
// when the next of them ends; with no other job that can end, it ends
// `error` (code 126, "cannot start: ..."). fanout is a child subreaper while
// the executor lives (docs/orphans.md).
class PoolExecutor : public Executor {
public:
  // Takes fanout's environment (`environ`) as the base of every job's, with
  // what `jobserver` shares. `functions` must hold every call job that will start.
  PoolExecutor(boost::asio::io_context& io, Pool pool, const FunctionTable& functions,
               const JobserverShare& jobserver = {});
  // Starts commands with `commands` and function jobs with `functions`,
  // which must outlive the executor.
  PoolExecutor(boost::asio::io_context& io, Launcher& commands, Launcher& functions);
  ~PoolExecutor() override;
  PoolExecutor(const PoolExecutor&) = delete;
  PoolExecutor& operator=(const PoolExecutor&) = delete;

  void start(const Attempt& attempt, Callbacks callbacks) override;
  // An attempt still waiting to start ends now, `error` with its shortage.
  void terminate(JobId id, Ending why) override;
  // The attempts still waiting to start end now, `error` with their
  // shortage.
  void cancel_all(int signal) override;
  void hold_output(bool held) override;
  // The jobs watched and the attempts waiting to start.
  std::size_t running_count() const override { return m_watches.size() + m_waiting.size(); }

  // Starts commands with `launcher` from now on (over SSH), and keeps it
  // until the executor goes; a console job still starts here, with its
  // terminal. Before any job starts.
  void launch_commands_with(std::unique_ptr<Launcher> launcher);

  // Function jobs abandoned on a thread that is still running them.
  std::size_t abandoned_count() const;

  // Kills and reaps every child fanout still has (Subreaper::end_all), for
  // a run that ends without this executor's destructor (`_Exit`).
  void end_all_orphans() const { m_subreaper.end_all(); }

  // The watch of job `id` if it is still the one numbered `serial`, else
  // null (WatchRef).
  JobWatch* find(JobId id, std::uint64_t serial) const
  {
    const auto it = m_watches.find(id);
    return it != m_watches.end() && it->second->serial() == serial ? it->second.get() : nullptr;
  }

private:
  friend class JobWatch;

  // An attempt kept for a shortage, and the shortage.
  struct Waiting {
    Attempt attempt;
    Callbacks callbacks;
    SpawnFailure failure;
  };

  // Starts `attempt` with a new watch. If it cannot start, the watch is
  // dropped, `callbacks` are handed back, and the reason returned.
  std::optional<SpawnFailure> launch(const Attempt& attempt, Callbacks& callbacks);
  // Whether a job other than `id` runs that can end by itself (not a
  // daemon): one whose end can give back what a waiting attempt lacks.
  bool can_wait(JobId id) const;
  // Ends an attempt that did not start, from the event loop.
  void fail(Callbacks callbacks, SpawnFailure failure);
  // Keeps the attempt of `watch`, which did not start for `failure`, and
  // drops the watch; false (nothing done) when it cannot wait.
  bool defer(JobWatch& watch, const SpawnFailure& failure);
  // Starts the waiting attempts, oldest first, until one still cannot.
  void start_waiting();
  // Drops `watch`, whose job is over, and reports `outcome`.
  void forget(JobWatch& watch, Outcome outcome);
  // Subreaper::end_orphans_of for the job of `watch`.
  void end_orphans_of(const JobWatch& watch) const;

  // First: fanout adopts orphans before any job starts, and kills and reaps
  // those left after everything else has gone.
  Subreaper m_subreaper;
  boost::asio::io_context& m_io;
  BaseEnvironment m_base_env; // fanout's environment, for the launchers it makes
  std::vector<std::unique_ptr<Launcher>> m_launchers; // those it made
  Launcher* m_for_commands;
  Launcher* m_for_functions;
  Launcher* m_for_console; // here, whatever runs the other commands
  const ThreadLauncher* m_threads = nullptr;
  // After the launchers: a watch lets its job go before its launcher goes.
  std::unordered_map<JobId, std::unique_ptr<JobWatch>> m_watches;
  std::deque<Waiting> m_waiting;
  std::uint64_t m_serial = 0;
  bool m_output_held = false;
};

} // namespace fanout
