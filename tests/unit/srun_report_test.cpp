// SPDX-License-Identifier: MIT
#include "exec/srun_report.hpp"

#include <gtest/gtest.h>

#include <csignal>
#include <string>

namespace fanout {
namespace {

constexpr int exited(int code)
{
  return code << 8;
}

// What the job's stderr gets of `input`, fed in pieces of `piece` bytes.
std::string passed(SrunReport& report, std::string_view input, std::size_t piece)
{
  std::string out;
  for (std::size_t at = 0; at < input.size(); at += piece) {
    out += report.job_output(input.substr(at, piece), false);
  }
  out += report.job_output({}, true);
  return out;
}

TEST(SrunReport, KeepsSrunsTaskLinesOutOfTheJobsOutput)
{
  for (const std::size_t piece : {1, 5, 1000}) {
    SrunReport report("/bin/sh");
    EXPECT_EQ(passed(report,
                     "job line\nsrun: error: localhost: task 0: Exited with exit code 3\n"
                     "srun: warning: something else\npartial",
                     piece),
              "job line\nsrun: warning: something else\npartial")
      << piece;
    EXPECT_EQ(report.outcome(exited(3), Ending::natural).code, 3);
  }
}

TEST(SrunReport, ASignalDeathIsMinusTheSignal)
{
  SrunReport report("/bin/sh");
  report.job_output("srun: error: node7: task 0: Killed\n", false);
  const Outcome outcome = report.outcome(exited(128 + SIGKILL), Ending::natural);
  EXPECT_EQ(outcome.status, Status::killed);
  EXPECT_EQ(outcome.code, -SIGKILL);
  EXPECT_EQ(report.outcome(exited(128 + SIGTERM), Ending::timed_out).status, Status::timeout);
}

TEST(SrunReport, AnExitCodeAbove128IsTheJobsOwn)
{
  SrunReport report("/bin/sh");
  report.job_output("srun: error: localhost: task 0: Exited with exit code 137\n", true);
  const Outcome outcome = report.outcome(exited(137), Ending::natural);
  EXPECT_EQ(outcome.status, Status::failed);
  EXPECT_EQ(outcome.code, 137);
}

TEST(SrunReport, AnExecFailureIsAnErrorInFanoutsWords)
{
  SrunReport missing("foo");
  EXPECT_EQ(missing.job_output("srun: error: localhost: task 0: Exited with exit code 2\n"
                               "slurmstepd-localhost: error: execve(): foo: No such file or "
                               "directory\n",
                               true),
            "fanout: program not found: foo\n");
  const Outcome not_found = missing.outcome(exited(2), Ending::natural);
  EXPECT_EQ(not_found.status, Status::error);
  EXPECT_EQ(not_found.code, 127);
  EXPECT_EQ(not_found.message, "program not found: foo");

  SrunReport denied("./x");
  denied.job_output("slurmstepd: error: execve(): /home/x: Permission denied\n", true);
  const Outcome cannot_run = denied.outcome(exited(13), Ending::natural);
  EXPECT_EQ(cannot_run.code, 126);
  EXPECT_EQ(cannot_run.message, "cannot run \"./x\": Permission denied");
}

TEST(SrunReport, SrunsOwnFailureIsAnErrorWithItsMessage)
{
  SrunReport report("/bin/sh");
  EXPECT_EQ(
    report.job_output("srun: error: Unable to create step for job 5: Invalid job id\n", true),
    "srun: error: Unable to create step for job 5: Invalid job id\n");
  const Outcome outcome = report.outcome(exited(1), Ending::natural);
  EXPECT_EQ(outcome.status, Status::error);
  EXPECT_EQ(outcome.code, 1);
  EXPECT_EQ(outcome.message, "srun: error: Unable to create step for job 5: Invalid job id");
}

TEST(SrunReport, ASrunKilledByFanoutIsKilled)
{
  SrunReport report("/bin/sh");
  const Outcome outcome = report.outcome(SIGKILL, Ending::timed_out);
  EXPECT_EQ(outcome.status, Status::timeout);
  EXPECT_EQ(outcome.code, -SIGKILL);
}

} // namespace
} // namespace fanout
