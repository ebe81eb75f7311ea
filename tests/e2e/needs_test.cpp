// SPDX-License-Identifier: MIT
// End-to-end tests of `needs` (fanout(1), JOB FILE): order, skipped dependants naming
// their cause, selection that brings in what a job needs, and chains and fans
// of 20,000 jobs. Order is checked through a log the jobs append to.

#include "harness.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

using e2e::mask_times;
using e2e::Sandbox;
using e2e::split_lines;

namespace {

// A job that appends its name to order.log, then exits with `code`.
std::string marking_job(const std::string& name, const std::string& needs, int code = 0)
{
  return "[[job]]\nname = \"" + name + "\"\n" + (needs.empty() ? "" : "needs = " + needs + "\n") +
         "argv = ['@CHILD@', 'mark', 'order.log', '" + name + "', 'exit', '" +
         std::to_string(code) + "']\n\n";
}

} // namespace

TEST(Needs, AJobStartsOnlyAfterWhatItNeedsSucceeded)
{
  Sandbox box;
  // Written backwards, run at -j3: only `needs` can give the order.
  box.write_jobs(marking_job("package", "[\"test\", \"lint\"]") +
                 marking_job("test", "[\"build\"]") + marking_job("lint", "[\"build\"]") +
                 marking_job("build", ""));

  auto result = box.run({"-j", "3"});

  EXPECT_EQ(result.exit_code, 0) << result.err;
  const auto order = split_lines(box.read_file("order.log"));
  ASSERT_EQ(order.size(), 4u);
  EXPECT_EQ(order[0], "build");
  EXPECT_EQ(order[3], "package");
}

TEST(Needs, AFailureSkipsEveryJobThatNeedsItAndTheSummaryNamesIt)
{
  Sandbox box;
  box.write_jobs(marking_job("build", "", 3) + marking_job("test", "[\"build\"]") +
                 marking_job("package", "[\"test\"]") + marking_job("docs", ""));

  auto result = box.run({"-j", "1"});

  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(box.read_file("order.log"), "build\ndocs\n");
  EXPECT_EQ(mask_times(result.err), "fanout: 4 jobs in T: 1 ok, 1 failed, 2 skipped\n"
                                    "  build    failed      3   T\n"
                                    "  test     skipped     -       -  because build failed\n"
                                    "  package  skipped     -       -  because build failed\n"
                                    "  docs     ok          0   T\n");
}

TEST(Needs, SelectingAJobAlsoRunsWhatItNeeds)
{
  Sandbox box;
  box.write_jobs(marking_job("build", "") + marking_job("lint", "") +
                 marking_job("test", "[\"build\"]"));

  auto result = box.run({"test"});

  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(box.read_file("order.log"), "build\ntest\n");
  EXPECT_EQ(mask_times(result.err), "fanout: 2 jobs in T: 2 ok\n"
                                    "  build  ok          0   T\n"
                                    "  test   ok          0   T\n");
}

TEST(Needs, ListShowsTheSelectedJobsWithWhatTheyNeed)
{
  Sandbox box;
  box.write_jobs(marking_job("build", "") + marking_job("lint", "") +
                 marking_job("test", "[\"build\"]"));

  auto result = box.run({"--list", "test"});

  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.out, "build\ntest\n");
}

// 20,000 function jobs on threads, so the test is about scheduling, not
// about forking: a chain where each needs the one before, and a fan where
// all need the first.
TEST(Needs, ChainsAndFansOfTwentyThousandJobsRunToTheEnd)
{
  if (const char* pool = std::getenv("FANOUT_E2E_POOL"); pool != nullptr && *pool != '\0') {
    GTEST_SKIP() << "it names its pool, so the thread_pool. run would repeat it";
  }
  const std::string call = std::string("call = \"") + TEST_JOBS_LIB + ":context\"\n";
  for (const bool chain : {true, false}) {
    Sandbox box;
    std::string jobs;
    for (int i = 1; i <= 20'000; ++i) {
      jobs += "[[job]]\nname = \"j" + std::to_string(i) + "\"\n" + call;
      if (i > 1) {
        jobs += "needs = [\"j" + std::to_string(chain ? i - 1 : 1) + "\"]\n";
      }
    }
    box.write_jobs(jobs);

    auto result = box.run({"--pool", "thread", "-j", "8", "-q"});

    EXPECT_EQ(result.exit_code, 0) << (chain ? "chain" : "fan");
    EXPECT_EQ(mask_times(result.err), "") << (chain ? "chain" : "fan");
    EXPECT_EQ(split_lines(result.out).size(), 20'000u) << (chain ? "chain" : "fan");
  }
}
