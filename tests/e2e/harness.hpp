// SPDX-License-Identifier: MIT
#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <string_view>
#include <sys/types.h>
#include <vector>

namespace e2e {

// What a finished program did.
struct Result {
  int exit_code = -1; // its exit status, or -N when signal N ended it
  std::string out;
  std::string err;
};

// A program running in the background, its stdout and stderr on pipes that
// the harness reads. Every wait has one ceiling, counted from the start:
// past it the program is SIGKILLed and the test fails. The destructor kills
// and reaps a program that finish() did not collect.
class RunningProgram {
public:
  RunningProgram(pid_t pid, int out_fd, int err_fd, int pid_fd);
  ~RunningProgram();
  RunningProgram(const RunningProgram&) = delete;
  RunningProgram& operator=(const RunningProgram&) = delete;

  enum class Output { out, err };

  // Reads the program's output until `line` is a whole line of its stdout
  // (or stderr, with `Output::err`), anywhere since it started. Returns
  // false, after recording a test failure, when that stream ends or the
  // ceiling passes first.
  bool wait_for_line(std::string_view line, Output output = Output::out);

  // Sends `signal` to the program (not to its jobs).
  void send_signal(int signal);

  pid_t pid() const { return m_pid; }

  // Closes the harness's end of the program's stdout, as `| head -1` does.
  void close_stdout();

  // Reads everything until the program exits and its pipes are drained,
  // reaps it, and returns what it did. Call it once.
  Result finish();

private:
  bool read_some();
  bool drain(int& fd, std::string& into);
  void reap();

  pid_t m_pid;
  int m_out_fd;
  int m_err_fd;
  int m_pid_fd;
  bool m_exited = false;
  int m_status = 0;
  std::string m_out;
  std::string m_err;
  std::chrono::steady_clock::time_point m_deadline;
};

// A fresh temporary folder for one test. It is removed when the test passes,
// and kept (its path printed) when the test failed.
class Sandbox {
public:
  Sandbox();
  ~Sandbox();
  Sandbox(const Sandbox&) = delete;
  Sandbox& operator=(const Sandbox&) = delete;

  const std::filesystem::path& dir() const { return m_dir; }

  // Writes `text` to `name` (relative to dir(); folders are created), with
  // every "@CHILD@" replaced by test_child's absolute path.
  std::filesystem::path write_file(std::string_view name, std::string_view text) const;

  // Writes the job file fanout reads by default: dir()/fanout.toml.
  void write_jobs(std::string_view text) const { write_file("fanout.toml", text); }

  // The contents of `name`, or "" if it does not exist.
  std::string read_file(std::string_view name) const;

  bool exists(std::string_view name) const;

  // Waits until `name` exists in dir() (inotify, no polling). Returns false,
  // after recording a test failure, when the ceiling passes first.
  bool wait_for_file(std::string_view name) const;

  // The pid that test_child wrote to the pid file `name`, or 0 (after
  // recording a test failure) when there is none.
  pid_t read_pid(std::string_view name) const;

  // Runs fanout with `args` in dir() and waits for it. Unless `args` name
  // them, fanout runs in the suite's pool (FANOUT_E2E_POOL) and with
  // --tail 0: no failure is replayed after the summary.
  Result run(const std::vector<std::string>& args) const;

  // Starts fanout with `args` in dir() in the background.
  RunningProgram start(const std::vector<std::string>& args) const;

  // Starts fanout as start() does, but with `stdin_fd` as its stdin: a pipe,
  // fifo or file that the caller opened, and still owns and closes.
  RunningProgram start_with_stdin(int stdin_fd, const std::vector<std::string>& args) const;

  // Runs fanout as run() does, with the file `name` (relative to dir()) as
  // its stdin.
  Result run_with_stdin(std::string_view name, const std::vector<std::string>& args) const;

  // Runs fanout as run() does, but from /bin/sh, which first runs the shell
  // commands `prelude` (say, "ulimit -n 64") and then execs fanout: for what
  // fanout must inherit from its parent. A failing command in `prelude` ends
  // the shell with its status, and fanout does not run.
  Result run_after(std::string_view prelude, const std::vector<std::string>& args) const;

  // Starts fanout as run_after() would run it, in the background; its pid
  // is fanout's once the shell has run `prelude`.
  RunningProgram start_after(std::string_view prelude, const std::vector<std::string>& args) const;

  // Runs `program` (an absolute path) with `args` in dir() and waits for it.
  Result run_program(const std::string& program, const std::vector<std::string>& args) const;

private:
  std::filesystem::path m_dir;
};

// Waits until the process `pid` has ended (a zombie counts as ended).
// Returns false when it is still alive after a few seconds; it is then
// SIGKILLed, so that a failing test leaks nothing.
bool wait_until_gone(pid_t pid);

// A process watched through a pidfd, opened while `pid` is known to be the
// process meant (say, one that has just written its pid file and that no
// one has signalled), so that a later reuse of its pid cannot pass for it:
// for processes that are not test_child, which wait_until_gone cannot tell.
// The destructor SIGKILLs it if it is still running, so that a failing
// test leaks nothing.
class WatchedProcess {
public:
  explicit WatchedProcess(pid_t pid);
  ~WatchedProcess();
  WatchedProcess(const WatchedProcess&) = delete;
  WatchedProcess& operator=(const WatchedProcess&) = delete;

  // Waits until it has ended (a zombie counts as ended). Returns false when
  // it is still running after a few seconds.
  bool wait_until_gone();

  // Whether it is still running now (a zombie is not).
  bool is_running() const;

private:
  int m_pid_fd;
};

// The children of process `pid`, sorted (/proc/PID/task/*/children).
std::vector<pid_t> children_of(pid_t pid);

// The environment fanout runs with: the tests' own, without what would
// change its colours or what a job sees, plus FANOUT_E2E_INHERITED=yes for a
// job to look for.
std::vector<std::string> child_environment();

// Pointers to `strings`, then a null one: an argv or envp for exec, valid
// while `strings` is unchanged.
std::vector<char*> pointers_to(std::vector<std::string>& strings);

// fanout's arguments `args`, in the pool the suite runs in (CTest runs the
// whole suite once more with FANOUT_E2E_POOL=thread) and with --tail 0; a
// test that names its pool or its tail keeps it.
std::vector<std::string> with_suite_options(const std::vector<std::string>& args);

// `text` with every elapsed time ("0.31s", "12.05s") replaced by "T".
std::string mask_times(std::string_view text);

// The lines of `text`, without their '\n'.
std::vector<std::string> split_lines(std::string_view text);

// The lines of `text` that start with `prefix`, in order, without it: one
// job's lines when `prefix` is its tag ("a | ").
std::vector<std::string> lines_after(std::string_view text, std::string_view prefix);

// The most jobs that were running at once, from a log of "start" and "end"
// marks (test_child's `mark`). A job marks "end" before it exits, and
// fanout starts a job after the one before it exited, so this never
// overstates the true maximum.
int most_running(std::string_view log);

// The lines of `text`, sorted: for output whose job order may vary.
std::vector<std::string> sorted_lines(std::string_view text);

} // namespace e2e
