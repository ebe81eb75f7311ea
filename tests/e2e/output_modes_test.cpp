// SPDX-License-Identifier: MIT
// End-to-end tests of --output (fanout(1), OUTPUT): `group` prints each
// job's lines together when it ends, `keep-order` in job-file order with the
// first job live; in a CI (GITHUB_ACTIONS, GITLAB_CI, --ci) each block is a
// collapsible section and a failed job is marked. Output past the memory
// bound is spooled and printed byte for byte, in bounded memory.

#include "harness.hpp"

#include <gtest/gtest.h>

#include <regex>
#include <string>
#include <sys/resource.h>

using e2e::mask_times;
using e2e::Sandbox;
using e2e::split_lines;

namespace {

// Each line of `raw` with `tag` in front, and a newline after a last
// partial line. (No line of the data these tests use nears 64 KiB.)
std::string tagged(const std::string& tag, const std::string& raw)
{
  std::string out;
  for (const std::string& line : split_lines(raw)) {
    out += tag + line + "\n";
  }
  return out;
}

// Two jobs that both write before and after a point they reach together,
// to stdout and stderr: in `lines` mode their lines interleave.
constexpr const char* k_two_jobs = R"(
[[job]]
name = "a"
argv = ['@CHILD@', 'print', '1', 'a-out', 'rendezvous', 'both', '2', 'eprint', 'a-err',
        'rendezvous', 'again', '2', 'print', '1', 'a-end']

[[job]]
name = "b"
argv = ['@CHILD@', 'rendezvous', 'both', '2', 'print', '1', 'b-out', 'rendezvous', 'again', '2',
        'eprint', 'b-err', 'partial', 'b-partial']
)";

// Whether `out` and `err` hold the blocks of a and b whole, in one order.
bool blocks_whole(const e2e::Result& result)
{
  const std::string a_out = "a | a-out 1\na | a-end 1\n";
  const std::string b_out = "b | b-out 1\nb | b-partial\n";
  const std::string a_err = "a | a-err\n";
  const std::string b_err = "b | b-err\n";
  return (result.out == a_out + b_out && result.err == a_err + b_err) ||
         (result.out == b_out + a_out && result.err == b_err + a_err);
}

TEST(OutputModes, GroupPrintsEachJobsLinesTogether)
{
  Sandbox box;
  box.write_jobs(k_two_jobs);

  // -q: every job is ok, so stderr holds nothing but the jobs' lines.
  auto result = box.run({"-q", "-j", "2", "--output", "group"});

  EXPECT_EQ(result.exit_code, 0);
  EXPECT_TRUE(blocks_whole(result)) << result.out << "---\n" << result.err;
}

TEST(OutputModes, GroupKeepsTheOrderOfABlocksLinesAcrossStreams)
{
  Sandbox box;
  box.write_jobs(k_two_jobs);

  // Both of fanout's streams into one log, as a CI keeps them.
  auto result = box.run_after("exec 2>&1", {"-q", "-j", "2", "--output", "group"});

  EXPECT_EQ(result.exit_code, 0);
  const std::string a = "a | a-out 1\na | a-err\na | a-end 1\n";
  const std::string b = "b | b-out 1\nb | b-err\nb | b-partial\n";
  EXPECT_TRUE(result.out == a + b || result.out == b + a) << result.out;
}

TEST(OutputModes, KeepOrderPrintsJobsInFileOrderThoughTheyEndInReverse)
{
  Sandbox box;
  // All three run at once; c ends first, then b, then a.
  box.write_jobs(R"(
[[job]]
name = "a"
argv = ['@CHILD@', 'rendezvous', 'all', '3', 'print', '2', 'a', 'rendezvous', 'b-done', '2']

[[job]]
name = "b"
argv = ['@CHILD@', 'rendezvous', 'all', '3', 'print', '2', 'b', 'eprint', 'b-err',
        'rendezvous', 'c-done', '2', 'rendezvous', 'b-done', '1']

[[job]]
name = "c"
argv = ['@CHILD@', 'rendezvous', 'all', '3', 'print', '2', 'c', 'rendezvous', 'c-done', '1']
)");

  auto result = box.run({"-q", "-j", "3", "--output", "keep-order"});

  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.out, "a | a 1\na | a 2\nb | b 1\nb | b 2\nc | c 1\nc | c 2\n");
  EXPECT_EQ(result.err, "b | b-err\n");
}

TEST(OutputModes, KeepOrderStreamsTheFirstJobLive)
{
  Sandbox box;
  // a goes on only once the test saw its first line: fanout printed it live.
  box.write_jobs(R"(
[[job]]
name = "a"
argv = ['@CHILD@', 'print', '1', 'live', 'rendezvous', 'go', '2', 'print', '1', 'after']

[[job]]
name = "b"
argv = ['@CHILD@', 'print', '1', 'waits']
)");

  auto fanout = box.start({"-q", "-j", "2", "--output", "keep-order"});
  ASSERT_TRUE(fanout.wait_for_line("a | live 1"));
  box.write_file("go/test", "");
  auto result = fanout.finish();

  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.out, "a | live 1\na | after 1\nb | waits 1\n");
}

constexpr const char* k_ok_and_failed = R"(
[[job]]
name = "build"
argv = ['@CHILD@', 'print', '1', 'compiled', 'eprint', 'warning']

[[job]]
name = "unit"
argv = ['@CHILD@', 'print', '1', 'assertion', 'exit', '1']
)";

TEST(OutputModes, GithubActionsFoldsEachJobAndAnnotatesAFailure)
{
  Sandbox box;
  box.write_jobs(k_ok_and_failed);

  auto result = box.run_after("export GITHUB_ACTIONS=true", {"-j", "1"});

  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(mask_times(result.out), "::group::build ok in T\n"
                                    "build | compiled 1\n"
                                    "::endgroup::\n"
                                    "::group::unit failed 1 in T\n"
                                    "unit  | assertion 1\n"
                                    "::endgroup::\n"
                                    "::error title=fanout%3A unit::unit failed 1 in T\n");
  EXPECT_TRUE(mask_times(result.err).starts_with("build | warning\nfanout: 2 jobs in T:"))
    << result.err;
}

TEST(OutputModes, GitlabCiFoldsEachJobInASectionAndMarksAFailureRed)
{
  Sandbox box;
  box.write_jobs(k_ok_and_failed);

  auto result = box.run_after("export GITLAB_CI=true", {"-j", "1"});

  EXPECT_EQ(result.exit_code, 1);
  const std::regex expected(
    "section_start:[0-9]+:fanout_[0-9]+_1_build\\[collapsed=true\\]\r\x1b\\[0Kbuild ok in T\n"
    "build \\| compiled 1\n"
    "section_end:[0-9]+:fanout_[0-9]+_1_build\r\x1b\\[0K\n"
    "section_start:[0-9]+:fanout_[0-9]+_2_unit\\[collapsed=true\\]\r\x1b\\[0Kunit failed 1 in T\n"
    "unit  \\| assertion 1\n"
    "section_end:[0-9]+:fanout_[0-9]+_2_unit\r\x1b\\[0K\n"
    "\x1b\\[31;1mfanout: unit failed 1 in T\x1b\\[0m\n");
  const std::string out = mask_times(result.out);
  EXPECT_TRUE(std::regex_match(out, expected)) << out;
}

TEST(OutputModes, CiNoneAndOutputLinesOverrideTheEnvironment)
{
  Sandbox box;
  box.write_jobs(k_ok_and_failed);
  const std::string lines = "build | compiled 1\nunit  | assertion 1\n";

  auto none = box.run_after("export GITHUB_ACTIONS=true", {"-j", "1", "--ci", "none"});
  auto plain = box.run_after("export GITLAB_CI=1", {"-j", "1", "--output", "lines"});

  EXPECT_EQ(none.exit_code, 1);
  EXPECT_EQ(none.out, lines);
  EXPECT_EQ(plain.out, lines);
}

TEST(OutputModes, CiOptionFoldsOutsideACi)
{
  Sandbox box;
  box.write_jobs(k_ok_and_failed);

  auto result = box.run({"-j", "1", "--ci", "github", "--output", "keep-order", "build"});

  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.out, "::group::build\nbuild | compiled 1\n::endgroup::\n");
}

TEST(OutputModes, OutputPastTheMemoryBoundArrivesByteForByte)
{
  Sandbox box;
  box.write_jobs(R"(
[[job]]
name = "a"
argv = ['@CHILD@', 'bytes', '11', '3000000']

[[job]]
name = "b"
argv = ['@CHILD@', 'bytes', '12', '2000000']
)");
  const std::string a =
    tagged("a | ", box.run_program(TEST_CHILD_BIN, {"bytes", "11", "3000000"}).out);
  const std::string b =
    tagged("b | ", box.run_program(TEST_CHILD_BIN, {"bytes", "12", "2000000"}).out);

  auto result = box.run({"-q", "-j", "2", "--output", "group"});

  EXPECT_EQ(result.exit_code, 0);
  EXPECT_TRUE(result.out == a + b || result.out == b + a) << "the blocks differ";
  EXPECT_EQ(result.err, "");
}

// A sanitizer's runtime costs memory of its own, many times fanout's.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr bool k_sanitized = true;
#else
constexpr bool k_sanitized = false;
#endif

TEST(OutputModes, GroupHoldsAHugeBlockInBoundedMemory)
{
  if (k_sanitized) {
    GTEST_SKIP() << "a sanitizer's runtime costs more memory than the bound";
  }
  Sandbox box;
  box.write_jobs(R"(
[[job]]
name = "big"
argv = ['@CHILD@', 'bytes', '5', '300000000']
)");

  auto result = box.run_after("exec >/dev/null", {"-q", "--output", "group"});

  // The largest peak of the processes this test reaped: fanout, the shell
  // that became it, and its job, which writes from a small buffer. (ctest
  // runs each test in a process of its own.)
  rusage usage{};
  ASSERT_EQ(::getrusage(RUSAGE_CHILDREN, &usage), 0);
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.err, "");
  EXPECT_LT(usage.ru_maxrss, 32 * 1024) << "peak RSS in KiB";
}

} // namespace
