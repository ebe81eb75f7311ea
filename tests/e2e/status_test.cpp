// SPDX-License-Identifier: MIT
// End-to-end tests of job statuses, the summary and fanout's exit code
// (fanout(1), SUMMARY AND STATUSES), -q and -v, and jobs that cannot start. Elapsed times vary, so
// summaries are compared with them masked as "T", and exactly otherwise.

#include "harness.hpp"

#include <gtest/gtest.h>

#include <filesystem>

using e2e::mask_times;
using e2e::Sandbox;

TEST(Summary, AllOkExitsWith0)
{
  Sandbox box;
  box.write_jobs(R"(
[[job]]
name = "one"
argv = ['@CHILD@', 'exit', '0']

[[job]]
name = "two"
argv = ['@CHILD@']
)");

  auto result = box.run({"-j", "1"});

  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.out, "");
  EXPECT_EQ(mask_times(result.err), "fanout: 2 jobs in T: 2 ok\n"
                                    "  one  ok          0   T\n"
                                    "  two  ok          0   T\n");
}

TEST(Summary, ExitCodesAndSignalsAreReportedPythonStyle)
{
  Sandbox box;
  box.write_jobs(R"(
[[job]]
name = "ok"
argv = ['@CHILD@', 'exit', '0']

[[job]]
name = "nine"
argv = ['@CHILD@', 'exit', '9']

[[job]]
name = "kill9"
argv = ['@CHILD@', 'signal', '9']

[[job]]
name = "segv"
argv = ['@CHILD@', 'signal', '11']
)");

  auto result = box.run({"-j", "1"});

  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(mask_times(result.err), "fanout: 4 jobs in T: 1 ok, 1 failed, 2 killed\n"
                                    "  ok     ok          0   T\n"
                                    "  nine   failed      9   T\n"
                                    "  kill9  killed     -9   T  SIGKILL\n"
                                    "  segv   killed    -11   T  SIGSEGV\n");
}

TEST(Summary, HeaderCountsStatusesInTheFixedOrder)
{
  Sandbox box;
  box.write_jobs(R"(
[[job]]
name = "missing"
argv = ['nosuchprog']

[[job]]
name = "slow"
argv = ['@CHILD@', 'sleep', '30000']
timeout = "300ms"

[[job]]
name = "crash"
argv = ['@CHILD@', 'signal', '11']

[[job]]
name = "bad"
argv = ['@CHILD@', 'exit', '3']

[[job]]
name = "good"
argv = ['@CHILD@']
)");

  auto result = box.run({"-j", "1"});

  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(mask_times(result.err),
            "missing | fanout: program not found: nosuchprog\n"
            "fanout: 5 jobs in T: 1 ok, 1 failed, 1 killed, 1 timed out, 1 could not start\n"
            "  missing  error     127   T  program not found: nosuchprog\n"
            "  slow     timeout   -15   T  SIGTERM after 300ms\n"
            "  crash    killed    -11   T  SIGSEGV\n"
            "  bad      failed      3   T\n"
            "  good     ok          0   T\n");
}

TEST(Quiet, PrintsNothingWhenEveryJobIsOk)
{
  Sandbox box;
  box.write_jobs(R"(
[[job]]
name = "a"
argv = ['@CHILD@', 'print', '1', 'hi']
)");

  auto result = box.run({"-q"});

  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.out, "a | hi 1\n");
  EXPECT_EQ(result.err, "");
}

TEST(Quiet, PrintsTheHeaderAndOnlyTheRowsThatAreNotOk)
{
  Sandbox box;
  box.write_jobs(R"(
[[job]]
name = "okay"
argv = ['@CHILD@']

[[job]]
name = "fail"
argv = ['@CHILD@', 'exit', '4']
)");

  auto result = box.run({"-q", "-j", "1"});

  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(mask_times(result.err), "fanout: 2 jobs in T: 1 ok, 1 failed\n"
                                    "  fail  failed      4   T\n");
}

TEST(Verbose, AnnouncesTheStartAndEndOfEachJob)
{
  Sandbox box;
  box.write_jobs(R"(
[[job]]
name = "a"
argv = ['@CHILD@']

[[job]]
name = "b"
argv = ['@CHILD@', 'exit', '3']
)");

  auto result = box.run({"-v", "-j", "1"});

  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(mask_times(result.err), "fanout: started a (slot 1)\n"
                                    "fanout: finished a: ok 0 in T\n"
                                    "fanout: started b (slot 1)\n"
                                    "fanout: finished b: failed 3 in T\n"
                                    "fanout: 2 jobs in T: 1 ok, 1 failed\n"
                                    "  a  ok          0   T\n"
                                    "  b  failed      3   T\n");
}

TEST(StartError, ProgramNotFoundIs127AndTheOtherJobsGoOn)
{
  Sandbox box;
  box.write_jobs(R"(
[[job]]
name = "nope"
argv = ['nosuchprog', '--flag']

[[job]]
name = "next"
argv = ['@CHILD@', 'print', '1', 'ran']
)");

  auto result = box.run({"-j", "1"});

  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.out, "next | ran 1\n");
  EXPECT_EQ(mask_times(result.err), "nope | fanout: program not found: nosuchprog\n"
                                    "fanout: 2 jobs in T: 1 ok, 1 could not start\n"
                                    "  nope  error     127   T  program not found: nosuchprog\n"
                                    "  next  ok          0   T\n");
}

TEST(StartError, MissingCwdIs127)
{
  Sandbox box;
  box.write_jobs(R"(
[[job]]
name = "lost"
cwd = "nosuch"
argv = ['@CHILD@', 'print', '1', 'ran']
)");

  auto result = box.run({});

  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.out, "");
  EXPECT_EQ(mask_times(result.err),
            "lost | fanout: cwd \"nosuch\": No such file or directory\n"
            "fanout: 1 job in T: 1 could not start\n"
            "  lost  error     127   T  cwd \"nosuch\": No such file or directory\n");
}

TEST(StartError, NonExecutableFileIs126)
{
  Sandbox box;
  auto script = box.write_file("script.sh", "#!/bin/sh\necho hi\n");
  std::filesystem::permissions(script, std::filesystem::perms(0644));
  box.write_jobs(R"(
[[job]]
name = "script"
argv = ['./script.sh']
)");

  auto result = box.run({});

  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.out, "");
  EXPECT_EQ(mask_times(result.err),
            "script | fanout: cannot run \"./script.sh\": Permission denied\n"
            "fanout: 1 job in T: 1 could not start\n"
            "  script  error     126   T  cannot run \"./script.sh\": Permission denied\n");
}
