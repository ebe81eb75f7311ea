// SPDX-License-Identifier: MIT
#include "jobfile/selection.hpp"

#include "error.hpp"

#include <fnmatch.h>

namespace fanout {

namespace {

// Adds what the chosen jobs need, transitively; each job is visited once.
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

} // namespace

std::vector<JobId> select_jobs(const JobFile& file, const std::vector<std::string>& patterns)
{
  std::vector<bool> chosen(file.jobs.size(), patterns.empty());
  for (const std::string& pattern : patterns) {
    bool matched = false;
    for (JobId id = 0; id < file.jobs.size(); ++id) {
      if (::fnmatch(pattern.c_str(), file.jobs[id].name.c_str(), 0) == 0) {
        chosen[id] = true;
        matched = true;
      }
    }
    if (!matched) {
      throw Error("fanout: error: no job matches \"" + pattern + "\"");
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
