// SPDX-License-Identifier: MIT
// What the PoolExecutor does with an attempt that cannot start for want of
// descriptors, threads or processes: it waits for another job to end, or
// ends `error` when none can.
#include "exec/pool_executor.hpp"
#include "exec_recorder.hpp"
#include "fake_launcher.hpp"

#include <boost/asio/io_context.hpp>
#include <gtest/gtest.h>

#include <cerrno>
#include <sys/wait.h>
#include <vector>

namespace fanout::test {
namespace {

using Ids = std::vector<JobId>;

const std::string k_no_pipe = "cannot start: cannot create a pipe: Too many open files";

struct PoolExecutorTest : testing::Test {
  boost::asio::io_context io;
  FakeLauncher launcher{io};
  PoolExecutor executor{io, launcher, launcher};
  JobSpec first = command_job("first", {"true"});
  JobSpec second = command_job("second", {"true"});
  Record first_record;
  Record second_record;
};

TEST_F(PoolExecutorTest, ShortageWithNoOtherJobEndsTheAttemptAsAnError)
{
  launcher.failures.push_back(cannot_start("cannot create a pipe", EMFILE));

  executor.start(attempt_of(0, first), first_record.callbacks());
  io.run();

  ASSERT_TRUE(first_record.outcome);
  EXPECT_EQ(first_record.outcome->status, Status::error);
  EXPECT_EQ(first_record.outcome->code, 126);
  EXPECT_EQ(first_record.outcome->message, k_no_pipe);
  EXPECT_EQ(first_record.err, "fanout: " + k_no_pipe + "\n");
  EXPECT_EQ(first_record.closed, (std::vector<Stream>{Stream::out, Stream::err}));
  EXPECT_EQ(executor.running_count(), 0u);
}

TEST_F(PoolExecutorTest, ShortageWaitsForTheNextJobToEndAndStartsAgain)
{
  executor.start(attempt_of(0, first), first_record.callbacks());
  launcher.failures.push_back(cannot_start("cannot create a pipe", EMFILE));
  executor.start(attempt_of(1, second), second_record.callbacks());
  io.poll();
  const Ids before = launcher.started;
  const std::size_t waiting_count = executor.running_count();

  launcher.end(0, W_EXITCODE(0, 0));
  const Ids after = launcher.started;
  launcher.end(1, W_EXITCODE(0, 0));
  io.restart();
  io.run();

  EXPECT_EQ(before, (Ids{0, 1}));
  EXPECT_EQ(waiting_count, 2u);
  EXPECT_EQ(after, (Ids{0, 1, 1}));
  ASSERT_TRUE(second_record.outcome);
  EXPECT_EQ(second_record.outcome->status, Status::ok);
  EXPECT_EQ(second_record.err, "");
}

TEST_F(PoolExecutorTest, ShortageFoundAfterTheStartWaitsToo)
{
  executor.start(attempt_of(0, first), first_record.callbacks());
  executor.start(attempt_of(1, second), second_record.callbacks());
  // As a worker thread's report of a failed vfork would come.
  launcher.watch(1)->not_started(cannot_start("cannot create a process", EAGAIN));
  const std::size_t waiting_count = executor.running_count();

  launcher.end(0, W_EXITCODE(0, 0));
  launcher.end(1, W_EXITCODE(0, 0));
  io.run();

  EXPECT_EQ(waiting_count, 2u);
  EXPECT_EQ(launcher.started, (Ids{0, 1, 1}));
  ASSERT_TRUE(second_record.outcome);
  EXPECT_EQ(second_record.outcome->status, Status::ok);
}

TEST_F(PoolExecutorTest, ShortageThatOutlivesTheLastOtherJobEndsAsAnError)
{
  executor.start(attempt_of(0, first), first_record.callbacks());
  launcher.failures.push_back(cannot_start("cannot create a pipe", EMFILE));
  launcher.failures.push_back(cannot_start("cannot create a pipe", ENFILE));
  executor.start(attempt_of(1, second), second_record.callbacks());

  launcher.end(0, W_EXITCODE(0, 0));
  io.run();

  EXPECT_EQ(launcher.started, (Ids{0, 1, 1}));
  ASSERT_TRUE(second_record.outcome);
  EXPECT_EQ(second_record.outcome->status, Status::error);
  EXPECT_EQ(second_record.outcome->message,
            "cannot start: cannot create a pipe: Too many open files in system");
}

TEST_F(PoolExecutorTest, ShortageBesideOnlyADaemonEndsAsAnError)
{
  Lifecycle daemon;
  daemon.daemon = true;
  first.lifecycle = std::make_shared<const Lifecycle>(daemon);
  executor.start(attempt_of(0, first), first_record.callbacks());
  launcher.failures.push_back(cannot_start("cannot create a pipe", EMFILE));

  executor.start(attempt_of(1, second), second_record.callbacks());
  io.poll();

  ASSERT_TRUE(second_record.outcome);
  EXPECT_EQ(second_record.outcome->status, Status::error);
  launcher.end(0, W_EXITCODE(0, 0));
}

TEST_F(PoolExecutorTest, TerminatedOrCancelledWaitingAttemptsEndAsErrors)
{
  JobSpec third = command_job("third", {"true"});
  Record third_record;
  executor.start(attempt_of(0, first), first_record.callbacks());
  launcher.failures.push_back(cannot_start("cannot create a pipe", EMFILE));
  launcher.failures.push_back(cannot_start("cannot create a thread", EAGAIN));
  executor.start(attempt_of(1, second), second_record.callbacks());
  executor.start(attempt_of(2, third), third_record.callbacks());

  executor.terminate(1, Ending::cancelled);
  io.poll();
  const bool second_ended = second_record.outcome.has_value();
  const bool third_ended = third_record.outcome.has_value();
  executor.cancel_all(SIGTERM);
  launcher.end(0, W_EXITCODE(0, 0));
  io.restart();
  io.run();

  EXPECT_TRUE(second_ended);
  EXPECT_FALSE(third_ended);
  ASSERT_TRUE(second_record.outcome);
  EXPECT_EQ(second_record.outcome->message, k_no_pipe);
  ASSERT_TRUE(third_record.outcome);
  EXPECT_EQ(third_record.outcome->status, Status::error);
  EXPECT_EQ(third_record.outcome->message,
            "cannot start: cannot create a thread: Resource temporarily unavailable");
  EXPECT_EQ(launcher.started, (Ids{0, 1, 2}));
}

TEST_F(PoolExecutorTest, FailureThatIsNoShortageNeverWaits)
{
  executor.start(attempt_of(0, first), first_record.callbacks());
  launcher.failures.push_back({127, "program not found: nosuch"});

  executor.start(attempt_of(1, second), second_record.callbacks());
  io.poll();

  ASSERT_TRUE(second_record.outcome);
  EXPECT_EQ(second_record.outcome->status, Status::error);
  EXPECT_EQ(second_record.outcome->code, 127);
  EXPECT_EQ(second_record.err, "fanout: program not found: nosuch\n");
  launcher.end(0, W_EXITCODE(0, 0));
}

} // namespace
} // namespace fanout::test
