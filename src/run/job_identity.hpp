// SPDX-License-Identifier: MIT
#pragma once

#include "inputs/template.hpp"
#include "jobfile/job.hpp"

#include <compare>
#include <cstdint>
#include <filesystem>
#include <string_view>

namespace fanout {

// A 64-bit hash that is the same on every machine and in every build, for
// what fanout keeps on disk. Each text is hashed with its length, so that
// ("ab", "c") and ("a", "bc") differ. Not a defence against someone who
// crafts collisions.
class StableHash {
public:
  StableHash& add(std::string_view text);
  StableHash& add(std::uint64_t number);

  // The hash of everything added so far.
  std::uint64_t value() const;

private:
  void mix(std::uint64_t word);

  std::uint64_t m_state = 0x6661'6e6f'7574'0001; // "fanout", version 1
  std::uint64_t m_words = 0;
};

// What --resume knows a job by (fanout(1), RESUMING): `key` stands for its
// name (a member's: its group's name and its input values), `content` for
// what it runs. 16 bytes, whatever the job.
struct JobIdentity {
  std::uint64_t key = 0;
  std::uint64_t content = 0;

  friend auto operator<=>(const JobIdentity&, const JobIdentity&) = default;
};

// The key of the job called `name`: a job's own, a group's for its members.
std::uint64_t name_key(std::string_view name);

// The identity of `job`, which is not a group: its name, and its `cmd`,
// `argv` or `call` (library, symbol, args), its env entries in order
// ([defaults]' and its own) and its cwd, the library and the cwd made
// absolute from `here`. Not what it inherits from fanout's environment,
// nor its position, timeout, retries or needs.
JobIdentity identity_of(const JobSpec& job, const std::filesystem::path& here);

// The identities of a group's members: the group's name and templates are
// hashed once, each member then adds its input values.
class MemberIdentity {
public:
  // `group` is a group; `numbered` says whether its command, env or cwd
  // names {#}, which then makes a member's position part of what it runs.
  // The slot ({%}) never is.
  MemberIdentity(const JobSpec& group, bool numbered, const std::filesystem::path& here);

  JobIdentity of(const InputValues& input) const;

private:
  std::uint64_t m_group_key;
  std::uint64_t m_content;
  bool m_numbered;
};

} // namespace fanout
