// SPDX-License-Identifier: MIT
#pragma once

#include <span>
#include <string_view>

namespace fanout {

// The keys of the job file's top level.
inline constexpr std::string_view k_top_level_keys[] = {"defaults", "pools", "job", "hosts"};
// The keys of [defaults].
inline constexpr std::string_view k_default_keys[] = {"timeout", "grace", "env", "cwd"};
// Every key a job may set: an unknown key gets the closest suggested, and
// "cmd and argv are both set" names its keys in this order.
inline constexpr std::string_view k_job_keys[] = {
  "name",    "cmd",         "argv",          "cwd",      "env",    "timeout",
  "grace",   "call",        "args",          "daemon",   "ready",  "needs",
  "retries", "retry_delay", "allow_failure", "for_each", "matrix", "pool"};
// The keys of a job's `ready` table.
inline constexpr std::string_view k_ready_keys[] = {"log", "tcp", "timeout"};
// The keys of a job's `for_each` table: its input sources.
inline constexpr std::string_view k_source_keys[] = {"glob", "lines", "values", "range"};

// A table of the job file whose keys are fixed, and those keys: any other
// key in it is an error.
struct KnownKeys {
  std::string_view table; // "" for the top level, else as "job.ready"
  std::span<const std::string_view> keys;
};

// Every table of the job file whose keys are fixed, as the parser reads
// them; the tables whose keys are names ([pools], [hosts], env, matrix)
// are not among them.
inline constexpr KnownKeys k_known_keys[] = {{"", k_top_level_keys},
                                             {"defaults", k_default_keys},
                                             {"job", k_job_keys},
                                             {"job.ready", k_ready_keys},
                                             {"job.for_each", k_source_keys}};

} // namespace fanout
