// SPDX-License-Identifier: MIT
#pragma once

#include "fanout/job.hpp"
#include "fanout/outcome.hpp"

#include <chrono>
#include <string>
#include <vector>

namespace fanout {

using Seconds = std::chrono::duration<double>;

// One selected job's result.
struct JobResult {
  std::string name;
  Outcome outcome;
  Seconds elapsed{0}; // zero when it never started
};

// What a run did, in job-file order.
struct Report {
  std::vector<JobResult> results;
  Seconds elapsed{0};
  int interrupted_by = 0; // the signal that interrupted the run, or 0
};

enum class SummaryRows { all, failures_only };

// The summary DESIGN §3 shows: a header line starting "fanout: ", then one
// row per job (or per job that did not succeed), each line ending in '\n'.
// With `failures_only` and no failure, it is empty.
std::string format_summary(const Report& report, SummaryRows rows);

// fanout's exit code: 0 all ok, 1 any job not ok, 128+N when interrupted.
int exit_code_for(const Report& report);

} // namespace fanout
