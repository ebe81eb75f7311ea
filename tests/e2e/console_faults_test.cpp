// SPDX-License-Identifier: MIT
// End-to-end tests of fanout's own output: a reader that stops reading holds
// up the jobs' output, never fanout's timers and signals; a write that fails
// (a full disk) is not a success.

#include "harness.hpp"

#include <gtest/gtest.h>

#include <csignal>
#include <string>
#include <string_view>

using e2e::mask_times;
using e2e::Sandbox;

namespace {

// `loud` writes far more than fanout's stdout pipe and its console hold;
// `waiter`, with `settings`, says it runs in ready.mark and records the
// SIGTERM it gets in term.mark.
std::string stalled_jobs(std::string_view settings)
{
  return std::string(R"(
[[job]]
name = "loud"
argv = ['@CHILD@', 'print', '200000', 'a line of job output to fill the pipes']

[[job]]
name = "waiter"
cmd = "trap 'echo got > term.mark; exit 3' TERM; echo ready > ready.mark; sleep 60 & wait"
)") + std::string(settings);
}

// Nothing reads fanout's stdout until the test has seen the waiter's SIGTERM:
// had writing blocked fanout, the timeout could not have fired.
TEST(StalledReader, TimeoutsStillFireWhileNobodyReadsTheOutput)
{
  Sandbox box;
  box.write_jobs(stalled_jobs("timeout = \"300ms\"\n"));
  auto fanout = box.start({"-j", "2"});

  ASSERT_TRUE(box.wait_for_file("term.mark"));
  auto result = fanout.finish();

  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(e2e::lines_after(result.out, "loud   | ").size(), 200000u);
  EXPECT_EQ(mask_times(result.err), "fanout: 2 jobs in T: 1 ok, 1 timed out\n"
                                    "  loud    ok          0   T\n"
                                    "  waiter  timeout     3   T  SIGTERM after 300ms\n");
}

TEST(StalledReader, AnInterruptIsStillAnswered)
{
  Sandbox box;
  box.write_jobs(stalled_jobs(""));
  auto fanout = box.start({"-j", "2"});
  ASSERT_TRUE(box.wait_for_file("ready.mark"));

  fanout.send_signal(SIGINT);
  ASSERT_TRUE(box.wait_for_file("term.mark"));
  auto result = fanout.finish();

  EXPECT_EQ(result.exit_code, 130);
  EXPECT_NE(result.err.find("  waiter  cancelled   3   "), std::string::npos) << result.err;
}

TEST(FullDisk, LostOutputIsAnErrorNotASuccess)
{
  Sandbox box;
  box.write_jobs(R"(
[[job]]
name = "a"
argv = ['@CHILD@', 'print', '3', 'hello']
)");
  const auto result = box.run_program(
    "/bin/sh", {"-c", "exec \"$0\" \"$@\" > /dev/full", FANOUT_BIN, "--color", "never"});

  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(mask_times(result.err),
            "fanout: 1 job in T: 1 ok\n"
            "  a  ok          0   T\n"
            "fanout: error: cannot write to stdout: No space left on device\n");
}

} // namespace
