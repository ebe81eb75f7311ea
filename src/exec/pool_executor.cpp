// SPDX-License-Identifier: MIT
#include "exec/pool_executor.hpp"

#include "exec/command_launcher.hpp"
#include "exec/fork_launcher.hpp"
#include "exec/thread_launcher.hpp"

#include <boost/asio/post.hpp>

#include <algorithm>
#include <cassert>
#include <csignal>

namespace fanout {

PoolExecutor::PoolExecutor(boost::asio::io_context& io, Pool pool, const FunctionTable& functions,
                           const JobserverShare& jobserver)
    : m_io(io), m_base_env(jobserver)
{
  if (pool == Pool::process) {
    m_launchers.push_back(std::make_unique<CommandLauncher>(m_base_env));
    m_launchers.push_back(std::make_unique<ForkLauncher>(m_base_env, functions));
    m_for_commands = m_launchers[0].get();
    m_for_functions = m_launchers[1].get();
  } else {
    auto threads = std::make_unique<ThreadLauncher>(io, m_base_env, functions);
    m_threads = threads.get();
    m_for_commands = m_for_functions = threads.get();
    m_launchers.push_back(std::move(threads));
  }
  m_for_console = m_for_commands;
}

PoolExecutor::PoolExecutor(boost::asio::io_context& io, Launcher& commands, Launcher& functions)
    : m_io(io), m_for_commands(&commands), m_for_functions(&functions), m_for_console(&commands)
{
}

// Jobs still running here (the run was abandoned on an error) are ended by
// their watches, which go first.
PoolExecutor::~PoolExecutor() = default;

void PoolExecutor::launch_commands_with(std::unique_ptr<Launcher> launcher)
{
  m_for_commands = launcher.get();
  m_launchers.push_back(std::move(launcher));
}

std::size_t PoolExecutor::abandoned_count() const
{
  return m_threads != nullptr ? m_threads->abandoned_count() : 0;
}

void PoolExecutor::start(const Attempt& attempt, Callbacks callbacks)
{
  if (auto failure = launch(attempt, callbacks)) {
    if (failure->is_shortage && can_wait(attempt.id)) {
      m_waiting.push_back({attempt, std::move(callbacks), std::move(*failure)});
    } else {
      fail(std::move(callbacks), std::move(*failure));
    }
  }
}

std::optional<SpawnFailure> PoolExecutor::launch(const Attempt& attempt, Callbacks& callbacks)
{
  Launcher& launcher = attempt.job->call           ? *m_for_functions
                       : attempt.job->is_console() ? *m_for_console
                                                   : *m_for_commands;
  auto watch =
    std::make_unique<JobWatch>(*this, ++m_serial, attempt, std::move(callbacks), launcher);
  const auto [entry, is_new] = m_watches.emplace(attempt.id, std::move(watch));
  assert(is_new); // an attempt starts once the job's last one has ended
  JobWatch& added = *entry->second;
  auto failure = launcher.start(attempt, added);
  if (failure) {
    callbacks = added.take_callbacks();
    m_watches.erase(attempt.id);
  }
  return failure;
}

bool PoolExecutor::can_wait(JobId id) const
{
  return std::any_of(m_watches.begin(), m_watches.end(), [id](const auto& entry) {
    return entry.first != id && !entry.second->attempt().job->life().daemon;
  });
}

void PoolExecutor::fail(Callbacks callbacks, SpawnFailure failure)
{
  // Reported from the event loop, never from inside start(), so the runner
  // sees every job end the same way.
  boost::asio::post(m_io, [failure = std::move(failure), callbacks = std::move(callbacks)] {
    callbacks.on_output(Stream::err, "fanout: " + failure.reason + "\n");
    callbacks.on_close(Stream::out);
    callbacks.on_close(Stream::err);
    callbacks.on_exit(failure_outcome(failure));
  });
}

bool PoolExecutor::defer(JobWatch& watch, const SpawnFailure& failure)
{
  const Attempt attempt = watch.attempt();
  if (!can_wait(attempt.id)) {
    return false;
  }
  m_waiting.push_back({attempt, watch.take_callbacks(), failure});
  m_watches.erase(attempt.id);
  return true;
}

void PoolExecutor::start_waiting()
{
  while (!m_waiting.empty()) {
    Waiting& next = m_waiting.front();
    auto failure = launch(next.attempt, next.callbacks);
    if (failure && failure->is_shortage && can_wait(next.attempt.id)) {
      next.failure = std::move(*failure);
      return;
    }
    Waiting taken = std::move(next);
    m_waiting.pop_front();
    if (failure) {
      fail(std::move(taken.callbacks), std::move(*failure));
    }
  }
}

void PoolExecutor::forget(JobWatch& watch, Outcome outcome)
{
  const auto node = m_watches.extract(watch.attempt().id);
  // What the job held is free again: the attempts waiting for it come
  // before whatever the runner starts next.
  start_waiting();
  node.mapped()->take_callbacks().on_exit(std::move(outcome));
}

void PoolExecutor::end_orphans_of(const JobWatch& watch) const
{
  std::vector<pid_t> job_processes;
  for (const auto& [id, running] : m_watches) {
    if (running->has_live_process()) {
      job_processes.push_back(running->pid());
    }
  }
  std::sort(job_processes.begin(), job_processes.end());
  const Attempt& attempt = watch.attempt();
  // FANOUT_JOB_INDEX is 1-based (LaunchPlan).
  m_subreaper.end_orphans_of({watch.pid(), attempt.id + 1, attempt.job->name}, job_processes);
}

void PoolExecutor::terminate(JobId id, Ending why)
{
  if (const auto it = m_watches.find(id); it != m_watches.end()) {
    it->second->end_early(why, SIGTERM);
    return;
  }
  const auto waiting = std::find_if(m_waiting.begin(), m_waiting.end(),
                                    [id](const Waiting& w) { return w.attempt.id == id; });
  if (waiting != m_waiting.end()) {
    Waiting taken = std::move(*waiting);
    m_waiting.erase(waiting);
    fail(std::move(taken.callbacks), std::move(taken.failure));
  }
}

void PoolExecutor::cancel_all(int signal)
{
  std::vector<JobId> ids;
  for (const auto& [id, watch] : m_watches) {
    ids.push_back(id);
  }
  for (const JobId id : ids) {
    // Ending one may abandon, and so forget, it: look each up again.
    if (const auto it = m_watches.find(id); it != m_watches.end()) {
      it->second->end_early(Ending::cancelled, signal);
    }
  }
  while (!m_waiting.empty()) {
    Waiting taken = std::move(m_waiting.front());
    m_waiting.pop_front();
    fail(std::move(taken.callbacks), std::move(taken.failure));
  }
}

void PoolExecutor::hold_output(bool held)
{
  m_output_held = held;
  if (!held) {
    for (const auto& [id, watch] : m_watches) {
      watch->resume_output();
    }
  }
}

} // namespace fanout
