// SPDX-License-Identifier: MIT
// The runner's tests' stand-ins: an executor whose jobs end when and how a
// test decides, a sink that counts, and job files of plain jobs.
#pragma once

#include "exec/executor.hpp"
#include "output/output.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include <algorithm>
#include <functional>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

namespace fanout {

namespace asio = boost::asio;

// Stands in for the process executor: records what the runner starts and
// finishes the running jobs in an order the test picks, one per turn of the
// event loop. After `cancel_all` it ends every running job as cancelled.
class FakeExecutor : public Executor {
public:
  struct Job {
    JobId id;
    Callbacks callbacks;
  };
  // Picks which running job ends next and how, or none for now; `running`
  // is never empty.
  using Decide =
    std::function<std::optional<std::pair<std::size_t, Outcome>>(const std::vector<Job>& running)>;

  FakeExecutor(asio::io_context& io, Decide decide) : m_io(io), m_decide(std::move(decide)) {}

  void start(const Attempt& attempt, Callbacks callbacks) override
  {
    started.push_back({attempt.id, attempt.slot});
    m_running.push_back({attempt.id, std::move(callbacks)});
    peak = std::max(peak, m_running.size());
    schedule_step();
  }

  void terminate(JobId id, Ending why) override
  {
    terminated.push_back({id, why});
    for (std::size_t i = 0; i < m_running.size(); ++i) {
      if (m_running[i].id == id) {
        m_ending.push_back({id, why});
      }
    }
    schedule_step();
  }

  void cancel_all(int signal) override
  {
    cancels.push_back(signal);
    m_cancelled = true;
    schedule_step();
  }

  void hold_output(bool) override {}

  std::size_t running_count() const override { return m_running.size(); }

  std::vector<std::pair<JobId, std::size_t>> started;
  std::vector<int> cancels;
  std::vector<std::pair<JobId, Ending>> terminated;
  std::size_t peak = 0;

private:
  void schedule_step()
  {
    if (m_step_pending) {
      return;
    }
    m_step_pending = true;
    asio::post(m_io, [this] {
      m_step_pending = false;
      if (m_running.empty()) {
        return;
      }
      auto decision = m_cancelled ? std::pair{std::size_t{0}, Outcome(Status::cancelled, -15)}
                      : m_ending.empty() ? m_decide(m_running)
                                         : terminated_first();
      if (!decision) {
        return;
      }
      auto [index, outcome] = *decision;
      Job job = std::move(m_running[index]);
      m_running.erase(m_running.begin() + static_cast<std::ptrdiff_t>(index));
      std::erase_if(m_ending, [&](const auto& ending) { return ending.first == job.id; });
      job.callbacks.on_output(Stream::out, "line\n");
      job.callbacks.on_close(Stream::out);
      job.callbacks.on_close(Stream::err);
      if (!m_running.empty()) {
        schedule_step();
      }
      job.callbacks.on_exit(std::move(outcome));
    });
  }

  // The first job `terminate` ended, as the executor reports it.
  std::optional<std::pair<std::size_t, Outcome>> terminated_first()
  {
    const auto [id, why] = m_ending.front();
    m_ending.erase(m_ending.begin());
    const auto it = std::find_if(m_running.begin(), m_running.end(),
                                 [id = id](const Job& job) { return job.id == id; });
    const Status status = why == Ending::stopped ? Status::stopped : Status::cancelled;
    Outcome outcome(status, -15);
    outcome.stop = Stop::term;
    return std::pair{static_cast<std::size_t>(it - m_running.begin()), outcome};
  }

  asio::io_context& m_io;
  Decide m_decide;
  std::vector<std::pair<JobId, Ending>> m_ending; // terminated, not yet ended
  std::vector<Job> m_running;
  bool m_step_pending = false;
  bool m_cancelled = false;
};

class CountingSink : public OutputSink {
public:
  void write(JobId, Stream, std::string_view bytes) override { written += bytes.size(); }
  void start(JobId id, std::string_view tag) override { tags.emplace_back(id, tag); }
  std::vector<std::pair<JobId, std::string>> tags;
  void close(JobId, Stream) override { ++closed; }
  void job_finished(const JobEvent& e, const JobResult& result) override
  {
    finished.emplace_back(e.id, result.outcome.status, result.attempts);
  }
  std::size_t written = 0;
  std::size_t closed = 0;
  std::vector<std::tuple<JobId, Status, unsigned>> finished; // in the order they ended
};

inline JobFile make_file(std::size_t count)
{
  JobFile file;
  for (std::size_t i = 0; i < count; ++i) {
    JobSpec& job = file.jobs.emplace_back();
    job.name = "job-" + std::to_string(i + 1);
    job.cmd = "true";
    job.cwd = ".";
  }
  return file;
}

} // namespace fanout
