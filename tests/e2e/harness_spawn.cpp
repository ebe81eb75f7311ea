// SPDX-License-Identifier: MIT
// How the harness starts a program: the environment and arguments fanout
// gets, and the spawn that puts its stdout and stderr on pipes.
#include "harness_internal.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <string_view>
#include <sys/resource.h>
#include <unistd.h>

namespace fs = std::filesystem;

namespace e2e {

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

} // namespace

// posix_spawn, not a shell: the program gets stdin /dev/null (or
// `stdin_fd`, when not -1), our pipes as stdout and stderr, no other
// descriptor, and default signal dispositions (so fanout meets SIGPIPE as it
// would under a shell).
RunningProgram spawn(const std::string& program, const std::vector<std::string>& args,
                     const fs::path& cwd, int stdin_fd)
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

} // namespace e2e
