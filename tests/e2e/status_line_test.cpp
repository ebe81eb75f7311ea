// SPDX-License-Identifier: MIT
// End-to-end tests of the live status line (fanout(1), OUTPUT): drawn below
// the job lines of a terminal while jobs run, never mixed with them, gone
// before the summary; never on a dumb terminal unless asked for, and never
// in a pipe or a file.

#include "harness.hpp"
#include "terminal_run.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <regex>
#include <string>
#include <vector>

using e2e::mask_times;
using e2e::Sandbox;
using e2e::screen_of;
using e2e::TerminalRun;
using e2e::TerminalSetup;

namespace {

// A job that prints, waits in the rendezvous `gate` until the test adds a
// file to it, and prints again; and a job that writes a line to stderr.
std::string jobs_waiting_at(const std::string& gate)
{
  return R"(
[[job]]
name = "slow"
argv = ['@CHILD@', 'print', '2', 'before', 'rendezvous', ')" +
         gate + R"(', '2', 'print', '1', 'after']

[[job]]
name = "quick"
argv = ['@CHILD@', 'eprint', 'on stderr']
)";
}

const std::string k_lines = "slow  | before 1\n"
                            "slow  | before 2\n"
                            "slow  | after 1\n"
                            "quick | on stderr\n";

const std::string k_summary = "fanout: 2 jobs in T: 2 ok\n"
                              "  slow   ok          0   T\n"
                              "  quick  ok          0   T\n";

// The status lines with their clocks masked: "[0/2] T, 1 running: slow".
std::vector<std::string> masked(const std::vector<std::string>& statuses)
{
  std::vector<std::string> masked;
  for (const std::string& status : statuses) {
    masked.push_back(std::regex_replace(status, std::regex("[0-9]+:[0-9][0-9]"), "T"));
  }
  return masked;
}

bool has(const std::vector<std::string>& statuses, const std::string& status)
{
  return std::find(statuses.begin(), statuses.end(), status) != statuses.end();
}

} // namespace

TEST(StatusLine, ShowsTheRunningJobsBelowTheLinesAndIsGoneBeforeTheSummary)
{
  Sandbox box;
  box.write_jobs(jobs_waiting_at("gate"));
  TerminalRun run(box, {"-j", "1", "--color", "never"});
  ASSERT_TRUE(run.wait_for("1 running: slow"));
  box.write_file("gate/go", "");
  const auto result = run.finish();

  EXPECT_EQ(result.exit_code, 0);
  const auto screen = screen_of(result.out);
  // Whole lines, none with a status line in it, and the summary right after.
  EXPECT_EQ(mask_times(screen.lines), k_lines + k_summary);
  EXPECT_EQ(screen.left, "");
  const std::vector<std::string> statuses = masked(screen.statuses);
  EXPECT_TRUE(has(statuses, "[0/2] T, 1 running: slow")) << testing::PrintToString(statuses);
  for (const std::string& status : statuses) {
    EXPECT_TRUE(std::regex_match(status, std::regex(R"(\[[0-2]/2\] T(, 1 running: \w+)?)")))
      << status;
  }
  // Erased before the summary, and never drawn again.
  EXPECT_LT(result.out.rfind("\r\x1b[K"), result.out.find("fanout: 2 jobs"));
}

TEST(StatusLine, CountsTheMembersOfGroupsAndAGroupReadingLinesMakesItAtLeast)
{
  Sandbox box;
  box.write_file("list.txt", "a\nb\n");
  box.write_jobs(jobs_waiting_at("gate") + R"(
[[job]]
name = "each"
argv = ['@CHILD@', 'print', '1', '{}']
for_each = { values = ["x", "y"] }

[[job]]
name = "lines"
argv = ['@CHILD@', 'rendezvous', 'gate2', '2', 'print', '1', '{}']
for_each = { lines = "list.txt" }
)");
  TerminalRun run(box, {"-j", "1", "--color", "never"});
  ASSERT_TRUE(run.wait_for("1 running: slow"));
  box.write_file("gate/go", "");
  ASSERT_TRUE(run.wait_for("1 running: lines a"));
  box.write_file("gate2/go", "");
  const auto result = run.finish();

  EXPECT_EQ(result.exit_code, 0);
  const auto screen = screen_of(result.out);
  EXPECT_EQ(screen.left, "");
  const std::vector<std::string> statuses = masked(screen.statuses);
  // 2 jobs, 2 listed members, and a group reading lines: 4 at least; once
  // its first member started, 5 at least.
  EXPECT_TRUE(has(statuses, "[0/4+] T, 1 running: slow")) << testing::PrintToString(statuses);
  EXPECT_TRUE(has(statuses, "[4/5+] T, 1 running: lines a")) << testing::PrintToString(statuses);
}

TEST(StatusLine, ADumbTerminalGetsNoneUnlessAskedForAndNeverTurnsItOff)
{
  struct Case {
    std::optional<std::string> term;
    std::string option;
    bool shown;
  };
  for (const Case& c : {Case{"dumb", "auto", false}, Case{std::nullopt, "auto", false},
                        Case{"dumb", "always", true}, Case{"xterm", "never", false}}) {
    SCOPED_TRACE(c.term.value_or("(unset)") + " --status " + c.option);
    Sandbox box;
    box.write_jobs(jobs_waiting_at("gate"));
    TerminalRun run(box, {"-j", "1", "--color", "never", "--status", c.option},
                    TerminalSetup{c.term, 80, {}});
    ASSERT_TRUE(run.wait_for(c.shown ? "1 running: slow" : "slow  | before 2\n"));
    box.write_file("gate/go", "");
    const auto result = run.finish();
    EXPECT_EQ(result.exit_code, 0);
    if (c.shown) {
      EXPECT_EQ(mask_times(screen_of(result.out).lines), k_lines + k_summary);
    } else {
      EXPECT_EQ(mask_times(result.out), k_lines + k_summary);
    }
  }
}

TEST(StatusLine, IsNeverWiderThanTheTerminal)
{
  Sandbox box;
  box.write_jobs(R"(
[[job]]
name = "a-rather-long-job-name"
argv = ['@CHILD@', 'rendezvous', 'gate', '2']
)");
  TerminalRun run(box, {"--color", "never"}, TerminalSetup{"xterm", 30, {}});
  ASSERT_TRUE(run.wait_for("1 running: a-r..."));
  box.write_file("gate/go", "");
  const auto result = run.finish();

  EXPECT_EQ(result.exit_code, 0);
  const auto screen = screen_of(result.out);
  // A column short of the width, the text cut to fit.
  EXPECT_TRUE(has(masked(screen.statuses), "[0/1] T, 1 running: a-r..."))
    << testing::PrintToString(screen.statuses);
  for (const std::string& status : screen.statuses) {
    EXPECT_LE(status.size(), 29u) << status;
  }
}

TEST(StatusLine, NothingOfItReachesAFileWhenOnlyStderrIsATerminal)
{
  Sandbox box;
  box.write_jobs(jobs_waiting_at("gate"));
  TerminalRun run(box, {"-j", "1", "--color", "never"}, TerminalSetup{"xterm", 80, "out.txt"});
  ASSERT_TRUE(run.wait_for("1 running: slow"));
  box.write_file("gate/go", "");
  const auto result = run.finish();

  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(box.read_file("out.txt"), "slow  | before 1\n"
                                      "slow  | before 2\n"
                                      "slow  | after 1\n");
  const auto screen = screen_of(result.out);
  EXPECT_EQ(mask_times(screen.lines), "quick | on stderr\n" + k_summary);
  EXPECT_EQ(screen.left, "");
}

TEST(StatusLine, InPipesTheOutputIsThatOfARunWithoutIt)
{
  Sandbox box;
  box.write_jobs(R"(
[[job]]
name = "a"
argv = ['@CHILD@', 'print', '3', 'out', 'eprint', 'err']

[[job]]
name = "b"
argv = ['@CHILD@', 'exit', '3']
)");
  const auto without = box.run({"-j", "1", "--status", "never"});
  const auto forced = box.run({"-j", "1", "--status", "always"});

  EXPECT_EQ(forced.exit_code, 1);
  EXPECT_EQ(forced.exit_code, without.exit_code);
  EXPECT_EQ(forced.out, without.out);
  EXPECT_EQ(mask_times(forced.err), mask_times(without.err));
  EXPECT_EQ(forced.err.find('\x1b'), std::string::npos);
  EXPECT_EQ(forced.err.find('\r'), std::string::npos);
}
