// SPDX-License-Identifier: MIT
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace fanout {

// A job's position in its job file, 0-based. FANOUT_JOB_INDEX is `JobId + 1`.
using JobId = std::size_t;

using Duration = std::chrono::milliseconds;

// One job, as the job file describes it after `[defaults]` were applied.
// Exactly one of `cmd` and `argv` is non-empty.
struct JobSpec {
  std::string name;
  std::string cmd;               // run as `/bin/sh -c cmd`
  std::vector<std::string> argv; // program (looked up in PATH) and arguments
  std::string cwd;               // already resolved against the job file's folder
  // Added to fanout's own environment, in order; a later entry wins.
  std::vector<std::pair<std::string, std::string>> env;
  // Unset: inherit the command line's `--timeout`. Zero: no timeout.
  std::optional<Duration> timeout;
  // Unset: inherit the command line's `--grace`.
  std::optional<Duration> grace;
};

// A parsed job file. Job names are unique.
struct JobFile {
  std::string path; // as the user named it
  std::vector<JobSpec> jobs;

  // The job called `name`, if any.
  std::optional<JobId> find(std::string_view name) const;
};

} // namespace fanout
