// SPDX-License-Identifier: MIT
#pragma once

#include "jobfile/job.hpp"
#include "exec/outcome.hpp"

#include <chrono>
#include <string>
#include <vector>

namespace fanout {

using Seconds = std::chrono::duration<double>;

// One selected job's result.
struct JobResult {
  std::string name;
  Outcome outcome;
  Seconds elapsed{0};    // from its first attempt's start to its end; zero when it never started
  unsigned attempts = 1; // more than one when it was retried
  // It does not count against the run: a failure with `allow_failure`, or a
  // daemon no job was left to need. A failure shows as "failed (allowed)".
  bool allowed = false;
};

// Whether `result` makes fanout's exit code 1: it did not succeed, is not a
// stopped daemon, and is not allowed.
bool fails_run(const JobResult& result);

// What a run did, in job-file order.
struct Report {
  std::vector<JobResult> results;
  Seconds elapsed{0};
  int interrupted_by = 0; // the signal that interrupted the run, or 0
};

enum class SummaryRows { all, failures_only };

// The summary DESIGN §3 shows: a header line starting "fanout: ", then one
// row per job (or per job that did not succeed, daemons stopped at the end
// aside), each line ending in '\n'. With `failures_only` and no such job, it
// is empty.
std::string format_summary(const Report& report, SummaryRows rows);

// fanout's exit code: 0 no job fails the run, 1 one does, 128+N when
// interrupted.
int exit_code_for(const Report& report);

} // namespace fanout
