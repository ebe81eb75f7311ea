// SPDX-License-Identifier: MIT
// End-to-end tests of timeouts (fanout(1), SIGNALS AND TIMEOUTS) and of process groups: SIGTERM at
// the deadline, SIGKILL after the grace period, and no process of a job's
// group left behind. Timeouts are short but not tiny: a TERM-ignoring job gets
// 1 s, so that a loaded machine still runs `ignore-term` before the deadline.

#include "harness.hpp"
#include "summary_run.hpp"

#include <gtest/gtest.h>

using e2e::JobFile;
using e2e::mask_times;
using e2e::name_of;
using e2e::Sandbox;
using e2e::SummaryRun;
using e2e::wait_until_gone;

// Runs in which a job times out, each a test Timeout/JobFile.Run/NAME
// (summary_run.hpp).
const SummaryRun k_timeout_runs[] = {
  {"JobPastItsTimeoutIsTerminatedWithMinus15",
   R"(
[[job]]
name = "slow"
timeout = "300ms"
argv = ['@CHILD@', 'sleep', '30000']
)",
   {},
   1,
   "fanout: 1 job in T: 1 timed out\n"
   "  slow  timeout   -15   T  SIGTERM after 300ms\n"},
  {"TermIgnoringJobIsKilledWithMinus9",
   R"(
[[job]]
name = "stubborn"
timeout = "1s"
grace = "300ms"
argv = ['@CHILD@', 'ignore-term', 'sleep', '30000']
)",
   {},
   1,
   "fanout: 1 job in T: 1 timed out\n"
   "  stubborn  timeout    -9   T  SIGKILL after 1s + 300ms grace\n"},
  {"CommandLineTimeoutAndGraceApplyToJobsThatSetNone",
   R"(
[[job]]
name = "stubborn"
argv = ['@CHILD@', 'ignore-term', 'sleep', '30000']
)",
   {"--timeout", "1s", "--grace", "300ms"},
   1,
   "fanout: 1 job in T: 1 timed out\n"
   "  stubborn  timeout    -9   T  SIGKILL after 1s + 300ms grace\n"},
  {"JobTimeoutWinsOverTheCommandLine",
   R"(
[[job]]
name = "patient"
argv = ['@CHILD@', 'sleep', '1000']
timeout = "30s"

[[job]]
name = "quick"
argv = ['@CHILD@', 'sleep', '30000']
)",
   {"-j", "2", "--timeout", "300ms"},
   1,
   "fanout: 2 jobs in T: 1 ok, 1 timed out\n"
   "  patient  ok          0   T\n"
   "  quick    timeout   -15   T  SIGTERM after 300ms\n"},
  {"DefaultsTimeoutAppliesToEveryJob",
   R"(
[defaults]
timeout = "300ms"

[[job]]
name = "slow"
argv = ['@CHILD@', 'sleep', '30000']
)",
   {},
   1,
   "fanout: 1 job in T: 1 timed out\n"
   "  slow  timeout   -15   T  SIGTERM after 300ms\n"},
  {"GrandchildIsKilledWithItsGroup",
   R"(
[[job]]
name = "parent"
timeout = "1s"
argv = ['@CHILD@', 'pidfile', 'child.pid', 'grandchild', 'grandchild.pid', 'sleep', '30000']
)",
   {},
   1,
   "fanout: 1 job in T: 1 timed out\n"
   "  parent  timeout   -15   T  SIGTERM after 1s\n",
   {"child.pid", "grandchild.pid"}},
  {"TermIgnoringGrandchildIsKilled",
   R"(
[[job]]
name = "parent"
timeout = "1s"
grace = "300ms"
argv = ['@CHILD@', 'ignore-term', 'grandchild', 'grandchild.pid', 'sleep', '30000']
)",
   {},
   1,
   "fanout: 1 job in T: 1 timed out\n"
   "  parent  timeout    -9   T  SIGKILL after 1s + 300ms grace\n",
   {"grandchild.pid"}},
};

INSTANTIATE_TEST_SUITE_P(Timeout, JobFile, testing::ValuesIn(k_timeout_runs), name_of);

TEST(Timeout, OutputBeforeTheTimeoutIsKept)
{
  Sandbox box;
  box.write_jobs(R"(
[[job]]
name = "slow"
timeout = "1s"
argv = ['@CHILD@', 'print', '2', 'line', 'partial', 'half', 'sleep', '30000']
)");

  auto result = box.run({});

  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.out, "slow | line 1\n"
                        "slow | line 2\n"
                        "slow | half\n");
}

// The grandchild keeps the job's stdout open: fanout must neither wait for it
// nor leave it running once the job's own process has exited.
TEST(ProcessGroup, LeftoverGrandchildIsKilledWhenTheJobExits)
{
  Sandbox box;
  box.write_jobs(R"(
[[job]]
name = "parent"
argv = ['@CHILD@', 'grandchild', 'grandchild.pid', 'print', '1', 'done', 'exit', '0']
)");

  auto result = box.run({});

  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.out, "parent | done 1\n");
  EXPECT_EQ(mask_times(result.err), "fanout: 1 job in T: 1 ok\n"
                                    "  parent  ok          0   T\n");
  EXPECT_TRUE(wait_until_gone(box.read_pid("grandchild.pid")));
}
