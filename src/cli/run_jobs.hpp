// SPDX-License-Identifier: MIT
#pragma once

#include "cli/cli.hpp"
#include "exec/functions.hpp"
#include "jobfile/job.hpp"
#include "output/console.hpp"
#include "run/jobserver.hpp"
#include "run/run_config.hpp"

#include <exception>
#include <string>
#include <vector>

namespace fanout {

// The run the command line asks for, with make's jobserver or fanout's
// own (none: no tokens to take).
RunConfig run_config_of(const Options& options, Jobserver* jobserver = nullptr);

// A run, assembled: the tagging sink, fanout's messages, the pool's
// executor and the runner on one event loop. Runs the `asked` jobs of
// `file`, function jobs with what `functions` loaded for them, prints the summary, and returns
// fanout's exit code (settle_output's), 1 when it was 0 and a report (--json, --joblog,
// --junit) could not be written. Throws, before any job runs, when a report
// cannot be created. While a thread is still in an abandoned function it
// leaves the process at once instead (`_Exit`), once the console has
// written everything, without running destructors under that thread's
// feet. The state of earlier runs (fanout(1), RESUMING) decides which of
// the `asked` jobs run, and records how they ended. The jobs take their
// tokens from `jobserver`, which serves them its own when make gave none.
int run_jobs(JobFile file, const std::vector<JobId>& asked, const FunctionTable& functions,
             const Options& options, Console& console, Jobserver& jobserver);

// Waits until the console has written everything, and returns `code`, or 1
// when output was lost on the way (a full disk: "fanout: error: cannot
// write to stdout: No space left on device" on stderr) and `code` was 0.
int settle_output(Console& console, int code);

// What fanout prints for an error that ends it: fanout's own errors are
// whole messages; anything else (a system limit, no memory) gets the prefix.
std::string message_of(const std::exception& e);

} // namespace fanout
