// SPDX-License-Identifier: MIT
// --resume, --rerun-failed and --state on the command line.
#include "cli/cli.hpp"

#include <gtest/gtest.h>

namespace fanout {
namespace {

std::variant<Options, CommandLineExit> parse(std::vector<const char*> args)
{
  args.insert(args.begin(), "fanout");
  return parse_command_line(static_cast<int>(args.size()), args.data());
}

// The message of the usage error `args` give.
std::string usage_error(std::vector<const char*> args)
{
  const auto parsed = parse(std::move(args));
  const auto* exit = std::get_if<CommandLineExit>(&parsed);
  if (exit == nullptr) {
    return "no error";
  }
  EXPECT_EQ(exit->code, 2);
  return exit->text.substr(0, exit->text.find('\n'));
}

TEST(ParseResume, APlainRunRecordsInTheDefaultState)
{
  const Options options = std::get<Options>(parse({}));
  EXPECT_EQ(options.resume, ResumeMode::record);
  EXPECT_EQ(options.state, "");
}

TEST(ParseResume, ResumeRerunFailedAndState)
{
  EXPECT_EQ(std::get<Options>(parse({"--resume"})).resume, ResumeMode::resume);
  EXPECT_EQ(std::get<Options>(parse({"--rerun-failed"})).resume, ResumeMode::rerun_failed);
  const Options named =
    std::get<Options>(parse({"--resume", "--state", "runs.state", "--", "gzip", ":::", "a"}));
  EXPECT_EQ(named.state, "runs.state");
  EXPECT_EQ(named.resume, ResumeMode::resume);
}

TEST(ParseResume, UsageErrors)
{
  EXPECT_EQ(usage_error({"--resume", "--rerun-failed"}),
            "fanout: error: --resume cannot be used with --rerun-failed");
  EXPECT_EQ(usage_error({"--resume", "--list"}),
            "fanout: error: --resume cannot be used with --list or --dry-run");
  EXPECT_EQ(usage_error({"--rerun-failed", "--dry-run"}),
            "fanout: error: --rerun-failed cannot be used with --list or --dry-run");
  EXPECT_EQ(usage_error({"--state", ""}), "fanout: error: --state needs a file name");
  EXPECT_EQ(usage_error({"--resume", "--", "gzip", ":::", "a"}),
            "fanout: error: --resume needs --state FILE with a command after --: there is no job "
            "file to keep the state beside");
  EXPECT_EQ(usage_error({"--rerun-failed", "-f", "-"}),
            "fanout: error: --rerun-failed needs --state FILE with a job file read from stdin: "
            "there is no job file to keep the state beside");
  EXPECT_EQ(usage_error({"--resume", "-f", "-", "--state", "s"}), "no error");
}

} // namespace
} // namespace fanout
