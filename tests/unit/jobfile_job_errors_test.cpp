// SPDX-License-Identifier: MIT
// The errors of a job's name and of its command: cmd, argv, or call and args.
#include "jobfile_errors_for.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace fanout {
namespace {

TEST(JobfileErrors, DuplicateExplicitName)
{
  EXPECT_EQ(error_for("[[job]]\nname = \"x\"\ncmd = \"a\"\n[[job]]\nname = \"x\"\ncmd = \"b\"\n"),
            "ci.toml:5:8: error: job \"x\": duplicate name (first used at line 2)\n"
            "    5 | name = \"x\"\n"
            "      |        ^");
}

TEST(JobfileErrors, DefaultNameClashesWithEarlierExplicitName)
{
  EXPECT_EQ(error_for("[[job]]\nname = \"job-2\"\ncmd = \"a\"\n\n[[job]]\ncmd = \"b\"\n"),
            "ci.toml:5:1: error: job \"job-2\": duplicate name (first used at line 2)\n"
            "    5 | [[job]]\n"
            "      | ^");
}

TEST(JobfileErrors, ExplicitNameClashesWithEarlierDefaultName)
{
  EXPECT_EQ(error_for("[[job]]\ncmd = \"a\"\n[[job]]\nname = \"job-1\"\ncmd = \"b\"\n"),
            "ci.toml:4:8: error: job \"job-1\": duplicate name (first used at line 1)\n"
            "    4 | name = \"job-1\"\n"
            "      |        ^");
}

TEST(JobfileErrors, BadNameUsesTheJobNumber)
{
  EXPECT_EQ(error_for("[[job]]\ncmd = \"a\"\n[[job]]\ncmd = \"b\"\n[[job]]\nname = \"a b\"\n"),
            "ci.toml:6:8: error: job 3: name \"a b\" is not valid: use 1 to 128 letters, digits "
            "and _ . - : + @\n"
            "    6 | name = \"a b\"\n"
            "      |        ^");
}

TEST(JobfileErrors, RefusesEmptyAndOverlongNames)
{
  const std::string long_name(129, 'n');
  const std::vector<std::string> messages = {
    error_for("[[job]]\nname = \"\"\n"),
    error_for("[[job]]\nname = \"" + long_name + "\"\n"),
    error_for("[[job]]\nname = \"caf\xC3\xA9\"\n"),
  };
  EXPECT_EQ(messages,
            (std::vector<std::string>{
              "ci.toml:2:8: error: job 1: name \"\" is not valid: use 1 to 128 letters, digits and "
              "_ . - : + @\n    2 | name = \"\"\n      |        ^",
              "ci.toml:2:8: error: job 1: name \"" + std::string(128, 'n') +
                "...\" is not valid: use 1 to 128 letters, digits and _ . - : + @\n    2 | name = "
                "\"" +
                long_name + "\"\n      |        ^",
              "ci.toml:2:8: error: job 1: name \"caf\xC3\xA9\" is not valid: use 1 to 128 letters, "
              "digits and _ . - : + @\n    2 | name = \"caf\xC3\xA9\"\n      |        ^"}));
}

TEST(JobfileErrors, NameMustBeString)
{
  EXPECT_EQ(error_for("[[job]]\nname = 7\ncmd = \"x\"\n"),
            "ci.toml:2:8: error: job 1: name must be a string, not an integer\n"
            "    2 | name = 7\n"
            "      |        ^");
}

TEST(JobfileErrors, NoCommandPointsAtTheJob)
{
  EXPECT_EQ(error_for("[[job]]\nname = \"x\"\ntimeout = \"1s\"\n"),
            "ci.toml:1:1: error: job \"x\": no command: set cmd, argv or call\n"
            "    1 | [[job]]\n"
            "      | ^");
}

TEST(JobfileErrors, TwoCommandsPointsAtTheSecond)
{
  const std::vector<std::string> messages = {
    error_for("[[job]]\ncmd = \"ls\"\nargv = [\"ls\"]\n"),
    error_for("[[job]]\nargv = [\"ls\"]\ncmd = \"ls\"\n"),
  };
  EXPECT_EQ(messages, (std::vector<std::string>{
                        "ci.toml:3:1: error: job \"job-1\": cmd and argv are both set; keep one\n"
                        "    3 | argv = [\"ls\"]\n"
                        "      | ^",
                        "ci.toml:3:1: error: job \"job-1\": cmd and argv are both set; keep one\n"
                        "    3 | cmd = \"ls\"\n"
                        "      | ^"}));
}

TEST(JobfileErrors, CallAndACommandPointsAtTheSecond)
{
  const std::vector<std::string> messages = {
    error_for("[[job]]\ncmd = \"ls\"\ncall = \"x.so:f\"\n"),
    error_for("[[job]]\ncall = \"x.so:f\"\nargv = [\"ls\"]\n"),
  };
  EXPECT_EQ(messages, (std::vector<std::string>{
                        "ci.toml:3:1: error: job \"job-1\": cmd and call are both set; keep one\n"
                        "    3 | call = \"x.so:f\"\n"
                        "      | ^",
                        "ci.toml:3:1: error: job \"job-1\": argv and call are both set; keep "
                        "one\n"
                        "    3 | argv = [\"ls\"]\n"
                        "      | ^"}));
}

TEST(JobfileErrors, CallMustBeLibraryColonSymbol)
{
  const std::vector<std::string> targets = {"libseed.so", "libseed.so:", ":worker", ":"};
  std::vector<std::string> messages;
  std::vector<std::string> expected;
  for (const std::string& target : targets) {
    messages.push_back(error_for("[[job]]\ncall = \"" + target + "\"\n"));
    expected.push_back("ci.toml:2:8: error: job \"job-1\": call \"" + target +
                       "\" is not \"path/to/library.so:symbol\"\n    2 | call = \"" + target +
                       "\"\n      |        ^");
  }
  EXPECT_EQ(messages, expected);
}

TEST(JobfileErrors, CallSymbolMustBeACIdentifier)
{
  const std::vector<std::string> symbols = {"my-worker", "9lives", "run ", "caf\xC3\xA9"};
  std::vector<std::string> messages;
  std::vector<std::string> expected;
  for (const std::string& symbol : symbols) {
    messages.push_back(error_for("[[job]]\ncall = \"lib/x.so:" + symbol + "\"\n"));
  }
  EXPECT_EQ(messages,
            (std::vector<std::string>{
              "ci.toml:2:8: error: job \"job-1\": call \"lib/x.so:my-worker\": symbol "
              "\"my-worker\" is not a C identifier\n"
              "    2 | call = \"lib/x.so:my-worker\"\n"
              "      |        ^",
              "ci.toml:2:8: error: job \"job-1\": call \"lib/x.so:9lives\": symbol \"9lives\" "
              "is not a C identifier\n"
              "    2 | call = \"lib/x.so:9lives\"\n"
              "      |        ^",
              "ci.toml:2:8: error: job \"job-1\": call \"lib/x.so:run \": symbol \"run \" is "
              "not a C identifier\n"
              "    2 | call = \"lib/x.so:run \"\n"
              "      |        ^",
              "ci.toml:2:8: error: job \"job-1\": call \"lib/x.so:caf\xC3\xA9\": symbol "
              "\"caf\xC3\xA9\" is not a C identifier\n"
              "    2 | call = \"lib/x.so:caf\xC3\xA9\"\n"
              "      |        ^"}));
}

TEST(JobfileErrors, CallAndArgsOfTheWrongType)
{
  const std::vector<std::string> messages = {
    error_for("[[job]]\ncall = [\"x.so\", \"f\"]\n"),
    error_for("[[job]]\ncall = \"x.so:f\"\nargs = \"a b\"\n"),
    error_for("[[job]]\ncall = \"x.so:f\"\nargs = [\"a\", 2]\n"),
  };
  EXPECT_EQ(messages,
            (std::vector<std::string>{
              "ci.toml:2:8: error: job \"job-1\": call must be a string, not an array\n"
              "    2 | call = [\"x.so\", \"f\"]\n"
              "      |        ^",
              "ci.toml:3:8: error: job \"job-1\": args must be an array of strings, not a "
              "string\n"
              "    3 | args = \"a b\"\n"
              "      |        ^",
              "ci.toml:3:14: error: job \"job-1\": args[1] must be a string, not an integer\n"
              "    3 | args = [\"a\", 2]\n"
              "      |              ^"}));
}

TEST(JobfileErrors, RefusesEmptyCallAndNulBytesInCallAndArgs)
{
  const std::vector<std::string> messages = {
    error_for("[[job]]\ncall = \"\"\n"),
    error_for("[[job]]\ncall = \"x.so\\u0000:f\"\n"),
    error_for("[[job]]\ncall = \"x.so:f\"\nargs = [\"\", \"\\u0000\"]\n"),
  };
  EXPECT_EQ(messages, (std::vector<std::string>{
                        "ci.toml:2:8: error: job \"job-1\": call is empty\n"
                        "    2 | call = \"\"\n"
                        "      |        ^",
                        "ci.toml:2:8: error: job \"job-1\": call contains a NUL byte\n"
                        "    2 | call = \"x.so\\u0000:f\"\n"
                        "      |        ^",
                        "ci.toml:3:13: error: job \"job-1\": args[1] contains a NUL byte\n"
                        "    3 | args = [\"\", \"\\u0000\"]\n"
                        "      |             ^"}));
}

TEST(JobfileErrors, ArgsIsOnlyForCallJobs)
{
  const std::vector<std::string> messages = {
    error_for("[[job]]\ncmd = \"ls\"\nargs = [\"-l\"]\n"),
    error_for("[[job]]\nargs = [\"-l\"]\nargv = [\"ls\"]\n"),
    error_for("[[job]]\nname = \"x\"\nargs = []\n"),
  };
  EXPECT_EQ(messages,
            (std::vector<std::string>{
              "ci.toml:3:1: error: job \"job-1\": args is for call jobs; put the arguments in "
              "cmd\n"
              "    3 | args = [\"-l\"]\n"
              "      | ^",
              "ci.toml:2:1: error: job \"job-1\": args is for call jobs; put the arguments in "
              "argv\n"
              "    2 | args = [\"-l\"]\n"
              "      | ^",
              "ci.toml:1:1: error: job \"x\": no command: set cmd, argv or call\n"
              "    1 | [[job]]\n"
              "      | ^"}));
}

TEST(JobfileErrors, SuggestsCallAndArgs)
{
  const std::vector<std::string> messages = {
    error_for("[[job]]\ncal = \"x.so:f\"\n"),
    error_for("[[job]]\ncall = \"x.so:f\"\narsg = []\n"),
    error_for("[defaults]\ncall = \"x.so:f\"\n[[job]]\ncmd = \"x\"\n"),
  };
  EXPECT_EQ(messages,
            (std::vector<std::string>{
              "ci.toml:2:1: error: job \"job-1\": unknown key \"cal\" (did you mean \"call\"?)\n"
              "    2 | cal = \"x.so:f\"\n"
              "      | ^",
              "ci.toml:3:1: error: job \"job-1\": unknown key \"arsg\" (did you mean "
              "\"args\"?)\n"
              "    3 | arsg = []\n"
              "      | ^",
              "ci.toml:2:1: error: defaults: unknown key \"call\"\n"
              "    2 | call = \"x.so:f\"\n"
              "      | ^"}));
}

} // namespace
} // namespace fanout
