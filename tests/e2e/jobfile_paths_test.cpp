// SPDX-License-Identifier: MIT
// Where a job file's relative paths lead: a job file read through a pipe or
// a descriptor has no folder of its own, and a job's cwd is fixed when the
// file is read, whatever a function job of the thread pool does to fanout's
// current folder later. And --dry-run keeps each job on one line that a
// shell runs as fanout would.

#include "harness.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

using e2e::mask_times;
using e2e::Sandbox;
using e2e::split_lines;

namespace {

// A command job that marks here.log in its cwd, `work`, and a function job
// of a library found through a path relative to the job file's folder.
constexpr std::string_view k_relative_jobs = R"(
[[job]]
name = "a"
cwd = "work"
argv = ['@CHILD@', 'mark', 'here.log', 'ran']

[[job]]
name = "b"
call = "lib/test_jobs.so:context"
)";

// Links test_jobs.so into `folder`/lib, for jobs that call it by a
// relative path.
void link_test_jobs(const Sandbox& box, const std::string& folder)
{
  box.write_file(folder + "/lib/.keep", "");
  std::filesystem::create_symlink(TEST_JOBS_LIB, box.dir() / folder / "lib/test_jobs.so");
}

// How a shell hands fanout a job file that is not a plain path: "$0" is
// fanout, conf/ci.toml the job file.
struct Way {
  const char* name;
  const char* command;
};

constexpr Way k_ways[] = {
  {"Pipe", "cat conf/ci.toml | \"$0\" -f /dev/stdin -j1 --color never"},
  {"Redirect", "exec \"$0\" -f /dev/stdin -j1 --color never < conf/ci.toml"},
  {"ProcessSubstitution", "exec \"$0\" -f <(cat conf/ci.toml) -j1 --color never"},
  {"DashFromAPipe", "cat conf/ci.toml | \"$0\" -f - -j1 --color never"},
  {"DashFromAFile", "exec \"$0\" -f - -j1 --color never < conf/ci.toml"},
};

std::string name_of(const testing::TestParamInfo<Way>& info)
{
  return info.param.name;
}

class JobFileThroughADescriptor : public testing::TestWithParam<Way> {};

INSTANTIATE_TEST_SUITE_P(Ways, JobFileThroughADescriptor, testing::ValuesIn(k_ways), name_of);

} // namespace

// Not in /dev or /proc/PID/fd: the relative paths are the current folder's,
// not the job file's either (conf/ has neither work/ nor lib/).
TEST_P(JobFileThroughADescriptor, ResolvesRelativePathsAgainstTheCurrentFolder)
{
  Sandbox box;
  box.write_file("work/.keep", "");
  link_test_jobs(box, ".");
  box.write_file("conf/ci.toml", k_relative_jobs);

  auto result = box.run_program("/bin/bash", {"-c", GetParam().command, FANOUT_BIN});

  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.out, "b | name=b slot=1 abi=1 stop=0 argc=0 end=null\n");
  EXPECT_EQ(mask_times(result.err), "fanout: 2 jobs in T: 2 ok\n"
                                    "  a  ok          0   T\n"
                                    "  b  ok          0   T\n");
  EXPECT_EQ(box.read_file("work/here.log"), "ran\n");
}

// `-f -` names stdin "<stdin>" in its messages.
TEST(JobFileFromStdin, ErrorsNameStdin)
{
  Sandbox box;
  box.write_file("ci.toml", "[[job]]\ncmd = \"true\"\ntimeout = \"soon\"\n");

  auto result = box.run_program("/bin/bash", {"-c", "exec \"$0\" -f - < ci.toml", FANOUT_BIN});

  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(result.out, "");
  EXPECT_EQ(result.err, "<stdin>:3:11: error: job \"job-1\": timeout \"soon\" is not a duration\n"
                        "    3 | timeout = \"soon\"\n"
                        "      |           ^\n");
}

// The function job moves fanout to "/" before the command job starts, in
// the same process: the command must still run in conf/work, and the
// library called later by a relative path must still be found.
TEST(AbsoluteCwd, FunctionJobOfTheThreadPoolThatMovesFanoutMovesNoOtherJob)
{
  Sandbox box;
  box.write_file("conf/work/.keep", "");
  link_test_jobs(box, "conf");
  box.write_file("conf/ci.toml", "[[job]]\nname = \"move\"\ncall = \"" +
                                   std::string(TEST_JOBS_LIB) + ":chdir_root\"\n" +
                                   std::string(k_relative_jobs));

  auto result = box.run({"--pool", "thread", "-j1", "--color", "never", "-f", "conf/ci.toml"});

  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.out, "move | moved to /\n"
                        "b    | name=b slot=1 abi=1 stop=0 argc=0 end=null\n");
  EXPECT_EQ(mask_times(result.err), "fanout: 3 jobs in T: 3 ok\n"
                                    "  move  ok          0   T\n"
                                    "  a     ok          0   T\n"
                                    "  b     ok          0   T\n");
  EXPECT_EQ(box.read_file("conf/work/here.log"), "ran\n");
}

// A newline in a command or an argument would split its job's line; quoted
// as bash's $'...', the line runs the same in bash as the job does.
TEST(DryRun, CommandsWithNewlinesStayOnOneLineThatBashRuns)
{
  Sandbox box;
  box.write_jobs(R"(
[[job]]
name = "script"
cmd = """
echo one
echo 'two  words'
"""

[[job]]
name = "args"
argv = ['printf', '[%s]\n', "line one\nline two", "tab\there", "it's"]
)");

  auto listed = box.run({"--dry-run"});

  EXPECT_EQ(listed.exit_code, 0);
  const std::vector<std::string> lines = split_lines(listed.out);
  ASSERT_EQ(lines.size(), 2u) << listed.out;
  ASSERT_TRUE(lines[0].starts_with("script: ") && lines[1].starts_with("args: ")) << listed.out;
  std::vector<std::string> outputs;
  for (const std::string& command : {lines[0].substr(8), lines[1].substr(6)}) {
    auto result = box.run_program("/bin/bash", {"-c", command});
    EXPECT_EQ(result.exit_code, 0) << command;
    outputs.push_back(result.out);
  }
  EXPECT_EQ(outputs, (std::vector<std::string>{"one\ntwo  words\n",
                                               "[line one\nline two]\n[tab\there]\n[it's]\n"}));
}
