// SPDX-License-Identifier: MIT
#include "inputs/member_maker.hpp"

#include "inputs/input_text.hpp"
#include "inputs/shell_quote.hpp"

#include <algorithm>
#include <fnmatch.h>

namespace fanout {

namespace {

constexpr std::size_t k_max_name = 128;
// The columns an input takes in a tag at most: a tag's width must not
// depend on the longest input of a batch.
constexpr std::size_t k_label_width = 40;

PlaceholderSet placeholders_of(const GroupSpec& group)
{
  PlaceholderSet set;
  set.count = group.sources.size();
  if (group.origin == GroupSpec::Origin::matrix) {
    for (const InputSourceSpec& source : group.sources) {
      set.keys.push_back(source.key);
    }
  }
  return set;
}

std::vector<Template> templates_of(const std::vector<std::string>& texts,
                                   const PlaceholderSet& placeholders)
{
  std::vector<Template> templates;
  templates.reserve(texts.size());
  for (const std::string& text : texts) {
    templates.emplace_back(text, placeholders);
  }
  return templates;
}

// Whether `uses` is true of any of `templates` (Template::uses_input, ...).
bool any_uses(const std::vector<Template>& templates, bool (Template::*uses)() const)
{
  return std::any_of(templates.begin(), templates.end(),
                     [uses](const Template& t) { return (t.*uses)(); });
}

// The arguments `templates` give for `input`: a lone {} with several
// sources gives each value as an argument of its own.
std::vector<std::string> expanded(const std::vector<Template>& templates, const InputValues& input)
{
  std::vector<std::string> texts;
  texts.reserve(templates.size() + input.values.size());
  for (const Template& t : templates) {
    t.expand_args(texts, input);
  }
  return texts;
}

} // namespace

MemberMaker::MemberMaker(const JobSpec& group)
    : m_group(group), m_placeholders(placeholders_of(*group.group)),
      m_cmd(group.cmd, m_placeholders), m_argv(templates_of(group.argv, m_placeholders)),
      m_args(
        templates_of(group.call ? group.call->args : std::vector<std::string>{}, m_placeholders))
{
  if (!group.group->name_template.empty()) {
    m_name.emplace(group.group->name_template, m_placeholders);
  }
  for (const auto& [key, value] : group.env) {
    m_env.emplace_back(value, m_placeholders);
  }
  if (!group.cwd.str().empty()) {
    m_cwd.emplace(group.cwd.str(), m_placeholders);
  }
  m_appends = !m_cmd.uses_input() && !any_uses(m_argv, &Template::uses_input) &&
              !any_uses(m_args, &Template::uses_input);
}

JobSpec MemberMaker::make(const InputValues& input) const
{
  JobSpec job;
  job.timeout = m_group.timeout;
  job.grace = m_group.grace;
  job.lifecycle = m_group.lifecycle;
  if (!m_group.cmd.empty()) {
    job.cmd = m_cmd.expand(input, Template::Quoting::shell);
    if (m_appends) {
      for (const std::string& value : input.values) {
        job.cmd.append(" ").append(shell_quoted(value));
      }
    }
  }
  job.argv = expanded(m_argv, input);
  if (m_group.call) {
    auto call = std::make_shared<CallSpec>(*m_group.call);
    call->args = expanded(m_args, input);
    if (m_appends) {
      call->args.insert(call->args.end(), input.values.begin(), input.values.end());
    }
    job.call = std::move(call);
  } else if (m_appends && !job.argv.empty()) {
    job.argv.insert(job.argv.end(), input.values.begin(), input.values.end());
  }
  if (!m_env.empty()) {
    JobEnvironment::List env;
    env.reserve(m_env.size());
    std::size_t i = 0;
    for (const auto& [key, value] : m_group.env) {
      env.emplace_back(key, m_env[i++].expand(input, Template::Quoting::none));
    }
    job.env = JobEnvironment(std::move(env));
  }
  job.cwd = m_cwd ? SharedText(m_cwd->expand(input, Template::Quoting::none)) : m_group.cwd;
  job.name = name(input);
  return job;
}

std::string MemberMaker::name(const InputValues& input) const
{
  if (m_name) {
    return name_label(m_name->expand(input, Template::Quoting::none), k_max_name);
  }
  std::string name = m_group.name;
  if (m_group.group->origin != GroupSpec::Origin::matrix) {
    name.append(":").append(std::to_string(input.seq));
  }
  for (const std::string& value : input.values) {
    name.append(":").append(name_label(value, k_max_name));
  }
  name.resize(std::min(name.size(), k_max_name));
  return name;
}

bool MemberMaker::is_numbered() const
{
  const auto seq = &Template::uses_seq;
  return m_cmd.uses_seq() || any_uses(m_argv, seq) || any_uses(m_args, seq) ||
         any_uses(m_env, seq) || (m_cwd && m_cwd->uses_seq());
}

bool MemberMaker::is_selected(const InputValues& input) const
{
  const auto& patterns = m_group.group->member_patterns;
  if (patterns.empty()) {
    return true;
  }
  const std::string member = name(input);
  return std::any_of(patterns.begin(), patterns.end(), [&member](const std::string& pattern) {
    return ::fnmatch(pattern.c_str(), member.c_str(), 0) == 0;
  });
}

std::string MemberMaker::label(const InputValues& input) const
{
  std::string shown;
  for (const std::string& value : input.values) {
    shown.append(shown.empty() ? "" : " ").append(escaped_for_display(value));
  }
  shown = cut_to_width(shown, k_label_width);
  if (m_group.group->origin == GroupSpec::Origin::command_line) {
    return shown;
  }
  return m_group.name + " " + shown;
}

} // namespace fanout
