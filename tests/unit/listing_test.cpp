// SPDX-License-Identifier: MIT
#include "fanout/listing.hpp"

#include <gtest/gtest.h>

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

TEST(FormatListing, NamesOrCommands)
{
  JobFile file;
  file.jobs.push_back(JobSpec{"lint", "ruff check .", {}, ".", {}, {}, {}});
  file.jobs.push_back(JobSpec{"unit", "", {"pytest", "-k", "not slow"}, ".", {}, {}, {}});
  file.jobs.push_back(JobSpec{"skip", "true", {}, ".", {}, {}, {}});
  EXPECT_EQ(format_listing(file, {0, 1}, Action::list), "lint\nunit\n");
  EXPECT_EQ(format_listing(file, {0, 1}, Action::dry_run),
            "lint: ruff check .\nunit: pytest -k 'not slow'\n");
}

} // namespace
} // namespace fanout
