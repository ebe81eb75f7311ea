// SPDX-License-Identifier: MIT
// Reliability suite, no orphans (issue 3 §2): after a run, and after a run
// interrupted by SIGINT, SIGTERM or SIGHUP, no process of the run survives.
// Survivors are found through the pid files the jobs and their grandchildren
// write, never with ps | grep. signal_test.cpp covers SIGINT and SIGTERM with
// in-group grandchildren and SIGHUP with one plain job; this file adds every
// signal against a full pool of jobs with grandchildren, and the grandchild
// that leaves its group with setsid().

#include "harness.hpp"

#include <gtest/gtest.h>

#include <csignal>
#include <string>
#include <vector>

using e2e::mask_times;
using e2e::Sandbox;
using e2e::wait_until_gone;

namespace {

struct Interrupt {
  int signal;
  int exit_code;
  const char* name;
};

// Four running jobs with an in-group grandchild each, the odd ones ignoring
// SIGTERM (so they and their grandchildren need the SIGKILL after the grace
// period), and two jobs waiting for a slot.
std::string pool_with_grandchildren()
{
  std::string jobs = "[defaults]\ngrace = \"300ms\"\n";
  for (int i = 1; i <= 6; ++i) {
    std::string n = std::to_string(i);
    jobs += "\n[[job]]\nname = \"j" + n + "\"\nargv = ['@CHILD@', " +
            (i % 2 == 1 ? "'ignore-term', " : "") + "'pidfile', 'j" + n +
            ".pid', 'grandchild', 'j" + n + "-grandchild.pid', 'print', '1', 'ready', " +
            "'sleep', '60000']\n";
  }
  return jobs;
}

class ReliabilityInterrupt : public ::testing::TestWithParam<Interrupt> {};

} // namespace

TEST_P(ReliabilityInterrupt, LeavesNoJobOrGrandchildAliveAndExits128PlusTheSignal)
{
  const Interrupt& interrupt = GetParam();
  Sandbox box;
  box.write_jobs(pool_with_grandchildren());
  auto fanout = box.start({"-j", "4"});
  for (const char* line : {"j1 | ready 1", "j2 | ready 1", "j3 | ready 1", "j4 | ready 1"}) {
    ASSERT_TRUE(fanout.wait_for_line(line));
  }

  fanout.send_signal(interrupt.signal);
  auto result = fanout.finish();

  EXPECT_EQ(result.exit_code, interrupt.exit_code);
  EXPECT_EQ(mask_times(result.err), "fanout: 6 jobs in T: 4 cancelled, 2 skipped\n"
                                    "  j1  cancelled  -9   T  SIGKILL on interrupt\n"
                                    "  j2  cancelled -15   T  SIGTERM on interrupt\n"
                                    "  j3  cancelled  -9   T  SIGKILL on interrupt\n"
                                    "  j4  cancelled -15   T  SIGTERM on interrupt\n"
                                    "  j5  skipped     -       -  run interrupted\n"
                                    "  j6  skipped     -       -  run interrupted\n");
  for (int i = 1; i <= 4; ++i) {
    std::string n = std::to_string(i);
    EXPECT_TRUE(wait_until_gone(box.read_pid("j" + n + ".pid"))) << "j" << n;
    EXPECT_TRUE(wait_until_gone(box.read_pid("j" + n + "-grandchild.pid")))
        << "j" << n << "'s grandchild";
  }
  EXPECT_FALSE(box.exists("j5.pid"));
  EXPECT_FALSE(box.exists("j6.pid"));
}

INSTANTIATE_TEST_SUITE_P(ReliabilitySignals, ReliabilityInterrupt,
                         ::testing::Values(Interrupt{SIGINT, 130, "Sigint"},
                                           Interrupt{SIGTERM, 143, "Sigterm"},
                                           Interrupt{SIGHUP, 129, "Sighup"}),
                         [](const ::testing::TestParamInfo<Interrupt>& info) {
                           return std::string(info.param.name);
                         });

namespace {

constexpr std::string_view k_setsid_job = R"(
[[job]]
name = "escapes"
argv = ['@CHILD@', 'pidfile', 'job.pid', 'setsid-grandchild', 'grandchild.pid',
        'print', '1', 'done']
)";

} // namespace

// What issue 3 asks for, and fanout does not do yet: a grandchild that left
// the job's process group with setsid() is not tracked, so it survives its
// job (README, "Timeouts, Ctrl-C and leftover processes"). Enable this test
// with issue 5, whose subreaper keeps every descendant of a job within reach.
TEST(ReliabilityOrphans, DISABLED_SetsidGrandchildDoesNotOutliveTheRun)
{
  Sandbox box;
  box.write_jobs(k_setsid_job);

  auto result = box.run({});

  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.out, "escapes | done 1\n");
  EXPECT_TRUE(wait_until_gone(box.read_pid("job.pid")));
  EXPECT_TRUE(wait_until_gone(box.read_pid("grandchild.pid"))); // kills it if it survived
}

// The current, documented behaviour: the run is not held up by the escaped
// grandchild (which still holds the job's stdout and stderr), the job is ok,
// and the grandchild is still running afterwards. When issue 5 lands this
// test fails on the last check: delete it and enable the one above.
TEST(ReliabilityOrphans, SetsidGrandchildIsNotTrackedButDoesNotHoldUpTheRun)
{
  Sandbox box;
  box.write_jobs(k_setsid_job);

  auto result = box.run({});

  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.out, "escapes | done 1\n");
  EXPECT_EQ(mask_times(result.err), "fanout: 1 job in T: 1 ok\n"
                                    "  escapes  ok          0   T\n");
  EXPECT_TRUE(wait_until_gone(box.read_pid("job.pid")));
  pid_t grandchild = box.read_pid("grandchild.pid");
  ASSERT_GT(grandchild, 0);
  EXPECT_EQ(::kill(grandchild, 0), 0) << "the setsid() grandchild is gone: issue 5 is done?";
  ::kill(grandchild, SIGKILL); // ours to clean up, since fanout does not
}
