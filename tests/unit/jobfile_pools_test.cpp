// SPDX-License-Identifier: MIT
// Named pools in the job file: [pools], and `pool` on a job or a group.
#include "jobfile/jobfile.hpp"
#include "jobfile/jobfile_sections.hpp"
#include "jobfile_errors_for.hpp"

#include <gtest/gtest.h>

#include <string>
#include <tuple>
#include <vector>

namespace fanout {
namespace {

// A job's pool as the tests compare it: its name and size, or "-".
std::string pool_of(const JobSpec& job)
{
  const auto& pool = job.life().pool;
  return pool ? pool->name + "=" + std::to_string(pool->size) : "-";
}

std::vector<std::string> pools_of(const JobFile& file)
{
  std::vector<std::string> pools;
  for (const JobSpec& job : file.jobs) {
    pools.push_back(pool_of(job));
  }
  return pools;
}

TEST(JobfilePools, JobsAndGroupsNameAPoolDefinedAnywhereInTheFile)
{
  const JobFile file = parse_jobfile("[[job]]\ncmd = 'a'\npool = 'db'\n"
                                     "[[job]]\ncmd = 'b'\n"
                                     "[[job]]\nname = 'g'\ncmd = 'c {}'\npool = \"db\"\n"
                                     "for_each = { values = ['1', '2'] }\n"
                                     "[[job]]\ncmd = 'd'\npool = 'console'\n"
                                     "[pools]\ndb = 2\n\"net.io\" = 1\n",
                                     "ci.toml");
  EXPECT_EQ(pools_of(file), (std::vector<std::string>{"db=2", "-", "db=2", "console=1"}));
  ASSERT_EQ(file.pools.size(), 2u);
  EXPECT_EQ(std::make_tuple(file.pools[1]->name, file.pools[1]->size),
            std::make_tuple(std::string("net.io"), std::size_t{1}));
  EXPECT_EQ(file.jobs[0].life().pool, file.jobs[2].life().pool);
  EXPECT_EQ(std::make_tuple(file.jobs[0].is_console(), file.jobs[3].is_console()),
            std::make_tuple(false, true));
}

// A file that is parsed whole (a key before the first header) has its pools too.
TEST(JobfilePools, AFileParsedWholeHasItsPools)
{
  const std::string text = "pools = { db = 3 }\n[[job]]\ncmd = 'a'\npool = 'db'\n";
  std::size_t sections = 0;
  JobFileSections(text).for_each([&sections](const JobFileSection& section) {
    EXPECT_EQ(section.kind, JobFileSection::Kind::whole);
    ++sections;
  });
  EXPECT_EQ(sections, 1u);
  EXPECT_EQ(pools_of(parse_jobfile(text, "ci.toml")), (std::vector<std::string>{"db=3"}));
}

TEST(JobfilePools, TheScannerCutsAtPools)
{
  const std::string text = "[[job]]\ncmd = 'a'\n[pools]\ndb = 1\n[[job]]\ncmd = 'b'\n";
  std::vector<std::tuple<JobFileSection::Kind, std::size_t>> cuts;
  JobFileSections(text).for_each([&cuts](const JobFileSection& section) {
    cuts.emplace_back(section.kind, section.first_line);
  });
  using Kind = JobFileSection::Kind;
  EXPECT_EQ(cuts, (std::vector<std::tuple<Kind, std::size_t>>{
                    {Kind::job, 1}, {Kind::pools, 3}, {Kind::job, 5}}));
}

TEST(JobfilePools, AnUnknownPoolIsALocatedError)
{
  EXPECT_EQ(error_for("[pools]\ndb = 1\n[[job]]\nname = 'a'\ncmd = 'x'\npool = 'dv'\n"),
            "ci.toml:6:8: error: job \"a\": unknown pool \"dv\" (did you mean \"db\"?)\n"
            "    6 | pool = 'dv'\n"
            "      |        ^");
  EXPECT_EQ(error_for("[[job]]\nname = 'a'\ncmd = 'x'\npool = 'database'\n"),
            "ci.toml:4:8: error: job \"a\": unknown pool \"database\": define it in [pools]\n"
            "    4 | pool = 'database'\n"
            "      |        ^");
}

TEST(JobfilePools, ASizeIsAPositiveInteger)
{
  const std::vector<std::string> sizes = {"0", "-2", "'2'", "1.5", "true"};
  std::vector<std::string> errors;
  for (const std::string& size : sizes) {
    const std::string message = error_for("[[job]]\ncmd = 'x'\n[pools]\ndb = " + size + "\n");
    errors.push_back(message.substr(0, message.find('\n')));
  }
  EXPECT_EQ(errors, (std::vector<std::string>{
                      "ci.toml:4:6: error: pools: the size of \"db\" must be a positive "
                      "integer, not 0",
                      "ci.toml:4:6: error: pools: the size of \"db\" must be a positive "
                      "integer, not -2",
                      "ci.toml:4:6: error: pools: the size of \"db\" must be a positive "
                      "integer, not a string",
                      "ci.toml:4:6: error: pools: the size of \"db\" must be a positive "
                      "integer, not a float",
                      "ci.toml:4:6: error: pools: the size of \"db\" must be a positive "
                      "integer, not a boolean"}));
}

TEST(JobfilePools, ConsoleIsReservedAndPoolsIsATable)
{
  EXPECT_EQ(error_for("[pools]\nconsole = 1\n[[job]]\ncmd = 'x'\n"),
            "ci.toml:2:1: error: pools: \"console\" is the built-in console pool, of size 1; "
            "use another name\n"
            "    2 | console = 1\n"
            "      | ^");
  EXPECT_EQ(error_for("pools = 2\n[[job]]\ncmd = 'x'\n"),
            "ci.toml:1:9: error: \"pools\" must be a table: write [pools]\n"
            "    1 | pools = 2\n"
            "      |         ^");
}

TEST(JobfilePools, ADaemonOrACallJobOnTheConsoleIsRefused)
{
  EXPECT_EQ(error_for("[pools]\ndb = 1\n[[job]]\nname = 'd'\ncmd = 'x'\npool = 'db'\n"
                      "daemon = true\n"),
            "ci.toml:6:1: error: job \"d\": a daemon is in no pool: it runs beside the jobs; "
            "remove pool\n"
            "    6 | pool = 'db'\n"
            "      | ^");
  EXPECT_EQ(error_for("[[job]]\nname = 'f'\npool = 'console'\ncall = 'lib.so:f'\n"),
            "ci.toml:3:1: error: job \"f\": a call job cannot be in the console pool: it "
            "writes through fanout; use cmd\n"
            "    3 | pool = 'console'\n"
            "      | ^");
}

TEST(JobfilePools, APoolIsANonEmptyString)
{
  const std::string message = error_for("[[job]]\nname = 'a'\ncmd = 'x'\npool = 1\n");
  EXPECT_EQ(message.substr(0, message.find('\n')),
            "ci.toml:4:8: error: job \"a\": pool must be a string, not an integer");
}

} // namespace
} // namespace fanout
