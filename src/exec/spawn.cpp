// SPDX-License-Identifier: MIT
//
// fanout's launcher. Boost.Process 1.81's own launcher forks (its cost grows
// with our memory), runs exit() in a child whose exec failed, leaves that
// child unreaped and is unsafe next to other threads (docs/decisions.md).
// glibc's posix_spawn avoids all that, but has no hook for what a job's
// process needs before exec: PR_SET_PDEATHSIG, so that it dies with fanout
// even when fanout is SIGKILLed. So jobs start here, with a vfork, as
// posix_spawn does: the child borrows our memory and the calling thread's
// stack until it execs or leaves, so its cost does not grow with our
// memory, it reports a failure in that memory, and it must not touch our
// heap, locks or handlers. It makes system calls only, raw ones, in code
// the sanitizers do not instrument: their interceptors (sigaction, _exit,
// ...) would change their state in memory we share. (Its waiting is not
// Boost's either: see JobWatch::wait_for_exit.) When a fixed Boost
// (1.86+) is packaged, this file is the one to replace. Function jobs of
// the process pool are the exception: their code is in fanout's memory, so
// they fork.
#include "exec/spawn.hpp"

#include "exec/resource_limits.hpp"
#include "exec/signal_mask.hpp"
#include "exec/terminal.hpp"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <optional>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

// glibc's vfork under the name that sanitizers leave alone: ThreadSanitizer
// turns vfork() into fork(), and AddressSanitizer wraps it for a child that
// runs instrumented code, which ours does not.
extern "C" [[gnu::returns_twice]] pid_t __vfork() noexcept;

namespace fanout {

namespace {

// /dev/null, opened once; every job's stdin is a copy of it. -1 (with
// errno) while it cannot be opened: it is tried again for the next job.
int dev_null()
{
  static std::atomic<int> opened{-1};
  int fd = opened.load(std::memory_order_acquire);
  if (fd >= 0) {
    return fd;
  }
  fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  int expected = -1;
  if (fd >= 0 && !opened.compare_exchange_strong(expected, fd, std::memory_order_acq_rel)) {
    ::close(fd); // another thread opened it meanwhile
    return expected;
  }
  return fd;
}

// What a new job process is given before it runs its job.
struct ChildSetup {
  pid_t parent; // fanout, as it was before the fork
  int in_fd;    // -1: fanout's own is kept, and so for the other two
  int out_fd;
  int err_fd;
  const char* cwd;
  rlimit descriptors; // the job's RLIMIT_NOFILE: the one fanout was given
  KeptFds kept = k_no_kept_fds;
  // Its group becomes the foreground group of the terminal on stdin.
  bool takes_terminal = false;
};

// Why a command's process could not run: the step that failed and its
// errno, written by the child in the memory it shares with us.
struct ChildReport {
  enum Step : int { chdir, exec } step;
  int error; // 0: the program runs
};

// A command's process: its setup, then the program.
struct ChildExec {
  ChildSetup setup;
  const char* file;
  const char* const* argv;
  const char* const* envp;
  ChildReport* report;
};

// The kernel's struct sigaction, as rt_sigaction takes it (the generic
// layout, which x86-64 and arm64 use).
struct KernelSigaction {
  void (*handler)(int);
  unsigned long flags;
  void (*restorer)();
  std::uint64_t mask;
};

// From here to start_child, what runs in the child before exec: system
// calls only, and no sanitizer instrumentation (see the top of the file).

[[noreturn, gnu::no_sanitize("address", "thread", "undefined")]] void leave(int code)
{
  for (;;) {
    ::syscall(SYS_exit_group, code);
  }
}

[[gnu::no_sanitize("address", "thread", "undefined")]] void unblock_every_signal()
{
  const std::uint64_t none = 0;
  ::syscall(SYS_rt_sigprocmask, SIG_SETMASK, &none, nullptr, sizeof none);
}

// Closes every descriptor from 3 up but the `kept` ones (above 2, or -1),
// which lose their close-on-exec flag.
[[gnu::no_sanitize("address", "thread", "undefined")]] void close_all_but(KeptFds kept)
{
  if (kept[0] > kept[1]) {
    const int low = kept[1];
    kept[1] = kept[0];
    kept[0] = low;
  }
  unsigned first = 3;
  for (const int fd : kept) {
    if (fd < static_cast<int>(first)) {
      continue;
    }
    if (static_cast<unsigned>(fd) > first) {
      ::syscall(SYS_close_range, first, static_cast<unsigned>(fd) - 1, 0U);
    }
    ::syscall(SYS_fcntl, fd, F_SETFD, 0);
    first = static_cast<unsigned>(fd) + 1;
  }
  ::syscall(SYS_close_range, first, ~0U, 0U);
}

// Sets up a new job process, which still blocks every signal, so that none
// of fanout's handlers can run in it meanwhile: every signal at its default
// action, its own process group, SIGKILL when the thread that started it
// dies, `in_fd`/`out_fd`/`err_fd` as stdin/stdout/stderr, the `kept`
// descriptors and no other, and `cwd`. Returns 0, or the errno of a failed chdir. Leaves
// at once if fanout died before its parent-death signal was set.
[[gnu::no_sanitize("address", "thread", "undefined")]] int set_up_child(const ChildSetup& setup)
{
  const KernelSigaction default_action{SIG_DFL, 0, nullptr, 0};
  for (int signal = 1; signal < NSIG; ++signal) {
    // Fails harmlessly for SIGKILL, SIGSTOP and unused numbers.
    ::syscall(SYS_rt_sigaction, signal, &default_action, nullptr, sizeof default_action.mask);
  }
  ::syscall(SYS_setpgid, 0, 0);
  ::syscall(SYS_prctl, PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
  if (::syscall(SYS_getppid) != setup.parent) {
    leave(127); // reparented: fanout is gone, and no signal will say so
  }
  if (setup.takes_terminal) {
    // Before the job can read the terminal: from a background group, a
    // read would stop it (SIGTTIN). Every signal is still blocked, so
    // SIGTTOU does not stop this call from a background group either.
    const pid_t group = static_cast<pid_t>(::syscall(SYS_getpid));
    ::syscall(SYS_ioctl, STDIN_FILENO, TIOCSPGRP, &group);
  }
  if (setup.in_fd >= 0) {
    ::syscall(SYS_dup3, setup.in_fd, STDIN_FILENO, 0);
    ::syscall(SYS_dup3, setup.out_fd, STDOUT_FILENO, 0);
    ::syscall(SYS_dup3, setup.err_fd, STDERR_FILENO, 0);
  }
  // Our own descriptors are O_CLOEXEC, but those we inherited may not be.
  close_all_but(setup.kept);
  // fanout raised its own limit on descriptors; the job gets the one fanout
  // was given (a program that uses select() may depend on it). glibc's
  // rlimit has the kernel's layout on the platforms fanout builds for.
  ::syscall(SYS_prlimit64, 0, RLIMIT_NOFILE, &setup.descriptors, nullptr);
  return ::syscall(SYS_chdir, setup.cwd) == 0 ? 0 : errno;
}

[[noreturn, gnu::no_sanitize("address", "thread", "undefined")]] void
exec_child(const ChildExec& exec)
{
  *exec.report = {ChildReport::chdir, set_up_child(exec.setup)};
  if (exec.report->error == 0) {
    unblock_every_signal();
    ::syscall(SYS_execve, exec.file, exec.argv, exec.envp);
    *exec.report = {ChildReport::exec, errno};
  }
  leave(127);
}

// The vfork in a frame of its own, which the child uses until it execs or
// leaves; we go on only then. No interprocedural analysis: it would find
// that the child's writes happen on a path that never returns, and drop our
// reads of them.
[[gnu::noipa, gnu::no_sanitize("address", "thread", "undefined")]] pid_t
start_child(const ChildExec& exec)
{
  const pid_t pid = ::__vfork();
  if (pid == 0) {
    exec_child(exec);
  }
  return pid;
}

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
    std::string candidate =
      dir.empty() ? std::string(name) : std::string(dir) + "/" + std::string(name);
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

SpawnFailure explain(const ChildReport& report, const char* program, const char* cwd)
{
  if (report.step == ChildReport::chdir) {
    return {127, "cwd \"" + std::string(cwd) + "\": " + std::strerror(report.error)};
  }
  return exec_failure(program, report.error);
}

// A forked function job's sink: its stdout and stderr are descriptors 1
// and 2.
int write_to_descriptor(void*, Stream stream, std::string_view bytes)
{
  const int fd = stream == Stream::out ? STDOUT_FILENO : STDERR_FILENO;
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno != EINTR) {
      return errno;
    }
    bytes.remove_prefix(n < 0 ? 0 : static_cast<std::size_t>(n));
  }
  return 0;
}

} // namespace

SpawnFailure exec_failure(std::string_view program, int error)
{
  if (error == ENOENT) {
    return {127, "program not found: " + std::string(program)};
  }
  return {126, "cannot run \"" + std::string(program) + "\": " + std::strerror(error)};
}

SpawnFailure cannot_start(std::string_view what, int error)
{
  const bool is_shortage = error == EMFILE || error == ENFILE || error == EAGAIN || error == ENOMEM;
  return {126, "cannot start: " + std::string(what) + ": " + std::strerror(error), is_shortage};
}

std::variant<pid_t, SpawnFailure> spawn_job(const SpawnRequest& request)
{
  auto program = find_program(request.argv[0], request.path, request.folder);
  if (auto* failure = std::get_if<SpawnFailure>(&program)) {
    return std::move(*failure);
  }
  const bool on_terminal = request.stdio == Stdio::terminal;
  const int stdin_fd = on_terminal ? -1 : request.in_fd >= 0 ? request.in_fd : dev_null();
  if (!on_terminal && stdin_fd < 0) {
    return cannot_start("cannot open /dev/null", errno);
  }
  ChildReport report{};
  const ChildExec exec{{::getpid(), stdin_fd, request.out_fd, request.err_fd, request.folder,
                        job_descriptor_limit(), request.kept,
                        on_terminal && holds_terminal_foreground()},
                       std::get<std::string>(program).c_str(),
                       request.argv,
                       request.envp,
                       &report};
  pid_t pid = -1;
  int fork_error = 0;
  {
    // Every signal blocked across the vfork: until the child has reset
    // them, fanout's handlers are its handlers, and would run on our memory.
    const BlockedSignals blocked;
    pid = start_child(exec);
    fork_error = errno;
  }
  if (pid < 0) {
    return cannot_start("cannot create a process", fork_error);
  }
  if (report.error != 0) {
    while (::waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {
    }
    return explain(report, request.argv[0], request.cwd);
  }
  return pid;
}

std::variant<pid_t, SpawnFailure> fork_function_job(const ForkRequest& request)
{
  const pid_t parent = ::getpid();
  const rlimit descriptors = job_descriptor_limit();
  const int stdin_fd = dev_null();
  if (stdin_fd < 0) {
    return cannot_start("cannot open /dev/null", errno);
  }
  // Every signal blocked across the fork: until the child has reset them,
  // fanout's handlers are its handlers, and one would report to fanout's
  // event loop (through the pipe it shares) a signal meant for the job.
  std::optional<BlockedSignals> blocked(std::in_place);
  const pid_t pid = ::fork();
  if (pid != 0) {
    const int error = errno;
    blocked.reset();
    if (pid < 0) {
      return cannot_start("cannot create a process", error);
    }
    // Set on both sides, so that whichever runs first, the group exists
    // before fanout may signal it.
    ::setpgid(pid, pid);
    return pid;
  }
  if (set_up_child({parent, stdin_fd, request.out_fd, request.err_fd, request.cwd, descriptors}) !=
      0) {
    _exit(127);
  }
  unblock_every_signal();
  for (const std::string& entry : *request.env) {
    ::putenv(const_cast<char*>(entry.c_str()));
  }
  FunctionResult result;
  {
    // Streams of its own on descriptors 1 and 2: the copies of fanout's
    // stdout and stderr may hold fanout's unwritten bytes. Line-buffered, so
    // a crash loses at most the line being written.
    JobStreams streams(&write_to_descriptor, nullptr);
    if (!streams.is_open()) {
      _exit(126);
    }
    const std::atomic<bool> stop{false}; // a stop request here is SIGTERM
    FunctionCall call = request.call;
    call.out = streams.out();
    call.err = streams.err();
    call.stop = &stop;
    call.streams = &streams;
    result = run_function(call);
  }
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
