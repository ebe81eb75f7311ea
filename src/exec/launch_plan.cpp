// SPDX-License-Identifier: MIT
#include "exec/launch_plan.hpp"

#include <algorithm>
#include <filesystem>
#include <unordered_set>
#include <utility>

extern char** environ;

namespace fanout {

struct MergedEnvironment {
  // What `envp` points into, with `added`.
  std::shared_ptr<const std::vector<std::string>> inherited;
  std::vector<std::string> added; // the list's entries, "KEY=value", in its order
  // The inherited entries whose key the list does not set, then the list's
  // that no later entry overrides; none named FANOUT_*; no null at the end.
  std::vector<const char*> envp;
  std::string_view path; // the last PATH in `envp`, or the default
};

namespace {

// The PATH a job gets when its environment has none, as execvp would use.
constexpr std::string_view k_default_path = "/usr/local/bin:/usr/bin:/bin";

// The variables fanout sets after the job's own: theirs never reach a job.
constexpr std::array<std::string_view, 4> k_fanout_keys = {"FANOUT_JOB_NAME", "FANOUT_JOB_INDEX",
                                                           "FANOUT_SLOT", "FANOUT_ATTEMPT"};

// How many lists' merges a BaseEnvironment keeps. A file's jobs share few
// lists ([defaults]' and the empty one); a job with an env of its own has a
// list of its own, whose merge would only take memory once it started.
constexpr std::size_t k_recent_merges = 8;

std::string_view key_of(std::string_view entry)
{
  return entry.substr(0, entry.find('='));
}

std::string entry_of(std::string_view key, std::string_view value)
{
  std::string entry;
  entry.reserve(key.size() + 1 + value.size());
  entry.append(key).append(1, '=').append(value);
  return entry;
}

// FANOUT_JOB_NAME, FANOUT_JOB_INDEX (1-based), FANOUT_SLOT and FANOUT_ATTEMPT
// (1 for the first attempt).
std::array<std::string, 4> fanout_entries(const Attempt& attempt)
{
  return {entry_of(k_fanout_keys[0], attempt.job->name),
          entry_of(k_fanout_keys[1], std::to_string(attempt.id + 1)),
          entry_of(k_fanout_keys[2], std::to_string(attempt.slot)),
          entry_of(k_fanout_keys[3], std::to_string(attempt.number))};
}

std::vector<std::string> environment_of_fanout()
{
  std::vector<std::string> entries;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    entries.emplace_back(*entry);
  }
  return entries;
}

// `inherited` with MAKEFLAGS set to `makeflags`, in its place, or last.
std::vector<std::string> with_makeflags(std::vector<std::string> inherited,
                                        const std::optional<std::string>& makeflags)
{
  if (!makeflags) {
    return inherited;
  }
  std::string entry = entry_of("MAKEFLAGS", *makeflags);
  const auto old = std::find_if(inherited.begin(), inherited.end(),
                                [](const std::string& e) { return key_of(e) == "MAKEFLAGS"; });
  if (old != inherited.end()) {
    *old = std::move(entry);
  } else {
    inherited.push_back(std::move(entry));
  }
  return inherited;
}

std::shared_ptr<const MergedEnvironment>
merge(std::shared_ptr<const std::vector<std::string>> inherited, const JobEnvironment::List& list)
{
  auto merged = std::make_shared<MergedEnvironment>();
  merged->inherited = std::move(inherited);
  std::vector<std::string>& added = merged->added;
  added.reserve(list.size());
  for (const auto& [key, value] : list) {
    added.push_back(entry_of(key, value));
  }
  // The names the job's entries override, and which of its entries win:
  // from the end, those whose name was not met yet, FANOUT_* names being met
  // first, as fanout sets them after the job's entries.
  std::unordered_set<std::string_view> keys(k_fanout_keys.begin(), k_fanout_keys.end());
  keys.reserve(added.size() + k_fanout_keys.size());
  std::vector<bool> wins(added.size());
  for (std::size_t i = added.size(); i-- > 0;) {
    wins[i] = keys.insert(key_of(added[i])).second;
  }

  merged->path = k_default_path;
  auto take = [&merged](const std::string& entry) {
    merged->envp.push_back(entry.c_str());
    if (entry.starts_with("PATH=")) {
      merged->path = std::string_view(entry).substr(5);
    }
  };
  merged->envp.reserve(merged->inherited->size() + added.size());
  for (const std::string& entry : *merged->inherited) {
    if (!keys.contains(key_of(entry))) {
      take(entry);
    }
  }
  for (std::size_t i = 0; i < added.size(); ++i) {
    if (wins[i]) {
      take(added[i]);
    }
  }
  return merged;
}

// `cwd` taken from `start`: "." is `start` itself, "sub" is `start`/sub.
std::string folder_of(const std::string& cwd, const std::string& start)
{
  if (cwd.starts_with('/') || start.empty()) {
    return cwd;
  }
  return cwd == "." ? start : start + "/" + cwd;
}

} // namespace

BaseEnvironment::BaseEnvironment(const JobserverShare& jobserver)
    : BaseEnvironment(environment_of_fanout(), jobserver)
{
}

BaseEnvironment::BaseEnvironment(std::vector<std::string> inherited,
                                 const JobserverShare& jobserver)
    : m_inherited(std::make_shared<const std::vector<std::string>>(
        with_makeflags(std::move(inherited), jobserver.makeflags))),
      m_kept_fds(jobserver.fds)
{
  std::error_code error;
  m_start_folder = std::filesystem::current_path(error).string();
}

std::shared_ptr<const MergedEnvironment> BaseEnvironment::merged_with(const JobEnvironment& env)
{
  const std::lock_guard lock(m_mutex);
  const auto known = std::find_if(m_recent.begin(), m_recent.end(), [&env](const Merge& cached) {
    return &cached.env.list() == &env.list();
  });
  if (known != m_recent.end()) {
    std::rotate(m_recent.begin(), known, known + 1);
    return m_recent.front().merged;
  }
  if (m_recent.size() == k_recent_merges) {
    m_recent.pop_back();
  }
  m_recent.insert(m_recent.begin(), Merge{env, merge(m_inherited, env.list())});
  return m_recent.front().merged;
}

LaunchPlan::LaunchPlan(const Attempt& attempt, BaseEnvironment& base_env)
    : LaunchPlan(*attempt.job, fanout_entries(attempt), base_env)
{
}

LaunchPlan::LaunchPlan(const JobSpec& job, std::array<std::string, 4> fanout,
                       BaseEnvironment& base_env)
    : m_env(base_env.merged_with(job.env)), m_fanout(std::move(fanout)), m_cwd(job.cwd),
      m_folder(folder_of(job.cwd, base_env.start_folder())), m_path(m_env->path),
      m_kept_fds(base_env.kept_fds()), m_stdio(job.is_console() ? Stdio::terminal : Stdio::pipes)
{
  if (job.call) {
    m_added.reserve(m_env->added.size() + m_fanout.size());
    m_added.insert(m_added.end(), m_env->added.begin(), m_env->added.end());
    m_added.insert(m_added.end(), m_fanout.begin(), m_fanout.end());
  }
  m_envp.reserve(m_env->envp.size() + m_fanout.size() + 1);
  m_envp.assign(m_env->envp.begin(), m_env->envp.end());
  for (const std::string& entry : m_fanout) {
    m_envp.push_back(entry.c_str());
  }
  m_envp.push_back(nullptr);

  m_args = job.cmd.empty() ? job.argv : std::vector<std::string>{"/bin/sh", "-c", job.cmd};
  for (const std::string& arg : m_args) {
    m_argv.push_back(arg.c_str());
  }
  m_argv.push_back(nullptr);
}

} // namespace fanout
