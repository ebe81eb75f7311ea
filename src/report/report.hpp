// SPDX-License-Identifier: MIT
#pragma once

#include "run/run_events.hpp"

#include <string>
#include <string_view>

namespace fanout {

enum class SummaryRows { all, failures_only };

// The summary the man page shows: a header line starting "fanout: ", then one
// row per job (or per job that did not succeed, daemons stopped at the end
// aside), each line ending in '\n'. With `failures_only` and no such job, it
// is empty. With `log_dir` (--log-dir's folder), each row of a job that
// started also names the log file of its last attempt (log_file_name), and
// a last line names the folder.
std::string format_summary(const Report& report, SummaryRows rows, std::string_view log_dir = {});

// fanout's exit code: 0 no job fails the run, 1 one does, 128+N when
// interrupted.
int exit_code_for(const Report& report);

// "1.25s": seconds with two decimals, as the summary and messages show them.
std::string seconds_text(Seconds s);

} // namespace fanout
