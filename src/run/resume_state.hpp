// SPDX-License-Identifier: MIT
#pragma once

#include "run/job_identity.hpp"

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace fanout {

// What a run does with the state of earlier runs (fanout(1), RESUMING).
enum class ResumeMode {
  record,       // runs every job, and records how each ended
  resume,       // --resume: a job that succeeded before is done
  rerun_failed, // --rerun-failed: only the jobs that did not succeed run
};

// What the state knows of one job of the job file: for a group, of each of
// its members that ran. Identities are sorted, each in one list at most.
struct StateSection {
  // The job succeeded; a group: it read every input and no member it ran
  // failed.
  bool succeeded = false;
  std::vector<JobIdentity> ok;
  std::vector<JobIdentity> failed;

  // Whether `identity` succeeded.
  bool has_succeeded(const JobIdentity& identity) const;
  // Whether a job with `key` did not succeed, whatever it ran then.
  bool has_failed(std::uint64_t key) const;
  // Whether a job with `key` ran, whatever it ran then.
  bool knows(std::uint64_t key) const;
  // Sorts the lists and drops repeats; an identity in both stays a failure.
  void tidy();
};

// The results that earlier runs left, kept as 16 bytes per job or member
// (no names): a section per job of the job file, found by its name's key
// (`name_key`). Read and written as bytes; the file is the caller's.
class ResumeState {
public:
  // How `read` found the bytes.
  enum class Reading {
    read,
    foreign,         // not a state fanout wrote
    damaged,         // cut short or changed since fanout wrote it
    unknown_version, // written by a fanout that writes another format
  };

  explicit ResumeState(ResumeMode mode = ResumeMode::record) : m_mode(mode) {}

  ResumeMode mode() const { return m_mode; }

  // Takes the sections from `bytes` (none when `bytes` is empty). Anything
  // but `read` leaves the state empty.
  Reading read(std::string_view bytes);

  // The state as `read` takes it back, sections in a fixed order.
  std::string bytes() const;

  // The section of the job whose name has key `owner`, if there is one.
  const StateSection* section(std::uint64_t owner) const;

  // The job `owner` ended in this run: `newer` replaces what was known. A
  // section with a failure never counts as succeeded.
  void replace(std::uint64_t owner, StateSection newer);

  // Some of job `owner`'s members ended in this run: their identities
  // replace those with the same key, the others are kept.
  void update(std::uint64_t owner, StateSection newer);

  // Forgets the jobs whose keys are not among `owners`: jobs that are gone
  // from the job file, or renamed.
  void keep_only(std::span<const std::uint64_t> owners);

  bool empty() const { return m_sections.empty(); }

private:
  ResumeMode m_mode;
  std::unordered_map<std::uint64_t, StateSection> m_sections;
};

} // namespace fanout
