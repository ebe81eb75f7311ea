// SPDX-License-Identifier: MIT
#include "fanout/runner.hpp"

#include "fanout/error.hpp"
#include "fanout/scheduler.hpp"

#include <boost/asio/signal_set.hpp>

#include <csignal>
#include <cstdio>
#include <fnmatch.h>

namespace asio = boost::asio;

namespace fanout {

namespace {

using Clock = std::chrono::steady_clock;

// One run's state; lives on the stack of `Runner::run`.
struct Run {
  std::vector<JobSpec> jobs; // the file's jobs with the command line's limits applied
  Scheduler scheduler;
  std::vector<JobResult> results; // by JobId
  std::vector<Clock::time_point> started;
  int interrupted_by = 0;
};

std::string seconds_text(Seconds s)
{
  char text[32];
  std::snprintf(text, sizeof text, "%.2fs", s.count());
  return text;
}

} // namespace

std::vector<JobId> select_jobs(const JobFile& file, const std::vector<std::string>& patterns)
{
  std::vector<bool> chosen(file.jobs.size(), patterns.empty());
  for (const std::string& pattern : patterns) {
    bool matched = false;
    for (JobId id = 0; id < file.jobs.size(); ++id) {
      if (::fnmatch(pattern.c_str(), file.jobs[id].name.c_str(), 0) == 0) {
        chosen[id] = true;
        matched = true;
      }
    }
    if (!matched) {
      throw Error("fanout: error: no job matches \"" + pattern + "\"");
    }
  }
  std::vector<JobId> selected;
  for (JobId id = 0; id < file.jobs.size(); ++id) {
    if (chosen[id]) {
      selected.push_back(id);
    }
  }
  return selected;
}

Runner::Runner(asio::io_context& io, Executor& executor, OutputSink& sink, FdWriter& messages)
  : m_io(io), m_executor(executor), m_sink(sink), m_messages(messages)
{
}

Report Runner::run(JobFile file, const std::vector<JobId>& selected, const Options& options)
{
  const Clock::time_point run_start = Clock::now();
  Run run{std::move(file.jobs), Scheduler(selected, options.jobs), {}, {}, 0};
  for (JobSpec& job : run.jobs) {
    job.timeout = job.timeout ? job.timeout : options.timeout;
    job.grace = job.grace.value_or(options.grace);
  }
  run.results.resize(run.jobs.size());
  run.started.resize(run.jobs.size());

  // Children run in their own process groups, so a Ctrl-C reaches fanout
  // alone: the first one cancels the run, a second one kills at once.
  asio::signal_set signals(m_io, SIGINT, SIGTERM, SIGHUP);

  std::function<void()> start_ready;
  std::function<void(const boost::system::error_code&, int)> on_signal;
  auto finish_if_done = [&] {
    if (run.scheduler.is_done()) {
      signals.cancel();
    }
  };

  start_ready = [&] {
    while (const auto launch = run.scheduler.next()) {
      const JobId id = launch->job;
      const JobSpec& job = run.jobs[id];
      run.started[id] = Clock::now();
      if (options.verbose) {
        m_messages.write("fanout: started " + job.name + " (slot " + std::to_string(launch->slot) + ")\n");
      }
      Executor::Callbacks callbacks{
        [this, id](Stream stream, std::string_view bytes) { m_sink.write(id, stream, bytes); },
        [this, id](Stream stream) { m_sink.close(id, stream); },
        [&, id](Outcome outcome) {
          JobResult& result = run.results[id];
          result.name = run.jobs[id].name;
          result.elapsed = Clock::now() - run.started[id];
          result.outcome = std::move(outcome);
          if (options.verbose) {
            m_messages.write("fanout: finished " + result.name + ": " +
                             std::string(status_name(result.outcome.status)) + " " +
                             std::to_string(result.outcome.code) + " in " +
                             seconds_text(result.elapsed) + "\n");
          }
          run.scheduler.finish(id);
          start_ready();
          finish_if_done();
        }};
      m_executor.start(id, job, launch->slot, std::move(callbacks));
    }
  };

  on_signal = [&](const boost::system::error_code& ec, int signal) {
    if (ec) {
      return;
    }
    if (run.interrupted_by == 0) {
      run.interrupted_by = signal;
      run.scheduler.stop();
      m_executor.cancel_all(SIGTERM);
    } else {
      m_executor.cancel_all(SIGKILL);
    }
    finish_if_done();
    if (!run.scheduler.is_done()) {
      signals.async_wait(on_signal);
    }
  };

  signals.async_wait(on_signal);
  start_ready();
  finish_if_done();
  m_io.run();

  Report report;
  report.elapsed = Clock::now() - run_start;
  report.interrupted_by = run.interrupted_by;
  for (const JobId id : run.scheduler.unstarted()) {
    run.results[id] = JobResult{run.jobs[id].name, Outcome{Status::skipped, 0, "run interrupted"}, {}};
  }
  // `selected` is in job-file order, so entry i moves down from selected[i]
  // >= i, never over one still to move: no second vector of results.
  for (std::size_t i = 0; i < selected.size(); ++i) {
    if (selected[i] != i) {
      run.results[i] = std::move(run.results[selected[i]]);
    }
  }
  run.results.resize(selected.size());
  report.results = std::move(run.results);
  return report;
}

} // namespace fanout
