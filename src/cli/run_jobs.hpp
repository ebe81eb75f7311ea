// SPDX-License-Identifier: MIT
#pragma once

#include "cli/cli.hpp"
#include "output/fd_writer.hpp"
#include "jobfile/job.hpp"

#include <exception>
#include <string>
#include <vector>

namespace fanout {

// A run, assembled: the tagging sink, the function jobs' libraries, the
// pool's executor and the runner on one event loop. Runs the `selected`
// jobs of `file`, prints the summary, and returns fanout's exit code. While
// a thread is still in an abandoned function it leaves the process at once
// instead (`_Exit`), without running destructors under that thread's feet:
// nothing is buffered, FdWriter writes as it goes.
int run_jobs(JobFile file, const std::vector<JobId>& selected, const Options& options,
             FdWriter& out, FdWriter& err);

// What fanout prints for an error that ends it: fanout's own errors are
// whole messages; anything else (a system limit, no memory) gets the prefix.
std::string message_of(const std::exception& e);

} // namespace fanout
