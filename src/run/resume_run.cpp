// SPDX-License-Identifier: MIT
#include "run/resume_run.hpp"

#include <algorithm>
#include <cassert>

namespace fanout {

namespace {

// Whether `result` counts as a success for the state: ok (a daemon stopped
// at the end too), not a failure that `allow_failure` let pass.
bool is_success(const JobResult& result)
{
  return !fails_run(result) && !is_allowed_failure(result);
}

} // namespace

JobResult done_earlier_result(std::string name)
{
  JobResult result{std::move(name), Outcome(Status::ok, 0), Seconds(0), 0, false};
  result.outcome.cause = Cause(Cause::Kind::earlier_run);
  return result;
}

ResumeRun::ResumeRun(ResumeState* state, const std::vector<JobSpec>& jobs, ResultLog& log,
                     const RunObservers& observers)
    : m_state(state), m_jobs(jobs), m_log(log), m_observers(observers), m_ran(jobs.size(), false)
{
  if (m_state) {
    // Without a current folder (removed), relative paths stay relative.
    std::error_code error;
    m_here = std::filesystem::current_path(error);
  }
}

JobResult ResumeRun::found_done(std::string name, std::string_view group) const
{
  JobResult result = done_earlier_result(std::move(name));
  for (RunObserver* observer : m_observers) {
    observer->job_done_earlier(group, result);
  }
  return result;
}

bool ResumeRun::needs_one_that_ran(const JobSpec& job) const
{
  const std::vector<JobId>& needs = job.life().needs;
  return std::any_of(needs.begin(), needs.end(), [this](JobId need) { return m_ran[need]; });
}

std::optional<JobResult> ResumeRun::done_earlier(JobId id)
{
  if (!m_state || id >= m_jobs.size() || m_ran[id]) {
    return std::nullopt;
  }
  const JobSpec& job = m_jobs[id];
  assert(!job.group);
  if (job.life().daemon) {
    return std::nullopt;
  }
  if (m_state->mode() != ResumeMode::record && !needs_one_that_ran(job)) {
    const StateSection* section = m_state->section(name_key(job.name));
    if (section && section->has_succeeded(identity_of(job, m_here))) {
      return found_done(job.name, {});
    }
  }
  m_ran[id] = true;
  return std::nullopt;
}

MemberGate ResumeRun::gate(JobId group)
{
  if (!m_state) {
    return {};
  }
  Group& known = m_groups[group];
  known.owner = name_key(m_jobs[group].name);
  known.rerun_all = needs_one_that_ran(m_jobs[group]);
  return [this, group](const InputValues& input, const MemberMaker& maker) {
    return verdict(group, input, maker);
  };
}

MemberVerdict ResumeRun::verdict(JobId group, const InputValues& input, const MemberMaker& maker)
{
  Group& known = m_groups.at(group);
  if (!known.identity) {
    known.identity.emplace(m_jobs[group], maker.is_numbered(), m_here);
  }
  const ResumeMode mode = m_state->mode();
  const StateSection* earlier = m_state->section(known.owner);
  if (mode != ResumeMode::record && !known.rerun_all && earlier) {
    const JobIdentity identity = known.identity->of(input);
    if (earlier->has_succeeded(identity)) {
      if (mode == ResumeMode::rerun_failed) {
        return MemberVerdict::left_out;
      }
      known.recorded.ok.push_back(identity);
      m_log.add(found_done(maker.name(input), m_jobs[group].name), group, input.seq);
      return MemberVerdict::done;
    }
    // --rerun-failed runs a member that failed, or one that the group never
    // ran when it did not succeed (an input it never reached); not one that
    // succeeded with what the group ran then.
    const bool failed =
      earlier->has_failed(identity.key) || (!earlier->succeeded && !earlier->knows(identity.key));
    if (mode == ResumeMode::rerun_failed && !failed) {
      return MemberVerdict::left_out;
    }
  }
  m_ran[group] = true;
  return MemberVerdict::run;
}

void ResumeRun::member_ended(JobId group, const InputValues& input, const JobResult& result)
{
  if (!m_state) {
    return;
  }
  Group& known = m_groups.at(group);
  (is_success(result) ? known.recorded.ok : known.recorded.failed)
    .push_back(known.identity->of(input));
}

void ResumeRun::ended(JobId id, const JobResult& result, bool read_all)
{
  if (!m_state) {
    return;
  }
  const JobSpec& job = m_jobs[id];
  const bool skipped = result.outcome.status == Status::skipped;
  const bool for_a_need = skipped && result.outcome.cause.kind == Cause::Kind::dependency;
  const std::uint64_t owner = name_key(job.name);
  const auto group = m_groups.find(id);
  if (!job.group) {
    if (skipped && !for_a_need) {
      return;
    }
    StateSection section;
    section.succeeded = is_success(result);
    (section.succeeded ? section.ok : section.failed).push_back(identity_of(job, m_here));
    m_state->replace(owner, std::move(section));
  } else if (group == m_groups.end()) {
    if (for_a_need) {
      m_state->update(owner, StateSection{}); // what its members did stays
    }
  } else {
    StateSection& recorded = group->second.recorded;
    recorded.succeeded = read_all;
    // A group that read every input and ran each replaces what was known
    // of it: members of inputs that are gone are forgotten.
    const bool whole =
      read_all && job.group->member_patterns.empty() && m_state->mode() != ResumeMode::rerun_failed;
    if (whole) {
      m_state->replace(owner, std::move(recorded));
    } else {
      m_state->update(owner, std::move(recorded));
    }
  }
}

} // namespace fanout
