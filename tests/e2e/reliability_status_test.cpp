// SPDX-License-Identifier: MIT
// Reliability suite, status exactness: one table of every way a
// job can end, run in one job file, and the exact summary row (times masked)
// and exit code each must give.

#include "harness.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

using e2e::mask_times;
using e2e::Sandbox;

namespace {

// A TERM-ignoring job gets 1 s to run `ignore-term`, as in timeout_test.cpp:
// a loaded machine can take longer than 200 ms to schedule it.
struct Ending {
  const char* name;
  const char* job; // the job's keys, after its name
  const char* row; // its summary row, times masked
};

// Names are padded to "not-executable", the longest.
const std::vector<Ending> k_endings = {
  {"exit-0", "argv = ['@CHILD@', 'exit', '0']", "  exit-0          ok          0   T"},
  {"exit-1", "argv = ['@CHILD@', 'exit', '1']", "  exit-1          failed      1   T"},
  {"exit-9", "argv = ['@CHILD@', 'exit', '9']", "  exit-9          failed      9   T"},
  {"exit-255", "argv = ['@CHILD@', 'exit', '255']", "  exit-255        failed    255   T"},
  {"sigkill", "argv = ['@CHILD@', 'signal', '9']", "  sigkill         killed     -9   T  SIGKILL"},
  {"sigsegv", "argv = ['@CHILD@', 'signal', '11']", "  sigsegv         killed    -11   T  SIGSEGV"},
  {"sigterm", "argv = ['@CHILD@', 'signal', '15']", "  sigterm         killed    -15   T  SIGTERM"},
  {"timeout-term", "timeout = \"200ms\"\nargv = ['@CHILD@', 'sleep', '30000']",
   "  timeout-term    timeout   -15   T  SIGTERM after 200ms"},
  {"timeout-kill",
   "timeout = \"1s\"\ngrace = \"200ms\"\nargv = ['@CHILD@', 'ignore-term', 'sleep', '30000']",
   "  timeout-kill    timeout    -9   T  SIGKILL after 1s + 200ms grace"},
  {"not-found", "argv = ['nosuchprog']",
   "  not-found       error     127   T  program not found: nosuchprog"},
  {"not-executable", "argv = ['./plain.txt']",
   "  not-executable  error     126   T  cannot run \"./plain.txt\": Permission denied"},
  {"no-cwd", "cwd = \"nosuch\"\nargv = ['@CHILD@']",
   "  no-cwd          error     127   T  cwd \"nosuch\": No such file or directory"},
};

} // namespace

TEST(ReliabilityStatus, EveryWayAJobEndsHasItsExactStatusAndCode)
{
  Sandbox box;
  auto plain = box.write_file("plain.txt", "not a program\n");
  std::filesystem::permissions(plain, std::filesystem::perms(0644));
  std::string jobs;
  std::string rows;
  for (const Ending& ending : k_endings) {
    jobs += std::string("[[job]]\nname = \"") + ending.name + "\"\n" + ending.job + "\n\n";
    rows += std::string(ending.row) + "\n";
  }
  box.write_jobs(jobs);

  // -j1: the start errors' own lines come in file order.
  auto result = box.run({"-j", "1"});

  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.out, "");
  EXPECT_EQ(mask_times(result.err),
            "not-found      | fanout: program not found: nosuchprog\n"
            "not-executable | fanout: cannot run \"./plain.txt\": Permission denied\n"
            "no-cwd         | fanout: cwd \"nosuch\": No such file or directory\n"
            "fanout: 12 jobs in T: 1 ok, 3 failed, 3 killed, 2 timed out, 3 could not start\n" +
              rows);
}

// The same endings one job at a time, so a failure names the one that is
// wrong, and no job's status leans on its neighbours in the file.
class ReliabilityStatusEach : public ::testing::TestWithParam<Ending> {};

TEST_P(ReliabilityStatusEach, AloneGivesItsRowAndExitCode)
{
  const Ending& ending = GetParam();
  Sandbox box;
  auto plain = box.write_file("plain.txt", "not a program\n");
  std::filesystem::permissions(plain, std::filesystem::perms(0644));
  box.write_jobs(std::string("[[job]]\nname = \"") + ending.name + "\"\n" + ending.job + "\n");

  auto result = box.run({});

  // Alone, the name is padded to itself: drop the table's padding.
  std::string row = ending.row;
  std::string padded = "  " + std::string(ending.name);
  std::size_t pad = std::string_view("not-executable").size() - padded.size() + 2;
  row.erase(padded.size(), pad);
  bool ok = std::string_view(ending.name) == "exit-0";
  EXPECT_EQ(result.exit_code, ok ? 0 : 1);
  std::string err = mask_times(result.err);
  EXPECT_TRUE(err.ends_with("\n" + row + "\n")) << err;
}

INSTANTIATE_TEST_SUITE_P(ReliabilityStatusTable, ReliabilityStatusEach,
                         ::testing::ValuesIn(k_endings),
                         [](const ::testing::TestParamInfo<Ending>& info) {
                           std::string name;
                           for (const char* c = info.param.name; *c != '\0'; ++c) {
                             name += *c == '-' ? '_' : *c;
                           }
                           return name;
                         });
