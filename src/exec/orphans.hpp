// SPDX-License-Identifier: MIT
// The processes fanout adopts from its jobs, and how they end
// (docs/orphans.md).
#pragma once

#include <cstddef>
#include <dirent.h>
#include <span>
#include <string_view>
#include <sys/types.h>
#include <vector>

namespace fanout {

// What tells a job's processes apart once fanout has adopted them.
struct JobTraces {
  pid_t group;           // the job's process group: its own process's pid
  std::size_t index;     // the FANOUT_JOB_INDEX its processes were given
  std::string_view name; // the FANOUT_JOB_NAME they were given
};

// While it lives, fanout is a child subreaper (PR_SET_CHILD_SUBREAPER): a
// descendant whose parent dies (a double fork, a `setsid` child of a job
// that ended) becomes fanout's child rather than init's, so it stays within
// reach. An adopted process belongs to job J when it is in J's process
// group, or in a process group or session that an adopted process of J
// created, or when the environment it was started with holds J's
// FANOUT_JOB_INDEX and FANOUT_JOB_NAME. Only ever waits for a pid of its
// own choosing, never for any child: a job's own process is its waiter's.
class Subreaper {
public:
  Subreaper();
  // The end of the run: end_all().
  ~Subreaper();
  Subreaper(const Subreaper&) = delete;
  Subreaper& operator=(const Subreaper&) = delete;

  // Kills, with SIGKILL to it and to the process group it leads, and reaps
  // every child of fanout that belongs to `job`, round after round, since
  // each death can hand fanout the children of the dead. `job_processes`,
  // sorted, are the jobs' own processes: never touched, their waiters reap
  // them. Call it once `job` has ended and its group was sent SIGKILL.
  // Blocks until each has died. Without orphans it reads only fanout's
  // list of children.
  void end_orphans_of(const JobTraces& job, std::span<const pid_t> job_processes) const;

  // Kills and reaps every child fanout still has, those of no job included
  // (their environment was cleared and they left their job's group). Blocks
  // until each has died. For the end of the run, once every job has ended.
  void end_all() const;

private:
  // A thread of fanout's and its list of children in /proc, kept open.
  struct ThreadList {
    pid_t tid = 0;
    int fd = -1;
  };

  static constexpr std::size_t k_kept_lists = 4;

  std::vector<pid_t> children() const;
  void close_lists() const;

  DIR* m_tasks; // /proc/self/task, or null if it cannot be read
  mutable std::vector<ThreadList> m_lists;
};

} // namespace fanout
