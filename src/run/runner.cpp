// SPDX-License-Identifier: MIT
#include "run/runner.hpp"

#include "jobfile/duration.hpp"
#include "run/readiness.hpp"
#include "run/scheduler.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include <csignal>
#include <cstdio>
#include <memory>
#include <unordered_map>
#include <unordered_set>

namespace asio = boost::asio;

namespace fanout {

namespace {

using Clock = std::chrono::steady_clock;

std::string seconds_text(Seconds s)
{
  char text[32];
  std::snprintf(text, sizeof text, "%.2fs", s.count());
  return text;
}

// How a job that did not succeed is named as the cause of another's fate:
// "unit failed", "db timed out".
std::string cause_text(const JobResult& cause)
{
  switch (cause.outcome.status) {
  case Status::killed: return cause.name + " was killed";
  case Status::timeout: return cause.name + " timed out";
  case Status::error: return cause.name + " could not start";
  case Status::cancelled: return cause.name + " was cancelled";
  default: return cause.name + " " + std::string(status_name(cause.outcome.status));
  }
}

// Retries wait `retry_delay`, doubled for each further attempt.
Duration retry_delay(const Lifecycle& life, unsigned attempts_made)
{
  Duration delay = life.retry_delay;
  for (unsigned i = 1; i < attempts_made && delay < std::chrono::hours(24); ++i) {
    delay *= 2;
  }
  return delay;
}

// One run's state and its event handlers; lives on the stack of
// `Runner::run`, and everything happens on the runner's io_context.
class Run {
public:
  Run(asio::io_context& io, Executor& executor, OutputSink& sink, FdWriter& messages,
      std::vector<JobSpec> jobs, const std::vector<JobId>& selected, const Options& options)
    : m_io(io), m_executor(executor), m_sink(sink), m_messages(messages),
      m_jobs(std::move(jobs)), m_options(options),
      m_scheduler(m_jobs, selected, options.jobs), m_results(m_jobs.size()),
      m_started(m_jobs.size()), m_ready(m_jobs.size()), m_signals(io, SIGINT, SIGTERM, SIGHUP)
  {
    for (JobSpec& job : m_jobs) {
      job.timeout = job.timeout ? job.timeout : options.timeout;
      job.grace = job.grace.value_or(options.grace);
    }
    for (JobResult& result : m_results) {
      result.attempts = 0;
    }
  }

  // Runs until the last job has ended; returns the signal that interrupted
  // the run, or 0.
  int run()
  {
    // Children run in their own process groups, so a Ctrl-C reaches fanout
    // alone: the first one cancels the run, a second one kills at once.
    m_signals.async_wait([this](const auto& ec, int signal) { on_signal(ec, signal); });
    advance();
    m_io.run();
    return m_interrupted_by;
  }

  // The results of `selected`, in its order, with the unstarted jobs' notes.
  std::vector<JobResult> results(const std::vector<JobId>& selected)
  {
    for (const JobId id : m_scheduler.unstarted()) {
      // One queued again for a retry when the run stopped keeps its last attempt.
      if (m_results[id].attempts == 0) {
        m_results[id] = unstarted_result(id);
      }
    }
    // `selected` is in job-file order, so entry i moves down from
    // selected[i] >= i, never over one still to move: no second vector.
    for (std::size_t i = 0; i < selected.size(); ++i) {
      if (selected[i] != i) {
        m_results[i] = std::move(m_results[selected[i]]);
      }
    }
    m_results.resize(selected.size());
    return std::move(m_results);
  }

private:
  // A job that never started, and why.
  JobResult unstarted_result(JobId id) const
  {
    JobResult result{m_jobs[id].name, Outcome{Status::skipped, 0, {}}, {}, 1, false};
    std::string& note = result.outcome.note;
    if (const auto cause = m_scheduler.skip_cause(id)) {
      note = "because " + cause_text(m_results[*cause]);
    } else if (m_interrupted_by != 0) {
      note = "run interrupted";
    } else if (m_fail_fast_cause) {
      note = "because " + cause_text(m_results[*m_fail_fast_cause]) + " (--fail-fast)";
    } else {
      // Only a daemon waits this way, and nothing failed for it.
      note = "no job left that needs it";
      result.allowed = true;
    }
    return result;
  }

  // The tag of job `id`'s current attempt: "unit", then "unit#2", ...
  std::string tag(JobId id) const
  {
    const unsigned attempt = m_results[id].attempts;
    return attempt > 1 ? m_jobs[id].name + "#" + std::to_string(attempt) : m_jobs[id].name;
  }

  void cancel_probes()
  {
    for (const auto& [id, probe] : m_probes) {
      probe->cancel();
    }
  }

  // Once no job but daemons is left, stops them (and starts no more);
  // otherwise starts what may start.
  void advance()
  {
    if (!m_scheduler.has_work() && !m_stopping_daemons) {
      m_stopping_daemons = true;
      m_scheduler.stop();
      cancel_probes();
      for (const JobId id : std::vector<JobId>(m_daemons.begin(), m_daemons.end())) {
        m_executor.terminate(id, Ending::stopped);
      }
    }
    while (const auto launch = m_scheduler.next()) {
      start(launch->job, launch->slot);
    }
    if (m_scheduler.is_done()) {
      m_signals.cancel();
    }
  }

  void start(JobId id, std::size_t slot)
  {
    const JobSpec& job = m_jobs[id];
    if (++m_results[id].attempts == 1) {
      m_started[id] = Clock::now();
    }
    m_sink.start(id, tag(id));
    if (m_options.verbose) {
      const std::string where = slot == 0 ? "as a daemon" : "slot " + std::to_string(slot);
      m_messages.write("fanout: started " + tag(id) + " (" + where + ")\n");
    }
    // Only a daemon waiting for a line looks at the output on its way: no
    // lookup per chunk for the others.
    const auto& ready = job.life().ready;
    std::function<void(Stream, std::string_view)> on_output =
      [this, id](Stream stream, std::string_view bytes) { m_sink.write(id, stream, bytes); };
    if (ready && ready->kind == ReadySpec::Kind::log) {
      on_output = [this, id](Stream stream, std::string_view bytes) {
        if (const auto it = m_probes.find(id); it != m_probes.end()) {
          it->second->feed(stream, bytes);
        }
        m_sink.write(id, stream, bytes);
      };
    }
    Executor::Callbacks callbacks{
      std::move(on_output), [this, id](Stream stream) { m_sink.close(id, stream); },
      [this, id](Outcome outcome) { on_exit(id, std::move(outcome)); }};
    m_running.insert(id);
    m_executor.start(id, job, slot, std::move(callbacks));
    if (job.life().daemon) {
      watch_daemon(id);
    }
  }

  // A daemon is ready when its probe says so; without one, once it started
  // (after the executor had its chance to report that it could not).
  void watch_daemon(JobId id)
  {
    m_daemons.insert(id);
    const Lifecycle& life = m_jobs[id].life();
    if (!life.ready) {
      asio::post(m_io, [this, id] { on_ready(id); });
      return;
    }
    auto probe = std::make_unique<ReadinessProbe>(
      m_io, *life.ready, [this, id] { on_ready(id); },
      [this, id] {
        m_not_ready.insert(id);
        m_executor.terminate(id, Ending::stopped);
      });
    probe->start();
    m_probes.emplace(id, std::move(probe));
  }

  void on_ready(JobId id)
  {
    if (!is_live_daemon(id) || is_ready(id)) {
      return;
    }
    mark_ready(id);
    m_probes.erase(id);
    if (m_options.verbose) {
      m_messages.write("fanout: " + m_jobs[id].name + " is ready\n");
    }
    if (!m_scheduler.stopped()) {
      m_scheduler.ready(id);
    }
    advance();
  }

  bool is_ready(JobId id) const { return m_ready[id]; }

  void mark_ready(JobId id) { m_ready[id] = true; }

  bool is_live_daemon(JobId id) const
  {
    return m_daemons.contains(id);
  }

  void on_exit(JobId id, Outcome outcome)
  {
    const JobSpec& job = m_jobs[id];
    const Lifecycle& life = job.life();
    JobResult& result = m_results[id];
    result.name = job.name;
    result.elapsed = Clock::now() - m_started[id];
    m_running.erase(id);
    if (life.daemon) {
      outcome = daemon_outcome(id, std::move(outcome));
    } else {
      explain_cancel(outcome);
    }
    if (m_options.verbose) {
      m_messages.write("fanout: finished " + job.name + ": " + std::string(status_name(outcome.status)) +
                       " " + std::to_string(outcome.code) + " in " + seconds_text(result.elapsed) +
                       "\n");
    }
    const bool retryable = outcome.status == Status::failed || outcome.status == Status::killed ||
                           outcome.status == Status::timeout;
    result.outcome = std::move(outcome);
    result.allowed = life.allow_failure && !succeeded(result.outcome) &&
                     result.outcome.status != Status::stopped;
    if (retryable && result.attempts <= life.retries && !m_scheduler.stopped()) {
      retry_later(id);
      return;
    }
    finish(id);
  }

  // A daemon's end: stopped at the end, not ready in time, ended before it
  // was ready, or ended by itself once ready (reported as it is).
  Outcome daemon_outcome(JobId id, Outcome outcome)
  {
    m_daemons.erase(id);
    if (const auto it = m_probes.find(id); it != m_probes.end()) {
      // Found ready, but its end came first: ready it is.
      if (it->second->matched() && !m_scheduler.stopped()) {
        mark_ready(id);
        m_scheduler.ready(id);
      }
      m_probes.erase(it);
    }
    const bool was_ready = is_ready(id);
    if (m_not_ready.erase(id) > 0) {
      const Duration timeout = m_jobs[id].life().ready->timeout;
      return Outcome{Status::failed, outcome.code, "not ready after " + format_duration(timeout)};
    }
    if (outcome.status == Status::stopped) {
      return outcome;
    }
    const bool awaited = m_jobs[id].life().ready.has_value();
    if (awaited && !was_ready && outcome.status != Status::cancelled &&
        outcome.status != Status::error) {
      const std::string note = outcome.note.empty() ? "" : outcome.note + ", ";
      return Outcome{outcome.status == Status::ok ? Status::failed : outcome.status, outcome.code,
                     note + "ended before it was ready"};
    }
    explain_cancel(outcome);
    return outcome;
  }

  // Says why fanout cancelled a job: "SIGTERM on interrupt", "abandoned on
  // interrupt: a thread cannot be killed".
  void explain_cancel(Outcome& outcome) const
  {
    if (outcome.status != Status::cancelled) {
      return;
    }
    std::string why;
    if (m_interrupted_by != 0) {
      why = " on interrupt";
    } else if (m_fail_fast_cause) {
      why = " after " + cause_text(m_results[*m_fail_fast_cause]) + " (--fail-fast)";
    }
    outcome.note.insert(std::min(outcome.note.find(':'), outcome.note.size()), why);
  }

  void retry_later(JobId id)
  {
    const JobResult& result = m_results[id];
    const Duration delay = retry_delay(m_jobs[id].life(), result.attempts);
    m_messages.write("fanout: " + tag(id) + " " + std::string(status_name(result.outcome.status)) + " " +
                     std::to_string(result.outcome.code) + ", retrying in " + format_duration(delay) +
                     " (attempt " + std::to_string(result.attempts + 1) + " of " +
                     std::to_string(m_jobs[id].life().retries + 1) + ")\n");
    m_scheduler.pause(id);
    auto timer = std::make_unique<asio::steady_timer>(m_io, delay);
    timer->async_wait([this, id](const boost::system::error_code& ec) {
      // An expiry already queued when the run stopped still comes, without
      // an error; end_waiting_retries has finished the job then.
      if (ec || m_retry_timers.erase(id) == 0) {
        return;
      }
      m_scheduler.resume(id);
      advance();
    });
    m_retry_timers.emplace(id, std::move(timer));
    advance();
  }

  // Job `id` has ended for good, with the outcome in its result.
  void finish(JobId id)
  {
    const JobResult& result = m_results[id];
    const Status status = result.outcome.status;
    const bool cut_short = status == Status::stopped || status == Status::cancelled;
    // An allowed failure lets the jobs that need it run, as in GitLab CI. A
    // job fanout ended leaves them unstarted, with the run's own reason.
    m_scheduler.finish(id, cut_short                                     ? Scheduler::End::cut_short
                           : succeeded(result.outcome) || result.allowed ? Scheduler::End::succeeded
                                                                         : Scheduler::End::failed);
    if (m_options.fail_fast && fails_run(result) && !m_fail_fast_cause && m_interrupted_by == 0 &&
        result.outcome.status != Status::cancelled) {
      fail_fast(id);
    }
    advance();
  }

  // --fail-fast: start nothing more, cancel the running jobs (daemons are
  // stopped as usual once nothing else runs), end the waiting retries.
  void fail_fast(JobId cause)
  {
    m_fail_fast_cause = cause;
    m_scheduler.stop();
    const std::vector<JobId> running(m_running.begin(), m_running.end());
    for (const JobId id : running) {
      if (!m_jobs[id].life().daemon) {
        m_executor.terminate(id, Ending::cancelled);
      }
    }
    end_waiting_retries();
  }

  void end_waiting_retries()
  {
    std::vector<JobId> waiting;
    for (const auto& [id, timer] : m_retry_timers) {
      waiting.push_back(id);
    }
    m_retry_timers.clear(); // cancels their waits
    for (const JobId id : waiting) {
      finish(id);
    }
  }

  void on_signal(const boost::system::error_code& ec, int signal)
  {
    if (ec) {
      return;
    }
    if (m_interrupted_by == 0) {
      m_interrupted_by = signal;
      m_scheduler.stop();
      cancel_probes();
      m_executor.cancel_all(SIGTERM);
      end_waiting_retries();
    } else {
      m_executor.cancel_all(SIGKILL);
    }
    advance();
    if (!m_scheduler.is_done()) {
      m_signals.async_wait([this](const auto& error, int next) { on_signal(error, next); });
    }
  }

  asio::io_context& m_io;
  Executor& m_executor;
  OutputSink& m_sink;
  FdWriter& m_messages;
  std::vector<JobSpec> m_jobs; // the file's jobs with the command line's limits applied
  const Options& m_options;
  Scheduler m_scheduler;
  std::vector<JobResult> m_results;          // by JobId
  std::vector<Clock::time_point> m_started;  // by JobId: its first attempt's start
  std::unordered_set<JobId> m_daemons;       // running
  std::vector<bool> m_ready;                 // by JobId: a daemon found ready
  std::unordered_set<JobId> m_not_ready;     // daemons terminated for their ready timeout
  std::unordered_set<JobId> m_running;
  std::unordered_map<JobId, std::unique_ptr<ReadinessProbe>> m_probes;
  std::unordered_map<JobId, std::unique_ptr<asio::steady_timer>> m_retry_timers;
  std::optional<JobId> m_fail_fast_cause;
  int m_interrupted_by = 0;
  bool m_stopping_daemons = false; // no work left: the daemons were told to stop
  asio::signal_set m_signals;
};

} // namespace

Runner::Runner(asio::io_context& io, Executor& executor, OutputSink& sink, FdWriter& messages)
  : m_io(io), m_executor(executor), m_sink(sink), m_messages(messages)
{
}

Report Runner::run(JobFile file, const std::vector<JobId>& selected, const Options& options)
{
  const Clock::time_point run_start = Clock::now();
  Run run(m_io, m_executor, m_sink, m_messages, std::move(file.jobs), selected, options);
  Report report;
  report.interrupted_by = run.run();
  report.elapsed = Clock::now() - run_start;
  report.results = run.results(selected);
  return report;
}

} // namespace fanout
