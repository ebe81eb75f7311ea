// SPDX-License-Identifier: MIT
#pragma once

#include "exec/executor.hpp"
#include "exec/spawn.hpp"
#include "jobfile/job.hpp"

#include <array>
#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fanout {

// fanout's environment merged with one job env list, all but FANOUT_*
// (defined in launch_plan.cpp).
struct MergedEnvironment;

// What every job gets of make's jobserver (fanout(1), ENVIRONMENT).
struct JobserverShare {
  std::optional<std::string> makeflags; // MAKEFLAGS instead of fanout's; none: fanout's as it is
  KeptFds fds = k_no_kept_fds;          // the jobserver pipe's descriptors, kept open in jobs
};

// fanout's environment, taken once: every job's starts from it. It keeps
// its merges with the env lists that jobs share (JobEnvironment), so that a
// list a thousand jobs share is merged once, not once per job. Safe to use
// from any thread.
class BaseEnvironment {
public:
  // Takes fanout's own environment (`environ`), with `jobserver`'s
  // MAKEFLAGS if it has one.
  explicit BaseEnvironment(const JobserverShare& jobserver = {});
  // Takes `inherited`, "KEY=value" entries in order (an entry may lack
  // '='), with `jobserver`'s MAKEFLAGS if it has one.
  explicit BaseEnvironment(std::vector<std::string> inherited,
                           const JobserverShare& jobserver = {});
  BaseEnvironment(const BaseEnvironment&) = delete;
  BaseEnvironment& operator=(const BaseEnvironment&) = delete;

  // This environment minus what `env` sets, plus what it sets, without
  // FANOUT_*: worked out in time linear in the two sizes when `env`'s list
  // is not among the few last asked for, else the same as last time. The
  // result stays valid after `env` and this object are gone.
  std::shared_ptr<const MergedEnvironment> merged_with(const JobEnvironment& env);

  // The folder fanout was in when this was made, which relative cwds are
  // taken from whatever happens later (a function job on a thread may
  // chdir() all of fanout); empty if it could not be found.
  const std::string& start_folder() const { return m_start_folder; }

  // The descriptors every job keeps open: the jobserver's.
  const KeptFds& kept_fds() const { return m_kept_fds; }

private:
  struct Merge {
    JobEnvironment env; // shares the list: no other can get its address meanwhile
    std::shared_ptr<const MergedEnvironment> merged;
  };

  std::shared_ptr<const std::vector<std::string>> m_inherited;
  std::string m_start_folder;
  KeptFds m_kept_fds;
  std::mutex m_mutex;
  std::vector<Merge> m_recent; // the last used first
};

// What a job's process is started with: its argv, its cwd, and its
// environment, which is `base_env` minus what the job sets, plus what it
// sets (a key set twice keeps its last value, in its last place), plus
// FANOUT_JOB_NAME, FANOUT_JOB_INDEX, FANOUT_SLOT and FANOUT_ATTEMPT, which win over the
// same names anywhere else; and the jobserver's descriptors it keeps open. It owns or shares
// everything it points to, so a worker thread can use it after the job it came from and `base_env`
// are gone; it cannot be copied or moved (its pointers point into itself): share it.
class LaunchPlan {
public:
  // For `attempt` of its job (`attempt.job` is not kept).
  LaunchPlan(const Attempt& attempt, BaseEnvironment& base_env);
  LaunchPlan(const LaunchPlan&) = delete;
  LaunchPlan& operator=(const LaunchPlan&) = delete;

  // A command's spawn request (not for function jobs); a console job's
  // runs on fanout's terminal, and does not use `out_fd` and `err_fd`.
  SpawnRequest request(int out_fd, int err_fd) const
  {
    return {m_argv.data(), m_envp.data(), m_path, m_folder.c_str(), m_cwd.c_str(), out_fd,
            err_fd,        m_kept_fds,    -1,     m_stdio};
  }

  // The job's cwd as the job file gave it, for messages.
  const std::string& cwd() const { return m_cwd; }

  // Where the job starts: its cwd, taken from the folder fanout started in
  // when it is relative.
  const std::string& folder() const { return m_folder; }

  // For a function job: the entries added to fanout's environment,
  // "KEY=value", to be set in this order: the job's `env`, then FANOUT_*.
  // Empty for a command, whose process gets request()'s environment.
  const std::vector<std::string>& added() const { return m_added; }

  // FANOUT_JOB_NAME, FANOUT_JOB_INDEX, FANOUT_SLOT and FANOUT_ATTEMPT, as
  // "KEY=value" entries.
  const std::array<std::string, 4>& fanout_variables() const { return m_fanout; }

private:
  LaunchPlan(const JobSpec& job, std::array<std::string, 4> fanout, BaseEnvironment& base_env);

  std::shared_ptr<const MergedEnvironment> m_env;
  std::array<std::string, 4> m_fanout; // FANOUT_JOB_NAME, _JOB_INDEX, _SLOT, _ATTEMPT
  std::vector<std::string> m_added;
  std::vector<std::string> m_args;
  SharedText m_cwd;
  std::string m_folder;
  std::vector<const char*> m_envp;
  std::vector<const char*> m_argv;
  std::string_view m_path; // the job's PATH
  KeptFds m_kept_fds;
  Stdio m_stdio = Stdio::pipes;
};

} // namespace fanout
