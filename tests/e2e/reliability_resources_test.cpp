// SPDX-License-Identifier: MIT
// Reliability suite, bounded resources: 2,000 trivial jobs at
// -j64. While fanout runs, the test samples fanout's open descriptors
// (/proc/PID/fd) and its child processes (zombies included, from /proc/*/stat)
// and asserts that both stay within a bound set by -j, not by the number of
// jobs: a leaked pipe or pidfd, or a child that is never reaped, would grow
// with every job and break the bound long before the last job.

#include "harness.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <dirent.h>
#include <fstream>
#include <iostream>
#include <poll.h>
#include <sstream>
#include <string>
#include <string_view>
#include <sys/syscall.h>
#include <unistd.h>

using e2e::Sandbox;

namespace {

// Enough jobs to dwarf the bound on descriptors and children, so that a
// per-job leak cannot hide, and few enough to stay well inside the
// harness's ceiling on a loaded machine. Under AddressSanitizer every job
// costs several times more; 500 still outnumber the pool eightfold, which
// is what the bound needs.
#ifdef __SANITIZE_ADDRESS__
constexpr int k_jobs = 500;
#else
constexpr int k_jobs = 2000;
#endif
constexpr int k_parallel = 64;

// Per running job fanout holds the read ends of its stdout and stderr pipes
// and a pidfd: 3. Whatever the number of jobs, it also holds 13 (measured with
// 1 and 3 jobs sleeping, /proc/PID/fd): 0, 1 and 2; asio's eventfd, epoll
// and timerfd; the self-pipe of its signal_set (2); /dev/null twice (the
// jobs' stdin, opened once, and the output writer's); and its jobserver's
// pipe (2) with a reader of its own. The peak measured at -j64 is about
// 205 = 13 + 3 * 64. The bound adds 6 for the moment a job is being
// started: its two pipe write ends and its pidfd, before they are closed or
// counted. One descriptor leaked per job would break it after 6 jobs.
// In the thread pool (FANOUT_E2E_POOL=thread) a job has no pidfd, but its
// pipes' write ends stay open until its worker thread has spawned it, and
// the workers spawn at once: 4 per running job.
constexpr int k_fixed_fds = 19;

int fd_bound()
{
  const char* pool = std::getenv("FANOUT_E2E_POOL");
  const bool threads = pool != nullptr && std::string_view(pool) == "thread";
  return (threads ? 4 : 3) * k_parallel + k_fixed_fds;
}

struct Sample {
  int fds = 0;
  int children = 0;
  int zombies = 0;
};

// The descriptors open in `pid`, or -1 when it is gone.
int count_fds(pid_t pid)
{
  std::string dir = "/proc/" + std::to_string(pid) + "/fd";
  DIR* stream = ::opendir(dir.c_str());
  if (stream == nullptr) {
    return -1;
  }
  int count = 0;
  while (dirent* entry = ::readdir(stream)) {
    if (entry->d_name[0] != '.') {
      ++count;
    }
  }
  ::closedir(stream);
  return count;
}

struct ProcStat {
  char state = '?';
  pid_t parent = 0;
};

// State and parent of `pid` from /proc/PID/stat; the command name, in
// parentheses, may hold spaces, so fields are read after its last ')'.
bool read_stat(const std::string& pid, ProcStat& stat)
{
  std::ifstream file("/proc/" + pid + "/stat");
  std::string text;
  if (!std::getline(file, text)) {
    return false;
  }
  auto close = text.rfind(')');
  if (close == std::string::npos) {
    return false;
  }
  std::istringstream fields(text.substr(close + 1));
  return static_cast<bool>(fields >> stat.state >> stat.parent);
}

// The children of `parent` (found by scanning /proc), and how many of them
// are zombies; `last_child`, if given, gets one of them. The test's only child
// is the fanout it started. (Its /proc/PID/cmdline cannot tell: posix_spawn
// returns while the exec is still setting it up, and it reads as "".)
Sample children_of(pid_t parent, pid_t* last_child = nullptr)
{
  Sample sample;
  DIR* proc = ::opendir("/proc");
  if (proc == nullptr) {
    return sample;
  }
  while (dirent* entry = ::readdir(proc)) {
    std::string name = entry->d_name;
    if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) {
      continue;
    }
    ProcStat stat;
    if (!read_stat(name, stat) || stat.parent != parent) {
      continue;
    }
    ++sample.children;
    sample.zombies += stat.state == 'Z' ? 1 : 0;
    if (last_child != nullptr) {
      *last_child = static_cast<pid_t>(std::stoi(name));
    }
  }
  ::closedir(proc);
  return sample;
}

} // namespace

TEST(ReliabilityResources, ThousandsOfJobsAtJ64KeepFdsAndChildrenBoundedByJ)
{
  Sandbox box;
  std::string jobs;
  jobs.reserve(k_jobs * 40);
  for (int i = 0; i < k_jobs; ++i) {
    jobs += "[[job]]\nargv = ['@CHILD@']\n";
  }
  box.write_jobs(jobs);

  // -q: every job is ok, so fanout writes nothing, and no full pipe can stall
  // it while this test samples instead of reading.
  auto fanout = box.start({"-q", "-j", std::to_string(k_parallel)});
  pid_t pid = 0;
  ASSERT_EQ(children_of(::getpid(), &pid).children, 1) << "fanout is not this test's only child";
  int pid_fd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
  ASSERT_GE(pid_fd, 0);

  // Sample until fanout exits; the pidfd wait is the pace of the sampling
  // and ends it at once when fanout exits. The harness's ceiling bounds a hang.
  Sample most;
  int samples = 0;
  auto ceiling = std::chrono::steady_clock::now() + std::chrono::seconds(55);
  for (;;) {
    int fds = count_fds(pid);
    Sample children = children_of(pid);
    pollfd exited{pid_fd, POLLIN, 0};
    if (::poll(&exited, 1, 10) != 0 || fds < 0 || std::chrono::steady_clock::now() > ceiling) {
      break;
    }
    ++samples;
    most.fds = std::max(most.fds, fds);
    most.children = std::max(most.children, children.children);
    most.zombies = std::max(most.zombies, children.zombies);
  }
  ::close(pid_fd);
  auto result = fanout.finish();

  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.out, "");
  EXPECT_EQ(result.err, "");
  EXPECT_GT(samples, 0);
  EXPECT_LE(most.fds, fd_bound());
  EXPECT_LE(most.children, k_parallel);
  EXPECT_LE(most.zombies, k_parallel);
  RecordProperty("samples", samples);
  RecordProperty("most_fds", most.fds);
  RecordProperty("most_children", most.children);
  RecordProperty("most_zombies", most.zombies);
  std::cout << "samples " << samples << ", most fds " << most.fds << " (bound " << fd_bound()
            << "), most children " << most.children << ", most zombies " << most.zombies << "\n";
}
