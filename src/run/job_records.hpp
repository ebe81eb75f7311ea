// SPDX-License-Identifier: MIT
#pragma once

#include "inputs/template.hpp"
#include "jobfile/job.hpp"
#include "run/run_events.hpp"

#include <chrono>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

namespace fanout {

// What a run knows of each job while it runs: the job file's jobs with a
// result each, and the members of groups, which exist only from their
// start to their end. A job is named by its id: its position in the job
// file, or for a member an id after them, never reused in the run.
class JobRecords {
public:
  using Clock = std::chrono::steady_clock;

  explicit JobRecords(std::vector<JobSpec> jobs);

  const std::vector<JobSpec>& jobs() const { return m_jobs; }
  bool is_member(JobId id) const { return id >= m_jobs.size(); }

  // A new member of `group` for `input`, its output tagged `label`; its job
  // is made by `remake` before it starts.
  JobId add_member(JobId group, InputValues input, std::string label);

  const JobSpec& spec(JobId id) const;
  JobResult& result(JobId id);
  const JobResult& result(JobId id) const;
  Clock::time_point& started(JobId id);
  JobEvent event(JobId id, std::size_t slot) const;

  // A member's group, its input, and its job (made again for a new slot).
  JobId group_of(JobId member) const { return m_members.at(member).group; }
  InputValues& input(JobId member) { return m_members.at(member).input; }
  void remake(JobId member, JobSpec job) { m_members.at(member).spec = std::move(job); }

  // The member's result, and the member forgotten.
  JobResult take_member(JobId member);

private:
  struct Member {
    JobId group;
    InputValues input;
    JobSpec spec;
    std::string label;
    JobResult result;
    Clock::time_point started;
  };

  std::vector<JobSpec> m_jobs;
  std::vector<JobResult> m_results;         // by job id: the job file's jobs
  std::vector<Clock::time_point> m_started; // by job id: its first attempt's start
  std::unordered_map<JobId, Member> m_members;
  JobId m_next_member;
};

} // namespace fanout
