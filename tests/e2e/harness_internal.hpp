// SPDX-License-Identifier: MIT
// What the harness's own sources share, beside harness.hpp: its ceiling,
// pidfd calls and the spawn of a program. The tests include harness.hpp only.
#pragma once

#include "harness.hpp"

#include <chrono>
#include <filesystem>
#include <string>
#include <sys/syscall.h>
#include <sys/types.h>
#include <system_error>
#include <unistd.h>
#include <vector>

namespace e2e {

// Generous: a run that needs it has hung. CTest's own limit is 120 s.
inline constexpr auto k_ceiling = std::chrono::seconds(60);

// A pidfd for the process `pid`, or -1 (errno set) when there is none.
inline int pidfd_open(pid_t pid)
{
  return static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
}

// Sends `signal` to the process of `pid_fd`; 0, or -1 with errno set.
inline int pidfd_send_signal(int pid_fd, int signal)
{
  return static_cast<int>(::syscall(SYS_pidfd_send_signal, pid_fd, signal, nullptr, 0));
}

// Throws the std::system_error of errno value `error`, saying `what` failed.
[[noreturn]] inline void throw_errno(int error, const std::string& what)
{
  throw std::system_error(error, std::generic_category(), what);
}

// Starts `program` (a path) with `args` in `cwd`, with child_environment(),
// stdin /dev/null (or `stdin_fd`, when not -1), its stdout and stderr on
// pipes the returned RunningProgram reads, no other descriptor, and default
// signal dispositions. Throws std::system_error when it cannot start.
RunningProgram spawn(const std::string& program, const std::vector<std::string>& args,
                     const std::filesystem::path& cwd, int stdin_fd = -1);

} // namespace e2e
