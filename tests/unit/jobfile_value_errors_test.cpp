// SPDX-License-Identifier: MIT
// The errors of a value that does not fit its key: the wrong TOML type, an
// empty string or a NUL byte, a bad env key, and what is not a duration.
#include "jobfile_errors_for.hpp"

#include <gtest/gtest.h>

#include <string>
#include <tuple>
#include <utility>
#include <vector>

namespace fanout {
namespace {

TEST(JobfileErrors, NamesEveryTomlTypeInTypeErrors)
{
  const std::vector<std::pair<std::string, std::string>> values_and_types = {
    {"3", "an integer"},      {"1.5", "a float"},
    {"true", "a boolean"},    {"[\"a\"]", "an array"},
    {"{ a = 1 }", "a table"}, {"1979-05-27", "a date"},
    {"07:32:00", "a time"},   {"1979-05-27T07:32:00Z", "a date-time"}};
  std::vector<std::string> messages;
  std::vector<std::string> expected;
  for (const auto& [value, type] : values_and_types) {
    messages.push_back(error_for("[[job]]\ncmd = " + value + "\n"));
    expected.push_back("ci.toml:2:7: error: job \"job-1\": cmd must be a string, not " + type +
                       "\n    2 | cmd = " + value + "\n      |       ^");
  }
  EXPECT_EQ(messages, expected);
}

TEST(JobfileErrors, ArgvMustBeArray)
{
  EXPECT_EQ(error_for("[[job]]\nargv = \"ls -l\"\n"),
            "ci.toml:2:8: error: job \"job-1\": argv must be an array of strings, not a string\n"
            "    2 | argv = \"ls -l\"\n"
            "      |        ^");
}

TEST(JobfileErrors, ArgvElementMustBeStringAndIsPointedAt)
{
  EXPECT_EQ(error_for("[[job]]\nargv = [\"ls\", \"-l\", 2]\n"),
            "ci.toml:2:21: error: job \"job-1\": argv[2] must be a string, not an integer\n"
            "    2 | argv = [\"ls\", \"-l\", 2]\n"
            "      |                     ^");
}

TEST(JobfileErrors, EnvMustBeTable)
{
  EXPECT_EQ(error_for("[[job]]\ncmd = \"x\"\nenv = \"A=1\"\n"),
            "ci.toml:3:7: error: job \"job-1\": env must be a table, not a string\n"
            "    3 | env = \"A=1\"\n"
            "      |       ^");
}

TEST(JobfileErrors, EnvValueMustBeString)
{
  EXPECT_EQ(error_for("[[job]]\ncmd = \"x\"\nenv = { FOO = 1 }\n"),
            "ci.toml:3:15: error: job \"job-1\": env.FOO must be a string, not an integer\n"
            "    3 | env = { FOO = 1 }\n"
            "      |               ^");
}

TEST(JobfileErrors, QuotesEnvKeysThatAreNotBare)
{
  EXPECT_EQ(error_for("[[job]]\ncmd = \"x\"\nenv = { \"A B\" = true }\n"),
            "ci.toml:3:17: error: job \"job-1\": env.\"A B\" must be a string, not a boolean\n"
            "    3 | env = { \"A B\" = true }\n"
            "      |                 ^");
}

TEST(JobfileErrors, DurationOfWrongType)
{
  EXPECT_EQ(error_for("[[job]]\ncmd = \"x\"\ntimeout = true\n"),
            "ci.toml:3:11: error: job \"job-1\": timeout must be a duration like \"30s\" or a "
            "number of seconds, not a boolean\n"
            "    3 | timeout = true\n"
            "      |           ^");
}

TEST(JobfileErrors, RefusesEmptyCommandsAndCwd)
{
  const std::vector<std::string> messages = {
    error_for("[[job]]\nargv = []\n"),     error_for("[[job]]\nargv = [\"\", \"x\"]\n"),
    error_for("[[job]]\ncmd = \"\"\n"),    error_for("[[job]]\ncmd = \"x\"\ncwd = \"\"\n"),
    error_for("[defaults]\ncwd = \"\"\n"),
  };
  EXPECT_EQ(messages,
            (std::vector<std::string>{"ci.toml:2:8: error: job \"job-1\": argv is empty\n"
                                      "    2 | argv = []\n"
                                      "      |        ^",
                                      "ci.toml:2:9: error: job \"job-1\": argv[0] is empty\n"
                                      "    2 | argv = [\"\", \"x\"]\n"
                                      "      |         ^",
                                      "ci.toml:2:7: error: job \"job-1\": cmd is empty\n"
                                      "    2 | cmd = \"\"\n"
                                      "      |       ^",
                                      "ci.toml:3:7: error: job \"job-1\": cwd is empty\n"
                                      "    3 | cwd = \"\"\n"
                                      "      |       ^",
                                      "ci.toml:2:7: error: defaults: cwd is empty\n"
                                      "    2 | cwd = \"\"\n"
                                      "      |       ^"}));
}

TEST(JobfileErrors, RefusesNulBytes)
{
  const std::vector<std::string> messages = {
    error_for("[[job]]\ncmd = \"a\\u0000b\"\n"),
    error_for("[[job]]\nargv = [\"a\", \"\\u0000\"]\n"),
    error_for("[[job]]\ncmd = \"x\"\nenv = { K = \"\\u0000\" }\n"),
    error_for("[[job]]\ncmd = \"x\"\ncwd = \"\\u0000\"\n"),
  };
  EXPECT_EQ(messages, (std::vector<std::string>{
                        "ci.toml:2:7: error: job \"job-1\": cmd contains a NUL byte\n"
                        "    2 | cmd = \"a\\u0000b\"\n"
                        "      |       ^",
                        "ci.toml:2:14: error: job \"job-1\": argv[1] contains a NUL byte\n"
                        "    2 | argv = [\"a\", \"\\u0000\"]\n"
                        "      |              ^",
                        "ci.toml:3:13: error: job \"job-1\": env.K contains a NUL byte\n"
                        "    3 | env = { K = \"\\u0000\" }\n"
                        "      |             ^",
                        "ci.toml:3:7: error: job \"job-1\": cwd contains a NUL byte\n"
                        "    3 | cwd = \"\\u0000\"\n"
                        "      |       ^"}));
}

TEST(JobfileErrors, EnvKeyMustBeAVariableName)
{
  const std::vector<std::string> messages = {
    error_for("[[job]]\ncmd = \"x\"\nenv = { \"A=B\" = \"1\" }\n"),
    error_for("[defaults]\nenv = { \"\" = \"1\" }\n[[job]]\ncmd = \"x\"\n"),
  };
  EXPECT_EQ(messages,
            (std::vector<std::string>{
              "ci.toml:3:9: error: job \"job-1\": env key \"A=B\" is not a variable name\n"
              "    3 | env = { \"A=B\" = \"1\" }\n"
              "      |         ^",
              "ci.toml:2:9: error: defaults: env key \"\" is not a variable name\n"
              "    2 | env = { \"\" = \"1\" }\n"
              "      |         ^"}));
}

TEST(JobfileErrors, BadDurationWithoutSuggestion)
{
  EXPECT_EQ(error_for("[defaults]\ngrace = \"soon\"\n[[job]]\ncmd = \"x\"\n"),
            "ci.toml:2:9: error: defaults: grace \"soon\" is not a duration\n"
            "    2 | grace = \"soon\"\n"
            "      |         ^");
}

TEST(JobfileErrors, BadNumberOfSecondsAsWritten)
{
  const std::vector<std::string> values = {"-1",   "-0.5", "8_640_001", "1e300",
                                           "-inf", "nan",  "0xFFFFFFFF"};
  std::vector<std::string> messages;
  std::vector<std::string> expected;
  for (const std::string& value : values) {
    messages.push_back(error_for("[[job]]\ncmd = \"x\"\ntimeout = " + value + "\n"));
    const std::string why = value.starts_with('-') ? ": it cannot be negative" : "";
    expected.push_back("ci.toml:3:11: error: job \"job-1\": timeout " + value +
                       " is not a duration" + why + "\n    3 | timeout = " + value +
                       "\n      |           ^");
  }
  EXPECT_EQ(messages, expected);
}

TEST(JobfileErrors, NegativeDurationStringCannotBeNegative)
{
  const std::vector<std::string> values = {"-5s", "-1h30m", "-2", "-5 minutes"};
  std::vector<std::string> messages;
  std::vector<std::string> expected;
  for (const std::string& value : values) {
    messages.push_back(error_for("[[job]]\ncmd = \"x\"\ngrace = \"" + value + "\"\n"));
    expected.push_back("ci.toml:3:9: error: job \"job-1\": grace \"" + value +
                       "\" is not a duration: it cannot be negative\n    3 | grace = \"" + value +
                       "\"\n      |         ^");
  }
  EXPECT_EQ(messages, expected);
}

// A minus sign before no duration, or before zero, is just not a duration.
TEST(JobfileErrors, MinusSignBeforeNoDurationIsNotADuration)
{
  EXPECT_EQ(std::make_tuple(error_for("[defaults]\ntimeout = \"-soon\"\n[[job]]\ncmd = \"x\"\n"),
                            error_for("[defaults]\ntimeout = \"-0s\"\n[[job]]\ncmd = \"x\"\n")),
            std::make_tuple("ci.toml:2:11: error: defaults: timeout \"-soon\" is not a duration\n"
                            "    2 | timeout = \"-soon\"\n      |           ^",
                            "ci.toml:2:11: error: defaults: timeout \"-0s\" is not a duration\n"
                            "    2 | timeout = \"-0s\"\n      |           ^"));
}

} // namespace
} // namespace fanout
