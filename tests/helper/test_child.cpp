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

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <optional>
#include <poll.h>
#include <signal.h>
#include <string>
#include <string_view>
#include <sys/inotify.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <vector>

namespace {

constexpr int k_bad_step = 100;
constexpr int k_system_error = 101;
constexpr int k_rendezvous_timed_out = 99;
constexpr long k_rendezvous_ceiling_ms = 20'000;
constexpr long k_grandchild_life_ms = 60'000;

void write_all(int fd, std::string_view data)
{
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      _exit(k_system_error);
    }
    data.remove_prefix(static_cast<std::size_t>(n));
  }
}

[[noreturn]] void fail(int code, std::string_view what)
{
  std::string message = "test_child: ";
  message += what;
  if (code == k_system_error) {
    message += ": ";
    message += std::strerror(errno);
  }
  message += '\n';
  write_all(STDERR_FILENO, message);
  _exit(code);
}

long long to_number(std::string_view text)
{
  long long value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) {
    fail(k_bad_step, "not a number: " + std::string(text));
  }
  return value;
}

long long now_ms()
{
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<long long>(ts.tv_sec) * 1000 + ts.tv_nsec / 1'000'000;
}

// Sleeps to an absolute deadline, so a trapped SIGTERM does not cut it short.
void sleep_ms(long long ms)
{
  timespec deadline{};
  clock_gettime(CLOCK_MONOTONIC, &deadline);
  deadline.tv_sec += static_cast<time_t>(ms / 1000);
  deadline.tv_nsec += static_cast<long>(ms % 1000) * 1'000'000;
  if (deadline.tv_nsec >= 1'000'000'000) {
    deadline.tv_sec += 1;
    deadline.tv_nsec -= 1'000'000'000;
  }
  while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &deadline, nullptr) == EINTR) {
  }
}

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

void print_lines(long long count, std::string_view text)
{
  std::string chunk;
  for (long long i = 1; i <= count; ++i) {
    chunk += text;
    chunk += ' ';
    chunk += std::to_string(i);
    chunk += '\n';
    if (chunk.size() >= 65536) {
      write_all(STDOUT_FILENO, chunk);
      chunk.clear();
    }
  }
  write_all(STDOUT_FILENO, chunk);
}

// xorshift64: the same numbers for the same seed, on every machine.
class Random {
public:
  explicit Random(std::uint64_t seed) : m_state(seed ^ 0x9e3779b97f4a7c15u) {}

  std::uint64_t next()
  {
    m_state ^= m_state << 13;
    m_state ^= m_state >> 7;
    m_state ^= m_state << 17;
    return m_state;
  }

  std::size_t below(std::size_t bound) { return static_cast<std::size_t>(next() % bound); }

  // Any byte but '\n', which would end the line.
  char line_byte()
  {
    for (;;) {
      auto byte = static_cast<char>(next() >> 56);
      if (byte != '\n') {
        return byte;
      }
    }
  }

  std::string line_bytes(std::size_t count)
  {
    std::string text;
    text.reserve(count);
    for (std::size_t i = 0; i < count; ++i) {
      text += line_byte();
    }
    return text;
  }

private:
  std::uint64_t m_state;
};

// Writes `data` to `fd` in 1 to 3 write(2)s cut at random places.
void write_in_pieces(Random& random, int fd, std::string_view data)
{
  std::size_t pieces = 1 + random.below(3);
  for (std::size_t i = 1; i < pieces && !data.empty(); ++i) {
    std::size_t cut = random.below(data.size() + 1);
    write_all(fd, data.substr(0, cut));
    data.remove_prefix(cut);
  }
  write_all(fd, data);
}

void write_mixed(std::uint64_t seed)
{
  constexpr int k_segments = 40;
  constexpr std::size_t k_piece = 65536;
  Random random(seed);
  for (int i = 0; i < k_segments; ++i) {
    int fd = random.below(2) == 0 ? STDOUT_FILENO : STDERR_FILENO;
    std::size_t kind = random.below(80);
    std::string text;
    if (kind == 0) {
      text = random.line_bytes(k_piece + 1 + random.below(2 * k_piece)) + "\n";
    } else if (kind == 1) {
      text = random.line_bytes(2 * k_piece) + "\n";
    } else if (kind < 16) {
      text = "\n";
    } else if (kind < 32) {
      for (std::size_t line = 20 + random.below(200); line > 0; --line) {
        text += random.line_bytes(random.below(80)) + "\n";
      }
    } else {
      text = random.line_bytes(random.below(300)) + "\n";
    }
    write_in_pieces(random, fd, text);
  }
  for (int fd : {STDOUT_FILENO, STDERR_FILENO}) {
    write_in_pieces(random, fd, random.line_bytes(1 + random.below(100)));
  }
}

void write_random_bytes(std::uint64_t seed, long long count)
{
  std::uint64_t state = seed ^ 0x9e3779b97f4a7c15u;
  std::string chunk;
  for (long long i = 0; i < count; ++i) {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    chunk += static_cast<char>(state >> 56);
    if (chunk.size() == 65536) {
      write_all(STDOUT_FILENO, chunk);
      chunk.clear();
    }
  }
  write_all(STDOUT_FILENO, chunk);
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

void append_mark(const std::string& log, std::string_view text)
{
  int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) {
    fail(k_system_error, "cannot open " + log);
  }
  // One write(2) with O_APPEND: marks of concurrent jobs never interleave.
  write_all(fd, std::string(text) + "\n");
  ::close(fd);
}

// The `args` step: the rest of argv, byte for byte, in a new file.
void write_arguments(const std::string& path, const std::vector<std::string_view>& arguments)
{
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) {
    fail(k_system_error, "cannot create " + path);
  }
  std::string bytes;
  for (std::string_view argument : arguments) {
    bytes += argument;
    bytes += '\0';
  }
  write_all(fd, bytes);
  ::close(fd);
}

long long count_files(const std::string& dir)
{
  DIR* stream = ::opendir(dir.c_str());
  if (stream == nullptr) {
    fail(k_system_error, "cannot read " + dir);
  }
  long long count = 0;
  while (dirent* entry = ::readdir(stream)) {
    std::string_view name = entry->d_name;
    if (name != "." && name != "..") {
      ++count;
    }
  }
  ::closedir(stream);
  return count;
}

// A process that came into DIR (rendezvous, overlap): its file there, and
// the inotify watch that sees others arrive.
struct Arrival {
  std::string dir;
  std::string own;
  int inotify;
};

Arrival arrive(const std::string& dir)
{
  if (::mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST) {
    fail(k_system_error, "cannot create " + dir);
  }
  int inotify = ::inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
  if (inotify < 0 || ::inotify_add_watch(inotify, dir.c_str(), IN_CREATE | IN_MOVED_TO) < 0) {
    fail(k_system_error, "inotify on " + dir);
  }
  // Watch first, then arrive: a file created in between cannot be missed.
  std::string own = dir + "/" + std::to_string(::getpid());
  int fd = ::open(own.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) {
    fail(k_system_error, "cannot create " + own);
  }
  ::close(fd);
  return {dir, own, inotify};
}

// Waits until the arrival's folder holds `wanted` files; false when `ms`
// passed first.
bool wait_for_files(const Arrival& arrival, long long wanted, long long ms)
{
  long long deadline = now_ms() + ms;
  while (count_files(arrival.dir) < wanted) {
    long long left = deadline - now_ms();
    pollfd event{arrival.inotify, POLLIN, 0};
    int ready = left > 0 ? ::poll(&event, 1, static_cast<int>(left)) : 0;
    if (ready == 0) {
      return false;
    }
    alignas(inotify_event) char events[4096];
    while (::read(arrival.inotify, events, sizeof events) > 0) {
    }
  }
  return true;
}

void rendezvous(const std::string& dir, long long wanted)
{
  const Arrival arrival = arrive(dir);
  if (!wait_for_files(arrival, wanted, k_rendezvous_ceiling_ms)) {
    write_all(STDERR_FILENO, "test_child: rendezvous in " + dir + " timed out\n");
    _exit(k_rendezvous_timed_out);
  }
  ::close(arrival.inotify);
}

void overlap(const std::string& dir, long long wanted, long long ms)
{
  const Arrival arrival = arrive(dir);
  append_mark(dir + ".peak", std::to_string(count_files(dir)));
  wait_for_files(arrival, wanted, ms);
  ::unlink(arrival.own.c_str());
  ::close(arrival.inotify);
}

void print_terminal()
{
  const auto yes_no = [](bool yes) { return yes ? std::string("yes") : std::string("no"); };
  const bool foreground = ::isatty(STDIN_FILENO) == 1 && ::tcgetpgrp(STDIN_FILENO) == ::getpgrp();
  write_all(STDOUT_FILENO, "tty stdin=" + yes_no(::isatty(STDIN_FILENO) == 1) +
                             " stdout=" + yes_no(::isatty(STDOUT_FILENO) == 1) +
                             " stderr=" + yes_no(::isatty(STDERR_FILENO) == 1) +
                             " foreground=" + yes_no(foreground) + "\n");
}

void ask(std::string_view question)
{
  write_all(STDOUT_FILENO, std::string(question) + "\n");
  std::string line;
  char c = 0;
  while (::read(STDIN_FILENO, &c, 1) == 1 && c != '\n') {
    line += c;
  }
  write_all(STDOUT_FILENO, "answer " + line + "\n");
}

void print_descriptors()
{
  std::string line = "fds";
  DIR* stream = ::opendir("/proc/self/fd");
  if (stream == nullptr) {
    fail(k_system_error, "cannot read /proc/self/fd");
  }
  std::vector<int> fds;
  while (dirent* entry = ::readdir(stream)) {
    if (entry->d_name[0] != '.' && std::atoi(entry->d_name) != ::dirfd(stream)) {
      fds.push_back(std::atoi(entry->d_name));
    }
  }
  ::closedir(stream);
  std::sort(fds.begin(), fds.end());
  for (int fd : fds) {
    line += " " + std::to_string(fd);
  }
  char target[256] = {};
  ssize_t n = ::readlink("/proc/self/fd/0", target, sizeof target - 1);
  line += " stdin=";
  line += n > 0 ? std::string(target, static_cast<std::size_t>(n)) : "closed";
  write_all(STDOUT_FILENO, line + "\n");
}

void print_descriptor_limits()
{
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) {
    fail(k_system_error, "getrlimit");
  }
  auto text = [](rlim_t value) {
    return value == RLIM_INFINITY ? std::string("unlimited") : std::to_string(value);
  };
  write_all(STDOUT_FILENO, "nofile " + text(limit.rlim_cur) + " " + text(limit.rlim_max) + "\n");
}

void print_signal_masks()
{
  int fd = ::open("/proc/self/status", O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    fail(k_system_error, "cannot open /proc/self/status");
  }
  std::string status;
  char buffer[4096];
  for (ssize_t n; (n = ::read(fd, buffer, sizeof buffer)) > 0;) {
    status.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(fd);
  auto field = [&](const std::string& name) {
    auto at = status.find("\n" + name + ":\t");
    if (at == std::string::npos) {
      return std::string("?");
    }
    at += name.size() + 3;
    std::uint64_t mask = std::strtoull(status.c_str() + at, nullptr, 16);
    mask &= ~((std::uint64_t{1} << 31) | (std::uint64_t{1} << 32)); // signals 32 and 33
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(mask));
    return std::string(hex);
  };
  write_all(STDOUT_FILENO, "blocked=" + field("SigBlk") + " ignored=" + field("SigIgn") + "\n");
}

void take_token()
{
  const char* flags = std::getenv("MAKEFLAGS");
  const char* auth = flags != nullptr ? std::strstr(flags, "--jobserver-auth=") : nullptr;
  if (auth == nullptr) {
    fail(k_bad_step, "take-token: no --jobserver-auth in MAKEFLAGS");
  }
  const int fd = std::atoi(auth + std::strlen("--jobserver-auth="));
  char token = 0;
  while (::read(fd, &token, 1) != 1) {
    if (errno != EINTR) {
      fail(k_system_error, "take-token: read");
    }
  }
}

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

int main(int argc, char** argv)
{
  g_program = argv[0];
  Steps steps(argc, argv);
  while (!steps.done()) {
    run_step(steps.next_step(), steps);
  }
  return 0;
}
