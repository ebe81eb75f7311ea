// SPDX-License-Identifier: MIT
#pragma once

#include "fanout/job.hpp"
#include "fanout/spawn.hpp"

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace fanout {

// What a job's process is started with: its argv, and its environment,
// which is fanout's (`base_env`) minus what the job sets, plus what it sets
// (a key set twice keeps its last value), plus FANOUT_JOB_NAME,
// FANOUT_JOB_INDEX and FANOUT_SLOT. It owns the entries it adds and points
// into `job` and `base_env`, which must outlive it; moving it keeps every
// pointer valid, so a worker thread can take it.
class LaunchPlan {
public:
  LaunchPlan(const JobSpec& job, JobId id, std::size_t slot,
             const std::vector<std::string>& base_env);

  // A command's spawn request (not for function jobs).
  SpawnRequest request(const char* cwd, int out_fd, int err_fd) const
  {
    return {m_argv.data(), m_envp.data(), m_path, cwd, out_fd, err_fd};
  }

  // The entries added to fanout's environment, "KEY=value": the job's
  // `env`, then FANOUT_*.
  const std::vector<std::string>& added() const { return m_added; }

private:
  std::vector<std::string> m_added;
  std::vector<const char*> m_envp;
  std::vector<const char*> m_argv;
  std::string_view m_path; // the job's PATH
};

} // namespace fanout
