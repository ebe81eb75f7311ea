// SPDX-License-Identifier: MIT
#include "jobfile/selection.hpp"

#include "error.hpp"

#include <fnmatch.h>
#include <memory>
#include <optional>

namespace fanout {

namespace {

// The group whose members `pattern` names ("gz:*.csv" names some of gz's),
// if it names a group's members.
std::optional<JobId> group_named_by(const JobFile& file, const std::string& pattern)
{
  const auto colon = pattern.find(':');
  if (colon == std::string::npos) {
    return std::nullopt;
  }
  const auto id = file.find(std::string_view(pattern).substr(0, colon));
  return id && file.jobs[*id].group ? id : std::nullopt;
}

// Runs only the members of group `id` that `pattern` names, besides those
// other patterns name.
void select_members(JobSpec& group, const std::string& pattern)
{
  auto narrowed = std::make_shared<GroupSpec>(*group.group);
  narrowed->member_patterns.push_back(pattern);
  group.group = std::move(narrowed);
}

} // namespace

void add_needs(const JobFile& file, std::vector<bool>& chosen)
{
  std::vector<JobId> pending;
  for (JobId id = 0; id < file.jobs.size(); ++id) {
    if (chosen[id]) {
      pending.push_back(id);
    }
  }
  while (!pending.empty()) {
    const JobId id = pending.back();
    pending.pop_back();
    for (const JobId need : file.jobs[id].life().needs) {
      if (!chosen[need]) {
        chosen[need] = true;
        pending.push_back(need);
      }
    }
  }
}

std::vector<JobId> select_jobs(JobFile& file, const std::vector<std::string>& patterns)
{
  std::vector<bool> chosen(file.jobs.size(), patterns.empty());
  std::vector<bool> whole(file.jobs.size(), patterns.empty());
  for (const std::string& pattern : patterns) {
    bool matched = false;
    for (JobId id = 0; id < file.jobs.size(); ++id) {
      if (::fnmatch(pattern.c_str(), file.jobs[id].name.c_str(), 0) == 0) {
        chosen[id] = true;
        whole[id] = true;
        matched = true;
      }
    }
    if (const auto group = group_named_by(file, pattern); !matched && group) {
      chosen[*group] = true;
      select_members(file.jobs[*group], pattern);
      matched = true;
    }
    if (!matched) {
      throw Error("fanout: error: no job matches \"" + pattern + "\"");
    }
  }
  for (JobId id = 0; id < file.jobs.size(); ++id) {
    if (whole[id] && file.jobs[id].group && !file.jobs[id].group->member_patterns.empty()) {
      // Named as a whole too: every member runs.
      select_members(file.jobs[id], "*");
    }
  }
  if (!patterns.empty()) {
    add_needs(file, chosen);
  }
  std::vector<JobId> selected;
  for (JobId id = 0; id < file.jobs.size(); ++id) {
    if (chosen[id]) {
      selected.push_back(id);
    }
  }
  return selected;
}

} // namespace fanout
