// SPDX-License-Identifier: MIT
#include "report/listing.hpp"

namespace fanout {

std::string shell_quote(const std::string& arg)
{
  constexpr std::string_view k_safe =
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-+=.,:/@%";
  if (!arg.empty() && arg.find_first_not_of(k_safe) == std::string::npos) {
    return arg;
  }
  std::string quoted = "'";
  for (const char c : arg) {
    if (c == '\'') {
      quoted += "'\\''";
    } else {
      quoted += c;
    }
  }
  return quoted + "'";
}

namespace {

// Each of `words`, shell-quoted, after a space.
void append_quoted(std::string& text, const std::vector<std::string>& words)
{
  for (const std::string& word : words) {
    text += ' ';
    text += shell_quote(word);
  }
}

} // namespace

std::string format_listing(const JobFile& file, const std::vector<JobId>& selected, Action action)
{
  std::string text;
  for (const JobId id : selected) {
    const JobSpec& job = file.jobs[id];
    text += job.name;
    if (action == Action::dry_run) {
      text += ':';
      if (job.call) {
        text += " call ";
        text += shell_quote(job.call->library + ':' + job.call->symbol);
        append_quoted(text, job.call->args);
      } else if (!job.cmd.empty()) {
        text += ' ';
        text += job.cmd;
      } else {
        append_quoted(text, job.argv);
      }
    }
    text += '\n';
  }
  return text;
}

} // namespace fanout
