// SPDX-License-Identifier: MIT
#include "run/runner.hpp"

#include "run/daemons.hpp"
#include "run/group_run.hpp"
#include "run/job_records.hpp"
#include "run/result_log.hpp"
#include "run/resume_run.hpp"
#include "run/retry_timers.hpp"
#include "run/scheduler.hpp"
#include "run/token_gate.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>

#include <algorithm>
#include <csignal>
#include <memory>
#include <unordered_map>

namespace asio = boost::asio;

namespace fanout {

namespace {

using Clock = std::chrono::steady_clock;

// One run's state and its event handlers; lives on the stack of
// `Runner::run`, and everything happens on the runner's io_context.
class Run {
public:
  Run(asio::io_context& io, Executor& executor, const RunObservers& observers,
      std::vector<JobSpec> jobs, const std::vector<JobId>& selected, const RunConfig& config,
      ResumeState* state)
      : m_io(io), m_executor(executor), m_observers(observers), m_jobs(std::move(jobs)),
        m_config(config), m_scheduler(m_jobs.jobs(), selected, config.max_parallel,
                                      [this](JobId group) { return group_run(group).supply(); }),
        m_resume(state, m_jobs.jobs(), m_log, m_observers),
        m_daemons(
          io, m_jobs.jobs().size(), [this](JobId id) { on_ready(id); },
          [this](JobId id) { m_executor.terminate(id, Ending::stopped); }),
        m_retries(io), m_gate(io, config, executor, [this] { advance(); }), m_signals(io)
  {
    for (const int signal : Runner::interrupting_signals()) {
      m_signals.add(signal);
    }
  }

  // Runs until the last job has ended; returns the signal that interrupted
  // the run, or 0.
  int run()
  {
    // Children run in their own process groups, so a Ctrl-C reaches fanout
    // alone: the first one cancels the run, a second one kills at once.
    // The wait also keeps the loop running while a group waits for input.
    m_signals.async_wait([this](const auto& ec, int signal) { on_signal(ec, signal); });
    advance();
    m_io.run();
    return m_interrupted_by;
  }

  // Every job's result, with the unstarted jobs' causes, into `report`.
  void fill(Report& report, const std::vector<JobId>& selected)
  {
    for (const JobId id : m_scheduler.unstarted()) {
      // One queued again for a retry when the run stopped ends with its last attempt.
      if (JobResult& result = m_jobs.result(id); result.attempts == 0) {
        result = unstarted_result(id);
      } else {
        tell([&](RunObserver& o) { o.job_finished(m_jobs.event(id, 0), result); });
      }
    }
    for (const JobId id : selected) {
      JobResult& result = m_jobs.result(id);
      const auto it = m_groups.find(id);
      GroupRun* group = it != m_groups.end() ? it->second.get() : nullptr;
      // Inputs it had not read when the run stopped, as far as it can tell.
      const bool unread = group && group->members() > 0 && group->supply() != Supply::exhausted;
      m_resume.ended(id, result, group && group->read_all());
      if (!m_jobs.spec(id).group) {
        m_log.add(std::move(result), id);
        continue;
      }
      if (unread) {
        result = JobResult{m_jobs.spec(id).name + ":*", Outcome{}, {}, 1, false};
        result.outcome.cause = run_cause();
      }
      if (!result.name.empty()) {
        m_log.add(std::move(result), id, std::uint64_t(-1));
      }
    }
    m_log.fill(report);
  }

private:
  GroupRun& group_run(JobId group)
  {
    auto& run = m_groups[group];
    if (!run) {
      run = std::make_unique<GroupRun>(
        m_jobs.spec(group), [this] { asio::post(m_io, [this] { advance(); }); },
        m_resume.gate(group));
    }
    return *run;
  }

  template <typename Handler> void tell(Handler handler)
  {
    for (RunObserver* observer : m_observers) {
      handler(*observer);
    }
  }

  // Who ended the run early, as the cause of what it did to a job.
  Cause run_cause() const
  {
    if (m_interrupted_by != 0) {
      return {Cause::Kind::interrupt};
    }
    return m_fail_fast_cause.value_or(Cause{});
  }

  // A job that never started, and why.
  JobResult unstarted_result(JobId id) const
  {
    JobResult result{m_jobs.spec(id).name, Outcome{}, {}, 1, false};
    if (const auto cause = m_scheduler.skip_cause(id)) {
      result.outcome.cause = {Cause::Kind::dependency, m_jobs.spec(*cause).name,
                              m_jobs.result(*cause).outcome.status};
    } else if (m_interrupted_by != 0 || m_fail_fast_cause) {
      result.outcome.cause = run_cause();
    } else {
      // Only a daemon waits this way, and nothing failed for it.
      result.outcome.cause = {Cause::Kind::unneeded};
      result.allowed = true;
    }
    return result;
  }

  // Once no job but daemons is left, stops them (and starts no more);
  // otherwise starts what may start.
  void advance()
  {
    do {
      if (!m_scheduler.has_work() && !std::exchange(m_stopping_daemons, true)) {
        m_scheduler.stop();
        m_daemons.cancel_probes();
        for (const JobId id : m_daemons.running()) {
          m_executor.terminate(id, Ending::stopped);
        }
      }
      while (const auto launch = m_gate.next(m_scheduler)) {
        if (!launch->member) {
          start(launch->job, launch->slot);
        } else if (launch->resumed) {
          start(*launch->resumed, launch->slot);
        } else {
          GroupRun& group = group_run(launch->job);
          InputValues input = group.take();
          std::string label = group.maker().label(input);
          start(m_jobs.add_member(launch->job, std::move(input), std::move(label)), launch->slot);
        }
      }
    } while (finish_groups() || (!m_scheduler.has_work() && !m_stopping_daemons));
    m_gate.settle(m_scheduler);
    if (m_scheduler.is_done() && !std::exchange(m_ended, true)) {
      m_signals.cancel();
      tell([](RunObserver& o) { o.all_jobs_ended(); });
    }
  }

  void start(JobId id, std::size_t slot)
  {
    if (auto done = m_resume.done_earlier(id)) {
      m_jobs.result(id) = std::move(*done);
      m_scheduler.finish(id, Scheduler::End::succeeded);
      return;
    }
    if (m_jobs.is_member(id)) {
      InputValues& input = m_jobs.input(id);
      input.slot = slot;
      m_jobs.remake(id, group_run(m_jobs.group_of(id)).maker().make(input));
    }
    const JobSpec& job = m_jobs.spec(id);
    if (++m_jobs.result(id).attempts == 1) {
      m_jobs.started(id) = Clock::now();
    }
    m_running.emplace(id, slot);
    tell([&](RunObserver& o) { o.job_started(m_jobs.event(id, slot)); });
    const auto& ready = job.life().ready;
    // Only a daemon waiting for a line looks at the output on its way.
    const bool feeds_probe = ready && ready->kind == ReadySpec::Kind::log;
    Executor::Callbacks callbacks{
      [this, id, slot, feeds_probe](Stream stream, std::string_view bytes) {
        if (feeds_probe) {
          m_daemons.feed(id, stream, bytes);
        }
        const JobEvent e = m_jobs.event(id, slot);
        tell([&](RunObserver& o) { o.job_output(e, stream, bytes); });
      },
      [this, id, slot](Stream stream) {
        const JobEvent e = m_jobs.event(id, slot);
        tell([&](RunObserver& o) { o.job_output_closed(e, stream); });
      },
      [this, id](Outcome outcome) { on_exit(id, std::move(outcome)); }};
    const JobLimits limits = limits_of(job, m_config);
    const JobId position = m_jobs.is_member(id) ? m_jobs.group_of(id) : id;
    const Attempt attempt{id,           &job,    slot, m_jobs.result(id).attempts, limits.timeout,
                          limits.grace, position};
    m_executor.start(attempt, std::move(callbacks));
    if (job.life().daemon) {
      m_daemons.watch(id, job.life());
    }
  }
  void on_ready(JobId id)
  {
    if (!m_daemons.mark_ready(id)) {
      return;
    }
    tell([&](RunObserver& o) { o.daemon_ready(m_jobs.event(id, 0)); });
    if (!m_scheduler.stopped()) {
      m_scheduler.ready(id);
    }
    advance();
  }

  void on_exit(JobId id, Outcome outcome)
  {
    const JobSpec& job = m_jobs.spec(id);
    const Lifecycle& life = job.life();
    JobResult& result = m_jobs.result(id);
    result.name = job.name;
    result.elapsed = Clock::now() - m_jobs.started(id);
    const std::size_t slot = m_running.extract(id).mapped();
    if (life.daemon) {
      if (m_daemons.judge(id, life, outcome, !m_scheduler.stopped(), run_cause())) {
        m_scheduler.ready(id);
      }
    } else if (outcome.status == Status::cancelled) {
      outcome.cause = run_cause();
    }
    tell([&](RunObserver& o) { o.attempt_ended(m_jobs.event(id, slot), outcome, result.elapsed); });
    const bool retry =
      is_retryable(outcome) && result.attempts <= life.retries && !m_scheduler.stopped();
    result.outcome = std::move(outcome);
    result.allowed =
      life.allow_failure && !succeeded(result.outcome) && result.outcome.status != Status::stopped;
    if (retry) {
      retry_later(id, slot);
      return;
    }
    finish(id, slot);
  }

  void retry_later(JobId id, std::size_t slot)
  {
    const JobResult& result = m_jobs.result(id);
    const Lifecycle& life = m_jobs.spec(id).life();
    const Duration delay = retry_delay(life, result.attempts);
    tell([&](RunObserver& o) {
      o.job_retrying(m_jobs.event(id, slot), result.outcome, delay, life.retries + 1);
    });
    if (m_jobs.is_member(id)) {
      m_scheduler.pause_member(slot);
    } else {
      m_scheduler.pause(id);
    }
    m_retries.wait(id, delay, [this, id] {
      if (m_jobs.is_member(id)) {
        m_scheduler.resume_member(m_jobs.group_of(id), id);
      } else {
        m_scheduler.resume(id);
      }
      advance();
    });
    advance();
  }

  // Job `id` has ended for good, with the outcome in its result; `slot` is
  // the one its last attempt ran in, 0 when it waited for a retry.
  void finish(JobId id, std::size_t slot)
  {
    const JobResult& result = m_jobs.result(id);
    tell([&](RunObserver& o) { o.job_finished(m_jobs.event(id, slot), result); });
    const Status status = result.outcome.status;
    const bool cut_short = status == Status::stopped || status == Status::cancelled;
    if (!cut_short) {
      fail_fast_for(result);
    }
    if (m_jobs.is_member(id)) {
      finish_member(id, slot);
    } else {
      // An allowed failure lets the jobs that need it run, as in GitLab CI.
      // A job fanout ended leaves them unstarted, with the run's own reason.
      m_scheduler.finish(id, cut_short ? Scheduler::End::cut_short
                             : succeeded(result.outcome) || result.allowed
                               ? Scheduler::End::succeeded
                               : Scheduler::End::failed);
    }
    advance();
  }

  // A member's end: its slot back, its result logged and the rest of it
  // forgotten; its group learns whether it failed.
  void finish_member(JobId id, std::size_t slot)
  {
    if (slot != 0) {
      m_scheduler.end_member(slot);
    } else {
      m_scheduler.end_paused_member();
    }
    const JobId group = m_jobs.group_of(id);
    const std::uint64_t seq = m_jobs.input(id).seq;
    m_resume.member_ended(group, m_jobs.input(id), m_jobs.result(id));
    JobResult result = m_jobs.take_member(id);
    group_run(group).member_ended(result);
    m_log.add(std::move(result), group, seq);
  }

  // Ends the groups whose members have all ended, and whose inputs ran out
  // (or that the run stopped); says whether one ended.
  bool finish_groups()
  {
    bool any = false;
    for (auto& [id, run] : m_groups) {
      const auto end = run->take_end(m_scheduler.stopped());
      if (!end) {
        continue;
      }
      any = true;
      JobResult& result = m_jobs.result(id);
      if (run->problem()) {
        result = run->problem_result();
        fail_fast_for(result);
      }
      // What the jobs it leaves unstarted name as its status.
      result.outcome.status = run->failure().value_or(result.outcome.status);
      m_scheduler.finish(id, *end);
    }
    return any;
  }

  // With --fail-fast, a first failure that is no consequence of the run
  // being stopped stops it.
  void fail_fast_for(const JobResult& result)
  {
    if (m_config.failure == FailurePolicy::fail_fast && fails_run(result) && !m_fail_fast_cause &&
        m_interrupted_by == 0) {
      fail_fast(Cause{Cause::Kind::fail_fast, result.name, result.outcome.status});
    }
  }

  // --fail-fast: start nothing more, cancel the running jobs (daemons are
  // stopped as usual once nothing else runs), cancel the waiting retries.
  void fail_fast(Cause cause)
  {
    m_fail_fast_cause = std::move(cause);
    m_scheduler.stop();
    for (const auto& [id, slot] : std::vector(m_running.begin(), m_running.end())) {
      if (!m_jobs.spec(id).life().daemon) {
        m_executor.terminate(id, Ending::cancelled);
      }
    }
    end_waiting_retries();
  }

  // The jobs waiting for their next attempt will get none: cancelled, with
  // their last attempt's code. A member due but not started yet ends as it is.
  void end_waiting_retries()
  {
    for (const JobId id : m_retries.cancel_all()) {
      Outcome& outcome = m_jobs.result(id).outcome;
      outcome.status = Status::cancelled;
      outcome.stop = Stop::none;
      outcome.cause = run_cause();
      finish(id, 0);
    }
    std::ranges::for_each(m_scheduler.take_resumed_members(), [this](JobId id) { finish(id, 0); });
  }

  void on_signal(const boost::system::error_code& ec, int signal)
  {
    if (ec) {
      return;
    }
    if (m_interrupted_by == 0) {
      m_interrupted_by = signal;
      m_scheduler.stop();
      m_daemons.cancel_probes();
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
  JobRecords m_jobs;
  const RunConfig& m_config;
  Scheduler m_scheduler;
  ResultLog m_log;
  ResumeRun m_resume;
  std::unordered_map<JobId, std::unique_ptr<GroupRun>> m_groups; // groups asked for inputs
  Daemons m_daemons;
  std::unordered_map<JobId, std::size_t> m_running; // the slot of each running job
  RetryTimers m_retries;
  TokenGate m_gate; // make's jobserver
  std::optional<Cause> m_fail_fast_cause;
  int m_interrupted_by = 0;
  bool m_stopping_daemons = false; // no work left: the daemons were told to stop
  bool m_ended = false;            // no job left: the observers were told
  asio::signal_set m_signals;
};

} // namespace

const std::vector<int>& Runner::interrupting_signals()
{
  // SIGQUIT, SIGUSR1, SIGUSR2 and SIGALRM would otherwise end fanout at
  // once, without a summary and with its jobs left running.
  static const std::vector<int> signals{SIGINT,  SIGTERM, SIGHUP, SIGQUIT,
                                        SIGUSR1, SIGUSR2, SIGALRM};
  return signals;
}

Report Runner::run(JobFile file, const std::vector<JobId>& selected, const RunConfig& config,
                   ResumeState* state)
{
  const Clock::time_point run_start = Clock::now();
  Run run(m_io, m_executor, m_observers, std::move(file.jobs), selected, config, state);
  Report report;
  report.interrupted_by = run.run();
  report.elapsed = Clock::now() - run_start;
  run.fill(report, selected);
  for (RunObserver* observer : m_observers) {
    observer->run_finished(report);
  }
  return report;
}

} // namespace fanout
