// SPDX-License-Identifier: MIT
// End-to-end tests of the failures replayed after the summary (fanout(1),
// SUMMARY AND STATUSES): the last lines of each job that failed by itself,
// under a header naming it, tagged as the run's lines are; --tail.

#include "harness.hpp"

#include <gtest/gtest.h>

#include <string>

using e2e::mask_times;
using e2e::Sandbox;

namespace {

// The lines "PREFIX i", i from `first` to `last`.
std::string numbered(const std::string& prefix, int first, int last)
{
  std::string lines;
  for (int i = first; i <= last; ++i) {
    lines += prefix + " " + std::to_string(i) + "\n";
  }
  return lines;
}

} // namespace

TEST(FailuresReplayed, FailedJobsLastLinesFollowTheSummary)
{
  Sandbox box;
  box.write_jobs(R"(
[[job]]
name = "build"
argv = ['@CHILD@', 'print', '1', 'built']

[[job]]
name = "lint"
argv = ['@CHILD@', 'print', '2', 'warning', 'eprint', 'error: bad style', 'exit', '3']
)");

  auto result = box.run({"-j", "1", "--color", "never", "--tail", "20"});

  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(mask_times(result.err), "lint  | error: bad style\n"
                                    "fanout: 2 jobs in T: 1 ok, 1 failed\n"
                                    "  build  ok          0   T\n"
                                    "  lint   failed      3   T\n"
                                    "fanout: lint failed, output (3 lines):\n"
                                    "lint  | warning 1\n"
                                    "lint  | warning 2\n"
                                    "lint  | error: bad style\n");
}

// Without --tail, 20 lines. The harness runs fanout with --tail 0 unless
// told otherwise: this test runs it as it is.
TEST(FailuresReplayed, LongOutputReplaysOnlyItsLastLines)
{
  Sandbox box;
  box.write_jobs("[[job]]\nname = \"unit\"\n"
                 "argv = ['@CHILD@', 'print', '500', 'test', 'exit', '1']\n");

  auto result = box.run_program(FANOUT_BIN, {"--color", "never"});

  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(mask_times(result.err), "fanout: 1 job in T: 1 failed\n"
                                    "  unit  failed      1   T\n"
                                    "fanout: unit failed, output (last 20 of 500 lines):\n" +
                                      numbered("unit | test", 481, 500));
}

TEST(FailuresReplayed, TailSetsHowManyLines)
{
  Sandbox box;
  box.write_jobs("[[job]]\nname = \"unit\"\n"
                 "argv = ['@CHILD@', 'print', '500', 'test', 'exit', '1']\n");

  auto result = box.run({"--color", "never", "--tail", "2"});

  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(mask_times(result.err), "fanout: 1 job in T: 1 failed\n"
                                    "  unit  failed      1   T\n"
                                    "fanout: unit failed, output (last 2 of 500 lines):\n"
                                    "unit | test 499\n"
                                    "unit | test 500\n");
}

TEST(FailuresReplayed, TailZeroReplaysNothing)
{
  Sandbox box;
  box.write_jobs("[[job]]\nname = \"unit\"\n"
                 "argv = ['@CHILD@', 'print', '5', 'test', 'exit', '1']\n");

  auto result = box.run({"--color", "never", "--tail", "0"});

  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(mask_times(result.err), "fanout: 1 job in T: 1 failed\n"
                                    "  unit  failed      1   T\n");
}

// With --fail-fast the job that failed is the cause; the job cancelled
// because of it and the one never started are not replayed.
TEST(FailuresReplayed, FailFastReplaysOnlyTheCause)
{
  Sandbox box;
  box.write_jobs(R"(
[[job]]
name = "slow"
argv = ['@CHILD@', 'print', '1', 'working', 'rendezvous', 'meet', '2', 'sleep', '60000']

[[job]]
name = "lint"
argv = ['@CHILD@', 'rendezvous', 'meet', '2', 'print', '1', 'bad style', 'exit', '1']

[[job]]
name = "later"
needs = ["lint"]
argv = ['@CHILD@', 'print', '1', 'never']
)");

  auto result = box.run({"-j", "2", "--fail-fast", "--color", "never", "--tail", "20"});

  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(mask_times(result.err),
            "fanout: 3 jobs in T: 1 failed, 1 cancelled, 1 skipped\n"
            "  slow   cancelled -15   T  SIGTERM after lint failed (--fail-fast)\n"
            "  lint   failed      1   T\n"
            "  later  skipped     -       -  because lint failed\n"
            "fanout: lint failed, output (1 line):\n"
            "lint  | bad style 1\n");
}

TEST(FailuresReplayed, SuccessReplaysNothing)
{
  Sandbox box;
  box.write_jobs("[[job]]\nname = \"a\"\nargv = ['@CHILD@', 'print', '3', 'fine']\n");

  auto result = box.run({"--color", "never", "--tail", "20"});

  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(mask_times(result.err), "fanout: 1 job in T: 1 ok\n"
                                    "  a  ok          0   T\n");
}
