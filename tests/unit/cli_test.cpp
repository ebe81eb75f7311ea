// SPDX-License-Identifier: MIT
#include "cli/cli.hpp"

#include <gtest/gtest.h>

namespace fanout {
namespace {

std::variant<Options, int> parse(std::vector<const char*> args)
{
  args.insert(args.begin(), "fanout");
  return parse_command_line(static_cast<int>(args.size()), args.data());
}

TEST(ParseCommandLine, Defaults)
{
  const Options options = std::get<Options>(parse({}));
  EXPECT_EQ(options.file, "fanout.toml");
  EXPECT_GE(options.jobs, 1u);
  EXPECT_FALSE(options.timeout.has_value());
  EXPECT_EQ(options.grace, std::chrono::seconds(5));
  EXPECT_EQ(options.color, ColorMode::automatic);
  EXPECT_EQ(options.action, Action::run);
  EXPECT_TRUE(options.patterns.empty());
}

TEST(ParseCommandLine, EveryOption)
{
  const Options options = std::get<Options>(
    parse({"-f", "ci.toml", "-j", "8", "--timeout", "1h30m", "--grace", "250ms", "--color",
           "never", "-q", "-v", "--dry-run", "lint", "test-*"}));
  EXPECT_EQ(options.file, "ci.toml");
  EXPECT_EQ(options.jobs, 8u);
  EXPECT_EQ(options.timeout, std::chrono::minutes(90));
  EXPECT_EQ(options.grace, std::chrono::milliseconds(250));
  EXPECT_EQ(options.color, ColorMode::never);
  EXPECT_TRUE(options.quiet);
  EXPECT_TRUE(options.verbose);
  EXPECT_EQ(options.action, Action::dry_run);
  EXPECT_EQ(options.patterns, (std::vector<std::string>{"lint", "test-*"}));
}

TEST(ParseCommandLine, ListIsAnAction)
{
  EXPECT_EQ(std::get<Options>(parse({"--list"})).action, Action::list);
}

TEST(ParseCommandLine, UsageErrorsExitTwo)
{
  testing::internal::CaptureStderr();
  EXPECT_EQ(std::get<int>(parse({"-j", "0"})), 2);
  EXPECT_EQ(std::get<int>(parse({"--timeout", "5 minutes"})), 2);
  EXPECT_EQ(std::get<int>(parse({"--color", "sometimes"})), 2);
  EXPECT_EQ(std::get<int>(parse({"--list", "--dry-run"})), 2);
  EXPECT_EQ(std::get<int>(parse({"--no-such-flag"})), 2);
  const std::string err = testing::internal::GetCapturedStderr();
  EXPECT_NE(err.find("fanout: error: --timeout: \"5 minutes\" is not a duration (try \"5m\")\n"),
            std::string::npos)
    << err;
  EXPECT_NE(err.find("fanout: error: --jobs: Value 0 not in range 1 to 4096\n"), std::string::npos) << err;
}

TEST(ParseCommandLine, HelpAndVersionExitZero)
{
  testing::internal::CaptureStdout();
  EXPECT_EQ(std::get<int>(parse({"--version"})), 0);
  EXPECT_EQ(std::get<int>(parse({"--help"})), 0);
  const std::string out = testing::internal::GetCapturedStdout();
  EXPECT_EQ(out.rfind("fanout " FANOUT_VERSION "\n", 0), 0u) << out;
  EXPECT_NE(out.find("Exit status:"), std::string::npos);
}

} // namespace
} // namespace fanout
