// SPDX-License-Identifier: MIT
#include "report/outcome_text.hpp"

#include <gtest/gtest.h>

namespace fanout {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

Outcome stopped(Status status, int code, Stop stop, Cause cause = {})
{
  Outcome outcome(status, code);
  outcome.stop = stop;
  outcome.timeout = seconds(3);
  outcome.grace = milliseconds(500);
  outcome.cause = std::move(cause);
  return outcome;
}

TEST(NoteText, ATimeoutSaysWhatEndedItAndAfterWhat)
{
  EXPECT_EQ(note_text(stopped(Status::timeout, -15, Stop::term)), "SIGTERM after 3s");
  EXPECT_EQ(note_text(stopped(Status::timeout, -9, Stop::kill)), "SIGKILL after 3s + 500ms grace");
  EXPECT_EQ(note_text(stopped(Status::timeout, 1, Stop::request)), "stopped on request after 3s");
  EXPECT_EQ(note_text(stopped(Status::timeout, 0, Stop::abandoned)),
            "abandoned after 3s + 500ms grace: a thread cannot be killed");
}

TEST(NoteText, AStoppedDaemonNamesItsGraceOnlyWhenItTookIt)
{
  EXPECT_EQ(note_text(stopped(Status::stopped, -15, Stop::term)), "SIGTERM");
  EXPECT_EQ(note_text(stopped(Status::stopped, -9, Stop::kill)), "SIGKILL after 500ms grace");
  EXPECT_EQ(note_text(stopped(Status::stopped, 0, Stop::abandoned)),
            "abandoned after 500ms grace: a thread cannot be killed");
}

TEST(NoteText, ACancelledJobSaysWhy)
{
  const Cause lint_failed(Cause::Kind::fail_fast, "lint", Status::failed);
  EXPECT_EQ(note_text(stopped(Status::cancelled, -15, Stop::term, Cause(Cause::Kind::interrupt))),
            "SIGTERM on interrupt");
  EXPECT_EQ(note_text(stopped(Status::cancelled, -9, Stop::kill, lint_failed)),
            "SIGKILL after lint failed (--fail-fast)");
  EXPECT_EQ(
    note_text(stopped(Status::cancelled, 0, Stop::abandoned, Cause(Cause::Kind::interrupt))),
    "abandoned on interrupt: a thread cannot be killed");
  EXPECT_EQ(note_text(stopped(Status::cancelled, 1, Stop::none, lint_failed)),
            "retry cancelled after lint failed (--fail-fast)");
}

TEST(NoteText, ASkippedJobNamesTheJobOrEventBehindIt)
{
  Outcome skipped;
  skipped.cause = Cause(Cause::Kind::dependency, "db", Status::timeout);
  EXPECT_EQ(note_text(skipped), "because db timed out");
  skipped.cause = Cause(Cause::Kind::fail_fast, "unit", Status::killed);
  EXPECT_EQ(note_text(skipped), "because unit was killed (--fail-fast)");
  skipped.cause = Cause(Cause::Kind::interrupt);
  EXPECT_EQ(note_text(skipped), "run interrupted");
  skipped.cause = Cause(Cause::Kind::unneeded);
  EXPECT_EQ(note_text(skipped), "no job left that needs it");
}

TEST(NoteText, ADaemonThatWasNeverReady)
{
  Outcome late(Status::failed, -15);
  late.cause = Cause(Cause::Kind::not_ready, {}, Status::ok, seconds(20));
  EXPECT_EQ(note_text(late), "not ready after 20s");
  Outcome early(Status::killed, -11);
  early.cause = Cause(Cause::Kind::before_ready);
  EXPECT_EQ(note_text(early), "SIGSEGV, ended before it was ready");
  Outcome quiet(Status::failed, 0);
  quiet.cause = Cause(Cause::Kind::before_ready);
  EXPECT_EQ(note_text(quiet), "ended before it was ready");
}

TEST(NoteText, AJobsOwnWordsComeAsTheySay)
{
  Outcome raised(Status::failed, 1);
  raised.message = "RuntimeError: There was an error!";
  EXPECT_EQ(note_text(raised), "RuntimeError: There was an error!");
  EXPECT_EQ(note_text(Outcome(Status::killed, -6)), "SIGABRT");
  EXPECT_EQ(note_text(Outcome(Status::failed, 2)), "");
}

TEST(HasCode, NotForAJobThatNeverStartedOrWasAbandoned)
{
  EXPECT_TRUE(has_code(Outcome(Status::failed, 0)));
  EXPECT_FALSE(has_code(Outcome(Status::skipped, 0)));
  EXPECT_FALSE(has_code(stopped(Status::timeout, 0, Stop::abandoned)));
}

} // namespace
} // namespace fanout
