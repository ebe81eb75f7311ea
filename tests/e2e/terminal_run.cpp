// SPDX-License-Identifier: MIT
#include "terminal_run.hpp"

#include <gtest/gtest.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <sys/wait.h>
#include <system_error>
#include <termios.h>
#include <unistd.h>

namespace e2e {

namespace {

// Generous: a run that needs it has hung. CTest's own limit is 120 s.
constexpr auto k_ceiling = std::chrono::seconds(60);

constexpr std::string_view k_erase = "\r\x1b[K";

// The child's side of forkpty, up to the exec: only async-signal-safe calls.
[[noreturn]] void exec_on_terminal(const std::string& dir, const std::string& stdout_path,
                                   bool stdin_terminal, char** argv, char** envp)
{
  if (!stdin_terminal) {
    const int null = ::open("/dev/null", O_RDONLY);
    ::dup2(null, STDIN_FILENO);
  }
  if (!stdout_path.empty()) {
    const int out = ::open(stdout_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ::dup2(out, STDOUT_FILENO);
  }
  // As from a shell: default signal dispositions, none blocked.
  struct sigaction default_action {};
  default_action.sa_handler = SIG_DFL;
  for (int signal = 1; signal < NSIG; ++signal) {
    ::sigaction(signal, &default_action, nullptr);
  }
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  ::close_range(3, ~0U, 0);
  if (::chdir(dir.c_str()) == 0) {
    ::execve(argv[0], argv, envp);
  }
  ::_exit(127);
}

} // namespace

TerminalRun::TerminalRun(const Sandbox& box, const std::vector<std::string>& args,
                         TerminalSetup setup)
    : m_deadline(std::chrono::steady_clock::now() + k_ceiling)
{
  std::vector<std::string> argv_strings{FANOUT_BIN};
  for (const std::string& arg : with_suite_options(args)) {
    argv_strings.push_back(arg);
  }
  std::vector<std::string> env_strings;
  for (std::string& entry : child_environment()) {
    if (!entry.starts_with("TERM=") && !entry.starts_with("COLUMNS=")) {
      env_strings.push_back(std::move(entry));
    }
  }
  if (setup.term) {
    env_strings.push_back("TERM=" + *setup.term);
  }
  std::vector<char*> argv = pointers_to(argv_strings);
  std::vector<char*> envp = pointers_to(env_strings);
  const std::string dir = box.dir().string();
  const std::string stdout_path =
    setup.stdout_file ? (box.dir() / *setup.stdout_file).string() : "";
  termios raw{};
  ::cfmakeraw(&raw);
  winsize size{};
  size.ws_row = 24;
  size.ws_col = setup.columns;
  m_pid = ::forkpty(&m_master, nullptr, &raw, &size);
  if (m_pid < 0) {
    throw std::system_error(errno, std::generic_category(), "forkpty");
  }
  if (m_pid == 0) {
    exec_on_terminal(dir, stdout_path, setup.stdin_terminal, argv.data(), envp.data());
  }
  // Not for the programs other tests start: the terminal must end with fanout.
  ::fcntl(m_master, F_SETFD, FD_CLOEXEC);
  ::fcntl(m_master, F_SETFL, O_NONBLOCK);
}

TerminalRun::~TerminalRun()
{
  if (m_pid > 0) {
    ::kill(m_pid, SIGKILL);
    ::waitpid(m_pid, nullptr, 0);
  }
  ::close(m_master);
}

bool TerminalRun::read_some()
{
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
    m_deadline - std::chrono::steady_clock::now());
  pollfd pfd{m_master, POLLIN, 0};
  if (left.count() <= 0 || ::poll(&pfd, 1, static_cast<int>(left.count())) == 0) {
    return false;
  }
  char buffer[4096];
  const ssize_t n = ::read(m_master, buffer, sizeof buffer);
  if (n > 0) {
    m_bytes.append(buffer, static_cast<std::size_t>(n));
  } else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
    m_closed = true; // EIO: no one has the terminal open any more
  }
  return !m_closed;
}

bool TerminalRun::wait_for(std::string_view text)
{
  while (m_bytes.find(text) == std::string::npos) {
    if (!read_some()) {
      ADD_FAILURE() << "the terminal never showed \"" << text << "\"; it showed:\n" << m_bytes;
      return false;
    }
  }
  return true;
}

void TerminalRun::type(std::string_view text)
{
  while (!text.empty()) {
    const ssize_t n = ::write(m_master, text.data(), text.size());
    if (n > 0) {
      text.remove_prefix(static_cast<std::size_t>(n));
    } else if (n < 0 && errno != EAGAIN && errno != EINTR) {
      ADD_FAILURE() << "cannot type on the terminal: " << std::strerror(errno);
      return;
    }
  }
}

Result TerminalRun::finish()
{
  while (read_some()) {
  }
  if (!m_closed) {
    ADD_FAILURE() << "fanout did not leave its terminal; it showed:\n" << m_bytes;
    ::kill(m_pid, SIGKILL);
  }
  int status = 0;
  ::waitpid(m_pid, &status, 0);
  m_pid = 0;
  Result result;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
  result.out = m_bytes;
  return result;
}

Screen screen_of(std::string_view bytes)
{
  Screen screen;
  while (!bytes.empty()) {
    const std::size_t newline = bytes.find('\n');
    const std::size_t erase = bytes.find(k_erase);
    if (erase < newline) {
      screen.statuses.emplace_back(bytes.substr(0, erase));
      bytes.remove_prefix(erase + k_erase.size());
    } else if (newline != std::string_view::npos) {
      screen.lines.append(bytes.substr(0, newline + 1));
      bytes.remove_prefix(newline + 1);
    } else {
      screen.left = bytes;
      break;
    }
  }
  return screen;
}

} // namespace e2e
