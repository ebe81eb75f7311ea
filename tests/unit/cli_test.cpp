// SPDX-License-Identifier: MIT
#include "cli/cli.hpp"
#include "input_sources_text.hpp"

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

TEST(ParseCommandLine, LauncherAndWhetherJobsWasGiven)
{
  const Options local = std::get<Options>(parse({}));
  EXPECT_EQ(local.launcher, LauncherKind::local);
  EXPECT_FALSE(local.jobs_given);
  const Options slurm = std::get<Options>(parse({"--launcher", "slurm", "-j", "3"}));
  EXPECT_EQ(slurm.launcher, LauncherKind::slurm);
  EXPECT_TRUE(slurm.jobs_given);
  EXPECT_EQ(std::get<CommandLineExit>(parse({"--launcher", "ssh"})).code, 2);
  const auto both = std::get<CommandLineExit>(parse({"--launcher", "slurm", "--hosts", "h1"}));
  EXPECT_EQ(both.code, 2);
  EXPECT_EQ(both.text, "fanout: error: --hosts cannot be used with --launcher slurm\n"
                       "Run 'fanout --help' for more information.\n");
}

TEST(ParseCommandLine, ListIsAnAction)
{
  EXPECT_EQ(std::get<Options>(parse({"--list"})).action, Action::list);
}

TEST(ParseCommandLine, ReportsAreWrittenOnlyWhenAsked)
{
  const Options none = std::get<Options>(parse({}));
  EXPECT_EQ(none.json_file, std::nullopt);
  EXPECT_EQ(none.joblog_file, std::nullopt);
  EXPECT_EQ(none.junit_file, std::nullopt);
  const Options all = std::get<Options>(
    parse({"--json", "out/run.json", "--joblog", "jobs.tsv", "--junit", "out/junit.xml", "lint"}));
  EXPECT_EQ(all.json_file, "out/run.json");
  EXPECT_EQ(all.joblog_file, "jobs.tsv");
  EXPECT_EQ(all.junit_file, "out/junit.xml");
  EXPECT_EQ(std::get<Options>(parse({"--joblog", ""})).joblog_file, "");
  EXPECT_EQ(std::get<CommandLineExit>(parse({"--json"})).code, 2);
  EXPECT_EQ(std::get<CommandLineExit>(parse({"--junit"})).code, 2);
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

// In decimal, whatever the leading zeros.
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
  EXPECT_NE(out.find("Usage: fanout [OPTIONS] [JOB...]\n"
                     "       fanout [OPTIONS] -- CMD [ARGS...] [::: VALUES...] [:::: FILES...]\n"),
            std::string::npos)
    << out;
  EXPECT_NE(out.find("\nInputs: with a command after --, one job per input"), std::string::npos);
}

TEST(ParseCommandLine, OutputAndCiAreUnsetUnlessGiven)
{
  const Options defaults = std::get<Options>(parse({}));
  EXPECT_FALSE(defaults.output.has_value());
  EXPECT_FALSE(defaults.ci.has_value());
  const Options options = std::get<Options>(parse({"--output", "keep-order", "--ci", "gitlab"}));
  EXPECT_EQ(options.output, OutputMode::keep_order);
  EXPECT_EQ(options.ci, CiPlatform::gitlab);
  EXPECT_EQ(std::get<Options>(parse({"--output", "group"})).output, OutputMode::group);
  EXPECT_EQ(std::get<Options>(parse({"--output", "lines"})).output, OutputMode::lines);
  EXPECT_EQ(std::get<Options>(parse({"--ci", "none"})).ci, CiPlatform::none);
  EXPECT_EQ(std::get<Options>(parse({"--ci", "github"})).ci, CiPlatform::github);
  EXPECT_EQ(usage_error({"--output", "grouped"}),
            "fanout: error: --output: \"grouped\" is not one of lines, group, keep-order\n"
            "Run 'fanout --help' for more information.\n");
  EXPECT_EQ(std::get<CommandLineExit>(parse({"--ci", "jenkins"})).code, 2);
}

TEST(ParseCommandLine, WhatTheParserRefusesIsAUsageError)
{
  const std::string help = "\nRun 'fanout --help' for more information.\n";
  EXPECT_EQ(
    std::make_tuple(usage_error({"--pol", "thread"}), usage_error({"--pool"}),
                    usage_error({"-q", "-j", "2", "-j", "3"}), usage_error({"--quiet=1"}),
                    usage_error({"--keep-going", "--fail-fast"})),
    std::make_tuple("fanout: error: unknown option --pol (did you mean --pool?)" + help,
                    "fanout: error: --pool needs a value: process or thread" + help,
                    "fanout: error: --jobs is given twice (\"2\", then \"3\"): give it once" + help,
                    "fanout: error: --quiet takes no value, so not \"1\"" + help,
                    "fanout: error: --fail-fast cannot be used with --keep-going" + help));
}

TEST(ParseCommandLine, OptionsAroundJobNamesAndDashAsAFile)
{
  const Options options = std::get<Options>(parse({"lint", "-qf", "-", "test-*", "--jobs=3"}));
  EXPECT_EQ(std::make_tuple(options.patterns, options.file, options.quiet, options.jobs),
            std::make_tuple(std::vector<std::string>{"lint", "test-*"}, std::string("-"), true,
                            std::size_t{3}));
}

// The same table gives --help its entries: each option once, with its value.
TEST(ParseCommandLine, HelpListsTheOptionsWithTheirValues)
{
  const std::string help = std::get<CommandLineExit>(parse({"-h"})).text;
  for (const char* entry :
       {"\n  -h,--help ", "\n  --version ", "\n  -f,--file PATH ", "\n  -j,--jobs N ",
        "\n  --pool KIND ", "\n  --ci CI ", "\n  -0,--null ", "\n  --hosts LIST ", "\n  --dry-run ",
        "\nPositionals:\n  JOB... "}) {
    EXPECT_NE(help.find(entry), std::string::npos) << entry;
  }
  EXPECT_EQ(help.find("--fail-fast "), help.rfind("--fail-fast "));
}

using test::sources_text;

// Everything after the first `--` is the command's, options and `--` alike,
// and without a source the command reads the lines of stdin.
TEST(ParseCommandLineInputs, CommandAfterDashesIsNeverAnOption)
{
  const Options options =
    std::get<Options>(parse({"-j", "2", "--", "grep", "-v", "--fail-fast", "--", "-f", "x"}));
  EXPECT_EQ(options.command,
            (std::vector<std::string>{"grep", "-v", "--fail-fast", "--", "-f", "x"}));
  EXPECT_EQ(sources_text(options.inputs), (std::vector<std::string>{"lines - NL"}));
  EXPECT_EQ(std::make_tuple(options.jobs, options.fail_fast, options.file, options.patterns.size(),
                            options.retries),
            std::make_tuple(std::size_t{2}, false, std::string("fanout.toml"), std::size_t{0},
                            std::optional<unsigned>()));
}

TEST(ParseCommandLineInputs, NoCommandNoInputs)
{
  const Options options = std::get<Options>(parse({"lint"}));
  EXPECT_EQ(std::make_tuple(options.command.size(), options.inputs.size()),
            std::make_tuple(std::size_t{0}, std::size_t{0}));
}

// `:::` is one source of the values up to the next marker; `::::` one
// source per file; in command-line order, each marker-looking value aside.
TEST(ParseCommandLineInputs, SourcesInCommandLineOrder)
{
  const Options options = std::get<Options>(parse(
    {"--", "cp", "{1}", "{2}", "::::", "list.txt", "-", ":::", "a b", "--", "-x", ":::", "c"}));
  EXPECT_EQ(options.command, (std::vector<std::string>{"cp", "{1}", "{2}"}));
  EXPECT_EQ(
    sources_text(options.inputs),
    (std::vector<std::string>{"lines list.txt NL", "lines - NL", "values a b -- -x", "values c"}));
}

TEST(ParseCommandLineInputs, NullEndsLinesAtNul)
{
  EXPECT_EQ(
    sources_text(std::get<Options>(parse({"-0", "--", "gzip", "::::", "f", ":::", "v"})).inputs),
    (std::vector<std::string>{"lines f NUL", "values v"}));
  EXPECT_EQ(sources_text(std::get<Options>(parse({"--null", "--", "gzip"})).inputs),
            (std::vector<std::string>{"lines - NUL"}));
}

TEST(ParseCommandLineInputs, EveryOptionWorksWithACommand)
{
  const Options options = std::get<Options>(
    parse({"-j", "3", "--pool", "thread", "--timeout", "5s", "--grace", "1s", "--fail-fast",
           "--color", "always", "-q", "-v", "--list", "--retries", "4", "--", "make", "{}"}));
  EXPECT_EQ(std::make_tuple(options.jobs, options.pool, options.timeout, options.grace,
                            options.fail_fast, options.color, options.quiet, options.verbose,
                            options.action, options.retries, options.command),
            std::make_tuple(
              std::size_t{3}, Pool::thread, std::optional<Duration>(std::chrono::seconds(5)),
              Duration(std::chrono::seconds(1)), true, ColorMode::always, true, true, Action::list,
              std::optional<unsigned>(4), std::vector<std::string>{"make", "{}"}));
  EXPECT_EQ(std::get<Options>(parse({"--dry-run", "--retries", "0", "--", "make"})).retries,
            std::optional<unsigned>(0));
}

TEST(ParseCommandLineInputs, RetriesIsZeroToOneHundred)
{
  const std::string help = "Run 'fanout --help' for more information.\n";
  EXPECT_EQ(std::make_tuple(usage_error({"--retries", "101", "--", "make"}),
                            usage_error({"--retries", "x", "--", "make"}),
                            usage_error({"--retries", "2.5", "--", "make"})),
            std::make_tuple(
              "fanout: error: --retries: 101 is out of range: use 0 to 100\n" + help,
              "fanout: error: --retries: \"x\" is not a number: use 0 to 100\n" + help,
              "fanout: error: --retries: \"2.5\" is not a whole number: use 0 to 100\n" + help));
  EXPECT_EQ(std::get<Options>(parse({"--retries", "0100", "--", "make"})).retries,
            std::optional<unsigned>(100));
}

TEST(ParseCommandLine, LogDirAndTail)
{
  const Options defaults = std::get<Options>(parse({}));
  const Options options = std::get<Options>(parse({"--log-dir", "ci/logs", "--tail", "0"}));
  EXPECT_EQ(std::make_tuple(defaults.log_dir, defaults.tail, options.log_dir, options.tail),
            std::make_tuple(std::optional<std::string>(), std::size_t{20},
                            std::optional<std::string>("ci/logs"), std::size_t{0}));
  const std::string help = "Run 'fanout --help' for more information.\n";
  EXPECT_EQ(std::make_tuple(usage_error({"--log-dir", ""}), usage_error({"--tail", "1001"})),
            std::make_tuple("fanout: error: --log-dir: the folder name is empty\n" + help,
                            "fanout: error: --tail: 1001 is out of range: use 0 to 1000\n" + help));
}

TEST(ParseCommandLineInputs, UsageErrors)
{
  const std::vector<std::vector<const char*>> args = {
    {"--"},
    {"--", ":::", "a"},
    {"--", " "},
    {"--", "echo", ":::"},
    {"--", "echo", ":::", "a", ":::", ":::", "b"},
    {"--", "echo", "::::"},
    {"--", "echo", ":::+", "a"},
    {"--", "echo", ":::", "a", "::::+", "f"},
    {"--", "cat", "::::", "-", ":::", "a", "::::", "-"},
    {"--", "cat", "::::", "-", "-"},
    {"echo", ":::", "a"},
    {"-j", "2", "::::", "f", "--", "echo"},
    {"-f", "ci.toml", "--", "echo"},
    {"lint", "--", "echo"},
    {"--retries", "2"},
    {"-0", "lint"}};
  std::vector<std::string> errors;
  for (const auto& arg : args) {
    errors.push_back(usage_error(arg));
  }
  const std::string help = "\nRun 'fanout --help' for more information.\n";
  const std::string replaces =
    " cannot be used with a command: a command after -- replaces the job file";
  const std::string usage =
    " must follow a command: fanout [OPTIONS] -- CMD [ARGS...] ::: VALUES...";
  EXPECT_EQ(
    errors,
    (std::vector<std::string>{
      "fanout: error: a command must follow --" + help,
      "fanout: error: a command must come between -- and :::" + help,
      "fanout: error: the command after -- is empty" + help,
      "fanout: error: ::: has no values, so no job would run" + help,
      "fanout: error: ::: has no values, so no job would run" + help,
      "fanout: error: :::: has no file to read (- is stdin)" + help,
      "fanout: error: :::+ (linked inputs) is not supported: ::: and :::: run every "
      "combination" +
        help,
      "fanout: error: ::::+ (linked inputs) is not supported: ::: and :::: run every "
      "combination" +
        help,
      "fanout: error: :::: - is given twice: stdin can be read only once" + help,
      "fanout: error: :::: - is given twice: stdin can be read only once" + help,
      "fanout: error: :::" + usage + help, "fanout: error: ::::" + usage + help,
      "fanout: error: -f" + replaces + help, "fanout: error: job name \"lint\"" + replaces + help,
      "fanout: error: --retries is for a command after --: in a job file each job sets "
      "its own retries" +
        help,
      "fanout: error: -0 is for the inputs of a command after --" + help}));
}

} // namespace
} // namespace fanout
