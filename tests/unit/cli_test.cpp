// SPDX-License-Identifier: MIT
#include "cli/cli.hpp"

#include <gtest/gtest.h>

#include <tuple>
#include <utility>

namespace fanout {
namespace {

std::variant<Options, CommandLineExit> parse(std::vector<const char*> args)
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
  const Options options =
    std::get<Options>(parse({"-f", "ci.toml", "-j", "8", "--timeout", "1h30m", "--grace", "250ms",
                             "--color", "never", "-q", "-v", "--dry-run", "lint", "test-*"}));
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
  std::string err;
  for (const auto& args : std::vector<std::vector<const char*>>{{"-j", "0"},
                                                                {"--timeout", "5 minutes"},
                                                                {"--color", "sometimes"},
                                                                {"--list", "--dry-run"},
                                                                {"--no-such-flag"}}) {
    const auto exit = std::get<CommandLineExit>(parse(args));
    EXPECT_EQ(std::make_pair(exit.code, exit.stream), std::make_pair(2, Stream::err));
    err += exit.text;
  }
  EXPECT_NE(err.find("fanout: error: --timeout: \"5 minutes\" is not a duration (try \"5m\")\n"),
            std::string::npos)
    << err;
  EXPECT_NE(err.find("fanout: error: --jobs: 0 is out of range: use 1 to 4096\n"),
            std::string::npos)
    << err;
}

// What fanout says about `args`, which must be a usage error.
std::string usage_error(std::vector<const char*> args)
{
  const std::variant<Options, CommandLineExit> parsed = parse(std::move(args));
  const auto* exit = std::get_if<CommandLineExit>(&parsed);
  return exit != nullptr && exit->code == 2 && exit->stream == Stream::err ? exit->text
                                                                           : "(parsed)";
}

TEST(ParseCommandLine, JobsSaysWhatIsWrongAndWhatIsAccepted)
{
  const std::vector<std::vector<const char*>> args = {
    {"-j", "abc"},  {"-j", "2.5"},  {"-j", "0"},
    {"-j", "-3"},   {"-j", "4097"}, {"-j", "99999999999999999999"},
    {"--jobs=", ""}};
  std::vector<std::string> errors;
  for (const auto& arg : args) {
    errors.push_back(usage_error(arg));
  }
  const std::string help = "Run 'fanout --help' for more information.\n";
  EXPECT_EQ(errors,
            (std::vector<std::string>{
              "fanout: error: --jobs: \"abc\" is not a number: use 1 to 4096\n" + help,
              "fanout: error: --jobs: \"2.5\" is not a whole number: use 1 to 4096\n" + help,
              "fanout: error: --jobs: 0 is out of range: use 1 to 4096\n" + help,
              "fanout: error: --jobs: -3 is out of range: use 1 to 4096\n" + help,
              "fanout: error: --jobs: 4097 is out of range: use 1 to 4096\n" + help,
              "fanout: error: --jobs: 99999999999999999999 is out of range: use 1 to 4096\n" + help,
              "fanout: error: --jobs: \"\" is not a number: use 1 to 4096\n" + help}));
}

// In decimal, whatever the leading zeros (CLI11 alone would read octal).
TEST(ParseCommandLine, JobsIsDecimal)
{
  EXPECT_EQ(std::make_tuple(std::get<Options>(parse({"-j", "010"})).jobs,
                            std::get<Options>(parse({"--jobs", "4096"})).jobs),
            std::make_tuple(std::size_t{10}, std::size_t{4096}));
}

TEST(ParseCommandLine, NegativeDurationCannotBeNegative)
{
  const std::string help = "Run 'fanout --help' for more information.\n";
  EXPECT_EQ(
    std::make_tuple(usage_error({"--timeout", "-5s"}), usage_error({"--grace=-1.5"}),
                    usage_error({"--timeout", "-5 minutes"})),
    std::make_tuple(
      "fanout: error: --timeout: \"-5s\" is not a duration: it cannot be negative\n" + help,
      "fanout: error: --grace: \"-1.5\" is not a duration: it cannot be negative\n" + help,
      "fanout: error: --timeout: \"-5 minutes\" is not a duration: it cannot be negative\n" +
        help));
}

TEST(ParseCommandLine, HelpAndVersionExitZero)
{
  const auto version = std::get<CommandLineExit>(parse({"--version"}));
  const auto help = std::get<CommandLineExit>(parse({"--help"}));
  EXPECT_EQ(std::make_tuple(version.code, version.stream, help.code, help.stream),
            std::make_tuple(0, Stream::out, 0, Stream::out));
  const std::string out = version.text + help.text;
  EXPECT_EQ(out.rfind("fanout " FANOUT_VERSION "\n", 0), 0u) << out;
  EXPECT_NE(out.find("Exit status:"), std::string::npos);
}

} // namespace
} // namespace fanout
