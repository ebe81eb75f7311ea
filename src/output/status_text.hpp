// SPDX-License-Identifier: MIT
#pragma once

#include "run/run_events.hpp"

#include <cstddef>
#include <span>
#include <string>
#include <string_view>

namespace fanout {

// How far a run has come, as its status line tells it.
struct StatusCounts {
  std::size_t done = 0;   // jobs that ended for good
  std::size_t total = 0;  // every job of the run; only those known so far when `more`
  bool more = false;      // a group may still make jobs that `total` does not count
  std::size_t failed = 0; // jobs among `done` that fail the run
};

// The status line of a run that has taken `elapsed` so far, with the jobs
// tagged `running` (oldest first) running now, in at most `width` bytes:
//
//   [12/40] 1 failed, 0:42, ETA 1:38, 3 running: build, test, lint
//
// "[12/40+]" when `counts.more`; no failures, ETA or running part when there
// is none to show. The ETA (time left, at the rate jobs ended so far) shows
// once the total is known and enough jobs have ended. Bytes of a tag that a
// terminal would act on are shown escaped (`\x1b`), its backslashes as they
// are (a tag is shown escaped already). A line longer than `width` is cut,
// ending in "...". Counting bytes, not columns, keeps the line within
// `width` columns whatever the characters, without a table of their widths.
std::string status_text(const StatusCounts& counts, std::span<const std::string_view> running,
                        Seconds elapsed, std::size_t width);

} // namespace fanout
