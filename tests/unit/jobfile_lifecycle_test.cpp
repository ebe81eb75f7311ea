// SPDX-License-Identifier: MIT
// The lifecycle keys of a job in the job file, as they are read: needs,
// daemon, ready, retries, retry_delay and allow_failure.
#include "jobfile/jobfile.hpp"
#include "jobfile_errors_for.hpp"
#include "jobfile_test_support.hpp"

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

} // namespace
} // namespace fanout
