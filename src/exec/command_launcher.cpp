// SPDX-License-Identifier: MIT
#include "exec/command_launcher.hpp"

#include "exec/job_watch.hpp"

namespace fanout {

std::optional<SpawnFailure> CommandLauncher::start(const Attempt& attempt, JobWatch& watch)
{
  const LaunchPlan plan(attempt, m_base_env);
  return spawn_watched(watch, plan.request(-1, -1));
}

} // namespace fanout
