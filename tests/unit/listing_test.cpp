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

// What is not printable (control characters, bytes that are not UTF-8, C1
// controls) is escaped in bash's $'...' form; UTF-8 text stays as it is.
TEST(ShellQuote, EscapesWhatIsNotPrintable)
{
  const std::vector<std::string> args = {
    "a\nb",          "tab\there", "it's\r\n", "back\\slash\n", "\x1b[31m",   "\x7f", "caf\xc3\xa9",
    "caf\xc3\xa9\n", "\xff\xfe",  "\xc2\x9b", "\xe2\x82",      "$HOME\v`x`", "\x01g"};
  std::vector<std::string> quoted;
  for (const std::string& arg : args) {
    quoted.push_back(shell_quote(arg));
  }
  EXPECT_EQ(quoted, (std::vector<std::string>{"$'a\\nb'", "$'tab\\there'", "$'it\\'s\\r\\n'",
                                              "$'back\\\\slash\\n'", "$'\\x1b[31m'", "$'\\x7f'",
                                              "'caf\xc3\xa9'", "$'caf\xc3\xa9\\n'", "$'\\xff\\xfe'",
                                              "$'\\xc2\\x9b'", "$'\\xe2\\x82'", "$'$HOME\\x0b`x`'",
                                              "$'\\x01g'"}));
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
  EXPECT_EQ(format_listing(file, {0, 1}, Listing::names), "lint\nunit\n");
  EXPECT_EQ(format_listing(file, {0, 1}, Listing::commands),
            "lint: ruff check .\nunit: pytest -k 'not slow'\n");
}

// One line per job, whatever its command holds.
TEST(FormatListing, KeepsEachJobOnOneLine)
{
  JobFile file;
  file.jobs.push_back(command_job("script", "echo one\necho 'two'\n"));
  file.jobs.push_back(command_job("tabbed", "printf 'a\tb'"));
  file.jobs.push_back(command_job("args", "", {"printf", "%s\n", "line one\nline two", "x"}));
  file.jobs.push_back(call_job("call", CallSpec{"/opt/lib\nx.so", "run", {"a\nb", "c"}}));
  EXPECT_EQ(format_listing(file, {0, 1, 2, 3}, Listing::commands),
            "script: /bin/sh -c $'echo one\\necho \\'two\\'\\n'\n"
            "tabbed: /bin/sh -c $'printf \\'a\\tb\\''\n"
            "args: printf $'%s\\n' $'line one\\nline two' x\n"
            "call: call $'/opt/lib\\nx.so:run' $'a\\nb' c\n");
}

TEST(FormatListing, ShowsAFunctionJobAsItsTargetAndArgs)
{
  JobFile file;
  file.jobs.push_back(
    call_job("seed", CallSpec{"lib/libseed.so", "worker", {"arg one", "2", "", "it's"}}));
  file.jobs.push_back(call_job("bare", CallSpec{"/opt/my libs/libx.so", "run", {}}));
  file.jobs.push_back(command_job("lint", "ruff check ."));
  EXPECT_EQ(format_listing(file, {0, 1, 2}, Listing::names), "seed\nbare\nlint\n");
  EXPECT_EQ(format_listing(file, {0, 1, 2}, Listing::commands),
            "seed: call lib/libseed.so:worker 'arg one' 2 '' 'it'\\''s'\n"
            "bare: call '/opt/my libs/libx.so:run'\n"
            "lint: ruff check .\n");
}

// The command alone, as --dry-run shows it after the name.
TEST(CommandText, IsTheDryRunLineWithoutTheName)
{
  EXPECT_EQ(command_text(command_job("lint", "ruff check .")), "ruff check .");
  EXPECT_EQ(command_text(command_job("unit", "", {"pytest", "-k", "not slow"})),
            "pytest -k 'not slow'");
  EXPECT_EQ(command_text(command_job("tabbed", "printf 'a\tb'")),
            "/bin/sh -c $'printf \\'a\\tb\\''");
  EXPECT_EQ(command_text(call_job("seed", CallSpec{"lib/libseed.so", "worker", {"a b"}})),
            "call lib/libseed.so:worker 'a b'");
  EXPECT_EQ(command_text(call_job("bare", CallSpec{"libx.so", "run", {}})), "call libx.so:run");
}

} // namespace
} // namespace fanout
