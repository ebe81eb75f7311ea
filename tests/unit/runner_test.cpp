// SPDX-License-Identifier: MIT
#include "fanout/runner.hpp"

#include "fanout/error.hpp"

#include <boost/asio/post.hpp>
#include <gtest/gtest.h>

#include <csignal>
#include <fcntl.h>
#include <unistd.h>

namespace fanout {
namespace {

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

  void start(JobId id, const JobSpec&, std::size_t slot, Callbacks callbacks) override
  {
    started.push_back({id, slot});
    m_running.push_back({id, std::move(callbacks)});
    peak = std::max(peak, m_running.size());
    schedule_step();
  }

  void cancel_all(int signal) override
  {
    cancels.push_back(signal);
    m_cancelled = true;
    schedule_step();
  }

  std::size_t running_count() const override { return m_running.size(); }

  std::vector<std::pair<JobId, std::size_t>> started;
  std::vector<int> cancels;
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
      auto decision = m_cancelled ? std::pair{std::size_t{0}, Outcome{Status::cancelled, -15, {}}}
                                  : m_decide(m_running);
      if (!decision) {
        return;
      }
      auto [index, outcome] = *decision;
      Job job = std::move(m_running[index]);
      m_running.erase(m_running.begin() + static_cast<std::ptrdiff_t>(index));
      job.callbacks.on_output(Stream::out, "line\n");
      job.callbacks.on_close(Stream::out);
      job.callbacks.on_close(Stream::err);
      if (!m_running.empty()) {
        schedule_step();
      }
      job.callbacks.on_exit(std::move(outcome));
    });
  }

  asio::io_context& m_io;
  Decide m_decide;
  std::vector<Job> m_running;
  bool m_step_pending = false;
  bool m_cancelled = false;
};

class CountingSink : public OutputSink {
public:
  void write(JobId, Stream, std::string_view bytes) override { written += bytes.size(); }
  void close(JobId, Stream) override { ++closed; }
  std::size_t written = 0;
  std::size_t closed = 0;
};

JobFile make_file(std::size_t count)
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

Options with_jobs(std::size_t n)
{
  Options options;
  options.jobs = n;
  return options;
}

class RunnerTest : public ::testing::Test {
protected:
  Report run(FakeExecutor::Decide decide, const JobFile& file, std::vector<JobId> selected,
             const Options& options)
  {
    executor = std::make_unique<FakeExecutor>(io, std::move(decide));
    Runner runner(io, *executor, sink, messages);
    return runner.run(file, selected, options);
  }

  asio::io_context io;
  std::unique_ptr<FakeExecutor> executor;
  CountingSink sink;
  FdWriter messages{::open("/dev/null", O_WRONLY | O_CLOEXEC)};
};

FakeExecutor::Decide newest_first_ok()
{
  return [](const std::vector<FakeExecutor::Job>& running) {
    return std::optional{std::pair{running.size() - 1, Outcome{Status::ok, 0, {}}}};
  };
}

TEST_F(RunnerTest, NeverExceedsTheJobLimit)
{
  const Report report = run(newest_first_ok(), make_file(10), {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, with_jobs(3));
  EXPECT_EQ(executor->peak, 3u);
  EXPECT_EQ(executor->started.size(), 10u);
  EXPECT_EQ(report.results.size(), 10u);
  EXPECT_EQ(exit_code_for(report), 0);
  EXPECT_EQ(sink.written, 50u);
  EXPECT_EQ(sink.closed, 20u);
}

TEST_F(RunnerTest, ReusesFreedSlots)
{
  run(newest_first_ok(), make_file(4), {0, 1, 2, 3}, with_jobs(2));
  const std::vector<std::pair<JobId, std::size_t>> expected = {{0, 1}, {1, 2}, {2, 2}, {3, 2}};
  EXPECT_EQ(executor->started, expected);
}

TEST_F(RunnerTest, ReportsSelectedJobsInFileOrder)
{
  auto decide = [](const std::vector<FakeExecutor::Job>& running) {
    const int code = static_cast<int>(running.front().id);
    return std::optional{std::pair{std::size_t{0}, Outcome{code == 0 ? Status::ok : Status::failed, code, {}}}};
  };
  const Report report = run(decide, make_file(4), {0, 2, 3}, with_jobs(2));
  ASSERT_EQ(report.results.size(), 3u);
  EXPECT_EQ(report.results[0].name, "job-1");
  EXPECT_EQ(report.results[1].name, "job-3");
  EXPECT_EQ(report.results[1].outcome.code, 2);
  EXPECT_EQ(report.results[2].outcome.status, Status::failed);
  EXPECT_EQ(exit_code_for(report), 1);
}

TEST_F(RunnerTest, AppliesCommandLineLimitsToJobsThatSetNone)
{
  JobFile file = make_file(2);
  file.jobs[1].timeout = std::chrono::seconds(7);
  std::vector<JobSpec> seen;
  struct Recorder : FakeExecutor {
    using FakeExecutor::FakeExecutor;
    void start(JobId id, const JobSpec& job, std::size_t slot, Callbacks callbacks) override
    {
      seen->push_back(job);
      FakeExecutor::start(id, job, slot, std::move(callbacks));
    }
    std::vector<JobSpec>* seen = nullptr;
  };
  Options options = with_jobs(1);
  options.timeout = std::chrono::seconds(3);
  options.grace = std::chrono::milliseconds(250);
  Recorder recorder(io, newest_first_ok());
  recorder.seen = &seen;
  Runner runner(io, recorder, sink, messages);
  runner.run(file, {0, 1}, options);
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].timeout, std::chrono::milliseconds(3000));
  EXPECT_EQ(seen[1].timeout, std::chrono::milliseconds(7000));
  EXPECT_EQ(seen[0].grace, std::chrono::milliseconds(250));
}

TEST_F(RunnerTest, InterruptCancelsRunningAndSkipsTheRest)
{
  auto decide = [&](const std::vector<FakeExecutor::Job>&) {
    ::raise(SIGINT);
    return std::optional<std::pair<std::size_t, Outcome>>{};
  };
  const Report report = run(decide, make_file(5), {0, 1, 2, 3, 4}, with_jobs(2));
  EXPECT_EQ(executor->cancels, (std::vector<int>{SIGTERM}));
  EXPECT_EQ(executor->started.size(), 2u);
  EXPECT_EQ(report.interrupted_by, SIGINT);
  EXPECT_EQ(report.results[2].outcome.status, Status::skipped);
  EXPECT_EQ(report.results[4].outcome.note, "run interrupted");
  EXPECT_EQ(exit_code_for(report), 130);
}

TEST(SelectJobs, NamesAndGlobsInFileOrder)
{
  JobFile file = make_file(3);
  file.jobs[0].name = "test-b";
  file.jobs[1].name = "lint";
  file.jobs[2].name = "test-a";
  EXPECT_EQ(select_jobs(file, {}), (std::vector<JobId>{0, 1, 2}));
  EXPECT_EQ(select_jobs(file, {"test-*"}), (std::vector<JobId>{0, 2}));
  EXPECT_EQ(select_jobs(file, {"test-a", "lint"}), (std::vector<JobId>{1, 2}));
}

TEST(SelectJobs, UnknownNameIsAnError)
{
  const JobFile file = make_file(1);
  try {
    select_jobs(file, {"nope*"});
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "fanout: error: no job matches \"nope*\"");
  }
}

} // namespace
} // namespace fanout
