// SPDX-License-Identifier: MIT
#pragma once

#include "inputs/template.hpp"
#include "jobfile/job.hpp"

#include <optional>
#include <string>
#include <vector>

namespace fanout {

// Makes the jobs of a group (fanout(1), INPUTS): its templates are parsed
// once, then filled in per input.
class MemberMaker {
public:
  // `group` is a group (`group.group` is set) whose templates have no
  // problem; it must outlive the maker.
  explicit MemberMaker(const JobSpec& group);

  // The job for `input`: the group's job with every template filled in (in
  // `cmd`, each value quoted for /bin/sh), the values appended as its last
  // arguments when its command names none, and a name of its own:
  // "group:seq:input" for `for_each` and the command line, "group:v1:v2"
  // for a matrix, or the group's name template filled in.
  JobSpec make(const InputValues& input) const;

  // The name `make(input)` gives.
  std::string name(const InputValues& input) const;

  // Whether the jobs it makes depend on their input's position: {#} in
  // their command, args, env or cwd (their name aside).
  bool is_numbered() const;

  // Whether the member for `input` is selected (`member_patterns`).
  bool is_selected(const InputValues& input) const;

  // What `make(input)`'s output is tagged with: the input, escaped and cut,
  // after the group's name unless the group is the command line's.
  std::string label(const InputValues& input) const;

private:
  const JobSpec& m_group;
  PlaceholderSet m_placeholders;
  std::optional<Template> m_name;
  Template m_cmd;
  std::vector<Template> m_argv;
  std::vector<Template> m_args;
  std::vector<Template> m_env;
  std::optional<Template> m_cwd;
  bool m_appends = false; // the command names no value: they go last
};

} // namespace fanout
