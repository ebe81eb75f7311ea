// SPDX-License-Identifier: MIT
// The errors of a job file's tables and keys: what its top level holds, the
// keys a job and [defaults] take, and the key suggested for an unknown one.
#include "jobfile_errors_for.hpp"

#include <gtest/gtest.h>

#include <string>
#include <tuple>
#include <utility>
#include <vector>

namespace fanout {
namespace {

TEST(JobfileErrors, NoJobsInEmptyFile)
{
  EXPECT_EQ(error_for(""), "ci.toml:1:1: error: no jobs: add a [[job]] table");
}

TEST(JobfileErrors, NoJobsWithOnlyDefaults)
{
  EXPECT_EQ(error_for("[defaults]\ntimeout = \"1m\"\n"),
            "ci.toml:1:1: error: no jobs: add a [[job]] table\n"
            "    1 | [defaults]\n"
            "      | ^");
}

TEST(JobfileErrors, NoJobsInEmptyJobArrayPointsAtIt)
{
  EXPECT_EQ(error_for("# CI\njob = []\n"), "ci.toml:2:7: error: no jobs: add a [[job]] table\n"
                                           "    2 | job = []\n"
                                           "      |       ^");
}

TEST(JobfileErrors, UnknownTopLevelKeyWithoutSuggestion)
{
  EXPECT_EQ(error_for("[settings]\n[[job]]\ncmd = \"x\"\n"),
            "ci.toml:1:2: error: unknown key \"settings\"\n"
            "    1 | [settings]\n"
            "      |  ^");
}

TEST(JobfileErrors, JobMustBeArrayOfTables)
{
  EXPECT_EQ(error_for("[job]\ncmd = \"x\"\n"),
            "ci.toml:1:1: error: \"job\" must be an array of tables: write [[job]]\n"
            "    1 | [job]\n"
            "      | ^");
}

TEST(JobfileErrors, JobArrayElementMustBeTable)
{
  EXPECT_EQ(error_for("job = [{ cmd = \"x\" }, \"y\"]\n"),
            "ci.toml:1:23: error: \"job\" must be an array of tables: write [[job]]\n"
            "    1 | job = [{ cmd = \"x\" }, \"y\"]\n"
            "      |                       ^");
}

TEST(JobfileErrors, DefaultsMustBeTable)
{
  EXPECT_EQ(error_for("defaults = \"fast\"\n[[job]]\ncmd = \"x\"\n"),
            "ci.toml:1:12: error: \"defaults\" must be a table: write [defaults]\n"
            "    1 | defaults = \"fast\"\n"
            "      |            ^");
}

TEST(JobfileErrors, UnknownJobKeySuggestsClosest)
{
  EXPECT_EQ(error_for("[[job]]\nname = \"x\"\ncmd = \"y\"\ntimout = \"1s\"\n"),
            "ci.toml:4:1: error: job \"x\": unknown key \"timout\" (did you mean \"timeout\"?)\n"
            "    4 | timout = \"1s\"\n"
            "      | ^");
}

TEST(JobfileErrors, SuggestionCountsSwappedLettersAsOneEdit)
{
  EXPECT_EQ(
    error_for("[[job]]\ncmd = \"y\"\ntiemuot = \"1s\"\n"),
    "ci.toml:3:1: error: job \"job-1\": unknown key \"tiemuot\" (did you mean \"timeout\"?)\n"
    "    3 | tiemuot = \"1s\"\n"
    "      | ^");
}

TEST(JobfileErrors, SuggestionNeedsFewerEditsThanTheKeyHasLetters)
{
  EXPECT_EQ(error_for("[[job]]\ncmd = \"y\"\nab = 1\n"),
            "ci.toml:3:1: error: job \"job-1\": unknown key \"ab\"\n"
            "    3 | ab = 1\n"
            "      | ^");
}

TEST(JobfileErrors, SuggestionMayBeALifecycleKey)
{
  EXPECT_EQ(
    error_for("[[job]]\ncmd = \"y\"\nretrys = 2\n"),
    "ci.toml:3:1: error: job \"job-1\": unknown key \"retrys\" (did you mean \"retries\"?)\n"
    "    3 | retrys = 2\n"
    "      | ^");
}

TEST(JobfileErrors, UnknownSubTableIsAnUnknownKey)
{
  EXPECT_EQ(error_for("[[job]]\ncmd = \"y\"\n[job.extras]\nA = \"1\"\n"),
            "ci.toml:3:6: error: job \"job-1\": unknown key \"extras\"\n"
            "    3 | [job.extras]\n"
            "      |      ^");
}

// Keys of docker compose, GitHub Actions and GitLab CI, too far from the
// fanout key for a spelling mistake.
TEST(JobfileErrors, KeysOfOtherToolsSuggestTheFanoutKey)
{
  const std::vector<std::pair<std::string, std::string>> keys_and_meant = {
    {"command", "cmd"},
    {"commands", "cmd"},
    {"run", "cmd"},
    {"script", "cmd"},
    {"depends_on", "needs"},
    {"depends", "needs"},
    {"dependencies", "needs"},
    {"workdir", "cwd"},
    {"working_dir", "cwd"},
    {"working-directory", "cwd"},
    {"dir", "cwd"},
    {"environment", "env"},
    {"variables", "env"},
    {"retry", "retries"},
    {"Command", "cmd"},
    {"WorkDir", "cwd"}};
  std::vector<std::string> messages;
  std::vector<std::string> expected;
  for (const auto& [key, meant] : keys_and_meant) {
    messages.push_back(error_for("[[job]]\nname = \"up\"\n" + key + " = 1\n"));
    expected.push_back("ci.toml:3:1: error: job \"up\": unknown key \"" + key +
                       "\" (did you mean \"" + meant + "\"?)\n    3 | " + key + " = 1\n      | ^");
  }
  EXPECT_EQ(messages, expected);
}

TEST(JobfileErrors, DockerComposeCommandSuggestsCmd)
{
  EXPECT_EQ(error_for("[[job]]\nname = \"web\"\ncommand = \"serve\"\n"),
            "ci.toml:3:1: error: job \"web\": unknown key \"command\" (did you mean \"cmd\"?)\n"
            "    3 | command = \"serve\"\n"
            "      | ^");
}

// Only what the table allows is suggested: [defaults] sets no command, and
// "shell" may name a shell rather than a command.
TEST(JobfileErrors, KeysOfOtherToolsSuggestOnlyKeysOfTheTable)
{
  EXPECT_EQ(std::make_tuple(error_for("[defaults]\nworkdir = \"w\"\n[[job]]\ncmd = \"x\"\n"),
                            error_for("[defaults]\ncommand = \"x\"\n[[job]]\ncmd = \"x\"\n"),
                            error_for("[[job]]\nshell = \"bash\"\n")),
            std::make_tuple("ci.toml:2:1: error: defaults: unknown key \"workdir\" (did you mean "
                            "\"cwd\"?)\n    2 | workdir = \"w\"\n      | ^",
                            "ci.toml:2:1: error: defaults: unknown key \"command\"\n"
                            "    2 | command = \"x\"\n      | ^",
                            "ci.toml:2:1: error: job \"job-1\": unknown key \"shell\"\n"
                            "    2 | shell = \"bash\"\n      | ^"));
}

TEST(JobfileErrors, DefaultsRefuseLifecycleKeys)
{
  const std::vector<std::string> keys = {"daemon",  "ready",       "needs",
                                         "retries", "retry_delay", "allow_failure"};
  std::vector<std::string> messages;
  std::vector<std::string> expected;
  for (const std::string& key : keys) {
    messages.push_back(error_for("[defaults]\n" + key + " = 1\n[[job]]\ncmd = \"y\"\n"));
    expected.push_back("ci.toml:2:1: error: defaults: unknown key \"" + key + "\"\n    2 | " + key +
                       " = 1\n      | ^");
  }
  EXPECT_EQ(messages, expected);
}

TEST(JobfileErrors, UnknownDefaultsKey)
{
  EXPECT_EQ(error_for("[defaults]\ntimeot = \"1s\"\n[[job]]\ncmd = \"x\"\n"),
            "ci.toml:2:1: error: defaults: unknown key \"timeot\" (did you mean \"timeout\"?)\n"
            "    2 | timeot = \"1s\"\n"
            "      | ^");
}

TEST(JobfileErrors, DefaultsHaveNoJobOnlyKeys)
{
  EXPECT_EQ(error_for("[defaults]\ncmd = \"x\"\n[[job]]\ncmd = \"x\"\n"),
            "ci.toml:2:1: error: defaults: unknown key \"cmd\" (did you mean \"cwd\"?)\n"
            "    2 | cmd = \"x\"\n"
            "      | ^");
}

} // namespace
} // namespace fanout
