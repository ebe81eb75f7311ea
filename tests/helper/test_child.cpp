// SPDX-License-Identifier: MIT
// test_child: the program end-to-end tests run as a job instead of shell
// tricks. It links nothing from fanout. It runs the steps given as arguments,
// left to right, then exits 0:
//
//   exit N              exit with status N
//   signal N            reset signal N to its default action, unblock it, raise it
//   sleep MS            sleep MS milliseconds (job work, never synchronisation)
//   print N TEXT        write the N lines "TEXT 1" .. "TEXT N" to stdout
//   line N C            write one line of N copies of the character C to stdout
//   eprint TEXT         write the line "TEXT" to stderr
//   partial TEXT        write TEXT to stdout, without a newline
//   bytes SEED N        write N pseudo-random bytes (all 256 values, \0 \r \n
//                       included), the same for the same SEED, to stdout
//   ignore-term         ignore SIGTERM from now on (later grandchildren too)
//   trap-term TEXT      on SIGTERM, write the line "TEXT" to stdout and go on
//   term-exit TEXT      on SIGTERM, write the line "TEXT" to stdout, then die
//                       of SIGTERM
//   stop                stop with SIGSTOP; go on once continued (SIGCONT)
//   pidfile PATH        write this process's pid to PATH
//   grandchild PIDFILE  fork a grandchild that stays in the process group,
//                       writes its pid to PIDFILE and sleeps 60 s; the parent
//                       goes on once PIDFILE exists
//   setsid-grandchild PIDFILE
//                       the same, but the grandchild first calls setsid(), so
//                       it leaves the job's process group and session
//   double-fork PIDFILE start a daemon as daemon(3) does: fork, setsid() and
//                       fork again, the middle process leaving at once, so
//                       that the daemon's parent is gone while the job runs;
//                       the daemon points stdin, stdout and stderr at
//                       /dev/null, writes its pid to PIDFILE and sleeps 60 s;
//                       the job goes on once PIDFILE exists
//   double-fork-bare PIDFILE
//                       the same, but the daemon then execs test_child with
//                       an empty environment (no FANOUT_* variables)
//   state PIDFILE       write "PIDFILE running", "PIDFILE zombie" or
//                       "PIDFILE gone" (reaped) for the pid in PIDFILE
//   siblings            write "siblings P Q ...": the other children of this
//                       process's parent, sorted (/proc/PPID/task/*/children)
//   env NAME            write "NAME=value", or "NAME unset", to stdout
//   fds                 write "fds 0 1 2 stdin=/dev/null": the open descriptors
//                       and what descriptor 0 is
//   nofile              write "nofile SOFT HARD": this process's limits on open
//                       descriptors (RLIMIT_NOFILE), "unlimited" for none
//   signals             write "blocked=HEX ignored=HEX", this process's
//                       blocked and ignored signal masks (/proc/self/status),
//                       without glibc's internal signals 32 and 33, which
//                       glibc reserves (a job gets them at their default)
//   mixed SEED          write a pseudo-random mix, the same for the same SEED, to
//                       stdout and stderr: short lines of any byte but '\n',
//                       some written in pieces; empty lines; bursts of many
//                       lines in one write; lines over 64 KiB (one of exactly
//                       128 KiB now and then); each stream ending with a
//                       partial last line. A test gets the expected streams
//                       by running test_child itself with the same SEED
//   mark LOG TEXT       append the line "TEXT" to LOG (O_APPEND, one write)
//   rendezvous DIR N    create DIR if needed and a file named after the pid in
//                       it, then wait (inotify, no polling) until DIR holds at
//                       least N files; after 20 s give up and exit 99
//   take-token          read one token from the jobserver pipe MAKEFLAGS names
//                       (--jobserver-auth=R,W), waiting for one, and keep it:
//                       the job ends without giving it back, as a make that
//                       was killed does
//   overlap DIR N MS    as rendezvous, but wait at most MS ms for N files (no
//                       failure past it), then remove its own file; on
//                       arrival, append the number of files DIR holds as a
//                       line to DIR.peak: the jobs running at once
//   tty                 write "tty stdin=yes stdout=yes stderr=yes
//                       foreground=yes" (no for any that is not): which of
//                       descriptors 0, 1 and 2 are terminals, and whether
//                       this process's group is the terminal's foreground
//   ask TEXT            write the line "TEXT", read a line from stdin, and
//                       write "answer LINE"
//   args PATH ARG...    write every argument after PATH, each followed by a
//                       NUL byte, to PATH, which must not exist yet (a job
//                       that ran twice fails), and exit 0: the arguments
//                       after PATH are data, not steps
//
// Example: test_child print 3 hello sleep 100 exit 2
//
// Pid files are written to a temporary name and renamed, so a reader never
// sees a partial one. Output goes straight to write(2): no stdio buffers. A
// bad step exits 100, a failed system call 101, each with a message on stderr.
//
// This file walks the command line and runs each step; the longer steps live
// in the test_child_*.cpp files beside it, declared in test_child.hpp.

#include "test_child.hpp"

#include <cstdint>
#include <cstdlib>
#include <signal.h>
#include <string>
#include <string_view>
#include <unistd.h>
#include <vector>

namespace test_child {
namespace {

// The arguments, consumed one step at a time.
class Steps {
public:
  Steps(int argc, char** argv) : m_argc(argc), m_argv(argv) {}

  bool done() const { return m_next >= m_argc; }

  // The next step's name; call only when not done().
  std::string_view next_step() { return m_argv[m_next++]; }

  // The next argument of `step`; a missing one is a bad step.

  std::string_view take(std::string_view step)
  {
    if (done()) {
      fail(k_bad_step, "step \"" + std::string(step) + "\" needs more arguments");
    }
    return m_argv[m_next++];
  }

private:
  int m_argc;
  char** m_argv;
  int m_next = 1;
};

void run_step(std::string_view step, Steps& steps)
{
  if (step == "exit") {
    _exit(static_cast<int>(to_number(steps.take(step))));
  } else if (step == "signal") {
    raise_signal(static_cast<int>(to_number(steps.take(step))));
  } else if (step == "sleep") {
    sleep_ms(to_number(steps.take(step)));
  } else if (step == "print") {
    long long count = to_number(steps.take(step));
    print_lines(count, steps.take(step));
  } else if (step == "line") {
    long long count = to_number(steps.take(step));
    std::string_view c = steps.take(step);
    if (c.size() != 1 || count < 0) {
      fail(k_bad_step, "line needs a count and one character");
    }
    write_all(STDOUT_FILENO, std::string(static_cast<std::size_t>(count), c[0]) + "\n");
  } else if (step == "eprint") {
    write_all(STDERR_FILENO, std::string(steps.take(step)) + "\n");
  } else if (step == "partial") {
    write_all(STDOUT_FILENO, steps.take(step));
  } else if (step == "bytes") {
    auto seed = static_cast<std::uint64_t>(to_number(steps.take(step)));
    write_random_bytes(seed, to_number(steps.take(step)));
  } else if (step == "ignore-term") {
    set_handler(SIGTERM, SIG_IGN);
  } else if (step == "trap-term") {
    g_trap_text = std::string(steps.take(step)) + "\n";
    set_handler(SIGTERM, on_trapped_term);
  } else if (step == "term-exit") {
    g_trap_text = std::string(steps.take(step)) + "\n";
    set_handler(SIGTERM, on_term_exit);
  } else if (step == "stop") {
    ::raise(SIGSTOP);
  } else if (step == "pidfile") {
    write_pid_file(std::string(steps.take(step)), ::getpid());
  } else if (step == "grandchild") {
    spawn_grandchild(std::string(steps.take(step)), false);
  } else if (step == "setsid-grandchild") {
    spawn_grandchild(std::string(steps.take(step)), true);
  } else if (step == "double-fork") {
    double_fork(std::string(steps.take(step)), true);
  } else if (step == "double-fork-bare") {
    double_fork(std::string(steps.take(step)), false);
  } else if (step == "state") {
    print_state(std::string(steps.take(step)));
  } else if (step == "siblings") {
    print_siblings();
  } else if (step == "mixed") {
    write_mixed(static_cast<std::uint64_t>(to_number(steps.take(step))));
  } else if (step == "env") {
    std::string name(steps.take(step));
    const char* value = std::getenv(name.c_str());
    write_all(STDOUT_FILENO, value ? name + "=" + value + "\n" : name + " unset\n");
  } else if (step == "fds") {
    print_descriptors();
  } else if (step == "nofile") {
    print_descriptor_limits();
  } else if (step == "signals") {
    print_signal_masks();
  } else if (step == "mark") {
    std::string log(steps.take(step));
    append_mark(log, steps.take(step));
  } else if (step == "rendezvous") {
    std::string dir(steps.take(step));
    rendezvous(dir, to_number(steps.take(step)));
  } else if (step == "take-token") {
    take_token();
  } else if (step == "overlap") {
    std::string dir(steps.take(step));
    long long wanted = to_number(steps.take(step));
    overlap(dir, wanted, to_number(steps.take(step)));
  } else if (step == "tty") {
    print_terminal();
  } else if (step == "ask") {
    ask(steps.take(step));
  } else if (step == "args") {
    std::string path(steps.take(step));
    std::vector<std::string_view> arguments;
    while (!steps.done()) {
      arguments.push_back(steps.next_step());
    }
    write_arguments(path, arguments);
  } else {
    fail(k_bad_step, "unknown step \"" + std::string(step) + "\"");
  }
}

} // namespace

} // namespace test_child

int main(int argc, char** argv)
{
  test_child::g_program = argv[0];
  test_child::Steps steps(argc, argv);
  while (!steps.done()) {
    test_child::run_step(steps.next_step(), steps);
  }
  return 0;
}
