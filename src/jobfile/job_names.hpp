// SPDX-License-Identifier: MIT
#pragma once

#include "jobfile/job.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace fanout {

// A job that took a name, and the line of the file where it did (for
// "duplicate name (first used at line N)").
struct TakenName {
  JobId id = 0;
  std::size_t line = 0;
};

// Every job's name, each taken once: what duplicates are checked against
// and `needs` resolved with. It holds job ids, not copies of the names,
// which it reads from `jobs`: that vector must outlive it and hold every
// job added, at the index it was added with. A big job file has tens of
// thousands of names, so it keeps 8 bytes a slot, in one array.
class JobNames {
public:
  explicit JobNames(const std::vector<JobSpec>& jobs) : m_jobs(jobs) {}

  // The job that took `name`, if one did.
  std::optional<TakenName> find(std::string_view name) const;

  // Takes the name of `jobs[id]`, named at `line`; no job may have taken it.
  void add(JobId id, std::size_t line);

private:
  // A job's id plus 1 (0: an empty slot), and its line. Ids and lines fit:
  // a job file is at most 64 MiB.
  struct Slot {
    std::uint32_t job = 0;
    std::uint32_t line = 0;
  };

  // The slot that holds `name`, or the empty one where it would go.
  std::size_t slot_of(std::string_view name) const;

  const std::vector<JobSpec>& m_jobs;
  // Open addressing with linear probing; the size is a power of two, and at
  // most three quarters of the slots are taken.
  std::vector<Slot> m_slots;
  std::size_t m_count = 0;
};

} // namespace fanout
