// SPDX-License-Identifier: MIT
#pragma once

#include "cli/cli.hpp"
#include "jobfile/job.hpp"

namespace fanout {

// The job file that a command after `--` stands for (fanout(1), INPUTS):
// path "command line" and one job, a group over `options.inputs` that runs
// in the current folder. A command of one argument holding a space or shell
// syntax ('gzip < {} > {}.gz') is its `cmd`, run by /bin/sh; any other is
// its `argv`, one argument per token. The group is named after the
// program's basename (`name_label`, at most 32 bytes; "cmd" when that
// leaves nothing), and `--retries` becomes its lifecycle's `retries`.
// `options.command` must not be empty. Throws `fanout::Error` for an
// argument with an unknown placeholder (`{3}` with two sources).
JobFile command_line_jobfile(const Options& options);

} // namespace fanout
