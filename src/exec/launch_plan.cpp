// SPDX-License-Identifier: MIT
#include "exec/launch_plan.hpp"

#include <utility>

namespace fanout {

namespace {

// The PATH a job gets when its environment has none, as execvp would use.
constexpr std::string_view k_default_path = "/usr/local/bin:/usr/bin:/bin";

std::string_view key_of(std::string_view entry)
{
  return entry.substr(0, entry.find('='));
}

} // namespace

LaunchPlan::LaunchPlan(const JobSpec& job, JobId id, std::size_t slot, BaseEnvironment base_env)
  : m_base_env(std::move(base_env)), m_cwd(job.cwd), m_path(k_default_path)
{
  const std::vector<std::string>& inherited = *m_base_env;
  m_added.reserve(job.env.size() + 3);
  for (const auto& [key, value] : job.env) {
    m_added.push_back(key + "=" + value);
  }
  m_added.push_back("FANOUT_JOB_NAME=" + job.name);
  m_added.push_back("FANOUT_JOB_INDEX=" + std::to_string(id + 1));
  m_added.push_back("FANOUT_SLOT=" + std::to_string(slot));

  auto is_overridden = [&](std::string_view key, std::size_t from) {
    for (std::size_t i = from; i < m_added.size(); ++i) {
      if (key_of(m_added[i]) == key) {
        return true;
      }
    }
    return false;
  };
  auto take = [&](const std::string& entry) {
    m_envp.push_back(entry.c_str());
    if (entry.starts_with("PATH=")) {
      m_path = std::string_view(entry).substr(5);
    }
  };
  m_envp.reserve(inherited.size() + m_added.size() + 1);
  for (const std::string& entry : inherited) {
    if (!is_overridden(key_of(entry), 0)) {
      take(entry);
    }
  }
  for (std::size_t i = 0; i < m_added.size(); ++i) {
    if (!is_overridden(key_of(m_added[i]), i + 1)) {
      take(m_added[i]);
    }
  }
  m_envp.push_back(nullptr);

  m_args = job.cmd.empty() ? job.argv : std::vector<std::string>{"/bin/sh", "-c", job.cmd};
  for (const std::string& arg : m_args) {
    m_argv.push_back(arg.c_str());
  }
  m_argv.push_back(nullptr);
}

} // namespace fanout
