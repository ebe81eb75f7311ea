// SPDX-License-Identifier: MIT
#pragma once

#include "jobfile/job.hpp"

#include <string>
#include <vector>

namespace fanout {

// The jobs of `file` that `patterns` select (names or shell globs), with
// every job they need, directly or not, in file order; all jobs when
// `patterns` is empty. Throws `fanout::Error` naming a pattern that matches
// no job. A pattern that names members of a group ("gz:*.csv": the group's
// name, a colon, and a glob its members' names match) selects the group
// with only those members, as `GroupSpec::member_patterns` of `file` says.
std::vector<JobId> select_jobs(JobFile& file, const std::vector<std::string>& patterns);

// Marks in `chosen` (by JobId, one per job of `file`) every job a chosen
// job needs, transitively; each job is visited once.
void add_needs(const JobFile& file, std::vector<bool>& chosen);

} // namespace fanout
