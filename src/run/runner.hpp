// SPDX-License-Identifier: MIT
#pragma once

#include "cli/cli.hpp"
#include "exec/executor.hpp"
#include "output/fd_writer.hpp"
#include "jobfile/job.hpp"
#include "output/output.hpp"
#include "report/report.hpp"

#include <boost/asio/io_context.hpp>

#include <vector>

namespace fanout {

// Runs the selected jobs of a job file to the end: asks the scheduler what
// may start, starts it on the executor, sends output to the sink, handles
// SIGINT/SIGTERM/SIGHUP, and returns the report. Single-threaded: everything
// happens on `io`, which `run` drives until the last job has ended.
class Runner {
public:
  // `messages` takes fanout's own lines (`-v`); all must outlive the runner.
  Runner(boost::asio::io_context& io, Executor& executor, OutputSink& sink, FdWriter& messages);

  // Runs `selected` (job ids of `file`, in order) with `options`' limits.
  // Takes `file` by value: its jobs get the command line's limits in place,
  // with no second copy of thousands of jobs.
  Report run(JobFile file, const std::vector<JobId>& selected, const Options& options);

private:
  boost::asio::io_context& m_io;
  Executor& m_executor;
  OutputSink& m_sink;
  FdWriter& m_messages;
};

} // namespace fanout
