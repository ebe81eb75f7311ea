// SPDX-License-Identifier: MIT
// End-to-end tests of fanout's output (fanout(1), SUMMARY AND STATUSES): tags and padding, partial
// and long lines, stdout and stderr, bytes passed through untouched, lines of
// concurrent jobs never mixed, colour, and an early-closed stdout.

#include "harness.hpp"

#include <gtest/gtest.h>

#include <regex>
#include <string>
#include <vector>

using e2e::lines_after;
using e2e::mask_times;
using e2e::Sandbox;
using e2e::split_lines;

namespace {

// What fanout prints for a job tagged `tag` that wrote `raw`: each line with
// the tag in front, and a newline after a last partial line. (No line of the
// random data the tests use comes near the 64 KiB split.)
std::string tagged(const std::string& tag, const std::string& raw)
{
  std::string out;
  for (const std::string& line : split_lines(raw)) {
    out += tag + line + "\n";
  }
  return out;
}

} // namespace

TEST(Output, LinesAreTaggedWithTheNamePaddedToTheLongest)
{
  Sandbox box;
  box.write_jobs(R"(
[[job]]
name = "a"
argv = ['@CHILD@', 'print', '2', 'hello']

[[job]]
name = "bbbb"
argv = ['@CHILD@', 'print', '1', 'x']
)");

  auto result = box.run({"-j", "1"});

  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.out, "a    | hello 1\n"
                        "a    | hello 2\n"
                        "bbbb | x 1\n");
}

TEST(Output, PartialLastLineGetsANewline)
{
  Sandbox box;
  box.write_jobs(R"(
[[job]]
name = "a"
argv = ['@CHILD@', 'print', '1', 'whole', 'partial', 'no newline']
)");

  auto result = box.run({});

  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.out, "a | whole 1\n"
                        "a | no newline\n");
}

TEST(Output, StdoutAndStderrStaySeparate)
{
  Sandbox box;
  box.write_jobs(R"(
[[job]]
name = "a"
argv = ['@CHILD@', 'print', '1', 'out', 'eprint', 'err', 'print', '1', 'more']
)");

  auto result = box.run({});

  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.out, "a | out 1\n"
                        "a | more 1\n");
  EXPECT_EQ(mask_times(result.err), "a | err\n"
                                    "fanout: 1 job in T: 1 ok\n"
                                    "  a  ok          0   T\n");
}

TEST(Output, LineLongerThan64KiBIsSplitIn64KiBPieces)
{
  Sandbox box;
  box.write_jobs(R"(
[[job]]
name = "a"
argv = ['@CHILD@', 'line', '150000', 'x']
)");

  auto result = box.run({});

  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.out, "a | " + std::string(65536, 'x') + "\n" + "a | " + std::string(65536, 'x') +
                          "\n" + "a | " + std::string(150000 - 2 * 65536, 'x') + "\n");
}

TEST(Output, LineOfExactly64KiBIsNotSplit)
{
  Sandbox box;
  box.write_jobs(R"(
[[job]]
name = "a"
argv = ['@CHILD@', 'line', '65536', 'x']
)");

  auto result = box.run({});

  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.out, "a | " + std::string(65536, 'x') + "\n");
}

TEST(Output, BinaryBytesPassThroughUntouched)
{
  Sandbox box;
  box.write_jobs(R"(
[[job]]
name = "a"
argv = ['@CHILD@', 'bytes', '7', '300000']
)");
  auto raw = box.run_program(TEST_CHILD_BIN, {"bytes", "7", "300000"}).out;
  ASSERT_EQ(raw.size(), 300000u);

  auto result = box.run({});

  EXPECT_EQ(result.exit_code, 0);
  EXPECT_TRUE(result.out == tagged("a | ", raw)) << "the tagged bytes differ";
}

TEST(Output, LinesOfConcurrentJobsNeverMix)
{
  Sandbox box;
  std::string long_a(700, 'A');
  std::string long_b(900, 'B');
  // Both jobs start, meet, then print 3000 long lines each at the same time.
  box.write_jobs("[[job]]\n"
                 "name = \"a\"\n"
                 "argv = ['@CHILD@', 'rendezvous', 'meet', '2', 'print', '3000', '" +
                 long_a +
                 "']\n"
                 "[[job]]\n"
                 "name = \"b\"\n"
                 "argv = ['@CHILD@', 'rendezvous', 'meet', '2', 'print', '3000', '" +
                 long_b + "']\n");
  std::vector<std::string> expected_a;
  std::vector<std::string> expected_b;
  for (int i = 1; i <= 3000; ++i) {
    expected_a.push_back(long_a + " " + std::to_string(i));
    expected_b.push_back(long_b + " " + std::to_string(i));
  }

  auto result = box.run({"-j", "2"});

  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(split_lines(result.out).size(), 6000u);
  EXPECT_TRUE(lines_after(result.out, "a | ") == expected_a) << "job a's lines differ";
  EXPECT_TRUE(lines_after(result.out, "b | ") == expected_b) << "job b's lines differ";
}

TEST(Output, NoEscapeCodesWhenStdoutIsNotATerminal)
{
  Sandbox box;
  box.write_jobs(R"(
[[job]]
name = "a"
argv = ['@CHILD@', 'print', '1', 'hi']
)");

  auto result = box.run({"--color", "auto"});

  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.out, "a | hi 1\n");
}

TEST(Output, ColorAlwaysChangesNothingButEscapeCodes)
{
  Sandbox box;
  box.write_jobs(R"(
[[job]]
name = "a"
argv = ['@CHILD@', 'print', '1', 'hi']

[[job]]
name = "bb"
argv = ['@CHILD@', 'print', '1', 'there']
)");
  const std::regex escape_code("\x1b\\[[0-9;]*m");

  auto result = box.run({"-j", "1", "--color", "always"});

  EXPECT_EQ(result.exit_code, 0);
  EXPECT_NE(result.out.find("\x1b["), std::string::npos) << result.out;
  EXPECT_EQ(std::regex_replace(result.out, escape_code, ""), "a  | hi 1\n"
                                                             "bb | there 1\n");
}

TEST(Output, ClosedStdoutDoesNotStopTheRunOrChangeTheResult)
{
  Sandbox box;
  box.write_jobs(R"(
[[job]]
name = "a"
argv = ['@CHILD@', 'print', '1', 'first', 'rendezvous', 'closed', '2', 'print', '1000', 'more']

[[job]]
name = "b"
argv = ['@CHILD@', 'print', '1000', 'dropped', 'mark', 'b.log', 'ran']
)");
  auto fanout = box.start({"-j", "1"});
  ASSERT_TRUE(fanout.wait_for_line("a | first 1"));
  fanout.close_stdout();
  box.write_file("closed/harness", "");

  auto result = fanout.finish();

  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(mask_times(result.err), "fanout: 2 jobs in T: 2 ok\n"
                                    "  a  ok          0   T\n"
                                    "  b  ok          0   T\n");
  EXPECT_EQ(box.read_file("b.log"), "ran\n");
}
