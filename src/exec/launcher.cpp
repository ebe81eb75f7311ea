// SPDX-License-Identifier: MIT
#include "exec/launcher.hpp"

#include "exec/job_watch.hpp"

#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

namespace fanout {

void GroupLauncher::signal(JobWatch& watch, int signal)
{
  ::kill(-watch.pid(), signal);
}

void JobPipes::close_write_ends()
{
  ::close(out[1]);
  ::close(err[1]);
}

void JobPipes::close_read_ends()
{
  ::close(out[0]);
  ::close(err[0]);
}

std::variant<JobPipes, SpawnFailure> make_job_pipes()
{
  JobPipes pipes;
  if (::pipe2(pipes.out, O_CLOEXEC) != 0) {
    return cannot_start("cannot create a pipe", errno);
  }
  if (::pipe2(pipes.err, O_CLOEXEC) != 0) {
    const int error = errno;
    ::close(pipes.out[0]);
    ::close(pipes.out[1]);
    return cannot_start("cannot create a pipe", error);
  }
  return pipes;
}

std::optional<SpawnFailure> spawn_watched(JobWatch& watch, SpawnRequest request,
                                          const std::function<void(pid_t)>& spawned)
{
  auto made = make_job_pipes();
  if (auto* failure = std::get_if<SpawnFailure>(&made)) {
    return std::move(*failure);
  }
  JobPipes& pipes = std::get<JobPipes>(made);
  request.out_fd = pipes.out[1];
  request.err_fd = pipes.err[1];
  auto started = spawn_job(request);
  pipes.close_write_ends();
  if (auto* failure = std::get_if<SpawnFailure>(&started)) {
    pipes.close_read_ends();
    return std::move(*failure);
  }
  if (spawned) {
    spawned(std::get<pid_t>(started));
  }
  return watch_child(watch, std::get<pid_t>(started), pipes);
}

std::optional<SpawnFailure> watch_child(JobWatch& watch, pid_t pid, JobPipes& pipes)
{
  const int pidfd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
  if (pidfd < 0) {
    const int error = errno;
    // Unwatched, it cannot run: it goes with its group, and is reaped.
    ::kill(-pid, SIGKILL);
    while (::waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {
    }
    pipes.close_read_ends();
    return cannot_start("cannot open a pidfd", error);
  }
  watch.read_pipes(pipes.out[0], pipes.err[0]);
  watch.started(pid);
  watch.wait_for_exit(pidfd);
  return std::nullopt;
}

} // namespace fanout
