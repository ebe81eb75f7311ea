// SPDX-License-Identifier: MIT
#pragma once

#include "exec/functions.hpp"
#include "exec/launch_plan.hpp"
#include "exec/launcher.hpp"

namespace fanout {

// The process pool's function jobs: each a child forked from fanout
// (fork_function_job: set up as a command's process is, then the function
// called in it), waited for through a pidfd, signalled through its process
// group. An exception that ends the function leaves its message in a page
// shared with the child, for the job's outcome. Forks: only while fanout
// has no other thread.
class ForkLauncher : public GroupLauncher {
public:
  // Every job's environment starts from `base_env`; `functions` must hold
  // every call job that will start; both must outlive the launcher.
  ForkLauncher(BaseEnvironment& base_env, const FunctionTable& functions)
      : m_base_env(base_env), m_functions(functions)
  {
  }

  std::optional<SpawnFailure> start(const Attempt& attempt, JobWatch& watch) override;

private:
  BaseEnvironment& m_base_env;
  const FunctionTable& m_functions;
};

} // namespace fanout
