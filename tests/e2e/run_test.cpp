// SPDX-License-Identifier: MIT
// End-to-end tests of how jobs run: the -j bound, pool slots, the
// environment, working folder, descriptors and signal state each job gets.

#include "harness.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

using e2e::lines_after;
using e2e::mask_times;
using e2e::most_running;
using e2e::Sandbox;
using e2e::split_lines;

// Jobs meet in pairs (2, 2, 4, 4, 6, 6 files in meet/): two of them must run
// at the same time to get past the rendezvous, so the maximum is exactly 2,
// not merely at most 2. With only one slot, the first job would give up
// after 20 s (exit 99) instead of hanging.
TEST(Limit, RunsExactlyJobsAtOnce)
{
  Sandbox box;
  box.write_jobs(R"(
[[job]]
name = "j1"
argv = ['@CHILD@', 'mark', 'log', 'start', 'rendezvous', 'meet', '2', 'mark', 'log', 'end']
[[job]]
name = "j2"
argv = ['@CHILD@', 'mark', 'log', 'start', 'rendezvous', 'meet', '2', 'mark', 'log', 'end']
[[job]]
name = "j3"
argv = ['@CHILD@', 'mark', 'log', 'start', 'rendezvous', 'meet', '4', 'mark', 'log', 'end']
[[job]]
name = "j4"
argv = ['@CHILD@', 'mark', 'log', 'start', 'rendezvous', 'meet', '4', 'mark', 'log', 'end']
[[job]]
name = "j5"
argv = ['@CHILD@', 'mark', 'log', 'start', 'rendezvous', 'meet', '6', 'mark', 'log', 'end']
[[job]]
name = "j6"
argv = ['@CHILD@', 'mark', 'log', 'start', 'rendezvous', 'meet', '6', 'mark', 'log', 'end']
)");

  auto result = box.run({"-j", "2"});

  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(split_lines(box.read_file("log")).size(), 12u);
  EXPECT_EQ(most_running(box.read_file("log")), 2);
}

TEST(Limit, OneAtATimeRunsJobsInFileOrder)
{
  Sandbox box;
  box.write_jobs(R"(
[[job]]
name = "c"
argv = ['@CHILD@', 'mark', 'log', 'c']
[[job]]
name = "a"
argv = ['@CHILD@', 'mark', 'log', 'a']
[[job]]
name = "b"
argv = ['@CHILD@', 'mark', 'log', 'b']
)");

  auto result = box.run({"-j", "1"});

  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(box.read_file("log"), "c\na\nb\n");
}

TEST(Limit, ManyJobsAllRunAndAreCounted)
{
  Sandbox box;
  std::string jobs;
  for (int i = 1; i <= 300; ++i) {
    jobs += "[[job]]\nargv = ['@CHILD@', 'print', '1', 'hi']\n";
  }
  box.write_jobs(jobs);

  auto result = box.run({"-j", "8", "-q"});

  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.err, "");
  EXPECT_EQ(split_lines(result.out).size(), 300u);
  EXPECT_EQ(lines_after(result.out, "job-1   | "), (std::vector<std::string>{"hi 1"}));
  EXPECT_EQ(lines_after(result.out, "job-300 | "), (std::vector<std::string>{"hi 1"}));
}

TEST(Slot, JobsRunningAtOnceHaveDifferentSlots)
{
  Sandbox box;
  box.write_jobs(R"(
[[job]]
name = "a"
argv = ['@CHILD@', 'rendezvous', 'meet', '2', 'env', 'FANOUT_SLOT']
[[job]]
name = "b"
argv = ['@CHILD@', 'rendezvous', 'meet', '2', 'env', 'FANOUT_SLOT']
)");

  auto result = box.run({"-j", "2"});

  std::vector<std::string> slots = lines_after(result.out, "a | ");
  std::vector<std::string> slots_b = lines_after(result.out, "b | ");
  slots.insert(slots.end(), slots_b.begin(), slots_b.end());
  std::sort(slots.begin(), slots.end());
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(slots, (std::vector<std::string>{"FANOUT_SLOT=1", "FANOUT_SLOT=2"}));
}

TEST(Env, JobSeesItsNameIndexSlotAndEnvironment)
{
  Sandbox box;
  box.write_jobs(R"(
[defaults]
env = { SHARED = "from-defaults", OVERRIDDEN = "from-defaults" }

[[job]]
name = "first"
argv = ['@CHILD@']

[[job]]
name = "second"
env = { OVERRIDDEN = "from-job" }
argv = ['@CHILD@', 'env', 'FANOUT_JOB_NAME', 'env', 'FANOUT_JOB_INDEX', 'env', 'FANOUT_SLOT',
        'env', 'SHARED', 'env', 'OVERRIDDEN', 'env', 'FANOUT_E2E_INHERITED',
        'env', 'FANOUT_E2E_UNSET']
)");

  auto result = box.run({"-j", "1", "second"});

  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.out, "second | FANOUT_JOB_NAME=second\n"
                        "second | FANOUT_JOB_INDEX=2\n"
                        "second | FANOUT_SLOT=1\n"
                        "second | SHARED=from-defaults\n"
                        "second | OVERRIDDEN=from-job\n"
                        "second | FANOUT_E2E_INHERITED=yes\n"
                        "second | FANOUT_E2E_UNSET unset\n");
}

TEST(Env, DefaultNameIsJobAndItsPosition)
{
  Sandbox box;
  box.write_jobs(R"(
[[job]]
name = "named"
argv = ['@CHILD@']

[[job]]
argv = ['@CHILD@', 'env', 'FANOUT_JOB_NAME']
)");

  auto result = box.run({"-j", "1"});

  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.out, "job-2 | FANOUT_JOB_NAME=job-2\n");
  EXPECT_EQ(mask_times(result.err), "fanout: 2 jobs in T: 2 ok\n"
                                    "  named  ok          0   T\n"
                                    "  job-2  ok          0   T\n");
}

TEST(Cwd, DefaultIsTheJobFileFolder)
{
  Sandbox box;
  box.write_file("sub/jobs.toml", R"(
[[job]]
name = "a"
argv = ['@CHILD@', 'mark', 'here.log', 'ran']
)");

  auto result = box.run({"-f", "sub/jobs.toml"});

  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(box.read_file("sub/here.log"), "ran\n");
}

TEST(Cwd, RelativeCwdIsResolvedAgainstTheJobFileFolder)
{
  Sandbox box;
  box.write_file("sub/work/.keep", "");
  box.write_file("sub/jobs.toml", R"(
[[job]]
name = "a"
cwd = "work"
argv = ['@CHILD@', 'mark', 'here.log', 'ran']
)");

  auto result = box.run({"-f", "sub/jobs.toml"});

  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(box.read_file("sub/work/here.log"), "ran\n");
}

TEST(Cwd, DefaultsCwdAppliesToEveryJob)
{
  Sandbox box;
  box.write_file("work/.keep", "");
  box.write_jobs(R"(
[defaults]
cwd = "work"

[[job]]
name = "a"
argv = ['@CHILD@', 'mark', 'here.log', 'a']
)");

  auto result = box.run({});

  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(box.read_file("work/here.log"), "a\n");
}

TEST(Isolation, JobGetsDevNullAsStdinAndNoOtherDescriptor)
{
  Sandbox box;
  box.write_jobs(R"(
[[job]]
name = "a"
argv = ['@CHILD@', 'fds']
)");

  // One job at a time: no jobserver, whose two descriptors jobs would keep
  // (Jobserver.JobsGetFanoutsOwnJobserverInMakeflagsAndItsDescriptorsOnly).
  auto result = box.run({"-j1"});

  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.out, "a | fds 0 1 2 stdin=/dev/null\n");
}

TEST(Isolation, JobStartsWithNoSignalBlockedOrIgnored)
{
  Sandbox box;
  box.write_jobs(R"(
[[job]]
name = "a"
argv = ['@CHILD@', 'signals']
)");

  auto result = box.run({});

  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.out, "a | blocked=0000000000000000 ignored=0000000000000000\n");
}
