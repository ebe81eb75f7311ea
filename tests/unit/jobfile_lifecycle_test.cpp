// SPDX-License-Identifier: MIT
// The lifecycle keys of a job in the job file: needs, daemon, ready, retries,
// retry_delay and allow_failure.
#include "error.hpp"
#include "jobfile/jobfile.hpp"
#include "jobfile_errors_for.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

namespace fanout {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

// The message `parse_jobfile` throws for `text`, or "(parsed)".
using ReadyFields = std::tuple<ReadySpec::Kind, std::string, std::string, unsigned short, Duration>;

std::optional<ReadyFields> ready_of(const Lifecycle& life)
{
  if (!life.ready) {
    return std::nullopt;
  }
  const ReadySpec& ready = *life.ready;
  return ReadyFields(ready.kind, ready.log, ready.host, ready.port, ready.timeout);
}

// Lifecycle has no operator==; this compares (and prints) every field.
auto fields(const Lifecycle& life)
{
  return std::make_tuple(life.needs, life.daemon, ready_of(life), life.retries, life.retry_delay,
                         life.allow_failure);
}

// `count` jobs "j0", "j1", ..., each with the `needs` line `needs_of` gives.
template <class NeedsOf> std::string numbered_jobs(std::size_t count, NeedsOf needs_of)
{
  std::string text;
  for (std::size_t i = 0; i < count; ++i) {
    text += "[[job]]\nname = \"j" + std::to_string(i) + "\"\ncmd = \"true\"\n" + needs_of(i);
  }
  return text;
}

TEST(JobfileLifecycle, ReadsEveryKey)
{
  const JobFile file = parse_jobfile(R"([[job]]
name = "unit"
cmd = "pytest"

[[job]]
name = "db"
cmd = "exec redis-server"
daemon = true
ready = { tcp = "127.0.0.1:6390", timeout = "20s" }

[[job]]
name = "integration"
cmd = "pytest tests/integration"
needs = ["unit", "db"]
retries = 2
retry_delay = "1.5s"
allow_failure = true
)",
                                     "ci.toml");
  ASSERT_EQ(file.jobs.size(), 3u);
  EXPECT_EQ(std::make_tuple(fields(file.jobs[1].life()), fields(file.jobs[2].life())),
            std::make_tuple(fields(Lifecycle{.needs = {},
                                             .daemon = true,
                                             .ready = ReadySpec{.kind = ReadySpec::Kind::tcp,
                                                                .log = "",
                                                                .host = "127.0.0.1",
                                                                .port = 6390,
                                                                .timeout = seconds(20)},
                                             .retries = 0,
                                             .retry_delay = seconds(1),
                                             .allow_failure = false}),
                            fields(Lifecycle{.needs = {0, 1},
                                             .daemon = false,
                                             .ready = std::nullopt,
                                             .retries = 2,
                                             .retry_delay = milliseconds(1500),
                                             .allow_failure = true})));
}

TEST(JobfileLifecycle, JobsWithoutTheKeysHaveNoLifecycle)
{
  const JobFile file = parse_jobfile("[[job]]\ncmd = \"x\"\n", "ci.toml");
  ASSERT_EQ(file.jobs.size(), 1u);
  EXPECT_EQ(file.jobs[0].lifecycle, nullptr);
  EXPECT_EQ(fields(file.jobs[0].life()), fields(Lifecycle{}));
}

TEST(JobfileLifecycle, AnyKeyGivesALifecycleEvenWithDefaultValues)
{
  const JobFile file = parse_jobfile("[[job]]\ncmd = \"x\"\nallow_failure = false\n", "ci.toml");
  ASSERT_EQ(file.jobs.size(), 1u);
  ASSERT_NE(file.jobs[0].lifecycle, nullptr);
  EXPECT_EQ(fields(*file.jobs[0].lifecycle), fields(Lifecycle{}));
}

TEST(JobfileLifecycle, NeedsMayNameLaterJobsAndKeepTheirOrder)
{
  const JobFile file = parse_jobfile(R"([[job]]
name = "all"
cmd = "x"
needs = ["c", "job-3", "b"]

[[job]]
name = "b"
cmd = "x"
needs = []

[[job]]
cmd = "x"

[[job]]
name = "c"
cmd = "x"
needs = ["b"]
)",
                                     "ci.toml");
  ASSERT_EQ(file.jobs.size(), 4u);
  EXPECT_EQ(std::make_tuple(file.jobs[0].life().needs, file.jobs[1].life().needs,
                            file.jobs[2].life().needs, file.jobs[3].life().needs),
            std::make_tuple(std::vector<JobId>{3, 2, 1}, std::vector<JobId>{}, std::vector<JobId>{},
                            std::vector<JobId>{1}));
}

TEST(JobfileLifecycle, ReadsEveryFormOfReady)
{
  const JobFile file = parse_jobfile(R"([[job]]
name = "log"
cmd = "x"
daemon = true
ready = { log = "^Ready to accept \\d+" }

[[job]]
name = "localhost"
cmd = "x"
daemon = true
ready = { timeout = 5, tcp = "localhost:8080" }

[[job]]
name = "ipv6"
cmd = "x"
daemon = true
[job.ready]
tcp = "[::1]:65535"
timeout = "250ms"
)",
                                     "ci.toml");
  ASSERT_EQ(file.jobs.size(), 3u);
  EXPECT_EQ(
    std::make_tuple(ready_of(file.jobs[0].life()), ready_of(file.jobs[1].life()),
                    ready_of(file.jobs[2].life())),
    std::make_tuple(
      std::optional<ReadyFields>(
        {ReadySpec::Kind::log, "^Ready to accept \\d+", "", 0, seconds(30)}),
      std::optional<ReadyFields>({ReadySpec::Kind::tcp, "", "127.0.0.1", 8080, seconds(5)}),
      std::optional<ReadyFields>({ReadySpec::Kind::tcp, "", "::1", 65535, milliseconds(250)})));
}

TEST(JobfileLifecycle, AcceptsTheEndsOfTheRetriesRange)
{
  const JobFile file = parse_jobfile(
    "[[job]]\ncmd = \"x\"\nretries = 0\n[[job]]\ncmd = \"x\"\nretries = 1_000\n", "ci.toml");
  ASSERT_EQ(file.jobs.size(), 2u);
  EXPECT_EQ(std::make_tuple(file.jobs[0].life().retries, file.jobs[1].life().retries),
            std::make_tuple(0u, 1000u));
}

TEST(JobfileLifecycle, ParsesAChainOf20000Jobs)
{
  const std::size_t count = 20'000;
  // Each job needs the next one: the deepest path a search can take.
  const auto needs_next = [count](std::size_t i) {
    return i + 1 < count ? "needs = [\"j" + std::to_string(i + 1) + "\"]\n" : std::string();
  };
  const JobFile file = parse_jobfile(numbered_jobs(count, needs_next), "ci.toml");
  ASSERT_EQ(file.jobs.size(), count);
  EXPECT_EQ(std::make_tuple(file.jobs[0].life().needs, file.jobs[count - 2].life().needs,
                            file.jobs[count - 1].lifecycle),
            std::make_tuple(std::vector<JobId>{1}, std::vector<JobId>{count - 1}, nullptr));
}

TEST(JobfileLifecycle, ParsesAFanOf20000Jobs)
{
  const std::size_t count = 20'000;
  // The last job is needed by every other one.
  const auto needs_last = [count](std::size_t i) {
    return i + 1 < count ? "needs = [\"j" + std::to_string(count - 1) + "\"]\n" : std::string();
  };
  const JobFile file = parse_jobfile(numbered_jobs(count, needs_last), "ci.toml");
  ASSERT_EQ(file.jobs.size(), count);
  std::size_t needing_the_last = 0;
  for (const JobSpec& job : file.jobs) {
    needing_the_last += job.life().needs == std::vector<JobId>{count - 1};
  }
  EXPECT_EQ(needing_the_last, count - 1);
}

TEST(JobfileLifecycle, ReportsACycleOf20000JobsByItsFirstTen)
{
  const std::size_t count = 20'000;
  const std::string text = numbered_jobs(count, [count](std::size_t i) {
    return "needs = [\"j" + std::to_string((i + 1) % count) + "\"]\n";
  });
  EXPECT_EQ(error_for(text),
            "ci.toml:4:1: error: job \"j0\": needs form a cycle of 20000 jobs: j0 -> j1 -> j2 -> "
            "j3 -> j4 -> j5 -> j6 -> j7 -> j8 -> j9 -> ... -> j0\n"
            "    4 | needs = [\"j1\"]\n"
            "      | ^");
}

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
