// SPDX-License-Identifier: MIT
#pragma once

#include "jobfile/job.hpp"
#include "exec/spawn.hpp"

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace fanout {

// fanout's environment, taken once: every job's starts from it.
using BaseEnvironment = std::shared_ptr<const std::vector<std::string>>;

// What a job's process is started with: its argv, its cwd, and its
// environment, which is `base_env` minus what the job sets, plus what it
// sets (a key set twice keeps its last value), plus FANOUT_JOB_NAME,
// FANOUT_JOB_INDEX and FANOUT_SLOT. It owns everything it points to, so a
// worker thread can use it after the job it came from is gone; it cannot be
// copied or moved (its pointers point into itself): share it.
class LaunchPlan {
public:
  LaunchPlan(const JobSpec& job, JobId id, std::size_t slot, BaseEnvironment base_env);
  LaunchPlan(const LaunchPlan&) = delete;
  LaunchPlan& operator=(const LaunchPlan&) = delete;

  // A command's spawn request (not for function jobs).
  SpawnRequest request(int out_fd, int err_fd) const
  {
    return {m_argv.data(), m_envp.data(), m_path, m_cwd.c_str(), out_fd, err_fd};
  }

  const std::string& cwd() const { return m_cwd; }

  // The entries added to fanout's environment, "KEY=value": the job's
  // `env`, then FANOUT_*.
  const std::vector<std::string>& added() const { return m_added; }

private:
  BaseEnvironment m_base_env;
  std::vector<std::string> m_added;
  std::vector<std::string> m_args;
  std::string m_cwd;
  std::vector<const char*> m_envp;
  std::vector<const char*> m_argv;
  std::string_view m_path; // the job's PATH
};

} // namespace fanout
