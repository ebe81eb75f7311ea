// SPDX-License-Identifier: MIT
#pragma once

#include "cli/cli.hpp"
#include "jobfile/job.hpp"

#include <string>
#include <vector>

namespace fanout {

// What `--list` (`Action::list`: one name per line) or `--dry-run`
// (`Action::dry_run`: `name: command` per line, argv shell-quoted; a
// function job as `name: call lib/libseed.so:worker ARGS...`, its target and
// args shell-quoted) prints for the `selected` jobs of `file`.
std::string format_listing(const JobFile& file, const std::vector<JobId>& selected, Action action);

// `arg` quoted for a POSIX shell when it needs it: `it's` gives `'it'\''s'`.
std::string shell_quote(const std::string& arg);

} // namespace fanout
