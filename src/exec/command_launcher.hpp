// SPDX-License-Identifier: MIT
#pragma once

#include "exec/launch_plan.hpp"
#include "exec/launcher.hpp"

namespace fanout {

// The process pool's commands: each a child process that the event loop's
// thread spawns (spawn_job: own process group, stdin /dev/null, the job's
// pipes as stdout and stderr) and waits for through a pidfd; signalled
// through its process group.
class CommandLauncher : public GroupLauncher {
public:
  // Every job's environment starts from `base_env`, which must outlive it.
  explicit CommandLauncher(BaseEnvironment& base_env) : m_base_env(base_env) {}

  std::optional<SpawnFailure> start(const Attempt& attempt, JobWatch& watch) override;

private:
  BaseEnvironment& m_base_env;
};

} // namespace fanout
