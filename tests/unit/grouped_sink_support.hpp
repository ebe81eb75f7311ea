// SPDX-License-Identifier: MIT
#pragma once

#include "memory_file.hpp"
#include "output/grouped_sink.hpp"

#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace fanout::test {

// Drives a GroupedSink as the runner does, for jobs 0, 1 and 2 named
// "build", "lint" and "test" (tags padded to 5).
class SinkDriver {
public:
  SinkDriver(Console& console, OutputMode mode, CiPlatform ci = CiPlatform::none)
      : m_jobs(3), m_attempts(3, 1)
  {
    m_jobs[0].name = "build";
    m_jobs[1].name = "lint";
    m_jobs[2].name = "test";
    m_sink = std::make_unique<GroupedSink>(
      GroupedSink::Settings{mode, ci, 5, {}}, console,
      [this](std::function<void()> f) { m_deferred.push_back(std::move(f)); });
  }

  GroupedSink& sink() { return *m_sink; }

  void start(JobId id, unsigned attempt = 1)
  {
    m_attempts[id] = attempt;
    m_sink->job_started(event(id));
  }

  // Starts job `id` as a daemon.
  void start_daemon(JobId id)
  {
    Lifecycle life;
    life.daemon = true;
    m_jobs[id].lifecycle = std::make_shared<const Lifecycle>(life);
    start(id);
  }

  void write(JobId id, Stream stream, std::string_view bytes)
  {
    m_sink->job_output(event(id), stream, bytes);
  }

  // Both streams close, the attempt ends with `outcome`, the job is finished.
  void end(JobId id, Outcome outcome = Outcome(Status::ok, 0))
  {
    end_attempt(id, outcome);
    finish(id, outcome);
  }

  // Both streams close, the attempt ends with `outcome`, a retry follows.
  void retry(JobId id, Outcome outcome)
  {
    end_attempt(id, outcome);
    m_sink->job_retrying(event(id), outcome, Duration::zero(), 3);
  }

  // The job is finished with `outcome` (after end_attempt, or a retry that
  // never came).
  void finish(JobId id, Outcome outcome)
  {
    JobResult result{m_jobs[id].name, outcome, Seconds(0.5), m_attempts[id], false};
    m_sink->job_finished(event(id), result);
  }

  // Runs what the sink left for the event loop until nothing is left;
  // returns how many functions ran.
  std::size_t run_deferred()
  {
    std::size_t ran = 0;
    while (!m_deferred.empty()) {
      auto next = std::move(m_deferred.front());
      m_deferred.pop_front();
      next();
      ++ran;
    }
    return ran;
  }

private:
  JobEvent event(JobId id) const
  {
    return JobEvent{id, m_jobs[id], m_attempts[id], 1, m_jobs[id].name};
  }

  void end_attempt(JobId id, const Outcome& outcome)
  {
    m_sink->job_output_closed(event(id), Stream::out);
    m_sink->job_output_closed(event(id), Stream::err);
    m_sink->attempt_ended(event(id), outcome, Seconds(0.5));
  }

  std::vector<JobSpec> m_jobs;
  std::vector<unsigned> m_attempts;
  std::deque<std::function<void()>> m_deferred;
  std::unique_ptr<GroupedSink> m_sink;
};

// "line 1\n" to "line N\n".
inline std::string numbered_lines(int count)
{
  std::string text;
  for (int i = 1; i <= count; ++i) {
    text += "line " + std::to_string(i) + "\n";
  }
  return text;
}

// Each line of `lines` (all ending in '\n') with `prefix` in front.
inline std::string tagged(std::string_view prefix, std::string_view lines)
{
  std::string text;
  while (!lines.empty()) {
    const std::size_t end = lines.find('\n');
    text.append(prefix).append(lines.substr(0, end + 1));
    lines.remove_prefix(end + 1);
  }
  return text;
}

} // namespace fanout::test
