// SPDX-License-Identifier: MIT
// The steps through which test_child leaves traces in files and meets other
// jobs: mark, args, rendezvous, overlap and take-token.

#include "test_child.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <string>
#include <string_view>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <vector>

namespace test_child {
namespace {

constexpr int k_rendezvous_timed_out = 99;
constexpr long k_rendezvous_ceiling_ms = 20'000;

long long now_ms()
{
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<long long>(ts.tv_sec) * 1000 + ts.tv_nsec / 1'000'000;
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

} // namespace

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

} // namespace test_child
