// SPDX-License-Identifier: MIT
// Each launcher with a real job: test_child (tests/helper/test_child.cpp)
// as a command, and the functions of test_jobs.so as function jobs.
#include "exec/pool_executor.hpp"
#include "exec_recorder.hpp"

#include <boost/asio/io_context.hpp>
#include <gtest/gtest.h>

#include <csignal>
#include <memory>
#include <string>
#include <sys/wait.h>
#include <vector>

namespace fanout::test {
namespace {

const std::string k_child = TEST_CHILD_BIN;

// A job file of `jobs` with their function table, and an executor of `pool`.
struct JobRun {
  JobRun(Pool pool, std::vector<JobSpec> jobs) : file{"", std::move(jobs)}, functions(file, ids())
  {
    executor = std::make_unique<PoolExecutor>(io, pool, functions);
  }

  std::vector<JobId> ids() const
  {
    std::vector<JobId> all;
    for (JobId id = 0; id < file.jobs.size(); ++id) {
      all.push_back(id);
    }
    return all;
  }

  // Starts job `id` and records it into `record`.
  void start(JobId id, Record& record, Duration grace = std::chrono::milliseconds(50))
  {
    executor->start(attempt_of(id, file.jobs[id], Duration::zero(), grace), record.callbacks());
  }

  boost::asio::io_context io;
  JobFile file;
  FunctionTable functions;
  std::unique_ptr<PoolExecutor> executor;
};

// A job calling `symbol` of test_jobs.so.
JobSpec function_job(const std::string& symbol, std::vector<std::string> args = {})
{
  JobSpec job = command_job(symbol, {});
  job.call = std::make_shared<CallSpec>(CallSpec{TEST_JOBS_LIB, symbol, std::move(args)});
  return job;
}

class Launchers : public testing::TestWithParam<Pool> {};

INSTANTIATE_TEST_SUITE_P(Pools, Launchers, testing::Values(Pool::process, Pool::thread),
                         [](const testing::TestParamInfo<Pool>& info) {
                           return info.param == Pool::process ? "process" : "thread";
                         });

TEST_P(Launchers, CommandGivesItsOutputAndExitCode)
{
  JobRun run(GetParam(),
             {command_job("child", {k_child, "print", "2", "hi", "eprint", "oops", "exit", "3"})});
  Record record;

  run.start(0, record);
  run.io.run();

  EXPECT_EQ(record.out, "hi 1\nhi 2\n");
  EXPECT_EQ(record.err, "oops\n");
  ASSERT_TRUE(record.outcome);
  EXPECT_EQ(record.outcome->status, Status::failed);
  EXPECT_EQ(record.outcome->code, 3);
}

TEST_P(Launchers, CommandThatIgnoresTermIsKilledAfterItsGrace)
{
  JobRun run(GetParam(), {command_job("child", {k_child, "ignore-term", "print", "1", "ready",
                                                "sleep", "30000"})});
  Record record;
  record.on_output = [&](Stream) { run.executor->terminate(0, Ending::cancelled); };

  run.start(0, record);
  run.io.run();

  ASSERT_TRUE(record.outcome);
  EXPECT_EQ(record.outcome->status, Status::cancelled);
  EXPECT_EQ(record.outcome->code, -SIGKILL);
  EXPECT_EQ(record.outcome->stop, Stop::kill);
}

TEST_P(Launchers, CommandThatCannotStartEndsAsAnError)
{
  JobRun run(GetParam(), {command_job("nosuch", {"/nonexistent/program"})});
  Record record;

  run.start(0, record);
  run.io.run();

  EXPECT_EQ(record.err, "fanout: program not found: /nonexistent/program\n");
  ASSERT_TRUE(record.outcome);
  EXPECT_EQ(record.outcome->status, Status::error);
  EXPECT_EQ(record.outcome->code, 127);
}

TEST_P(Launchers, FunctionGivesItsOutputAndItsExceptionsMessage)
{
  JobRun run(GetParam(), {function_job("lines", {"2"}), function_job("throw_int")});
  Record lines;
  Record thrower;

  run.start(0, lines);
  run.start(1, thrower);
  run.io.run();

  EXPECT_EQ(lines.out, "lines line 0 of a text long enough to need several writes\n"
                       "lines line 1 of a text long enough to need several writes\n");
  ASSERT_TRUE(lines.outcome);
  EXPECT_EQ(lines.outcome->status, Status::ok);
  EXPECT_EQ(thrower.err, "an exception that is not a std::exception\n");
  ASSERT_TRUE(thrower.outcome);
  EXPECT_EQ(thrower.outcome->status, Status::failed);
  EXPECT_EQ(thrower.outcome->message, "an exception that is not a std::exception");
}

TEST_P(Launchers, FunctionMayCloseItsStreams)
{
  JobRun run(GetParam(), {function_job("close_out")});
  Record record;

  run.start(0, record);
  run.io.run();

  EXPECT_EQ(record.out, "before closing\n");
  EXPECT_EQ(record.err, "after closing\n");
  ASSERT_TRUE(record.outcome);
  EXPECT_EQ(record.outcome->status, Status::ok);
}

// Its exit is known to the kernel, not yet to the event loop, when it is
// terminated: it keeps its own ending. (In the thread pool the loop may not
// know the process at all yet, so only the process pool can promise this.)
TEST(CommandLauncher, JobThatHasExitedWhenTerminatedKeepsItsOwnEnding)
{
  JobRun run(Pool::process, {command_job("child", {k_child, "exit", "3"})});
  Record record;
  run.start(0, record);
  siginfo_t info{};
  ASSERT_EQ(::waitid(P_ALL, 0, &info, WEXITED | WNOWAIT), 0);

  run.executor->terminate(0, Ending::cancelled);
  run.io.run();

  ASSERT_TRUE(record.outcome);
  EXPECT_EQ(record.outcome->status, Status::failed);
  EXPECT_EQ(record.outcome->code, 3);
  EXPECT_EQ(record.outcome->stop, Stop::none);
}

} // namespace
} // namespace fanout::test
