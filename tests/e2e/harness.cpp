// SPDX-License-Identifier: MIT
#include "harness.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <iostream>
#include <poll.h>
#include <regex>
#include <signal.h>
#include <spawn.h>
#include <sstream>
#include <sys/inotify.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <system_error>
#include <unistd.h>

namespace fs = std::filesystem;

namespace e2e {

namespace {

// Generous: a run that needs it has hung. CTest's own limit is 120 s.
constexpr auto k_ceiling = std::chrono::seconds(60);
constexpr int k_gone_ceiling_ms = 5000;

int pidfd_open(pid_t pid)
{
  return static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
}

int pidfd_send_signal(int pid_fd, int signal)
{
  return static_cast<int>(::syscall(SYS_pidfd_send_signal, pid_fd, signal, nullptr, 0));
}

[[noreturn]] void throw_errno(int error, const std::string& what)
{
  throw std::system_error(error, std::generic_category(), what);
}

std::string program_output(std::string_view name, std::string_view text)
{
  std::string shown = "--- ";
  shown += name;
  shown += " ---\n";
  shown += text;
  return shown;
}

} // namespace

// fanout's environment: ours, minus what would change its colours, its
// output (a CI's variables), its jobs at once (the jobserver of a make that
// runs the suite) or what a job sees (FANOUT_*, but for the ssh command
// FANOUT_SSH), plus one variable a test can look for in a job.
std::vector<std::string> child_environment()
{
  std::vector<std::string> env;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    std::string_view text = *entry;
    if (text.starts_with("NO_COLOR=") || text.starts_with("CLICOLOR_FORCE=") ||
        (text.starts_with("FANOUT_") && !text.starts_with("FANOUT_SSH=")) ||
        text.starts_with("GITHUB_ACTIONS=") || text.starts_with("GITLAB_CI=") ||
        text.starts_with("MAKEFLAGS=") || text.starts_with("MFLAGS=") ||
        text.starts_with("MAKELEVEL=")) {
      continue;
    }
    env.emplace_back(text);
  }
  env.emplace_back("FANOUT_E2E_INHERITED=yes");
  return env;
}

std::vector<char*> pointers_to(std::vector<std::string>& strings)
{
  std::vector<char*> pointers;
  for (std::string& s : strings) {
    pointers.push_back(s.data());
  }
  pointers.push_back(nullptr);
  return pointers;
}

namespace {

// Jobs that raise SIGSEGV must not write cores into test folders or jobfiles/.
void disable_core_dumps()
{
  rlimit limit{};
  ::getrlimit(RLIMIT_CORE, &limit);
  limit.rlim_cur = 0;
  ::setrlimit(RLIMIT_CORE, &limit);
}

struct Pipe {
  int read_end;
  int write_end;
};

Pipe make_pipe()
{
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) {
    throw_errno(errno, "pipe2");
  }
  ::fcntl(fds[0], F_SETFL, O_NONBLOCK);
  return {fds[0], fds[1]};
}

// posix_spawn, not a shell: the program gets stdin /dev/null (or
// `stdin_fd`, when not -1), our pipes as stdout and stderr, no other
// descriptor, and default signal dispositions (so fanout meets SIGPIPE as it
// would under a shell).
RunningProgram spawn(const std::string& program, const std::vector<std::string>& args,
                     const fs::path& cwd, int stdin_fd = -1)
{
  disable_core_dumps();
  Pipe out = make_pipe();
  Pipe err = make_pipe();

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  if (stdin_fd < 0) {
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  } else {
    posix_spawn_file_actions_adddup2(&actions, stdin_fd, STDIN_FILENO);
  }
  posix_spawn_file_actions_adddup2(&actions, out.write_end, STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, err.write_end, STDERR_FILENO);
  posix_spawn_file_actions_addchdir_np(&actions, cwd.c_str());
  posix_spawn_file_actions_addclosefrom_np(&actions, 3);

  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  sigset_t all;
  sigset_t none;
  sigfillset(&all);
  sigemptyset(&none);
  posix_spawnattr_setsigdefault(&attributes, &all);
  posix_spawnattr_setsigmask(&attributes, &none);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);

  std::vector<std::string> argv_strings{program};
  argv_strings.insert(argv_strings.end(), args.begin(), args.end());
  std::vector<std::string> env_strings = child_environment();
  std::vector<char*> argv = pointers_to(argv_strings);
  std::vector<char*> envp = pointers_to(env_strings);

  pid_t pid = 0;
  int rc = ::posix_spawn(&pid, program.c_str(), &actions, &attributes, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  ::close(out.write_end);
  ::close(err.write_end);
  if (rc != 0) {
    ::close(out.read_end);
    ::close(err.read_end);
    throw_errno(rc, "cannot start " + program);
  }
  int pid_fd = pidfd_open(pid);
  if (pid_fd < 0) {
    throw_errno(errno, "pidfd_open");
  }
  return RunningProgram(pid, out.read_end, err.read_end, pid_fd);
}

bool is_test_child(pid_t pid)
{
  std::ifstream cmdline("/proc/" + std::to_string(pid) + "/cmdline", std::ios::binary);
  std::string argv0;
  std::getline(cmdline, argv0, '\0');
  return argv0 == TEST_CHILD_BIN;
}

} // namespace

// fanout's arguments. CTest runs the whole suite once more with
// FANOUT_E2E_POOL=thread: every promise holds in both pools. The failures
// replayed after the summary are off (--tail 0): they have tests of their
// own, and every other test's summary ends where it did. A test that names
// its pool or its tail keeps it.
std::vector<std::string> with_suite_options(const std::vector<std::string>& args)
{
  const auto options_end = std::find(args.begin(), args.end(), "--");
  const auto names = [&](std::string_view option) {
    return std::find(args.begin(), options_end, option) != options_end;
  };
  std::vector<std::string> with;
  const char* pool = std::getenv("FANOUT_E2E_POOL");
  if (pool != nullptr && *pool != '\0' && !names("--pool")) {
    with = {"--pool", pool};
  }
  if (!names("--tail")) {
    with.insert(with.end(), {"--tail", "0"});
  }
  with.insert(with.end(), args.begin(), args.end());
  return with;
}

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

Sandbox::Sandbox()
{
  std::string pattern = (fs::temp_directory_path() / "fanout-e2e-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    throw_errno(errno, "mkdtemp " + pattern);
  }
  m_dir = pattern;
}

Sandbox::~Sandbox()
{
  if (::testing::Test::HasFailure()) {
    std::cerr << "e2e: kept the test folder " << m_dir.string() << "\n";
    return;
  }
  std::error_code ignored;
  fs::remove_all(m_dir, ignored);
}

fs::path Sandbox::write_file(std::string_view name, std::string_view text) const
{
  std::string contents(text);
  const std::string marker = "@CHILD@";
  for (auto at = contents.find(marker); at != std::string::npos; at = contents.find(marker, at)) {
    contents.replace(at, marker.size(), TEST_CHILD_BIN);
  }
  fs::path path = m_dir / name;
  fs::create_directories(path.parent_path());
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  file << contents;
  if (!file.flush()) {
    throw std::runtime_error("cannot write " + path.string());
  }
  return path;
}

std::string Sandbox::read_file(std::string_view name) const
{
  std::ifstream file(m_dir / name, std::ios::binary);
  std::ostringstream contents;
  contents << file.rdbuf();
  return contents.str();
}

bool Sandbox::exists(std::string_view name) const
{
  return fs::exists(m_dir / name);
}

bool Sandbox::wait_for_file(std::string_view name) const
{
  // Watched before the first look, so a file made in between is not missed.
  const int watch = ::inotify_init1(IN_CLOEXEC);
  ::inotify_add_watch(watch, m_dir.c_str(), IN_CREATE | IN_MOVED_TO | IN_CLOSE_WRITE);
  const auto deadline = std::chrono::steady_clock::now() + k_ceiling;
  bool found = exists(name);
  while (!found) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      deadline - std::chrono::steady_clock::now());
    pollfd pfd{watch, POLLIN, 0};
    if (left.count() <= 0 || ::poll(&pfd, 1, static_cast<int>(left.count())) <= 0) {
      break;
    }
    char events[4096];
    [[maybe_unused]] const ssize_t n = ::read(watch, events, sizeof events);
    found = exists(name);
  }
  ::close(watch);
  if (!found) {
    ADD_FAILURE() << "no file " << name << " within " << k_ceiling.count() << " s";
  }
  return found;
}

pid_t Sandbox::read_pid(std::string_view name) const
{
  std::string text = read_file(name);
  pid_t pid = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), pid);
  if (ec != std::errc() || pid <= 0) {
    ADD_FAILURE() << "no pid in " << (m_dir / name).string();
    return 0;
  }
  return pid;
}

Result Sandbox::run(const std::vector<std::string>& args) const
{
  return start(args).finish();
}

RunningProgram Sandbox::start(const std::vector<std::string>& args) const
{
  return spawn(FANOUT_BIN, with_suite_options(args), m_dir);
}

RunningProgram Sandbox::start_with_stdin(int stdin_fd, const std::vector<std::string>& args) const
{
  return spawn(FANOUT_BIN, with_suite_options(args), m_dir, stdin_fd);
}

Result Sandbox::run_with_stdin(std::string_view name, const std::vector<std::string>& args) const
{
  const int fd = ::open((m_dir / name).c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    throw_errno(errno, "cannot open " + (m_dir / name).string());
  }
  RunningProgram program = start_with_stdin(fd, args);
  ::close(fd);
  return program.finish();
}

Result Sandbox::run_after(std::string_view prelude, const std::vector<std::string>& args) const
{
  return start_after(prelude, args).finish();
}

RunningProgram Sandbox::start_after(std::string_view prelude,
                                    const std::vector<std::string>& args) const
{
  // "$0" is "sh"; "$@" is fanout and its arguments.
  std::vector<std::string> shell_args{"-c", "set -e\n" + std::string(prelude) + "\nexec \"$@\"",
                                      "sh", FANOUT_BIN};
  for (const std::string& arg : with_suite_options(args)) {
    shell_args.push_back(arg);
  }
  return spawn("/bin/sh", shell_args, m_dir);
}

Result Sandbox::run_program(const std::string& program, const std::vector<std::string>& args) const
{
  return spawn(program, args, m_dir).finish();
}

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

std::string mask_times(std::string_view text)
{
  static const std::regex elapsed(R"(\d+\.\d\ds)");
  return std::regex_replace(std::string(text), elapsed, "T");
}

std::vector<std::string> split_lines(std::string_view text)
{
  std::vector<std::string> lines;
  while (!text.empty()) {
    auto end = text.find('\n');
    lines.emplace_back(text.substr(0, end));
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
  }
  return lines;
}

std::vector<std::string> lines_after(std::string_view text, std::string_view prefix)
{
  std::vector<std::string> found;
  for (std::string& line : split_lines(text)) {
    if (line.starts_with(prefix)) {
      found.push_back(line.substr(prefix.size()));
    }
  }
  return found;
}

int most_running(std::string_view log)
{
  int running = 0;
  int most = 0;
  for (const std::string& mark : split_lines(log)) {
    running += mark == "start" ? 1 : -1;
    most = std::max(most, running);
  }
  return most;
}

std::vector<std::string> sorted_lines(std::string_view text)
{
  std::vector<std::string> lines = split_lines(text);
  std::sort(lines.begin(), lines.end());
  return lines;
}

} // namespace e2e
