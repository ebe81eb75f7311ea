// SPDX-License-Identifier: MIT
// End-to-end tests of the command line: --list, --dry-run, job selection,
// usage errors and job-file errors. Each test runs the real fanout in a
// fresh folder (see harness.hpp). Output, statuses, timeouts and signals
// are in the other *_test.cpp files of this folder.

#include "harness.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

using e2e::mask_times;
using e2e::Sandbox;

namespace {

constexpr std::string_view k_three_jobs = R"(
[[job]]
name = "build"
cmd = "echo building > built.txt; cat built.txt"

[[job]]
name = "test-unit"
argv = ["echo", "hello world"]

[[job]]
name = "test-e2e"
cmd = "echo 'end to end' | tr a-z A-Z"
)";

} // namespace

TEST(List, PrintsEveryJobNameInFileOrder)
{
  Sandbox box;
  box.write_jobs(k_three_jobs);

  auto result = box.run({"--list"});

  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.out, "build\ntest-unit\ntest-e2e\n");
  EXPECT_EQ(result.err, "");
}

TEST(List, PrintsOnlyTheJobsAGlobSelects)
{
  Sandbox box;
  box.write_jobs(k_three_jobs);

  auto result = box.run({"--list", "test-*"});

  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.out, "test-unit\ntest-e2e\n");
  EXPECT_EQ(result.err, "");
}

TEST(DryRun, PrintsEachCommandAndRunsNothing)
{
  Sandbox box;
  box.write_jobs(k_three_jobs);

  auto result = box.run({"--dry-run"});

  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.out, "build: echo building > built.txt; cat built.txt\n"
                        "test-unit: echo 'hello world'\n"
                        "test-e2e: echo 'end to end' | tr a-z A-Z\n");
  EXPECT_EQ(result.err, "");
  EXPECT_FALSE(box.exists("built.txt"));
}

TEST(DryRun, PrintsOnlyTheSelectedJobs)
{
  Sandbox box;
  box.write_jobs(k_three_jobs);

  auto result = box.run({"--dry-run", "test-unit"});

  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.out, "test-unit: echo 'hello world'\n");
}

// Whatever quoting style fanout picks, a shell must get the same arguments back.
TEST(DryRun, ArgvIsQuotedSoThatAShellRunsTheSameArguments)
{
  Sandbox box;
  box.write_jobs(R"(
[[job]]
name = "tricky"
argv = ['@CHILD@', 'eprint', "it's \"quoted\" $HOME `x` \\ ; * ~", 'print', '1', 'a  b', 'eprint', '']
)");
  auto listed = box.run({"--dry-run"});
  ASSERT_TRUE(listed.out.starts_with("tricky: ") && listed.out.ends_with("\n")) << listed.out;
  std::string command = listed.out.substr(8, listed.out.size() - 9);

  auto result = box.run_program("/bin/sh", {"-c", command});

  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.err, "it's \"quoted\" $HOME `x` \\ ; * ~\n\n");
  EXPECT_EQ(result.out, "a  b 1\n");
}

TEST(Selection, RunsOnlyTheNamedJobPaddedToTheSelectedNames)
{
  Sandbox box;
  box.write_jobs(k_three_jobs);

  auto result = box.run({"build"});

  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.out, "build | building\n");
  EXPECT_EQ(mask_times(result.err), "fanout: 1 job in T: 1 ok\n"
                                    "  build  ok          0   T\n");
}

TEST(Selection, GlobRunsEveryMatchingJobInFileOrder)
{
  Sandbox box;
  box.write_jobs(k_three_jobs);

  auto result = box.run({"-j", "1", "test-*"});

  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.out, "test-unit | hello world\n"
                        "test-e2e  | END TO END\n");
  EXPECT_EQ(mask_times(result.err), "fanout: 2 jobs in T: 2 ok\n"
                                    "  test-unit  ok          0   T\n"
                                    "  test-e2e   ok          0   T\n");
  EXPECT_FALSE(box.exists("built.txt"));
}

TEST(Selection, PatternMatchingNoJobIsAUsageError)
{
  Sandbox box;
  box.write_jobs(k_three_jobs);

  auto result = box.run({"build", "xyz"});

  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(result.out, "");
  EXPECT_EQ(result.err, "fanout: error: no job matches \"xyz\"\n");
  EXPECT_FALSE(box.exists("built.txt"));
}

TEST(Usage, VersionGoesToStdoutAndExits0)
{
  Sandbox box;

  auto result = box.run({"--version"});

  EXPECT_EQ(result.exit_code, 0);
  EXPECT_NE(result.out.find("fanout"), std::string::npos) << result.out;
  EXPECT_EQ(result.err, "");
}

TEST(Usage, HelpGoesToStdoutAndExits0)
{
  Sandbox box;

  auto result = box.run({"--help"});

  EXPECT_EQ(result.exit_code, 0);
  EXPECT_NE(result.out.find("--dry-run"), std::string::npos) << result.out;
  EXPECT_EQ(result.err, "");
}

TEST(Usage, UnknownOptionExitsWith2)
{
  Sandbox box;
  box.write_jobs(k_three_jobs);

  auto result = box.run({"--bogus"});

  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(result.out, "");
  EXPECT_TRUE(result.err.starts_with("fanout: error: ")) << result.err;
  EXPECT_FALSE(box.exists("built.txt"));
}

TEST(Usage, ZeroJobsAtOnceIsRejected)
{
  Sandbox box;
  box.write_jobs(k_three_jobs);

  auto result = box.run({"-j", "0"});

  EXPECT_EQ(result.exit_code, 2);
  EXPECT_TRUE(result.err.starts_with("fanout: error: ")) << result.err;
  EXPECT_FALSE(box.exists("built.txt"));
}

TEST(Usage, BadTimeoutIsRejectedNamingTheValue)
{
  Sandbox box;
  box.write_jobs(k_three_jobs);

  auto result = box.run({"--timeout", "soon"});

  EXPECT_EQ(result.exit_code, 2);
  EXPECT_TRUE(result.err.starts_with("fanout: error: ")) << result.err;
  EXPECT_NE(result.err.find("soon"), std::string::npos) << result.err;
  EXPECT_FALSE(box.exists("built.txt"));
}

TEST(Usage, UnknownColorModeIsRejected)
{
  Sandbox box;
  box.write_jobs(k_three_jobs);

  auto result = box.run({"--color", "sometimes"});

  EXPECT_EQ(result.exit_code, 2);
  EXPECT_TRUE(result.err.starts_with("fanout: error: ")) << result.err;
}

TEST(JobFileError, BadDurationIsShownWithItsLineAndACaretAndNothingRuns)
{
  Sandbox box;
  box.write_file("jobs.toml", R"([[job]]
name = "unit"
timeout = "5 minutes"
cmd = "echo ran > ran.txt"

[[job]]
name = "other"
cmd = "echo ran > ran.txt"
)");

  auto result = box.run({"-f", "jobs.toml"});

  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(result.out, "");
  EXPECT_EQ(result.err,
            "jobs.toml:3:11: error: job \"unit\": timeout \"5 minutes\" is not a duration "
            "(try \"5m\")\n"
            "    3 | timeout = \"5 minutes\"\n"
            "      |           ^\n");
  EXPECT_FALSE(box.exists("ran.txt"));
}

TEST(JobFileError, UnknownKeySuggestsTheClosestKey)
{
  Sandbox box;
  box.write_file("jobs.toml", R"([[job]]
name = "a"
cmd = "true"
timeuot = "1s"
)");

  auto result = box.run({"-f", "jobs.toml"});

  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(result.err, "jobs.toml:4:1: error: job \"a\": unknown key \"timeuot\" (did you mean "
                        "\"timeout\"?)\n"
                        "    4 | timeuot = \"1s\"\n"
                        "      | ^\n");
}

TEST(JobFileError, DuplicateNameIsAnError)
{
  Sandbox box;
  box.write_file("jobs.toml", R"([[job]]
name = "a"
cmd = "true"

[[job]]
name = "a"
cmd = "true"
)");

  auto result = box.run({"-f", "jobs.toml"});

  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(result.err, "jobs.toml:6:8: error: job \"a\": duplicate name (first used at line 2)\n"
                        "    6 | name = \"a\"\n"
                        "      |        ^\n");
}

TEST(JobFileError, MissingFileExitsWith2)
{
  Sandbox box;

  auto result = box.run({"-f", "nosuch.toml"});

  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(result.out, "");
  EXPECT_EQ(result.err,
            "nosuch.toml: error: cannot read the job file: No such file or directory\n");
}

TEST(JobFileError, DefaultJobFileIsFanoutTomlInTheCurrentFolder)
{
  Sandbox box;

  auto result = box.run({});

  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(result.err,
            "fanout.toml: error: cannot read the job file: No such file or directory\n");
}
