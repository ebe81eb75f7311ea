// SPDX-License-Identifier: MIT
// The keys of one job as parse_jobfile reads them: its command (cmd, argv
// or call and args), its name, and the forms a [[job]] table may take.
#include "jobfile/jobfile.hpp"
#include "jobfile_test_support.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

namespace fanout {
namespace {

using std::chrono::seconds;

using CallFields = std::tuple<std::string, std::string, std::vector<std::string>>;

// A function job's library, symbol and args; nullopt for a command job.
std::optional<CallFields> call_of(const JobSpec& job)
{
  if (!job.call) {
    return std::nullopt;
  }
  return CallFields(job.call->library, job.call->symbol, job.call->args);
}

std::vector<std::string> names_of(const JobFile& file)
{
  std::vector<std::string> names;
  for (const JobSpec& job : file.jobs) {
    names.push_back(job.name);
  }
  return names;
}

TEST(ParseJobfile, ParsesShellCommandJob)
{
  const JobFile file =
    parse_jobfile("[[job]]\nname = \"lint\"\ncmd = \"ruff check .\"\n", "ci.toml");
  ASSERT_EQ(file.jobs.size(), 1u);
  EXPECT_EQ(fields(file.jobs[0]), fields(JobSpec{.name = "lint",
                                                 .cmd = "ruff check .",
                                                 .argv = {},
                                                 .call = nullptr,
                                                 .cwd = ".",
                                                 .env = {},
                                                 .timeout = std::nullopt,
                                                 .grace = std::nullopt,
                                                 .lifecycle = nullptr,
                                                 .group = nullptr}));
}

TEST(ParseJobfile, ParsesArgvJob)
{
  const JobFile file =
    parse_jobfile("[[job]]\nname = \"unit\"\nargv = [\"pytest\", \"-q\", \"\"]\n", "ci.toml");
  ASSERT_EQ(file.jobs.size(), 1u);
  EXPECT_EQ(fields(file.jobs[0]), fields(JobSpec{.name = "unit",
                                                 .cmd = "",
                                                 .argv = {"pytest", "-q", ""},
                                                 .call = nullptr,
                                                 .cwd = ".",
                                                 .env = {},
                                                 .timeout = std::nullopt,
                                                 .grace = std::nullopt,
                                                 .lifecycle = nullptr,
                                                 .group = nullptr}));
}

TEST(ParseJobfile, ParsesCallJobWithArgs)
{
  const JobFile file = parse_jobfile("[[job]]\nname = \"seed\"\ncall = \"lib/libseed.so:worker\"\n"
                                     "args = [\"arg one\", \"\", \"2\"]\ntimeout = \"1s\"\n",
                                     "ci.toml");
  ASSERT_EQ(file.jobs.size(), 1u);
  EXPECT_EQ(std::make_tuple(fields(file.jobs[0]), call_of(file.jobs[0])),
            std::make_tuple(fields(JobSpec{.name = "seed",
                                           .cmd = "",
                                           .argv = {},
                                           .call = nullptr,
                                           .cwd = ".",
                                           .env = {},
                                           .timeout = seconds(1),
                                           .grace = std::nullopt,
                                           .lifecycle = nullptr,
                                           .group = nullptr}),
                            std::optional<CallFields>(
                              CallFields{"lib/libseed.so", "worker", {"arg one", "", "2"}})));
}

TEST(ParseJobfile, ParsesCallJobWithoutArgs)
{
  const JobFile file = parse_jobfile("[[job]]\ncall = \"libseed.so:_Work3r\"\n", "ci.toml");
  ASSERT_EQ(file.jobs.size(), 1u);
  EXPECT_EQ(call_of(file.jobs[0]),
            std::optional<CallFields>(CallFields{"./libseed.so", "_Work3r", {}}));
}

TEST(ParseJobfile, ArgsMayComeBeforeCallAndEmpty)
{
  const JobFile file = parse_jobfile("[[job]]\nargs = []\ncall = \"lib/x.so:f\"\n", "ci.toml");
  ASSERT_EQ(file.jobs.size(), 1u);
  EXPECT_EQ(call_of(file.jobs[0]), std::optional<CallFields>(CallFields{"lib/x.so", "f", {}}));
}

TEST(ParseJobfile, JobsInARowThatCallTheSameShareOneCallAndTheirCwd)
{
  const JobFile file = parse_jobfile("[[job]]\ncall = \"lib/x.so:f\"\n"
                                     "[[job]]\ncall = \"lib/x.so:f\"\ncwd = \"sub/.\"\n"
                                     "[[job]]\ncall = \"lib/x.so:f\"\nargs = [\"1\"]\n"
                                     "[[job]]\ncall = \"lib/../lib/x.so:f\"\n"
                                     "[[job]]\ncall = \"lib/x.so:g\"\ncwd = \"sub/.\"\n",
                                     "conf/ci.toml");
  ASSERT_EQ(file.jobs.size(), 5u);
  EXPECT_EQ(file.jobs[1].call, file.jobs[0].call);
  EXPECT_NE(file.jobs[2].call, file.jobs[1].call); // other args
  EXPECT_NE(file.jobs[3].call, file.jobs[2].call); // written otherwise
  EXPECT_NE(file.jobs[4].call, file.jobs[3].call); // another function
  EXPECT_EQ(call_of(file.jobs[2]),
            std::optional<CallFields>(CallFields{"conf/lib/x.so", "f", {"1"}}));
  EXPECT_EQ(call_of(file.jobs[3]), std::optional<CallFields>(CallFields{"conf/lib/x.so", "f", {}}));
  EXPECT_EQ(call_of(file.jobs[4]), std::optional<CallFields>(CallFields{"conf/lib/x.so", "g", {}}));
  const std::vector<std::string> cwds = {file.jobs[0].cwd, file.jobs[1].cwd, file.jobs[2].cwd,
                                         file.jobs[3].cwd, file.jobs[4].cwd};
  EXPECT_EQ(cwds, (std::vector<std::string>{"conf", "conf/sub", "conf", "conf", "conf/sub"}));
  EXPECT_EQ(&file.jobs[3].cwd.str(), &file.jobs[2].cwd.str()); // one copy for jobs in a row
}

TEST(ParseJobfile, CommandJobsHaveNoCall)
{
  const JobFile file = parse_jobfile("[[job]]\ncmd = \"x\"\n[[job]]\nargv = [\"y\"]\n", "ci.toml");
  ASSERT_EQ(file.jobs.size(), 2u);
  EXPECT_EQ(std::make_tuple(call_of(file.jobs[0]), call_of(file.jobs[1])),
            std::make_tuple(std::optional<CallFields>(), std::optional<CallFields>()));
}

TEST(ParseJobfile, CallJobsTakeCwdEnvAndDurations)
{
  const JobFile file = parse_jobfile(R"([defaults]
grace = "2s"
env = { LC_ALL = "C" }

[[job]]
name = "a"
call = "lib/x.so:f"
cwd = "work"
env = { SEED = "0" }
timeout = "30s"
)",
                                     "conf/ci.toml");
  ASSERT_EQ(file.jobs.size(), 1u);
  EXPECT_EQ(std::make_tuple(fields(file.jobs[0]), call_of(file.jobs[0])),
            std::make_tuple(fields(JobSpec{.name = "a",
                                           .cmd = "",
                                           .argv = {},
                                           .call = nullptr,
                                           .cwd = "conf/work",
                                           .env = {{"LC_ALL", "C"}, {"SEED", "0"}},
                                           .timeout = seconds(30),
                                           .grace = seconds(2),
                                           .lifecycle = nullptr,
                                           .group = nullptr}),
                            std::optional<CallFields>(CallFields{"conf/lib/x.so", "f", {}})));
}

TEST(ParseJobfile, NamesUnnamedJobsByPosition)
{
  const JobFile file = parse_jobfile(
    "[[job]]\ncmd = \"a\"\n[[job]]\nname = \"b\"\ncmd = \"b\"\n[[job]]\ncmd = \"c\"\n", "ci.toml");
  EXPECT_EQ(names_of(file), (std::vector<std::string>{"job-1", "b", "job-3"}));
}

TEST(ParseJobfile, AcceptsEveryNameCharacter)
{
  const std::string name = "Az09_.-:+@" + std::string(118, 'x');
  const JobFile file = parse_jobfile("[[job]]\nname = \"" + name + "\"\ncmd = \"x\"\n", "ci.toml");
  EXPECT_EQ(names_of(file), std::vector<std::string>{name});
}

TEST(ParseJobfile, AcceptsInlineTableJobs)
{
  const JobFile file =
    parse_jobfile("job = [{ name = \"a\", cmd = \"x\" }, { argv = [\"y\"] }]\n", "ci.toml");
  EXPECT_EQ(names_of(file), (std::vector<std::string>{"a", "job-2"}));
}

TEST(ParseJobfile, AcceptsCrlfLineEndings)
{
  const JobFile file = parse_jobfile("[[job]]\r\nname = \"a\"\r\ncmd = \"x\"\r\n", "ci.toml");
  EXPECT_EQ(names_of(file), std::vector<std::string>{"a"});
}

TEST(JobFile, FindsJobByName)
{
  const JobFile file = parse_jobfile(
    "[[job]]\nname = \"a\"\ncmd = \"x\"\n[[job]]\nname = \"b\"\ncmd = \"y\"\n", "ci.toml");
  EXPECT_EQ(
    std::make_tuple(file.find("a"), file.find("b"), file.find("c")),
    std::make_tuple(std::optional<JobId>(0), std::optional<JobId>(1), std::optional<JobId>()));
}

} // namespace
} // namespace fanout
