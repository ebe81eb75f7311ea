// SPDX-License-Identifier: MIT
// End-to-end tests of named pools and the console pool (fanout(1), JOB
// FILE, [pools]). The jobs of a pool record how many of them run at once
// (test_child's `overlap`: each one waits a little for others to come, so
// that jobs that could run together do); the test takes the peak.

#include "harness.hpp"
#include "terminal_run.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

using e2e::mask_times;
using e2e::Sandbox;
using e2e::screen_of;
using e2e::split_lines;
using e2e::TerminalRun;
using e2e::TerminalSetup;

namespace {

// The most jobs that `overlap` in `dir` saw at once, and how many came.
std::pair<int, std::size_t> peak_in(const Sandbox& box, const std::string& dir)
{
  const std::vector<std::string> counts = split_lines(box.read_file(dir + ".peak"));
  int peak = 0;
  for (const std::string& count : counts) {
    peak = std::max(peak, std::stoi(count));
  }
  return {peak, counts.size()};
}

} // namespace

TEST(Pools, APoolOfOneRunsOneJobAtATimeWhileOthersRun)
{
  Sandbox box;
  std::string jobs = "[pools]\ndb = 1\n";
  for (int i = 1; i <= 4; ++i) {
    // The first meets a job in no pool, which must start while the jobs of
    // the pool wait: waiting behind them, it would never come.
    const std::string meet = i == 1 ? "'rendezvous', 'free', '2', " : "";
    jobs += "[[job]]\nname = 'db-" + std::to_string(i) + "'\npool = 'db'\nargv = ['@CHILD@', " +
            meet + "'overlap', 'db', '2', '300']\n";
  }
  jobs += "[[job]]\nname = 'free'\nargv = ['@CHILD@', 'rendezvous', 'free', '2']\n";
  box.write_jobs(jobs);
  const auto result = box.run({"-j", "8"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(peak_in(box, "db"), std::make_pair(1, std::size_t{4}));
}

// Each member waits up to a second for a third, which the pool never lets
// in: the two members that run at once meet meanwhile.
TEST(Pools, AGroupInAPoolOfTwoRunsTwoMembersAtATime)
{
  Sandbox box;
  box.write_jobs(R"(
[pools]
pair = 2

[[job]]
name = "each"
pool = "pair"
argv = ['@CHILD@', 'overlap', 'pair', '3', '1000', 'print', '1', '{}']
for_each = { values = ["a", "b", "c", "d", "e", "f"] }
)");
  const auto result = box.run({"-j", "8"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(peak_in(box, "pair"), std::make_pair(2, std::size_t{6}));
}

TEST(Pools, AnUnknownPoolOrABadSizeIsALocatedError)
{
  const std::vector<std::pair<std::string, std::string>> cases = {
    {"[pools]\ndb = 1\n\n[[job]]\nname = 'a'\ncmd = 'true'\npool = 'dbs'\n",
     "fanout.toml:7:8: error: job \"a\": unknown pool \"dbs\" (did you mean \"db\"?)\n"
     "    7 | pool = 'dbs'\n"
     "      |        ^\n"},
    {"[[job]]\nname = 'a'\ncmd = 'true'\n\n[pools]\ndb = 0\n",
     "fanout.toml:6:6: error: pools: the size of \"db\" must be a positive integer, not 0\n"
     "    6 | db = 0\n"
     "      |      ^\n"}};
  for (const auto& [jobs, message] : cases) {
    Sandbox box;
    box.write_jobs(jobs);
    const auto result = box.run({});
    EXPECT_EQ(std::make_tuple(result.exit_code, result.out, result.err),
              std::make_tuple(2, std::string(), message));
  }
}

// The console job meets the other job, which then prints and waits until
// the console job has gone on: the other job's lines are written (to its
// pipe) while the console job runs, and must wait until it ends.
TEST(ConsolePool, AJobHasTheTerminalToItselfUntaggedAndCanAskAQuestion)
{
  Sandbox box;
  box.write_jobs(R"(
[[job]]
name = "ask"
pool = "console"
argv = ['@CHILD@', 'rendezvous', 'met', '2', 'tty', 'print', '2', 'console',
        'rendezvous', 'told', '2', 'ask', 'ready?', 'print', '1', 'after']

[[job]]
name = "other"
argv = ['@CHILD@', 'rendezvous', 'met', '2', 'print', '3', 'other', 'rendezvous', 'told', '2']
)");
  TerminalSetup setup;
  setup.stdin_terminal = true;
  TerminalRun run(box, {"-j", "4", "--color", "never"}, setup);
  ASSERT_TRUE(run.wait_for("ready?\n"));
  run.type("yes\n");
  const auto result = run.finish();

  EXPECT_EQ(result.exit_code, 0);
  const auto screen = screen_of(result.out);
  EXPECT_EQ(mask_times(screen.lines), "tty stdin=yes stdout=yes stderr=yes foreground=yes\n"
                                      "console 1\n"
                                      "console 2\n"
                                      "ready?\n"
                                      "answer yes\n"
                                      "after 1\n"
                                      "other | other 1\n"
                                      "other | other 2\n"
                                      "other | other 3\n"
                                      "fanout: 2 jobs in T: 2 ok\n"
                                      "  ask    ok          0   T\n"
                                      "  other  ok          0   T\n");
  EXPECT_EQ(screen.left, "");
}
