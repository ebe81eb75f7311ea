// SPDX-License-Identifier: MIT
// The life of a job as its JobWatch sees it, whatever started it: driven by
// a fake launcher, so no process is needed.
#include "exec/job_watch.hpp"
#include "exec/pool_executor.hpp"
#include "exec_recorder.hpp"
#include "fake_launcher.hpp"

#include <boost/asio/io_context.hpp>
#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <sys/wait.h>
#include <vector>

namespace fanout::test {
namespace {

using std::chrono::milliseconds;
using Signals = std::vector<int>;

struct JobWatchTest : testing::Test {
  boost::asio::io_context io;
  FakeLauncher launcher{io};
  PoolExecutor executor{io, launcher, launcher};
  JobSpec job = command_job("job", {"true"});
  Record record;
};

TEST_F(JobWatchTest, TimeoutSendsTermAndContThenKillAfterTheGrace)
{
  executor.start(attempt_of(0, job, milliseconds(1), milliseconds(1)), record.callbacks());

  io.run();

  EXPECT_EQ(launcher.signals, (Signals{SIGTERM, SIGCONT, SIGKILL}));
  ASSERT_TRUE(record.outcome);
  EXPECT_EQ(record.outcome->status, Status::timeout);
  EXPECT_EQ(record.outcome->code, -SIGKILL);
  EXPECT_EQ(record.outcome->stop, Stop::kill);
  EXPECT_EQ(record.outcome->timeout, milliseconds(1));
  EXPECT_EQ(record.outcome->grace, milliseconds(1));
  EXPECT_EQ(record.closed, (std::vector<Stream>{Stream::out, Stream::err}));
}

TEST_F(JobWatchTest, JobThatEndsOnTermWithinItsGraceGetsNoKill)
{
  launcher.ending_signal = SIGTERM;
  executor.start(attempt_of(0, job, milliseconds(1), std::chrono::hours(1)), record.callbacks());

  io.run();

  EXPECT_EQ(launcher.signals, (Signals{SIGTERM, SIGCONT}));
  ASSERT_TRUE(record.outcome);
  EXPECT_EQ(record.outcome->status, Status::timeout);
  EXPECT_EQ(record.outcome->code, -SIGTERM);
  // Without a process of its own, it was asked to stop.
  EXPECT_EQ(record.outcome->stop, Stop::request);
}

TEST_F(JobWatchTest, JobThatEndsByItselfKeepsItsOwnEnding)
{
  executor.start(attempt_of(0, job, std::chrono::hours(1)), record.callbacks());
  launcher.end(0, W_EXITCODE(3, 0));

  io.run();
  executor.terminate(0, Ending::cancelled);

  EXPECT_EQ(launcher.signals, Signals{});
  ASSERT_TRUE(record.outcome);
  EXPECT_EQ(record.outcome->status, Status::failed);
  EXPECT_EQ(record.outcome->code, 3);
  EXPECT_EQ(record.outcome->stop, Stop::none);
}

TEST_F(JobWatchTest, TerminatedJobThatExitsZeroIsOk)
{
  launcher.ending_signal = 0;
  executor.start(attempt_of(0, job), record.callbacks());
  executor.terminate(0, Ending::cancelled);
  launcher.end(0, W_EXITCODE(0, 0));

  io.run();

  EXPECT_EQ(launcher.signals, (Signals{SIGTERM, SIGCONT}));
  ASSERT_TRUE(record.outcome);
  EXPECT_EQ(record.outcome->status, Status::ok);
}

TEST_F(JobWatchTest, TerminateWhileTerminatingKeepsTheGraceAndTheFirstReason)
{
  executor.start(attempt_of(0, job, Duration::zero(), milliseconds(20)), record.callbacks());

  executor.terminate(0, Ending::stopped);
  executor.terminate(0, Ending::cancelled);
  executor.cancel_all(SIGTERM);
  const Signals after_both = launcher.signals;
  io.run();

  EXPECT_EQ(after_both, (Signals{SIGTERM, SIGCONT}));
  EXPECT_EQ(launcher.signals, (Signals{SIGTERM, SIGCONT, SIGKILL}));
  ASSERT_TRUE(record.outcome);
  EXPECT_EQ(record.outcome->status, Status::stopped);
  EXPECT_EQ(record.outcome->stop, Stop::kill);
}

TEST_F(JobWatchTest, SecondInterruptKillsAtOnce)
{
  executor.start(attempt_of(0, job, Duration::zero(), std::chrono::hours(1)), record.callbacks());

  executor.cancel_all(SIGTERM);
  executor.cancel_all(SIGKILL);
  io.run();

  EXPECT_EQ(launcher.signals, (Signals{SIGTERM, SIGCONT, SIGKILL}));
  ASSERT_TRUE(record.outcome);
  EXPECT_EQ(record.outcome->status, Status::cancelled);
  EXPECT_EQ(record.outcome->stop, Stop::kill);
}

TEST_F(JobWatchTest, OutputArrivesInOrderAndTheJobEndsAfterBothStreams)
{
  launcher.with_pipes = true;
  executor.start(attempt_of(0, job), record.callbacks());
  launcher.write(0, Stream::out, "one\n");
  launcher.write(0, Stream::err, "two\n");
  launcher.write(0, Stream::out, "three");
  launcher.close_pipes(0);
  launcher.end(0, W_EXITCODE(0, 0));

  io.run();

  EXPECT_EQ(record.out, "one\nthree");
  EXPECT_EQ(record.err, "two\n");
  EXPECT_EQ(record.closed.size(), 2u);
  ASSERT_TRUE(record.outcome);
  EXPECT_EQ(record.outcome->status, Status::ok);
}

// A process the job left behind, outside its group, may keep its pipes
// open: the job ends after a bounded drain, with what it wrote.
TEST_F(JobWatchTest, PipesHeldOpenAfterTheEndAreDrainedForABoundedTime)
{
  launcher.with_pipes = true;
  executor.start(attempt_of(0, job), record.callbacks());
  launcher.write(0, Stream::out, "partial");
  launcher.end(0, W_EXITCODE(0, 0));

  io.run();

  EXPECT_EQ(record.out, "partial");
  EXPECT_EQ(record.closed.size(), 2u);
  ASSERT_TRUE(record.outcome);
  EXPECT_EQ(record.outcome->status, Status::ok);
}

TEST_F(JobWatchTest, HeldOutputIsReadOnceTheHoldEnds)
{
  launcher.with_pipes = true;
  executor.hold_output(true);
  executor.start(attempt_of(0, job), record.callbacks());
  launcher.write(0, Stream::out, "first\n");
  record.on_output = [&](Stream) {
    // Read once, then held: the rest waits in the pipe.
    launcher.write(0, Stream::out, "second\n");
    launcher.close_pipes(0);
    launcher.end(0, W_EXITCODE(0, 0));
    record.on_output = nullptr;
    boost::asio::post(io, [&] {
      EXPECT_EQ(record.out, "first\n");
      executor.hold_output(false);
    });
  };

  io.run();

  EXPECT_EQ(record.out, "first\nsecond\n");
  ASSERT_TRUE(record.outcome);
  EXPECT_EQ(record.outcome->status, Status::ok);
}

} // namespace
} // namespace fanout::test
