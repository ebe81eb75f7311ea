// SPDX-License-Identifier: MIT
// A job stopped with SIGSTOP when fanout stops it: SIGCONT follows SIGTERM,
// as timeout(1) sends it, so the job can act on SIGTERM within its grace.

#include "harness.hpp"

#include <gtest/gtest.h>

using e2e::mask_times;
using e2e::Sandbox;

TEST(StoppedJob, IsContinuedAfterSigtermAndEndsByItWithinItsGrace)
{
  Sandbox box;
  box.write_jobs(R"(
[[job]]
name = "stopped"
timeout = "1s"
grace = "10s"
argv = ['@CHILD@', 'term-exit', 'terminated', 'stop', 'sleep', '30000']
)");

  auto result = box.run({});

  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.out, "stopped | terminated\n");
  EXPECT_EQ(mask_times(result.err), "fanout: 1 job in T: 1 timed out\n"
                                    "  stopped  timeout   -15   T  SIGTERM after 1s\n");
}
