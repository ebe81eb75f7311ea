// SPDX-License-Identifier: MIT
// End-to-end tests of the failure policy (fanout(1), JOB FILE): --keep-going (the
// default), --fail-fast with its cancelled jobs, allow_failure, and retries
// with their tagged attempts.

#include "harness.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using e2e::lines_after;
using e2e::mask_times;
using e2e::Sandbox;

namespace {

// `broken` fails once `slow` is running; `slow` then waits forever, and
// `later` waits for a slot.
constexpr const char* k_one_failure = R"(
[[job]]
name = "slow"
argv = ['@CHILD@', 'print', '1', 'started', 'rendezvous', 'meet', '2', 'sleep', '60000']

[[job]]
name = "broken"
argv = ['@CHILD@', 'rendezvous', 'meet', '2', 'exit', '3']

[[job]]
name = "later"
cmd = "true"
)";

} // namespace

TEST(FailFast, CancelsTheRunningJobsAndStartsNothingMore)
{
  Sandbox box;
  box.write_jobs(k_one_failure);

  auto result = box.run({"-j", "2", "--fail-fast"});

  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(mask_times(result.err),
            "fanout: 3 jobs in T: 1 failed, 1 cancelled, 1 skipped\n"
            "  slow    cancelled -15   T  SIGTERM after broken failed (--fail-fast)\n"
            "  broken  failed      3   T\n"
            "  later   skipped     -       -  because broken failed (--fail-fast)\n");
}

TEST(FailFast, KeepGoingIsTheDefaultAndRunsEverythingElse)
{
  Sandbox box;
  box.write_jobs(R"(
[[job]]
name = "broken"
argv = ['@CHILD@', 'exit', '3']

[[job]]
name = "after"
cmd = "true"
)");

  for (const auto& args :
       {std::vector<std::string>{"-j", "1"}, std::vector<std::string>{"-j", "1", "--keep-going"}}) {
    auto result = box.run(args);
    EXPECT_EQ(result.exit_code, 1);
    EXPECT_EQ(mask_times(result.err), "fanout: 2 jobs in T: 1 ok, 1 failed\n"
                                      "  broken  failed      3   T\n"
                                      "  after   ok          0   T\n");
  }
}

TEST(FailFast, AndKeepGoingTogetherAreAUsageError)
{
  Sandbox box;
  box.write_jobs("[[job]]\ncmd = \"true\"\n");

  auto result = box.run({"--fail-fast", "--keep-going"});

  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(result.err, "fanout: error: --fail-fast cannot be used with --keep-going\n"
                        "Run 'fanout --help' for more information.\n");
}

TEST(AllowFailure, IsShownButDoesNotFailTheRun)
{
  Sandbox box;
  box.write_jobs(R"(
[[job]]
name = "lint"
allow_failure = true
argv = ['@CHILD@', 'exit', '1']

[[job]]
name = "package"
needs = ["lint"]
cmd = "true"
)");

  auto result = box.run({"--fail-fast"});

  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(mask_times(result.err), "fanout: 2 jobs in T: 1 ok, 1 allowed to fail\n"
                                    "  lint     failed (allowed)   1   T\n"
                                    "  package  ok                 0   T\n");
}

TEST(Retries, TagEachAttemptAndReportTheirCount)
{
  Sandbox box;
  // Fails twice, then succeeds: the count of its attempts is in attempts.log,
  // and each attempt is told its number in FANOUT_ATTEMPT.
  box.write_jobs(R"(
[[job]]
name = "flaky"
retries = 3
retry_delay = "10ms"
cmd = "echo try >> attempts.log; echo attempt $(wc -l < attempts.log) $FANOUT_ATTEMPT; [ $(wc -l < attempts.log) -ge 3 ]"
)");

  auto result = box.run({});

  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.out, "flaky   | attempt 1 1\nflaky#2 | attempt 2 2\nflaky#3 | attempt 3 3\n");
  EXPECT_EQ(mask_times(result.err), "fanout: flaky failed 1, retrying in 10ms (attempt 2 of 4)\n"
                                    "fanout: flaky#2 failed 1, retrying in 20ms (attempt 3 of 4)\n"
                                    "fanout: 1 job in T: 1 ok\n"
                                    "  flaky  ok          0   T  after 3 attempts\n");
}

TEST(Retries, StopAtTheLimitAndFollowTimeoutsButNeverErrors)
{
  Sandbox box;
  box.write_jobs(R"(
[[job]]
name = "slow"
retries = 1
retry_delay = "10ms"
timeout = "200ms"
argv = ['@CHILD@', 'sleep', '60000']

[[job]]
name = "missing"
retries = 5
argv = ['no-such-program-here']
)");

  auto result = box.run({"-j", "1"});

  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(lines_after(result.err, "fanout: slow"),
            std::vector<std::string>{" timeout -15, retrying in 10ms (attempt 2 of 2)"});
  EXPECT_EQ(lines_after(mask_times(result.err), "  slow "),
            std::vector<std::string>{"    timeout   -15   T  SIGTERM after 200ms (2 attempts)"});
  EXPECT_NE(mask_times(result.err)
              .find("  missing  error     127   T  program not found: "
                    "no-such-program-here\n"),
            std::string::npos);
}

// A job waiting for its next attempt when --fail-fast stops the run gets no
// further attempt: it was cancelled, not failed by itself.
TEST(Retries, AJobWaitingToRetryIsCancelledByFailFast)
{
  Sandbox box;
  box.write_jobs(R"(
[[job]]
name = "flaky"
retries = 1
retry_delay = "1h"
argv = ['@CHILD@', 'exit', '1']

[[job]]
name = "broken"
argv = ['@CHILD@', 'rendezvous', 'go', '2', 'exit', '2']
)");
  auto fanout = box.start({"-j", "2", "--fail-fast"});
  ASSERT_TRUE(fanout.wait_for_line("fanout: flaky failed 1, retrying in 1h (attempt 2 of 2)",
                                   e2e::RunningProgram::Output::err));
  box.write_file("go/test", "");

  auto result = fanout.finish();

  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(lines_after(mask_times(result.err), "  "),
            (std::vector<std::string>{
              "flaky   cancelled   1   T  retry cancelled after broken failed (--fail-fast)",
              "broken  failed      2   T"}));
}
