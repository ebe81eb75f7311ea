// SPDX-License-Identifier: MIT
// End-to-end tests of the run options on a command's inputs (fanout(1),
// INPUTS and OPTIONS): --retries, --fail-fast, --timeout, -v and --pool
// thread apply to every member as they do to a job of a job file.

#include "harness.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

using e2e::mask_times;
using e2e::Sandbox;
using e2e::sorted_lines;
using e2e::split_lines;

namespace {

const std::string k_child = TEST_CHILD_BIN;

// The last `count` lines of `text`, each with its '\n'.
std::string last_lines(const std::string& text, std::size_t count)
{
  std::vector<std::string> lines = split_lines(text);
  std::string tail;
  for (std::size_t i = lines.size() > count ? lines.size() - count : 0; i < lines.size(); ++i) {
    tail += lines[i] + "\n";
  }
  return tail;
}

} // namespace

// Each attempt counts itself in a file of its input's own: "a" succeeds at
// its third attempt, "b" never does. Retries wait 1 s, then 2 s.
TEST(InputsOptions, RetriesRunAFailedMemberAgainUnderItsAttemptTag)
{
  Sandbox box;

  auto result = box.run({"-j", "2", "--retries", "2", "--", "sh", "-c",
                         "n=$(cat count-$1 2>/dev/null || echo 0); n=$((n + 1)); "
                         "echo $n > count-$1; echo try $n; test $1 = a && test $n -ge 3",
                         "sh", ":::", "a", "b"});

  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(sorted_lines(result.out),
            (std::vector<std::string>{"a | try 1", "a#2 | try 2", "a#3 | try 3", "b | try 1",
                                      "b#2 | try 2", "b#3 | try 3"}));
  EXPECT_EQ(box.read_file("count-a"), "3\n");
  EXPECT_EQ(box.read_file("count-b"), "3\n");
  const std::string err = mask_times(result.err);
  EXPECT_EQ(last_lines(err, 3), "fanout: 2 jobs in T: 1 ok, 1 failed\n"
                                "  sh:1:a  ok          0   T  after 3 attempts\n"
                                "  sh:2:b  failed      1   T  3 attempts\n");
  std::vector<std::string> retries = split_lines(err);
  retries.resize(4);
  std::sort(retries.begin(), retries.end());
  EXPECT_EQ(retries, (std::vector<std::string>{
                       "fanout: sh:1:a failed 1, retrying in 1s (attempt 2 of 3)",
                       "fanout: sh:1:a#2 failed 1, retrying in 2s (attempt 3 of 3)",
                       "fanout: sh:2:b failed 1, retrying in 1s (attempt 2 of 3)",
                       "fanout: sh:2:b#2 failed 1, retrying in 2s (attempt 3 of 3)"}));
}

// "fail" and "wait" log their start and meet, so "wait" is running when
// "fail" fails; "later" never starts.
TEST(InputsOptions, FailFastCancelsTheRunningMembersAndSkipsTheRest)
{
  Sandbox box;

  auto result = box.run({"-j", "2", "--fail-fast", "--",
                         k_child + " mark log {} rendezvous meet 2 && test {} != fail && exec " +
                           k_child + " sleep 60000",
                         ":::", "fail", "wait", "later"});

  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(mask_times(result.err),
            "fanout: 3 jobs in T: 1 failed, 1 cancelled, 1 skipped\n"
            "  test_child:1:fail  failed      1   T\n"
            "  test_child:2:wait  cancelled -15   T  SIGTERM after test_child:1:fail failed "
            "(--fail-fast)\n"
            "  test_child:*       skipped     -       -  because test_child:1:fail failed "
            "(--fail-fast)\n");
  EXPECT_EQ(sorted_lines(box.read_file("log")), (std::vector<std::string>{"fail", "wait"}));
}

// The failure is the last input: nothing is left to skip.
TEST(InputsOptions, FailFastOnTheLastInputSkipsNothing)
{
  Sandbox box;

  auto result = box.run(
    {"-j", "1", "--fail-fast", "--", "sh", "-c", "echo $1 >> log; exit $1", "sh", ":::", "0", "3"});

  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(box.read_file("log"), "0\n3\n");
  EXPECT_EQ(mask_times(result.err), "fanout: 2 jobs in T: 1 ok, 1 failed\n"
                                    "  sh:1:0  ok          0   T\n"
                                    "  sh:2:3  failed      3   T\n");
}

TEST(InputsOptions, FailFastStartsNoMemberAfterTheFailure)
{
  Sandbox box;

  auto result = box.run({"-j", "1", "--fail-fast", "--", "sh", "-c", "echo $1 >> log; exit $1",
                         "sh", ":::", "0", "3", "0", "0"});

  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(box.read_file("log"), "0\n3\n");
  EXPECT_EQ(mask_times(result.err), "fanout: 3 jobs in T: 1 ok, 1 failed, 1 skipped\n"
                                    "  sh:1:0  ok          0   T\n"
                                    "  sh:2:3  failed      3   T\n"
                                    "  sh:*    skipped     -       -  because sh:2:3 failed "
                                    "(--fail-fast)\n");
}

TEST(InputsOptions, TimeoutStopsTheMemberThatRunsPastIt)
{
  Sandbox box;

  auto result = box.run({"--timeout", "1s", "--", k_child, "sleep", ":::", "0", "60000"});

  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(mask_times(result.err), "fanout: 2 jobs in T: 1 ok, 1 timed out\n"
                                    "  test_child:1:0      ok          0   T\n"
                                    "  test_child:2:60000  timeout   -15   T  SIGTERM after 1s\n");
}

TEST(InputsOptions, GraceBoundsAMemberThatIgnoresSigterm)
{
  Sandbox box;

  auto result = box.run({"--timeout", "300ms", "--grace", "300ms", "--", k_child, "ignore-term",
                         "sleep", "{}", ":::", "60000"});

  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(mask_times(result.err),
            "fanout: 1 job in T: 1 timed out\n"
            "  test_child:1:60000  timeout    -9   T  SIGKILL after 300ms + 300ms grace\n");
}

TEST(InputsOptions, VerboseSaysWhenEachMemberStartsAndEnds)
{
  Sandbox box;

  auto result = box.run({"-v", "-j", "1", "--", "sh", "-c", "exit $1", "sh", ":::", "0", "4"});

  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(mask_times(result.err), "fanout: started sh:1:0 (slot 1)\n"
                                    "fanout: finished sh:1:0: ok 0 in T\n"
                                    "fanout: started sh:2:4 (slot 1)\n"
                                    "fanout: finished sh:2:4: failed 4 in T\n"
                                    "fanout: 2 jobs in T: 1 ok, 1 failed\n"
                                    "  sh:1:0  ok          0   T\n"
                                    "  sh:2:4  failed      4   T\n");
}

// Two members meet, so two worker threads run them at once.
TEST(InputsOptions, TheThreadPoolRunsMembersSideBySide)
{
  Sandbox box;

  auto result = box.run({"--pool", "thread", "-j", "2", "--", k_child, "rendezvous", "meet", "2",
                         "print", "1", "{1}{2}", ":::", "a", "b", ":::", "x"});

  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(sorted_lines(result.out), (std::vector<std::string>{"a x | ax 1", "b x | bx 1"}));
  EXPECT_EQ(mask_times(result.err), "fanout: 2 jobs in T: 2 ok\n"
                                    "  test_child:1:a:x  ok          0   T\n"
                                    "  test_child:2:b:x  ok          0   T\n");
}
