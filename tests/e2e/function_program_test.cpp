// SPDX-License-Identifier: MIT
// fanout linked whole hands a run with function jobs over to
// fanout-functions (cli/function_program): the job file is read again there,
// even from stdin or a pipe, and the jobs get fanout's own start-up state.
#include "harness.hpp"

#include <gtest/gtest.h>

#include <array>
#include <filesystem>
#include <string>
#include <unistd.h>
#include <vector>

namespace {

using e2e::Sandbox;
using e2e::sorted_lines;

using Lines = std::vector<std::string>;

// A function job and a command job, which both print a line.
std::string mixed_jobs()
{
  return "[[job]]\nname = \"fn\"\ncall = \"" + std::string(TEST_JOBS_LIB) +
         ":lines\"\nargs = [\"1\"]\n" + "[[job]]\nname = \"sh\"\ncmd = \"echo shell\"\n";
}

// What the two jobs of mixed_jobs() print, sorted.
const Lines k_mixed_out{"fn | fn line 0 of a text long enough to need several writes",
                        "sh | shell"};

// Whether this fanout is linked whole, with fanout-functions beside it.
bool hands_functions_over()
{
  return std::filesystem::exists(std::filesystem::path(FANOUT_BIN).parent_path() /
                                 "fanout-functions");
}

TEST(FunctionProgram, AJobFileFromStdinIsReadAgain)
{
  const Sandbox box;
  box.write_file("jobs.toml", mixed_jobs());
  const auto result = box.run_with_stdin("jobs.toml", {"-f", "-", "-q", "--color", "never"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(sorted_lines(result.out), k_mixed_out);
  EXPECT_EQ(result.err, "");
}

TEST(FunctionProgram, AJobFileFromAPipeDescriptorIsReadAgain)
{
  const Sandbox box;
  // The job file waits in a pipe, read through /dev/fd/0.
  std::array<int, 2> pipe_fds{};
  ASSERT_EQ(::pipe(pipe_fds.data()), 0);
  const std::string text = mixed_jobs();
  ASSERT_EQ(::write(pipe_fds[1], text.data(), text.size()), static_cast<ssize_t>(text.size()));
  ::close(pipe_fds[1]);
  auto running = box.start_with_stdin(pipe_fds[0], {"-f", "/dev/fd/0", "-q", "--color", "never"});
  ::close(pipe_fds[0]);
  const auto result = running.finish();
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(sorted_lines(result.out), k_mixed_out);
}

TEST(FunctionProgram, JobsGetTheDescriptorLimitFanoutWasGiven)
{
  const Sandbox box;
  box.write_jobs(mixed_jobs() + "[[job]]\nname = \"limit\"\ncmd = \"ulimit -n\"\n");
  const auto result = box.run_after("ulimit -Sn 200", {"-q", "--color", "never"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(sorted_lines(result.out),
            (Lines{"fn    | fn line 0 of a text long enough to need several writes", "limit | 200",
                   "sh    | shell"}));
}

TEST(FunctionProgram, ANamedPipeJobFileWithFunctionJobsIsRefused)
{
  if (!hands_functions_over()) {
    GTEST_SKIP() << "this fanout runs function jobs itself";
  }
  const Sandbox box;
  box.write_file("jobs.toml", mixed_jobs());
  const auto result = box.run_after("mkfifo p\ncat jobs.toml > p 2>/dev/null &",
                                    {"-f", "p", "-q", "--color", "never"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(result.out, "");
  EXPECT_EQ(result.err, "fanout: error: p: a job file with function jobs is read a second time, "
                        "so it must be a regular file, stdin (-) or /dev/fd/N\n");
}

TEST(FunctionProgram, WithoutItFunctionJobsAreRefusedAndCommandsRun)
{
  if (!hands_functions_over()) {
    GTEST_SKIP() << "this fanout runs function jobs itself";
  }
  const Sandbox box;
  std::filesystem::create_directories(box.dir() / "bin");
  const std::filesystem::path alone = box.dir() / "bin" / "fanout";
  std::filesystem::copy_file(FANOUT_BIN, alone);
  box.write_file("functions.toml", mixed_jobs());
  box.write_file("commands.toml", "[[job]]\nname = \"sh\"\ncmd = \"echo shell\"\n");

  const auto refused = box.run_program(alone, {"-f", "functions.toml", "--color", "never"});
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_EQ(refused.out, "");
  EXPECT_EQ(refused.err, "fanout: error: function jobs are run by " +
                           (box.dir() / "libexec/fanout/fanout-functions").string() +
                           ", which is missing (install fanout whole)\n");

  const auto ran = box.run_program(alone, {"-f", "commands.toml", "-q", "--color", "never"});
  EXPECT_EQ(ran.exit_code, 0) << ran.err;
  EXPECT_EQ(ran.out, "sh | shell\n");
}

} // namespace
