// SPDX-License-Identifier: MIT
// Function jobs (`call`) in both pools: the seed's examples from libseed.so,
// and the misbehaving jobs of test_jobs.so (tests/helper/test_jobs.cpp).

#include "harness.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using e2e::lines_after;
using e2e::mask_times;
using e2e::Sandbox;
using e2e::sorted_lines;

namespace {

using Lines = std::vector<std::string>;

std::string seed_jobfile(const std::string& name)
{
  return std::string(JOBFILES_DIR) + "/seed/" + name;
}

// A job calling `symbol` of test_jobs.so.
std::string test_job(const std::string& name, const std::string& symbol,
                     const std::string& extra = "")
{
  return "[[job]]\nname = \"" + name + "\"\ncall = \"" + std::string(TEST_JOBS_LIB) + ":" + symbol +
         "\"\n" + extra;
}

// `count` jobs named PREFIX1.. calling `symbol` with the one argument `arg`.
std::string numbered_jobs(const std::string& prefix, int count, const std::string& symbol,
                          const std::string& arg)
{
  std::string jobs;
  for (int i = 1; i <= count; ++i) {
    jobs += test_job(prefix + std::to_string(i), symbol, "args = [\"" + arg + "\"]\n");
  }
  return jobs;
}

class FunctionJobs : public testing::TestWithParam<std::string> {
protected:
  std::vector<std::string> args(std::vector<std::string> more) const
  {
    std::vector<std::string> all{"--pool", GetParam(), "--color", "never"};
    all.insert(all.end(), more.begin(), more.end());
    return all;
  }
  bool on_threads() const { return GetParam() == "thread"; }
};

INSTANTIATE_TEST_SUITE_P(Pools, FunctionJobs, testing::Values("process", "thread"),
                         [](const testing::TestParamInfo<std::string>& info) {
                           return info.param;
                         });

} // namespace

TEST_P(FunctionJobs, SeedExitCodesAsThePoolGivesThem)
{
  Sandbox box;

  auto result = box.run(args({"-f", seed_jobfile("exitcode.toml")}));

  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(lines_after(result.err, "raises       | "), Lines{"There was an error!"});
  const std::string terminated =
    on_threads() ? "  terminated    timeout   143   T  stopped on request after 1s\n"
                 : "  terminated    timeout   -15   T  SIGTERM after 1s\n";
  const std::string summary = result.err.substr(result.err.rfind("fanout: "));
  EXPECT_EQ(mask_times(summary), "fanout: 5 jobs in T: 1 ok, 3 failed, 1 timed out\n"
                                 "  exit_error    failed      1   T\n"
                                 "  exit_ok       ok          0   T\n"
                                 "  return_value  failed      1   T\n"
                                 "  raises        failed      1   T  There was an error!\n" +
                                   terminated);
}

TEST_P(FunctionJobs, SeedWorkersPrintTheirNumbers)
{
  Sandbox box;

  auto result = box.run(args({"-q", "-f", seed_jobfile("simpleargs.toml")}));

  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(sorted_lines(result.out),
            (Lines{"job-1 | Worker: 0", "job-2 | Worker: 1", "job-3 | Worker: 2",
                   "job-4 | Worker: 3", "job-5 | Worker: 4"}));
}

TEST_P(FunctionJobs, SeedSimpleRunsFiveWorkers)
{
  Sandbox box;

  auto result = box.run(args({"-q", "-f", seed_jobfile("simple.toml")}));

  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(sorted_lines(result.out), (Lines{"job-1 | Worker", "job-2 | Worker", "job-3 | Worker",
                                             "job-4 | Worker", "job-5 | Worker"}));
}

TEST_P(FunctionJobs, SeedNamesArePrintedByEachFunction)
{
  Sandbox box;

  auto result = box.run(args({"-q", "-f", seed_jobfile("names.toml")}));

  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(lines_after(result.out, "my_service | "),
            (Lines{"my_service Starting", "my_service Exiting"}));
  EXPECT_EQ(lines_after(result.out, "worker_1   | "),
            (Lines{"worker_1 Starting", "worker_1 Exiting"}));
  EXPECT_EQ(lines_after(result.out, "job-3      | "), (Lines{"job-3 Starting", "job-3 Exiting"}));
}

TEST_P(FunctionJobs, SeedSlowWorkerIsStoppedByItsTimeout)
{
  Sandbox box;

  auto result = box.run(args({"-f", seed_jobfile("terminate.toml")}));

  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(lines_after(result.out, "slow_worker | "), Lines{"Starting worker"});
  EXPECT_EQ(mask_times(result.err),
            on_threads() ? "fanout: 1 job in T: 1 timed out\n"
                           "  slow_worker  timeout   143   T  stopped on request after 200ms\n"
                         : "fanout: 1 job in T: 1 timed out\n"
                           "  slow_worker  timeout   -15   T  SIGTERM after 200ms\n");
}

TEST_P(FunctionJobs, ContextCarriesNameSlotAndArgs)
{
  Sandbox box;
  box.write_jobs(test_job("ctx", "context", "args = [\"a b\", \"\"]\n"));

  auto result = box.run(args({"-q"}));

  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "ctx | name=ctx slot=1 abi=1 stop=0 argc=2 [a b] [] end=null\n");
}

TEST_P(FunctionJobs, MissingLibraryOrSymbolIsAnErrorOfThatJobOnly)
{
  Sandbox box;
  box.write_jobs(test_job("fine", "context") +
                 "[[job]]\nname = \"nolib\"\ncall = \"nosuch.so:f\"\n"
                 "[[job]]\nname = \"nosym\"\ncall = \"" +
                 std::string(TEST_JOBS_LIB) + ":nosuch\"\n");

  auto result = box.run(args({}));

  EXPECT_EQ(result.exit_code, 1);
  const std::string summary = mask_times(result.err.substr(result.err.rfind("fanout: ")));
  EXPECT_EQ(summary,
            "fanout: 3 jobs in T: 1 ok, 2 could not start\n"
            "  fine   ok          0   T\n"
            "  nolib  error     127   T  cannot load ./nosuch.so: ./nosuch.so: cannot open "
            "shared object file: No such file or directory\n"
            "  nosym  error     127   T  " +
              std::string(TEST_JOBS_LIB) + " has no function nosuch\n");
}

TEST_P(FunctionJobs, ExceptionThatIsNotStdExceptionFailsTheJob)
{
  Sandbox box;
  box.write_jobs(test_job("thrower", "throw_int"));

  auto result = box.run(args({}));

  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(mask_times(result.err),
            "thrower | an exception that is not a std::exception\n"
            "fanout: 1 job in T: 1 failed\n"
            "  thrower  failed      1   T  an exception that is not a std::exception\n");
}

TEST_P(FunctionJobs, ManyConcurrentJobsNeverTearALine)
{
  Sandbox box;
  box.write_jobs(numbered_jobs("j", 16, "lines", "2000"));

  auto result = box.run(args({"-q", "-j", "8"}));

  EXPECT_EQ(result.exit_code, 0) << result.err;
  for (int i = 1; i <= 16; ++i) {
    const std::string name = "j" + std::to_string(i);
    const std::string tag = name + std::string(3 - name.size(), ' ') + " | ";
    const Lines got = lines_after(result.out, tag);
    ASSERT_EQ(got.size(), 2000u) << name;
    for (std::size_t n = 0; n < got.size(); ++n) {
      ASSERT_EQ(got[n], name + " line " + std::to_string(n) +
                          " of a text long enough to need several writes");
    }
  }
}

TEST(FunctionJobsProcessPool, CrashEndsOnlyThatJob)
{
  Sandbox box;
  box.write_jobs(test_job("crasher", "crash") + test_job("fine", "context"));

  auto result = box.run({"--pool", "process", "--color", "never"});

  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(lines_after(result.out, "crasher | "), Lines{"crashing"});
  const std::string summary = mask_times(result.err.substr(result.err.rfind("fanout: ")));
  EXPECT_EQ(summary, "fanout: 2 jobs in T: 1 ok, 1 killed\n"
                     "  crasher  killed    -11   T  SIGSEGV\n"
                     "  fine     ok          0   T\n");
}

TEST(FunctionJobsThreadPool, FunctionIgnoringItsStopIsAbandonedAndTheRunEnds)
{
  Sandbox box;
  // -j1: the next job can only start once the blocked one is abandoned.
  box.write_jobs(test_job("stuck", "block_forever", "timeout = 0.2\ngrace = 0.2\n") +
                 test_job("after", "context"));

  auto result = box.run({"--pool", "thread", "--color", "never", "-j", "1"});

  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.out,
            "stuck | blocking\nafter | name=after slot=1 abi=1 stop=0 argc=0 end=null\n");
  EXPECT_EQ(mask_times(result.err),
            "fanout: 2 jobs in T: 1 ok, 1 timed out\n"
            "  stuck  timeout     -   T  abandoned after 200ms + 200ms grace: a thread cannot be "
            "killed\n"
            "  after  ok          0   T\n");
}

// fanout leaves with _Exit while a thread is still in an abandoned function;
// what another function printed with stdio to fanout's stdout is not lost.
TEST(FunctionJobsThreadPool, StdioOutputSurvivesTheExitAfterAnAbandonedFunction)
{
  Sandbox box;
  box.write_jobs(test_job("printer", "print_to_stdout") +
                 test_job("stuck", "block_forever", "timeout = 0.2\ngrace = 0.2\n"));

  auto result = box.run({"--pool", "thread", "--color", "never", "-j", "1"});

  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.out, "stuck   | blocking\nprinted to stdout with stdio\n");
}

TEST(FunctionJobsThreadPool, BoundIsMetAndKept)
{
  Sandbox box;
  box.write_jobs(numbered_jobs("m", 6, "meet", "3"));

  auto result = box.run({"--pool", "thread", "--color", "never", "-q", "-j", "3"});

  EXPECT_EQ(result.exit_code, 0) << result.err;
  for (int i = 1; i <= 6; ++i) {
    EXPECT_EQ(lines_after(result.out, "m" + std::to_string(i) + " | "), Lines{"most at once: 3"});
  }
}
