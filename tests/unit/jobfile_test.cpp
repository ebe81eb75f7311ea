// SPDX-License-Identifier: MIT
#include "error.hpp"
#include "jobfile/jobfile.hpp"
#include "jobfile/jobfile_values.hpp"
#include "jobfile_errors_for.hpp"
#include "temp_folder_test.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <string>
#include <sys/stat.h>
#include <thread>
#include <tuple>
#include <unistd.h>
#include <utility>
#include <vector>

namespace fanout {
namespace {

using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;

// The message `parse_jobfile` throws for `text`, or "(parsed)".
// JobSpec has no operator==; this compares (and prints) every field.
auto fields(const JobSpec& job)
{
  return std::tie(job.name, job.cmd, job.argv, job.cwd, job.env, job.timeout, job.grace);
}

using CallFields = std::tuple<std::string, std::string, std::vector<std::string>>;

// A function job's library, symbol and args; nullopt for a command job.
std::optional<CallFields> call_of(const JobSpec& job)
{
  if (!job.call) {
    return std::nullopt;
  }
  return CallFields(job.call->library, job.call->symbol, job.call->args);
}

std::vector<std::string> names_of(const JobFile& file)
{
  std::vector<std::string> names;
  for (const JobSpec& job : file.jobs) {
    names.push_back(job.name);
  }
  return names;
}

TEST(ParseJobfile, ParsesShellCommandJob)
{
  const JobFile file =
    parse_jobfile("[[job]]\nname = \"lint\"\ncmd = \"ruff check .\"\n", "ci.toml");
  ASSERT_EQ(file.jobs.size(), 1u);
  EXPECT_EQ(fields(file.jobs[0]), fields(JobSpec{.name = "lint",
                                                 .cmd = "ruff check .",
                                                 .argv = {},
                                                 .call = nullptr,
                                                 .cwd = ".",
                                                 .env = {},
                                                 .timeout = std::nullopt,
                                                 .grace = std::nullopt,
                                                 .lifecycle = nullptr,
                                                 .group = nullptr}));
}

TEST(ParseJobfile, ParsesArgvJob)
{
  const JobFile file =
    parse_jobfile("[[job]]\nname = \"unit\"\nargv = [\"pytest\", \"-q\", \"\"]\n", "ci.toml");
  ASSERT_EQ(file.jobs.size(), 1u);
  EXPECT_EQ(fields(file.jobs[0]), fields(JobSpec{.name = "unit",
                                                 .cmd = "",
                                                 .argv = {"pytest", "-q", ""},
                                                 .call = nullptr,
                                                 .cwd = ".",
                                                 .env = {},
                                                 .timeout = std::nullopt,
                                                 .grace = std::nullopt,
                                                 .lifecycle = nullptr,
                                                 .group = nullptr}));
}

TEST(ParseJobfile, ParsesCallJobWithArgs)
{
  const JobFile file = parse_jobfile("[[job]]\nname = \"seed\"\ncall = \"lib/libseed.so:worker\"\n"
                                     "args = [\"arg one\", \"\", \"2\"]\ntimeout = \"1s\"\n",
                                     "ci.toml");
  ASSERT_EQ(file.jobs.size(), 1u);
  EXPECT_EQ(std::make_tuple(fields(file.jobs[0]), call_of(file.jobs[0])),
            std::make_tuple(fields(JobSpec{.name = "seed",
                                           .cmd = "",
                                           .argv = {},
                                           .call = nullptr,
                                           .cwd = ".",
                                           .env = {},
                                           .timeout = seconds(1),
                                           .grace = std::nullopt,
                                           .lifecycle = nullptr,
                                           .group = nullptr}),
                            std::optional<CallFields>(
                              CallFields{"lib/libseed.so", "worker", {"arg one", "", "2"}})));
}

TEST(ParseJobfile, ParsesCallJobWithoutArgs)
{
  const JobFile file = parse_jobfile("[[job]]\ncall = \"libseed.so:_Work3r\"\n", "ci.toml");
  ASSERT_EQ(file.jobs.size(), 1u);
  EXPECT_EQ(call_of(file.jobs[0]),
            std::optional<CallFields>(CallFields{"./libseed.so", "_Work3r", {}}));
}

TEST(ParseJobfile, ArgsMayComeBeforeCallAndEmpty)
{
  const JobFile file = parse_jobfile("[[job]]\nargs = []\ncall = \"lib/x.so:f\"\n", "ci.toml");
  ASSERT_EQ(file.jobs.size(), 1u);
  EXPECT_EQ(call_of(file.jobs[0]), std::optional<CallFields>(CallFields{"lib/x.so", "f", {}}));
}

TEST(ParseJobfile, JobsInARowThatCallTheSameShareOneCallAndTheirCwd)
{
  const JobFile file = parse_jobfile("[[job]]\ncall = \"lib/x.so:f\"\n"
                                     "[[job]]\ncall = \"lib/x.so:f\"\ncwd = \"sub/.\"\n"
                                     "[[job]]\ncall = \"lib/x.so:f\"\nargs = [\"1\"]\n"
                                     "[[job]]\ncall = \"lib/../lib/x.so:f\"\n"
                                     "[[job]]\ncall = \"lib/x.so:g\"\ncwd = \"sub/.\"\n",
                                     "conf/ci.toml");
  ASSERT_EQ(file.jobs.size(), 5u);
  EXPECT_EQ(file.jobs[1].call, file.jobs[0].call);
  EXPECT_NE(file.jobs[2].call, file.jobs[1].call); // other args
  EXPECT_NE(file.jobs[3].call, file.jobs[2].call); // written otherwise
  EXPECT_NE(file.jobs[4].call, file.jobs[3].call); // another function
  EXPECT_EQ(call_of(file.jobs[2]),
            std::optional<CallFields>(CallFields{"conf/lib/x.so", "f", {"1"}}));
  EXPECT_EQ(call_of(file.jobs[3]), std::optional<CallFields>(CallFields{"conf/lib/x.so", "f", {}}));
  EXPECT_EQ(call_of(file.jobs[4]), std::optional<CallFields>(CallFields{"conf/lib/x.so", "g", {}}));
  const std::vector<std::string> cwds = {file.jobs[0].cwd, file.jobs[1].cwd, file.jobs[2].cwd,
                                         file.jobs[3].cwd, file.jobs[4].cwd};
  EXPECT_EQ(cwds, (std::vector<std::string>{"conf", "conf/sub", "conf", "conf", "conf/sub"}));
  EXPECT_EQ(&file.jobs[3].cwd.str(), &file.jobs[2].cwd.str()); // one copy for jobs in a row
}

TEST(ParseJobfile, CommandJobsHaveNoCall)
{
  const JobFile file = parse_jobfile("[[job]]\ncmd = \"x\"\n[[job]]\nargv = [\"y\"]\n", "ci.toml");
  ASSERT_EQ(file.jobs.size(), 2u);
  EXPECT_EQ(std::make_tuple(call_of(file.jobs[0]), call_of(file.jobs[1])),
            std::make_tuple(std::optional<CallFields>(), std::optional<CallFields>()));
}

TEST(ParseJobfile, ResolvesCallLibraryAgainstJobFileFolder)
{
  const std::vector<std::pair<std::string, std::string>> libraries_and_paths = {
    {"build/../lib/./libseed.so", "conf/lib/libseed.so"},
    // Alone, "libseed.so" would send dlopen to the system's library folders.
    {"../libseed.so", "./libseed.so"},
    {"libseed.so", "conf/libseed.so"},
    {"a:b.so", "conf/a:b.so"},
  };
  std::vector<std::string> resolved;
  std::vector<std::string> expected;
  for (const auto& [library, path] : libraries_and_paths) {
    const JobFile file =
      parse_jobfile("[[job]]\ncall = \"" + library + ":worker\"\n", "conf/ci.toml");
    resolved.push_back(file.jobs.at(0).call->library);
    expected.push_back(path);
  }
  EXPECT_EQ(resolved, expected);
}

TEST(ParseJobfile, KeepsAbsoluteCallLibraryAsWritten)
{
  const JobFile file =
    parse_jobfile("[[job]]\ncall = \"/opt/../lib/libseed.so:worker\"\n", "conf/ci.toml");
  ASSERT_EQ(file.jobs.size(), 1u);
  EXPECT_EQ(file.jobs[0].call->library, "/opt/../lib/libseed.so");
}

TEST(ParseJobfile, CallJobsTakeCwdEnvAndDurations)
{
  const JobFile file = parse_jobfile(R"([defaults]
grace = "2s"
env = { LC_ALL = "C" }

[[job]]
name = "a"
call = "lib/x.so:f"
cwd = "work"
env = { SEED = "0" }
timeout = "30s"
)",
                                     "conf/ci.toml");
  ASSERT_EQ(file.jobs.size(), 1u);
  EXPECT_EQ(std::make_tuple(fields(file.jobs[0]), call_of(file.jobs[0])),
            std::make_tuple(fields(JobSpec{.name = "a",
                                           .cmd = "",
                                           .argv = {},
                                           .call = nullptr,
                                           .cwd = "conf/work",
                                           .env = {{"LC_ALL", "C"}, {"SEED", "0"}},
                                           .timeout = seconds(30),
                                           .grace = seconds(2),
                                           .lifecycle = nullptr,
                                           .group = nullptr}),
                            std::optional<CallFields>(CallFields{"conf/lib/x.so", "f", {}})));
}

TEST(ParseJobfile, KeepsPathAsGiven)
{
  EXPECT_EQ(parse_jobfile("[[job]]\ncmd = \"x\"\n", "../conf/ci.toml").path, "../conf/ci.toml");
}

TEST(ParseJobfile, NamesUnnamedJobsByPosition)
{
  const JobFile file = parse_jobfile(
    "[[job]]\ncmd = \"a\"\n[[job]]\nname = \"b\"\ncmd = \"b\"\n[[job]]\ncmd = \"c\"\n", "ci.toml");
  EXPECT_EQ(names_of(file), (std::vector<std::string>{"job-1", "b", "job-3"}));
}

TEST(ParseJobfile, AcceptsEveryNameCharacter)
{
  const std::string name = "Az09_.-:+@" + std::string(118, 'x');
  const JobFile file = parse_jobfile("[[job]]\nname = \"" + name + "\"\ncmd = \"x\"\n", "ci.toml");
  EXPECT_EQ(names_of(file), std::vector<std::string>{name});
}

TEST(ParseJobfile, JobsInheritDefaults)
{
  const JobFile file = parse_jobfile(R"([defaults]
timeout = "10m"
grace = "2s"
env = { LC_ALL = "C" }
cwd = "work"

[[job]]
name = "a"
cmd = "x"
)",
                                     "ci.toml");
  ASSERT_EQ(file.jobs.size(), 1u);
  EXPECT_EQ(fields(file.jobs[0]), fields(JobSpec{.name = "a",
                                                 .cmd = "x",
                                                 .argv = {},
                                                 .call = nullptr,
                                                 .cwd = "work",
                                                 .env = {{"LC_ALL", "C"}},
                                                 .timeout = minutes(10),
                                                 .grace = seconds(2),
                                                 .lifecycle = nullptr,
                                                 .group = nullptr}));
}

TEST(ParseJobfile, JobValuesOverrideDefaultsAndEnvAppends)
{
  const JobFile file = parse_jobfile(R"([defaults]
timeout = "10m"
grace = "2s"
env = { LC_ALL = "C", MODE = "default" }
cwd = "work"

[[job]]
name = "a"
cmd = "x"
timeout = "30s"
grace = "1s"
cwd = "other"
env = { MODE = "job", SEED = "0" }
)",
                                     "ci.toml");
  ASSERT_EQ(file.jobs.size(), 1u);
  EXPECT_EQ(
    fields(file.jobs[0]),
    fields(JobSpec{.name = "a",
                   .cmd = "x",
                   .argv = {},
                   .call = nullptr,
                   .cwd = "other",
                   .env = {{"LC_ALL", "C"}, {"MODE", "default"}, {"MODE", "job"}, {"SEED", "0"}},
                   .timeout = seconds(30),
                   .grace = seconds(1),
                   .lifecycle = nullptr,
                   .group = nullptr}));
}

TEST(ParseJobfile, JobsWithoutAnEnvOfTheirOwnShareTheDefaultOne)
{
  const JobFile file = parse_jobfile("[defaults]\nenv = { A = \"1\" }\n"
                                     "[[job]]\ncmd = \"x\"\n"
                                     "[[job]]\ncmd = \"x\"\nenv = { B = \"2\" }\n"
                                     "[[job]]\ncmd = \"x\"\n",
                                     "ci.toml");
  ASSERT_EQ(file.jobs.size(), 3u);
  EXPECT_EQ(&file.jobs[2].env.list(), &file.jobs[0].env.list());
  EXPECT_EQ(file.jobs[0].env, (JobEnvironment{{"A", "1"}}));
  EXPECT_EQ(file.jobs[1].env, (JobEnvironment{{"A", "1"}, {"B", "2"}}));
}

TEST(ParseJobfile, DefaultsApplyWhereverTheyAreWritten)
{
  const JobFile file =
    parse_jobfile("[[job]]\ncmd = \"x\"\n\n[defaults]\ntimeout = \"1m\"\n", "ci.toml");
  ASSERT_EQ(file.jobs.size(), 1u);
  EXPECT_EQ(file.jobs[0].timeout, minutes(1));
}

TEST(ParseJobfile, LeavesDurationsUnsetWithoutAValue)
{
  const JobFile file = parse_jobfile("[[job]]\ncmd = \"x\"\n", "ci.toml");
  ASSERT_EQ(file.jobs.size(), 1u);
  EXPECT_EQ(std::tie(file.jobs[0].timeout, file.jobs[0].grace),
            std::make_tuple(std::optional<Duration>(), std::optional<Duration>()));
}

TEST(ParseJobfile, AcceptsNumbersOfSecondsForDurations)
{
  const JobFile file = parse_jobfile(
    "[defaults]\ngrace = 0.25\n[[job]]\ncmd = \"x\"\ntimeout = 90\n[[job]]\ncmd = \"y\"\n"
    "timeout = 2.5\ngrace = 1_000\n",
    "ci.toml");
  ASSERT_EQ(file.jobs.size(), 2u);
  EXPECT_EQ(std::make_tuple(file.jobs[0].timeout, file.jobs[0].grace, file.jobs[1].timeout,
                            file.jobs[1].grace),
            std::make_tuple(
              std::optional<Duration>(seconds(90)), std::optional<Duration>(milliseconds(250)),
              std::optional<Duration>(milliseconds(2500)), std::optional<Duration>(seconds(1000))));
}

TEST(ParseJobfile, ZeroTimeoutIsKeptAsNoTimeout)
{
  const JobFile file =
    parse_jobfile("[defaults]\ntimeout = \"1m\"\n[[job]]\ncmd = \"x\"\ntimeout = 0\n", "ci.toml");
  ASSERT_EQ(file.jobs.size(), 1u);
  EXPECT_EQ(file.jobs[0].timeout, milliseconds(0));
}

TEST(ParseJobfile, ResolvesRelativeCwdAgainstJobFileFolder)
{
  const JobFile file =
    parse_jobfile("[[job]]\ncmd = \"x\"\ncwd = \"build/../out/./bin\"\n", "conf/ci.toml");
  ASSERT_EQ(file.jobs.size(), 1u);
  EXPECT_EQ(file.jobs[0].cwd, "conf/out/bin");
}

TEST(ParseJobfile, CwdDefaultsToJobFileFolder)
{
  const std::vector<std::string> paths = {"ci.toml", "conf/ci.toml", "/etc/fanout/ci.toml",
                                          "/ci.toml", ""};
  std::vector<std::string> cwds;
  for (const std::string& path : paths) {
    cwds.push_back(parse_jobfile("[[job]]\ncmd = \"x\"\n", path).jobs.at(0).cwd);
  }
  EXPECT_EQ(cwds, (std::vector<std::string>{".", "conf", "/etc/fanout", "/", "."}));
}

TEST(ResolvePath, TidiesAgainstARelativeFolderAndKeepsASlashInALibrary)
{
  EXPECT_EQ(std::make_tuple(resolve_path("sub/.", "conf"), resolve_path("..", "conf"),
                            resolve_library("../libseed.so", "conf"),
                            resolve_library("lib/x.so", "")),
            // Alone, "libseed.so" would send dlopen to the system's library folders.
            std::make_tuple("conf/sub", ".", "./libseed.so", "lib/x.so"));
}

// A job file read from a pipe or /dev/stdin has no folder of its own.
TEST(ParseJobfile, CurrentFolderBaseLeavesTheJobFilesFolderOut)
{
  const JobFile file = parse_jobfile("[[job]]\ncmd = \"x\"\n"
                                     "[[job]]\ncall = \"lib/x.so:f\"\ncwd = \"sub\"\n",
                                     "/dev/fd/63", PathBase::current_folder);
  ASSERT_EQ(file.jobs.size(), 2u);
  EXPECT_EQ(
    std::make_tuple(file.jobs[0].cwd.str(), file.jobs[1].cwd.str(), file.jobs[1].call->library),
    std::make_tuple(".", "sub", "lib/x.so"));
}

TEST(ParseJobfile, RelativeDefaultsCwdIsAlsoResolvedAgainstJobFileFolder)
{
  const JobFile file =
    parse_jobfile("[defaults]\ncwd = \"..\"\n[[job]]\ncmd = \"x\"\n", "a/b/ci.toml");
  ASSERT_EQ(file.jobs.size(), 1u);
  EXPECT_EQ(file.jobs[0].cwd, "a");
}

TEST(ParseJobfile, KeepsAbsoluteCwdAsWritten)
{
  const JobFile file =
    parse_jobfile("[[job]]\ncmd = \"x\"\ncwd = \"/srv/../data/\"\n", "conf/ci.toml");
  ASSERT_EQ(file.jobs.size(), 1u);
  EXPECT_EQ(file.jobs[0].cwd, "/srv/../data/");
}

TEST(ParseJobfile, AcceptsInlineTableJobs)
{
  const JobFile file =
    parse_jobfile("job = [{ name = \"a\", cmd = \"x\" }, { argv = [\"y\"] }]\n", "ci.toml");
  EXPECT_EQ(names_of(file), (std::vector<std::string>{"a", "job-2"}));
}

TEST(ParseJobfile, AcceptsCrlfLineEndings)
{
  const JobFile file = parse_jobfile("[[job]]\r\nname = \"a\"\r\ncmd = \"x\"\r\n", "ci.toml");
  EXPECT_EQ(names_of(file), std::vector<std::string>{"a"});
}

TEST(JobFile, FindsJobByName)
{
  const JobFile file = parse_jobfile(
    "[[job]]\nname = \"a\"\ncmd = \"x\"\n[[job]]\nname = \"b\"\ncmd = \"y\"\n", "ci.toml");
  EXPECT_EQ(
    std::make_tuple(file.find("a"), file.find("b"), file.find("c")),
    std::make_tuple(std::optional<JobId>(0), std::optional<JobId>(1), std::optional<JobId>()));
}

TEST(JobfileErrors, PointsAtTheValueWithLineAndCaret)
{
  EXPECT_EQ(
    error_for("[[job]]\nname = \"unit\"\ncmd = \"pytest\"\ntimeout = \"5 minutes\"\n"),
    "ci.toml:4:11: error: job \"unit\": timeout \"5 minutes\" is not a duration (try \"5m\")\n"
    "    4 | timeout = \"5 minutes\"\n"
    "      |           ^");
}

TEST(JobfileErrors, PrintsPathAsGiven)
{
  EXPECT_EQ(error_for("jobs = 1\n", "../conf/my ci.toml"),
            "../conf/my ci.toml:1:1: error: unknown key \"jobs\" (did you mean \"job\"?)\n"
            "    1 | jobs = 1\n"
            "      | ^");
}

TEST(JobfileErrors, KeepsTabsBeforeTheCaret)
{
  EXPECT_EQ(error_for("[[job]]\ncmd = \"x\"\n\ttimeout =\t\"soon\"\n"),
            "ci.toml:3:12: error: job \"job-1\": timeout \"soon\" is not a duration\n"
            "    3 | \ttimeout =\t\"soon\"\n"
            "      | \t         \t^");
}

TEST(JobfileErrors, CountsColumnsInCharactersNotBytes)
{
  EXPECT_EQ(error_for("job = [{ cmd = \"h\xC3\xA9llo\", timeout = \"soon\" }]\n"),
            "ci.toml:1:35: error: job \"job-1\": timeout \"soon\" is not a duration\n"
            "    1 | job = [{ cmd = \"h\xC3\xA9llo\", timeout = \"soon\" }]\n"
            "      |                                   ^");
}

// Found by the fuzzer: toml++ 3.3.0 reaches __builtin_unreachable() while
// asking whether 'é' is whitespace (docs/decisions.md, "toml++ 3.3.0"). The
// compiled parser must still give the error it should.
TEST(JobfileErrors, LatinLetterAfterASignIsAnUnknownValue)
{
  EXPECT_EQ(error_for("[[job]]\nname = +caf\xC3\xA9\"\n"),
            "ci.toml:2:8: error: Error while parsing value: could not determine value type\n"
            "    2 | name = +caf\xC3\xA9\"\n"
            "      |        ^");
}

// Found by the fuzzer: toml++ 3.3.0 asserts that a table header's key starts
// with a key character (src/jobfile/toml.hpp turns its asserts off, as Debian's
// build of the library has them).
TEST(JobfileErrors, TableHeaderStartingWithASemicolon)
{
  EXPECT_EQ(error_for("[[ ;b]]\nna = em e=\"x\"\ncmd = \"b\"\n"),
            "ci.toml:1:4: error: Error while parsing key: expected bare key starting character or "
            "string delimiter, saw ';'\n"
            "    1 | [[ ;b]]\n"
            "      |    ^");
}

TEST(JobfileErrors, ReplacesControlBytesInTheSourceLine)
{
  EXPECT_EQ(error_for("[[job]]\ncmd = \"a\x01\x7f\"\n"),
            "ci.toml:2:9: error: Error while parsing string: unescaped control characters other "
            "than TAB (U+0009) are explicitly prohibited\n"
            "    2 | cmd = \"a??\"\n"
            "      |         ^");
}

TEST(JobfileErrors, ReplacesControlBytesInTomlDescriptions)
{
  EXPECT_EQ(error_for("[[job]]\ncmd = \"x\"\ngrace = in\x01\n"),
            "ci.toml:3:11: error: Error while parsing floating-point: expected 'inf', saw 'in?'\n"
            "    3 | grace = in?\n"
            "      |           ^");
}

TEST(JobfileErrors, SkipsTheSourceLineWhenLongerThan200Bytes)
{
  const std::string padding(180, ' ');
  EXPECT_EQ(error_for("[[job]]\ncmd = \"x\"\ntimeout = \"soon\"" + padding + "# comment\n"),
            "ci.toml:3:11: error: job \"job-1\": timeout \"soon\" is not a duration");
}

TEST(JobfileErrors, ShowsTheSourceLineUpTo200Bytes)
{
  const std::string padding(175, ' ');
  EXPECT_EQ(error_for("[[job]]\ncmd = \"x\"\ntimeout = \"soon\"" + padding + "# comment\n"),
            "ci.toml:3:11: error: job \"job-1\": timeout \"soon\" is not a duration\n"
            "    3 | timeout = \"soon\"" +
              padding +
              "# comment\n"
              "      |           ^");
}

TEST(JobfileErrors, SkipsTheSourceLineWhenItIsEmpty)
{
  EXPECT_EQ(error_for("[[job]]\ncmd = [\"x\",\n\n"),
            "ci.toml:3:2: error: Error while parsing array: encountered end-of-file");
}

TEST(JobfileErrors, LeavesLineEndingAndByteOrderMarkOutOfTheSourceLine)
{
  EXPECT_EQ(error_for("\xEF\xBB\xBFjobs = 1\r\n"),
            "ci.toml:1:1: error: unknown key \"jobs\" (did you mean \"job\"?)\n"
            "    1 | jobs = 1\n"
            "      | ^");
}

TEST(JobfileErrors, WidensTheGutterPastFiveDigitLineNumbers)
{
  EXPECT_EQ(error_for(std::string(123'455, '\n') + "jobs = 1\n"),
            "ci.toml:123456:1: error: unknown key \"jobs\" (did you mean \"job\"?)\n"
            "123456 | jobs = 1\n"
            "       | ^");
}

TEST(JobfileErrors, EscapesAndShortensValuesInMessages)
{
  const std::string long_value(200, 'x');
  EXPECT_EQ(error_for("[[job]]\ncmd = \"x\"\ntimeout = \"\\t\\\"" + long_value + "\"\n"),
            "ci.toml:3:11: error: job \"job-1\": timeout \"\\t\\\"" + std::string(126, 'x') +
              "...\" is not a duration");
}

TEST(JobfileErrors, ReportsTomlSyntaxAtTomlsPosition)
{
  EXPECT_EQ(error_for("[[job]]\ncmd = \"x\" y\n"),
            "ci.toml:2:11: error: Error while parsing key-value pair: expected a comment or "
            "whitespace, saw 'y'\n"
            "    2 | cmd = \"x\" y\n"
            "      |           ^");
}

TEST(JobfileErrors, ReportsRedefinitionAsSyntax)
{
  EXPECT_EQ(error_for("[[job]]\nname = \"a\"\nname = \"b\"\n"),
            "ci.toml:3:8: error: Error while parsing key-value pair: cannot redefine existing "
            "string 'name'\n"
            "    3 | name = \"b\"\n"
            "      |        ^");
}

TEST(JobfileErrors, NoJobsInEmptyFile)
{
  EXPECT_EQ(error_for(""), "ci.toml:1:1: error: no jobs: add a [[job]] table");
}

TEST(JobfileErrors, NoJobsWithOnlyDefaults)
{
  EXPECT_EQ(error_for("[defaults]\ntimeout = \"1m\"\n"),
            "ci.toml:1:1: error: no jobs: add a [[job]] table\n"
            "    1 | [defaults]\n"
            "      | ^");
}

TEST(JobfileErrors, NoJobsInEmptyJobArrayPointsAtIt)
{
  EXPECT_EQ(error_for("# CI\njob = []\n"), "ci.toml:2:7: error: no jobs: add a [[job]] table\n"
                                           "    2 | job = []\n"
                                           "      |       ^");
}

TEST(JobfileErrors, UnknownTopLevelKeyWithoutSuggestion)
{
  EXPECT_EQ(error_for("[settings]\n[[job]]\ncmd = \"x\"\n"),
            "ci.toml:1:2: error: unknown key \"settings\"\n"
            "    1 | [settings]\n"
            "      |  ^");
}

TEST(JobfileErrors, JobMustBeArrayOfTables)
{
  EXPECT_EQ(error_for("[job]\ncmd = \"x\"\n"),
            "ci.toml:1:1: error: \"job\" must be an array of tables: write [[job]]\n"
            "    1 | [job]\n"
            "      | ^");
}

TEST(JobfileErrors, JobArrayElementMustBeTable)
{
  EXPECT_EQ(error_for("job = [{ cmd = \"x\" }, \"y\"]\n"),
            "ci.toml:1:23: error: \"job\" must be an array of tables: write [[job]]\n"
            "    1 | job = [{ cmd = \"x\" }, \"y\"]\n"
            "      |                       ^");
}

TEST(JobfileErrors, DefaultsMustBeTable)
{
  EXPECT_EQ(error_for("defaults = \"fast\"\n[[job]]\ncmd = \"x\"\n"),
            "ci.toml:1:12: error: \"defaults\" must be a table: write [defaults]\n"
            "    1 | defaults = \"fast\"\n"
            "      |            ^");
}

TEST(JobfileErrors, UnknownJobKeySuggestsClosest)
{
  EXPECT_EQ(error_for("[[job]]\nname = \"x\"\ncmd = \"y\"\ntimout = \"1s\"\n"),
            "ci.toml:4:1: error: job \"x\": unknown key \"timout\" (did you mean \"timeout\"?)\n"
            "    4 | timout = \"1s\"\n"
            "      | ^");
}

TEST(JobfileErrors, SuggestionCountsSwappedLettersAsOneEdit)
{
  EXPECT_EQ(
    error_for("[[job]]\ncmd = \"y\"\ntiemuot = \"1s\"\n"),
    "ci.toml:3:1: error: job \"job-1\": unknown key \"tiemuot\" (did you mean \"timeout\"?)\n"
    "    3 | tiemuot = \"1s\"\n"
    "      | ^");
}

TEST(JobfileErrors, SuggestionNeedsFewerEditsThanTheKeyHasLetters)
{
  EXPECT_EQ(error_for("[[job]]\ncmd = \"y\"\nab = 1\n"),
            "ci.toml:3:1: error: job \"job-1\": unknown key \"ab\"\n"
            "    3 | ab = 1\n"
            "      | ^");
}

TEST(JobfileErrors, SuggestionMayBeALifecycleKey)
{
  EXPECT_EQ(
    error_for("[[job]]\ncmd = \"y\"\nretrys = 2\n"),
    "ci.toml:3:1: error: job \"job-1\": unknown key \"retrys\" (did you mean \"retries\"?)\n"
    "    3 | retrys = 2\n"
    "      | ^");
}

TEST(JobfileErrors, UnknownSubTableIsAnUnknownKey)
{
  EXPECT_EQ(error_for("[[job]]\ncmd = \"y\"\n[job.extras]\nA = \"1\"\n"),
            "ci.toml:3:6: error: job \"job-1\": unknown key \"extras\"\n"
            "    3 | [job.extras]\n"
            "      |      ^");
}

// Keys of docker compose, GitHub Actions and GitLab CI, too far from the
// fanout key for a spelling mistake.
TEST(JobfileErrors, KeysOfOtherToolsSuggestTheFanoutKey)
{
  const std::vector<std::pair<std::string, std::string>> keys_and_meant = {
    {"command", "cmd"},
    {"commands", "cmd"},
    {"run", "cmd"},
    {"script", "cmd"},
    {"depends_on", "needs"},
    {"depends", "needs"},
    {"dependencies", "needs"},
    {"workdir", "cwd"},
    {"working_dir", "cwd"},
    {"working-directory", "cwd"},
    {"dir", "cwd"},
    {"environment", "env"},
    {"variables", "env"},
    {"retry", "retries"},
    {"Command", "cmd"},
    {"WorkDir", "cwd"}};
  std::vector<std::string> messages;
  std::vector<std::string> expected;
  for (const auto& [key, meant] : keys_and_meant) {
    messages.push_back(error_for("[[job]]\nname = \"up\"\n" + key + " = 1\n"));
    expected.push_back("ci.toml:3:1: error: job \"up\": unknown key \"" + key +
                       "\" (did you mean \"" + meant + "\"?)\n    3 | " + key + " = 1\n      | ^");
  }
  EXPECT_EQ(messages, expected);
}

TEST(JobfileErrors, DockerComposeCommandSuggestsCmd)
{
  EXPECT_EQ(error_for("[[job]]\nname = \"web\"\ncommand = \"serve\"\n"),
            "ci.toml:3:1: error: job \"web\": unknown key \"command\" (did you mean \"cmd\"?)\n"
            "    3 | command = \"serve\"\n"
            "      | ^");
}

// Only what the table allows is suggested: [defaults] sets no command, and
// "shell" may name a shell rather than a command.
TEST(JobfileErrors, KeysOfOtherToolsSuggestOnlyKeysOfTheTable)
{
  EXPECT_EQ(std::make_tuple(error_for("[defaults]\nworkdir = \"w\"\n[[job]]\ncmd = \"x\"\n"),
                            error_for("[defaults]\ncommand = \"x\"\n[[job]]\ncmd = \"x\"\n"),
                            error_for("[[job]]\nshell = \"bash\"\n")),
            std::make_tuple("ci.toml:2:1: error: defaults: unknown key \"workdir\" (did you mean "
                            "\"cwd\"?)\n    2 | workdir = \"w\"\n      | ^",
                            "ci.toml:2:1: error: defaults: unknown key \"command\"\n"
                            "    2 | command = \"x\"\n      | ^",
                            "ci.toml:2:1: error: job \"job-1\": unknown key \"shell\"\n"
                            "    2 | shell = \"bash\"\n      | ^"));
}

TEST(JobfileErrors, DefaultsRefuseLifecycleKeys)
{
  const std::vector<std::string> keys = {"daemon",  "ready",       "needs",
                                         "retries", "retry_delay", "allow_failure"};
  std::vector<std::string> messages;
  std::vector<std::string> expected;
  for (const std::string& key : keys) {
    messages.push_back(error_for("[defaults]\n" + key + " = 1\n[[job]]\ncmd = \"y\"\n"));
    expected.push_back("ci.toml:2:1: error: defaults: unknown key \"" + key + "\"\n    2 | " + key +
                       " = 1\n      | ^");
  }
  EXPECT_EQ(messages, expected);
}

TEST(JobfileErrors, UnknownDefaultsKey)
{
  EXPECT_EQ(error_for("[defaults]\ntimeot = \"1s\"\n[[job]]\ncmd = \"x\"\n"),
            "ci.toml:2:1: error: defaults: unknown key \"timeot\" (did you mean \"timeout\"?)\n"
            "    2 | timeot = \"1s\"\n"
            "      | ^");
}

TEST(JobfileErrors, DefaultsHaveNoJobOnlyKeys)
{
  EXPECT_EQ(error_for("[defaults]\ncmd = \"x\"\n[[job]]\ncmd = \"x\"\n"),
            "ci.toml:2:1: error: defaults: unknown key \"cmd\" (did you mean \"cwd\"?)\n"
            "    2 | cmd = \"x\"\n"
            "      | ^");
}

TEST(JobfileErrors, ReportsTheFirstProblemInReadingOrder)
{
  EXPECT_EQ(error_for("[[job]]\nzzz = 1\ncmd = 2\naaa = 3\n"),
            "ci.toml:2:1: error: job \"job-1\": unknown key \"zzz\"\n"
            "    2 | zzz = 1\n"
            "      | ^");
}

TEST(JobfileErrors, NamesEveryTomlTypeInTypeErrors)
{
  const std::vector<std::pair<std::string, std::string>> values_and_types = {
    {"3", "an integer"},      {"1.5", "a float"},
    {"true", "a boolean"},    {"[\"a\"]", "an array"},
    {"{ a = 1 }", "a table"}, {"1979-05-27", "a date"},
    {"07:32:00", "a time"},   {"1979-05-27T07:32:00Z", "a date-time"}};
  std::vector<std::string> messages;
  std::vector<std::string> expected;
  for (const auto& [value, type] : values_and_types) {
    messages.push_back(error_for("[[job]]\ncmd = " + value + "\n"));
    expected.push_back("ci.toml:2:7: error: job \"job-1\": cmd must be a string, not " + type +
                       "\n    2 | cmd = " + value + "\n      |       ^");
  }
  EXPECT_EQ(messages, expected);
}

TEST(JobfileErrors, ArgvMustBeArray)
{
  EXPECT_EQ(error_for("[[job]]\nargv = \"ls -l\"\n"),
            "ci.toml:2:8: error: job \"job-1\": argv must be an array of strings, not a string\n"
            "    2 | argv = \"ls -l\"\n"
            "      |        ^");
}

TEST(JobfileErrors, ArgvElementMustBeStringAndIsPointedAt)
{
  EXPECT_EQ(error_for("[[job]]\nargv = [\"ls\", \"-l\", 2]\n"),
            "ci.toml:2:21: error: job \"job-1\": argv[2] must be a string, not an integer\n"
            "    2 | argv = [\"ls\", \"-l\", 2]\n"
            "      |                     ^");
}

TEST(JobfileErrors, EnvMustBeTable)
{
  EXPECT_EQ(error_for("[[job]]\ncmd = \"x\"\nenv = \"A=1\"\n"),
            "ci.toml:3:7: error: job \"job-1\": env must be a table, not a string\n"
            "    3 | env = \"A=1\"\n"
            "      |       ^");
}

TEST(JobfileErrors, EnvValueMustBeString)
{
  EXPECT_EQ(error_for("[[job]]\ncmd = \"x\"\nenv = { FOO = 1 }\n"),
            "ci.toml:3:15: error: job \"job-1\": env.FOO must be a string, not an integer\n"
            "    3 | env = { FOO = 1 }\n"
            "      |               ^");
}

TEST(JobfileErrors, QuotesEnvKeysThatAreNotBare)
{
  EXPECT_EQ(error_for("[[job]]\ncmd = \"x\"\nenv = { \"A B\" = true }\n"),
            "ci.toml:3:17: error: job \"job-1\": env.\"A B\" must be a string, not a boolean\n"
            "    3 | env = { \"A B\" = true }\n"
            "      |                 ^");
}

TEST(JobfileErrors, DurationOfWrongType)
{
  EXPECT_EQ(error_for("[[job]]\ncmd = \"x\"\ntimeout = true\n"),
            "ci.toml:3:11: error: job \"job-1\": timeout must be a duration like \"30s\" or a "
            "number of seconds, not a boolean\n"
            "    3 | timeout = true\n"
            "      |           ^");
}

TEST(JobfileErrors, DuplicateExplicitName)
{
  EXPECT_EQ(error_for("[[job]]\nname = \"x\"\ncmd = \"a\"\n[[job]]\nname = \"x\"\ncmd = \"b\"\n"),
            "ci.toml:5:8: error: job \"x\": duplicate name (first used at line 2)\n"
            "    5 | name = \"x\"\n"
            "      |        ^");
}

TEST(JobfileErrors, DefaultNameClashesWithEarlierExplicitName)
{
  EXPECT_EQ(error_for("[[job]]\nname = \"job-2\"\ncmd = \"a\"\n\n[[job]]\ncmd = \"b\"\n"),
            "ci.toml:5:1: error: job \"job-2\": duplicate name (first used at line 2)\n"
            "    5 | [[job]]\n"
            "      | ^");
}

TEST(JobfileErrors, ExplicitNameClashesWithEarlierDefaultName)
{
  EXPECT_EQ(error_for("[[job]]\ncmd = \"a\"\n[[job]]\nname = \"job-1\"\ncmd = \"b\"\n"),
            "ci.toml:4:8: error: job \"job-1\": duplicate name (first used at line 1)\n"
            "    4 | name = \"job-1\"\n"
            "      |        ^");
}

TEST(JobfileErrors, BadNameUsesTheJobNumber)
{
  EXPECT_EQ(error_for("[[job]]\ncmd = \"a\"\n[[job]]\ncmd = \"b\"\n[[job]]\nname = \"a b\"\n"),
            "ci.toml:6:8: error: job 3: name \"a b\" is not valid: use 1 to 128 letters, digits "
            "and _ . - : + @\n"
            "    6 | name = \"a b\"\n"
            "      |        ^");
}

TEST(JobfileErrors, RefusesEmptyAndOverlongNames)
{
  const std::string long_name(129, 'n');
  const std::vector<std::string> messages = {
    error_for("[[job]]\nname = \"\"\n"),
    error_for("[[job]]\nname = \"" + long_name + "\"\n"),
    error_for("[[job]]\nname = \"caf\xC3\xA9\"\n"),
  };
  EXPECT_EQ(messages,
            (std::vector<std::string>{
              "ci.toml:2:8: error: job 1: name \"\" is not valid: use 1 to 128 letters, digits and "
              "_ . - : + @\n    2 | name = \"\"\n      |        ^",
              "ci.toml:2:8: error: job 1: name \"" + std::string(128, 'n') +
                "...\" is not valid: use 1 to 128 letters, digits and _ . - : + @\n    2 | name = "
                "\"" +
                long_name + "\"\n      |        ^",
              "ci.toml:2:8: error: job 1: name \"caf\xC3\xA9\" is not valid: use 1 to 128 letters, "
              "digits and _ . - : + @\n    2 | name = \"caf\xC3\xA9\"\n      |        ^"}));
}

TEST(JobfileErrors, NameMustBeString)
{
  EXPECT_EQ(error_for("[[job]]\nname = 7\ncmd = \"x\"\n"),
            "ci.toml:2:8: error: job 1: name must be a string, not an integer\n"
            "    2 | name = 7\n"
            "      |        ^");
}

TEST(JobfileErrors, NoCommandPointsAtTheJob)
{
  EXPECT_EQ(error_for("[[job]]\nname = \"x\"\ntimeout = \"1s\"\n"),
            "ci.toml:1:1: error: job \"x\": no command: set cmd, argv or call\n"
            "    1 | [[job]]\n"
            "      | ^");
}

TEST(JobfileErrors, TwoCommandsPointsAtTheSecond)
{
  const std::vector<std::string> messages = {
    error_for("[[job]]\ncmd = \"ls\"\nargv = [\"ls\"]\n"),
    error_for("[[job]]\nargv = [\"ls\"]\ncmd = \"ls\"\n"),
  };
  EXPECT_EQ(messages, (std::vector<std::string>{
                        "ci.toml:3:1: error: job \"job-1\": cmd and argv are both set; keep one\n"
                        "    3 | argv = [\"ls\"]\n"
                        "      | ^",
                        "ci.toml:3:1: error: job \"job-1\": cmd and argv are both set; keep one\n"
                        "    3 | cmd = \"ls\"\n"
                        "      | ^"}));
}

TEST(JobfileErrors, CallAndACommandPointsAtTheSecond)
{
  const std::vector<std::string> messages = {
    error_for("[[job]]\ncmd = \"ls\"\ncall = \"x.so:f\"\n"),
    error_for("[[job]]\ncall = \"x.so:f\"\nargv = [\"ls\"]\n"),
  };
  EXPECT_EQ(messages, (std::vector<std::string>{
                        "ci.toml:3:1: error: job \"job-1\": cmd and call are both set; keep one\n"
                        "    3 | call = \"x.so:f\"\n"
                        "      | ^",
                        "ci.toml:3:1: error: job \"job-1\": argv and call are both set; keep "
                        "one\n"
                        "    3 | argv = [\"ls\"]\n"
                        "      | ^"}));
}

TEST(JobfileErrors, CallMustBeLibraryColonSymbol)
{
  const std::vector<std::string> targets = {"libseed.so", "libseed.so:", ":worker", ":"};
  std::vector<std::string> messages;
  std::vector<std::string> expected;
  for (const std::string& target : targets) {
    messages.push_back(error_for("[[job]]\ncall = \"" + target + "\"\n"));
    expected.push_back("ci.toml:2:8: error: job \"job-1\": call \"" + target +
                       "\" is not \"path/to/library.so:symbol\"\n    2 | call = \"" + target +
                       "\"\n      |        ^");
  }
  EXPECT_EQ(messages, expected);
}

TEST(JobfileErrors, CallSymbolMustBeACIdentifier)
{
  const std::vector<std::string> symbols = {"my-worker", "9lives", "run ", "caf\xC3\xA9"};
  std::vector<std::string> messages;
  std::vector<std::string> expected;
  for (const std::string& symbol : symbols) {
    messages.push_back(error_for("[[job]]\ncall = \"lib/x.so:" + symbol + "\"\n"));
  }
  EXPECT_EQ(messages,
            (std::vector<std::string>{
              "ci.toml:2:8: error: job \"job-1\": call \"lib/x.so:my-worker\": symbol "
              "\"my-worker\" is not a C identifier\n"
              "    2 | call = \"lib/x.so:my-worker\"\n"
              "      |        ^",
              "ci.toml:2:8: error: job \"job-1\": call \"lib/x.so:9lives\": symbol \"9lives\" "
              "is not a C identifier\n"
              "    2 | call = \"lib/x.so:9lives\"\n"
              "      |        ^",
              "ci.toml:2:8: error: job \"job-1\": call \"lib/x.so:run \": symbol \"run \" is "
              "not a C identifier\n"
              "    2 | call = \"lib/x.so:run \"\n"
              "      |        ^",
              "ci.toml:2:8: error: job \"job-1\": call \"lib/x.so:caf\xC3\xA9\": symbol "
              "\"caf\xC3\xA9\" is not a C identifier\n"
              "    2 | call = \"lib/x.so:caf\xC3\xA9\"\n"
              "      |        ^"}));
}

TEST(JobfileErrors, CallAndArgsOfTheWrongType)
{
  const std::vector<std::string> messages = {
    error_for("[[job]]\ncall = [\"x.so\", \"f\"]\n"),
    error_for("[[job]]\ncall = \"x.so:f\"\nargs = \"a b\"\n"),
    error_for("[[job]]\ncall = \"x.so:f\"\nargs = [\"a\", 2]\n"),
  };
  EXPECT_EQ(messages,
            (std::vector<std::string>{
              "ci.toml:2:8: error: job \"job-1\": call must be a string, not an array\n"
              "    2 | call = [\"x.so\", \"f\"]\n"
              "      |        ^",
              "ci.toml:3:8: error: job \"job-1\": args must be an array of strings, not a "
              "string\n"
              "    3 | args = \"a b\"\n"
              "      |        ^",
              "ci.toml:3:14: error: job \"job-1\": args[1] must be a string, not an integer\n"
              "    3 | args = [\"a\", 2]\n"
              "      |              ^"}));
}

TEST(JobfileErrors, RefusesEmptyCallAndNulBytesInCallAndArgs)
{
  const std::vector<std::string> messages = {
    error_for("[[job]]\ncall = \"\"\n"),
    error_for("[[job]]\ncall = \"x.so\\u0000:f\"\n"),
    error_for("[[job]]\ncall = \"x.so:f\"\nargs = [\"\", \"\\u0000\"]\n"),
  };
  EXPECT_EQ(messages, (std::vector<std::string>{
                        "ci.toml:2:8: error: job \"job-1\": call is empty\n"
                        "    2 | call = \"\"\n"
                        "      |        ^",
                        "ci.toml:2:8: error: job \"job-1\": call contains a NUL byte\n"
                        "    2 | call = \"x.so\\u0000:f\"\n"
                        "      |        ^",
                        "ci.toml:3:13: error: job \"job-1\": args[1] contains a NUL byte\n"
                        "    3 | args = [\"\", \"\\u0000\"]\n"
                        "      |             ^"}));
}

TEST(JobfileErrors, ArgsIsOnlyForCallJobs)
{
  const std::vector<std::string> messages = {
    error_for("[[job]]\ncmd = \"ls\"\nargs = [\"-l\"]\n"),
    error_for("[[job]]\nargs = [\"-l\"]\nargv = [\"ls\"]\n"),
    error_for("[[job]]\nname = \"x\"\nargs = []\n"),
  };
  EXPECT_EQ(messages,
            (std::vector<std::string>{
              "ci.toml:3:1: error: job \"job-1\": args is for call jobs; put the arguments in "
              "cmd\n"
              "    3 | args = [\"-l\"]\n"
              "      | ^",
              "ci.toml:2:1: error: job \"job-1\": args is for call jobs; put the arguments in "
              "argv\n"
              "    2 | args = [\"-l\"]\n"
              "      | ^",
              "ci.toml:1:1: error: job \"x\": no command: set cmd, argv or call\n"
              "    1 | [[job]]\n"
              "      | ^"}));
}

TEST(JobfileErrors, SuggestsCallAndArgs)
{
  const std::vector<std::string> messages = {
    error_for("[[job]]\ncal = \"x.so:f\"\n"),
    error_for("[[job]]\ncall = \"x.so:f\"\narsg = []\n"),
    error_for("[defaults]\ncall = \"x.so:f\"\n[[job]]\ncmd = \"x\"\n"),
  };
  EXPECT_EQ(messages,
            (std::vector<std::string>{
              "ci.toml:2:1: error: job \"job-1\": unknown key \"cal\" (did you mean \"call\"?)\n"
              "    2 | cal = \"x.so:f\"\n"
              "      | ^",
              "ci.toml:3:1: error: job \"job-1\": unknown key \"arsg\" (did you mean "
              "\"args\"?)\n"
              "    3 | arsg = []\n"
              "      | ^",
              "ci.toml:2:1: error: defaults: unknown key \"call\"\n"
              "    2 | call = \"x.so:f\"\n"
              "      | ^"}));
}

TEST(JobfileErrors, RefusesEmptyCommandsAndCwd)
{
  const std::vector<std::string> messages = {
    error_for("[[job]]\nargv = []\n"),     error_for("[[job]]\nargv = [\"\", \"x\"]\n"),
    error_for("[[job]]\ncmd = \"\"\n"),    error_for("[[job]]\ncmd = \"x\"\ncwd = \"\"\n"),
    error_for("[defaults]\ncwd = \"\"\n"),
  };
  EXPECT_EQ(messages,
            (std::vector<std::string>{"ci.toml:2:8: error: job \"job-1\": argv is empty\n"
                                      "    2 | argv = []\n"
                                      "      |        ^",
                                      "ci.toml:2:9: error: job \"job-1\": argv[0] is empty\n"
                                      "    2 | argv = [\"\", \"x\"]\n"
                                      "      |         ^",
                                      "ci.toml:2:7: error: job \"job-1\": cmd is empty\n"
                                      "    2 | cmd = \"\"\n"
                                      "      |       ^",
                                      "ci.toml:3:7: error: job \"job-1\": cwd is empty\n"
                                      "    3 | cwd = \"\"\n"
                                      "      |       ^",
                                      "ci.toml:2:7: error: defaults: cwd is empty\n"
                                      "    2 | cwd = \"\"\n"
                                      "      |       ^"}));
}

TEST(JobfileErrors, RefusesNulBytes)
{
  const std::vector<std::string> messages = {
    error_for("[[job]]\ncmd = \"a\\u0000b\"\n"),
    error_for("[[job]]\nargv = [\"a\", \"\\u0000\"]\n"),
    error_for("[[job]]\ncmd = \"x\"\nenv = { K = \"\\u0000\" }\n"),
    error_for("[[job]]\ncmd = \"x\"\ncwd = \"\\u0000\"\n"),
  };
  EXPECT_EQ(messages, (std::vector<std::string>{
                        "ci.toml:2:7: error: job \"job-1\": cmd contains a NUL byte\n"
                        "    2 | cmd = \"a\\u0000b\"\n"
                        "      |       ^",
                        "ci.toml:2:14: error: job \"job-1\": argv[1] contains a NUL byte\n"
                        "    2 | argv = [\"a\", \"\\u0000\"]\n"
                        "      |              ^",
                        "ci.toml:3:13: error: job \"job-1\": env.K contains a NUL byte\n"
                        "    3 | env = { K = \"\\u0000\" }\n"
                        "      |             ^",
                        "ci.toml:3:7: error: job \"job-1\": cwd contains a NUL byte\n"
                        "    3 | cwd = \"\\u0000\"\n"
                        "      |       ^"}));
}

TEST(JobfileErrors, EnvKeyMustBeAVariableName)
{
  const std::vector<std::string> messages = {
    error_for("[[job]]\ncmd = \"x\"\nenv = { \"A=B\" = \"1\" }\n"),
    error_for("[defaults]\nenv = { \"\" = \"1\" }\n[[job]]\ncmd = \"x\"\n"),
  };
  EXPECT_EQ(messages,
            (std::vector<std::string>{
              "ci.toml:3:9: error: job \"job-1\": env key \"A=B\" is not a variable name\n"
              "    3 | env = { \"A=B\" = \"1\" }\n"
              "      |         ^",
              "ci.toml:2:9: error: defaults: env key \"\" is not a variable name\n"
              "    2 | env = { \"\" = \"1\" }\n"
              "      |         ^"}));
}

TEST(JobfileErrors, BadDurationWithoutSuggestion)
{
  EXPECT_EQ(error_for("[defaults]\ngrace = \"soon\"\n[[job]]\ncmd = \"x\"\n"),
            "ci.toml:2:9: error: defaults: grace \"soon\" is not a duration\n"
            "    2 | grace = \"soon\"\n"
            "      |         ^");
}

TEST(JobfileErrors, BadNumberOfSecondsAsWritten)
{
  const std::vector<std::string> values = {"-1",   "-0.5", "8_640_001", "1e300",
                                           "-inf", "nan",  "0xFFFFFFFF"};
  std::vector<std::string> messages;
  std::vector<std::string> expected;
  for (const std::string& value : values) {
    messages.push_back(error_for("[[job]]\ncmd = \"x\"\ntimeout = " + value + "\n"));
    const std::string why = value.starts_with('-') ? ": it cannot be negative" : "";
    expected.push_back("ci.toml:3:11: error: job \"job-1\": timeout " + value +
                       " is not a duration" + why + "\n    3 | timeout = " + value +
                       "\n      |           ^");
  }
  EXPECT_EQ(messages, expected);
}

TEST(JobfileErrors, NegativeDurationStringCannotBeNegative)
{
  const std::vector<std::string> values = {"-5s", "-1h30m", "-2", "-5 minutes"};
  std::vector<std::string> messages;
  std::vector<std::string> expected;
  for (const std::string& value : values) {
    messages.push_back(error_for("[[job]]\ncmd = \"x\"\ngrace = \"" + value + "\"\n"));
    expected.push_back("ci.toml:3:9: error: job \"job-1\": grace \"" + value +
                       "\" is not a duration: it cannot be negative\n    3 | grace = \"" + value +
                       "\"\n      |         ^");
  }
  EXPECT_EQ(messages, expected);
}

// A minus sign before no duration, or before zero, is just not a duration.
TEST(JobfileErrors, MinusSignBeforeNoDurationIsNotADuration)
{
  EXPECT_EQ(std::make_tuple(error_for("[defaults]\ntimeout = \"-soon\"\n[[job]]\ncmd = \"x\"\n"),
                            error_for("[defaults]\ntimeout = \"-0s\"\n[[job]]\ncmd = \"x\"\n")),
            std::make_tuple("ci.toml:2:11: error: defaults: timeout \"-soon\" is not a duration\n"
                            "    2 | timeout = \"-soon\"\n      |           ^",
                            "ci.toml:2:11: error: defaults: timeout \"-0s\" is not a duration\n"
                            "    2 | timeout = \"-0s\"\n      |           ^"));
}

class LoadJobfile : public fanout_test::TempFolderTest {};

TEST_F(LoadJobfile, ResolvesCwdAgainstTheFilesFolder)
{
  const std::string path = write("ci.toml", "[[job]]\nname = \"a\"\ncmd = \"x\"\ncwd = \"sub\"\n");
  const JobFile file = load_jobfile(path);
  ASSERT_EQ(file.jobs.size(), 1u);
  EXPECT_EQ(std::tie(file.path, file.jobs[0].cwd), std::make_tuple(path, (m_dir / "sub").string()));
}

// /dev/stdin, /dev/fd/N and /proc/self/fd/N name a descriptor, whose folder
// is not the job file's, even when the file behind it is a regular one
// (`fanout -f /dev/stdin < conf/ci.toml`).
TEST_F(LoadJobfile, ThroughADescriptorResolvesAgainstTheCurrentFolder)
{
  std::filesystem::create_directory(m_dir / "conf");
  const std::string path =
    write("conf/ci.toml", "[[job]]\ncmd = \"x\"\ncwd = \"sub\"\n[[job]]\ncall = \"lib/x.so:f\"\n");
  std::vector<std::string> paths;
  for (const std::string folder : {"/dev/fd/", "/proc/self/fd/"}) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    ASSERT_GE(fd, 0);
    const JobFile file = load_jobfile(folder + std::to_string(fd));
    ::close(fd);
    ASSERT_EQ(file.jobs.size(), 2u);
    paths.insert(paths.end(), {file.jobs[0].cwd, file.jobs[1].cwd, file.jobs[1].call->library});
  }
  EXPECT_EQ(paths, (std::vector<std::string>{"sub", ".", "lib/x.so", "sub", ".", "lib/x.so"}));
}

TEST_F(LoadJobfile, FromAPipeResolvesAgainstTheCurrentFolder)
{
  std::filesystem::create_directory(m_dir / "conf");
  const std::string fifo = (m_dir / "conf" / "ci.toml").string();
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  std::thread writer([&fifo] { std::ofstream(fifo) << "[[job]]\ncmd = \"x\"\ncwd = \"sub\"\n"; });
  const JobFile file = load_jobfile(fifo);
  writer.join();
  ASSERT_EQ(file.jobs.size(), 1u);
  EXPECT_EQ(file.jobs[0].cwd, "sub");
}

// A symbolic link to a job file is not a descriptor: the link's folder it is.
TEST_F(LoadJobfile, ThroughASymbolicLinkResolvesAgainstTheLinksFolder)
{
  std::filesystem::create_directory(m_dir / "conf");
  write("ci.toml", "[[job]]\ncmd = \"x\"\n");
  std::filesystem::create_symlink("../ci.toml", m_dir / "conf" / "link.toml");
  const JobFile file = load_jobfile((m_dir / "conf" / "link.toml").string());
  ASSERT_EQ(file.jobs.size(), 1u);
  EXPECT_EQ(file.jobs[0].cwd, (m_dir / "conf").string());
}

TEST_F(LoadJobfile, ReportsAMissingFile)
{
  const std::string path = (m_dir / "missing.toml").string();
  try {
    load_jobfile(path);
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_EQ(std::string(error.what()),
              path + ": error: cannot read the job file: No such file or directory");
  }
}

TEST_F(LoadJobfile, ReportsAFolder)
{
  try {
    load_jobfile(m_dir.string());
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_EQ(std::string(error.what()),
              m_dir.string() + ": error: cannot read the job file: Is a directory");
  }
}

TEST_F(LoadJobfile, ReportsParseErrorsWithThePathAsGiven)
{
  const std::string path = write("ci.toml", "jobs = 1\n");
  try {
    load_jobfile(path);
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_EQ(std::string(error.what()),
              path + ":1:1: error: unknown key \"jobs\" (did you mean \"job\"?)\n"
                     "    1 | jobs = 1\n"
                     "      | ^");
  }
}

} // namespace
} // namespace fanout
