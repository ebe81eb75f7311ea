// SPDX-License-Identifier: MIT
#pragma once

#include "exec/executor.hpp"
#include "jobfile/job.hpp"
#include "run/resume_state.hpp"
#include "run/run_config.hpp"
#include "run/run_events.hpp"

#include <boost/asio/io_context.hpp>

#include <utility>
#include <vector>

namespace fanout {

// Runs the selected jobs of a job file to the end: asks the scheduler what
// may start, starts it on the executor, tells the observers what happens,
// handles the signals that interrupt a run, and returns the report. It
// decides and formats no text. Single-threaded: everything happens on `io`,
// which `run` drives until the last job has ended.
class Runner {
public:
  // The executor and the observers must outlive the runner.
  Runner(boost::asio::io_context& io, Executor& executor, RunObservers observers)
      : m_io(io), m_executor(executor), m_observers(std::move(observers))
  {
  }

  // Runs `selected` (job ids of `file`, in order) as `config` says, and
  // tells the observers `run_finished` before it returns the report. Takes
  // `file` by value: no second copy of thousands of jobs. With a `state`
  // (fanout(1), RESUMING), it skips what its mode says was done before and
  // records in it how every job ended; the caller writes it.
  Report run(JobFile file, const std::vector<JobId>& selected, const RunConfig& config,
             ResumeState* state = nullptr);

  // The signals that interrupt a run: the first one cancels it, a second
  // one kills the running jobs at once; fanout then exits 128 + the first.
  static const std::vector<int>& interrupting_signals();

private:
  boost::asio::io_context& m_io;
  Executor& m_executor;
  RunObservers m_observers;
};

} // namespace fanout
