// SPDX-License-Identifier: MIT
#include "cli/command_line_job.hpp"

#include "error.hpp"
#include "inputs/input_text.hpp"
#include "inputs/template.hpp"

#include <cassert>
#include <memory>
#include <string>
#include <string_view>

namespace fanout {

namespace {

constexpr std::size_t k_max_name = 32;

// What only a shell reads in a command: blanks, operators, quotes,
// expansions, globs, comments. `{` and `}` are not here: they mark the
// replacement strings.
constexpr std::string_view k_shell_syntax = " \t\n|&;<>()$`\\\"'*?[#~";

bool is_shell_command(const std::vector<std::string>& command)
{
  return command.size() == 1 && command.front().find_first_of(k_shell_syntax) != std::string::npos;
}

// The program a shell command starts with, as far as a name needs it: its
// first word, without quotes (`"my tool" x` gives `my`).
std::string_view first_word(std::string_view cmd)
{
  constexpr std::string_view ends = " \t\n|&;<>()\"'`";
  const std::size_t start = cmd.find_first_not_of(ends);
  if (start == std::string_view::npos) {
    return {};
  }
  cmd.remove_prefix(start);
  return cmd.substr(0, cmd.find_first_of(ends));
}

std::string group_name(std::string_view program)
{
  const std::size_t slash = program.rfind('/');
  const std::string label =
    name_label(slash == std::string_view::npos ? program : program.substr(slash + 1), k_max_name);
  return label.empty() ? "cmd" : label;
}

// Throws a usage error for the first argument with an unknown placeholder.
void check_placeholders(const std::vector<std::string>& command, std::size_t sources)
{
  for (const std::string& argument : command) {
    if (const auto problem = find_template_problem(argument, PlaceholderSet{sources, {}})) {
      throw Error("fanout: error: " + problem->message + ", in \"" + argument + "\"");
    }
  }
}

} // namespace

JobFile command_line_jobfile(const Options& options)
{
  assert(!options.command.empty());
  check_placeholders(options.command, options.inputs.size());
  JobSpec job;
  if (is_shell_command(options.command)) {
    job.cmd = options.command.front();
    job.name = group_name(first_word(job.cmd));
  } else {
    job.argv = options.command;
    job.name = group_name(job.argv.front());
  }
  job.cwd = ".";
  if (options.retries) {
    auto lifecycle = std::make_shared<Lifecycle>();
    lifecycle->retries = *options.retries;
    job.lifecycle = std::move(lifecycle);
  }
  auto group = std::make_shared<GroupSpec>();
  group->origin = GroupSpec::Origin::command_line;
  group->sources = options.inputs;
  job.group = std::move(group);
  JobFile file;
  file.path = "command line";
  file.jobs.push_back(std::move(job));
  return file;
}

} // namespace fanout
