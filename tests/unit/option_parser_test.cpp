// SPDX-License-Identifier: MIT
#include "cli/option_parser.hpp"
#include "cli/usage_error.hpp"

#include <gtest/gtest.h>

#include <string>
#include <tuple>
#include <vector>

namespace fanout {
namespace {

constexpr std::string_view k_kinds[] = {"process", "thread"};

constexpr OptionSpec k_specs[] = {
  {'f', "file", "PATH", {}, "The job file"},
  {'j', "jobs", "N", {}, "Run at most N jobs at once"},
  {'\0', "pool", "KIND", k_kinds, "What runs a job"},
  {'\0', "timeout", "DUR", {}, "Timeout"},
  {'q', "quiet", "", {}, "No summary"},
  {'v', "verbose", "", {}, "More lines"},
  {'0', "null", "", {}, "NUL ends lines"},
  {'\0', "dry-run", "", {}, "Run nothing"},
};

constexpr std::size_t k_file = option_index(k_specs, "file");
constexpr std::size_t k_jobs = option_index(k_specs, "jobs");
constexpr std::size_t k_pool = option_index(k_specs, "pool");
constexpr std::size_t k_timeout = option_index(k_specs, "timeout");
constexpr std::size_t k_quiet = option_index(k_specs, "quiet");
constexpr std::size_t k_verbose = option_index(k_specs, "verbose");
constexpr std::size_t k_null = option_index(k_specs, "null");

ParsedOptions parse(const std::vector<const char*>& args)
{
  return ParsedOptions(k_specs, args);
}

// The message of the usage error that `args` give, or "(parsed)".
std::string error_of(const std::vector<const char*>& args)
{
  try {
    parse(args);
  } catch (const UsageError& e) {
    return e.what();
  }
  return "(parsed)";
}

// What each option's value is, "(none)" for an option not given.
std::vector<std::string> values(const ParsedOptions& parsed)
{
  std::vector<std::string> found;
  for (std::size_t i = 0; i < std::size(k_specs); ++i) {
    found.emplace_back(parsed.has(i) ? std::string(parsed.value(i)) : "(none)");
  }
  return found;
}

TEST(OptionParser, ValueSeparateAttachedOrAfterEquals)
{
  for (const auto& args :
       std::vector<std::vector<const char*>>{{"-j", "4"}, {"-j4"}, {"--jobs", "4"}, {"--jobs=4"}}) {
    const ParsedOptions parsed = parse(args);
    EXPECT_EQ(std::make_tuple(parsed.has(k_jobs), std::string(parsed.value(k_jobs))),
              std::make_tuple(true, std::string("4")))
      << args.front();
  }
  EXPECT_EQ(parse({"--jobs="}).value(k_jobs), "");
  EXPECT_TRUE(parse({"--jobs="}).has(k_jobs));
  EXPECT_EQ(parse({"--timeout=a=b"}).value(k_timeout), "a=b");
}

TEST(OptionParser, ShortFlagsGroupAndMayEndWithAValue)
{
  EXPECT_EQ(
    values(parse({"-qv"})),
    (std::vector<std::string>{"(none)", "(none)", "(none)", "(none)", "", "", "(none)", "(none)"}));
  const ParsedOptions quiet_null = parse({"-q0"});
  EXPECT_EQ(
    std::make_tuple(quiet_null.has(k_quiet), quiet_null.has(k_null), quiet_null.has(k_verbose)),
    std::make_tuple(true, true, false));
  const ParsedOptions with_value = parse({"-vj3", "-qf", "ci.toml"});
  EXPECT_EQ(values(with_value), (std::vector<std::string>{"ci.toml", "3", "(none)", "(none)", "",
                                                          "", "(none)", "(none)"}));
  EXPECT_EQ(parse({"-jq"}).value(k_jobs), "q");
  EXPECT_FALSE(parse({"-jq"}).has(k_quiet));
}

TEST(OptionParser, FlagTakesNoValue)
{
  EXPECT_EQ(error_of({"--quiet=1"}), "--quiet takes no value, so not \"1\"");
  EXPECT_EQ(error_of({"--dry-run="}), "--dry-run takes no value, so not \"\"");
}

TEST(OptionParser, MissingValueAtTheEnd)
{
  EXPECT_EQ(std::make_tuple(error_of({"-q", "-j"}), error_of({"--jobs"}), error_of({"-vj"}),
                            error_of({"--pool"})),
            std::make_tuple(std::string("--jobs needs a value: N"), "--jobs needs a value: N",
                            "--jobs needs a value: N", "--pool needs a value: process or thread"));
}

TEST(OptionParser, UnknownOptionNamesTheClosest)
{
  const std::vector<std::vector<const char*>> args = {
    {"--pol", "x"}, {"--jbos=2"}, {"--dry"},   {"--verison"}, {"-x"},
    {"-qx"},        {"-pool"},    {"--color"}, {"---q"},      {"--re"}};
  std::vector<std::string> errors;
  for (const auto& arg : args) {
    errors.push_back(error_of(arg));
  }
  EXPECT_EQ(errors, (std::vector<std::string>{"unknown option --pol (did you mean --pool?)",
                                              "unknown option --jbos (did you mean --jobs?)",
                                              "unknown option --dry (did you mean --dry-run?)",
                                              "unknown option --verison (did you mean --version?)",
                                              "unknown option -x", "unknown option -x in -qx",
                                              "unknown option -p in -pool (did you mean --pool?)",
                                              "unknown option --color", "unknown option ---q",
                                              "unknown option --re"}));
}

TEST(OptionParser, PositionalsBeforeBetweenAndAfterOptions)
{
  const ParsedOptions parsed = parse({"lint", "-j", "2", "test-*", "-q", "-", "build"});
  EXPECT_EQ(parsed.positionals(), (std::vector<std::string_view>{"lint", "test-*", "-", "build"}));
  EXPECT_EQ(std::make_tuple(std::string(parsed.value(k_jobs)), parsed.has(k_quiet)),
            std::make_tuple(std::string("2"), true));
  EXPECT_TRUE(parse({}).positionals().empty());
}

// An option that takes a value takes the next argument, whatever it is.
TEST(OptionParser, ValueMayStartWithADash)
{
  EXPECT_EQ(parse({"-f", "-"}).value(k_file), "-");
  EXPECT_EQ(parse({"--timeout", "-5s"}).value(k_timeout), "-5s");
  const ParsedOptions parsed = parse({"-f", "--quiet"});
  EXPECT_EQ(std::make_tuple(std::string(parsed.value(k_file)), parsed.has(k_quiet)),
            std::make_tuple(std::string("--quiet"), false));
}

TEST(OptionParser, ValueMustBeAChoice)
{
  EXPECT_EQ(parse({"--pool", "thread"}).value(k_pool), "thread");
  EXPECT_EQ(error_of({"--pool", "threads"}), "--pool: \"threads\" is not one of process, thread");
  EXPECT_EQ(error_of({"--pool="}), "--pool: \"\" is not one of process, thread");
}

TEST(OptionParser, ValueGivenTwiceIsAnErrorAFlagIsNot)
{
  EXPECT_EQ(error_of({"-j", "2", "--jobs=3"}), "--jobs is given twice (\"2\", then \"3\"): give "
                                               "it once");
  EXPECT_TRUE(parse({"-q", "--quiet", "-qq"}).has(k_quiet));
}

TEST(OptionParser, HelpAndVersionEndThePass)
{
  EXPECT_EQ(parse({}).request(), Request::run);
  const std::vector<std::vector<const char*>> help = {
    {"-h"}, {"--help"}, {"-qh"}, {"--help", "--no-such-option"}, {"-j", "2", "-h", "-j"}};
  for (const auto& args : help) {
    EXPECT_EQ(parse(args).request(), Request::help) << args.front();
  }
  EXPECT_EQ(parse({"--version", "-x"}).request(), Request::version);
  EXPECT_EQ(error_of({"--help=1"}), "--help takes no value, so not \"1\"");
}

TEST(OptionParser, HelpListsEveryOptionWrapped)
{
  constexpr OptionSpec k_long_help[] = {
    {'f', "file", "PATH", {}, "The job file"},
    {'\0', "a-rather-long-option-name", "VALUE", {}, "Its line of its own"},
    {'\0', "pool", "KIND", k_kinds,
     "What runs a job: process (each job a child process; function jobs in a forked child) or "
     "thread"},
  };
  const HelpPage page = {"Usage: prog [OPTIONS] [JOB...]\n", "Does things.\n", "JOB...",
                         "Jobs to run", "The footer.\n"};
  EXPECT_EQ(help_text(page, k_long_help),
            "Usage: prog [OPTIONS] [JOB...]\n"
            "\n"
            "Does things.\n"
            "\n"
            "Positionals:\n"
            "  JOB...                    Jobs to run\n"
            "\n"
            "Options:\n"
            "  -h,--help                 Print this help and exit\n"
            "  --version                 Print the version and exit\n"
            "  -f,--file PATH            The job file\n"
            "  --a-rather-long-option-name VALUE\n"
            "                            Its line of its own\n"
            "  --pool KIND               What runs a job: process (each job a child process;\n"
            "                            function jobs in a forked child) or thread\n"
            "\n"
            "The footer.\n");
}

} // namespace
} // namespace fanout
