// SPDX-License-Identifier: MIT
// The runner with groups: members made from inputs as slots free, their
// results, and a group as the need of another job.
#include "fake_executor.hpp"
#include "report/outcome_text.hpp"
#include "report/report.hpp"
#include "run/result_log.hpp"
#include "run/runner.hpp"

#include <boost/asio/steady_timer.hpp>
#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <memory>

namespace fanout {
namespace {

// A job file whose job `id` becomes a group over `values`, its argv
// `echo {}`.
void make_group(JobFile& file, JobId id, std::vector<std::string> values)
{
  JobSpec& job = file.jobs[id];
  job.cmd.clear();
  job.argv = {"echo", "{}"};
  auto group = std::make_shared<GroupSpec>();
  group->origin = GroupSpec::Origin::for_each;
  InputSourceSpec source;
  source.values = std::move(values);
  group->sources.push_back(std::move(source));
  job.group = std::move(group);
}

// Ends the oldest running job, ok.
FakeExecutor::Decide oldest_first()
{
  return [](const std::vector<FakeExecutor::Job>&) {
    return std::optional{std::pair{std::size_t{0}, Outcome(Status::ok, 0)}};
  };
}

class RunnerGroups : public ::testing::Test {
protected:
  Report run(const JobFile& file, std::vector<JobId> selected, std::size_t jobs,
             FakeExecutor::Decide decide)
  {
    executor = std::make_unique<FakeExecutor>(io, std::move(decide));
    RunConfig config;
    config.max_parallel = jobs;
    Runner runner(io, *executor, {&sink});
    return runner.run(file, selected, config);
  }

  std::vector<std::string> row_names(const Report& report) const
  {
    std::vector<std::string> names;
    for (const JobResult& result : report.results) {
      names.push_back(result.name);
    }
    return names;
  }

  asio::io_context io;
  std::unique_ptr<FakeExecutor> executor;
  CountingSink sink;
};

TEST_F(RunnerGroups, EveryInputIsAMemberTaggedWithItsInput)
{
  JobFile file = make_file(1);
  file.jobs[0].name = "gz";
  make_group(file, 0, {"a.csv", "b c"});
  const Report report = run(file, {0}, 2, oldest_first());
  EXPECT_EQ(row_names(report), (std::vector<std::string>{"gz:1:a.csv", "gz:2:b_c"}));
  EXPECT_EQ(report.tally.jobs, 2u);
  const std::vector<std::pair<JobId, std::string>> tags = {{1, "gz a.csv"}, {2, "gz b c"}};
  EXPECT_EQ(sink.tags, tags);
  EXPECT_EQ(exit_code_for(report), 0);
}

TEST_F(RunnerGroups, AJobThatNeedsAGroupWaitsForEveryMember)
{
  JobFile file = make_file(2);
  make_group(file, 0, {"1", "2", "3"});
  auto life = std::make_shared<Lifecycle>();
  life->needs = {0};
  file.jobs[1].lifecycle = life;
  run(file, {0, 1}, 4, oldest_first());
  // Members are ids 2, 3 and 4, after the file's two jobs; job 1 comes last.
  const std::vector<std::pair<JobId, std::size_t>> started = {{2, 1}, {3, 2}, {4, 3}, {1, 1}};
  EXPECT_EQ(executor->started, started);
}

TEST_F(RunnerGroups, AFailedMemberFailsTheGroupAndSkipsWhatNeedsIt)
{
  JobFile file = make_file(2);
  make_group(file, 0, {"1", "2"});
  auto life = std::make_shared<Lifecycle>();
  life->needs = {0};
  file.jobs[1].lifecycle = life;
  const Report report = run(file, {0, 1}, 1, [](const std::vector<FakeExecutor::Job>& running) {
    const bool second = running.front().id == 3;
    return std::optional{
      std::pair{std::size_t{0}, second ? Outcome(Status::failed, 4) : Outcome(Status::ok, 0)}};
  });
  ASSERT_EQ(report.results.size(), 3u);
  EXPECT_EQ(report.results[1].name, "job-1:2:2");
  EXPECT_EQ(report.results[1].outcome.code, 4);
  EXPECT_EQ(report.results[2].outcome.status, Status::skipped);
  EXPECT_EQ(note_text(report.results[2].outcome), "because job-1 failed");
  EXPECT_EQ(exit_code_for(report), 1);
}

TEST_F(RunnerGroups, AMemberWhoseRetryWasDueWhenTheRunStoppedEndsWithItsLastAttempt)
{
  JobFile file = make_file(1);
  make_group(file, 0, {"1", "2"});
  auto life = std::make_shared<Lifecycle>();
  life->retries = 1;
  life->retry_delay = Duration::zero();
  file.jobs[0].lifecycle = life;
  asio::steady_timer later(io);
  // Member 1 (id 1) fails; member 2 (id 2) takes the only slot and never
  // ends by itself, so member 1's retry is due with no slot to run in
  // when the run is interrupted.
  const Report report = run(file, {0}, 1, [&](const std::vector<FakeExecutor::Job>& running) {
    if (running.front().id == 1) {
      return std::optional{std::pair{std::size_t{0}, Outcome(Status::failed, 3)}};
    }
    later.expires_after(std::chrono::milliseconds(10));
    later.async_wait([](const boost::system::error_code&) { ::raise(SIGINT); });
    return std::optional<std::pair<std::size_t, Outcome>>{};
  });
  EXPECT_EQ(report.interrupted_by, SIGINT);
  EXPECT_EQ(executor->started.size(), 2u);
  EXPECT_EQ(sink.finished, (std::vector<std::tuple<JobId, Status, unsigned>>{
                             {1, Status::failed, 1}, {2, Status::cancelled, 1}}));
  ASSERT_EQ(report.results.size(), 2u);
  EXPECT_EQ(report.results[0].name, "job-1:1:1");
  EXPECT_EQ(report.results[0].outcome.code, 3);
  EXPECT_EQ(report.results[1].outcome.status, Status::cancelled);
}

TEST_F(RunnerGroups, PastTheRowLimitOnlyFailuresAreListed)
{
  JobFile file = make_file(1);
  std::vector<std::string> values;
  for (int i = 1; i <= 150; ++i) {
    values.push_back(std::to_string(i));
  }
  make_group(file, 0, values);
  const Report report = run(file, {0}, 3, [](const std::vector<FakeExecutor::Job>& running) {
    // Member k of the only job has id k.
    const bool fails = running.front().id == 77;
    return std::optional{
      std::pair{std::size_t{0}, fails ? Outcome(Status::failed, 1) : Outcome(Status::ok, 0)}};
  });
  EXPECT_EQ(report.tally.jobs, 150u);
  EXPECT_EQ(row_names(report), (std::vector<std::string>{"job-1:77:77"}));
  EXPECT_EQ(report.unlisted, 149u);
}

TEST_F(RunnerGroups, AnEmptyGroupSucceedsAtOnce)
{
  JobFile file = make_file(2);
  make_group(file, 0, {});
  auto life = std::make_shared<Lifecycle>();
  life->needs = {0};
  file.jobs[1].lifecycle = life;
  const Report report = run(file, {0, 1}, 2, oldest_first());
  EXPECT_EQ(row_names(report), (std::vector<std::string>{"job-2"}));
  EXPECT_EQ(exit_code_for(report), 0);
}

} // namespace
} // namespace fanout
