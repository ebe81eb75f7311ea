// SPDX-License-Identifier: MIT
// The processes a test watches besides fanout: waiting for a job's process
// to end, a process held by its pidfd, and a process's children.
#include "harness_internal.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

namespace fs = std::filesystem;

namespace e2e {

namespace {

constexpr int k_gone_ceiling_ms = 5000;

bool is_test_child(pid_t pid)
{
  std::ifstream cmdline("/proc/" + std::to_string(pid) + "/cmdline", std::ios::binary);
  std::string argv0;
  std::getline(cmdline, argv0, '\0');
  return argv0 == TEST_CHILD_BIN;
}

} // namespace

// fanout may exit right after it SIGKILLed a group, and the kernel ends the
// members asynchronously: one can take a moment to die. So this waits for the
// exit event (a pidfd, no polling); the ceiling only bounds a real survivor,
// which test_child makes sleep 60 s.
bool wait_until_gone(pid_t pid)
{
  if (pid <= 0) {
    return true; // no pid file: the caller's check already failed
  }
  int pid_fd = pidfd_open(pid);
  if (pid_fd < 0) {
    return true; // reaped
  }
  // A pid may be reused once reaped: only a test_child can be one of ours.
  bool gone = !is_test_child(pid);
  if (!gone) {
    pollfd event{pid_fd, POLLIN, 0};
    gone = ::poll(&event, 1, k_gone_ceiling_ms) > 0;
    if (!gone) {
      pidfd_send_signal(pid_fd, SIGKILL);
    }
  }
  ::close(pid_fd);
  return gone;
}

WatchedProcess::WatchedProcess(pid_t pid) : m_pid_fd(pid > 0 ? pidfd_open(pid) : -1)
{
  if (m_pid_fd < 0) {
    ADD_FAILURE() << "cannot watch process " << pid << ": " << std::strerror(errno);
  }
}

WatchedProcess::~WatchedProcess()
{
  if (m_pid_fd >= 0) {
    pidfd_send_signal(m_pid_fd, SIGKILL);
    ::close(m_pid_fd);
  }
}

bool WatchedProcess::wait_until_gone()
{
  pollfd event{m_pid_fd, POLLIN, 0};
  return m_pid_fd >= 0 && ::poll(&event, 1, k_gone_ceiling_ms) > 0;
}

bool WatchedProcess::is_running() const
{
  pollfd event{m_pid_fd, POLLIN, 0};
  return m_pid_fd >= 0 && ::poll(&event, 1, 0) == 0;
}

std::vector<pid_t> children_of(pid_t pid)
{
  std::vector<pid_t> children;
  const fs::path tasks = "/proc/" + std::to_string(pid) + "/task";
  std::error_code ignored;
  for (const auto& task : fs::directory_iterator(tasks, ignored)) {
    std::ifstream list(task.path() / "children");
    for (pid_t child = 0; list >> child;) {
      children.push_back(child);
    }
  }
  std::sort(children.begin(), children.end());
  return children;
}

} // namespace e2e
