// SPDX-License-Identifier: MIT
// End-to-end tests of runs that meet the system's limits: on descriptors
// (RLIMIT_NOFILE, set by the shell's ulimit before it execs fanout), and on
// processes and threads (a pids cgroup, which binds root too). fanout raises
// its own soft descriptor limit, and jobs start with the one it was given. A
// job that cannot get what it needs to start waits for a running job to end;
// with none running, it ends `error` 126, "cannot start: WHAT: REASON", and
// the run goes on to its summary.
//
// The thread pool starts a worker thread when no idle one is left, and a
// worker becomes idle a moment after its job has ended: how many threads
// exist depends on timing. A pids limit that makes a job of that pool wait
// for a running one may then leave no room for any job, so that pool's
// waiting is tested with descriptors, which its event loop takes for a
// job's pipes, and only its lone job is tested under a pids limit.

#include "harness.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <regex>
#include <string>
#include <string_view>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

using e2e::mask_times;
using e2e::Sandbox;
using e2e::sorted_lines;
using e2e::split_lines;

namespace {

// `count` jobs, job-1 to job-N by default, each running `argv`.
std::string numbered_jobs(int count, std::string_view argv)
{
  std::string jobs;
  for (int i = 1; i <= count; ++i) {
    jobs += "[[job]]\nargv = ";
    jobs += argv;
    jobs += "\n";
  }
  return jobs;
}

// `name` padded as fanout pads the names of the jobs job-1 to job-`count`.
std::string padded_name(int number, int count)
{
  std::string name = "job-" + std::to_string(number);
  name.resize(std::max(name.size(), ("job-" + std::to_string(count)).size()), ' ');
  return name;
}

// The summary of the jobs job-1 to job-`count` when all ended ok, times
// masked: past 100 jobs, the summary lists none of them.
std::string all_ok_summary(int count)
{
  std::string summary =
    "fanout: " + std::to_string(count) + " jobs in T: " + std::to_string(count) + " ok\n";
  for (int i = 1; i <= count && count <= 100; ++i) {
    summary += "  " + padded_name(i, count) + "  ok          0   T\n";
  }
  return summary;
}

// `text` without -v's lines: how often a job that waited is said to start
// is not what these tests are about.
std::string without_verbose_lines(std::string_view text)
{
  std::string kept;
  for (const std::string& line : split_lines(text)) {
    if (!line.starts_with("fanout: started ") && !line.starts_with("fanout: finished ")) {
      kept += line + "\n";
    }
  }
  return kept;
}

// Expects `err`, fanout's stderr for the one job "x" (-v's lines aside), to
// say exactly that it could not start for `reason`: its tagged line and its
// summary row, with the same note "cannot start: WHAT: REASON" in both. WHAT
// is fanout's, never the job's program.
void expect_cannot_start(const std::string& err, const std::string& reason)
{
  const std::string note = "(cannot start: [^\n]*: " + reason + ")";
  const std::regex expected("x \\| fanout: " + note +
                            "\n"
                            "fanout: 1 job in T: 1 could not start\n"
                            "  x  error     126   T  " +
                            note + "\n");
  const std::string text = without_verbose_lines(mask_times(err));
  std::smatch match;
  ASSERT_TRUE(std::regex_match(text, match, expected)) << text;
  EXPECT_EQ(match.str(1), match.str(2));
  EXPECT_EQ(match.str(1).find("/bin/sh"), std::string::npos) << match.str(1);
}

rlim_t hard_descriptor_limit()
{
  rlimit limit{};
  ::getrlimit(RLIMIT_NOFILE, &limit);
  return limit.rlim_max;
}

// A sanitizer's runtime needs descriptors and tasks of its own: UBSan's
// check of an object's type tests memory through a pipe (an object looks
// invalid once none can be made), and LeakSanitizer needs a thread at exit.
// Tests that leave fanout without them test the sanitizer, not fanout.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr bool k_sanitized = true;
#else
constexpr bool k_sanitized = false;
#endif
constexpr std::string_view k_sanitized_reason =
  "a sanitizer's runtime needs the descriptors and tasks this test takes away";

// A pids cgroup of the test's own, which limits the tasks (processes and
// threads) of what runs in it: fork() and thread creation there fail with
// EAGAIN past the limit, for root as for anyone. It needs a hierarchy with
// the pids controller that this process may create cgroups in: cgroup v1's
// pids hierarchy, or the cgroup v2 root when it enables pids for its
// children. Removed with the object, once what ran in it has ended.
class PidsCgroup {
public:
  explicit PidsCgroup(int max)
  {
    if (k_sanitized) {
      // The tests count fanout's own tasks.
      m_unavailable = k_sanitized_reason;
    } else {
      create(max);
    }
  }

  ~PidsCgroup()
  {
    if (!m_dir.empty()) {
      ::rmdir(m_dir.c_str());
    }
  }

  PidsCgroup(const PidsCgroup&) = delete;
  PidsCgroup& operator=(const PidsCgroup&) = delete;

  // Why there is no cgroup, or "" when there is one.
  const std::string& unavailable() const { return m_unavailable; }

  // The shell command that moves the shell running it into the cgroup.
  std::string prelude() const { return "echo $$ > " + m_dir + "/cgroup.procs"; }

private:
  void create(int max)
  {
    static int made = 0;
    const std::string name =
      "fanout-e2e-" + std::to_string(::getpid()) + "-" + std::to_string(++made);
    for (const std::string root : {"/sys/fs/cgroup/pids", "/sys/fs/cgroup"}) {
      if (::access((root + "/cgroup.procs").c_str(), F_OK) != 0) {
        continue;
      }
      const std::string dir = root + "/" + name;
      if (::mkdir(dir.c_str(), 0755) != 0) {
        m_unavailable = "cannot create a cgroup in " + root + ": " + std::strerror(errno);
        continue;
      }
      std::ofstream limit(dir + "/pids.max");
      if (limit << max << std::flush) {
        m_dir = dir;
        return;
      }
      ::rmdir(dir.c_str());
      m_unavailable = root + " has no pids controller for its cgroups";
    }
    if (m_unavailable.empty()) {
      m_unavailable = "no cgroup hierarchy in /sys/fs/cgroup";
    }
  }

  std::string m_dir;
  std::string m_unavailable;
};

// Runs the one job "x" in `pool` where fanout may have one task, its main
// thread, so neither a job's process nor a worker thread. (Its console
// writes from the main thread while its output does not have to wait, as
// here.)
void expect_lone_job_without_tasks_is_error_126(const std::string& pool)
{
  PidsCgroup cgroup(1);
  if (!cgroup.unavailable().empty()) {
    GTEST_SKIP() << "no pids cgroup to limit fanout's tasks: " << cgroup.unavailable();
  }
  Sandbox box;
  box.write_jobs("[[job]]\nname = \"x\"\ncmd = \"true\"\n");

  auto result = box.run_after(cgroup.prelude(), {"--pool", pool, "-v"});

  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.out, "");
  expect_cannot_start(result.err, "Resource temporarily unavailable");
}

} // namespace

// At -j 340 the process pool holds three descriptors for each running job,
// over 1,020 at once: past the soft limit most systems give, which fanout
// raises. (The thread pool holds two for each: it needs no raise here.)
TEST(ResourcesFaults, RunsAtJ340UnderTheUsualSoftDescriptorLimit)
{
  if (hard_descriptor_limit() < 1024) {
    GTEST_SKIP() << "the hard limit on descriptors is below 1024";
  }
  Sandbox box;
  box.write_jobs(numbered_jobs(400, "['@CHILD@']"));

  auto result = box.run_after("ulimit -Sn 1024", {"-j", "340"});

  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.out, "");
  EXPECT_EQ(mask_times(result.err), all_ok_summary(400));
}

// A program that uses select() breaks with descriptors past 1023: a job
// starts with the soft limit fanout was given, not the one it raised.
TEST(ResourcesFaults, JobsStartWithTheSoftDescriptorLimitFanoutWasGiven)
{
  const rlim_t hard = hard_descriptor_limit();
  if (hard <= 1024) {
    GTEST_SKIP() << "the hard limit on descriptors leaves no soft limit of 1024 to raise";
  }
  Sandbox box;
  box.write_jobs("[[job]]\nname = \"x\"\nargv = ['@CHILD@', 'nofile']\n");

  auto result = box.run_after("ulimit -Sn 1024", {"-q"});

  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.out, "x | nofile 1024 " +
                          (hard == RLIM_INFINITY ? "unlimited" : std::to_string(hard)) + "\n");
  EXPECT_EQ(result.err, "");
}

// Under a hard limit of 64, fanout has descriptors for far fewer than the 40
// jobs -j lets it run at once (two or three for each, besides its own): the
// rest wait for running ones to end.
TEST(ResourcesFaults, JobsWaitForDescriptorsUnderALowHardLimit)
{
  if (k_sanitized) {
    GTEST_SKIP() << k_sanitized_reason;
  }
  constexpr int k_jobs = 60;
  Sandbox box;
  box.write_jobs(numbered_jobs(k_jobs, "['@CHILD@', 'print', '1', 'line']"));
  std::vector<std::string> lines;
  for (int i = 1; i <= k_jobs; ++i) {
    lines.push_back(padded_name(i, k_jobs) + " | line 1");
  }
  std::sort(lines.begin(), lines.end());

  auto result = box.run_after("ulimit -n 64", {"-j", "40"});

  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(sorted_lines(result.out), lines);
  EXPECT_EQ(mask_times(result.err), all_ok_summary(k_jobs));
}

// How many descriptors fanout needs before its first job is its own
// business: the test finds the lowest limit under which the job runs, and
// takes one fewer.
TEST(ResourcesFaults, LoneJobWithoutDescriptorsEndsError126)
{
  if (k_sanitized) {
    GTEST_SKIP() << k_sanitized_reason;
  }
  Sandbox box;
  box.write_jobs("[[job]]\nname = \"x\"\ncmd = \"true\"\n");
  int runs_at = 0;
  for (int limit = 3; limit <= 64 && runs_at == 0; ++limit) {
    if (box.run_after("ulimit -n " + std::to_string(limit), {"-q"}).exit_code == 0) {
      runs_at = limit;
    }
  }
  ASSERT_GT(runs_at, 3) << "no limit from 4 to 64 descriptors lets fanout run one job";

  auto result = box.run_after("ulimit -n " + std::to_string(runs_at - 1), {});

  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.out, "");
  expect_cannot_start(result.err, "Too many open files");
}

TEST(ResourcesFaults, LoneJobWithoutAThreadEndsError126)
{
  expect_lone_job_without_tasks_is_error_126("thread");
}

TEST(ResourcesFaults, LoneJobWithoutAProcessEndsError126)
{
  expect_lone_job_without_tasks_is_error_126("process");
}

// Room for fanout's main thread (see above) and one job: the second
// job's fork fails while the first runs (or has yet to be reaped), and it
// waits for it.
TEST(ResourcesFaults, JobWithoutAProcessWaitsForARunningJob)
{
  PidsCgroup cgroup(2);
  if (!cgroup.unavailable().empty()) {
    GTEST_SKIP() << "no pids cgroup to limit fanout's tasks: " << cgroup.unavailable();
  }
  Sandbox box;
  box.write_jobs(R"(
[[job]]
name = "b1"
argv = ['@CHILD@', 'print', '1', 'b1']

[[job]]
name = "b2"
argv = ['@CHILD@', 'print', '1', 'b2']
)");

  auto result = box.run_after(cgroup.prelude(), {"--pool", "process", "-v", "-j", "2"});

  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(sorted_lines(result.out), (std::vector<std::string>{"b1 | b1 1", "b2 | b2 1"}));
  EXPECT_EQ(without_verbose_lines(mask_times(result.err)), "fanout: 2 jobs in T: 2 ok\n"
                                                           "  b1  ok          0   T\n"
                                                           "  b2  ok          0   T\n");
}
