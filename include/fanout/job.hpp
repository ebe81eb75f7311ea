// SPDX-License-Identifier: MIT
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace fanout {

// A job's position in its job file, 0-based. FANOUT_JOB_INDEX is `JobId + 1`.
using JobId = std::size_t;

using Duration = std::chrono::milliseconds;

// A function job's target: `call = "lib/libseed.so:worker"`, `args = [...]`.
struct CallSpec {
  std::string library; // already resolved against the job file's folder
  std::string symbol;
  std::vector<std::string> args; // the function's argv, without a program name
};

// One job, as the job file describes it after `[defaults]` were applied.
// Exactly one of `cmd`, `argv` and `call` is set.
struct JobSpec {
  std::string name;
  std::string cmd;               // run as `/bin/sh -c cmd`
  std::vector<std::string> argv; // program (looked up in PATH) and arguments
  // Out of line: most jobs are commands, and the size of a JobSpec is most
  // of the memory a big job file takes.
  std::shared_ptr<const CallSpec> call;
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
