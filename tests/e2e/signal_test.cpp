// SPDX-License-Identifier: MIT
// End-to-end tests of signals to fanout itself (fanout(1), SIGNALS AND TIMEOUTS): it starts nothing
// more, terminates every running job's group (SIGKILL after the grace period,
// or at once on a second Ctrl-C), reports unstarted jobs as skipped, exits
// 128+N, and leaves no job process, child or grandchild, behind. Each test
// waits for the jobs' "ready" lines before it signals: no sleeps.

#include "harness.hpp"

#include <gtest/gtest.h>

#include <csignal>

using e2e::mask_times;
using e2e::Sandbox;
using e2e::wait_until_gone;

namespace {

// Two running jobs (b ignores SIGTERM, it and its grandchild) and one that
// waits for a slot.
constexpr std::string_view k_interrupted_jobs = R"(
[defaults]
grace = "300ms"

[[job]]
name = "a"
argv = ['@CHILD@', 'pidfile', 'a.pid', 'grandchild', 'a-grandchild.pid',
        'print', '1', 'ready', 'sleep', '60000']

[[job]]
name = "b"
argv = ['@CHILD@', 'ignore-term', 'pidfile', 'b.pid', 'grandchild', 'b-grandchild.pid',
        'print', '1', 'ready', 'sleep', '60000']

[[job]]
name = "c"
argv = ['@CHILD@', 'mark', 'c.log', 'ran']
)";

constexpr std::string_view k_interrupted_summary = "fanout: 3 jobs in T: 2 cancelled, 1 skipped\n"
                                                   "  a  cancelled -15   T  SIGTERM on interrupt\n"
                                                   "  b  cancelled  -9   T  SIGKILL on interrupt\n"
                                                   "  c  skipped     -       -  run interrupted\n";

// Runs k_interrupted_jobs at -j2, sends `signal` once both run, and checks
// the exit code, the summary, and that no job process is left.
void expect_clean_interrupt(int signal, int exit_code)
{
  Sandbox box;
  box.write_jobs(k_interrupted_jobs);
  auto fanout = box.start({"-j", "2"});
  ASSERT_TRUE(fanout.wait_for_line("a | ready 1"));
  ASSERT_TRUE(fanout.wait_for_line("b | ready 1"));

  fanout.send_signal(signal);
  auto result = fanout.finish();

  EXPECT_EQ(result.exit_code, exit_code);
  EXPECT_EQ(mask_times(result.err), k_interrupted_summary);
  EXPECT_FALSE(box.exists("c.log"));
  for (const char* pidfile : {"a.pid", "a-grandchild.pid", "b.pid", "b-grandchild.pid"}) {
    EXPECT_TRUE(wait_until_gone(box.read_pid(pidfile))) << pidfile;
  }
}

} // namespace

TEST(Interrupt, SigintCancelsRunningJobsSkipsTheRestAndExits130)
{
  expect_clean_interrupt(SIGINT, 130);
}

TEST(Interrupt, SigtermExits143WithNoProcessLeft)
{
  expect_clean_interrupt(SIGTERM, 143);
}

TEST(Interrupt, SighupExits129)
{
  Sandbox box;
  box.write_jobs(R"(
[[job]]
name = "a"
argv = ['@CHILD@', 'pidfile', 'a.pid', 'print', '1', 'ready', 'sleep', '60000']
)");
  auto fanout = box.start({});
  ASSERT_TRUE(fanout.wait_for_line("a | ready 1"));

  fanout.send_signal(SIGHUP);
  auto result = fanout.finish();

  EXPECT_EQ(result.exit_code, 129);
  EXPECT_EQ(mask_times(result.err), "fanout: 1 job in T: 1 cancelled\n"
                                    "  a  cancelled -15   T  SIGTERM on interrupt\n");
  EXPECT_TRUE(wait_until_gone(box.read_pid("a.pid")));
}

// The grace period is longer than the harness's 60 s ceiling: only the second
// Ctrl-C can end this run in time. The job says when it got the first SIGTERM.
TEST(Interrupt, SecondSigintKillsAtOnce)
{
  Sandbox box;
  box.write_jobs(R"(
[[job]]
name = "stubborn"
grace = "100s"
argv = ['@CHILD@', 'trap-term', 'got-term', 'pidfile', 'stubborn.pid',
        'grandchild', 'grandchild.pid', 'print', '1', 'ready', 'sleep', '60000']
)");
  auto fanout = box.start({});
  ASSERT_TRUE(fanout.wait_for_line("stubborn | ready 1"));
  fanout.send_signal(SIGINT);
  ASSERT_TRUE(fanout.wait_for_line("stubborn | got-term"));

  fanout.send_signal(SIGINT);
  auto result = fanout.finish();

  EXPECT_EQ(result.exit_code, 130);
  EXPECT_EQ(mask_times(result.err), "fanout: 1 job in T: 1 cancelled\n"
                                    "  stubborn  cancelled  -9   T  SIGKILL on interrupt\n");
  EXPECT_TRUE(wait_until_gone(box.read_pid("stubborn.pid")));
  EXPECT_TRUE(wait_until_gone(box.read_pid("grandchild.pid")));
}

// Signals whose default action would end fanout at once, without a summary
// and with its jobs left running: each interrupts the run like SIGTERM.
class OtherSignals : public ::testing::TestWithParam<int> {};

TEST_P(OtherSignals, InterruptTheRunCleanly)
{
  expect_clean_interrupt(GetParam(), 128 + GetParam());
}

INSTANTIATE_TEST_SUITE_P(Interrupt, OtherSignals,
                         ::testing::Values(SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM),
                         [](const ::testing::TestParamInfo<int>& info) {
                           return std::string(sigabbrev_np(info.param));
                         });
