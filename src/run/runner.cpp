// SPDX-License-Identifier: MIT
#include "run/runner.hpp"

#include "run/readiness.hpp"
#include "run/scheduler.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include <csignal>
#include <memory>
#include <unordered_map>
#include <unordered_set>

namespace asio = boost::asio;

namespace fanout {

namespace {

using Clock = std::chrono::steady_clock;

// Retries wait `retry_delay`, doubled for each further attempt.
Duration retry_delay(const Lifecycle& life, unsigned attempts_made)
{
  Duration delay = life.retry_delay;
  for (unsigned i = 1; i < attempts_made && delay < std::chrono::hours(24); ++i) {
    delay *= 2;
  }
  return delay;
}

// A failed, killed or timed-out attempt may be tried again.
bool is_retryable(Status status)
{
  return status == Status::failed || status == Status::killed || status == Status::timeout;
}

// One run's state and its event handlers; lives on the stack of
// `Runner::run`, and everything happens on the runner's io_context.
class Run {
public:
  Run(asio::io_context& io, Executor& executor, const RunObservers& observers,
      std::vector<JobSpec> jobs, const std::vector<JobId>& selected, const RunConfig& config)
      : m_io(io), m_executor(executor), m_observers(observers), m_jobs(std::move(jobs)),
        m_config(config), m_scheduler(m_jobs, selected, config.max_parallel),
        m_results(m_jobs.size()), m_started(m_jobs.size()), m_ready(m_jobs.size()), m_signals(io)
  {
    for (const int signal : Runner::interrupting_signals()) {
      m_signals.add(signal);
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

  // The results of `selected`, in its order, with the unstarted jobs' causes.
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
  JobEvent event(JobId id, std::size_t slot) const
  {
    return JobEvent{id, m_jobs[id], m_results[id].attempts, slot};
  }

  template <typename Handler> void tell(Handler handler)
  {
    for (RunObserver* observer : m_observers) {
      handler(*observer);
    }
  }

  // Who ended the run early, as the cause of what it did to job `id`.
  Cause run_cause() const
  {
    if (m_interrupted_by != 0) {
      return {Cause::Kind::interrupt};
    }
    if (m_fail_fast_cause) {
      return cause_from(Cause::Kind::fail_fast, *m_fail_fast_cause);
    }
    return {};
  }

  Cause cause_from(Cause::Kind kind, JobId other) const
  {
    return {kind, m_jobs[other].name, m_results[other].outcome.status};
  }

  // A job that never started, and why.
  JobResult unstarted_result(JobId id) const
  {
    JobResult result{m_jobs[id].name, Outcome{}, {}, 1, false};
    if (const auto cause = m_scheduler.skip_cause(id)) {
      result.outcome.cause = cause_from(Cause::Kind::dependency, *cause);
    } else if (m_interrupted_by != 0 || m_fail_fast_cause) {
      result.outcome.cause = run_cause();
    } else {
      // Only a daemon waits this way, and nothing failed for it.
      result.outcome.cause = {Cause::Kind::unneeded};
      result.allowed = true;
    }
    return result;
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
    m_running.emplace(id, slot);
    tell([&](RunObserver& o) { o.job_started(event(id, slot)); });
    const auto& ready = job.life().ready;
    // Only a daemon waiting for a line looks at the output on its way.
    const bool feeds_probe = ready && ready->kind == ReadySpec::Kind::log;
    Executor::Callbacks callbacks{
      [this, id, slot, feeds_probe](Stream stream, std::string_view bytes) {
        if (feeds_probe) {
          if (const auto it = m_probes.find(id); it != m_probes.end()) {
            it->second->feed(stream, bytes);
          }
        }
        const JobEvent e = event(id, slot);
        tell([&](RunObserver& o) { o.job_output(e, stream, bytes); });
      },
      [this, id, slot](Stream stream) {
        const JobEvent e = event(id, slot);
        tell([&](RunObserver& o) { o.job_output_closed(e, stream); });
      },
      [this, id](Outcome outcome) { on_exit(id, std::move(outcome)); }};
    const JobLimits limits = limits_of(job, m_config);
    const Attempt attempt{id, &job, slot, m_results[id].attempts, limits.timeout, limits.grace};
    m_executor.start(attempt, std::move(callbacks));
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
    if (!m_daemons.contains(id) || m_ready[id]) {
      return;
    }
    m_ready[id] = true;
    m_probes.erase(id);
    tell([&](RunObserver& o) { o.daemon_ready(event(id, 0)); });
    if (!m_scheduler.stopped()) {
      m_scheduler.ready(id);
    }
    advance();
  }

  void on_exit(JobId id, Outcome outcome)
  {
    const JobSpec& job = m_jobs[id];
    const Lifecycle& life = job.life();
    JobResult& result = m_results[id];
    result.name = job.name;
    result.elapsed = Clock::now() - m_started[id];
    const auto running = m_running.find(id);
    const std::size_t slot = running->second;
    m_running.erase(running);
    if (life.daemon) {
      judge_daemon(id, outcome);
    } else if (outcome.status == Status::cancelled) {
      outcome.cause = run_cause();
    }
    tell([&](RunObserver& o) { o.attempt_ended(event(id, slot), outcome, result.elapsed); });
    const bool retry =
      is_retryable(outcome.status) && result.attempts <= life.retries && !m_scheduler.stopped();
    result.outcome = std::move(outcome);
    result.allowed =
      life.allow_failure && !succeeded(result.outcome) && result.outcome.status != Status::stopped;
    if (retry) {
      retry_later(id, slot);
      return;
    }
    finish(id);
  }

  // A daemon's end: stopped at the end, not ready in time, ended before it
  // was ready, or ended by itself once ready (reported as it is).
  void judge_daemon(JobId id, Outcome& outcome)
  {
    m_daemons.erase(id);
    if (const auto it = m_probes.find(id); it != m_probes.end()) {
      // Found ready, but its end came first: ready it is.
      if (it->second->matched() && !m_scheduler.stopped()) {
        m_ready[id] = true;
        m_scheduler.ready(id);
      }
      m_probes.erase(it);
    }
    const auto& ready = m_jobs[id].life().ready;
    if (m_not_ready.erase(id) > 0) {
      outcome.status = Status::failed;
      outcome.cause = {Cause::Kind::not_ready, {}, Status::ok, ready->timeout};
    } else if (outcome.status == Status::stopped) {
      return;
    } else if (ready && !m_ready[id] && outcome.status != Status::cancelled &&
               outcome.status != Status::error) {
      outcome.status = outcome.status == Status::ok ? Status::failed : outcome.status;
      outcome.cause = {Cause::Kind::before_ready};
    } else if (outcome.status == Status::cancelled) {
      outcome.cause = run_cause();
    }
  }

  void retry_later(JobId id, std::size_t slot)
  {
    const JobResult& result = m_results[id];
    const Duration delay = retry_delay(m_jobs[id].life(), result.attempts);
    tell([&](RunObserver& o) {
      o.job_retrying(event(id, slot), result.outcome, delay, m_jobs[id].life().retries + 1);
    });
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
    if (m_config.failure == FailurePolicy::fail_fast && fails_run(result) && !m_fail_fast_cause &&
        m_interrupted_by == 0 && !cut_short) {
      fail_fast(id);
    }
    advance();
  }

  // --fail-fast: start nothing more, cancel the running jobs (daemons are
  // stopped as usual once nothing else runs), cancel the waiting retries.
  void fail_fast(JobId cause)
  {
    m_fail_fast_cause = cause;
    m_scheduler.stop();
    for (const auto& [id, slot] : std::vector(m_running.begin(), m_running.end())) {
      if (!m_jobs[id].life().daemon) {
        m_executor.terminate(id, Ending::cancelled);
      }
    }
    end_waiting_retries();
  }

  // The jobs waiting for their next attempt will get none: cancelled, with
  // their last attempt's code.
  void end_waiting_retries()
  {
    std::vector<JobId> waiting;
    for (const auto& [id, timer] : m_retry_timers) {
      waiting.push_back(id);
    }
    m_retry_timers.clear(); // cancels their waits
    for (const JobId id : waiting) {
      Outcome& outcome = m_results[id].outcome;
      outcome.status = Status::cancelled;
      outcome.stop = Stop::none;
      outcome.cause = run_cause();
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
  const RunObservers& m_observers;
  std::vector<JobSpec> m_jobs;
  const RunConfig& m_config;
  Scheduler m_scheduler;
  std::vector<JobResult> m_results;                 // by JobId
  std::vector<Clock::time_point> m_started;         // by JobId: its first attempt's start
  std::unordered_set<JobId> m_daemons;              // running
  std::vector<bool> m_ready;                        // by JobId: a daemon found ready
  std::unordered_set<JobId> m_not_ready;            // daemons terminated for their ready timeout
  std::unordered_map<JobId, std::size_t> m_running; // the slot of each running job
  std::unordered_map<JobId, std::unique_ptr<ReadinessProbe>> m_probes;
  std::unordered_map<JobId, std::unique_ptr<asio::steady_timer>> m_retry_timers;
  std::optional<JobId> m_fail_fast_cause;
  int m_interrupted_by = 0;
  bool m_stopping_daemons = false; // no work left: the daemons were told to stop
  asio::signal_set m_signals;
};

} // namespace

Runner::Runner(asio::io_context& io, Executor& executor, RunObservers observers)
    : m_io(io), m_executor(executor), m_observers(std::move(observers))
{
}

const std::vector<int>& Runner::interrupting_signals()
{
  // SIGQUIT, SIGUSR1, SIGUSR2 and SIGALRM would otherwise end fanout at
  // once, without a summary and with its jobs left running.
  static const std::vector<int> signals{SIGINT,  SIGTERM, SIGHUP, SIGQUIT,
                                        SIGUSR1, SIGUSR2, SIGALRM};
  return signals;
}

Report Runner::run(JobFile file, const std::vector<JobId>& selected, const RunConfig& config)
{
  const Clock::time_point run_start = Clock::now();
  Run run(m_io, m_executor, m_observers, std::move(file.jobs), selected, config);
  Report report;
  report.interrupted_by = run.run();
  report.elapsed = Clock::now() - run_start;
  report.results = run.results(selected);
  for (RunObserver* observer : m_observers) {
    observer->run_finished(report);
  }
  return report;
}

} // namespace fanout
