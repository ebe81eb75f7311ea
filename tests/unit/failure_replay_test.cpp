// SPDX-License-Identifier: MIT
#include "report/failure_replay.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace fanout {
namespace {

JobSpec named(const std::string& name)
{
  JobSpec job;
  job.name = name;
  return job;
}

// Drives a FailureReplay as a run would: each job an attempt at a time.
class Replay {
public:
  explicit Replay(std::size_t lines, std::size_t width = 4, bool color = false)
      : m_replay(lines, width, color)
  {
  }

  // Job `id`, named `name`, runs attempt `attempt`, writes `out` and `err`
  // (in that order) and ends.
  void attempt(JobId id, const std::string& name, unsigned attempt, std::string_view out,
               std::string_view err = {})
  {
    const JobSpec job = named(name);
    const JobEvent e{id, job, attempt, 1, name};
    m_replay.job_started(e);
    m_replay.job_output(e, Stream::out, out);
    m_replay.job_output(e, Stream::err, err);
    m_replay.job_output_closed(e, Stream::out);
    m_replay.job_output_closed(e, Stream::err);
  }

  // Job `id`'s last attempt is followed by a retry.
  void retry(JobId id, const std::string& name, unsigned attempt)
  {
    const JobSpec job = named(name);
    m_replay.job_retrying({id, job, attempt, 1, name}, Outcome(Status::failed, 1), {}, 3);
  }

  // Job `id` ends for good with `outcome`.
  void finish(JobId id, const std::string& name, unsigned attempts, Outcome outcome,
              bool allowed = false)
  {
    const JobSpec job = named(name);
    m_replay.job_finished({id, job, attempts, 1, name},
                          JobResult{name, std::move(outcome), Seconds(1), attempts, allowed});
  }

  std::string text() const { return m_replay.text(); }

private:
  FailureReplay m_replay;
};

TEST(FailureReplay, ReplaysTheLastLinesOfAFailedJobWithBothStreams)
{
  Replay replay(3);
  replay.attempt(0, "lint", 1, "one\ntwo\nthree\n", "oops\nno newline");
  replay.finish(0, "lint", 1, Outcome(Status::failed, 2));
  EXPECT_EQ(replay.text(), "fanout: lint failed, output (last 3 of 5 lines):\n"
                           "lint | three\n"
                           "lint | oops\n"
                           "lint | no newline\n");
}

TEST(FailureReplay, SaysWhenTheWholeOutputOrNoneIsReplayed)
{
  Replay replay(3);
  replay.attempt(0, "a", 1, "only\n");
  replay.finish(0, "a", 1, Outcome(Status::killed, -9));
  replay.attempt(1, "b", 1, "");
  replay.finish(1, "b", 1, Outcome(Status::error, 127));
  replay.attempt(2, "c", 1, "x\ny\n");
  replay.finish(2, "c", 1, Outcome(Status::timeout, -15));
  EXPECT_EQ(replay.text(), "fanout: a was killed, output (1 line):\n"
                           "a    | only\n"
                           "fanout: b could not start, no output\n"
                           "fanout: c timed out, output (2 lines):\n"
                           "c    | x\n"
                           "c    | y\n");
}

TEST(FailureReplay, ReplaysNothingForJobsThatAreNotTheCause)
{
  Replay replay(3);
  replay.attempt(0, "ok", 1, "fine\n");
  replay.finish(0, "ok", 1, Outcome(Status::ok, 0));
  replay.attempt(1, "cut", 1, "bye\n");
  Outcome cancelled(Status::cancelled, -15);
  cancelled.cause = Cause(Cause::Kind::fail_fast, "lint", Status::failed);
  replay.finish(1, "cut", 1, cancelled);
  replay.attempt(2, "db", 1, "stopping\n");
  replay.finish(2, "db", 1, Outcome(Status::stopped, -15));
  replay.attempt(3, "flaky", 1, "allowed\n");
  replay.finish(3, "flaky", 1, Outcome(Status::failed, 1), true);
  EXPECT_EQ(replay.text(), "");
}

TEST(FailureReplay, ReplaysOnlyTheLastAttemptTaggedAsItRan)
{
  Replay replay(5);
  replay.attempt(0, "unit", 1, "first try\n");
  replay.retry(0, "unit", 1);
  replay.attempt(0, "unit", 2, "second try\n");
  replay.finish(0, "unit", 2, Outcome(Status::failed, 1));
  EXPECT_EQ(replay.text(), "fanout: unit failed, output (1 line):\n"
                           "unit#2 | second try\n");
}

TEST(FailureReplay, ZeroLinesReplaysNothing)
{
  Replay replay(0);
  replay.attempt(0, "lint", 1, "why\n");
  replay.finish(0, "lint", 1, Outcome(Status::failed, 1));
  EXPECT_EQ(replay.text(), "");
}

TEST(FailureReplay, ColoursTheTagsAsTheRunDoes)
{
  Replay replay(1, 2, true);
  replay.attempt(1, "a", 1, "why\n");
  replay.finish(1, "a", 1, Outcome(Status::failed, 1));
  EXPECT_EQ(replay.text(), "fanout: a failed, output (1 line):\n"
                           "\x1b[33ma\x1b[0m  | why\n");
}

// However many jobs fail, only the first few are kept; the rest are counted.
TEST(FailureReplay, KeepsTheFirstFailuresAndCountsTheRest)
{
  Replay replay(1, 1);
  const std::size_t failures = FailureReplay::k_max_jobs + 2;
  for (JobId id = 0; id < failures; ++id) {
    replay.attempt(id, "j", 1, "line " + std::to_string(id) + "\n");
    replay.finish(id, "j", 1, Outcome(Status::failed, 1));
  }
  std::string expected;
  for (JobId id = 0; id < FailureReplay::k_max_jobs; ++id) {
    expected += "fanout: j failed, output (1 line):\nj | line " + std::to_string(id) + "\n";
  }
  expected += "fanout: 2 more jobs failed; only the first 10 are replayed\n";
  EXPECT_EQ(replay.text(), expected);
}

} // namespace
} // namespace fanout
