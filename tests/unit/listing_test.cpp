// SPDX-License-Identifier: MIT
#include "report/listing.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace fanout {
namespace {

TEST(ShellQuote, OnlyWhenNeeded)
{
  EXPECT_EQ(shell_quote("pytest"), "pytest");
  EXPECT_EQ(shell_quote("tests/unit"), "tests/unit");
  EXPECT_EQ(shell_quote("two words"), "'two words'");
  EXPECT_EQ(shell_quote("it's"), "'it'\\''s'");
  EXPECT_EQ(shell_quote(""), "''");
  EXPECT_EQ(shell_quote("$HOME"), "'$HOME'");
}

JobSpec command_job(std::string name, std::string cmd, std::vector<std::string> argv = {})
{
  JobSpec job;
  job.name = std::move(name);
  job.cmd = std::move(cmd);
  job.argv = std::move(argv);
  return job;
}

JobSpec call_job(std::string name, CallSpec call)
{
  JobSpec job;
  job.name = std::move(name);
  job.call = std::make_shared<const CallSpec>(std::move(call));
  return job;
}

TEST(FormatListing, NamesOrCommands)
{
  JobFile file;
  file.jobs.push_back(command_job("lint", "ruff check ."));
  file.jobs.push_back(command_job("unit", "", {"pytest", "-k", "not slow"}));
  file.jobs.push_back(command_job("skip", "true"));
  EXPECT_EQ(format_listing(file, {0, 1}, Action::list), "lint\nunit\n");
  EXPECT_EQ(format_listing(file, {0, 1}, Action::dry_run),
            "lint: ruff check .\nunit: pytest -k 'not slow'\n");
}

TEST(FormatListing, ShowsAFunctionJobAsItsTargetAndArgs)
{
  JobFile file;
  file.jobs.push_back(
      call_job("seed", CallSpec{"lib/libseed.so", "worker", {"arg one", "2", "", "it's"}}));
  file.jobs.push_back(call_job("bare", CallSpec{"/opt/my libs/libx.so", "run", {}}));
  file.jobs.push_back(command_job("lint", "ruff check ."));
  EXPECT_EQ(format_listing(file, {0, 1, 2}, Action::list), "seed\nbare\nlint\n");
  EXPECT_EQ(format_listing(file, {0, 1, 2}, Action::dry_run),
            "seed: call lib/libseed.so:worker 'arg one' 2 '' 'it'\\''s'\n"
            "bare: call '/opt/my libs/libx.so:run'\n"
            "lint: ruff check .\n");
}

} // namespace
} // namespace fanout
