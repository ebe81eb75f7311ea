// SPDX-License-Identifier: MIT
// The signal and process steps of test_child: signals, SIGTERM handlers,
// pid files, grandchildren, daemons, and what became of them.

#include "test_child.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <dirent.h>
#include <fcntl.h>
#include <optional>
#include <signal.h>
#include <string>
#include <string_view>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace test_child {
namespace {

constexpr long k_grandchild_life_ms = 60'000;

// The whole of `path`, or nothing when it cannot be opened.
std::optional<std::string> read_text(const std::string& path)
{
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return std::nullopt;
  }
  std::string text;
  char buffer[4096];
  for (ssize_t n; (n = ::read(fd, buffer, sizeof buffer)) > 0;) {
    text.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return text;
}

pid_t read_pid_file(const std::string& path)
{
  auto text = read_text(path);
  if (!text) {
    fail(k_system_error, "cannot read " + path);
  }
  return static_cast<pid_t>(to_number(text->substr(0, text->find('\n'))));
}

} // namespace

void write_pid_file(const std::string& path, pid_t pid)
{
  std::string tmp = path + ".tmp." + std::to_string(pid);
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    fail(k_system_error, "cannot create " + tmp);
  }
  write_all(fd, std::to_string(pid) + "\n");
  ::close(fd);
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    fail(k_system_error, "cannot rename " + tmp);
  }
}

void set_handler(int signal, void (*handler)(int))
{
  struct sigaction action {};
  action.sa_handler = handler;
  sigemptyset(&action.sa_mask);
  if (sigaction(signal, &action, nullptr) != 0) {
    fail(k_system_error, "sigaction");
  }
}

void raise_signal(int signal)
{
  // SIGKILL and SIGSTOP cannot be caught or ignored: always at their default.
  if (signal != SIGKILL && signal != SIGSTOP) {
    set_handler(signal, SIG_DFL);
  }
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, signal);
  sigprocmask(SIG_UNBLOCK, &set, nullptr);
  ::raise(signal);
  fail(k_bad_step, "signal " + std::to_string(signal) + " did not end the process");
}

std::string g_trap_text;

extern "C" void on_trapped_term(int)
{
  int saved = errno;
  [[maybe_unused]] ssize_t n = ::write(STDOUT_FILENO, g_trap_text.data(), g_trap_text.size());
  errno = saved;
}

extern "C" void on_term_exit(int)
{
  [[maybe_unused]] ssize_t n = ::write(STDOUT_FILENO, g_trap_text.data(), g_trap_text.size());
  // SIGTERM is blocked while its handler runs: raised again at its default
  // action, it ends the process as soon as the handler returns.
  ::signal(SIGTERM, SIG_DFL);
  ::raise(SIGTERM);
}

void spawn_grandchild(const std::string& pid_file, bool new_session)
{
  int ready[2];
  if (::pipe2(ready, O_CLOEXEC) != 0) {
    fail(k_system_error, "pipe2");
  }
  pid_t pid = ::fork();
  if (pid < 0) {
    fail(k_system_error, "fork");
  }
  if (pid == 0) {
    ::close(ready[0]);
    if (new_session && ::setsid() < 0) {
      fail(k_system_error, "setsid");
    }
    write_pid_file(pid_file, ::getpid());
    write_all(ready[1], "x");
    ::close(ready[1]);
    sleep_ms(k_grandchild_life_ms);
    _exit(0);
  }
  ::close(ready[1]);
  char byte = 0;
  ssize_t n = 0;
  do {
    n = ::read(ready[0], &byte, 1);
  } while (n < 0 && errno == EINTR);
  ::close(ready[0]);
  if (n != 1) {
    fail(k_system_error, "the grandchild ended before writing " + pid_file);
  }
}

std::string g_program; // argv[0], to exec test_child again

void double_fork(const std::string& pid_file, bool keep_environment)
{
  // O_CLOEXEC: its end of file says that the daemon has written PIDFILE and
  // closed its end, or exec'd.
  int ready[2];
  if (::pipe2(ready, O_CLOEXEC) != 0) {
    fail(k_system_error, "pipe2");
  }
  pid_t middle = ::fork();
  if (middle < 0) {
    fail(k_system_error, "fork");
  }
  if (middle == 0) {
    ::close(ready[0]);
    if (::setsid() < 0) {
      fail(k_system_error, "setsid");
    }
    pid_t daemon = ::fork();
    if (daemon < 0) {
      fail(k_system_error, "fork");
    }
    if (daemon > 0) {
      _exit(0);
    }
    int null = ::open("/dev/null", O_RDWR | O_CLOEXEC);
    if (null < 0) {
      fail(k_system_error, "cannot open /dev/null");
    }
    for (int fd : {STDIN_FILENO, STDOUT_FILENO, STDERR_FILENO}) {
      ::dup2(null, fd);
    }
    write_pid_file(pid_file, ::getpid());
    if (!keep_environment) {
      std::string sleep_ms_text = std::to_string(k_grandchild_life_ms);
      char* argv[] = {g_program.data(), const_cast<char*>("sleep"), sleep_ms_text.data(), nullptr};
      char* no_environment[] = {nullptr};
      ::execve(g_program.c_str(), argv, no_environment);
      _exit(k_system_error);
    }
    ::close(ready[1]);
    sleep_ms(k_grandchild_life_ms);
    _exit(0);
  }
  ::close(ready[1]);
  while (::waitpid(middle, nullptr, 0) < 0 && errno == EINTR) {
  }
  char byte = 0;
  while (::read(ready[0], &byte, 1) < 0 && errno == EINTR) {
  }
  ::close(ready[0]);
  if (::access(pid_file.c_str(), F_OK) != 0) {
    fail(k_system_error, "the daemon ended before writing " + pid_file);
  }
}

void print_state(const std::string& pid_file)
{
  auto stat = read_text("/proc/" + std::to_string(read_pid_file(pid_file)) + "/stat");
  // "PID (COMM) STATE ...": COMM may hold ')', the last one ends it.
  std::size_t comm_end = stat ? stat->rfind(") ") : std::string::npos;
  std::string state = comm_end == std::string::npos   ? "gone"
                      : stat->at(comm_end + 2) == 'Z' ? "zombie"
                                                      : "running";
  write_all(STDOUT_FILENO, pid_file + " " + state + "\n");
}

void print_siblings()
{
  std::string tasks = "/proc/" + std::to_string(::getppid()) + "/task";
  DIR* stream = ::opendir(tasks.c_str());
  if (stream == nullptr) {
    fail(k_system_error, "cannot read " + tasks);
  }
  std::vector<long long> siblings;
  while (dirent* entry = ::readdir(stream)) {
    if (entry->d_name[0] == '.') {
      continue;
    }
    std::string children = read_text(tasks + "/" + entry->d_name + "/children").value_or("");
    for (std::size_t at = 0; at < children.size();) {
      std::size_t end = children.find(' ', at);
      if (end == std::string::npos) {
        end = children.size();
      }
      if (end > at) {
        long long pid = to_number(std::string_view(children).substr(at, end - at));
        if (pid != ::getpid()) {
          siblings.push_back(pid);
        }
      }
      at = end + 1;
    }
  }
  ::closedir(stream);
  std::sort(siblings.begin(), siblings.end());
  std::string line = "siblings";
  for (long long pid : siblings) {
    line += " " + std::to_string(pid);
  }
  write_all(STDOUT_FILENO, line + "\n");
}
} // namespace test_child
