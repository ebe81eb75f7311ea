// SPDX-License-Identifier: MIT
#include "exec/outcome.hpp"
#include "report/outcome_text.hpp"

#include <gtest/gtest.h>

#include <csignal>
#include <sys/wait.h>

namespace fanout {
namespace {

// Raw waitpid statuses built the way Linux encodes them.
constexpr int exited(int code)
{
  return code << 8;
}
constexpr int signaled(int signal)
{
  return signal;
}

TEST(DecodeWaitStatus, ExitCodeIsPositive)
{
  EXPECT_EQ(decode_wait_status(exited(0)), 0);
  EXPECT_EQ(decode_wait_status(exited(9)), 9);
  EXPECT_EQ(decode_wait_status(exited(255)), 255);
}

TEST(DecodeWaitStatus, SignalIsNegative)
{
  EXPECT_EQ(decode_wait_status(signaled(SIGKILL)), -9);
  EXPECT_EQ(decode_wait_status(signaled(SIGSEGV) | 0x80), -11); // with a core dump
}

TEST(DecodeWaitStatus, ExitNineAndKillNineDiffer)
{
  EXPECT_NE(decode_wait_status(exited(9)), decode_wait_status(signaled(9)));
}

TEST(OutcomeOfExit, NaturalEndings)
{
  EXPECT_EQ(outcome_of_exit(exited(0), Ending::natural).status, Status::ok);
  const Outcome failed = outcome_of_exit(exited(9), Ending::natural);
  EXPECT_EQ(failed.status, Status::failed);
  EXPECT_EQ(failed.code, 9);
  EXPECT_EQ(note_text(failed), "");
  const Outcome killed = outcome_of_exit(signaled(SIGKILL), Ending::natural);
  EXPECT_EQ(killed.status, Status::killed);
  EXPECT_EQ(killed.code, -9);
  EXPECT_EQ(note_text(killed), "SIGKILL");
}

TEST(OutcomeOfExit, TimedOutKeepsTheCode)
{
  const Outcome term = outcome_of_exit(signaled(SIGTERM), Ending::timed_out);
  EXPECT_EQ(term.status, Status::timeout);
  EXPECT_EQ(term.code, -15);
  const Outcome kill = outcome_of_exit(signaled(SIGKILL), Ending::timed_out);
  EXPECT_EQ(kill.status, Status::timeout);
  EXPECT_EQ(kill.code, -9);
  EXPECT_EQ(outcome_of_exit(exited(3), Ending::timed_out).status, Status::timeout);
}

TEST(OutcomeOfExit, CancelledUnlessItExitedZero)
{
  EXPECT_EQ(outcome_of_exit(signaled(SIGTERM), Ending::cancelled).status, Status::cancelled);
  EXPECT_EQ(outcome_of_exit(exited(0), Ending::cancelled).status, Status::ok);
}

TEST(SignalName, KnownAndUnknown)
{
  EXPECT_EQ(signal_name(SIGSEGV), "SIGSEGV");
  EXPECT_EQ(signal_name(SIGTERM), "SIGTERM");
  EXPECT_EQ(signal_name(77), "signal 77");
}

TEST(StatusName, EveryStatus)
{
  EXPECT_EQ(status_name(Status::ok), "ok");
  EXPECT_EQ(status_name(Status::failed), "failed");
  EXPECT_EQ(status_name(Status::killed), "killed");
  EXPECT_EQ(status_name(Status::timeout), "timeout");
  EXPECT_EQ(status_name(Status::error), "error");
  EXPECT_EQ(status_name(Status::cancelled), "cancelled");
  EXPECT_EQ(status_name(Status::skipped), "skipped");
}

TEST(Succeeded, OnlyOk)
{
  EXPECT_TRUE(succeeded(Outcome(Status::ok, 0)));
  EXPECT_FALSE(succeeded(Outcome(Status::failed, 1)));
  EXPECT_FALSE(succeeded(Outcome(Status::skipped, 0)));
}

} // namespace
} // namespace fanout
