// SPDX-License-Identifier: MIT
#pragma once

#include "run/group_run.hpp"
#include "run/job_identity.hpp"
#include "run/result_log.hpp"
#include "run/resume_state.hpp"
#include "run/run_events.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace fanout {

// What the state of earlier runs changes in a run, and what the run leaves
// in it (fanout(1), RESUMING): the runner asks before a job starts and
// before a group's member is made, and tells it how each job ended. Lives
// on the runner's thread. A job done in an earlier run runs again when a
// job it needs ran in this one (a daemon aside): what it did may have
// changed what the job would do.
class ResumeRun {
public:
  // `state` may be null: the run neither reads nor records one. `jobs`
  // (the job file's), `log`, `state` and `observers` must outlive this;
  // they hear of each job found done (RunObserver::job_done_earlier).
  ResumeRun(ResumeState* state, const std::vector<JobSpec>& jobs, ResultLog& log,
            const RunObservers& observers);

  // Job `id` may start now. With --resume or --rerun-failed, a job that
  // succeeded in an earlier run with what it runs now, and needs no job
  // that ran in this one, is done: its result, and it must not start.
  // Otherwise nothing: it runs (a daemon always does). Nothing for a
  // member, or for a job that has already run (a retry).
  std::optional<JobResult> done_earlier(JobId id);

  // The gate of group `group`'s members, for its GroupRun, once its needs
  // are met; empty without a state. A member found done is logged as such.
  MemberGate gate(JobId group);

  // A member of `group`, made for `input`, ended for good with `result`.
  void member_ended(JobId group, const InputValues& input, const JobResult& result);

  // Selected job `id` ended the run with `result`; a group `read_all` its
  // inputs or not. Records it in the state: a job that never started keeps
  // what the state knew of it, unless it was skipped because a job it
  // needs did not succeed.
  void ended(JobId id, const JobResult& result, bool read_all);

private:
  // What this run knows of a group that began.
  struct Group {
    std::uint64_t owner = 0;
    bool rerun_all = false; // a job it needs ran in this run
    std::optional<MemberIdentity> identity;
    StateSection recorded; // its members' ends in this run
  };

  // What becomes of the member of `group` for `input` (its gate).
  MemberVerdict verdict(JobId group, const InputValues& input, const MemberMaker& maker);
  // Whether a job that `job` needs started in this run.
  bool needs_one_that_ran(const JobSpec& job) const;
  // The result of a job found done, the observers told (`group` names a
  // member's group, or is empty).
  JobResult found_done(std::string name, std::string_view group) const;

  ResumeState* m_state;
  const std::vector<JobSpec>& m_jobs;
  ResultLog& m_log;
  const RunObservers& m_observers;
  std::filesystem::path m_here; // where relative paths start from
  std::vector<bool> m_ran;      // by job id: started in this run (daemons aside)
  std::unordered_map<JobId, Group> m_groups;
};

// The result of a job done in an earlier run: `ok`, no attempt in this one,
// its note "done in an earlier run".
JobResult done_earlier_result(std::string name);

} // namespace fanout
