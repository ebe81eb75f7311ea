// SPDX-License-Identifier: MIT
#pragma once

#include "run/run_events.hpp"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace fanout {

// The results of a run's jobs, kept as they end, in memory that does not
// grow with the jobs that succeed: every result while the run has had at
// most `row_limit` jobs, and past that only the results of jobs that did
// not succeed, with a tally of all.
class ResultLog {
public:
  // How many jobs a summary lists one by one: about two screens. Past it, a
  // table of successes would hide the failures it is there to show, and the
  // counts say the rest.
  static constexpr std::size_t k_row_limit = 100;

  explicit ResultLog(std::size_t row_limit = k_row_limit);

  // The result of a job that ended for good. `position` is its place in the
  // job file; `seq` is its input's place in its group (0 for a job that is
  // not a member of a group).
  void add(JobResult result, JobId position, std::uint64_t seq = 0);

  // Moves the rows, in job-file order, and the tally into `report`.
  void fill(Report& report);

private:
  struct Row {
    JobId position;
    std::uint64_t seq;
    JobResult result;
  };

  std::size_t m_row_limit;
  std::vector<Row> m_rows;
  Tally m_tally;
};

} // namespace fanout
