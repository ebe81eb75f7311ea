// SPDX-License-Identifier: MIT
#include "exec/command_launcher.hpp"

#include "exec/job_watch.hpp"

namespace fanout {

std::optional<SpawnFailure> CommandLauncher::start(const Attempt& attempt, JobWatch& watch)
{
  const LaunchPlan plan(attempt, m_base_env);
  auto made = make_job_pipes();
  if (auto* failure = std::get_if<SpawnFailure>(&made)) {
    return std::move(*failure);
  }
  JobPipes& pipes = std::get<JobPipes>(made);
  auto spawned = spawn_job(plan.request(pipes.out[1], pipes.err[1]));
  pipes.close_write_ends();
  if (auto* failure = std::get_if<SpawnFailure>(&spawned)) {
    pipes.close_read_ends();
    return std::move(*failure);
  }
  return watch_child(watch, std::get<pid_t>(spawned), pipes);
}

} // namespace fanout
