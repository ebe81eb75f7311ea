// SPDX-License-Identifier: MIT
// The job files in jobfiles/ (the seed lesson's examples and the demo), and
// the daemon examples of jobfiles/seed/ in both pools, run as a user would,
// with fanout's default -j: so the tests compare each job's own lines in
// order, and the summary (always in job-file order) exactly.

#include "harness.hpp"

#include <gtest/gtest.h>

#include <ostream>
#include <regex>
#include <string>
#include <utility>
#include <vector>

using e2e::lines_after;
using e2e::mask_times;
using e2e::Sandbox;
using e2e::sorted_lines;
using e2e::split_lines;

namespace {

using Lines = std::vector<std::string>;

std::string jobfile(const std::string& name)
{
  return std::string(JOBFILES_DIR) + "/" + name;
}

// Expects `out` to be the lines that `by_tag` gives each tag, in that order
// for each tag; the tags' lines may interleave.
void expect_lines_by_tag(const std::string& out,
                         const std::vector<std::pair<std::string, Lines>>& by_tag)
{
  std::size_t count = 0;
  for (const auto& [tag, lines] : by_tag) {
    EXPECT_EQ(lines_after(out, tag), lines) << tag;
    count += lines.size();
  }
  EXPECT_EQ(split_lines(out).size(), count) << out;
}

// The daemon examples are function jobs, and a stopped function ends
// differently in each pool, so they name their pool (the harness then keeps
// it).
class SeedDaemonJobFile : public testing::TestWithParam<std::string> {
protected:
  std::vector<std::string> args(const std::string& file) const
  {
    return {"--pool", GetParam(), "--color", "never", "-f", jobfile("seed/" + file)};
  }
  bool on_threads() const { return GetParam() == "thread"; }
};

INSTANTIATE_TEST_SUITE_P(Pools, SeedDaemonJobFile, testing::Values("process", "thread"),
                         [](const testing::TestParamInfo<std::string>& info) {
                           return info.param;
                         });

// A job file of five workers, and the lines they print, sorted.
struct WorkersFile {
  const char* name;
  const char* file;
  Lines out;
};

void PrintTo(const WorkersFile& workers, std::ostream* os)
{
  *os << workers.file;
}

class SeedJobFile : public testing::TestWithParam<WorkersFile> {};

} // namespace

TEST_P(SeedJobFile, RunsFiveWorkers)
{
  const WorkersFile& workers = GetParam();
  Sandbox box;

  auto result = box.run({"--color", "never", "-f", jobfile(workers.file)});

  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(sorted_lines(result.out), workers.out);
  EXPECT_EQ(mask_times(result.err), "fanout: 5 jobs in T: 5 ok\n"
                                    "  job-1  ok          0   T\n"
                                    "  job-2  ok          0   T\n"
                                    "  job-3  ok          0   T\n"
                                    "  job-4  ok          0   T\n"
                                    "  job-5  ok          0   T\n");
}

INSTANTIATE_TEST_SUITE_P(
  , SeedJobFile,
  testing::Values(WorkersFile{"Simple", "simple.toml",
                              Lines{"job-1 | Worker", "job-2 | Worker", "job-3 | Worker",
                                    "job-4 | Worker", "job-5 | Worker"}},
                  WorkersFile{"SimpleArgsGivesEachItsNumber", "simpleargs.toml",
                              Lines{"job-1 | Worker: 0", "job-2 | Worker: 1", "job-3 | Worker: 2",
                                    "job-4 | Worker: 3", "job-5 | Worker: 4"}}),
  [](const testing::TestParamInfo<WorkersFile>& info) { return std::string(info.param.name); });

TEST_F(SeedJobFile, NamesPrintsGivenAndDefaultNames)
{
  Sandbox box;

  auto result = box.run({"--color", "never", "-f", jobfile("names.toml")});

  EXPECT_EQ(result.exit_code, 0);
  expect_lines_by_tag(result.out, {{"my_service | ", {"my_service Starting", "my_service Exiting"}},
                                   {"worker_1   | ", {"worker_1 Starting", "worker_1 Exiting"}},
                                   {"job-3      | ", {"job-3 Starting", "job-3 Exiting"}}});
  EXPECT_EQ(mask_times(result.err), "fanout: 3 jobs in T: 3 ok\n"
                                    "  my_service  ok          0   T\n"
                                    "  worker_1    ok          0   T\n"
                                    "  job-3       ok          0   T\n");
}

TEST_F(SeedJobFile, ExitCodeShowsPythonsExitcodeForEachJob)
{
  Sandbox box;

  auto result = box.run({"--color", "never", "-f", jobfile("exitcode.toml")});

  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.out, "");
  EXPECT_EQ(mask_times(result.err), "raises       | RuntimeError: There was an error!\n"
                                    "fanout: 6 jobs in T: 2 ok, 2 failed, 1 killed, 1 timed out\n"
                                    "  exit_error    failed      1   T\n"
                                    "  exit_ok       ok          0   T\n"
                                    "  return_value  ok          0   T\n"
                                    "  raises        failed      1   T\n"
                                    "  terminated    timeout   -15   T  SIGTERM after 1s\n"
                                    "  segfault      killed    -11   T  SIGSEGV\n");
}

TEST_F(SeedJobFile, DemoShowsTaggedParallelOutputAndSucceeds)
{
  Sandbox box;

  auto result = box.run({"--color", "never", "-f", jobfile("demo.toml")});

  Lines slot = lines_after(result.out, "slot       | ");
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(split_lines(result.out).size(), 11u) << result.out;
  EXPECT_EQ(lines_after(result.out, "countdown  | "), (Lines{"3...", "2...", "1...", "liftoff"}));
  EXPECT_EQ(lines_after(result.out, "words      | "),
            (Lines{"every", "line", "keeps", "its", "tag"}));
  EXPECT_EQ(lines_after(result.out, "no-newline | "),
            (Lines{"a last line without a newline gets one"}));
  ASSERT_EQ(slot.size(), 1u);
  EXPECT_TRUE(std::regex_match(slot[0], std::regex("I am job 3, slot, running in slot [0-9]+")))
    << slot[0];
  EXPECT_EQ(mask_times(result.err), "stderr     | this line went to stderr, tagged all the same\n"
                                    "fanout: 5 jobs in T: 5 ok\n"
                                    "  countdown   ok          0   T\n"
                                    "  words       ok          0   T\n"
                                    "  slot        ok          0   T\n"
                                    "  stderr      ok          0   T\n"
                                    "  no-newline  ok          0   T\n");
}

TEST_P(SeedDaemonJobFile, DaemonIsStoppedBeforeItPrintsExiting)
{
  Sandbox box;

  auto result = box.run(args("daemon.toml"));

  EXPECT_EQ(result.exit_code, 0);
  // The non-daemon starts only once the daemon's line came (its `ready`), and
  // ends long before the daemon's 2 s are over.
  EXPECT_EQ(result.out, "daemon     | Starting: daemon\n"
                        "non-daemon | Starting: non-daemon\n"
                        "non-daemon | Exiting: non-daemon\n");
  const std::string daemon = on_threads() ? "  daemon      stopped   143   T  stopped on request\n"
                                          : "  daemon      stopped   -15   T  SIGTERM\n";
  EXPECT_EQ(mask_times(result.err), "fanout: 2 jobs in T: 1 ok, 1 stopped\n" + daemon +
                                      "  non-daemon  ok          0   T\n");
}

TEST_P(SeedDaemonJobFile, JoinedDaemonIsAnOrdinaryJobThatPrintsExiting)
{
  Sandbox box;

  auto result = box.run(args("daemon_join.toml"));

  EXPECT_EQ(result.exit_code, 0);
  expect_lines_by_tag(result.out,
                      {{"daemon     | ", {"Starting: daemon", "Exiting: daemon"}},
                       {"non-daemon | ", {"Starting: non-daemon", "Exiting: non-daemon"}}});
  EXPECT_EQ(mask_times(result.err), "fanout: 2 jobs in T: 2 ok\n"
                                    "  daemon      ok          0   T\n"
                                    "  non-daemon  ok          0   T\n");
}
