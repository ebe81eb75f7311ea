// SPDX-License-Identifier: MIT
// What the files of test_child share: its exit codes, the few primitives
// every step uses, and the steps that test_child.cpp, which lists them all,
// runs from the command line. A step that cannot do its work ends the
// process with k_bad_step or k_system_error and a message on stderr.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <sys/types.h>
#include <vector>

namespace test_child {

// The exit status for a step that is unknown or lacks a good argument.
constexpr int k_bad_step = 100;
// The exit status for a system call that failed.
constexpr int k_system_error = 101;

// Writes all of `data` to `fd`, again after EINTR; exits k_system_error
// when a write fails.
void write_all(int fd, std::string_view data);

// Writes "test_child: WHAT" to stderr, with strerror(errno) after it for
// k_system_error, and exits with `code`.
[[noreturn]] void fail(int code, std::string_view what);

// `text` as a whole decimal number; anything else is a bad step.
long long to_number(std::string_view text);

// Sleeps `ms` milliseconds, to the end even when a signal handler runs.
void sleep_ms(long long ms);

// The `print` step: the lines "TEXT 1" .. "TEXT COUNT" on stdout.
void print_lines(long long count, std::string_view text);

// The `mixed` step: the same pseudo-random stdout and stderr for the same
// `seed`.
void write_mixed(std::uint64_t seed);

// The `bytes` step: `count` pseudo-random bytes on stdout, the same for the
// same `seed`.
void write_random_bytes(std::uint64_t seed, long long count);

// argv[0], which main sets, for the `double-fork-bare` daemon to exec.
extern std::string g_program;

// The line, newline included, that on_trapped_term and on_term_exit write;
// set before either is installed.
extern std::string g_trap_text;

// The SIGTERM handler of `trap-term`: writes g_trap_text and goes on.
extern "C" void on_trapped_term(int);

// The SIGTERM handler of `term-exit`: writes g_trap_text, then the process
// dies of SIGTERM.
extern "C" void on_term_exit(int);

// Installs `handler` (or SIG_IGN, SIG_DFL) for `signal`.
void set_handler(int signal, void (*handler)(int));

// The `signal` step: `signal` at its default action, unblocked and raised;
// a bad step if the process outlives it.
void raise_signal(int signal);

// Writes `pid` and a newline to `path`, through a temporary file renamed
// into place, so that a reader never sees part of it.
void write_pid_file(const std::string& path, pid_t pid);

// The `grandchild` and `setsid-grandchild` steps; returns once the
// grandchild has written `pid_file`.
void spawn_grandchild(const std::string& pid_file, bool new_session);

// The `double-fork` and `double-fork-bare` steps; returns once the daemon's
// parent is gone and the daemon has written `pid_file`.
void double_fork(const std::string& pid_file, bool keep_environment);

// The `state` step: whether the pid in `pid_file` runs, is a zombie or is
// gone.
void print_state(const std::string& pid_file);

// The `siblings` step: the other children of this process's parent.
void print_siblings();

// The `mark` step: appends the line `text` to `log` in one write(2).
void append_mark(const std::string& log, std::string_view text);

// The `args` step: `arguments`, each ended by a NUL byte, in the new file
// `path`.
void write_arguments(const std::string& path, const std::vector<std::string_view>& arguments);

// The `rendezvous` step: returns once `dir` holds `wanted` files, this
// process's among them; exits 99 after 20 s.
void rendezvous(const std::string& dir, long long wanted);

// The `overlap` step: as rendezvous, but waits `ms` at most, then takes its
// own file away again.
void overlap(const std::string& dir, long long wanted, long long ms);

// The `take-token` step: reads one token from the jobserver and keeps it.
void take_token();

// The `tty` step: which of descriptors 0, 1 and 2 are terminals, and whether
// this process's group is in the foreground.
void print_terminal();

// The `ask` step: writes `question`, then "answer LINE" for a line of stdin.
void ask(std::string_view question);

// The `fds` step: the open descriptors and what descriptor 0 is.
void print_descriptors();

// The `nofile` step: the soft and hard RLIMIT_NOFILE.
void print_descriptor_limits();

// The `signals` step: the blocked and ignored signal masks.
void print_signal_masks();

} // namespace test_child
