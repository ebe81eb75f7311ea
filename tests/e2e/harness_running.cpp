// SPDX-License-Identifier: MIT
// RunningProgram: a started program's output read from its pipes while the
// test talks to it, each wait under the one ceiling, and its end collected.
#include "harness_internal.hpp"

#include <gtest/gtest.h>

#include <cerrno>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

namespace e2e {

namespace {

std::string program_output(std::string_view name, std::string_view text)
{
  std::string shown = "--- ";
  shown += name;
  shown += " ---\n";
  shown += text;
  return shown;
}

} // namespace

RunningProgram::RunningProgram(pid_t pid, int out_fd, int err_fd, int pid_fd)
    : m_pid(pid), m_out_fd(out_fd), m_err_fd(err_fd), m_pid_fd(pid_fd),
      m_deadline(std::chrono::steady_clock::now() + k_ceiling)
{
}

RunningProgram::~RunningProgram()
{
  if (!m_exited) {
    pidfd_send_signal(m_pid_fd, SIGKILL);
    reap();
  }
  for (int fd : {m_out_fd, m_err_fd, m_pid_fd}) {
    if (fd >= 0) {
      ::close(fd);
    }
  }
}

// Reads what is there now. Returns true at end of file (and closes `fd`).
bool RunningProgram::drain(int& fd, std::string& into)
{
  if (fd < 0) {
    return true;
  }
  char buffer[65536];
  for (;;) {
    ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n > 0) {
      into.append(buffer, static_cast<std::size_t>(n));
    } else if (n == 0) {
      ::close(fd);
      fd = -1;
      return true;
    } else if (errno != EINTR) {
      return false; // EAGAIN: nothing more for now
    }
  }
}

void RunningProgram::reap()
{
  while (::waitpid(m_pid, &m_status, 0) < 0 && errno == EINTR) {
  }
  m_exited = true;
}

// Waits for output or the program's exit, once. False when the ceiling passed.
bool RunningProgram::read_some()
{
  pollfd fds[3];
  nfds_t count = 0;
  for (int fd : {m_out_fd, m_err_fd}) {
    if (fd >= 0) {
      fds[count++] = pollfd{fd, POLLIN, 0};
    }
  }
  if (!m_exited) {
    fds[count++] = pollfd{m_pid_fd, POLLIN, 0};
  }
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
    m_deadline - std::chrono::steady_clock::now());
  if (count == 0) {
    return true;
  }
  if (left.count() <= 0) {
    return false;
  }
  int ready = ::poll(fds, count, static_cast<int>(left.count()));
  if (ready == 0) {
    return false;
  }
  drain(m_out_fd, m_out);
  drain(m_err_fd, m_err);
  if (!m_exited && ready > 0 && (fds[count - 1].revents & POLLIN) != 0) {
    reap();
  }
  return true;
}

bool RunningProgram::wait_for_line(std::string_view line, Output output)
{
  const bool on_err = output == Output::err;
  const std::string& text = on_err ? m_err : m_out;
  const int& fd = on_err ? m_err_fd : m_out_fd;
  std::string whole = std::string(line) + "\n";
  auto seen = [&] {
    return text.starts_with(whole) || text.find("\n" + whole) != std::string::npos;
  };
  while (!seen()) {
    if (fd < 0) {
      ADD_FAILURE() << (on_err ? "stderr" : "stdout") << " ended before the line \"" << line
                    << "\"\n"
                    << program_output("stdout", m_out) << program_output("stderr", m_err);
      return false;
    }
    if (!read_some()) {
      ADD_FAILURE() << "no line \"" << line << "\" within " << k_ceiling.count() << " s\n"
                    << program_output("stdout", m_out) << program_output("stderr", m_err);
      return false;
    }
  }
  return true;
}

void RunningProgram::send_signal(int signal)
{
  if (!m_exited) {
    pidfd_send_signal(m_pid_fd, signal);
  }
}

void RunningProgram::close_stdout()
{
  if (m_out_fd >= 0) {
    ::close(m_out_fd);
    m_out_fd = -1;
  }
}

Result RunningProgram::finish()
{
  while (!m_exited) {
    if (!read_some()) {
      ADD_FAILURE() << "still running after " << k_ceiling.count() << " s: killed\n"
                    << program_output("stdout", m_out) << program_output("stderr", m_err);
      pidfd_send_signal(m_pid_fd, SIGKILL);
      reap();
    }
  }
  // It has exited, so all it wrote is in the pipes now. A pipe that is still
  // open after that is held by some other process: a job that outlived it or
  // a descriptor it leaked.
  bool out_done = drain(m_out_fd, m_out);
  bool err_done = drain(m_err_fd, m_err);
  if (!out_done || !err_done) {
    ADD_FAILURE() << "its stdout or stderr is still open in another process after it exited";
    close_stdout();
    ::close(m_err_fd);
    m_err_fd = -1;
  }
  Result result;
  result.exit_code = WIFSIGNALED(m_status) ? -WTERMSIG(m_status) : WEXITSTATUS(m_status);
  result.out = std::move(m_out);
  result.err = std::move(m_err);
  return result;
}

} // namespace e2e
