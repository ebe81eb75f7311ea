// SPDX-License-Identifier: MIT
// How a job file's error reads: its path, line and column, the source line
// with a caret under the column, the values it quotes, and TOML's own errors.
#include "jobfile_errors_for.hpp"

#include <gtest/gtest.h>

#include <string>

namespace fanout {
namespace {

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

TEST(JobfileErrors, ReportsTheFirstProblemInReadingOrder)
{
  EXPECT_EQ(error_for("[[job]]\nzzz = 1\ncmd = 2\naaa = 3\n"),
            "ci.toml:2:1: error: job \"job-1\": unknown key \"zzz\"\n"
            "    2 | zzz = 1\n"
            "      | ^");
}

} // namespace
} // namespace fanout
