// SPDX-License-Identifier: MIT
#include "error.hpp"
#include "fake_executor.hpp"
#include "jobfile/selection.hpp"
#include "output/output.hpp"
#include "report/outcome_text.hpp"
#include "report/report.hpp"
#include "run/runner.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <gtest/gtest.h>

#include <csignal>
#include <fcntl.h>
#include <map>
#include <string>
#include <unistd.h>

namespace fanout {
namespace {

RunConfig with_jobs(std::size_t n)
{
  RunConfig config;
  config.max_parallel = n;
  return config;
}

class RunnerTest : public ::testing::Test {
protected:
  Report run(FakeExecutor::Decide decide, const JobFile& file, std::vector<JobId> selected,
             const RunConfig& config)
  {
    executor = std::make_unique<FakeExecutor>(io, std::move(decide));
    Runner runner(io, *executor, {&sink});
    return runner.run(file, selected, config);
  }

  asio::io_context io;
  std::unique_ptr<FakeExecutor> executor;
  CountingSink sink;
};

FakeExecutor::Decide newest_first_ok()
{
  return [](const std::vector<FakeExecutor::Job>& running) {
    return std::optional{std::pair{running.size() - 1, Outcome(Status::ok, 0)}};
  };
}

TEST_F(RunnerTest, NeverExceedsTheJobLimit)
{
  const Report report =
    run(newest_first_ok(), make_file(10), {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, with_jobs(3));
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
    return std::optional{
      std::pair{std::size_t{0}, Outcome(code == 0 ? Status::ok : Status::failed, code)}};
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
  std::vector<Attempt> seen;
  struct Recorder : FakeExecutor {
    using FakeExecutor::FakeExecutor;
    void start(const Attempt& attempt, Callbacks callbacks) override
    {
      seen->push_back(attempt);
      FakeExecutor::start(attempt, std::move(callbacks));
    }
    std::vector<Attempt>* seen = nullptr;
  };
  RunConfig config = with_jobs(1);
  config.timeout = std::chrono::seconds(3);
  config.grace = std::chrono::milliseconds(250);
  Recorder recorder(io, newest_first_ok());
  recorder.seen = &seen;
  Runner runner(io, recorder, {&sink});
  runner.run(file, {0, 1}, config);
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
  EXPECT_EQ(note_text(report.results[4].outcome), "run interrupted");
  EXPECT_EQ(exit_code_for(report), 130);
}

// Keeps a timer waiting on the run's loop, as the status line does, until
// it hears that every job has ended; records what it hears.
class LoopKeeper : public RunObserver {
public:
  explicit LoopKeeper(asio::io_context& io) : m_timer(io, std::chrono::seconds(60))
  {
    m_timer.async_wait([this](const boost::system::error_code& error) {
      heard.push_back(error ? "timer cancelled" : "timer expired");
    });
  }
  void job_finished(const JobEvent& e, const JobResult&) override
  {
    heard.push_back("finished " + std::to_string(e.id));
  }
  void all_jobs_ended() override
  {
    heard.push_back("all ended");
    m_timer.cancel();
  }
  void run_finished(const Report&) override { heard.push_back("run finished"); }
  std::vector<std::string> heard;

private:
  asio::steady_timer m_timer;
};

TEST_F(RunnerTest, TellsOnceThatAllJobsEndedSoThatATimerLetsTheLoopEnd)
{
  executor = std::make_unique<FakeExecutor>(io, newest_first_ok());
  LoopKeeper keeper(io);
  Runner runner(io, *executor, {&sink, &keeper});
  runner.run(make_file(2), {0, 1}, with_jobs(1));
  EXPECT_EQ(keeper.heard, (std::vector<std::string>{"finished 0", "finished 1", "all ended",
                                                    "timer cancelled", "run finished"}));
}

TEST_F(RunnerTest, TellsOnceThatAllJobsEndedAfterAnInterrupt)
{
  executor = std::make_unique<FakeExecutor>(io, [](const std::vector<FakeExecutor::Job>&) {
    ::raise(SIGINT);
    return std::optional<std::pair<std::size_t, Outcome>>{};
  });
  LoopKeeper keeper(io);
  Runner runner(io, *executor, {&sink, &keeper});
  const Report report = runner.run(make_file(3), {0, 1, 2}, with_jobs(2));
  EXPECT_EQ(report.interrupted_by, SIGINT);
  EXPECT_EQ(keeper.heard, (std::vector<std::string>{"finished 0", "finished 1", "all ended",
                                                    "timer cancelled", "run finished"}));
}

// Job files with lifecycles; `edit` gives job `id`'s to change.
Lifecycle& edit(JobFile& file, JobId id)
{
  auto life = std::make_shared<Lifecycle>(file.jobs[id].life());
  Lifecycle& ref = *life;
  file.jobs[id].lifecycle = std::move(life);
  return ref;
}

// Ends the oldest running job that is not a daemon, with the outcome
// `outcome_of(id, attempt)` gives; daemons run until terminated.
FakeExecutor::Decide by_job(const JobFile& file, std::function<Outcome(JobId, int)> outcome_of)
{
  auto attempts = std::make_shared<std::map<JobId, int>>();
  return [&file, outcome_of, attempts](const std::vector<FakeExecutor::Job>& running)
           -> std::optional<std::pair<std::size_t, Outcome>> {
    for (std::size_t i = 0; i < running.size(); ++i) {
      const JobId id = running[i].id;
      if (!file.jobs[id].life().daemon) {
        return std::pair{i, outcome_of(id, ++(*attempts)[id])};
      }
    }
    return std::nullopt;
  };
}

const Outcome k_ok(Status::ok, 0);
const Outcome k_failed(Status::failed, 1);

TEST_F(RunnerTest, AFailedNeedSkipsItsDependantsNamingIt)
{
  JobFile file = make_file(4);
  edit(file, 1).needs = {0};
  edit(file, 2).needs = {1};
  const Report report = run(by_job(file, [](JobId id, int) { return id == 0 ? k_failed : k_ok; }),
                            file, {0, 1, 2, 3}, with_jobs(4));
  const std::vector<std::pair<JobId, std::size_t>> started = {{0, 1}, {3, 2}};
  EXPECT_EQ(executor->started, started);
  EXPECT_EQ(report.results[1].outcome.status, Status::skipped);
  EXPECT_EQ(note_text(report.results[1].outcome), "because job-1 failed");
  EXPECT_EQ(note_text(report.results[2].outcome), "because job-1 failed");
  EXPECT_EQ(report.results[3].outcome.status, Status::ok);
  EXPECT_EQ(exit_code_for(report), 1);
}

TEST_F(RunnerTest, AnAllowedFailureLetsItsDependantsRunAndTheRunSucceed)
{
  JobFile file = make_file(2);
  edit(file, 0).allow_failure = true;
  edit(file, 1).needs = {0};
  const Report report = run(by_job(file, [](JobId id, int) { return id == 0 ? k_failed : k_ok; }),
                            file, {0, 1}, with_jobs(2));
  EXPECT_TRUE(report.results[0].allowed);
  EXPECT_EQ(report.results[1].outcome.status, Status::ok);
  EXPECT_EQ(exit_code_for(report), 0);
}

TEST_F(RunnerTest, RetriesUntilSuccessTaggingEachAttempt)
{
  JobFile file = make_file(1);
  edit(file, 0).retries = 3;
  edit(file, 0).retry_delay = Duration::zero();
  const Report report =
    run(by_job(file, [](JobId, int attempt) { return attempt < 3 ? k_failed : k_ok; }), file, {0},
        with_jobs(1));
  EXPECT_EQ(executor->started.size(), 3u);
  EXPECT_EQ(report.results[0].outcome.status, Status::ok);
  EXPECT_EQ(report.results[0].attempts, 3u);
  const std::vector<std::pair<JobId, std::string>> tags = {
    {0, "job-1"}, {0, "job-1#2"}, {0, "job-1#3"}};
  EXPECT_EQ(sink.tags, tags);
  // Finished once, after its last attempt.
  EXPECT_EQ(sink.finished, (std::vector<std::tuple<JobId, Status, unsigned>>{{0, Status::ok, 3}}));
  EXPECT_EQ(exit_code_for(report), 0);
}

TEST_F(RunnerTest, RetriesStopAtTheLimitAndNeverFollowAnError)
{
  JobFile file = make_file(2);
  edit(file, 0).retries = 1;
  edit(file, 0).retry_delay = Duration::zero();
  edit(file, 1).retries = 5;
  const Outcome error(Status::error, 127);
  const Report report = run(by_job(file, [&](JobId id, int) { return id == 0 ? k_failed : error; }),
                            file, {0, 1}, with_jobs(2));
  EXPECT_EQ(report.results[0].attempts, 2u);
  EXPECT_EQ(report.results[0].outcome.status, Status::failed);
  EXPECT_EQ(report.results[1].attempts, 1u);
  EXPECT_EQ(executor->started.size(), 3u);
  EXPECT_EQ(sink.finished, (std::vector<std::tuple<JobId, Status, unsigned>>{
                             {1, Status::error, 1}, {0, Status::failed, 2}}));
}

// A job whose retry is due but finds no free slot when the run is
// interrupted ends with its last attempt: observers hear of it.
TEST_F(RunnerTest, ARetryStillQueuedWhenTheRunStopsFinishesWithItsLastAttempt)
{
  JobFile file = make_file(2);
  edit(file, 0).retries = 1;
  edit(file, 0).retry_delay = Duration::zero();
  asio::steady_timer later(io);
  auto decide = [&](const std::vector<FakeExecutor::Job>& running)
    -> std::optional<std::pair<std::size_t, Outcome>> {
    if (running.front().id == 0) {
      return std::pair{std::size_t{0}, k_failed};
    }
    // Job 1 holds the only slot. Job 0's retry timer expires first, then
    // this one interrupts the run.
    later.expires_after(std::chrono::milliseconds(10));
    later.async_wait([](const boost::system::error_code&) { ::raise(SIGINT); });
    return std::nullopt;
  };
  const Report report = run(decide, file, {0, 1}, with_jobs(1));
  EXPECT_EQ(report.interrupted_by, SIGINT);
  EXPECT_EQ(executor->started.size(), 2u);
  EXPECT_EQ(sink.finished, (std::vector<std::tuple<JobId, Status, unsigned>>{
                             {1, Status::cancelled, 1}, {0, Status::failed, 1}}));
}

TEST_F(RunnerTest, FailFastCancelsTheRunningAndSkipsTheRest)
{
  JobFile file = make_file(3);
  RunConfig options = with_jobs(2);
  options.failure = FailurePolicy::fail_fast;
  // job-2 never ends by itself.
  auto decide = [](const std::vector<FakeExecutor::Job>& running)
    -> std::optional<std::pair<std::size_t, Outcome>> {
    if (running[0].id == 0) {
      return std::pair{std::size_t{0}, k_failed};
    }
    return std::nullopt;
  };
  const Report report = run(decide, file, {0, 1, 2}, options);
  const std::vector<std::pair<JobId, Ending>> terminated = {{1, Ending::cancelled}};
  EXPECT_EQ(executor->terminated, terminated);
  EXPECT_EQ(report.results[1].outcome.status, Status::cancelled);
  EXPECT_EQ(note_text(report.results[1].outcome), "SIGTERM after job-1 failed (--fail-fast)");
  EXPECT_EQ(report.results[2].outcome.status, Status::skipped);
  EXPECT_EQ(note_text(report.results[2].outcome), "because job-1 failed (--fail-fast)");
  EXPECT_EQ(exit_code_for(report), 1);
}

TEST_F(RunnerTest, ADaemonIsStoppedOnceEveryOtherJobEnded)
{
  JobFile file = make_file(3);
  edit(file, 0).daemon = true;
  edit(file, 1).needs = {0};
  edit(file, 2).needs = {1};
  const Report report =
    run(by_job(file, [](JobId, int) { return k_ok; }), file, {0, 1, 2}, with_jobs(1));
  const std::vector<std::pair<JobId, std::size_t>> started = {{0, 0}, {1, 1}, {2, 1}};
  EXPECT_EQ(executor->started, started);
  const std::vector<std::pair<JobId, Ending>> terminated = {{0, Ending::stopped}};
  EXPECT_EQ(executor->terminated, terminated);
  EXPECT_EQ(report.results[0].outcome.status, Status::stopped);
  EXPECT_EQ(exit_code_for(report), 0);
}

TEST_F(RunnerTest, FailFastStillStopsTheDaemons)
{
  JobFile file = make_file(3);
  edit(file, 0).daemon = true;
  RunConfig options = with_jobs(1);
  options.failure = FailurePolicy::fail_fast;
  const Report report = run(by_job(file, [](JobId id, int) { return id == 1 ? k_failed : k_ok; }),
                            file, {0, 1, 2}, options);
  const std::vector<std::pair<JobId, Ending>> terminated = {{0, Ending::stopped}};
  EXPECT_EQ(executor->terminated, terminated);
  EXPECT_EQ(report.results[0].outcome.status, Status::stopped);
  EXPECT_EQ(note_text(report.results[2].outcome), "because job-2 failed (--fail-fast)");
  EXPECT_EQ(exit_code_for(report), 1);
}

TEST_F(RunnerTest, ADaemonStoppedBeforeItWasReadyLeavesTheDaemonsThatNeedItUnstarted)
{
  JobFile file = make_file(3);
  edit(file, 0).daemon = true;
  edit(file, 0).ready =
    ReadySpec{ReadySpec::Kind::log, "never printed", {}, 0, std::chrono::hours(1)};
  edit(file, 1).daemon = true;
  edit(file, 1).needs = {0};
  const Report report =
    run(by_job(file, [](JobId, int) { return k_ok; }), file, {0, 1, 2}, with_jobs(1));
  EXPECT_EQ(report.results[0].outcome.status, Status::stopped);
  EXPECT_EQ(report.results[1].outcome.status, Status::skipped);
  EXPECT_EQ(note_text(report.results[1].outcome), "no job left that needs it");
  EXPECT_EQ(exit_code_for(report), 0);
}

TEST_F(RunnerTest, AStoppedDaemonIsNoAllowedFailure)
{
  JobFile file = make_file(2);
  edit(file, 0).daemon = true;
  edit(file, 0).allow_failure = true;
  const Report report =
    run(by_job(file, [](JobId, int) { return k_ok; }), file, {0, 1}, with_jobs(1));
  EXPECT_EQ(report.results[0].outcome.status, Status::stopped);
  EXPECT_FALSE(report.results[0].allowed);
  EXPECT_EQ(format_summary(report, SummaryRows::failures_only), "");
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

TEST(SelectJobs, AddsWhatTheSelectedJobsNeed)
{
  JobFile file = make_file(4);
  edit(file, 3).needs = {1};
  edit(file, 1).needs = {0};
  EXPECT_EQ(select_jobs(file, {"job-4"}), (std::vector<JobId>{0, 1, 3}));
}

TEST(SelectJobs, UnknownNameIsAnError)
{
  JobFile file = make_file(1);
  try {
    select_jobs(file, {"nope*"});
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "fanout: error: no job matches \"nope*\"");
  }
}

} // namespace
} // namespace fanout
