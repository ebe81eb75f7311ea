// SPDX-License-Identifier: MIT
#include "run/job_records.hpp"

namespace fanout {

JobRecords::JobRecords(std::vector<JobSpec> jobs)
    : m_jobs(std::move(jobs)), m_results(m_jobs.size()), m_started(m_jobs.size()),
      m_next_member(m_jobs.size())
{
  for (JobResult& result : m_results) {
    result.attempts = 0;
  }
}

JobId JobRecords::add_member(JobId group, InputValues input, std::string label)
{
  const JobId id = m_next_member++;
  Member member{group, std::move(input), {}, std::move(label), {}, {}};
  member.result.attempts = 0;
  m_members.emplace(id, std::move(member));
  return id;
}

const JobSpec& JobRecords::spec(JobId id) const
{
  return is_member(id) ? m_members.at(id).spec : m_jobs[id];
}

JobResult& JobRecords::result(JobId id)
{
  return is_member(id) ? m_members.at(id).result : m_results[id];
}

const JobResult& JobRecords::result(JobId id) const
{
  return is_member(id) ? m_members.at(id).result : m_results[id];
}

JobRecords::Clock::time_point& JobRecords::started(JobId id)
{
  return is_member(id) ? m_members.at(id).started : m_started[id];
}

JobEvent JobRecords::event(JobId id, std::size_t slot) const
{
  if (is_member(id)) {
    const Member& member = m_members.at(id);
    return JobEvent{id,   member.spec,  member.result.attempts,
                    slot, member.label, m_jobs[member.group].name};
  }
  return JobEvent{id, m_jobs[id], m_results[id].attempts, slot, m_jobs[id].name};
}

JobResult JobRecords::take_member(JobId member)
{
  auto node = m_members.extract(member);
  return std::move(node.mapped().result);
}

} // namespace fanout
