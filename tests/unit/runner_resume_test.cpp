// SPDX-License-Identifier: MIT
// The runner with the state of earlier runs: what --resume and
// --rerun-failed start, what they find done, and what the run records.
#include "fake_executor.hpp"
#include "report/outcome_text.hpp"
#include "report/report.hpp"
#include "run/runner.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace fanout {
namespace {

// Ends the oldest running job: failed (exit 1) if its id is in `failing`.
FakeExecutor::Decide failing(std::set<JobId> ids)
{
  return [ids = std::move(ids)](const std::vector<FakeExecutor::Job>& running) {
    const bool fails = ids.contains(running.front().id);
    return std::optional{
      std::pair{std::size_t{0}, fails ? Outcome(Status::failed, 1) : Outcome(Status::ok, 0)}};
  };
}

// `file`'s job `id` becomes a group over `values`.
void make_group(JobFile& file, JobId id, std::vector<std::string> values)
{
  auto group = std::make_shared<GroupSpec>();
  group->sources.emplace_back().values = std::move(values);
  file.jobs[id].cmd = "gzip {}";
  file.jobs[id].group = std::move(group);
}

void add_need(JobFile& file, JobId id, JobId need)
{
  auto life = std::make_shared<Lifecycle>(file.jobs[id].life());
  life->needs.push_back(need);
  file.jobs[id].lifecycle = std::move(life);
}

// The jobs found done in an earlier run, as "group|name".
struct DoneEarlier : RunObserver {
  void job_done_earlier(std::string_view group, const JobResult& result) override
  {
    seen.push_back(std::string(group) + "|" + result.name);
  }
  std::vector<std::string> seen;
};

class RunnerResume : public ::testing::Test {
protected:
  // Runs every job of `file` in `mode` with the state the runs before
  // left; the jobs whose ids are in `fail` fail (members have the ids
  // after the job file's, in the order they start).
  Report run(const JobFile& file, ResumeMode mode, std::set<JobId> fail)
  {
    std::vector<JobId> selected;
    for (JobId id = 0; id < file.jobs.size(); ++id) {
      selected.push_back(id);
    }
    ResumeState state(mode);
    EXPECT_EQ(state.read(bytes), ResumeState::Reading::read);
    executor = std::make_unique<FakeExecutor>(io, failing(std::move(fail)));
    done_earlier.seen.clear();
    Runner runner(io, *executor, {&sink, &done_earlier});
    Report report = runner.run(file, selected, RunConfig{}, &state);
    bytes = state.bytes();
    io.restart();
    return report;
  }

  std::vector<JobId> started() const
  {
    std::vector<JobId> ids;
    for (const auto& [id, slot] : executor->started) {
      ids.push_back(id);
    }
    return ids;
  }

  static std::vector<std::string> rows(const Report& report)
  {
    std::vector<std::string> lines;
    for (const JobResult& result : report.results) {
      lines.push_back(result.name + " " + std::string(status_name(result.outcome.status)) + " " +
                      note_text(result.outcome));
    }
    return lines;
  }

  asio::io_context io;
  std::unique_ptr<FakeExecutor> executor;
  CountingSink sink;
  DoneEarlier done_earlier;
  std::string bytes; // the state, from run to run
};

TEST_F(RunnerResume, SkipsWhatSucceededAndLetsItsDependantsRun)
{
  JobFile file = make_file(4);
  add_need(file, 2, 1); // job-3 needs job-2, which fails at first
  add_need(file, 3, 0); // job-4 needs job-1
  run(file, ResumeMode::record, {1});

  const Report report = run(file, ResumeMode::resume, {});

  EXPECT_EQ(started(), (std::vector<JobId>{1, 2}));
  const std::vector<std::string> expected = {"job-1 ok done in an earlier run", "job-2 ok ",
                                             "job-3 ok ", "job-4 ok done in an earlier run"};
  EXPECT_EQ(rows(report), expected);
  EXPECT_EQ(report.tally.earlier, 2u);
  EXPECT_EQ(report.results[0].attempts, 0u);
  EXPECT_EQ(done_earlier.seen, (std::vector<std::string>{"|job-1", "|job-4"}));
  EXPECT_EQ(exit_code_for(report), 0);
}

TEST_F(RunnerResume, ResumingTwiceKeepsTheEarlierSuccesses)
{
  const JobFile file = make_file(3);
  run(file, ResumeMode::record, {2});
  run(file, ResumeMode::resume, {2});
  run(file, ResumeMode::resume, {});
  EXPECT_EQ(started(), std::vector<JobId>{2});
  run(file, ResumeMode::resume, {});
  EXPECT_EQ(started(), std::vector<JobId>{});
}

TEST_F(RunnerResume, AnEditedJobRunsAgain)
{
  JobFile file = make_file(2);
  run(file, ResumeMode::record, {});
  file.jobs[1].cmd = "false";
  run(file, ResumeMode::resume, {});
  EXPECT_EQ(started(), std::vector<JobId>{1});
}

TEST_F(RunnerResume, AJobDoneBeforeRunsAgainWhenAJobItNeedsRan)
{
  JobFile file = make_file(3);
  add_need(file, 1, 0);
  add_need(file, 2, 1);
  run(file, ResumeMode::record, {});
  file.jobs[0].cmd = "make again";
  run(file, ResumeMode::resume, {});
  EXPECT_EQ(started(), (std::vector<JobId>{0, 1, 2}));
}

TEST_F(RunnerResume, ADaemonAlwaysRuns)
{
  JobFile file = make_file(2);
  auto life = std::make_shared<Lifecycle>();
  life->daemon = true;
  file.jobs[0].lifecycle = life;
  add_need(file, 1, 0);
  run(file, ResumeMode::record, {});
  const Report report = run(file, ResumeMode::resume, {});
  EXPECT_EQ(started(), std::vector<JobId>{0});
  EXPECT_EQ(rows(report)[1], "job-2 ok done in an earlier run");
}

TEST_F(RunnerResume, ASkippedJobIsRecordedAsNotSucceeded)
{
  JobFile file = make_file(2);
  add_need(file, 1, 0);
  run(file, ResumeMode::record, {});
  run(file, ResumeMode::record, {0}); // job-2 is skipped

  ResumeState state;
  ASSERT_EQ(state.read(bytes), ResumeState::Reading::read);
  const StateSection* skipped = state.section(name_key("job-2"));
  ASSERT_NE(skipped, nullptr);
  EXPECT_FALSE(skipped->succeeded);
  EXPECT_TRUE(skipped->has_failed(name_key("job-2")));
}

TEST_F(RunnerResume, RerunFailedRunsOnlyWhatDidNotSucceed)
{
  JobFile file = make_file(3);
  run(file, ResumeMode::record, {1});
  // As the command line narrows the selection: the runner finds the rest
  // done when it is selected.
  const Report report = run(file, ResumeMode::rerun_failed, {});
  EXPECT_EQ(started(), std::vector<JobId>{1});
  EXPECT_EQ(report.tally.earlier, 2u);
}

TEST_F(RunnerResume, OnlyTheFailedMembersOfAGroupRunAgain)
{
  JobFile file = make_file(1);
  make_group(file, 0, {"a", "b", "c", "d"});
  // Members get ids after the job file's: 1 to 4, in order.
  run(file, ResumeMode::record, {2, 4});

  const Report report = run(file, ResumeMode::resume, {});

  EXPECT_EQ(executor->started.size(), 2u);
  const std::vector<std::string> expected = {"job-1:1:a ok done in an earlier run", "job-1:2:b ok ",
                                             "job-1:3:c ok done in an earlier run",
                                             "job-1:4:d ok "};
  EXPECT_EQ(rows(report), expected);
  EXPECT_EQ(done_earlier.seen, (std::vector<std::string>{"job-1|job-1:1:a", "job-1|job-1:3:c"}));
  run(file, ResumeMode::resume, {});
  EXPECT_TRUE(executor->started.empty());
}

TEST_F(RunnerResume, RerunFailedLeavesOutTheMembersThatSucceeded)
{
  JobFile file = make_file(1);
  make_group(file, 0, {"a", "b", "c"});
  run(file, ResumeMode::record, {2});
  const Report report = run(file, ResumeMode::rerun_failed, {});
  const std::vector<std::string> expected = {"job-1:2:b ok "};
  EXPECT_EQ(rows(report), expected);
  // New inputs of a group that succeeded are not failures.
  make_group(file, 0, {"a", "b", "c", "new"});
  EXPECT_TRUE(rows(run(file, ResumeMode::rerun_failed, {})).empty());
  EXPECT_EQ(rows(run(file, ResumeMode::resume, {})).back(), "job-1:4:new ok ");
}

TEST_F(RunnerResume, ARecordingRunWithoutAStateChangesNothing)
{
  const JobFile file = make_file(2);
  executor = std::make_unique<FakeExecutor>(io, failing({}));
  Runner runner(io, *executor, {&sink});
  const Report report = runner.run(file, {0, 1}, RunConfig{});
  EXPECT_EQ(report.tally.earlier, 0u);
  EXPECT_EQ(executor->started.size(), 2u);
}

} // namespace
} // namespace fanout
