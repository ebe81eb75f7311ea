// SPDX-License-Identifier: MIT
// The lifecycle keys of a job: `needs`, `daemon`, `ready`, `retries`,
// `retry_delay`, `allow_failure` and `pool`. They are read with the rest of each job;
// `needs` names are kept until every job is known, then resolved and checked
// for cycles.
#pragma once

#include "jobfile/job.hpp"
#include "jobfile/job_names.hpp"
#include "jobfile/jobfile_pools.hpp"
#include "jobfile/jobfile_values.hpp"
#include "jobfile/toml.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fanout {

// Reads the lifecycle keys of one job after another, then resolves `needs`.
// Problems are reported through `values`, which the parser has set to the job
// being read; `resolve_needs` sets it to the job a problem is about.
class LifecycleReader {
public:
  // `pools` knows the pools a job may name.
  LifecycleReader(ValueReader& values, PoolReader& pools) : m_values(values), m_pools(pools) {}

  // Whether `key` is one of the keys this reader reads.
  static bool reads(std::string_view key);

  // Reads `key` = `node` (a key `reads` accepts) of the job being read.
  void read(const toml::key& key, const toml::node& node);

  // Ends the job `id` once all its keys are read: checks that they fit
  // together and returns what they set, null when they set nothing.
  // `group_key` is the key that makes the job a group ("for_each"), empty
  // for a single job: a group is no daemon. `command_key` says what the job
  // runs ("cmd", "argv" or "call"): a function is not in the console pool.
  std::shared_ptr<const Lifecycle> finish_job(JobId id, std::string_view group_key,
                                              std::string_view command_key);

  // Once every job is read: turns each `needs` name into its job's id in
  // `jobs`' lifecycles, in the order written, then checks that no needs form
  // a cycle; O(jobs + needs), without recursion. Frees the names it kept.
  void resolve_needs(const std::vector<JobSpec>& jobs, const JobNames& names);

private:
  // A `needs` key: its job, where it is in the file, and its names, which
  // are `m_need_names[first_name, next list's first_name)`.
  struct NeedsList {
    JobId job;
    SourcePoint key;
    std::uint32_t first_name;
    // The job's lifecycle, made by `finish_job`; `resolve_needs` fills in
    // its `needs`, which nothing reads before.
    Lifecycle* lifecycle;
  };
  // A name in a `needs` list: `m_name_bytes[previous end, end)`, and where it
  // is written in the file. Offsets fit in 32 bits, since a job file is at
  // most 64 MiB.
  struct NeedName {
    std::uint32_t end;
    SourcePoint where;
  };

  void read_needs(const toml::key& key, const toml::node& node);
  // Fills in each list's ids; the first unknown or repeated name is an error.
  void resolve_names(const std::vector<JobSpec>& jobs, const JobNames& names);
  // The `needs` key of the job `id`, which has one.
  SourcePoint needs_key_of(JobId id) const;

  ValueReader& m_values;
  PoolReader& m_pools;
  // The job being read: its lifecycle once it sets a key, where the keys are
  // that `finish_job` checks against each other, and its `needs`.
  std::optional<Lifecycle> m_job;
  std::optional<SourcePoint> m_daemon_key; // of `daemon = true`
  std::optional<SourcePoint> m_ready_key;
  std::optional<SourcePoint> m_retries_key;
  std::optional<SourcePoint> m_pool_key;
  std::optional<NeedsList> m_job_needs;
  // The `needs` of every job read so far, until `resolve_needs`.
  std::vector<NeedsList> m_needs_lists;
  std::vector<NeedName> m_need_names;
  std::string m_name_bytes;
};

} // namespace fanout
