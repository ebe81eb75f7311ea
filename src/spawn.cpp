// SPDX-License-Identifier: MIT
//
// fanout's launcher. Boost.Process 1.81's own launcher forks (its cost grows
// with our memory), runs exit() in a child whose exec failed, leaves that
// child unreaped and is unsafe next to other threads (DEPENDENCIES.md §3).
// glibc's posix_spawn has none of these problems, so jobs start here. (Its
// waiting is not used either: see PoolExecutor::wait_for_exit.) When a fixed
// Boost (1.86+) is packaged, this file is the one to replace. Function jobs
// of the process pool are the exception: their code is in fanout's memory,
// so they fork.
#include "fanout/spawn.hpp"

#include "signal_mask.hpp"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <memory>
#include <optional>
#include <spawn.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace fanout {

namespace {

// /dev/null, opened once; every job's stdin is a copy of it.
int dev_null()
{
  static const int fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  return fd;
}

// Attributes shared by every job: its own process group, no blocked
// signals, default dispositions (fanout ignores SIGPIPE; jobs must not).
class SpawnAttributes {
public:
  SpawnAttributes()
  {
    ::posix_spawnattr_init(&m_attr);
    sigset_t none;
    sigset_t all;
    sigemptyset(&none);
    sigfillset(&all);
    ::posix_spawnattr_setsigmask(&m_attr, &none);
    ::posix_spawnattr_setsigdefault(&m_attr, &all);
    ::posix_spawnattr_setpgroup(&m_attr, 0);
    ::posix_spawnattr_setflags(&m_attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK |
                                          POSIX_SPAWN_SETSIGDEF);
  }
  ~SpawnAttributes() { ::posix_spawnattr_destroy(&m_attr); }
  SpawnAttributes(const SpawnAttributes&) = delete;
  SpawnAttributes& operator=(const SpawnAttributes&) = delete;

  const posix_spawnattr_t* get() const { return &m_attr; }

private:
  posix_spawnattr_t m_attr;
};

class FileActions {
public:
  FileActions() { ::posix_spawn_file_actions_init(&m_actions); }
  ~FileActions() { ::posix_spawn_file_actions_destroy(&m_actions); }
  FileActions(const FileActions&) = delete;
  FileActions& operator=(const FileActions&) = delete;

  posix_spawn_file_actions_t* get() { return &m_actions; }

private:
  posix_spawn_file_actions_t m_actions;
};

// glibc checks every descriptor of a file action against RLIMIT_NOFILE with a
// system call of its own: seven per job. Pipes take the lowest free numbers,
// so the same few (stdout, stderr, cwd) combinations recur from job to job;
// their actions are kept and reused, per thread.
class FileActionsCache {
public:
  const posix_spawn_file_actions_t* get(int out_fd, int err_fd, const char* cwd)
  {
    for (Entry& entry : m_entries) {
      if (entry.out_fd == out_fd && entry.err_fd == err_fd && entry.cwd == cwd) {
        return entry.actions->get();
      }
    }
    auto actions = std::make_unique<FileActions>();
    ::posix_spawn_file_actions_adddup2(actions->get(), dev_null(), STDIN_FILENO);
    ::posix_spawn_file_actions_adddup2(actions->get(), out_fd, STDOUT_FILENO);
    ::posix_spawn_file_actions_adddup2(actions->get(), err_fd, STDERR_FILENO);
    // Our pipes are O_CLOEXEC, but descriptors we inherited may not be.
    ::posix_spawn_file_actions_addclosefrom_np(actions->get(), 3);
    ::posix_spawn_file_actions_addchdir_np(actions->get(), cwd);
    Entry entry{out_fd, err_fd, cwd, std::move(actions)};
    if (m_entries.size() < k_size) {
      m_entries.push_back(std::move(entry));
      return m_entries.back().actions->get();
    }
    m_next = (m_next + 1) % k_size;
    m_entries[m_next] = std::move(entry);
    return m_entries[m_next].actions->get();
  }

private:
  static constexpr std::size_t k_size = 16;
  struct Entry {
    int out_fd;
    int err_fd;
    std::string cwd;
    std::unique_ptr<FileActions> actions;
  };
  std::vector<Entry> m_entries;
  std::size_t m_next = 0;
};

bool is_executable_file(const std::string& path)
{
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(path.c_str(), X_OK) == 0;
}

// execvp's search, but in the job's own PATH rather than fanout's. An empty
// or relative PATH entry is taken from the job's `cwd`, where the program
// will be exec'd, as the shell would.
std::variant<std::string, SpawnFailure> find_program(std::string_view name, std::string_view path,
                                                     std::string_view cwd)
{
  if (name.find('/') != std::string_view::npos) {
    return std::string(name);
  }
  bool found_unrunnable = false;
  while (true) {
    const std::size_t colon = path.find(':');
    const std::string_view dir = path.substr(0, colon);
    std::string candidate = dir.empty() ? std::string(name) : std::string(dir) + "/" + std::string(name);
    const std::string seen_from_here =
      candidate.front() == '/' ? candidate : std::string(cwd) + "/" + candidate;
    if (is_executable_file(seen_from_here)) {
      return candidate;
    }
    found_unrunnable = found_unrunnable || ::access(seen_from_here.c_str(), F_OK) == 0;
    if (colon == std::string_view::npos) {
      break;
    }
    path.remove_prefix(colon + 1);
  }
  if (found_unrunnable) {
    return SpawnFailure{126, "cannot run \"" + std::string(name) + "\": Permission denied"};
  }
  return SpawnFailure{127, "program not found: " + std::string(name)};
}

// posix_spawn reports a failed chdir and a failed exec alike, as one errno.
SpawnFailure explain_failure(int error, const char* program, const char* cwd)
{
  struct stat st;
  if (::stat(cwd, &st) != 0 || !S_ISDIR(st.st_mode)) {
    const int cwd_error = ::stat(cwd, &st) != 0 ? errno : ENOTDIR;
    return {127, "cwd \"" + std::string(cwd) + "\": " + std::strerror(cwd_error)};
  }
  if (error == ENOENT) {
    return {127, "program not found: " + std::string(program)};
  }
  return {126, "cannot run \"" + std::string(program) + "\": " + std::strerror(error)};
}

} // namespace

std::variant<pid_t, SpawnFailure> spawn_job(const SpawnRequest& request)
{
  static const SpawnAttributes attributes;
  auto program = find_program(request.argv[0], request.path, request.cwd);
  if (auto* failure = std::get_if<SpawnFailure>(&program)) {
    return std::move(*failure);
  }
  thread_local FileActionsCache actions;

  pid_t pid = -1;
  const std::string& file = std::get<std::string>(program);
  const int error = ::posix_spawn(&pid, file.c_str(),
                                  actions.get(request.out_fd, request.err_fd, request.cwd),
                                  attributes.get(),
                                  const_cast<char* const*>(request.argv),
                                  const_cast<char* const*>(request.envp));
  if (error != 0) {
    return explain_failure(error, request.argv[0], request.cwd);
  }
  return pid;
}

std::variant<pid_t, SpawnFailure> fork_function_job(const ForkRequest& request)
{
  // Every signal blocked across the fork: until the child has reset them,
  // fanout's handlers are its handlers, and one would report to fanout's
  // event loop (through the pipe it shares) a signal meant for the job.
  std::optional<ScopedSignalMask> blocked(ScopedSignalMask::all);
  const pid_t pid = ::fork();
  if (pid != 0) {
    const int error = errno;
    blocked.reset();
    if (pid < 0) {
      return SpawnFailure{126, std::string("cannot fork: ") + std::strerror(error)};
    }
    // Set on both sides, so that whichever runs first, the group exists
    // before fanout may signal it.
    ::setpgid(pid, pid);
    return pid;
  }
  ::setpgid(0, 0);
  for (int signal = 1; signal < NSIG; ++signal) {
    ::signal(signal, SIG_DFL); // fails harmlessly for SIGKILL, SIGSTOP and unused numbers
  }
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  ::dup2(dev_null(), STDIN_FILENO);
  ::dup2(request.out_fd, STDOUT_FILENO);
  ::dup2(request.err_fd, STDERR_FILENO);
  ::close_range(3, ~0U, 0);
  if (::chdir(request.cwd) != 0) {
    _exit(127);
  }
  for (const std::string& entry : *request.env) {
    ::putenv(const_cast<char*>(entry.c_str()));
  }
  // Streams of its own: the copies of fanout's stdout and stderr may hold
  // fanout's unwritten bytes. Line-buffered, so a crash loses at most the
  // line being written.
  FILE* out = ::fdopen(STDOUT_FILENO, "w");
  FILE* err = ::fdopen(STDERR_FILENO, "w");
  if (out == nullptr || err == nullptr) {
    _exit(126);
  }
  std::setvbuf(out, nullptr, _IOLBF, 0);
  std::setvbuf(err, nullptr, _IOLBF, 0);
  const std::atomic<bool> stop{false}; // a stop request here is SIGTERM
  FunctionCall call = request.call;
  call.out = out;
  call.err = err;
  call.stop = &stop;
  const FunctionResult result = run_function(call);
  if (!request.note.empty()) {
    const std::size_t size = std::min(result.exception.size(), request.note.size() - 1);
    std::memcpy(request.note.data(), result.exception.data(), size);
    request.note[size] = '\0';
  }
  // What the function wrote to stdout or stderr instead of job->out: fanout
  // writes through its own writer, so these buffers hold only the job's.
  std::fflush(nullptr);
  _exit(result.code);
}

} // namespace fanout
