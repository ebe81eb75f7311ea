// SPDX-License-Identifier: MIT
// What [defaults] gives the jobs, and the durations (timeout, grace) a job
// file may write.
#include "jobfile/jobfile.hpp"
#include "jobfile_test_support.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <tuple>

namespace fanout {
namespace {

using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;

TEST(ParseJobfile, JobsInheritDefaults)
{
  const JobFile file = parse_jobfile(R"([defaults]
timeout = "10m"
grace = "2s"
env = { LC_ALL = "C" }
cwd = "work"

[[job]]
name = "a"
cmd = "x"
)",
                                     "ci.toml");
  ASSERT_EQ(file.jobs.size(), 1u);
  EXPECT_EQ(fields(file.jobs[0]), fields(JobSpec{.name = "a",
                                                 .cmd = "x",
                                                 .argv = {},
                                                 .call = nullptr,
                                                 .cwd = "work",
                                                 .env = {{"LC_ALL", "C"}},
                                                 .timeout = minutes(10),
                                                 .grace = seconds(2),
                                                 .lifecycle = nullptr,
                                                 .group = nullptr}));
}

TEST(ParseJobfile, JobValuesOverrideDefaultsAndEnvAppends)
{
  const JobFile file = parse_jobfile(R"([defaults]
timeout = "10m"
grace = "2s"
env = { LC_ALL = "C", MODE = "default" }
cwd = "work"

[[job]]
name = "a"
cmd = "x"
timeout = "30s"
grace = "1s"
cwd = "other"
env = { MODE = "job", SEED = "0" }
)",
                                     "ci.toml");
  ASSERT_EQ(file.jobs.size(), 1u);
  EXPECT_EQ(
    fields(file.jobs[0]),
    fields(JobSpec{.name = "a",
                   .cmd = "x",
                   .argv = {},
                   .call = nullptr,
                   .cwd = "other",
                   .env = {{"LC_ALL", "C"}, {"MODE", "default"}, {"MODE", "job"}, {"SEED", "0"}},
                   .timeout = seconds(30),
                   .grace = seconds(1),
                   .lifecycle = nullptr,
                   .group = nullptr}));
}

TEST(ParseJobfile, JobsWithoutAnEnvOfTheirOwnShareTheDefaultOne)
{
  const JobFile file = parse_jobfile("[defaults]\nenv = { A = \"1\" }\n"
                                     "[[job]]\ncmd = \"x\"\n"
                                     "[[job]]\ncmd = \"x\"\nenv = { B = \"2\" }\n"
                                     "[[job]]\ncmd = \"x\"\n",
                                     "ci.toml");
  ASSERT_EQ(file.jobs.size(), 3u);
  EXPECT_EQ(&file.jobs[2].env.list(), &file.jobs[0].env.list());
  EXPECT_EQ(file.jobs[0].env, (JobEnvironment{{"A", "1"}}));
  EXPECT_EQ(file.jobs[1].env, (JobEnvironment{{"A", "1"}, {"B", "2"}}));
}

TEST(ParseJobfile, DefaultsApplyWhereverTheyAreWritten)
{
  const JobFile file =
    parse_jobfile("[[job]]\ncmd = \"x\"\n\n[defaults]\ntimeout = \"1m\"\n", "ci.toml");
  ASSERT_EQ(file.jobs.size(), 1u);
  EXPECT_EQ(file.jobs[0].timeout, minutes(1));
}

TEST(ParseJobfile, LeavesDurationsUnsetWithoutAValue)
{
  const JobFile file = parse_jobfile("[[job]]\ncmd = \"x\"\n", "ci.toml");
  ASSERT_EQ(file.jobs.size(), 1u);
  EXPECT_EQ(std::tie(file.jobs[0].timeout, file.jobs[0].grace),
            std::make_tuple(std::optional<Duration>(), std::optional<Duration>()));
}

TEST(ParseJobfile, AcceptsNumbersOfSecondsForDurations)
{
  const JobFile file = parse_jobfile(
    "[defaults]\ngrace = 0.25\n[[job]]\ncmd = \"x\"\ntimeout = 90\n[[job]]\ncmd = \"y\"\n"
    "timeout = 2.5\ngrace = 1_000\n",
    "ci.toml");
  ASSERT_EQ(file.jobs.size(), 2u);
  EXPECT_EQ(std::make_tuple(file.jobs[0].timeout, file.jobs[0].grace, file.jobs[1].timeout,
                            file.jobs[1].grace),
            std::make_tuple(
              std::optional<Duration>(seconds(90)), std::optional<Duration>(milliseconds(250)),
              std::optional<Duration>(milliseconds(2500)), std::optional<Duration>(seconds(1000))));
}

TEST(ParseJobfile, ZeroTimeoutIsKeptAsNoTimeout)
{
  const JobFile file =
    parse_jobfile("[defaults]\ntimeout = \"1m\"\n[[job]]\ncmd = \"x\"\ntimeout = 0\n", "ci.toml");
  ASSERT_EQ(file.jobs.size(), 1u);
  EXPECT_EQ(file.jobs[0].timeout, milliseconds(0));
}

} // namespace
} // namespace fanout
