// SPDX-License-Identifier: MIT
#include "error.hpp"
#include "jobfile/jobfile.hpp"
#include "jobfile/selection.hpp"

#include <gtest/gtest.h>

#include <string>
#include <tuple>
#include <vector>

namespace fanout {
namespace {

// test-e2e needs two later jobs, docs an earlier one.
JobFile jobs()
{
  return parse_jobfile(R"(
[[job]]
name = "lint"
cmd = "ruff check ."

[[job]]
name = "test-unit"
cmd = "pytest tests/unit"

[[job]]
name = "test-e2e"
cmd = "pytest tests/e2e"
needs = ["db", "build"]

[[job]]
name = "build"
cmd = "make"

[[job]]
name = "db"
cmd = "redis-server"
daemon = true

[[job]]
name = "docs"
cmd = "make docs"
needs = ["build"]
)",
                       "ci.toml");
}

// The names of what `patterns` select, in the order selected.
std::vector<std::string> selected(const std::vector<std::string>& patterns)
{
  std::vector<std::string> names;
  JobFile file = jobs();
  for (const JobId id : select_jobs(file, patterns)) {
    names.push_back(file.jobs[id].name);
  }
  return names;
}

// The message select_jobs throws for `patterns`, or "(selected)".
std::string error_for(const std::vector<std::string>& patterns)
{
  try {
    JobFile file = jobs();
    select_jobs(file, patterns);
  } catch (const Error& error) {
    return error.what();
  }
  return "(selected)";
}

TEST(SelectJobs, NoPatternSelectsEveryJobInFileOrder)
{
  EXPECT_EQ(selected({}),
            (std::vector<std::string>{"lint", "test-unit", "test-e2e", "build", "db", "docs"}));
}

TEST(SelectJobs, NamesSelectThoseJobsInFileOrder)
{
  EXPECT_EQ(selected({"build", "lint"}), (std::vector<std::string>{"lint", "build"}));
}

TEST(SelectJobs, GlobsSelectEveryJobTheyMatch)
{
  EXPECT_EQ(selected({"test-*"}),
            (std::vector<std::string>{"test-unit", "test-e2e", "build", "db"}));
  EXPECT_EQ(selected({"d?"}), (std::vector<std::string>{"db"}));
  EXPECT_EQ(selected({"[lb]*"}), (std::vector<std::string>{"lint", "build"}));
}

TEST(SelectJobs, AJobBringsWhatItNeedsBeforeOrAfterIt)
{
  EXPECT_EQ(selected({"test-e2e"}), (std::vector<std::string>{"test-e2e", "build", "db"}));
  EXPECT_EQ(selected({"docs"}), (std::vector<std::string>{"build", "docs"}));
}

TEST(SelectJobs, NeedsAreFollowedThroughEveryJobBetween)
{
  JobFile file = parse_jobfile(R"(
[[job]]
name = "a"
cmd = "x"
needs = ["b"]

[[job]]
name = "unrelated"
cmd = "x"

[[job]]
name = "b"
cmd = "x"
needs = ["c"]

[[job]]
name = "c"
cmd = "x"
)",
                               "ci.toml");
  EXPECT_EQ(select_jobs(file, {"a"}), (std::vector<JobId>{0, 2, 3}));
}

TEST(SelectJobs, AJobSelectedTwiceIsListedOnce)
{
  EXPECT_EQ(selected({"docs", "build", "b*", "docs"}), (std::vector<std::string>{"build", "docs"}));
}

TEST(SelectJobs, NamesArePatternsNotPrefixes)
{
  EXPECT_EQ(std::make_tuple(error_for({"test"}), error_for({"Build"})),
            std::make_tuple("fanout: error: no job matches \"test\"",
                            "fanout: error: no job matches \"Build\""));
}

TEST(SelectJobs, TheFirstPatternThatMatchesNothingIsNamed)
{
  EXPECT_EQ(error_for({"lint", "deploy", "release-*"}), "fanout: error: no job matches \"deploy\"");
}

} // namespace
} // namespace fanout
