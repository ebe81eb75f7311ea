// SPDX-License-Identifier: MIT
// The lifecycle keys of a job in the job file (needs, daemon, ready, retries,
// retry_delay, allow_failure) written wrong, and the message each gives.
#include "jobfile_errors_for.hpp"
#include "jobfile_test_support.hpp"

#include <gtest/gtest.h>

#include <cstddef>
#include <string>
#include <tuple>

namespace fanout {
namespace {

TEST(JobfileLifecycleErrors, CycleStartsAtItsFirstJobInTheFile)
{
  EXPECT_EQ(error_for(R"([[job]]
name = "top"
cmd = "x"
needs = ["c"]

[[job]]
name = "a"
cmd = "x"
needs = ["b"]

[[job]]
name = "c"
cmd = "x"
needs = ["a"]

[[job]]
name = "b"
cmd = "x"
needs = ["top", "c"]
)"),
            "ci.toml:4:1: error: job \"top\": needs form a cycle: top -> c -> a -> b -> top\n"
            "    4 | needs = [\"c\"]\n"
            "      | ^");
}

TEST(JobfileLifecycleErrors, AJobThatNeedsItselfIsACycle)
{
  EXPECT_EQ(error_for("[[job]]\nname = \"a\"\ncmd = \"x\"\nneeds = [\"a\"]\n"),
            "ci.toml:4:1: error: job \"a\": needs form a cycle: a -> a\n"
            "    4 | needs = [\"a\"]\n"
            "      | ^");
}

TEST(JobfileLifecycleErrors, ACycleOfTenIsShownWhole)
{
  EXPECT_EQ(
    error_for(numbered_jobs(
      10, [](std::size_t i) { return "needs = [\"j" + std::to_string((i + 1) % 10) + "\"]\n"; })),
    "ci.toml:4:1: error: job \"j0\": needs form a cycle: j0 -> j1 -> j2 -> j3 -> j4 -> j5 -> "
    "j6 -> j7 -> j8 -> j9 -> j0\n"
    "    4 | needs = [\"j1\"]\n"
    "      | ^");
}

TEST(JobfileLifecycleErrors, NeedsMustBeAnArrayOfStrings)
{
  EXPECT_EQ(std::make_tuple(error_for("[[job]]\ncmd = \"x\"\nneeds = \"a\"\n"),
                            error_for("[[job]]\ncmd = \"x\"\nneeds = [\"job-1\", 2]\n")),
            std::make_tuple("ci.toml:3:9: error: job \"job-1\": needs must be an array of strings, "
                            "not a string\n"
                            "    3 | needs = \"a\"\n"
                            "      |         ^",
                            "ci.toml:3:19: error: job \"job-1\": needs[1] must be a string, not an "
                            "integer\n"
                            "    3 | needs = [\"job-1\", 2]\n"
                            "      |                   ^"));
}

TEST(JobfileLifecycleErrors, NeedsAnEmptyName)
{
  EXPECT_EQ(error_for("[[job]]\ncmd = \"x\"\nneeds = [\"\"]\n"),
            "ci.toml:3:10: error: job \"job-1\": needs[0] is empty\n"
            "    3 | needs = [\"\"]\n"
            "      |          ^");
}

TEST(JobfileLifecycleErrors, UnknownNeedSuggestsTheClosestJob)
{
  // Later jobs count too.
  EXPECT_EQ(error_for(R"([[job]]
name = "unit"
cmd = "x"

[[job]]
name = "integration"
cmd = "x"
needs = ["unit", "dbb"]

[[job]]
name = "db"
cmd = "x"
)"),
            "ci.toml:8:18: error: job \"integration\": needs unknown job \"dbb\" (did you mean "
            "\"db\"?)\n"
            "    8 | needs = [\"unit\", \"dbb\"]\n"
            "      |                  ^");
}

TEST(JobfileLifecycleErrors, UnknownNeedWithoutACloseJob)
{
  EXPECT_EQ(error_for("[[job]]\nname = \"a\"\ncmd = \"x\"\n[[job]]\nname = \"b\"\ncmd = "
                      "\"x\"\nneeds = [\"database\"]\n"),
            "ci.toml:7:10: error: job \"b\": needs unknown job \"database\"\n"
            "    7 | needs = [\"database\"]\n"
            "      |          ^");
}

TEST(JobfileLifecycleErrors, NeedsTheSameJobTwice)
{
  EXPECT_EQ(error_for("[[job]]\nname = \"a\"\ncmd = \"x\"\n[[job]]\nname = \"b\"\ncmd = "
                      "\"x\"\nneeds = [\"a\", \"a\"]\n"),
            "ci.toml:7:15: error: job \"b\": needs \"a\" twice\n"
            "    7 | needs = [\"a\", \"a\"]\n"
            "      |               ^");
}

TEST(JobfileLifecycleErrors, NeedsAreResolvedAfterEveryJobIsRead)
{
  // The unknown need comes first in the file, the bad key is reported.
  EXPECT_EQ(error_for("[[job]]\ncmd = \"x\"\nneeds = [\"nope\"]\n[[job]]\ncmd = \"x\"\nretries = "
                      "-1\n"),
            "ci.toml:6:11: error: job \"job-2\": retries -1 is out of range: use 0 to 1000\n"
            "    6 | retries = -1\n"
            "      |           ^");
}

TEST(JobfileLifecycleErrors, BooleansOfTheWrongType)
{
  EXPECT_EQ(std::make_tuple(error_for("[[job]]\ncmd = \"x\"\ndaemon = \"yes\"\n"),
                            error_for("[[job]]\ncmd = \"x\"\nallow_failure = 1\n")),
            std::make_tuple("ci.toml:3:10: error: job \"job-1\": daemon must be a boolean, not a "
                            "string\n"
                            "    3 | daemon = \"yes\"\n"
                            "      |          ^",
                            "ci.toml:3:17: error: job \"job-1\": allow_failure must be a boolean, "
                            "not an integer\n"
                            "    3 | allow_failure = 1\n"
                            "      |                 ^"));
}

TEST(JobfileLifecycleErrors, RetriesOutOfRangeAsWritten)
{
  EXPECT_EQ(std::make_tuple(error_for("[[job]]\ncmd = \"x\"\nretries = -1\n"),
                            error_for("[[job]]\ncmd = \"x\"\nretries = 1_001\n"),
                            error_for("[[job]]\ncmd = \"x\"\nretries = 2.0\n")),
            std::make_tuple(
              "ci.toml:3:11: error: job \"job-1\": retries -1 is out of range: use 0 to 1000\n"
              "    3 | retries = -1\n"
              "      |           ^",
              "ci.toml:3:11: error: job \"job-1\": retries 1_001 is out of range: use 0 to 1000\n"
              "    3 | retries = 1_001\n"
              "      |           ^",
              "ci.toml:3:11: error: job \"job-1\": retries must be an integer, not a float\n"
              "    3 | retries = 2.0\n"
              "      |           ^"));
}

TEST(JobfileLifecycleErrors, ADaemonIsNotRetried)
{
  EXPECT_EQ(error_for("[[job]]\nname = \"db\"\ncmd = \"x\"\nretries = 1\ndaemon = true\n"),
            "ci.toml:4:1: error: job \"db\": a daemon is not retried; remove retries\n"
            "    4 | retries = 1\n"
            "      | ^");
}

TEST(JobfileLifecycleErrors, RetryDelayIsADuration)
{
  EXPECT_EQ(error_for("[[job]]\ncmd = \"x\"\nretry_delay = \"2 secs\"\n"),
            "ci.toml:3:15: error: job \"job-1\": retry_delay \"2 secs\" is not a duration (try "
            "\"2s\")\n"
            "    3 | retry_delay = \"2 secs\"\n"
            "      |               ^");
}

TEST(JobfileLifecycleErrors, ReadyIsForDaemons)
{
  EXPECT_EQ(
    std::make_tuple(error_for("[[job]]\ncmd = \"x\"\nready = { log = \"up\" }\n"),
                    error_for("[[job]]\ncmd = \"x\"\nready = { log = \"up\" }\ndaemon = false\n")),
    std::make_tuple("ci.toml:3:1: error: job \"job-1\": ready is for daemons; set daemon = "
                    "true\n"
                    "    3 | ready = { log = \"up\" }\n"
                    "      | ^",
                    "ci.toml:3:1: error: job \"job-1\": ready is for daemons; set daemon = "
                    "true\n"
                    "    3 | ready = { log = \"up\" }\n"
                    "      | ^"));
}

TEST(JobfileLifecycleErrors, ReadyMustBeATableWithLogOrTcp)
{
  const std::string daemon = "[[job]]\ncmd = \"x\"\ndaemon = true\n";
  EXPECT_EQ(
    std::make_tuple(error_for(daemon + "ready = \"up\"\n"),
                    error_for(daemon + "ready = { timeout = \"1s\" }\n"),
                    error_for(daemon + "ready = { tcp = \"localhost:1\", log = \"up\" }\n")),
    std::make_tuple("ci.toml:4:9: error: job \"job-1\": ready must be a table, not a "
                    "string\n"
                    "    4 | ready = \"up\"\n"
                    "      |         ^",
                    "ci.toml:4:9: error: job \"job-1\": ready sets neither log nor tcp; set "
                    "one\n"
                    "    4 | ready = { timeout = \"1s\" }\n"
                    "      |         ^",
                    "ci.toml:4:32: error: job \"job-1\": ready.log and ready.tcp are both "
                    "set; keep one\n"
                    "    4 | ready = { tcp = \"localhost:1\", log = \"up\" }\n"
                    "      |                                ^"));
}

TEST(JobfileLifecycleErrors, UnknownKeyInReadySuggestsTheClosest)
{
  const std::string daemon = "[[job]]\ncmd = \"x\"\ndaemon = true\n";
  EXPECT_EQ(std::make_tuple(error_for(daemon + "ready = { tpc = \"localhost:1\" }\n"),
                            error_for(daemon + "ready = { port = 1 }\n")),
            std::make_tuple("ci.toml:4:11: error: job \"job-1\": ready: unknown key \"tpc\" (did "
                            "you mean \"tcp\"?)\n"
                            "    4 | ready = { tpc = \"localhost:1\" }\n"
                            "      |           ^",
                            "ci.toml:4:11: error: job \"job-1\": ready: unknown key \"port\"\n"
                            "    4 | ready = { port = 1 }\n"
                            "      |           ^"));
}

TEST(JobfileLifecycleErrors, ReadyTimeoutMustBeAPositiveDuration)
{
  const std::string daemon = "[[job]]\ncmd = \"x\"\ndaemon = true\n";
  EXPECT_EQ(std::make_tuple(error_for(daemon + "ready = { log = \"up\", timeout = \"0s\" }\n"),
                            error_for(daemon + "ready = { log = \"up\", timeout = true }\n")),
            std::make_tuple("ci.toml:4:33: error: job \"job-1\": ready.timeout must be more than "
                            "0\n"
                            "    4 | ready = { log = \"up\", timeout = \"0s\" }\n"
                            "      |                                 ^",
                            "ci.toml:4:33: error: job \"job-1\": ready.timeout must be a duration "
                            "like \"30s\" or a number of seconds, not a boolean\n"
                            "    4 | ready = { log = \"up\", timeout = true }\n"
                            "      |                                 ^"));
}

TEST(JobfileLifecycleErrors, ReadyLogMustBeARegex)
{
  const std::string daemon = "[[job]]\ncmd = \"x\"\ndaemon = true\n";
  EXPECT_EQ(
    std::make_tuple(error_for(daemon + "ready = { log = \"(up\" }\n"),
                    error_for(daemon + "ready = { log = \"\" }\n"),
                    error_for(daemon + "ready = { log = 1 }\n")),
    std::make_tuple("ci.toml:4:17: error: job \"job-1\": ready.log \"(up\" is not a valid "
                    "regex: Unmatched marking parenthesis ( or \\(\n"
                    "    4 | ready = { log = \"(up\" }\n"
                    "      |                 ^",
                    "ci.toml:4:17: error: job \"job-1\": ready.log is empty\n"
                    "    4 | ready = { log = \"\" }\n"
                    "      |                 ^",
                    "ci.toml:4:17: error: job \"job-1\": ready.log must be a string, not an "
                    "integer\n"
                    "    4 | ready = { log = 1 }\n"
                    "      |                 ^"));
}

TEST(JobfileLifecycleErrors, ReadyLogHasALengthLimit)
{
  // libstdc++ would compile a much longer regex on a deeper and deeper stack.
  const std::string daemon = "[[job]]\ncmd = \"x\"\ndaemon = true\n";
  EXPECT_EQ(error_for(daemon + "ready = { log = \"" + std::string(1025, 'a') + "\" }\n"),
            "ci.toml:4:17: error: job \"job-1\": ready.log is longer than 1024 bytes");
  EXPECT_EQ(error_for(daemon + "ready = { log = \"" + std::string(1024, 'a') + "\" }\n"),
            "(parsed)");
}

TEST(JobfileLifecycleErrors, ReadyTcpMustBeHostAndPort)
{
  const std::string daemon = "[[job]]\ncmd = \"x\"\ndaemon = true\nready.tcp = ";
  std::vector<std::string> messages;
  for (const std::string address :
       {"6379", ":6379", "db:6379", "::1:6379", "[::1:6379", "[127.0.0.1]:1", "1.2.3:4",
        "127.0.0.1:0", "127.0.0.1:65536", "127.0.0.1:", "127.0.0.1:+80", "127.0.0.1:http"}) {
    const std::string message = error_for(daemon + "\"" + address + "\"\n");
    messages.push_back(message.substr(0, message.find('\n')));
  }
  const std::string at = "ci.toml:4:13: error: job \"job-1\": ready.tcp ";
  EXPECT_EQ(messages,
            (std::vector<std::string>{
              at + "\"6379\" is not \"host:port\"",
              at + "\":6379\" is not \"host:port\"",
              at + "\"db:6379\": host \"db\" is not an IPv4 address, an [IPv6] address or "
                   "localhost",
              at + "\"::1:6379\": host \"::1\" is not an IPv4 address, an [IPv6] address or "
                   "localhost",
              at + "\"[::1:6379\": host \"[::1\" is not an IPv4 address, an [IPv6] address or "
                   "localhost",
              at + "\"[127.0.0.1]:1\": host \"[127.0.0.1]\" is not an IPv4 address, an [IPv6] "
                   "address or localhost",
              at + "\"1.2.3:4\": host \"1.2.3\" is not an IPv4 address, an [IPv6] address or "
                   "localhost",
              at + "\"127.0.0.1:0\": port \"0\" is not a number from 1 to 65535",
              at + "\"127.0.0.1:65536\": port \"65536\" is not a number from 1 to 65535",
              at + "\"127.0.0.1:\": port \"\" is not a number from 1 to 65535",
              at + "\"127.0.0.1:+80\": port \"+80\" is not a number from 1 to 65535",
              at + "\"127.0.0.1:http\": port \"http\" is not a number from 1 to 65535",
            }));
}

} // namespace
} // namespace fanout
