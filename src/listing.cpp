// SPDX-License-Identifier: MIT
#include "fanout/listing.hpp"

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

std::string format_listing(const JobFile& file, const std::vector<JobId>& selected, Action action)
{
  std::string text;
  for (const JobId id : selected) {
    const JobSpec& job = file.jobs[id];
    text += job.name;
    if (action == Action::dry_run) {
      text += ": ";
      if (!job.cmd.empty()) {
        text += job.cmd;
      } else {
        for (std::size_t i = 0; i < job.argv.size(); ++i) {
          if (i > 0) {
            text += ' ';
          }
          text += shell_quote(job.argv[i]);
        }
      }
    }
    text += '\n';
  }
  return text;
}

} // namespace fanout
