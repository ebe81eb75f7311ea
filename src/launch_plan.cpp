// SPDX-License-Identifier: MIT
#include "fanout/launch_plan.hpp"

namespace fanout {

namespace {

// The PATH a job gets when its environment has none, as execvp would use.
constexpr std::string_view k_default_path = "/usr/local/bin:/usr/bin:/bin";

std::string_view key_of(std::string_view entry)
{
  return entry.substr(0, entry.find('='));
}

} // namespace

LaunchPlan::LaunchPlan(const JobSpec& job, JobId id, std::size_t slot,
                       const std::vector<std::string>& base_env)
    : m_path(k_default_path)
{
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
    if (key_of(entry) == "PATH") {
      m_path = std::string_view(entry).substr(5);
    }
  };
  m_envp.reserve(base_env.size() + m_added.size() + 1);
  for (const std::string& entry : base_env) {
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

  if (!job.cmd.empty()) {
    m_argv = {"/bin/sh", "-c", job.cmd.c_str()};
  } else {
    for (const std::string& arg : job.argv) {
      m_argv.push_back(arg.c_str());
    }
  }
  m_argv.push_back(nullptr);
}

} // namespace fanout
