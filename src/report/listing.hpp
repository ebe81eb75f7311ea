// SPDX-License-Identifier: MIT
#pragma once

#include "jobfile/job.hpp"

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace fanout {

// What `--list` prints (`names`) and what `--dry-run` prints (`commands`).
enum class Listing { names, commands };

// What `--list` (`Listing::names`: one name per line) or `--dry-run`
// (`Listing::commands`: `name: command` per line, argv shell-quoted; a
// function job as `name: call lib/libseed.so:worker ARGS...`, its target and
// args shell-quoted) prints for the `selected` jobs of `file`. A `cmd` is
// shown as written, unless it holds a character that is not printable (a
// newline, a control character, a byte that is not UTF-8): then as
// `/bin/sh -c $'...'`. Each job takes exactly one line.
// A group lists its members, reading its inputs as they come; each line is
// handed to `out` as soon as it is made.
void write_listing(const JobFile& file, const std::vector<JobId>& selected, Listing listing,
                   const std::function<void(std::string_view)>& out);

// The same, as one text.
std::string format_listing(const JobFile& file, const std::vector<JobId>& selected,
                           Listing listing);

// What `--dry-run` prints after `job`'s name: its command as one line that
// bash runs as fanout would, as `write_listing` says; never a tab or a
// newline in it.
std::string command_text(const JobSpec& job);

// `arg` quoted for a POSIX shell when it needs it: `it's` gives `'it'\''s'`.
// An `arg` with a character that is not printable is quoted the way bash's
// $'...' reads it, every such character escaped: "a\nb" gives `$'a\nb'`.
std::string shell_quote(const std::string& arg);

} // namespace fanout
