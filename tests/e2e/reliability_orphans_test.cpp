// SPDX-License-Identifier: MIT
// Reliability suite, no orphans (docs/orphans.md):
// after a run, and after a run interrupted by SIGINT, SIGTERM or SIGHUP, no
// process of the run survives; what a job left outside its process group
// (setsid, a double fork) dies when the job ends; and a fanout killed with
// SIGKILL takes its direct children with it, and only them. Survivors are
// found through the pid files the jobs and their descendants write, never
// with ps | grep. signal_test.cpp covers SIGINT and SIGTERM with in-group
// grandchildren and SIGHUP with one plain job; this file adds every signal
// against a full pool of jobs with grandchildren.

#include "harness.hpp"

#include <gtest/gtest.h>

#include <csignal>
#include <string>
#include <vector>

using e2e::children_of;
using e2e::mask_times;
using e2e::Sandbox;
using e2e::wait_until_gone;
using e2e::WatchedProcess;

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

// A grandchild that left the job's process group with setsid() (and holds
// the job's stdout and stderr) is adopted by fanout when the job's process
// ends, and killed then.
TEST(ReliabilityOrphans, SetsidGrandchildDoesNotOutliveTheRun)
{
  Sandbox box;
  box.write_jobs(k_setsid_job);

  auto result = box.run({});

  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.out, "escapes | done 1\n");
  EXPECT_EQ(mask_times(result.err), "fanout: 1 job in T: 1 ok\n"
                                    "  escapes  ok          0   T\n");
  EXPECT_TRUE(wait_until_gone(box.read_pid("job.pid")));
  EXPECT_TRUE(wait_until_gone(box.read_pid("grandchild.pid"))); // kills it if it survived
}

namespace {

// At -j2, `leaver` leaves something behind and ends while `waits` runs on;
// `checks` takes its slot, so it starts once fanout is done with `leaver`,
// and reports on what `leaver` left. `waits` and `checks` then meet.
std::string while_the_run_goes_on(std::string_view leaver_steps, std::string_view check_steps)
{
  return "[[job]]\nname = \"leaver\"\nargv = ['@CHILD@', " + std::string(leaver_steps) +
         ", 'print', '1', 'done']\n\n"
         "[[job]]\nname = \"waits\"\n"
         "argv = ['@CHILD@', 'pidfile', 'waits.pid', 'rendezvous', 'meet', '2']\n\n"
         "[[job]]\nname = \"checks\"\nargv = ['@CHILD@', " +
         std::string(check_steps) + ", 'rendezvous', 'meet', '2']\n";
}

} // namespace

TEST(ReliabilityOrphans, SetsidGrandchildIsKilledWhenItsJobEndsWhileTheRunGoesOn)
{
  Sandbox box;
  box.write_jobs(
    while_the_run_goes_on("'setsid-grandchild', 'grandchild.pid'", "'state', 'grandchild.pid'"));

  auto result = box.run({"-j", "2"});

  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.out, "leaver | done 1\n"
                        "checks | grandchild.pid gone\n");
  EXPECT_EQ(mask_times(result.err), "fanout: 3 jobs in T: 3 ok\n"
                                    "  leaver  ok          0   T\n"
                                    "  waits   ok          0   T\n"
                                    "  checks  ok          0   T\n");
}

// A daemon started with a double fork (its parent gone while the job runs)
// dies with the job; so does an in-group grandchild, and fanout reaps both:
// when `checks` runs, fanout's only other child is `waits`.
TEST(ReliabilityOrphans, DoubleForkedDaemonIsKilledWithItsJobAndNoZombieIsLeft)
{
  Sandbox box;
  box.write_jobs(
    while_the_run_goes_on("'double-fork', 'daemon.pid', 'grandchild', 'grandchild.pid'",
                          "'state', 'daemon.pid', 'state', 'grandchild.pid', 'siblings'"));

  auto result = box.run({"-j", "2"});

  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.out, "leaver | done 1\n"
                        "checks | daemon.pid gone\n"
                        "checks | grandchild.pid gone\n"
                        "checks | siblings " +
                          std::to_string(box.read_pid("waits.pid")) + "\n");
  EXPECT_TRUE(wait_until_gone(box.read_pid("daemon.pid")));
  EXPECT_TRUE(wait_until_gone(box.read_pid("grandchild.pid")));
}

// A daemon that cleared its environment and left the job's group cannot be
// told as the job's: it outlives its job, but not the run.
TEST(ReliabilityOrphans, OrphanOfNoKnownJobIsKilledAtTheEndOfTheRun)
{
  Sandbox box;
  box.write_jobs(R"(
[[job]]
name = "hides"
argv = ['@CHILD@', 'double-fork-bare', 'daemon.pid', 'print', '1', 'done']

[[job]]
name = "checks"
argv = ['@CHILD@', 'state', 'daemon.pid']
)");

  auto result = box.run({"-j", "1"});

  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.out, "hides  | done 1\n"
                        "checks | daemon.pid running\n");
  EXPECT_TRUE(wait_until_gone(box.read_pid("daemon.pid")));
}

// fanout killed with SIGKILL cleans nothing up, but every job's own process
// has SIGKILL as its parent-death signal: a program, and a shell command's
// process (exec'd, which keeps the signal). In both pools: a thread pool's
// worker thread outlives the process it started.
TEST(ReliabilityOrphans, SigkilledFanoutTakesItsCommandsWithIt)
{
  Sandbox box;
  box.write_jobs(R"(
[[job]]
name = "argv"
argv = ['@CHILD@', 'pidfile', 'argv.pid', 'print', '1', 'ready', 'sleep', '60000']

[[job]]
name = "cmd"
cmd = 'echo $$ > cmd.pid && exec "@CHILD@" print 1 ready sleep 60000'
)");
  auto fanout = box.start({"-j", "2"});
  ASSERT_TRUE(fanout.wait_for_line("argv | ready 1"));
  ASSERT_TRUE(fanout.wait_for_line("cmd  | ready 1"));

  fanout.send_signal(SIGKILL);

  EXPECT_EQ(fanout.finish().exit_code, -SIGKILL);
  EXPECT_TRUE(wait_until_gone(box.read_pid("argv.pid")));
  EXPECT_TRUE(wait_until_gone(box.read_pid("cmd.pid")));
}

// The same for a function job of the process pool, a child forked from
// fanout, found as fanout's only child.
TEST(ReliabilityOrphans, SigkilledFanoutTakesItsForkedFunctionJobWithIt)
{
  Sandbox box;
  box.write_jobs("[[job]]\nname = \"blocks\"\ncall = \"" + std::string(TEST_JOBS_LIB) +
                 ":block_forever\"\n");
  auto fanout = box.start({"--pool", "process"});
  ASSERT_TRUE(fanout.wait_for_line("blocks | blocking"));
  const std::vector<pid_t> children = children_of(fanout.pid());
  ASSERT_EQ(children.size(), 1u);
  WatchedProcess job(children[0]);

  fanout.send_signal(SIGKILL);

  EXPECT_EQ(fanout.finish().exit_code, -SIGKILL);
  EXPECT_TRUE(job.wait_until_gone());
}

// What fanout killed with SIGKILL leaves running (docs/orphans.md): the
// children of its jobs' processes, here those of a shell that did not exec,
// and the processes it had adopted, here a daemon of a job that still ran.
TEST(ReliabilityOrphans, SigkilledFanoutLeavesGrandchildrenAndAdoptedProcessesRunning)
{
  Sandbox box;
  box.write_jobs(R"(
[[job]]
name = "shell"
cmd = 'echo $$ > shell.pid && "@CHILD@" pidfile grandchild.pid print 1 ready sleep 60000; true'

[[job]]
name = "daemonizes"
argv = ['@CHILD@', 'pidfile', 'daemonizes.pid', 'double-fork', 'daemon.pid',
        'print', '1', 'ready', 'sleep', '60000']
)");
  auto fanout = box.start({"-j", "2"});
  ASSERT_TRUE(fanout.wait_for_line("shell      | ready 1"));
  ASSERT_TRUE(fanout.wait_for_line("daemonizes | ready 1"));
  WatchedProcess shell(box.read_pid("shell.pid"));
  WatchedProcess grandchild(box.read_pid("grandchild.pid"));
  WatchedProcess daemonizes(box.read_pid("daemonizes.pid"));
  WatchedProcess daemon(box.read_pid("daemon.pid"));

  fanout.send_signal(SIGKILL);

  EXPECT_EQ(fanout.finish().exit_code, -SIGKILL);
  EXPECT_TRUE(shell.wait_until_gone());
  EXPECT_TRUE(daemonizes.wait_until_gone());
  EXPECT_TRUE(grandchild.is_running());
  EXPECT_TRUE(daemon.is_running());
}
